/* fuzz-html: HTML fragments to plain text, and the text helpers after it. */
#include <stdint.h>

#include "html.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = { 0 }, more = { 0 };

	html_to_text(&out, (const char *)data, size, size & 1);
	text_fix_mojibake(&out, 0);
	text_fix_c1(&out, 0);
	text_decode_entities(&more, (const char *)data, size);
	text_tex_accents(&more, (const char *)data, size);
	buf_free(&out);
	buf_free(&more);
	return 0;
}
