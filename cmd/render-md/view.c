/* view.c: a record as a template sees it: its title on one line, its link
 * and its authors' links safe URLs, and what the layouts use made from
 * the record (authors_text, category, has_details). */
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fields.h"
#include "text.h"
#include "view.h"

static struct buf scratch;

static int
prefix_ci(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n >= k && !strncasecmp(s, pre, k);
}

/* An http(s) (or, for authors, mailto) URL made safe for a Markdown link
 * destination, or NULL. */
static json_t *
safe_url(const json_t *v, int mailto)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *s;
	size_t n, i;
	unsigned char c;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	n = json_string_length(v);
	for (; n && is_space((unsigned char)*s); n--)
		s++;
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	if (!(prefix_ci(s, n, "http://") && n > 7) && !(prefix_ci(s, n, "https://") && n > 8) &&
	    !(mailto && prefix_ci(s, n, "mailto:") && n > 7))
		return NULL;
	buf_reset(&scratch);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c > 0x20 && c < 0x7f && !strchr("\"<>\\^`{|}()[]", c)) {
			buf_putc(&scratch, (char)c);
		} else {
			buf_putc(&scratch, '%');
			buf_putc(&scratch, hex[c >> 4]);
			buf_putc(&scratch, hex[c & 15]);
		}
	}
	return json_stringn_nocheck(scratch.s, scratch.len);
}

json_t *
view_one_line(const json_t *v)
{
	if (!json_is_string(v))
		return NULL;
	buf_reset(&scratch);
	text_line(&scratch, json_string_value(v), json_string_length(v));
	return json_stringn_nocheck(buf_str(&scratch), scratch.len);
}

/* An author's name on one line and URL (or NULL): new references. */
static void
author(json_t *el, json_t **name, json_t **url)
{
	json_t *o;

	*url = NULL;
	if (!json_is_object(el)) {
		*name = view_one_line(el);
		return;
	}
	*name = view_one_line(json_object_get(el, "name"));
	*url = safe_url(json_object_get(el, "url"), 1);
	o = json_object_get(el, "email");
	if (!*url && json_is_string(o)) {
		o = json_pack("s++", "mailto:", json_string_value(o), "");
		*url = safe_url(o, 1);
		json_decref(o);
	}
}

static void
derive_authors(json_t *rec, unsigned what)
{
	json_t *a = json_object_get(rec, F_AUTHORS), *out, *el, *name, *url, *o;
	struct buf text = { NULL, 0, 0 };
	size_t i;

	if (!json_is_array(a)) {
		json_object_del(rec, F_AUTHORS);
		return;
	}
	out = json_array();
	json_array_foreach(a, i, el) {
		author(el, &name, &url);
		if (name && json_string_length(name) && (what & VIEW_AUTHORS)) {
			o = json_object();
			json_object_set_nocheck(o, "name", name);
			if (url)
				json_object_set_nocheck(o, "url", url);
			json_array_append_new(out, o);
		}
		if (name && json_string_length(name) && (what & VIEW_AUTHORS_TEXT)) {
			if (text.len)
				buf_puts(&text, ", ");
			buf_put(&text, json_string_value(name), json_string_length(name));
		}
		json_decref(name);
		json_decref(url);
	}
	if (text.len)
		json_object_set_new_nocheck(rec, "authors_text", json_stringn_nocheck(text.s, text.len));
	if ((what & VIEW_AUTHORS) && json_array_size(out))
		json_object_set_nocheck(rec, F_AUTHORS, out);
	else
		json_object_del(rec, F_AUTHORS);
	json_decref(out);
	buf_free(&text);
}

void
view_derive(json_t *rec, unsigned what)
{
	json_t *v, *ai;

	v = view_one_line(json_object_get(rec, F_TITLE));
	json_object_set_new_nocheck(rec, F_TITLE, v ? v : json_string(""));
	if ((v = safe_url(json_object_get(rec, F_LINK), 0)))
		json_object_set_new_nocheck(rec, F_LINK, v);
	else
		json_object_del(rec, F_LINK);
	if (what & (VIEW_AUTHORS | VIEW_AUTHORS_TEXT))
		derive_authors(rec, what);
	v = json_object_get(json_object_get(rec, F_ARXIV), F_ARXIV_PRIMARY);
	if (!json_is_string(v))
		v = json_array_get(json_object_get(rec, F_CATEGORIES), 0);
	if ((v = view_one_line(v)) && json_string_length(v))
		json_object_set_new_nocheck(rec, "category", v);
	else
		json_decref(v);
	ai = json_object_get(rec, F_AI);
	if (json_is_object(ai) && (v = view_one_line(json_object_get(ai, "title"))))
		json_object_set_new_nocheck(ai, "title", v);
	if (json_is_object(ai) && (json_object_get(ai, "motivation") ||
	    json_object_get(ai, "method") || json_object_get(ai, "result") ||
	    json_object_get(ai, "conclusion")))
		json_object_set_new_nocheck(rec, "has_details", json_true());
	else if (json_is_string(json_object_get(rec, F_SUMMARY)))
		json_object_set_new_nocheck(rec, "has_details", json_true());
}

void
view_free(void)
{
	buf_free(&scratch);
}
