/* jw.c: a small, exact JSON writer. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "jw.h"
#include "text.h"

void
jw_put_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run, k;
	unsigned char c;

	buf_grow(b, n + 2);
	buf_putc(b, '"');
	while (i < n) {
		run = i;
		/* eight plain ASCII bytes at a time: nothing to escape or check */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (SWAR_LESS(w, 0x20) || SWAR_HAS(w, '"') || SWAR_HAS(w, '\\') ||
			    (w & SWAR_HIGH))
				break;
			i += 8;
		}
		while (i < n && (c = u[i]) >= 0x20 && c < 0x80 && c != '"' && c != '\\')
			i++;
		buf_put(b, s + run, i - run);
		if (i == n)
			break;
		c = u[i];
		if (c >= 0x80) {
			/* invalid UTF-8 never goes out: U+FFFD instead */
			if ((k = utf8_seqlen(u + i, n - i))) {
				buf_put(b, s + i, k);
				i += k;
			} else {
				buf_put(b, "\xEF\xBF\xBD", 3);
				i++;
			}
			continue;
		}
		i++;
		switch (c) {
		case '"': buf_put(b, "\\\"", 2); break;
		case '\\': buf_put(b, "\\\\", 2); break;
		case '\n': buf_put(b, "\\n", 2); break;
		case '\t': buf_put(b, "\\t", 2); break;
		case '\r': buf_put(b, "\\r", 2); break;
		case '\b': buf_put(b, "\\b", 2); break;
		case '\f': buf_put(b, "\\f", 2); break;
		default: {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			buf_put(b, esc, 6);
		}
		}
	}
	buf_putc(b, '"');
}

void
jw_init(struct jw *w, struct buf *b)
{
	w->b = b;
	w->depth = 0;
	w->count[0] = 0;
	w->after_key = 0;
}

/* A comma before every member but the first; a value after its key needs none. */
static void
separate(struct jw *w)
{
	if (w->after_key)
		w->after_key = 0;
	else if (w->count[w->depth])
		buf_putc(w->b, ',');
	w->count[w->depth] = 1;
}

static void
open(struct jw *w, char c)
{
	separate(w);
	buf_putc(w->b, c);
	if (w->depth + 1 < JW_MAXDEPTH)
		w->depth++;
	w->count[w->depth] = 0;
}

void
jw_object(struct jw *w)
{
	open(w, '{');
}

void
jw_array(struct jw *w)
{
	open(w, '[');
}

void
jw_end(struct jw *w, char close)
{
	buf_putc(w->b, close);
	if (w->depth)
		w->depth--;
}

void
jw_key(struct jw *w, const char *key)
{
	separate(w);
	jw_put_string(w->b, key, strlen(key));
	buf_putc(w->b, ':');
	w->after_key = 1;
}

void
jw_string(struct jw *w, const char *s, size_t n)
{
	separate(w);
	jw_put_string(w->b, s, n);
}

void
jw_cstring(struct jw *w, const char *s)
{
	jw_string(w, s, strlen(s));
}

void
jw_int(struct jw *w, long long v)
{
	separate(w);
	buf_printf(w->b, "%lld", v);
}

void
jw_raw(struct jw *w, const char *json, size_t n)
{
	separate(w);
	buf_put(w->b, json, n);
}

void
jw_format_real(double d, char *s)
{
	char *p, *q;
	int prec;

	if (!isfinite(d)) {	/* JSON has no NaN or infinity */
		strcpy(s, "null");
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(s, JW_REAL_BUFSZ, "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(s, JW_REAL_BUFSZ, "%.17g", d);
	for (p = s; *p; p++)
		if (*p == ',')
			*p = '.';
	if ((p = strchr(s, 'e'))) {
		q = ++p;
		if (*q == '-')
			p = ++q;
		else if (*q == '+')
			q++;
		while (*q == '0' && q[1])
			q++;
		memmove(p, q, strlen(q) + 1);
	} else if (!strchr(s, '.')) {
		strcat(s, ".0");
	}
}
