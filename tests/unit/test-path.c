/* test-path: field paths, parsed and looked up with jansson and jscan. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonl.h"
#include "path.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static int ncases, nfail;

static void
fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("test-path: %s: ", name);
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
		fail(name, "got %s, want %s", got ? got : "(null)",
		    want ? want : "(null)");
}

static const char record[] =
    "{\"id\":\"arxiv:2501.08341\",\"title\":\"Dissecting\","
    "\"authors\":[\"Xiguang Yang\",\"Krish Arora\",\"Michael Bachmann\"],"
    "\"categories\":[\"cond-mat.dis-nn\",\"cs.LG\"],"
    "\"arxiv\":{\"id\":\"2501.08341\",\"version\":1,\"announce_type\":\"new\","
    "\"primary\":\"cond-mat.dis-nn\"},"
    "\"feed\":{\"title\":\"t\",\"link\":\"l\",\"name\":\"arxiv-cm\"},"
    "\"odd key\":\"o\",\"a.b\":\"dot\",\"\xd0\xba\":\"k\","
    "\"\":\"empty\",\"n\":null,\"f\":false,\"e\":[],\"0\":\"zero\","
    "\"x\":{\"y\":[[10,20],{\"z\":\"deep\"}]},\"ai-tldr\":\"dash\"}";

/* path, the value's compact JSON (NULL: absent) */
static const struct {
	const char *path, *want;
} gets[] = {
	{ "id", "\"arxiv:2501.08341\"" },
	{ ".id", "\"arxiv:2501.08341\"" },
	{ ".arxiv.primary", "\"cond-mat.dis-nn\"" },
	{ "arxiv.primary", "\"cond-mat.dis-nn\"" },
	{ ".arxiv.version", "1" },
	{ ".arxiv", "{\"id\":\"2501.08341\",\"version\":1,\"announce_type\":\"new\",\"primary\":\"cond-mat.dis-nn\"}" },
	{ ".categories[0]", "\"cond-mat.dis-nn\"" },
	{ ".categories[1]", "\"cs.LG\"" },
	{ ".categories[2]", NULL },
	{ ".categories[-1]", "\"cs.LG\"" },
	{ ".categories[-2]", "\"cond-mat.dis-nn\"" },
	{ ".categories[-3]", NULL },
	{ ".categories[-0]", "\"cond-mat.dis-nn\"" },
	{ ".categories[007]", NULL },
	{ ".categories.[0]", "\"cond-mat.dis-nn\"" },
	{ ".authors[2]", "\"Michael Bachmann\"" },
	{ ".feed.name", "\"arxiv-cm\"" },
	{ "feed[\"name\"]", "\"arxiv-cm\"" },
	{ ".feed.missing", NULL },
	{ ".missing.name", NULL },
	{ ".\"odd key\"", "\"o\"" },
	{ ".[\"odd key\"]", "\"o\"" },
	{ "[\"odd key\"]", "\"o\"" },
	{ "\"odd key\"", "\"o\"" },
	{ ".\"a.b\"", "\"dot\"" },
	{ ".a.b", NULL },
	{ ".[\"\\u043a\"]", "\"k\"" },
	{ ".\xd0\xba", "\"k\"" },
	{ ".\"\"", "\"empty\"" },
	{ ".ai-tldr", "\"dash\"" },
	{ ".0", "\"zero\"" },
	{ ".n", "null" },
	{ ".f", "false" },
	{ ".e", "[]" },
	{ ".e[0]", NULL },
	{ ".e[-1]", NULL },
	{ ".x.y[0][1]", "20" },
	{ ".x.y[-1].z", "\"deep\"" },
	{ ".x[\"y\"][1][\"z\"]", "\"deep\"" },
	{ ".x.y[1][0]", NULL },
	{ ".x.y[0].z", NULL },
	{ ".title.x", NULL },
	{ ".title[0]", NULL },
	{ ".arxiv[0]", NULL },
	{ "[0]", NULL },
	{ ".categories[9223372036854775807]", NULL },
	{ ".categories[-9223372036854775807]", NULL },
	{ ".", "(record)" },
};

