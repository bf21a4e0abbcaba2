/* fuzz-path: any text as a field path, looked up in a fixed record. The
 * canonical form of a path parses to itself, and jwalk (the text walker,
 * which takes its steps from path_parse) finds what path_scan finds:
 * abort() if not. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jwalk.h"
#include "path.h"

/* The canonical form of p parses, and is its own canonical form. */
static void
check_canon(const struct path *p)
{
	struct buf a = { 0 }, b = { 0 };
	struct path *q;

	path_canon(p, &a);
	if (!(q = path_parse(buf_str(&a), NULL, 0)))
		abort();
	path_canon(q, &b);
	if (a.len != b.len || memcmp(a.s, b.s, a.len))
		abort();
	path_free(q);
	buf_free(&a);
	buf_free(&b);
}

/* jwalk_get agrees with path_scan wherever path_scan answers. */
static void
check_walk(const char *text, const char *rec, size_t n, int r,
    const char *val, size_t vlen)
{
	struct jwalk_member *m = NULL, *sub = NULL;
	struct path *w = path_parse(text, NULL, 0);
	size_t cap = 0, nm = jwalk_members(rec, n, &m, &cap), wlen, subcap = 0;
	const char *wval;
	int wr = jwalk_get(w, rec, n, m, nm, &wval, &wlen, &sub, &subcap);

	if (r != -2 && (wr != r || (!r && (wlen != vlen || wval != val))))
		abort();
	path_free(w);
	free(m);
	free(sub);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char rec[] = "{\"id\":\"x\",\"a\":{\"b\":[1,{\"c\":\"d\"}]},\"categories\":[\"q\"]}";
	static json_t *root;
	char err[256], *text = malloc(size + 1);
	struct path *p;
	const char *val;
	size_t vlen;
	int r;

	if (!root)
		root = json_loads(rec, 0, NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	if ((p = path_parse(text, err, sizeof err))) {
		path_get(p, root);
		r = path_scan(p, rec, sizeof rec - 1, &val, &vlen);
		check_canon(p);
		check_walk(text, rec, sizeof rec - 1, r, val, vlen);
		path_free(p);
	}
	free(text);
	return 0;
}
