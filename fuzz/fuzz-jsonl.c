/* fuzz-jsonl: JSON Lines records through the reader, jscan, field paths
 * and the lazy record. rec must agree with jansson: it reads the lines
 * jsonl_parse reads, finds the values it finds, and a record written with
 * edits reads back as the tree with the same edits. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "jsonl.h"
#include "path.h"
#include "rec.h"

/* A string member decodes to the tree's string three ways: rec_string,
 * jscan_string (which checks) and jscan_unescape (which trusts). */
static void
check_string(struct rec *r, const char *key, const char *v, size_t vn,
    const json_t *want)
{
	static struct buf a, b, c;
	const char *ws = json_string_value(want);
	size_t wn = json_string_length(want);

	if (!rec_string(r, key, &a) || a.len != wn || memcmp(a.s, ws, wn))
		abort();
	if (jscan_string(v, vn, &b) != (long)wn || memcmp(b.s, ws, wn))
		abort();
	if (jscan_unescape(v, vn, &c) != (long)wn || memcmp(c.s, ws, wn))
		abort();
}

/* rec_get's text of key reads back as the tree's value (read as jsonl
 * reads a record, so that numbers jansson cannot hold compare as text) */
static void
check_get(struct rec *r, json_t *tree, const char *key)
{
	struct buf wrap = { NULL, 0, 0 };
	json_t *want = json_object_get(tree, key), *got;
	const char *v;
	size_t vn;

	if ((rec_get(r, key, &v, &vn) == 0) != (want != NULL))
		abort();
	if (!want)
		return;
	buf_puts(&wrap, "{\"v\":");
	buf_put(&wrap, v, vn);
	buf_putc(&wrap, '}');
	got = jsonl_load(wrap.s, wrap.len, NULL, 0);
	if (!got || !json_equal(json_object_get(got, "v"), want))
		abort();
	json_decref(got);
	buf_free(&wrap);
	if (*v == '"')	/* not a number jsonl keeps raw as a string */
		check_string(r, key, v, vn, want);
}

/* The same edits on rec and on a copy of the tree agree. */
static void
check_edits(struct rec *r, json_t *tree)
{
	struct buf out = { NULL, 0, 0 };
	json_t *want = json_deep_copy(tree), *got;

	rec_del(r, "tags");
	json_object_del(want, "tags");
	rec_set(r, "id", "\"new\"", 5);
	json_object_set_new(want, "id", json_string("new"));
	rec_del(r, "title");
	rec_set(r, "title", "[1]", 3);
	json_object_del(want, "title");
	json_object_set_new(want, "title", json_pack("[i]", 1));
	rec_set(r, "zz", "{}", 2);
	json_object_set_new(want, "zz", json_object());
	rec_put(r, &out);
	if (!(got = jsonl_load(out.s, out.len, NULL, 0)) || !json_equal(got, want))
		abort();
	json_decref(got);
	json_decref(want);
	buf_free(&out);
}

/* rec_pick holds what the tree holds of those members */
static void
check_pick(struct rec *r, json_t *tree)
{
	static const char *const keys[] = { "id", "title", "a" };
	json_t *got = rec_pick(r, keys, 3), *want = json_object(), *v;
	size_t i;

	for (i = 0; i < 3; i++)
		if ((v = json_object_get(tree, keys[i])))
			json_object_set(want, keys[i], v);
	if (!json_equal(got, want))
		abort();
	json_decref(got);
	json_decref(want);
}

static void
check_rec(const struct jsonl *l, json_t *tree, int flags)
{
	static struct rec r;

	if ((rec_read(&r, l->line, l->len, flags, NULL, 0) == 0) != (tree != NULL))
		abort();
	if (!tree)
		return;
	check_get(&r, tree, "id");
	check_get(&r, tree, "title");
	check_get(&r, tree, "a");
	check_pick(&r, tree);
	check_edits(&r, tree);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "id", ".arxiv.primary", ".categories[0]",
	                                      ".categories[-1]", ".feed.name", ".\"a b\"" };
	struct jsonl r;
	char err[256];
	FILE *fp = size ? fmemopen((void *)data, size, "r") : NULL;
	FILE *null = fopen("/dev/null", "w");
	size_t i;

	if (!fp)
		return 0;
	jsonl_init(&r, fp, "fuzz");
	while (jsonl_next(&r) > 0) {
		json_t *rec = jsonl_parse(&r, err, sizeof err);
		for (i = 0; i < sizeof paths / sizeof *paths; i++) {
			struct path *p = path_parse(paths[i], err, sizeof err);
			const char *val;
			size_t vlen;
			if (!p)
				continue;
			path_scan(p, r.line, r.len, &val, &vlen);
			if (rec)
				path_get(p, rec);
			path_free(p);
		}
		check_rec(&r, rec, 0);
		check_rec(&r, rec, REC_PARSE);
		if (rec) {
			jsonl_write(null, rec);
			json_decref(rec);
		}
	}
	jsonl_free(&r);
	fclose(fp);
	fclose(null);
	return 0;
}
