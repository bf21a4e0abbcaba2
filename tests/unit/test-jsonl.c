/* test-jsonl: the JSON Lines reader and writer, and jscan against jansson. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "jscan.h"
#include "jsonl.h"
#include "jw.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static int ncases, nfail;
static char tmpdir[] = "/tmp/test-jsonl.XXXXXX";

static void
fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("test-jsonl: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	nfail++;
}

static void
check_str(const char *name, const char *got, const char *want)
{
	ncases++;
	if (!got || !want ? got != want : strcmp(got, want) != 0)
		fail(name, "got \"%s\", want \"%s\"", got ? got : "(null)",
		    want ? want : "(null)");
}

static void
check_long(const char *name, long got, long want)
{
	ncases++;
	if (got != want)
		fail(name, "got %ld, want %ld", got, want);
}

/* A stream reading data, from a file in tmpdir. */
static FILE *
input(const char *data, size_t n)
{
	char path[64];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "%s/inXXXXXX", tmpdir);
	if ((fd = mkstemp(path)) < 0 || !(fp = fdopen(fd, "w+")) ||
	    fwrite(data, 1, n, fp) != n || fflush(fp) || fseek(fp, 0, SEEK_SET)) {
		perror("test-jsonl: temp file");
		exit(1);
	}
	unlink(path);
	return fp;
}

/* ---- reading lines ---- */

static const struct {
	const char *name, *in;
	const char *lines[3];
	unsigned long lineno[3];
} linecases[] = {
	{ "normal", "{\"a\":1}\n{\"b\":2}\n", { "{\"a\":1}", "{\"b\":2}" }, { 1, 2 } },
	{ "crlf", "{\"a\":1}\r\n{\"b\":2}\r\n", { "{\"a\":1}", "{\"b\":2}" }, { 1, 2 } },
	{ "no final newline", "{\"a\":1}\n{\"b\":2}", { "{\"a\":1}", "{\"b\":2}" }, { 1, 2 } },
	{ "crlf, no final newline", "{\"a\":1}\r\n{\"b\":2}\r", { "{\"a\":1}", "{\"b\":2}" }, { 1, 2 } },
	{ "blank lines", "\n{\"a\":1}\n\n \t\r\n{\"b\":2}\n\n", { "{\"a\":1}", "{\"b\":2}" }, { 2, 5 } },
	{ "only one cr stripped", "{\"a\":1}\r\r\n", { "{\"a\":1}\r" }, { 1 } },
	{ "leading space kept", " {\"a\":1}\n", { " {\"a\":1}" }, { 1 } },
	{ "empty input", "", { NULL }, { 0 } },
	{ "only blank lines", "\n\r\n  \n", { NULL }, { 0 } },
};

static void
test_lines(void)
{
	struct jsonl r;
	char name[128];
	size_t i, k;
	FILE *fp;
	int rc;

	for (i = 0; i < LEN(linecases); i++) {
		fp = input(linecases[i].in, strlen(linecases[i].in));
		jsonl_init(&r, fp, linecases[i].name);
		for (k = 0; (rc = jsonl_next(&r)) == 1; k++) {
			snprintf(name, sizeof(name), "%s: line %zu", linecases[i].name, k + 1);
			check_str(name, k < 3 ? linecases[i].lines[k] : NULL, r.line);
			if (k < 3 && linecases[i].lines[k]) {
				check_long(name, (long)r.len, (long)strlen(linecases[i].lines[k]));
				check_long(name, (long)r.lineno, (long)linecases[i].lineno[k]);
			}
		}
		snprintf(name, sizeof(name), "%s: end", linecases[i].name);
		check_long(name, rc, 0);
		check_str(name, k < 3 ? linecases[i].lines[k] : NULL, NULL);
		check_long("again at end", jsonl_next(&r), 0);
		jsonl_free(&r);
		fclose(fp);
	}
}

static void
test_hugeline(void)
{
	const size_t big = 5 << 20;
	struct jsonl r;
	const char *v;
	size_t vlen, n;
	char *data;
	json_t *j;
	FILE *fp;
	char err[256];

	data = malloc(big + 32);
	memcpy(data, "{\"s\":\"", 6);
	memset(data + 6, 'x', big);
	n = 6 + big;
	memcpy(data + n, "\"}\n{\"b\":2}", 10);
	n += 10;
	fp = input(data, n);
	jsonl_init(&r, fp, "huge");
	check_long("5 MB line", jsonl_next(&r), 1);
	check_long("5 MB line: length", (long)r.len, (long)(big + 8));
	j = jsonl_parse(&r, err, sizeof(err));
	check_long("5 MB line: parsed",
	    j ? (long)json_string_length(json_object_get(j, "s")) : -1, (long)big);
	json_decref(j);
	check_long("5 MB line: jscan", jscan_find(r.line, r.len, "s", &v, &vlen), 0);
	check_long("5 MB line: jscan length", (long)vlen, (long)big + 2);
	check_long("line after 5 MB", jsonl_next(&r), 1);
	check_str("line after 5 MB", r.line, "{\"b\":2}");
	check_long("line after 5 MB: lineno", (long)r.lineno, 2);
	check_long("5 MB: end", jsonl_next(&r), 0);
	jsonl_free(&r);
	fclose(fp);
	free(data);
}

