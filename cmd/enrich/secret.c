/* secret.c: the API key kept out of everything an answer gives
 * (secret.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "util.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The base64 characters that come from k[0..n) alone when k starts o
 * bytes into the encoded data: the same whatever surrounds it. */
static void
b64_form(struct buf *out, const char *k, size_t n, size_t o,
    const char *alpha)
{
	size_t c, q, b;
	unsigned v;

	for (c = (8 * o + 5) / 6; c < 8 * (o + n) / 6; c++) {
		q = 6 * c - 8 * o;	/* the first bit, counted in k */
		for (v = 0, b = q; b < q + 6; b++)
			v = v << 1 | (((unsigned char)k[b / 8] >> (7 - b % 8)) & 1);
		buf_putc(out, alpha[v]);
	}
}

static void
add_form(struct secret *s, const struct buf *f)
{
	int i;

	if (f->len < s->minrun)
		return;
	for (i = 0; i < s->n; i++)
		if (s->form[i].len == f->len && !memcmp(s->form[i].s, f->s, f->len))
			return;
	buf_put(&s->form[s->n++], f->s, f->len);
}

void
secret_init(struct secret *s, const char *key)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf f = { 0 };
	size_t n = key ? strlen(key) : 0, i, o;
	unsigned char c;

	memset(s, 0, sizeof(*s));
	if (n < 4)
		return;
	s->minrun = n < 8 ? n : 8;
	buf_put(&f, key, n);
	add_form(s, &f);
	buf_reset(&f);
	for (i = 0; i < n; i++) {
		c = (unsigned char)key[i];
		if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || strchr("-_.~", c))
			buf_putc(&f, (char)c);
		else
			buf_printf(&f, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
	add_form(s, &f);
	buf_reset(&f);
	for (i = 0; i < n; i++) {
		if (key[i] == '/' || key[i] == '"' || key[i] == '\\')
			buf_putc(&f, '\\');
		buf_putc(&f, key[i]);
	}
	add_form(s, &f);
	for (o = 0; o < 3; o++) {
		buf_reset(&f);
		b64_form(&f, key, n, o, b64);
		add_form(s, &f);
		buf_reset(&f);
		b64_form(&f, key, n, o, b64url);
		add_form(s, &f);
	}
	util_wipe(f.s, f.cap);
	buf_free(&f);
}

void
secret_free(struct secret *s)
{
	int i;

	for (i = 0; i < s->n; i++) {
		util_wipe(s->form[i].s, s->form[i].len);
		buf_free(&s->form[i]);
	}
	s->n = 0;
}

/* The longest run at t[0..n) that is a stretch of at least minrun bytes
 * of one of the forms; 0 if none. */
static size_t
key_run(const struct secret *s, const char *t, size_t n)
{
	const char *f, *p, *fend;
	size_t best = 0, m;
	int i;

	if (n < s->minrun)
		return 0;
	for (i = 0; i < s->n; i++) {
		f = s->form[i].s;
		fend = f + s->form[i].len;
		for (p = f; (p = memchr(p, t[0], (size_t)(fend - p))); p++) {
			if ((size_t)(fend - p) < s->minrun ||
			    memcmp(p, t, s->minrun))
				continue;
			for (m = s->minrun; m < n && p + m < fend && p[m] == t[m]; m++)
				;
			if (m > best)
				best = m;
		}
	}
	return best;
}

void
secret_scrub(const struct secret *s, struct buf *b)
{
	unsigned char in[256] = { 0 };
	struct buf out = { 0 };
	size_t i, j, done = 0, run = 0, m;
	int k;

	if (!s || !s->n || b->len < s->minrun)
		return;
	for (k = 0; k < s->n; k++)
		for (j = 0; j < s->form[k].len; j++)
			in[(unsigned char)s->form[k].s[j]] = 1;
	for (i = 0; i < b->len; i++) {
		/* only where minrun bytes in a row could be of a form */
		if (run <= i)
			for (run = i; run < b->len && in[(unsigned char)b->s[run]];
			    run++)
				;
		if (run - i < s->minrun) {
			i = run;
			continue;
		}
		if (!(m = key_run(s, b->s + i, b->len - i)))
			continue;
		buf_put(&out, b->s + done, i - done);
		buf_puts(&out, SECRET_SCRUBBED);
		done = i + m;
		i = done - 1;
	}
	if (!done)
		return;
	buf_put(&out, b->s + done, b->len - done);
	util_wipe(b->s, b->cap);
	buf_free(b);
	*b = out;
}

/* The same for a C string cut to its size. */
void
secret_scrub_cstr(const struct secret *s, char *str, size_t size)
{
	struct buf b = { 0 };

	if (!s || !s->n || !size)
		return;
	buf_puts(&b, str);
	secret_scrub(s, &b);
	snprintf(str, size, "%s", b.s);
	buf_free(&b);
}
