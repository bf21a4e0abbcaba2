/* simidx.c: near-duplicate titles by word-set Jaccard similarity (simidx.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hset.h"
#include "simidx.h"
#include "util.h"

struct title {
	size_t off;		/* its words in toks[off..off+n), ascending */
	uint32_t n;
	long owner;
};

struct plist {
	uint32_t *v;		/* titles holding the word, ascending */
	uint64_t *sig;		/* and their signatures */
	uint32_t n, cap;
};

struct rare {
	size_t df;		/* titles holding the word */
	uint64_t w;
};

/* Pairs of sizes whose word sets may differ in at most DMAX words go
 * through the partition index: few parts, so few keys per title. */
enum { DMAX = 3 };

struct simidx {
	double t;
	struct hset parts;	/* (sizes, part, its words) -> index into lists */
	uint64_t *toks;
	size_t ntoks, captoks;
	struct title *titles;
	size_t ntitles, captitles;
	uint32_t *probed;	/* per title: the last probe that looked at it */
	uint32_t probe;
	struct hset words;	/* (title size, word hash) -> index into lists */
	struct plist *lists;
	size_t nlists, caplists;
	uint64_t *cur;		/* the words of the current title */
	size_t ncur, capcur;
	uint64_t cursig;
	struct rare *order;
};

static int
cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Distinct words of s as sorted 64-bit hashes (a collision would only
 * make two titles look a word more alike: about 2^-40 at a million words). */
static size_t
tokens(const char *s, size_t n, uint64_t **v, size_t *cap)
{
	size_t k = 0, i, j, w;

	for (i = 0; i < n; i = j + 1) {
		for (j = i; j < n && s[j] != ' '; j++)
			;
		if (j == i)
			continue;
		if (k == *cap) {
			*cap = *cap ? *cap * 2 : 32;
			*v = erealloc(*v, *cap * sizeof(**v));
		}
		(*v)[k++] = hset_hash(0, s + i, j - i);
	}
	if (!k)
		return 0;
	qsort(*v, k, sizeof(**v), cmp64);
	for (i = 1, w = 1; i < k; i++)
		if ((*v)[i] != (*v)[w - 1])
			(*v)[w++] = (*v)[i];
	return w;
}

/* A title's signature: one bit of 64 for each of its words. A word of
 * ours whose bit is clear in another title's signature is not in it, so
 * counting our words with their bit set bounds the words in common from
 * above, from the posting list alone. */
static unsigned
bit(uint64_t w)
{
	return (unsigned)(w >> 58);
}

static size_t
bound(const uint64_t *a, size_t an, uint64_t sig)
{
	size_t i, c = 0;

	for (i = 0; i < an; i++)
		c += (size_t)(sig >> bit(a[i]) & 1);
	return c;
}

static size_t
common(const uint64_t *a, size_t an, const uint64_t *b, size_t bn)
{
	size_t i = 0, j = 0, c = 0;

	while (i < an && j < bn) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else
			c++, i++, j++;
	}
	return c;
}

/* need = ceil(t n), kept exact where t n is an integer */
static size_t
atleast(double t, size_t n)
{
	double v = t * (double)n - 1e-9;
	size_t k = (size_t)v;

	return (double)k < v ? k + 1 : k;
}

static int
similar(double t, size_t inter, size_t an, size_t bn)
{
	return (double)inter >= t * (double)(an + bn - inter) - 1e-9;
}

struct simidx *
simidx_new(double threshold)
{
	struct simidx *x = ecalloc(1, sizeof(*x));

	x->t = threshold;
	hset_init(&x->words, 1024);
	hset_init(&x->parts, 1024);
	return x;
}

void
simidx_free(struct simidx *x)
{
	size_t i;

	if (!x)
		return;
	for (i = 0; i < x->nlists; i++) {
		free(x->lists[i].v);
		free(x->lists[i].sig);
	}
	free(x->lists);
	hset_free(&x->words);
	hset_free(&x->parts);
	free(x->toks);
	free(x->titles);
	free(x->probed);
	free(x->cur);
	free(x->order);
	free(x);
}

/* The titles of size m holding word w: lists are kept per title size, so
 * that a probe reads only the sizes that can match. */