static void
test_readerror(void)
{
	struct jsonl r;
	FILE *fp;

	if (!(fp = fopen(tmpdir, "r"))) {	/* a directory: read gives EISDIR */
		fail("read error", "cannot open %s", tmpdir);
		return;
	}
	jsonl_init(&r, fp, tmpdir);
	errno = 0;
	check_long("read error: result", jsonl_next(&r), -1);
	check_long("read error: errno", errno, EISDIR);
	jsonl_free(&r);
	fclose(fp);
}

/* ---- parsing ---- */

static const struct {
	const char *name, *in;
	size_t len;		/* 0: strlen */
	const char *err;	/* NULL: must parse */
} parsecases[] = {
	{ "object", "{\"a\":1,\"b\":[1,{\"c\":null}]}", 0, NULL },
	{ "spaces", " { \"a\" : 1 } \t", 0, NULL },
	{ "unicode", "{\"t\":\"\xc3\xa9\xe2\x98\x83\xf0\x9f\x98\x80\\ud83d\\ude00\"}", 0, NULL },
	{ "trailing comma", "{\"a\":1,}", 0, "column 8: string or '}' expected near '}'" },
	{ "truncated", "{\"a\":", 0, "column 5: unexpected token near end of line" },
	{ "garbage after", "{\"a\":1} x", 0, "column 9: end of line expected near 'x'" },
	{ "missing colon", "{\"a\" 1}", 0, "column 6: ':' expected near '1'" },
	{ "bad token", "{\"a\":tru}", 0, "column 8: invalid token near 'tru'" },
	{ "array", "[1]", 0, "not a JSON object (array)" },
	{ "string", "\"x\"", 0, "not a JSON object (string)" },
	{ "number", "3", 0, "not a JSON object (number)" },
	{ "real", "-3.5e2", 0, "not a JSON object (number)" },
	{ "true", "true", 0, "not a JSON object (boolean)" },
	{ "null", "null", 0, "not a JSON object (null)" },
	{ "duplicate key", "{\"a\":1,\"a\":2}", 0, NULL },
	{ "nested duplicate key", "{\"o\":{\"k\":1,\"k\":2}}", 0, NULL },
	{ "escaped duplicate key", "{\"id\":1,\"\\u0069d\":2}", 0, NULL },
	{ "invalid UTF-8 0xff", "{\"a\":\"\xff\"}", 0, "column 7: invalid UTF-8 (byte 0xff)" },
	{ "invalid UTF-8 after é", "{\"\xc3\xa9\":\"x\xc3\"}", 0, "column 8: invalid UTF-8 (byte 0xc3)" },
	{ "invalid UTF-8 surrogate", "{\"a\":\"\xed\xa0\x80\"}", 0, "column 7: invalid UTF-8 (byte 0xed)" },
	{ "invalid UTF-8 overlong", "{\"a\":\"\xc0\xaf\"}", 0, "column 7: invalid UTF-8 (byte 0xc0)" },
	{ "invalid UTF-8 above U+10FFFF", "{\"a\":\"\xf4\x90\x80\x80\"}", 0, "column 7: invalid UTF-8 (byte 0xf4)" },
	{ "invalid UTF-8 outside string", "{\"a\":1}\x80", 0, "column 8: invalid UTF-8 (byte 0x80)" },
	{ "control character", "{\"a\":\"x\x01\"}", 0, "column 7: control character 0x1 near '\"x'" },
	{ "NUL byte", "{\"a\":1}\0{", 9, "column 8: NUL byte" },
	{ "NUL byte in string", "{\"\xc3\xa9\":\"a\0b\"}", 12, "column 8: NUL byte" },
	{ "invalid UTF-8 before NUL", "{\"a\":\"\xff\0\"}", 10, "column 7: invalid UTF-8 (byte 0xff)" },
	{ "escaped NUL", "{\"a\":\"\\u0000\"}", 0, "column 13: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"\\u0000\"'" },
	{ "lone surrogate", "{\"a\":\"\\udc00\"}", 0, "column 13: invalid Unicode '\\uDC00' near '\"\\udc00\"'" },
	{ "real overflow", "{\"a\":1e999}", 0, NULL },
	{ "integer overflow", "{\"a\":-99999999999999999999}", 0, NULL },
	{ "real underflow", "{\"a\":[1e-999,0.0e-999]}", 0, NULL },
	{ "big number, then an error", "{\"a\":1e999,\"b\":tru}", 0, "column 18: invalid token near 'tru'" },
	{ "big number, then \\u0000", "{\"a\":1e999,\"b\":\"\\u0000\"}", 0, "column 23: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"\\u0000\"'" },
	{ "big number, not an object", "[1e999]", 0, "not a JSON object (array)" },
	{ "big number, bad UTF-8 after", "{\"a\":1e999,\"b\":\"\xff\"}", 0, "column 17: invalid UTF-8 (byte 0xff)" },
};

