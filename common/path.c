/* path.c: jq-style field paths (record.md, "Field paths"). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jscan.h"
#include "jw.h"
#include "path.h"
#include "util.h"

struct step {
	char *key;	/* object member, or NULL for an array index */
	size_t klen;
	long index;
};

struct path {
	char *text;
	size_t nsteps;
	struct step *steps;
};

static int
isdigitc(char c)
{
	return c >= '0' && c <= '9';
}

/* Bare keys: what field names are made of. Anything else (",", "|", " ")
 * is more likely a jq expression we do not support than a key: quote it. */
static int
namechar(char c)
{
	unsigned char u = (unsigned char)c;

	return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
	    isdigitc(c) || u == '_' || u == '-' || u >= 0x80;
}

static void
unexpected(char *err, size_t errlen, const char *s, const char *p,
    const char *want)
{
	int col = (int)(p - s) + 1;
	unsigned char c = (unsigned char)*p;

	if (!c)
		snprintf(err, errlen, "column %d: unexpected end of path, "
		    "expected %s", col, want);
	else if (c < 0x20 || c >= 0x7f)
		snprintf(err, errlen, "column %d: unexpected byte 0x%02x, "
		    "expected %s", col, c, want);
	else
		snprintf(err, errlen, "column %d: unexpected '%c', expected %s",
		    col, c, want);
}

/* A JSON string at *pp: the key, decoded. */
static char *
quoted(const char **pp, const char *s, char *err, size_t errlen)
{
	const char *p = *pp, *q = p + 1;
	struct buf b = { NULL, 0, 0 };
	char *key = NULL;
	long n;

	while (*q && *q != '"')
		q += q[0] == '\\' && q[1] ? 2 : 1;
	if (!*q) {
		snprintf(err, errlen, "column %d: unterminated string",
		    (int)(p - s) + 1);
		return NULL;
	}
	if ((n = jscan_string(p, (size_t)(q + 1 - p), &b)) < 0)
		snprintf(err, errlen, "column %d: invalid string (bad escape, "
		    "control character, \\u0000 or invalid UTF-8)",
		    (int)(p - s) + 1);
	else
		key = estrndup(buf_str(&b), (size_t)n);
	buf_free(&b);
	*pp = q + 1;
	return key;
}

/* "[0]", "[-1]" or "[\"key\"]" at *pp. */
static int
bracket(const char **pp, struct step *st, const char *s, char *err,
    size_t errlen)
{
	const char *p = *pp + 1;
	long v = 0;
	int neg;

	st->key = NULL;
	st->index = 0;
	if (*p == '"') {
		if (!(st->key = quoted(&p, s, err, errlen)))
			return -1;
	} else if (*p == '-' || isdigitc(*p)) {
		if ((neg = *p == '-') && !isdigitc(*++p)) {
			unexpected(err, errlen, s, p, "a digit");
			return -1;
		}
		for (; isdigitc(*p); p++) {
			if (v > (LONG_MAX - (*p - '0')) / 10) {
				snprintf(err, errlen, "column %d: index out of "
				    "range", (int)(*pp - s) + 2);
				return -1;
			}
			v = v * 10 + (*p - '0');
		}
		st->index = neg ? -v : v;
	} else {
		unexpected(err, errlen, s, p, "an index or a quoted key");
		return -1;
	}
	if (*p != ']') {
		unexpected(err, errlen, s, p, "']'");
		free(st->key);
		return -1;
	}
	*pp = p + 1;
	return 0;
}

struct path *
path_parse(const char *s, char *err, size_t errlen)
{
	struct path *pa;
	struct step st;
	const char *p = s, *q;

	if (!err)
		errlen = 0;
	if (!*s) {
		snprintf(err, errlen, "empty path");
		return NULL;
	}
	pa = ecalloc(1, sizeof(*pa));
	pa->text = estrdup(s);
	if (!strcmp(s, "."))
		return pa;
	while (*p) {
		if (*p == '[') {
			if (bracket(&p, &st, s, err, errlen))
				goto bad;
		} else {
			if (*p == '.') {
				p++;
				if (*p == '[')	/* ".[0]", ".a.[0]" as jq 1.7 */
					continue;
			} else if (p != s) {
				unexpected(err, errlen, s, p, "'.' or '['");
				goto bad;
			}
			st.index = 0;
			if (*p == '"') {
				if (!(st.key = quoted(&p, s, err, errlen)))
					goto bad;
			} else if (namechar(*p)) {
				for (q = p; namechar(*q); q++)
					;
				st.key = estrndup(p, (size_t)(q - p));
				p = q;
			} else {
				unexpected(err, errlen, s, p, "a key");
				goto bad;
			}
		}
		st.klen = st.key ? strlen(st.key) : 0;
		pa->steps = erealloc(pa->steps,
		    (pa->nsteps + 1) * sizeof(*pa->steps));
		pa->steps[pa->nsteps++] = st;
	}
	return pa;
bad:
	path_free(pa);
	return NULL;
}

json_t *
path_get(const struct path *pa, json_t *root)
{
	const struct step *st;
	json_t *v = root;
	size_t i, size, k;

	for (i = 0; i < pa->nsteps && v; i++) {
		st = &pa->steps[i];
		if (st->key) {
			v = json_object_get(v, st->key);
			continue;
		}
		if (!json_is_array(v))
			return NULL;
		size = json_array_size(v);
		if (st->index >= 0) {
			k = (size_t)st->index;
		} else {
			if ((size_t)-st->index > size)
				return NULL;
			k = size - (size_t)-st->index;
		}
		v = json_array_get(v, k);	/* NULL if out of range */
	}
	return v;
}

int
path_scan(const struct path *pa, const char *s, size_t n,
    const char **val, size_t *vlen)
{
	const struct step *st;
	size_t i;
	int r;

	/* jscan_find checks that the root is an object; nothing else would */
	if (!pa->nsteps || !pa->steps[0].key)
		return -2;
	for (i = 0; i < pa->nsteps; i++) {
		st = &pa->steps[i];
		/* values inside s are checked already: their first byte is
		 * their type */
		if (i > 0 && *s != (st->key ? '{' : '['))
			return -1;
		if (st->key)
			r = jscan_find(s, n, st->key, &s, &n);
		else
			r = jscan_index(s, n, st->index, &s, &n);
		if (r)
			return r;
	}
	*val = s;
	*vlen = n;
	return 0;
}

const char *
path_text(const struct path *pa)
{
	return pa->text;
}

void
path_canon(const struct path *pa, struct buf *out)
{
	const struct step *st;
	size_t i, k, n;

	if (!pa->nsteps)
		buf_putc(out, '.');
	for (i = 0; i < pa->nsteps; i++) {
		st = &pa->steps[i];
		if (!st->key) {
			buf_printf(out, "[%ld]", st->index);
			continue;
		}
		n = strlen(st->key);
		for (k = 0; k < n && namechar(st->key[k]); k++)
			;
		buf_putc(out, '.');
		if (n && k == n)
			buf_put(out, st->key, n);
		else
			jw_put_string(out, st->key, n);
	}
}

size_t
path_nsteps(const struct path *pa)
{
	return pa->nsteps;
}

const char *
path_step(const struct path *pa, size_t i, long *index, size_t *klen)
{
	*index = pa->steps[i].index;
	*klen = pa->steps[i].klen;
	return pa->steps[i].key;
}

void
path_free(struct path *pa)
{
	size_t i;

	if (!pa)
		return;
	for (i = 0; i < pa->nsteps; i++)
		free(pa->steps[i].key);
	free(pa->steps);
	free(pa->text);
	free(pa);
}
