/* buf.c: a growable byte buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

void
buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap = b->cap ? b->cap : 64;

	if (need <= b->cap)
		return;
	while (cap < need)
		cap *= 2;
	b->s = erealloc(b->s, cap);
	if (!b->cap)
		b->s[b->len] = '\0';	/* a new buffer is "" at once, as buf.h promises */
	b->cap = cap;
}

void
buf_put(struct buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void
buf_join_carry(struct buf *carry, struct buf *joined, const char **s, size_t *n)
{
	if (!carry->len)
		return;
	buf_reset(joined);
	buf_put(joined, carry->s, carry->len);
	buf_put(joined, *s, *n);
	buf_reset(carry);
	*s = joined->s;
	*n = joined->len;
}

char *
arena_copy(struct arena *a, const char *s, size_t n)
{
	size_t want = a->blocksize ? a->blocksize : 1 << 20;
	char *p;

	if (n + 1 > a->left) {
		if (want < n + 1)
			want = n + 1;	/* a line longer than a block: its own */
		a->blocks = erealloc(a->blocks, (a->nblocks + 1) * sizeof(*a->blocks));
		a->p = a->blocks[a->nblocks++] = emalloc(want);
		a->left = want;
	}
	p = a->p;
	memcpy(p, s, n);
	p[n] = '\0';
	a->p += n + 1;
	a->left -= n + 1;
	return p;
}

void
arena_free(struct arena *a)
{
	while (a->nblocks)
		free(a->blocks[--a->nblocks]);
	free(a->blocks);
	a->blocks = NULL;
	a->p = NULL;
	a->left = 0;
}