static void
test_parse(void)
{
	struct jsonl r;
	char err[256];
	json_t *j;
	size_t i;

	for (i = 0; i < LEN(parsecases); i++) {
		r.line = (char *)parsecases[i].in;
		r.len = parsecases[i].len ? parsecases[i].len : strlen(r.line);
		strcpy(err, "(no message)");
		j = jsonl_parse(&r, err, sizeof(err));
		check_str(parsecases[i].name, j ? NULL : err, parsecases[i].err);
		json_decref(j);
	}
	r.line = "[";
	r.len = 1;
	check_long("NULL err buffer", jsonl_parse(&r, NULL, 0) == NULL, 1);
}

/* ---- writing ---- */

static char *
written(const json_t *j, int *rc)
{
	char *s = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&s, &n);

	*rc = jsonl_write(fp, j);
	fclose(fp);
	return s;
}

/* Numbers jansson cannot hold come back out byte for byte; duplicate keys
 * keep their first place and their last value. */
static const struct {
	const char *in, *out;
} rawcases[] = {
	{ "{\"a\":123456789012345678901234567890,\"b\":-9223372036854775809,\"c\":9223372036854775807}",
	  "{\"a\":123456789012345678901234567890,\"b\":-9223372036854775809,\"c\":9223372036854775807}" },
	{ "{\"a\":[1e400,-2.5E+999,1e-400,0.5],\"s\":\"1e400\"}",
	  "{\"a\":[1e400,-2.5E+999,1e-400,0.5],\"s\":\"1e400\"}" },
	{ " { \"o\" : { \"n\" : 1e400 } } ", "{\"o\":{\"n\":1e400}}" },
	{ "{\"id\":\"a\",\"t\":1,\"\\u0069d\":\"b\",\"id\":\"c\"}", "{\"id\":\"c\",\"t\":1}" },
	{ "{\"x\":\"a\\\"1e400\",\"n\":1e400}", "{\"x\":\"a\\\"1e400\",\"n\":1e400}" },
};

static void
test_raw(void)
{
	const char *t;
	char *got;
	json_t *j;
	size_t i, n;
	int rc;

	for (i = 0; i < LEN(rawcases); i++) {
		j = jsonl_load(rawcases[i].in, strlen(rawcases[i].in), NULL, 0);
		got = j ? written(j, &rc) : NULL;
		if (got)
			got[strlen(got) - 1] = '\0';
		check_str(rawcases[i].in, got, rawcases[i].out);
		free(got);
		json_decref(j);
	}
	t = "{\"n\":1e400,\"s\":\"x\"}";
	j = jsonl_load(t, strlen(t), NULL, 0);
	t = jsonl_number(json_object_get(j, "n"), &n);
	check_str("jsonl_number", t ? t : NULL, "1e400");
	check_long("jsonl_number length", (long)n, 5);
	check_long("jsonl_number on a string", jsonl_number(json_object_get(j, "s"), NULL) == NULL, 1);
	jsonl_as_text(j);
	check_str("jsonl_as_text", json_string_value(json_object_get(j, "n")), "1e400");
	json_decref(j);
}

/* Does v hold a real anywhere? (jansson dumps those differently.) */
static int
hasreal(json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;

	if (json_is_real(v))
		return 1;
	json_object_foreach(v, k, m)
		if (hasreal(m))
			return 1;
	json_array_foreach(v, i, m)
		if (hasreal(m))
			return 1;
	return 0;
}

/* jansson's \u escapes in lower case, as all our writers write them
 * (jw_put_string; jsonl_write wrote \u001F as jansson until they were
 * made one). */