static const struct plist *
postings(const struct simidx *x, uint64_t w, size_t m)
{
	long i = hset_find(&x->words, (uint32_t)m, (const char *)&w, sizeof(w));

	return i < 0 ? NULL : &x->lists[x->words.ent[i].val];
}

static int
byrarity(const void *a, const void *b)
{
	const struct rare *x = a, *y = b;

	return (x->df > y->df) - (x->df < y->df);
}

/* Words in common that a title of n words needs with one of m to reach
 * the threshold, and so the most words their sets may differ in: d. 0 if
 * no pair of these sizes can match. */
static size_t
overlap(const struct simidx *x, size_t n, size_t m, size_t *d)
{
	size_t a = atleast(x->t / (1 + x->t), n + m);

	if (a > n || a > m)
		return 0;
	*d = n + m - 2 * a;
	return a;
}

/*
 * Partition filtering: sets that differ in at most d words, with the
 * words split into d + 1 parts by hash, agree exactly on at least one
 * part. The key of part j for a probe of n words against titles of m: the
 * sizes, j and the words of the current title in that part. Unlike a word,
 * a part is shared by few titles however small the vocabulary.
 */
static void
part_key(const struct simidx *x, size_t n, size_t m, size_t j, size_t k,
    uint64_t key[3])
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	size_t i;

	for (i = 0; i < x->ncur; i++)
		if ((x->cur[i] >> 40) % k == j)
			h = (h ^ x->cur[i]) * 0x100000001b3ULL;
	key[0] = (uint64_t)n << 32 | (uint64_t)m;
	key[1] = (uint64_t)j;
	key[2] = h;
}

static void
post(struct simidx *x, struct hset *set, uint32_t tag, const void *key,
    size_t keylen)
{
	struct plist *pl;
	long li;
	int added;

	li = hset_add(set, tag, key, keylen, (int64_t)x->nlists, HSET_COPY,
	    &added);
	if (added) {
		if (x->nlists == x->caplists) {
			x->caplists = x->caplists ? x->caplists * 2 : 1024;
			x->lists = erealloc(x->lists, x->caplists * sizeof(*x->lists));
		}
		memset(&x->lists[x->nlists++], 0, sizeof(*x->lists));
	}
	pl = &x->lists[set->ent[li].val];
	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 4;
		pl->v = erealloc(pl->v, pl->cap * sizeof(*pl->v));
		pl->sig = erealloc(pl->sig, pl->cap * sizeof(*pl->sig));
	}
	pl->sig[pl->n] = x->cursig;
	pl->v[pl->n++] = (uint32_t)x->ntitles;
}

/* Check the titles of list pl below *best; the earliest similar one. */
static void
check_list(struct simidx *x, const struct plist *pl, size_t a, uint32_t *best)
{
	const struct title *ti;
	uint32_t id;
	size_t k;

	for (k = 0; k < pl->n && (id = pl->v[k]) < *best; k++) {
		if (bound(x->cur, x->ncur, pl->sig[k]) < a ||
		    x->probed[id] == x->probe)
			continue;
		x->probed[id] = x->probe;
		ti = &x->titles[id];
		if (similar(x->t, common(x->cur, x->ncur, x->toks + ti->off,
		    ti->n), x->ncur, ti->n))
			*best = id;
	}
}

void
simidx_set(struct simidx *x, const char *norm, size_t n)
{
	size_t i;

	x->ncur = tokens(norm, n, &x->cur, &x->capcur);
	for (x->cursig = 0, i = 0; i < x->ncur; i++)
		x->cursig |= 1ULL << bit(x->cur[i]);
}

/* Titles of m words through the partition index. */
static void
match_parts(struct simidx *x, size_t m, size_t a, size_t d, uint32_t *best)
{
	uint64_t key[3];
	size_t j;
	long li;

	for (j = 0; j <= d; j++) {
		part_key(x, x->ncur, m, j, d + 1, key);
		if ((li = hset_find(&x->parts, 0, (const char *)key, sizeof(key))) >= 0)
			check_list(x, &x->lists[x->parts.ent[li].val], a, best);
	}
}

/* Titles of m words through the word index: the lists of our p rarest
 * words, as a title holding none of them shares at most nx - p. */
