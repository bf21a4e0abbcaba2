/* keys.c: the keys of the current record (keys.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "jsonl.h"
#include "jw.h"
#include "keys.h"
#include "title.h"
#include "rec.h"
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

static void
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

	if (jsonl_is_raw(v, n)) {	/* beyond a double: by its text */
		buf_put(b, v, n);
		return;
	}
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
		if (jscan_unescape(v, n, &tmp) <= 0)
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

void
keys_at_paths(struct keys *k, const struct keypaths *kp, struct rec *r)
{
	const char *v;
	size_t i, n = kp->n + (kp->title != NULL), vn;
	int title;

	keys_reset(k);
	for (i = 0; i < n; i++) {
		title = i == kp->n;
		if (!rec_path(r, title ? kp->title : kp->p[i], &v, &vn))
			raw_key(k, title ? kp->title_tag : kp->tag[i], title, v,
			    vn);
	}
}