static void
lower_escapes(char *d)
{
	size_t i;

	for (; (d = strstr(d, "\\u")); d += 2)
		for (i = 2; i < 6 && d[i]; i++)
			if (d[i] >= 'A' && d[i] <= 'F')
				d[i] = (char)(d[i] - 'A' + 'a');
}

/* jsonl_write agrees with jansson (bytes unless reals, \u escapes in
 * lower case) and reads back. */
static void
check_write(const char *name, json_t *j)
{
	json_t *back;
	char *s, *d;
	int rc;

	s = written(j, &rc);
	ncases++;
	if (rc || !s || !*s || s[strlen(s) - 1] != '\n') {
		fail(name, "got write result %d, want a line", rc);
	} else if (!(back = json_loads(s, JSON_REJECT_DUPLICATES, NULL)) ||
	    !json_equal(back, j)) {
		fail(name, "got %s, which does not read back equal", s);
		json_decref(back);
	} else {
		json_decref(back);
		if (!hasreal(j)) {
			d = json_dumps(j, JSON_COMPACT);
			lower_escapes(d);
			s[strlen(s) - 1] = '\0';
			if (strcmp(s, d))
				fail(name, "got %s, want %s (jansson)", s, d);
			free(d);
		}
	}
	free(s);
}

static void
test_write(void)
{
	static const char in[] = "{\"z\":\"\\u00e9\xe2\x98\x83\\ud83d\\ude00\","
	    "\"a\":\"q\\\"b\\\\s\\nt\\tc\\u0001\\/\\u007f\\b\\f\\r\\u001f\","
	    "\"m\":[1,-2,true,false,null,{},[]],\"n\":{\"y\":1,\"b\":2}}";
	static const char want[] = "{\"z\":\"\xc3\xa9\xe2\x98\x83\xf0\x9f\x98\x80\","
	    "\"a\":\"q\\\"b\\\\s\\nt\\tc\\u0001/\x7f\\b\\f\\r\\u001f\","
	    "\"m\":[1,-2,true,false,null,{},[]],\"n\":{\"y\":1,\"b\":2}}\n";
	static const struct {
		double d;
		const char *want;
	} reals[] = {
		{ 0.1, "{\"r\":0.1}\n" }, { 3.0, "{\"r\":3.0}\n" },
		{ -0.0, "{\"r\":-0.0}\n" }, { 1e100, "{\"r\":1e100}\n" },
		{ 1e-7, "{\"r\":1e-7}\n" }, { 0.1 + 0.2, "{\"r\":0.30000000000000004}\n" },
		{ 123456.789, "{\"r\":123456.789}\n" }, { 1e15, "{\"r\":1e15}\n" },
		{ 2.5e-300, "{\"r\":2.5e-300}\n" },
		{ 1.7976931348623157e308, "{\"r\":1.7976931348623157e308}\n" },
	};
	static const double roundtrip[] = { 5e-324, 2.2250738585072014e-308,
	    0.3333333333333333, 9007199254740993.0, -1.5e-320 };
	json_t *j;
	char *s, name[64];
	size_t i;
	FILE *fp;
	int rc;

	j = json_loads(in, JSON_REJECT_DUPLICATES, NULL);
	s = written(j, &rc);
	check_str("write: unicode, escapes, key order", s, want);
	check_long("write: result", rc, 0);
	check_write("write: agrees with jansson", j);
	free(s);
	json_decref(j);

	for (i = 0; i < LEN(reals); i++) {
		j = json_pack("{s:f}", "r", reals[i].d);
		s = written(j, &rc);
		snprintf(name, sizeof(name), "write real %s", reals[i].want);
		name[strlen(name) - 1] = '\0';
		check_str(name, s, reals[i].want);
		free(s);
		json_decref(j);
	}
	for (i = 0; i < LEN(roundtrip); i++) {
		j = json_pack("{s:f,s:[f]}", "r", roundtrip[i], "a", -roundtrip[i]);
		snprintf(name, sizeof(name), "write real %.17g", roundtrip[i]);
		check_write(name, j);
		json_decref(j);
	}

	/* JSON has no NaN or infinity: never "nan" or "inf" (issue 11) */
	{
		static const double bad[] = { NAN, -NAN, INFINITY, -INFINITY };
		char num[JW_REAL_BUFSZ];

		for (i = 0; i < LEN(bad); i++) {
			jw_format_real(bad[i], num);
			check_str("jw_format_real of a non-finite number", num, "null");
		}
	}

	/* a decimal comma locale, where one is installed */
	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
		j = json_pack("{s:f}", "r", 0.5);
		s = written(j, &rc);
		check_str("write real under a decimal comma locale", s, "{\"r\":0.5}\n");
		free(s);
		json_decref(j);
		setlocale(LC_NUMERIC, "C");
	}

	j = json_pack("{s:s}", "a", "b");
	if ((fp = fopen("/dev/full", "w"))) {
		setvbuf(fp, NULL, _IONBF, 0);
		check_long("write to /dev/full", jsonl_write(fp, j), -1);
		fclose(fp);
	}
	json_decref(j);
}