/* path, message */
static const struct {
	const char *path, *err;
} errs[] = {
	{ "", "empty path" },
	{ ".a[", "column 4: unexpected end of path, expected an index or a quoted key" },
	{ ".[x]", "column 3: unexpected 'x', expected an index or a quoted key" },
	{ ".a[]", "column 4: unexpected ']', expected an index or a quoted key" },
	{ ".a[1", "column 5: unexpected end of path, expected ']'" },
	{ ".a[1x]", "column 5: unexpected 'x', expected ']'" },
	{ ".a[-]", "column 5: unexpected ']', expected a digit" },
	{ ".a[ 1]", "column 4: unexpected ' ', expected an index or a quoted key" },
	{ ".a[\"b\"", "column 7: unexpected end of path, expected ']'" },
	{ ".a[\"b", "column 4: unterminated string" },
	{ ".\"x", "column 2: unterminated string" },
	{ ".\"x\\\"", "column 2: unterminated string" },
	{ ".\"\\q\"", "column 2: invalid string (bad escape, control character, \\u0000 or invalid UTF-8)" },
	{ ".\"\\u0000\"", "column 2: invalid string (bad escape, control character, \\u0000 or invalid UTF-8)" },
	{ ".\"\\ud800\"", "column 2: invalid string (bad escape, control character, \\u0000 or invalid UTF-8)" },
	{ ".\"\xff\"", "column 2: invalid string (bad escape, control character, \\u0000 or invalid UTF-8)" },
	{ "..", "column 2: unexpected '.', expected a key" },
	{ ".a.", "column 4: unexpected end of path, expected a key" },
	{ ".a..b", "column 4: unexpected '.', expected a key" },
	{ ".a b", "column 3: unexpected ' ', expected '.' or '['" },
	{ ".a,.b", "column 3: unexpected ',', expected '.' or '['" },
	{ ".a|.b", "column 3: unexpected '|', expected '.' or '['" },
	{ ".a[0]x", "column 6: unexpected 'x', expected '.' or '['" },
	{ ".a]", "column 3: unexpected ']', expected '.' or '['" },
	{ ".\"a\"b", "column 5: unexpected 'b', expected '.' or '['" },
	{ ".a?", "column 3: unexpected '?', expected '.' or '['" },
	{ ".a\t", "column 3: unexpected byte 0x09, expected '.' or '['" },
	{ " .a", "column 1: unexpected ' ', expected a key" },
	{ "[0", "column 3: unexpected end of path, expected ']'" },
	{ ".a[99999999999999999999]", "column 4: index out of range" },
	{ ".a[-9223372036854775808]", "column 4: index out of range" },
};

/* path_scan agrees with path_get: same presence, equal values. */
static void
agree(const char *name, const struct path *p, const char *text, int want)
{
	json_t *root, *got, *v;
	const char *val;
	size_t vlen;
	int r;

	root = jsonl_load(text, strlen(text), NULL, 0);	/* the record layer */
	got = path_get(p, root);
	r = path_scan(p, text, strlen(text), &val, &vlen);
	ncases++;
	if (want != 9 && r != want) {
		fail(name, "got path_scan %d, want %d", r, want);
	} else if (r == 0) {
		v = json_loadb(val, vlen, JSON_DECODE_ANY, NULL);
		if (!got || !v || !json_equal(v, got))
			fail(name, "got path_scan %.*s, unlike path_get", (int)vlen, val);
		json_decref(v);
	} else if (r == -1 && got) {
		fail(name, "got path_scan absent, want present");
	}
	json_decref(root);
}

static void
test_get(void)
{
	json_t *root, *v;
	struct path *p;
	char err[256], name[128], *s;
	const char *q;
	size_t i;

	root = json_loads(record, JSON_REJECT_DUPLICATES, NULL);
	if (!root) {
		fail("record", "got a parse error, want a record");
		return;
	}
	for (i = 0; i < LEN(gets); i++) {
		snprintf(name, sizeof(name), "path %s", gets[i].path);
		if (!(p = path_parse(gets[i].path, err, sizeof(err)))) {
			check_str(name, err, "(parsed)");
			continue;
		}
		check_str(name, path_text(p), gets[i].path);
		v = path_get(p, root);
		if (v == root)
			s = strdup("(record)");
		else
			s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
		check_str(name, s, gets[i].want);
		free(s);
		/* path_scan leaves "." and a leading index to jansson */
		q = gets[i].path + (gets[i].path[0] == '.');
		agree(name, p, record, v == root || (q[0] == '[' && q[1] != '"') ?
		    -2 : v ? 0 : -1);
		path_free(p);
	}
	json_decref(root);

	/* a key with an escape: jscan leaves it to jansson (agree() above) */
	root = json_loads("{\"q\\\"k\":\"quote\"}", 0, NULL);
	p = path_parse(".[\"q\\\"k\"]", err, sizeof(err));
	check_str("path .[\"q\\\"k\"]", p ? json_string_value(path_get(p, root)) : err,
	    "quote");
	path_free(p);
	json_decref(root);
}

