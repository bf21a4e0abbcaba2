/* test-rec: the lazy record (rec.h): values from the text or the tree,
 * and edits spliced into the line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "path.h"
#include "rec.h"

static int ncases, nfail;

static void
check(const char *name, const char *got, size_t n, const char *want)
{
	ncases++;
	if (!got ? want != NULL : !want || strlen(want) != n ||
	    memcmp(got, want, n)) {
		printf("test-rec: %s: got %.*s, want %s\n", name,
		    got ? (int)n : 6, got ? got : "(none)", want ? want : "(none)");
		nfail++;
	}
}

/* line; edits as "+key=json" (set) or "-key" (delete), in order; flags;
 * the record written */
static const struct {
	const char *line, *edits[4];
	int flags;
	const char *want;
} puts_[] = {
	{ "{\"a\":1,\"b\":2}", { NULL }, 0, "{\"a\":1,\"b\":2}" },
	{ "{\"a\":1,\"b\":2}", { "+c=3" }, 0, "{\"a\":1,\"b\":2,\"c\":3}" },
	{ "{\"a\":1,\"b\":2}", { "+a=[9]" }, 0, "{\"a\":[9],\"b\":2}" },
	{ "{\"a\":1,\"b\":2}", { "-a" }, 0, "{\"b\":2}" },
	{ "{\"a\":1,\"b\":2}", { "-b" }, 0, "{\"a\":1}" },
	{ "{\"a\":1,\"b\":2}", { "-a", "-b" }, 0, "{}" },
	{ "{\"a\":1,\"b\":2}", { "-a", "+a=5" }, 0, "{\"b\":2,\"a\":5}" },
	{ "{\"a\":1,\"b\":2}", { "+a=5", "+a=6" }, 0, "{\"a\":6,\"b\":2}" },
	{ "{\"a\":1,\"b\":2}", { "+c=3", "-c" }, 0, "{\"a\":1,\"b\":2}" },
	{ "{\"a\":1,\"b\":2}", { "-x" }, 0, "{\"a\":1,\"b\":2}" },
	{ "{}", { "+x=1", "+y=2" }, 0, "{\"x\":1,\"y\":2}" },
	{ "{ }", { "+x=1" }, 0, "{ \"x\":1}" },
	{ " { \"a\" : 1 , \"t\" : [ ] , \"b\" : 2 } ", { "-t", "+t=0" }, 0,
	  " { \"a\" : 1 , \"b\" : 2 ,\"t\":0} " },
	{ "{ \"a\" : 1 , \"b\" : 2 }", { "+b=7" }, 0, "{ \"a\" : 1 , \"b\" : 7 }" },
	{ "{\"a\":1,\"a\":2,\"b\":3}", { "+a=0" }, 0, "{\"a\":0,\"b\":3}" },
	{ "{\"a\":1,\"a\":2,\"b\":3}", { "-a" }, 0, "{\"b\":3}" },
	/* read by jansson (an escape in a key): spliced while only new
	 * members are set, written anew when its own are edited */
	{ "{\"\\u0061\":1, \"b\":2}", { "+c=3" }, 0, "{\"\\u0061\":1, \"b\":2,\"c\":3}" },
	{ "{\"\\u0061\":1, \"b\":2}", { "+b=[]" }, 0, "{\"a\":1,\"b\":[]}" },
	{ "{\"\\u0061\":1, \"b\":2}", { "-a", "+a=5" }, 0, "{\"b\":2,\"a\":5}" },
	{ "{\"\\u0061\":1}", { "-a" }, 0, "{}" },
	{ "{\"a\":1.50, \"b\":2}", { NULL }, REC_PARSE, "{\"a\":1.5,\"b\":2}" },
	{ "{\"a\":1.50}", { "+c=true" }, REC_PARSE, "{\"a\":1.5,\"c\":true}" },
};

static void
edit(struct rec *r, const char *e)
{
	char key[32];
	const char *eq = strchr(e, '=');

	if (*e == '-') {
		rec_del(r, e + 1);
		return;
	}
	snprintf(key, sizeof(key), "%.*s", (int)(eq - e - 1), e + 1);
	rec_set(r, key, eq + 1, strlen(eq + 1));
}

