/* keys.c: the keys of the current record (keys.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "jsonw.h"
#include "keys.h"
#include "normtitle.h"
#include "util.h"

static struct buf tmp;	/* a string value decoded, a number's text */

void
keys_reset(struct keys *k)
{
	k->n = 0;
	k->has_title = 0;
	buf_reset(&k->b);
	buf_grow(&k->b, 256);
}

void
keys_begin(struct keys *k, uint32_t tag)
{
	k->k[k->n].tag = tag;
	k->k[k->n].off = k->b.len;
}

void
keys_end(struct keys *k)
{
	k->k[k->n].len = k->b.len - k->k[k->n].off;
	if (k->k[k->n].len)
		k->n++;
}

void
keys_drop(struct keys *k)
{
	k->b.len = k->k[k->n].off;
	k->b.s[k->b.len] = '\0';
}

int
keys_title(struct keys *k, uint32_t tag, const char *prefix, const char *s,
    size_t n, int generic)
{
	size_t start;

	keys_begin(k, tag);
	buf_puts(&k->b, prefix);
	start = k->b.len;
	if (title_norm(&k->b, s, n) < KEYS_MINWORDS ||
	    (generic && title_generic(k->b.s + start))) {
		keys_drop(k);
		return 0;
	}
	keys_end(k);
	return 1;
}

void
keys_real(struct buf *b, double d)
{
	char s[JW_REAL_BUFSZ];
	size_t n;

	jw_format_real(d, s);	/* the one writer of numbers; 1.0 is the key 1 */
	n = strlen(s);
	if (n > 2 && !strcmp(s + n - 2, ".0"))
		n -= 2;
	buf_put(b, s, n);
}

void
keys_number(struct buf *b, const char *v, size_t n)
{
	char *end;

	buf_reset(&tmp);
	buf_put(&tmp, v, n);
	if (strpbrk(tmp.s, ".eE"))
		keys_real(b, strtod(tmp.s, &end));
	else
		buf_printf(b, "%lld", strtoll(tmp.s, &end, 10));
}

static void
title_key(struct keys *k, uint32_t tag, const char *s, size_t n)
{
	if (keys_title(k, tag, "", s, n, 0))
		k->has_title = 1;
}

/* A key from the raw text of a value: strings decoded, numbers by value,
 * anything else (null, true, arrays, objects) is no key. */
static void
raw_key(struct keys *k, uint32_t tag, int title, const char *v, size_t n)
{
	if (*v == '"') {
		if (jscan_string(v, n, &tmp) <= 0)
			return;
		if (title) {
			title_key(k, tag, tmp.s, tmp.len);
			return;
		}
		keys_begin(k, tag);
		buf_put(&k->b, tmp.s, tmp.len);
		keys_end(k);
	} else if (*v == '-' || (*v >= '0' && *v <= '9')) {
		keys_begin(k, tag);
		keys_number(&k->b, v, n);
		keys_end(k);
	}
}

static void
json_key(struct keys *k, uint32_t tag, int title, const json_t *v)
{
	const char *s;
	size_t n;

	if ((s = jsonl_number(v, &n))) {	/* beyond a double: by its text */
		keys_begin(k, tag);
		buf_put(&k->b, s, n);
		keys_end(k);
	} else if (json_is_string(v)) {
		if (title) {
			title_key(k, tag, json_string_value(v), json_string_length(v));
			return;
		}
		keys_begin(k, tag);
		buf_put(&k->b, json_string_value(v), json_string_length(v));
		keys_end(k);
	} else if (json_is_integer(v)) {
		keys_begin(k, tag);
		buf_printf(&k->b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		keys_end(k);
	} else if (json_is_real(v)) {
		keys_begin(k, tag);
		keys_real(&k->b, json_real_value(v));
		keys_end(k);
	}
}

int
keys_at_paths(struct keys *k, const struct keypaths *kp, const struct jsonl *in)
{
	char err[256];
	json_t *j = NULL;
	const char *v;
	size_t i, n = kp->n + (kp->title != NULL), vn;
	struct path *p;
	uint32_t tag;
	int r, title;

	keys_reset(k);
	for (i = 0; i < n; i++) {
		title = i == kp->n;
		p = title ? kp->title : kp->p[i];
		tag = title ? kp->title_tag : kp->tag[i];
		r = j ? -2 : path_scan(p, in->line, in->len, &v, &vn);
		if (r == -2 && !j && !(j = jsonl_parse(in, err, sizeof(err)))) {
			wlineprintf(in->name, in->lineno, "%s", err);
			return -1;
		}
		if (j)
			json_key(k, tag, title, path_get(p, j));
		else if (r == 0)
			raw_key(k, tag, title, v, vn);
	}
	json_decref(j);
	return 0;
}