/* ---- jscan ---- */

/* jscan's answer must be jansson's whenever it gives one (not -2). */
static void
agree(const char *name, const char *s, size_t n, const char *key, int r,
    const char *val, size_t vlen)
{
	struct buf b = { NULL, 0, 0 };
	json_t *j, *m, *v;
	long slen;

	j = jsonl_load(s, n, NULL, 0);
	m = json_object_get(j, key);
	ncases++;
	if (r == -2) {
		/* no answer: nothing to agree on */
	} else if (!json_is_object(j)) {
		fail(name, "got %d for \"%.*s\", want -2 (jansson rejects it)",
		    r, (int)n, s);
	} else if (r == -1 && m) {
		fail(name, "got absent for \"%.*s\", want present", (int)n, s);
	} else if (r == 0 && !m) {
		fail(name, "got present for \"%.*s\", want absent", (int)n, s);
	} else if (r == 0) {
		v = json_loadb(val, vlen, JSON_DECODE_ANY, NULL);
		if (!v || !json_equal(v, m))
			fail(name, "got value %.*s in \"%.*s\", unlike jansson",
			    (int)vlen, val, (int)n, s);
		if (json_is_string(m)) {
			slen = jscan_string(val, vlen, &b);
			if (slen != (long)json_string_length(m) ||
			    memcmp(buf_str(&b), json_string_value(m), (size_t)slen))
				fail(name, "got string %s, want %s", buf_str(&b),
				    json_string_value(m));
		}
		json_decref(v);
	}
	buf_free(&b);
	json_decref(j);
}

