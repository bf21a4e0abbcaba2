/* merge.c: dedup --merge, the folding of duplicates into the first record
 * of their group (see merge.h). */
#include <string.h>

#include "buf.h"
#include "fields.h"
#include "jsonl.h"
#include "merge.h"

static int
rank(const json_t *type)
{
	static const char *const order[] = { "new", "cross", "replace",
	    "replace-cross" };
	size_t i;

	for (i = 0; json_is_string(type) && i < 4; i++)
		if (!strcmp(json_string_value(type), order[i]))
			return (int)i;
	return 4;
}

/* A string's text; NULL for anything else, raw numbers too. */
static const char *
text(const json_t *v)
{
	return jsonl_number(v, NULL) ? NULL : json_string_value(v);
}

static void
add_unique(json_t *arr, const char *s)
{
	const char *e;
	size_t i;

	for (i = 0; i < json_array_size(arr); i++)
		if ((e = text(json_array_get(arr, i))) && !strcmp(e, s))
			return;
	json_array_append_new(arr, json_string(s));
}

static const char *
str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s && *s ? s : NULL;
}

/* Where a record appeared: its feed's name, else its link. */
static const char *
where(const json_t *r)
{
	const char *s = str(json_object_get(r, F_FEED), F_FEED_NAME);

	return s ? s : str(r, F_LINK);
}

void
merge_fold(json_t *m, json_t *d, json_t *also)
{
	json_t *mc = json_object_get(m, F_CATEGORIES);
	json_t *dc = json_object_get(d, F_CATEGORIES);
	json_t *ma = json_object_get(m, F_ARXIV);
	json_t *da = json_object_get(d, F_ARXIV);
	json_t *v, *w;
	const char *s;
	size_t i;

	if (json_is_array(mc) && json_is_array(dc))
		for (i = 0; i < json_array_size(dc); i++)
			if ((s = text(json_array_get(dc, i))))
				add_unique(mc, s);
	if (json_is_object(ma) && json_is_object(da)) {
		v = json_object_get(da, F_ARXIV_ANNOUNCE);
		if (json_is_string(v) && rank(v) < rank(json_object_get(ma,
		    F_ARXIV_ANNOUNCE)))
			json_object_set(ma, F_ARXIV_ANNOUNCE, v);
		v = json_object_get(da, F_ARXIV_VERSION);
		w = json_object_get(ma, F_ARXIV_VERSION);
		if (json_is_integer(v) && (!json_is_integer(w) ||
		    json_integer_value(v) > json_integer_value(w)))
			json_object_set(ma, F_ARXIV_VERSION, v);
		json_object_update_missing(ma, da);
	}
	if ((s = where(d)))
		add_unique(also, s);
	v = json_object_get(d, F_ALSO);
	for (i = 0; i < json_array_size(v); i++)
		if ((s = text(json_array_get(v, i))))
			add_unique(also, s);
	/* what the first lacks: a journal version's doi and journal */
	json_object_update_missing(m, d);
}

void
merge_finish(json_t *m, json_t *also)
{
	const char *self = where(m), *link = str(m, F_LINK), *s, *p;
	json_t *cats = json_object_get(m, F_CATEGORIES), *old, *v;
	size_t i;

	old = json_object_get(m, F_ALSO);
	if (!json_is_array(old)) {
		old = json_array();
		json_object_set_new(m, F_ALSO, old);
	}
	for (i = 0; i < json_array_size(also); i++) {
		s = json_string_value(json_array_get(also, i));
		if ((!self || strcmp(s, self)) && (!link || strcmp(s, link)))
			add_unique(old, s);
	}
	if (!json_array_size(old))
		json_object_del(m, F_ALSO);
	/* the primary category first */
	p = str(json_object_get(m, F_ARXIV), F_ARXIV_PRIMARY);
	for (i = 1; p && i < json_array_size(cats); i++) {
		s = json_string_value(json_array_get(cats, i));
		if (s && !strcmp(s, p)) {
			v = json_incref(json_array_get(cats, i));
			json_array_remove(cats, i);
			json_array_insert_new(cats, 0, v);
			break;
		}
	}
}

void
merge_members(json_t *m, const char *extra)
{
	struct buf b = { NULL, 0, 0 };
	json_t *x;

	if (!extra)
		return;
	buf_printf(&b, "{%s}", extra);
	if ((x = json_loads(b.s, 0, NULL)))
		json_object_update(m, x);
	json_decref(x);
	buf_free(&b);
}
