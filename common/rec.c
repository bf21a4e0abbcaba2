/* rec.c: one record, read lazily and written back with its edits (rec.h). */
#include <string.h>

#include "jb.h"
#include "jscan.h"
#include "jsonl.h"
#include "jw.h"
#include "path.h"
#include "rec.h"
#include "util.h"

void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
}

int
rec_read(struct rec *r, const char *s, size_t n, int flags, char *err,
    size_t errlen)
{
	const char *v;
	size_t vn;

	json_decref(r->tree);
	r->tree = NULL;
	r->s = s;
	r->n = n;
	r->anew = flags & REC_PARSE;
	r->located = 0;
	r->ned = 0;
	buf_reset(&r->edits);
	r->hint_r = -2;
	if (flags & REC_TRUSTED && !r->anew)
		return 0;
	/* jscan checks the whole line to answer any question */
	if (!r->anew && r->hint && (r->hint_r = path_scan(r->hint, s, n,
	    &r->hint_v, &r->hint_vn)) != -2)
		return 0;
	if (!r->anew && !r->hint && jscan_find(s, n, "id", &v, &vn) != -2)
		return 0;
	return (r->tree = jsonl_load(s, n, err, errlen)) ? 0 : -1;
}

static void
locate(struct rec *r)
{
	const char *obj = jskip_ws(r->s, r->s + r->n);

	if (!r->located)
		r->nm = jwalk_members(obj, r->n - (size_t)(obj - r->s), &r->m,
		    &r->capm);
	r->located = 1;
}

/* v written from the tree into r->val */
static int
from_tree(struct rec *r, const json_t *v, const char **out, size_t *vn)
{
	if (!v)
		return -1;
	buf_reset(&r->val);
	jsonl_put(&r->val, v);
	*out = r->val.s;
	*vn = r->val.len;
	return 0;
}

int
rec_get(struct rec *r, const char *key, const char **v, size_t *vn)
{
	const struct jwalk_member *m;

	if (r->tree)
		return from_tree(r, json_object_get(r->tree, key), v, vn);
	locate(r);
	if (!(m = jwalk_find(r->m, r->nm, key, strlen(key))))
		return -1;
	*v = m->val;
	*vn = m->vlen;
	return 0;
}

void
rec_hint(struct rec *r, const struct path *p)
{
	long index;
	size_t klen;

	/* path_scan cannot answer for "." or an index on the record */
	r->hint = p && path_nsteps(p) && path_step(p, 0, &index, &klen) ? p :
	    NULL;
}

int
rec_path(struct rec *r, const struct path *p, const char **v, size_t *vn)
{
	if (p == r->hint && r->hint_r != -2) {
		*v = r->hint_v;
		*vn = r->hint_vn;
		return r->hint_r;
	}
	if (r->tree)
		return from_tree(r, path_get(p, r->tree), v, vn);
	locate(r);
	return jwalk_get(p, r->s, r->n, r->m, r->nm, v, vn, &r->sub,
	    &r->capsub);
}

int
rec_string(struct rec *r, const char *key, struct buf *out)
{
	const char *v;
	size_t vn;

	buf_reset(out);
	if (rec_get(r, key, &v, &vn) || *v != '"')
		return 0;
	return jscan_unescape(v, vn, out) >= 0;
}

json_t *
rec_tree(struct rec *r)
{
	if (!r->tree)	/* jscan checked the text: jb can build it */
		r->tree = jb_value(r->s, r->n);
	return r->tree;
}

/* The one of keys[0..nkeys) that key[0..klen) is, or NULL. */
static const char *
picked(const char *const *keys, size_t nkeys, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < nkeys; i++)	/* the first byte rules out most */
		if (keys[i][0] == (klen ? key[0] : '\0') &&
		    !strncmp(keys[i], key, klen) && !keys[i][klen])
			return keys[i];
	return NULL;
}

json_t *
rec_pick(struct rec *r, const char *const *keys, size_t nkeys)
{
	json_t *obj = json_object(), *v;
	const char *k, *key;
	size_t i;

	if (r->tree) {
		json_object_foreach(r->tree, key, v)
			if (picked(keys, nkeys, key, strlen(key)))
				json_object_set_nocheck(obj, key, v);
		return obj;
	}
	locate(r);
	for (i = 0; i < r->nm; i++)
		if ((k = picked(keys, nkeys, r->m[i].key, r->m[i].klen)))
			json_object_set_new_nocheck(obj, k,
			    jb_value(r->m[i].val, r->m[i].vlen));
	return obj;
}

/* ---- edits ---- */

static const char *
edit_key(const struct rec *r, const struct rec_edit *e)
{
	return r->edits.s + e->key;
}

/* The edit of key[0..klen), or NULL. */
static struct rec_edit *
edit_of(const struct rec *r, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < r->ned; i++)
		if (r->ed[i].klen == klen &&
		    !memcmp(edit_key(r, &r->ed[i]), key, klen))
			return &r->ed[i];
	return NULL;
}

/* A new edit of key, in the order edits are made; an old one goes. */
static struct rec_edit *
new_edit(struct rec *r, const char *key, int *was_deleted)
{
	size_t klen = strlen(key);
	struct rec_edit *e = edit_of(r, key, klen);

	*was_deleted = 0;
	if (e) {
		*was_deleted = e->vlen == 0 || e->last;
		memmove(e, e + 1, (size_t)(r->ed + r->ned - e - 1) * sizeof(*e));
		r->ned--;
	}
	if (r->ned == r->caped) {
		r->caped = r->caped ? 2 * r->caped : 4;
		r->ed = erealloc(r->ed, r->caped * sizeof(*r->ed));
	}
	e = &r->ed[r->ned++];
	e->klen = klen;
	e->key = r->edits.len;
	buf_put(&r->edits, key, e->klen + 1);
	return e;
}

