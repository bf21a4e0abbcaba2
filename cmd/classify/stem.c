/* stem.c: folded words to their Snowball stems, with a cache (stem.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "hset.h"
#include "stem.h"
#include "util.h"
#include "words.h"

/* A record's words are mostly the same few thousand: a direct-mapped
 * cache remembers what became of short words. A miss costs one stemming,
 * so words made to collide slow it down by a constant factor at most. */
enum { SLOTS = 1 << 12, CWORD = 24, OTHER = 0xff };

struct slot {
	uint64_t w[CWORD / 8];	/* the word, zero-padded */
	unsigned char wlen, slen;	/* wlen 0: empty; slen OTHER: not kept */
	char s[CWORD];
};

/* A word of folded text: where, its length, its first CWORD bytes
 * zero-padded, a hash of them all. */
struct word {
	const char *p;
	size_t n;
	uint64_t c[CWORD / 8];
	uint64_t h;
};

/* stem_word's cache: any word's stem */
enum { WSLOTS = 1 << 14 };

struct wslot {
	unsigned char wlen, slen;	/* wlen 0: empty */
	char w[CWORD], s[CWORD];
};

struct stem {
	struct sb_stemmer *sb;
	struct hset kept;	/* the stems terms use */
	struct slot *cache;
	struct wslot *wcache;
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
	hset_init(&st->kept, 64);
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

void
stem_words(struct stem *st, struct buf *out, const char *f, size_t n)
{
	const char *w, *s;
	size_t pos = 0, len, slen;

	if (!out->len)
		buf_putc(out, ' ');
	while ((w = words_next(f, n, &pos, &len))) {
		s = stem_one(st, w, len, &slen);
		buf_put(out, s, slen);
		buf_putc(out, ' ');
	}
}

const char *
stem_word(struct stem *st, const char *w, size_t n, size_t *len)
{
	struct wslot *sl;
	const char *s;
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	if (n > CWORD || !n)
		return stem_one(st, w, n, len);
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 1099511628211ULL;
	if (!st->wcache)
		st->wcache = ecalloc(WSLOTS, sizeof(*st->wcache));
	sl = &st->wcache[(h ^ h >> 32) & (WSLOTS - 1)];
	if (sl->wlen == n && !memcmp(sl->w, w, n)) {
		*len = sl->slen;
		return sl->s;
	}
	s = stem_one(st, w, n, len);
	if (*len <= CWORD) {
		sl->wlen = (unsigned char)n;
		memcpy(sl->w, w, n);
		sl->slen = (unsigned char)*len;
		memcpy(sl->s, s, *len);
	}
	return s;
}

void
stem_keep(struct stem *st, const char *s, size_t n)
{
	hset_add(&st->kept, 0, s, n, 0, HSET_COPY, NULL);
	free(st->cache);	/* what it says of other words may change */
	st->cache = NULL;
}

/* The next eight bytes at p, or those up to end and a ' ' */
static uint64_t
load8(const char *p, const char *end)
{
	uint64_t x = 0;
	size_t i, left = (size_t)(end - p);

	if (left >= 8) {
		memcpy(&x, p, 8);
		return x;
	}
	for (i = 0; i < left; i++)
		x |= (uint64_t)(unsigned char)p[i] << 8 * i;
	return x | (uint64_t)' ' << 8 * left;
}

/* The word at p, up to the next ' ' or end: eight bytes at a time (a ' '
 * is found as a zero byte of x ^ "        "), hashed as they go. */
static void
scan_word(const char *p, const char *end, struct word *w)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t x, t, z;
	size_t k;

	w->p = p;
	w->n = 0;
	w->h = 0;
	w->c[0] = w->c[1] = w->c[2] = 0;
	do {
		x = load8(p, end);
		t = x ^ ones * ' ';
		z = (t - ones) & ~t & ones << 7;
		k = z ? (size_t)__builtin_ctzll(z) / 8 : 8;
		if (k < 8)
			x &= k ? ~(uint64_t)0 >> (64 - 8 * k) : 0;
		if (w->n < CWORD)
			w->c[w->n / 8] = x;
		w->h = (w->h ^ x) * 0x9e3779b97f4a7c15ULL;
		w->n += k;
		p += k;
	} while (k == 8);
	w->h >>= 64 - 16;	/* the best-mixed bits */
}

/* The stem of the word, or NULL if no term uses it. */
static const char *
kept(struct stem *st, const struct word *w, size_t *len)
{
	struct slot *sl;
	const char *s;

	if (w->n > CWORD) {
		s = stem_one(st, w->p, w->n, len);
		return hset_find(&st->kept, 0, s, *len) >= 0 ? s : NULL;
	}
	sl = &st->cache[w->h & (SLOTS - 1)];
	if (sl->wlen != w->n || sl->w[0] != w->c[0] || sl->w[1] != w->c[1] ||
	    sl->w[2] != w->c[2]) {
		s = stem_one(st, w->p, w->n, len);
		if (hset_find(&st->kept, 0, s, *len) < 0)
			*len = OTHER;
		else if (*len > CWORD)
			return s;
		sl->wlen = (unsigned char)w->n;
		memcpy(sl->w, w->c, sizeof(sl->w));
		sl->slen = (unsigned char)*len;
		if (*len != OTHER)
			memcpy(sl->s, s, *len);
	}
	*len = sl->slen;
	return sl->slen == OTHER ? NULL : sl->s;
}

void
stem_text(struct stem *st, struct buf *out, const char *f, size_t n)
{
	const char *p = f, *end = f + n, *s;
	struct word w;
	size_t len;

	if (!st->cache)
		st->cache = ecalloc(SLOTS, sizeof(*st->cache));
	if (!out->len)
		buf_putc(out, ' ');
	while (p < end) {
		if (*p == ' ') {
			p++;
			continue;
		}
		scan_word(p, end, &w);
		p += w.n;
		if (!(s = kept(st, &w, &len))) {
			/* ". " for a run of other words, which keeps the
			 * words of a phrase apart */
			if (out->len < 2 || out->s[out->len - 2] != '.') {
				buf_grow(out, 2);
				out->s[out->len++] = '.';
				out->s[out->len++] = ' ';
			}
			continue;
		}
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
	hset_free(&st->kept);
	free(st->cache);
	free(st->wcache);
	free(st);
}