static void
test_put(void)
{
	struct buf out = { NULL, 0, 0 };
	struct rec r;
	char name[64];
	size_t i, k;

	rec_init(&r);
	for (i = 0; i < sizeof(puts_) / sizeof(puts_[0]); i++) {
		if (rec_read(&r, puts_[i].line, strlen(puts_[i].line),
		    puts_[i].flags, NULL, 0)) {
			check(puts_[i].line, NULL, 0, "read");
			continue;
		}
		for (k = 0; k < 4 && puts_[i].edits[k]; k++)
			edit(&r, puts_[i].edits[k]);
		buf_reset(&out);
		rec_put(&r, &out);
		snprintf(name, sizeof(name), "put %zu", i);
		check(name, out.s, out.len, puts_[i].want);
	}
	rec_free(&r);
	buf_free(&out);
}

static void
get(struct rec *r, const char *line, const char *key, const char *want)
{
	const char *v;
	size_t vn;

	if (rec_read(r, line, strlen(line), 0, NULL, 0) ||
	    rec_get(r, key, &v, &vn))
		v = NULL;
	check(key, v, vn, want);
}

static void
test_get(void)
{
	static const char esc[] = "{\"t\\u0069tle\":\"x\\u00e9\",\"n\":12345678901234567890123,\"a\":{\"b\":[1,2.50]}}";
	struct buf s = { NULL, 0, 0 };
	struct path *p = path_parse(".a.b[-1]", NULL, 0);
	const char *v;
	size_t vn;
	struct rec r;
	char err[256];

	rec_init(&r);
	get(&r, "{\"id\":\"x\",\"n\":1.0}", "n", "1.0");
	get(&r, "{\"id\":\"x\",\"n\":1.0}", "m", NULL);
	get(&r, "{\"a\":1,\"a\":2}", "a", "2");
	get(&r, esc, "title", "\"x\xc3\xa9\"");	/* from the tree, written anew */
	get(&r, esc, "n", "12345678901234567890123");
	v = rec_string(&r, "title", &s) ? s.s : NULL;
	check("string", v, s.len, "x\xc3\xa9");
	if (rec_path(&r, p, &v, &vn))
		v = NULL;
	check("tree path", v, vn, "2.5");
	rec_read(&r, esc + 0, 0, 0, NULL, 0);
	get(&r, "{\"a\":{\"b\":[1, 2.50 ]}}", "a", "{\"b\":[1, 2.50 ]}");
	if (rec_path(&r, p, &v, &vn))
		v = NULL;
	check("text path", v, vn, "2.50");
	check("tree", json_is_object(rec_tree(&r)) ? "object" : NULL, 6, "object");
	ncases++;
	if (rec_read(&r, "[1]", 3, 0, err, sizeof(err)) != -1 ||
	    strcmp(err, "not a JSON object (array)")) {
		printf("test-rec: an array read as a record\n");
		nfail++;
	}
	ncases++;
	if (rec_read(&r, "{\"a\":", 5, 0, err, sizeof(err)) != -1) {
		printf("test-rec: a broken line read as a record\n");
		nfail++;
	}
	path_free(p);
	buf_free(&s);
	rec_free(&r);
}

/* rec_pick: the members asked for, in the record's order, from the text or
 * the tree; REC_TRUSTED reads a line without checking it again. */
static void
test_pick(void)
{
	static const char *const keys[] = { "b", "a", "zz" };
	static const char *const lines[][2] = {
		{ "{\"a\":1,\"c\":[2],\"b\":{\"x\":null},\"a\":3}", "{\"a\": 3, \"b\": {\"x\": null}}" },
		{ "{\"\\u0061\":1,\"c\":2,\"b\":\"s\"}", "{\"a\": 1, \"b\": \"s\"}" },
		{ "{}", "{}" },
	};
	struct rec r;
	size_t i;
	char *got;
	json_t *o;

	rec_init(&r);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		rec_read(&r, lines[i][0], strlen(lines[i][0]), 0, NULL, 0);
		o = rec_pick(&r, keys, 3);
		got = json_dumps(o, JSON_PRESERVE_ORDER);
		check("pick", got, strlen(got), lines[i][1]);
		free(got);
		json_decref(o);
	}
	rec_read(&r, "{\"a\":1}", 7, REC_TRUSTED, NULL, 0);
	o = rec_pick(&r, keys, 3);
	got = json_dumps(o, 0);
	check("trusted", got, strlen(got), "{\"a\": 1}");
	free(got);
	json_decref(o);
	rec_free(&r);
}

int
main(void)
{
	test_put();
	test_get();
	test_pick();
	if (nfail)
		return 1;
	printf("test-rec: %d cases ok\n", ncases);
	return 0;
}
