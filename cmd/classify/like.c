/* like.c: TF-IDF cosine similarity to a library of papers (like.h).
 *
 * The library is held as an inverted index: for each term, the papers that
 * use it with the term's weight in the paper's unit vector. A text's score
 * adds up, for each of its terms, the products along that term's list, so
 * it costs the papers its terms share with it, not the library's size.
 * The text's own vector is never stored past the record: memory is the
 * library's. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hset.h"
#include "like.h"
#include "stem.h"
#include "util.h"
#include "words.h"

struct pair {		/* while adding: a paper's term and its count */
	uint32_t term, n;
};

struct posting {
	uint32_t doc;
	float w;
};

struct cur {		/* a distinct term of the current text */
	uint64_t h;
	uint32_t off, len, n;
	size_t slot;
};

struct query {		/* a library term of the current text */
	uint32_t term;
	double w;
};

struct like {
	struct stem *st;
	struct hset vocab;		/* stem -> term index */
	uint32_t *df;
	size_t capdf;
	struct pair *pairs;		/* papers' terms, paper after paper */
	size_t npairs, cappairs;
	size_t *dstart;			/* where each paper's pairs start */
	char **names;
	size_t ndocs, capdocs;
	/* the index, built by like_build */
	double *idf, idf_unseen;
	size_t *pstart;			/* term t's postings: [pstart[t], pstart[t+1]) */
	struct posting *post;
	/* the current text */
	struct buf stems;
	size_t *slot, nslot;		/* hash table: index in cur + 1 */
	struct cur *cur;
	size_t ncur, capcur;
	struct query *q;
	size_t capq;
	double *acc;			/* per paper: the dot product so far */
	uint32_t *touched;
	size_t ntouched;
	size_t *top;			/* the nearest papers, nearest first */
	double *topsim;
	size_t ntop, captop;
};

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h ^ h >> 29;
}

struct like *
like_new(void)
{
	struct like *l = ecalloc(1, sizeof(*l));

	if (!(l->st = stem_new("english")))
		eprintf("libstemmer has no English stemmer");
	hset_init(&l->vocab, 4096);
	l->nslot = 512;
	l->slot = ecalloc(l->nslot, sizeof(*l->slot));
	return l;
}

static void
rehash(struct like *l)
{
	size_t i, j;

	free(l->slot);
	l->nslot *= 2;
	l->slot = ecalloc(l->nslot, sizeof(*l->slot));
	for (i = 0; i < l->ncur; i++) {
		for (j = l->cur[i].h & (l->nslot - 1); l->slot[j];
		    j = (j + 1) & (l->nslot - 1))
			;
		l->slot[j] = i + 1;
		l->cur[i].slot = j;
	}
}

/* One more occurrence of the stem s[0..n) in the current text. */
static void
count_stem(struct like *l, const char *s, size_t n)
{
	uint64_t h = hash(s, n);
	struct cur *c;
	size_t j;

	for (j = h & (l->nslot - 1); l->slot[j]; j = (j + 1) & (l->nslot - 1)) {
		c = &l->cur[l->slot[j] - 1];
		if (c->h == h && c->len == n &&
		    !memcmp(l->stems.s + c->off, s, n)) {
			c->n++;
			return;
		}
	}
	if (l->ncur == l->capcur) {
		l->capcur = l->capcur ? 2 * l->capcur : 256;
		l->cur = erealloc(l->cur, l->capcur * sizeof(*l->cur));
	}
	c = &l->cur[l->ncur];
	c->h = h;
	c->off = (uint32_t)l->stems.len;
	c->len = (uint32_t)n;
	c->n = 1;
	c->slot = j;
	buf_put(&l->stems, s, n);
	l->slot[j] = ++l->ncur;
	if (2 * l->ncur > l->nslot)
		rehash(l);
}

/* The distinct terms of folded text f[0..n) and their counts into cur. */
static void
terms(struct like *l, const char *f, size_t n)
{
	size_t pos = 0, len, slen, i;
	const char *w, *s;

	for (i = 0; i < l->ncur; i++)
		l->slot[l->cur[i].slot] = 0;
	l->ncur = 0;
	buf_reset(&l->stems);
	while ((w = words_next(f, n, &pos, &len))) {
		if (!words_token(w, len))
			continue;
		s = stem_word(l->st, w, len, &slen);
		count_stem(l, s, slen);
	}
}

int
like_add(struct like *l, const char *folded, size_t n, const char *name)
{
	struct cur *c;
	int added;
	long t;
	size_t i;

	terms(l, folded, n);
	if (!l->ncur)
		return 0;
	if (l->ndocs == l->capdocs) {
		l->capdocs = l->capdocs ? 2 * l->capdocs : 64;
		l->dstart = erealloc(l->dstart, (l->capdocs + 1) *
		    sizeof(*l->dstart));
		l->names = erealloc(l->names, l->capdocs * sizeof(*l->names));
	}
	l->dstart[l->ndocs] = l->npairs;
	l->names[l->ndocs++] = estrdup(name);
	for (i = 0; i < l->ncur; i++) {
		c = &l->cur[i];
		t = hset_add(&l->vocab, 0, l->stems.s + c->off, c->len, 0,
		    HSET_COPY, &added);
		if ((size_t)t >= l->capdf) {
			l->capdf = l->capdf ? 2 * l->capdf : 4096;
			l->df = erealloc(l->df, l->capdf * sizeof(*l->df));
		}
		if (added)
			l->df[t] = 0;
		l->df[t]++;
		if (l->npairs == l->cappairs) {
			l->cappairs = l->cappairs ? 2 * l->cappairs : 4096;
			l->pairs = erealloc(l->pairs, l->cappairs *
			    sizeof(*l->pairs));
		}
		l->pairs[l->npairs].term = (uint32_t)t;
		l->pairs[l->npairs++].n = c->n;
	}
	l->dstart[l->ndocs] = l->npairs;
	return 1;
}