void
rec_set(struct rec *r, const char *key, const char *json, size_t n)
{
	int was_deleted;
	struct rec_edit *e = new_edit(r, key, &was_deleted);

	e->last = was_deleted;
	e->val = r->edits.len;
	e->vlen = n;
	buf_put(&r->edits, json, n);
}

void
rec_del(struct rec *r, const char *key)
{
	int was_deleted;
	struct rec_edit *e = new_edit(r, key, &was_deleted);

	e->last = 0;
	e->val = 0;
	e->vlen = 0;
}

/* ---- writing ---- */

/* Is key[0..klen) a member of the record as it came? */
static int
present(struct rec *r, const char *key, size_t klen)
{
	if (r->tree)
		return json_object_getn(r->tree, key, klen) != NULL;
	return jwalk_find(r->m, r->nm, key, klen) != NULL;
}

/* The members set that the record did not have (or that were deleted
 * first), each after a comma unless it is the first member written. */
static void
put_new(struct rec *r, struct buf *out, int first)
{
	const struct rec_edit *e;
	size_t i;

	for (i = 0; i < r->ned; i++) {
		e = &r->ed[i];
		if (!e->vlen || (!e->last &&
		    present(r, edit_key(r, e), e->klen)))
			continue;
		if (!first)
			buf_putc(out, ',');
		first = 0;
		jw_put_string(out, edit_key(r, e), e->klen);
		buf_putc(out, ':');
		buf_put(out, r->edits.s + e->val, e->vlen);
	}
}

/* Where the record's closing brace is. */
static size_t
closing(const struct rec *r)
{
	size_t i = r->n;

	while (i > 0 && r->s[i - 1] != '}')
		i--;
	return i - 1;
}

/* Is m the first member of its name? (the place a key given twice keeps) */
static int
first_of_name(const struct rec *r, const struct jwalk_member *m)
{
	const struct jwalk_member *k;

	for (k = r->m; k < m; k++)
		if (k->klen == m->klen && !memcmp(k->key, m->key, m->klen))
			return 0;
	return 1;
}

/* The line with its edits spliced in: see rec.h. */
static void
put_text(struct rec *r, struct buf *out)
{
	const struct jwalk_member *m;
	const struct rec_edit *e;
	const char *end = r->s + closing(r), *prev = NULL;
	size_t i;

	buf_put(out, r->s, (size_t)((r->nm ? r->m[0].start : end) - r->s));
	for (i = 0; i < r->nm; i++) {
		m = &r->m[i];
		e = edit_of(r, m->key, m->klen);
		if (e && (!e->vlen || e->last || !first_of_name(r, m)))
			continue;
		if (prev)	/* the separator that came before m */
			buf_put(out, r->m[i - 1].val + r->m[i - 1].vlen,
			    (size_t)(m->start - (r->m[i - 1].val +
			    r->m[i - 1].vlen)));
		if (e) {
			buf_put(out, m->start, (size_t)(m->val - m->start));
			buf_put(out, r->edits.s + e->val, e->vlen);
		} else {
			buf_put(out, m->start,
			    (size_t)(m->val + m->vlen - m->start));
		}
		prev = m->start;
	}
	if (r->nm)
		buf_put(out, r->m[r->nm - 1].val + r->m[r->nm - 1].vlen,
		    (size_t)(end - (r->m[r->nm - 1].val + r->m[r->nm - 1].vlen)));
	put_new(r, out, !prev);
	buf_put(out, end, (size_t)(r->s + r->n - end));
}

/* Does an edit change a member the record has? */
static int
touched(struct rec *r)
{
	size_t i;

	for (i = 0; i < r->ned; i++)
		if (present(r, edit_key(r, &r->ed[i]), r->ed[i].klen))
			return 1;
	return 0;
}

/* The tree with its edits, written anew. */
static void
put_tree(struct rec *r, struct buf *out)
{
	const struct rec_edit *e;
	const char *key;
	json_t *v;
	int first = 1;

	buf_putc(out, '{');
	json_object_foreach(r->tree, key, v) {
		e = edit_of(r, key, strlen(key));
		if (e && (!e->vlen || e->last))
			continue;
		if (!first)
			buf_putc(out, ',');
		first = 0;
		jw_put_string(out, key, strlen(key));
		buf_putc(out, ':');
		if (e)
			buf_put(out, r->edits.s + e->val, e->vlen);
		else
			jsonl_put(out, v);
	}
	put_new(r, out, first);
	buf_putc(out, '}');
}

void
rec_put(struct rec *r, struct buf *out)
{
	size_t end;
	int empty;

	if (!r->tree)
		locate(r);
	if (r->tree && (r->anew || touched(r))) {
		put_tree(r, out);
	} else if (!r->tree && touched(r)) {
		put_text(r, out);
	} else {	/* only new members: the line as it came, and them */
		empty = r->tree ? json_object_size(r->tree) == 0 : r->nm == 0;
		end = closing(r);
		buf_put(out, r->s, end);
		put_new(r, out, empty);
		buf_put(out, r->s + end, r->n - end);
	}
}

void
rec_free(struct rec *r)
{
	json_decref(r->tree);
	free(r->m);
	free(r->sub);
	free(r->ed);
	buf_free(&r->edits);
	buf_free(&r->val);
	rec_init(r);
}