static void
test_errors(void)
{
	struct path *p;
	char err[256], name[128];
	size_t i;

	for (i = 0; i < LEN(errs); i++) {
		snprintf(name, sizeof(name), "error %s", errs[i].path);
		strcpy(err, "(no message)");
		p = path_parse(errs[i].path, err, sizeof(err));
		check_str(name, p ? "(parsed)" : err, errs[i].err);
		path_free(p);
	}
	check_str("NULL err buffer", path_parse(".a[", NULL, 0) ? "(parsed)" : NULL, NULL);
}

/* path_scan on records of other shapes, against path_get. */
static void
test_scan(void)
{
	static const char *records[] = {
		"{\"arxiv\":\"str\",\"categories\":{\"0\":1},\"feed\":[1,2]}",
		"{\"arxiv\":{\"primary\":[\"a\",\"b\"]},\"categories\":[[1],[2,[3]]]}",
		"{\"arxiv\":null,\"categories\":[],\"feed\":{\"name\":{}}}",
		" { \"arxiv\" : { \"primary\" : \"p\" } , \"categories\" : [ \"c\" ] } ",
	};
	static const char *paths[] = {
		"arxiv", ".arxiv.primary", ".arxiv.primary[1]", ".arxiv.primary[-2]",
		".categories[0]", ".categories[-1][0]", ".categories[1][1][0]",
		".categories.0", ".feed.name", ".feed[1]", "[0]", ".arxiv[0]",
	};
	static const struct {
		const char *text, *path;
		int want;
	} fallbacks[] = {
		{ "{\"\\u0061\":1}", "a", -2 },
		{ "{\"q\\\"k\":1}", ".\"q\\\"k\"", -2 },
		{ "{\"a\":1,\"a\":2}", "a", 0 },	/* the last value wins */
		{ "{\"a\":{\"b\":1,\"b\":2},\"a\":{\"b\":3,\"b\":4}}", ".a.b", 0 },
		{ "{\"a\":{\"b\":1} x", ".a.b", -2 },
		{ "[1]", "[0]", -2 },
		{ "{\"a\":[1]}", "[0]", -2 },
		{ "{\"a\":1}", ".", -2 },
	};
	struct path *p;
	char name[160];
	size_t i, k;

	for (i = 0; i < LEN(records); i++)
		for (k = 0; k < LEN(paths); k++) {
			snprintf(name, sizeof(name), "path_scan %s in %s", paths[k], records[i]);
			p = path_parse(paths[k], NULL, 0);
			agree(name, p, records[i], 9);
			path_free(p);
		}
	for (i = 0; i < LEN(fallbacks); i++) {
		snprintf(name, sizeof(name), "path_scan %s in %s", fallbacks[i].path, fallbacks[i].text);
		p = path_parse(fallbacks[i].path, NULL, 0);
		agree(name, p, fallbacks[i].text, fallbacks[i].want);
		path_free(p);
	}
}

/* One canonical form for every spelling of a path (dedup's key names). */
static void
test_canon(void)
{
	static const char *const cases[][2] = {
		{ ".", "." }, { "id", ".id" }, { ".id", ".id" },
		{ ".[\"id\"]", ".id" }, { ".\"id\"", ".id" },
		{ ".arxiv.primary", ".arxiv.primary" },
		{ ".a[\"b c\"][0]", ".a.\"b c\"[0]" },
		{ ".[\"\\u00e9t\u00e9\"]", ".\u00e9t\u00e9" },
		{ ".categories[-1]", ".categories[-1]" },
		{ ".[\"a\\\"b\"]", ".\"a\\\"b\"" },
	};
	struct buf b = { 0 };
	struct path *p;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		if (!(p = path_parse(cases[i][0], NULL, 0))) {
			fail(cases[i][0], "does not parse");
			continue;
		}
		path_canon(p, &b);
		check_str(cases[i][0], buf_str(&b), cases[i][1]);
		path_free(p);
	}
	buf_free(&b);
}

int
main(void)
{
	test_canon();
	test_get();
	test_errors();
	test_scan();
	if (nfail) {
		printf("test-path: %d of %d cases failed\n", nfail, ncases);
		return 1;
	}
	printf("test-path: %d cases ok\n", ncases);
	return 0;
}