size_t
like_ndocs(const struct like *l)
{
	return l->ndocs;
}

static double
weight(uint32_t tf, double idf)
{
	return (1 + log((double)tf)) * idf;
}

void
like_build(struct like *l)
{
	size_t nt = l->vocab.n, t, d, i, *fill;
	double norm, w;

	l->idf = emalloc((nt ? nt : 1) * sizeof(*l->idf));
	for (t = 0; t < nt; t++)
		l->idf[t] = log((1.0 + (double)l->ndocs) / (1.0 + l->df[t])) + 1;
	l->idf_unseen = log(1.0 + (double)l->ndocs) + 1;
	l->pstart = ecalloc(nt + 1, sizeof(*l->pstart));
	for (t = 0; t < nt; t++)
		l->pstart[t + 1] = l->pstart[t] + l->df[t];
	l->post = emalloc((l->npairs ? l->npairs : 1) * sizeof(*l->post));
	fill = emalloc((nt ? nt : 1) * sizeof(*fill));
	memcpy(fill, l->pstart, nt * sizeof(*fill));
	for (d = 0; d < l->ndocs; d++) {
		norm = 0;
		for (i = l->dstart[d]; i < l->dstart[d + 1]; i++) {
			w = weight(l->pairs[i].n, l->idf[l->pairs[i].term]);
			norm += w * w;
		}
		norm = sqrt(norm);
		for (i = l->dstart[d]; i < l->dstart[d + 1]; i++) {
			t = l->pairs[i].term;
			w = weight(l->pairs[i].n, l->idf[t]);
			l->post[fill[t]].doc = (uint32_t)d;
			l->post[fill[t]++].w = (float)(w / norm);
		}
	}
	free(fill);
	free(l->pairs);
	l->pairs = NULL;
	l->npairs = l->cappairs = 0;
	l->acc = ecalloc(l->ndocs ? l->ndocs : 1, sizeof(*l->acc));
	l->touched = emalloc((l->ndocs ? l->ndocs : 1) * sizeof(*l->touched));
}

/* Keep paper d among the k nearest, nearest first (ties: library order). */
static void
keep_top(struct like *l, size_t d, double sim, size_t k)
{
	size_t i;

	if (l->ntop == k && (sim < l->topsim[k - 1] ||
	    (sim == l->topsim[k - 1] && d > l->top[k - 1])))
		return;
	i = l->ntop < k ? l->ntop++ : k - 1;
	for (; i > 0 && (l->topsim[i - 1] < sim ||
	    (l->topsim[i - 1] == sim && l->top[i - 1] > d)); i--) {
		l->top[i] = l->top[i - 1];
		l->topsim[i] = l->topsim[i - 1];
	}
	l->top[i] = d;
	l->topsim[i] = sim;
}

double
like_score(struct like *l, const char *folded, size_t n, size_t k)
{
	size_t i, nq = 0, p, d;
	double norm = 0, w, sim, sum = 0;
	long t;

	l->ntop = 0;
	if (k > l->ndocs)
		k = l->ndocs;
	if (!k)
		return 0;
	if (k > l->captop) {
		l->captop = k;
		l->top = erealloc(l->top, k * sizeof(*l->top));
		l->topsim = erealloc(l->topsim, k * sizeof(*l->topsim));
	}
	terms(l, folded, n);
	if (l->ncur > l->capq) {
		l->capq = l->ncur;
		l->q = erealloc(l->q, l->capq * sizeof(*l->q));
	}
	for (i = 0; i < l->ncur; i++) {
		t = hset_find(&l->vocab, 0, l->stems.s + l->cur[i].off,
		    l->cur[i].len);
		w = weight(l->cur[i].n, t >= 0 ? l->idf[t] : l->idf_unseen);
		norm += w * w;
		if (t >= 0) {
			l->q[nq].term = (uint32_t)t;
			l->q[nq++].w = w;
		}
	}
	l->ntouched = 0;
	for (i = 0; i < nq; i++) {
		for (p = l->pstart[l->q[i].term]; p < l->pstart[l->q[i].term + 1];
		    p++) {
			d = l->post[p].doc;
			if (l->acc[d] == 0)
				l->touched[l->ntouched++] = (uint32_t)d;
			l->acc[d] += l->q[i].w * l->post[p].w;
		}
	}
	norm = sqrt(norm);
	for (i = 0; i < l->ntouched; i++) {
		d = l->touched[i];
		sim = l->acc[d] / norm;
		keep_top(l, d, sim > 1 ? 1 : sim, k);
		l->acc[d] = 0;
	}
	for (i = 0; i < l->ntop; i++)
		sum += l->topsim[i];
	return sum / (double)k;
}

size_t
like_nearest(const struct like *l, const char **names, size_t max)
{
	size_t i;

	for (i = 0; i < l->ntop && i < max; i++)
		names[i] = l->names[l->top[i]];
	return i;
}

void
like_free(struct like *l)
{
	size_t i;

	if (!l)
		return;
	stem_free(l->st);
	hset_free(&l->vocab);
	for (i = 0; i < l->ndocs; i++)
		free(l->names[i]);
	free(l->names);
	free(l->df);
	free(l->pairs);
	free(l->dstart);
	free(l->idf);
	free(l->pstart);
	free(l->post);
	buf_free(&l->stems);
	free(l->slot);
	free(l->cur);
	free(l->q);
	free(l->acc);
	free(l->touched);
	free(l->top);
	free(l->topsim);
	free(l);
}