static const struct {
	const char *text, *key;
	int want;
	const char *val;
} scancases[] = {
	{ "{\"id\":\"x\"}", "id", 0, "\"x\"" },
	{ " {\"id\" : null } ", "id", 0, "null" },
	{ "{\"a\":{\"id\":1},\"id\":2}", "id", 0, "2" },
	{ "{\"a\":\"\\\"id\\\":3\",\"id\":4}", "id", 0, "4" },
	{ "{\"a\":[\"id\",{\"id\":5}]}", "id", -1, NULL },
	{ "{\"a\":\"id\"}", "id", -1, NULL },
	{ "{ \"id\" : [1, {\"x\": \"}\"}] , \"b\":2 }", "id", 0, "[1, {\"x\": \"}\"}]" },
	{ "{\"t\":\"a\\\\\",\"id\":\"q\"}", "id", 0, "\"q\"" },
	{ "{\"t\":\"a\\\\\\\"\",\"id\":{}}", "id", 0, "{}" },
	{ "{\"idx\":1,\"i\":2}", "id", -1, NULL },
	{ "{\"x\":\"\\u0069d\",\"id\":1}", "id", 0, "1" },
	{ "{\"\\u0069d\":1}", "id", -2, NULL },
	{ "{\"a\":{\"\\n\":1},\"id\":1}", "id", -2, NULL },
	{ "{\"\xd0\xba\":\"\xc3\xa9\\ud83d\\ude00\"}", "\xd0\xba", 0, "\"\xc3\xa9\\ud83d\\ude00\"" },
	{ "{}", "id", -1, NULL },
	{ "{\"\":5}", "", 0, "5" },
	{ "{\"id\":-0.5e-3,\"b\":true,\"c\":false}", "id", 0, "-0.5e-3" },
	{ "{\"a\":123456789012345678,\"id\":1E+2}", "id", 0, "1E+2" },
	{ "{\"a\":1234567890123456789,\"id\":1}", "id", -2, NULL },
	{ "{\"a\":1e400,\"id\":1}", "id", -2, NULL },
	{ "{\"a\":1e-400,\"id\":1}", "id", -2, NULL },
	{ "{\"id\":1,\"id\":2}", "id", 0, "2" },
	{ "{\"id\":1,\"x\":0,\"id\":[2]}", "id", 0, "[2]" },
	{ "{\"a\":{\"b\":1,\"b\":2},\"id\":1}", "id", 0, "1" },
	{ "{\"id\":1,\"\\u0069d\":2}", "id", -2, NULL },
	{ "{\"a\":0.000000000000000000000000000000000000000000000001e-260,\"id\":1}", "id", -2, NULL },
	{ "{\"a\":0.0e-999,\"b\":0e-999,\"id\":1}", "id", 0, "1" },
	{ "{\"a\":1e-299,\"id\":1}", "id", 0, "1" },
	{ "{\"a\":{\"b\":1},\"b\":{\"a\":1}}", "b", 0, "{\"a\":1}" },
	{ "{\"id\":\"x\"} x", "id", -2, NULL },
	{ "{\"id\":\"x\",}", "id", -2, NULL },
	{ "{\"id\" \"x\"}", "id", -2, NULL },
	{ "{\"id\":01}", "id", -2, NULL },
	{ "{\"id\":-}", "id", -2, NULL },
	{ "{\"id\":1.}", "id", -2, NULL },
	{ "{\"id\":.5}", "id", -2, NULL },
	{ "{\"id\":+1}", "id", -2, NULL },
	{ "{\"id\":tru}", "id", -2, NULL },
	{ "{\"id\":nulll}", "id", -2, NULL },
	{ "{\"id\":[1,]}", "id", -2, NULL },
	{ "{\"id\":[1 2]}", "id", -2, NULL },
	{ "{\"id\":\"\\ud800\"}", "id", -2, NULL },
	{ "{\"id\":\"\\ud800\\u0041\"}", "id", -2, NULL },
	{ "{\"id\":\"\\udc00\"}", "id", -2, NULL },
	{ "{\"id\":\"a\\u0000b\"}", "id", -2, NULL },
	{ "{\"id\":\"\\x\"}", "id", -2, NULL },
	{ "{\"id\":\"\\u12\"}", "id", -2, NULL },
	{ "{\"id\":\"\x01\"}", "id", -2, NULL },
	{ "{\"id\":\"\xff\"}", "id", -2, NULL },
	{ "{\"id\":\"\xc3\"}", "id", -2, NULL },
	{ "{\"id\":\"\xe0\x80\x80\"}", "id", -2, NULL },
	{ "{\"id\":\"\xc0\xaf\"}", "id", -2, NULL },
	{ "{\"id\":\"\xc1\xbf\"}", "id", -2, NULL },
	{ "{\"id\":\"\xf0\x8f\xbf\xbf\"}", "id", -2, NULL },
	{ "{\"id\":\"\xed\xa0\x80\"}", "id", -2, NULL },
	{ "{\"id\":\"\xed\xbf\xbf\"}", "id", -2, NULL },
	{ "{\"id\":\"\xf4\x90\x80\x80\"}", "id", -2, NULL },
	{ "{\"id\":\"\xf5\x80\x80\x80\"}", "id", -2, NULL },
	{ "{\"id\":\"\xe2\x98\"}", "id", -2, NULL },
	{ "{\"id\":\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"}", "id", 0,
	    "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"" },
	{ "{\"a\":1e305,\"b\":-9.9e-999,\"id\":1}", "id", -2, NULL },
	{ "{\"a\":9.99e307,\"b\":-9e307,\"c\":0.5e308,\"d\":12.5e306,\"id\":1}", "id", 0, "1" },
	{ "{\"a\":10e308,\"id\":1}", "id", -2, NULL },
	{ "{\"a\":1.8e308,\"id\":1}", "id", -2, NULL },
	{ "{\"a\":-1e309,\"id\":1}", "id", -2, NULL },
	{ "{\"a\":1e309,\"id\":1}", "id", -2, NULL },
	{ "{\"a\":-999999999999999999,\"id\":1}", "id", 0, "1" },
	{ "{\"id\":\"x}", "id", -2, NULL },
	{ "[1]", "id", -2, NULL },
	{ "\"x\"", "id", -2, NULL },
	{ "", "id", -2, NULL },
	{ "   ", "id", -2, NULL },
	{ "{", "id", -2, NULL },
	{ "{}}", "id", -2, NULL },
};

static const struct {
	const char *text;
	long idx;
	int want;
	const char *val;
} indexcases[] = {
	{ "[1,[2,3],\"x\"]", 0, 0, "1" },
	{ "[1,[2,3],\"x\"]", 1, 0, "[2,3]" },
	{ " [ 1 , [2,3] , \"x\" ] ", 2, 0, "\"x\"" },
	{ "[1,[2,3],\"x\"]", 3, -1, NULL },
	{ "[1,[2,3],\"x\"]", -1, 0, "\"x\"" },
	{ "[1,[2,3],\"x\"]", -3, 0, "1" },
	{ "[1,[2,3],\"x\"]", -4, -1, NULL },
	{ "[]", 0, -1, NULL },
	{ "[]", -1, -1, NULL },
	{ "{}", 0, -2, NULL },
	{ "[1,]", 0, -2, NULL },
	{ "[{\"a\":1,\"a\":2}]", 0, 0, "{\"a\":1,\"a\":2}" },
};

