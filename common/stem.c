/* stem.c: folded words to their Snowball stems, with a cache (stem.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "stem.h"
#include "util.h"
#include "words.h"

/* A record's words are mostly the same few thousand: a direct-mapped
 * cache remembers the stems of short words (a miss only costs a stemming,
 * so there is no worst case to defend against). */
enum { SLOTS = 1 << 12, CWORD = 23 };

struct slot {
	unsigned char wlen, slen;	/* wlen 0: empty */
	char w[CWORD], s[CWORD];
};

struct stem {
	struct sb_stemmer *sb;
	struct slot *cache;
};

struct stem *
stem_new(const char *name)
{
	struct sb_stemmer *sb;
	struct stem *st;
	char lower[32];
	size_t i;

	for (i = 0; name[i] && i < sizeof(lower) - 1; i++)
		lower[i] = name[i] >= 'A' && name[i] <= 'Z' ?
		    (char)(name[i] - 'A' + 'a') : name[i];
	if (name[i])
		return NULL;
	lower[i] = '\0';
	if (!(sb = sb_stemmer_new(lower, "UTF_8")))
		return NULL;
	st = ecalloc(1, sizeof(*st));
	st->sb = sb;
	return st;
}

/* The stem of w[0..n) in *len; w itself if the stemmer fails. */
static const char *
stem_one(struct stem *st, const char *w, size_t n, size_t *len)
{
	const sb_symbol *s;
	int k;

	s = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)n);
	k = s ? sb_stemmer_length(st->sb) : 0;
	if (k <= 0) {	/* out of memory, or nothing left: keep the word */
		*len = n;
		return w;
	}
	*len = (size_t)k;
	return (const char *)s;
}

static const char *
cached(struct stem *st, const char *w, size_t n, uint32_t h, size_t *len)
{
	struct slot *sl;
	const char *s;

	if (n > CWORD)
		return stem_one(st, w, n, len);
	sl = &st->cache[h & (SLOTS - 1)];
	if (sl->wlen != n || memcmp(sl->w, w, n)) {
		s = stem_one(st, w, n, len);
		if (*len > CWORD)
			return s;
		sl->wlen = (unsigned char)n;
		memcpy(sl->w, w, n);
		sl->slen = (unsigned char)*len;
		memcpy(sl->s, s, *len);
	}
	*len = sl->slen;
	return sl->s;
}

void
stem_words(struct stem *st, struct buf *out, const char *f, size_t n)
{
	const char *p = f, *end = f + n, *w, *s;
	size_t len;
	uint32_t h;

	if (!st->cache)
		st->cache = ecalloc(SLOTS, sizeof(*st->cache));
	if (!out->len)
		buf_putc(out, ' ');
	while (p < end) {
		if (*p == ' ') {
			p++;
			continue;
		}
		/* the word's end and its hash (FNV-1a) in one pass */
		for (w = p, h = 2166136261u; p < end && *p != ' '; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		s = cached(st, w, (size_t)(p - w), h ^ h >> 16, &len);
		buf_grow(out, len + 1);
		memcpy(out->s + out->len, s, len);
		out->len += len;
		out->s[out->len++] = ' ';
	}
	out->s[out->len] = '\0';
}

void
stem_languages(struct buf *out)
{
	const char **l;

	for (l = sb_stemmer_list(); *l; l++) {
		if (l != sb_stemmer_list())
			buf_puts(out, ", ");
		buf_puts(out, *l);
	}
}

void
stem_free(struct stem *st)
{
	if (!st)
		return;
	sb_stemmer_delete(st->sb);
	free(st->cache);
	free(st);
}
