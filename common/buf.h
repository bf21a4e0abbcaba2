/* buf.h: a growable byte buffer, always NUL-terminated. */
#ifndef FEEDPIPE_BUF_H
#define FEEDPIPE_BUF_H

#include <stddef.h>
#include <string.h>

struct buf {
	char *s;	/* NUL-terminated contents, or NULL before first use */
	size_t len;
	size_t cap;
};

void buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const char *s, size_t n);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_free(struct buf *b);
/*
 * A chunk filter's held-back bytes before its next chunk: if carry holds
 * any, *s and *n become carry and chunk together (kept in joined) and
 * carry is emptied; otherwise they are left alone.
 */
void buf_join_carry(struct buf *carry, struct buf *joined, const char **s, size_t *n);

static inline void buf_putc(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static inline void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static inline void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* The contents as a C string ("" for an unused buffer). */
static inline const char *buf_str(const struct buf *b)
{
	return b->s ? b->s : "";
}

/* Many small strings kept until the end, copied into large blocks. */
struct arena {
	char **blocks;
	size_t nblocks;
	char *p;		/* free space in the last block */
	size_t left;
	size_t blocksize;	/* 0: 1 MiB */
};

/* A copy of s[0..n), NUL-terminated, that lives until arena_free. */
char *arena_copy(struct arena *a, const char *s, size_t n);
void arena_free(struct arena *a);

#endif
