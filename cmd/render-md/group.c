/* group.c: records in groups, named by the first of some fields a record
 * has, each with an anchor of its own; see group.h. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "group.h"
#include "jw.h"
#include "view.h"

void
group_init(struct group_set *gs)
{
	gs->map = json_object();
	gs->list = json_array();
	gs->anchors = json_object();
	gs->anchorbase = json_object();
}

static json_t *
group_name(const struct group_set *gs, json_t *rec)
{
	json_t *v, *name;
	size_t i;
	char num[64];

	for (i = 0; i < gs->nby; i++) {
		v = path_get(gs->by[i], rec);
		if (json_is_string(v)) {
			if ((name = view_one_line(v)) && json_string_length(name))
				return name;
			json_decref(name);
		} else if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			return json_string(num);
		} else if (json_is_real(v)) {
			jw_format_real(json_real_value(v), num);	/* as {{k}} shows it */
			return json_string(num);
		} else if (json_is_boolean(v)) {
			return json_string(json_is_true(v) ? "true" : "false");
		}
	}
	return json_string("Other");
}

/* A fragment id for a group: letters, digits, . _ - and non-ASCII kept,
 * the rest '-'; made unique with -2, -3, ... Each base remembers the last
 * number it tried: anchors are never freed, so the search goes on from
 * there and many names with one base cost no more than one each. */
static json_t *
make_anchor(struct group_set *gs, const char *name)
{
	struct buf a = { NULL, 0, 0 };
	size_t base;
	json_int_t k;
	const unsigned char *p;
	json_t *v, *next;

	for (p = (const unsigned char *)name; *p; p++)
		buf_putc(&a, (char)((*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("._-", *p)) ? *p : '-'));
	if (!a.len)
		buf_puts(&a, "group");
	base = a.len;
	next = json_object_get(gs->anchorbase, a.s);
	k = next ? json_integer_value(next) : 2;
	if (next || json_object_get(gs->anchors, a.s) || !strcmp(a.s, "toc")) {
		do {
			a.len = base;
			a.s[base] = '\0';
			buf_printf(&a, "-%" JSON_INTEGER_FORMAT, k++);
		} while (json_object_get(gs->anchors, a.s) || !strcmp(a.s, "toc"));
		a.s[base] = '\0';
		json_object_set_new(gs->anchorbase, a.s, json_integer(k));
		a.s[base] = '-';
	} else {
		json_object_set_new(gs->anchorbase, a.s, json_integer(2));
	}
	json_object_set_new(gs->anchors, a.s, json_true());
	v = json_string(a.s);
	buf_free(&a);
	return v;
}

json_t *
group_find(struct group_set *gs, json_t *rec)
{
	json_t *name = group_name(gs, rec), *g;
	const char *s = json_string_value(name);

	if (!(g = json_object_get(gs->map, s))) {
		g = json_object();
		json_object_set_nocheck(g, "name", name);
		json_object_set_new_nocheck(g, "anchor", make_anchor(gs, s));
		json_object_set_new_nocheck(g, "records", json_array());
		json_object_set_new(gs->map, s, g);
		json_array_append(gs->list, g);
	}
	json_decref(name);
	return g;
}

void
group_label(json_t *rec, json_t *g)
{
	json_object_set_nocheck(rec, "group", json_object_get(g, "name"));
	json_object_set_nocheck(rec, "anchor", json_object_get(g, "anchor"));
}

/* The groups, those named in order[0..norder) first, in that order, then
 * the others as they came; each with its count. */
json_t *
group_sorted(struct group_set *gs, char **order, size_t norder)
{
	json_t *sorted = json_array(), *g;
	size_t i;

	for (i = 0; i < norder; i++)
		if ((g = json_object_get(gs->map, order[i])) && !json_object_get(g, "count")) {
			json_object_set_new_nocheck(g, "count", json_integer(0));
			json_array_append(sorted, g);
		}
	json_array_foreach(gs->list, i, g)
		if (!json_object_get(g, "count"))
			json_array_append(sorted, g);
	json_array_foreach(sorted, i, g)
		json_object_set_new_nocheck(g, "count",
		    json_integer((json_int_t)json_array_size(json_object_get(g, "records"))));
	return sorted;
}

void
group_free(struct group_set *gs)
{
	size_t i;

	json_decref(gs->map);
	json_decref(gs->list);
	json_decref(gs->anchors);
	json_decref(gs->anchorbase);
	for (i = 0; i < gs->nby; i++)
		path_free(gs->by[i]);
}
