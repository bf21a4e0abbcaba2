/* fuzz-rules: any text as a classify rules file, then matched against itself. */
#include <stdint.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules *r = rules_new();
	const struct rules_result *res;
	unsigned long line;
	char err[256];
	size_t f;

	if (rules_add(r, "fuzz", (const char *)data, size, &line, err, sizeof err) == 0 &&
	    rules_compile(r, 1, 0, err, sizeof err) == 0) {
		rules_begin(r);
		for (f = 0; f < rules_nfields(r); f++)
			rules_match(r, f, (const char *)data, size);
		rules_end(r, &res);
	}
	rules_free(r);
	return 0;
}
