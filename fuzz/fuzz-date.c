/* fuzz-date: any text as a feed date; what parses must format and parse back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[DATE_BUFSZ];
	time_t t, back;

	memcpy(s, data, size);
	s[size] = '\0';
	if (date_parse(s, &t) == 0) {
		date_format(t, out);
		/* every date read is in 0000..9999: RFC 3339 out, read back as
		 * the same time */
		if (strlen(out) != 20 || date_parse(out, &back) || back != t)
			abort();
	}
	free(s);
	return 0;
}