static const struct {
	const char *raw, *want;	/* want NULL: invalid */
} strcases[] = {
	{ "\"\"", "" },
	{ "\"abc\"", "abc" },
	{ "\"a\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\\b\\f\\r\\t\"", "a\xc3\xa9\xf0\x9f\x98\x80\n\"\\/\b\f\r\t" },
	{ "\"\\u0041\\u07FF\\uFFFF\"", "A\xdf\xbf\xef\xbf\xbf" },
	{ "\"\xc3\xa9\"", "\xc3\xa9" },
	/* runs longer than a word, around non-ASCII and escapes */
	{ "\"Schr\xc3\xb6" "dinger equations, \xce\xb1-particles\\nand \\u00e9 at the end of a long line\"",
	  "Schr\xc3\xb6" "dinger equations, \xce\xb1-particles\nand \xc3\xa9 at the end of a long line" },
	{ "\"a long plain run of text with a bad byte \xff here\"", NULL },
	{ "\"a long plain run of text with a tab\there\"", NULL },
	{ "\"\\ud800\"", NULL },
	{ "\"\\u0000\"", NULL },
	{ "\"abc", NULL },
	{ "abc\"", NULL },
	{ "\"", NULL },
	{ "\"a\"b\"", NULL },
	{ "\"a\\\"", NULL },
	{ "\"\\q\"", NULL },
	{ "\"\t\"", NULL },
	{ "\"\xff\"", NULL },
};

static void
test_scan(void)
{
	struct buf b = { NULL, 0, 0 };
	const char *val;
	char name[160], got[64], *deep;
	size_t vlen, i, n;
	json_t *j;
	long len;
	int r;

	for (i = 0; i < LEN(scancases); i++) {
		const char *s = scancases[i].text;

		val = NULL;
		snprintf(name, sizeof(name), "jscan_find %s in %s", scancases[i].key, s);
		r = jscan_find(s, strlen(s), scancases[i].key, &val, &vlen);
		check_long(name, r, scancases[i].want);
		if (r == 0 && scancases[i].val) {
			ncases++;
			if (vlen != strlen(scancases[i].val) || memcmp(val, scancases[i].val, vlen))
				fail(name, "got %.*s, want %s", (int)vlen, val, scancases[i].val);
		}
		agree(name, s, strlen(s), scancases[i].key, r, val, vlen);
	}
	for (i = 0; i < LEN(indexcases); i++) {
		const char *s = indexcases[i].text;

		snprintf(name, sizeof(name), "jscan_index %ld in %s", indexcases[i].idx, s);
		r = jscan_index(s, strlen(s), indexcases[i].idx, &val, &vlen);
		check_long(name, r, indexcases[i].want);
		if (r == 0) {
			snprintf(got, sizeof(got), "%.*s", (int)vlen, val);
			check_str(name, got, indexcases[i].val);
		}
	}
	for (i = 0; i < LEN(strcases); i++) {
		snprintf(name, sizeof(name), "jscan_string %s", strcases[i].raw);
		len = jscan_string(strcases[i].raw, strlen(strcases[i].raw), &b);
		check_str(name, len < 0 ? NULL : buf_str(&b), strcases[i].want);
		if (len >= 0 && strcases[i].want)
			check_long(name, len, (long)strlen(strcases[i].want));
		if (!strcases[i].want)	/* only checked strings are unescaped */
			continue;
		snprintf(name, sizeof(name), "jscan_unescape %s", strcases[i].raw);
		len = jscan_unescape(strcases[i].raw, strlen(strcases[i].raw), &b);
		check_str(name, len < 0 ? NULL : buf_str(&b), strcases[i].want);
		check_long(name, len, (long)strlen(strcases[i].want));
	}
	check_long("jscan_unescape of a number", jscan_unescape("12", 2, &b), -1);
	buf_free(&b);

	/* deep nesting: jscan leaves it to jansson, which takes up to 2048 */
	n = 600;
	deep = malloc(2 * n + 16);
	strcpy(deep, "{\"a\":");
	memset(deep + 5, '[', n);
	memset(deep + 5 + n, ']', n);
	strcpy(deep + 5 + 2 * n, ",\"id\":1}");
	check_long("jscan deep nesting", jscan_find(deep, strlen(deep), "id", &val, &vlen), -2);
	j = json_loads(deep, 0, NULL);
	check_long("jansson deep nesting", j != NULL, 1);
	json_decref(j);
	free(deep);

	/* many keys: no limit */
	b.len = 0;
	for (n = 0; n < 600; n++) {
		buf_printf(&b, "%c\"k%zu\":%zu", n ? ',' : '{', n, n);
		if (n == 499 || n == 599) {
			snprintf(name, sizeof(name), "jscan %zu keys", n + 1);
			buf_puts(&b, "}");
			r = jscan_find(b.s, b.len, "k7", &val, &vlen);
			check_long(name, r, 0);
			agree(name, b.s, b.len, "k7", r, val, vlen);
			b.s[--b.len] = '\0';
		}
	}
	buf_free(&b);
}