static void
match_words(struct simidx *x, size_t m, size_t a, uint32_t *best)
{
	const struct plist *pl;
	size_t nx = x->ncur, p = nx - a + 1, i;

	for (i = 0; i < nx; i++) {
		pl = postings(x, x->cur[i], m);
		x->order[i].df = pl ? pl->n : 0;
		x->order[i].w = x->cur[i];
	}
	qsort(x->order, nx, sizeof(*x->order), byrarity);
	for (i = 0; i < p; i++)
		if (x->order[i].df)	/* else no title of m words has it */
			check_list(x, postings(x, x->order[i].w, m), a, best);
}

int
simidx_match(struct simidx *x, long *owner)
{
	size_t nx, m, a, d, lo, hi;
	uint32_t best = UINT32_MAX;

	nx = x->ncur;
	if (!nx || !x->ntitles)
		return 0;
	if (++x->probe == 0) {
		memset(x->probed, 0, x->ntitles * sizeof(*x->probed));
		x->probe = 1;
	}
	lo = atleast(x->t, nx);
	hi = (size_t)((double)nx / x->t + 1e-9);
	x->order = erealloc(x->order, nx * sizeof(*x->order));
	for (m = lo; m <= hi; m++) {
		if (!(a = overlap(x, nx, m, &d)))
			continue;
		if (d <= DMAX)
			match_parts(x, m, a, d, &best);
		else
			match_words(x, m, a, &best);
	}
	if (best == UINT32_MAX)
		return 0;
	*owner = x->titles[best].owner;
	return 1;
}

/* The current title as title ntitles, belonging to owner: its words in
 * toks. */
static void
store_title(struct simidx *x, long owner)
{
	struct title *ti;

	if (x->ntitles >= UINT32_MAX - 1)
		eprintf("title index: too many titles");
	if (x->ntitles == x->captitles) {
		x->captitles = x->captitles ? x->captitles * 2 : 1024;
		x->titles = erealloc(x->titles, x->captitles * sizeof(*x->titles));
		x->probed = erealloc(x->probed, x->captitles * sizeof(*x->probed));
	}
	while (x->ntoks + x->ncur > x->captoks) {
		x->captoks = x->captoks ? x->captoks * 2 : 8192;
		x->toks = erealloc(x->toks, x->captoks * sizeof(*x->toks));
	}
	ti = &x->titles[x->ntitles];
	ti->off = x->ntoks;
	ti->n = (uint32_t)x->ncur;
	ti->owner = owner;
	x->probed[x->ntitles] = 0;
	memcpy(x->toks + x->ntoks, x->cur, x->ncur * sizeof(*x->cur));
	x->ntoks += x->ncur;
}

void
simidx_add(struct simidx *x, long owner)
{
	size_t i, j, n, m, d, lo, hi;
	uint64_t key[3];
	int far;

	if (!x->ncur)
		return;
	store_title(x, owner);
	/* the word lists serve pairs of sizes that may differ in more than
	 * DMAX words, the parts the others: for every size n of a title
	 * that could match this one */
	m = x->ncur;	/* a size more each way: rounding never loses one */
	lo = atleast(x->t, m);
	hi = (size_t)((double)m / x->t + 1e-9) + 1;
	for (n = lo > 1 ? lo - 1 : 1, far = 0; n <= hi; n++) {
		if (!overlap(x, n, m, &d))
			continue;
		if (d > DMAX) {
			far = 1;
			continue;
		}
		for (j = 0; j <= d; j++) {
			part_key(x, n, m, j, d + 1, key);
			post(x, &x->parts, 0, key, sizeof(key));
		}
	}
	for (i = 0; far && i < x->ncur; i++)
		post(x, &x->words, (uint32_t)x->ncur, &x->cur[i],
		    sizeof(x->cur[i]));
	x->ntitles++;
}

double
simidx_jaccard(const char *a, size_t an, const char *b, size_t bn)
{
	uint64_t *va = NULL, *vb = NULL;
	size_t ca = 0, cb = 0, na, nb, c;
	double j;

	na = tokens(a, an, &va, &ca);
	nb = tokens(b, bn, &vb, &cb);
	c = common(va, na, vb, nb);
	j = na + nb ? (double)c / (double)(na + nb - c) : 1.0;
	free(va);
	free(vb);
	return j;
}
