/* test-recode: the same UTF-8 and the same messages whatever the chunks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "recode.h"

struct seen {
	struct buf msgs;
};

static void on_report(void *arg, unsigned long line, const char *msg)
{
	struct seen *s = arg;

	buf_printf(&s->msgs, "%lu: %s\n", line, msg);
}

static int check(const char *name, const char *in, size_t n, const char *want,
                 const char *msgs, size_t chunk)
{
	struct recode r;
	struct seen seen = { { 0 } };
	struct buf got = { 0 };
	const char *o;
	size_t on, i, k, skip;
	int ok;

	skip = recode_init(&r, in, n, on_report, &seen);
	for (i = skip; i < n; i += k) {
		k = n - i < chunk ? n - i : chunk;
		recode_chunk(&r, in + i, k, 0, &o, &on);
		buf_put(&got, o, on);
	}
	recode_chunk(&r, NULL, 0, 1, &o, &on);
	buf_put(&got, o, on);
	ok = got.len == strlen(want) && !memcmp(got.s, want, got.len) &&
	     !strcmp(buf_str(&seen.msgs), msgs);
	if (!ok)
		printf("test-recode: %s, chunk %zu: got \"%s\" and\n%s", name, chunk,
		       buf_str(&got), buf_str(&seen.msgs));
	buf_free(&got);
	buf_free(&seen.msgs);
	recode_free(&r);
	return ok;
}

#define CASE(name, in, want, msgs) { name, in, sizeof in - 1, want, msgs }

int main(void)
{
	static const size_t chunks[] = { 1, 2, 3, 4, 5, 7, 64, 100000 };
	static const struct {
		const char *name, *in;
		size_t n;
		const char *want, *msgs;
	} cases[] = {
		CASE("clean UTF-8", "<a>caf\xC3\xA9 \xF0\x9F\x98\x80</a>",
		     "<a>caf\xC3\xA9 \xF0\x9F\x98\x80</a>", ""),
		CASE("UTF-8 BOM", "\xEF\xBB\xBF<a>\xC3\xA9</a>", "<a>\xC3\xA9</a>", ""),
		CASE("bad bytes", "<a>\n\xFF\n\xC3(\xE2\x82</a>\n\xED\xA0\x80",
		     "<a>\n\xEF\xBF\xBD\n\xEF\xBF\xBD(\xEF\xBF\xBD\xEF\xBF\xBD</a>\n"
		     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
		     "2: invalid UTF-8 (byte 0xFF) read as U+FFFD\n"
		     "3: invalid UTF-8 (byte 0xC3) read as U+FFFD\n"
		     "3: invalid UTF-8 (byte 0xE2) read as U+FFFD\n"
		     "3: invalid UTF-8 (byte 0x82) read as U+FFFD\n"
		     "4: invalid UTF-8 (byte 0xED) read as U+FFFD\n"
		     "4: invalid UTF-8 (byte 0xA0) read as U+FFFD\n"
		     "4: invalid UTF-8 (byte 0x80) read as U+FFFD\n"),
		CASE("controls", "<a>\x01\n\t\r\x00\x1F\xEF\xBF\xBF</a>", "<a>\n\t\r\xEF\xBF\xBD</a>",
		     "1: control character U+0001 removed\n2: NUL byte removed\n"
		     "2: control character U+001F removed\n"
		     "2: U+FFFF is not a character: read as U+FFFD\n"),
		CASE("UTF-16LE", "\xFF\xFE<\0a\0>\0\xE9\0\n\0\x3D\xD8\x00\xDE\0\xD8<\0",
		     "<a>\xC3\xA9\n\xF0\x9F\x98\x80\xEF\xBF\xBD<",
		     "2: invalid UTF-16LE (bytes 0x00 0xD8) read as U+FFFD\n"),
		CASE("UTF-16BE, no BOM, cut unit", "\0<\0a\0>\0", "<a>\xEF\xBF\xBD",
		     "1: invalid UTF-16BE (byte 0x00) read as U+FFFD\n"),
		CASE("UTF-32LE", "\xFF\xFE\0\0<\0\0\0\xE9\0\0\0\0\0\0\0", "<\xC3\xA9",
		     "1: NUL byte removed\n"),
		CASE("Latin-1", "<?xml version='1.0' encoding='ISO-8859-1'?><a>\xE9</a>",
		     "<?xml version='1.0' encoding='ISO-8859-1'?><a>\xC3\xA9</a>", ""),
		CASE("mislabelled", "<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>",
		     "<?xml version=\"1.0\" encoding=\"utf-16\"?><a/>",
		     "1: declares encoding utf-16, but its bytes are not: read as UTF-8\n"),
	};
	size_t c, k, n = 0, bad = 0;

	for (c = 0; c < sizeof cases / sizeof *cases; c++)
		for (k = 0; k < sizeof chunks / sizeof *chunks; k++) {
			bad += !check(cases[c].name, cases[c].in, cases[c].n, cases[c].want,
			              cases[c].msgs, chunks[k]);
			n++;
		}
	if (bad)
		return 1;
	printf("test-recode: %zu cases ok\n", n);
	return 0;
}
