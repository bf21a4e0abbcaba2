/* fuzz-ampfix: the bare-'&' filter gives the same bytes whatever the chunks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ampfix.h"

static void run(const uint8_t *data, size_t size, size_t chunk, struct buf *got)
{
	struct ampfix f = { { 0 }, { 0 }, { 0 }, 0 };
	const char *o;
	size_t on, i, k;

	for (i = 0; i < size; i += k) {
		k = size - i < chunk ? size - i : chunk;
		ampfix_chunk(&f, (const char *)data + i, k, 0, &o, &on);
		buf_put(got, o, on);
	}
	ampfix_chunk(&f, NULL, 0, 1, &o, &on);
	buf_put(got, o, on);
	ampfix_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf whole = { 0 }, bits = { 0 };

	run(data, size, size + 1, &whole);
	run(data, size, size ? (size_t)data[0] % 7 + 1 : 1, &bits);
	if (whole.len != bits.len || (whole.len && memcmp(whole.s, bits.s, whole.len)))
		abort();
	buf_free(&whole);
	buf_free(&bits);
	return 0;
}