/* Mutated records: whenever jscan answers, jansson must agree. */
static unsigned long rng = 88172645463325252UL;

static unsigned long
rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static void
test_fuzz(void)
{
	static const char *bases[] = {
		"{\"id\":\"arxiv:2501.08341\",\"title\":\"Dissecting a \\\"Small\\\" Network\","
		"\"authors\":[\"Xiguang Yang\",\"Krish Arora\"],\"score\":0.93,"
		"\"arxiv\":{\"id\":\"2501.08341\",\"version\":1,\"primary\":\"cs.LG\"},"
		"\"x\":[true,false,null,-1.5e3,{\"a\":[]}],\"a\":\"\xc3\xa9\\u00e9\\ud83d\\ude00\"}",
		"{\"a\":{\"id\":{\"id\":\"id\"}},\"id\":[\"{\",\"}\",\"[\",\"\\\\\"],\"t\":\"\\\\\\\"\"}",
		" { \"a\" : [ 1 , 2 ] , \"title\" : \"x\" , \"id\" : { } } ",
	};
	static const char alphabet[] = "{}[]\",:\\ 0123456789eE.-+tfnulaxidr\xff\xc3\xa9\x80\x01";
	static const char *keys[] = { "id", "a", "title", "x", "t" };
	char s[512], name[32];
	const char *val;
	size_t n, vlen, k, m;
	unsigned long it, answered = 0;
	int r, muts;
	json_t *j;

	for (it = 0; it < 60000; it++) {
		const char *base = bases[rnd(LEN(bases))];

		n = strlen(base);
		memcpy(s, base, n);
		for (muts = 1 + (int)rnd(3); muts; muts--) {
			k = n ? rnd(n) : 0;
			switch (rnd(5)) {
			case 0:	/* replace */
				if (n)
					s[k] = alphabet[rnd(sizeof(alphabet) - 1)];
				break;
			case 1:	/* delete */
				if (n) {
					memmove(s + k, s + k + 1, n - k - 1);
					n--;
				}
				break;
			case 2:	/* insert */
				if (n < sizeof(s) - 1) {
					memmove(s + k + 1, s + k, n - k);
					s[k] = alphabet[rnd(sizeof(alphabet) - 1)];
					n++;
				}
				break;
			case 3:	/* truncate */
				n = k;
				break;
			default:	/* copy a piece elsewhere */
				m = rnd(20);
				if (k + m <= n && n + m < sizeof(s)) {
					size_t at = rnd(n + 1);

					memmove(s + at + m, s + at, n - at);
					memmove(s + at, s + (at <= k ? k + m : k), m);
					n += m;
				}
				break;
			}
		}
		snprintf(name, sizeof(name), "fuzz %lu", it);
		for (k = 0; k < LEN(keys); k++) {
			r = jscan_find(s, n, keys[k], &val, &vlen);
			if (r != -2)
				answered++;
			agree(name, s, n, keys[k], r, val, vlen);
		}
		/* records jansson reads must also be written as jansson does */
		if ((j = json_loadb(s, n, 0, NULL))) {
			check_write(name, j);
			json_decref(j);
		}
	}
	/* the fuzz must exercise answers, not only fall-backs */
	check_long("fuzz: some answered", answered > 20000, 1);
}

int
main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("test-jsonl: mkdtemp");
		return 1;
	}
	test_lines();
	test_hugeline();
	test_readerror();
	test_parse();
	test_raw();
	test_write();
	test_scan();
	test_fuzz();
	rmdir(tmpdir);
	if (nfail) {
		printf("test-jsonl: %d of %d cases failed\n", nfail, ncases);
		return 1;
	}
	printf("test-jsonl: %d cases ok\n", ncases);
	return 0;
}
