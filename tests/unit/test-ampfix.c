/* test-ampfix: bare '&' fixed the same whatever the chunk boundaries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ampfix.h"
#include "buf.h"

static int check(const char *in, const char *want, size_t chunk)
{
	struct ampfix f = { { 0 }, { 0 }, { 0 }, 0 };
	struct buf got = { 0 };
	const char *o;
	size_t on, i, n = strlen(in), k;
	int ok;

	for (i = 0; i < n; i += k) {
		k = n - i < chunk ? n - i : chunk;
		ampfix_chunk(&f, in + i, k, 0, &o, &on);
		buf_put(&got, o, on);
	}
	ampfix_chunk(&f, NULL, 0, 1, &o, &on);
	buf_put(&got, o, on);
	ok = got.len == strlen(want) && !memcmp(got.s, want, got.len);
	if (!ok)
		printf("test-ampfix: chunk %zu: %s: got %s\n", chunk, in, buf_str(&got));
	buf_free(&got);
	ampfix_free(&f);
	return ok;
}

int main(void)
{
	static const size_t chunks[] = { 1, 2, 3, 5, 7, 16, 41, 64, 100000 };
	static const char *const cases[][2] = {
		{ "a &b=2 &amp; &#38; &#x26; &lt;", "a &amp;b=2 &amp; &#38; &#x26; &lt;" },
		{ "&#X41; &#x; &#; & ; &", "&#x41; &amp;#x; &amp;#; &amp; ; &amp;" },
		{ "<![CDATA[a & b &amp;]]> & <!-- c & d --> &", "<![CDATA[a & b &amp;]]> &amp; <!-- c & d --> &amp;" },
		{ "<x a=\"?q=1&r=2\">&nbsp;&eacute;</x>", "<x a=\"?q=1&amp;r=2\">&nbsp;&eacute;</x>" },
		{ "<!DOCTYPE x [<!ENTITY e \"&#38;\">]>&e;", "<!DOCTYPE x [<!ENTITY e \"&#38;\">]>&e;" },
		{ "!<!--!-->!<!x &", "!<!--!-->!<!x &amp;" },
		/* found by fuzzing: a 39-character name, cut just before its ';' */
		{ "&abcdefghijklmnopqrstuvwxyzabcdefghijklm; &", "&abcdefghijklmnopqrstuvwxyzabcdefghijklm; &amp;" },
	};
	char in[512], want[512];
	size_t c, k, pad, n = 0, bad = 0;

	for (c = 0; c < sizeof cases / sizeof *cases; c++)
		for (pad = 0; pad < 50; pad++)
			for (k = 0; k < sizeof chunks / sizeof *chunks; k++) {
				snprintf(in, sizeof in, "%*s%s", (int)pad, "", cases[c][0]);
				snprintf(want, sizeof want, "%*s%s", (int)pad, "", cases[c][1]);
				bad += !check(in, want, chunks[k]);
				n++;
			}
	if (bad)
		return 1;
	printf("test-ampfix: %zu cases ok\n", n);
	return 0;
}
