/* aho.c: Aho-Corasick, compiled to a DFA (aho.h).
 *
 * Patterns are kept until aho_compile, which numbers the bytes they use
 * (class 0 is every other byte: it always leads back to the root), builds
 * the trie in a states x classes table, then fills in the failure
 * transitions breadth first, and renumbers the states in that order. A
 * cell holds the target state's row offset, with the top bit set when that
 * state ends a pattern, so the scan loop is one load and one test a byte.
 * That load depends on the one before: with many patterns the table no
 * longer fits the first-level cache and each byte waits for a miss, so
 * long text is scanned as four stretches side by side. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aho.h"
#include "hset.h"
#include "util.h"

#define HASOUT 0x80000000u
#define OUT16 0x8000u

struct aho {
	struct hset pats;	/* the patterns, their ids in insertion order */
	size_t npat, maxlen;
	/* the automaton */
	unsigned char cls[256];
	size_t ncls, nstates;
	uint32_t *delta;	/* nstates x ncls row offsets (| HASOUT) */
	uint16_t *d16;		/* or, under 32768 states, state numbers
				 * (| OUT16) in rows of 1 << shift */
	unsigned shift;
	int32_t *pid;		/* pattern ending at a state, or -1 */
	int32_t *dict;		/* nearest proper suffix state ending a pattern */
};

struct aho *
aho_new(void)
{
	struct aho *a = ecalloc(1, sizeof(struct aho));

	hset_init(&a->pats, 64);
	return a;
}

size_t
aho_add(struct aho *a, const char *s, size_t n)
{
	long id;

	if (n > a->maxlen)
		a->maxlen = n;
	id = hset_add(&a->pats, 0, s, n, 0, HSET_COPY, NULL);
	a->npat = a->pats.n;
	return (size_t)id;
}

size_t
aho_count(const struct aho *a)
{
	return a->npat;
}

/* Number the bytes the patterns use from 1; their total length. */
static size_t
byte_classes(struct aho *a)
{
	const struct hset_ent *e;
	size_t i, k, total = 0;
	unsigned char c;

	memset(a->cls, 0, sizeof(a->cls));
	a->ncls = 1;
	for (k = 0; k < a->pats.n; k++) {
		e = &a->pats.ent[k];
		for (i = 0; i < e->len; i++) {
			c = (unsigned char)e->s[i];
			if (!a->cls[c])
				a->cls[c] = (unsigned char)a->ncls++;
		}
		total += e->len;
	}
	return total;
}

/* The trie in d (row offsets, 0 (the root) meaning no child yet) and the
 * pattern ending at each state. */
static void
build_trie(struct aho *a, uint32_t *d)
{
	const struct hset_ent *e;
	size_t i, k, c, s, t;

	a->pid[0] = -1;
	a->nstates = 1;
	for (k = 0; k < a->pats.n; k++) {
		e = &a->pats.ent[k];
		for (s = 0, i = 0; i < e->len; i++) {
			c = a->cls[(unsigned char)e->s[i]];
			if (!d[s * a->ncls + c]) {
				t = a->nstates++;
				a->pid[t] = -1;
				d[s * a->ncls + c] = (uint32_t)(t * a->ncls);
			}
			s = d[s * a->ncls + c] / a->ncls;
		}
		a->pid[s] = (int32_t)k;
	}
}

/* Failure links, breadth first, into fail, and the states in that order
 * into queue; a state's row is complete when it is taken from the queue,
 * and so is its failure state's (shallower). */
static void
fail_links(struct aho *a, uint32_t *d, int32_t *fail, size_t *queue)
{
	size_t c, s, t, head = 0, tail = 0, row, frow;
	uint32_t cell;

	fail[0] = 0;
	a->dict[0] = -1;
	queue[tail++] = 0;
	while (head < tail) {
		s = queue[head++];
		row = s * a->ncls;
		frow = (size_t)fail[s] * a->ncls;
		for (c = 0; c < a->ncls; c++) {
			if ((cell = d[row + c])) {	/* a trie child */
				t = cell / a->ncls;
				queue[tail++] = t;
				fail[t] = s ? (int32_t)(d[frow + c] / a->ncls) : 0;
				a->dict[t] = a->pid[fail[t]] >= 0 ? fail[t] :
				    a->dict[fail[t]];
			} else {
				d[row + c] = s ? d[frow + c] : 0;
			}
		}
	}
}

/* Renumber the states in queue's (breadth-first) order: the shallow ones,
 * where a scan spends its time, then share cache lines. The new table;
 * d is freed. */
static uint32_t *
renumber(struct aho *a, uint32_t *d, const size_t *queue, int32_t *id)
{
	uint32_t *nd = emalloc(a->nstates * a->ncls * sizeof(*nd));
	int32_t *npid = emalloc(a->nstates * sizeof(*npid));
	int32_t *ndict = emalloc(a->nstates * sizeof(*ndict));
	size_t i, c, s;

	for (i = 0; i < a->nstates; i++)
		id[queue[i]] = (int32_t)i;
	for (i = 0; i < a->nstates; i++) {
		s = queue[i];
		for (c = 0; c < a->ncls; c++)
			nd[i * a->ncls + c] = (uint32_t)((size_t)id[d[s * a->ncls +
			    c] / a->ncls] * a->ncls);
		npid[i] = a->pid[s];
		ndict[i] = a->dict[s] >= 0 ? id[a->dict[s]] : -1;
	}
	free(d);
	free(a->pid);
	free(a->dict);
	a->pid = npid;
	a->dict = ndict;
	return nd;
}

/* Half the size where it fits: fewer cache lines to wait for. */
static void
pack16(struct aho *a)
{
	const uint32_t *d = a->delta;
	size_t s, c;
	uint32_t cell;

	for (a->shift = 0; (1u << a->shift) < a->ncls; a->shift++)
		;
	if (a->nstates >= OUT16 || a->shift > 6)
		return;
	a->d16 = ecalloc(a->nstates << a->shift, sizeof(*a->d16));
	for (s = 0; s < a->nstates; s++)
		for (c = 0; c < a->ncls; c++) {
			cell = d[s * a->ncls + c];
			a->d16[s << a->shift | c] = (uint16_t)((cell & ~HASOUT) /
			    a->ncls | (cell & HASOUT ? OUT16 : 0));
		}
	free(a->delta);
	a->delta = NULL;
}

int
aho_compile(struct aho *a)
{
	size_t i, t, *queue;
	int32_t *fail;
	uint32_t *d;

	a->nstates = byte_classes(a) + 1;	/* at most */
	if ((double)a->nstates * (double)a->ncls >= (double)(HASOUT / 2))
		return -1;
	d = ecalloc(a->nstates * a->ncls, sizeof(*d));
	a->pid = emalloc(a->nstates * sizeof(*a->pid));
	build_trie(a, d);
	d = erealloc(d, a->nstates * a->ncls * sizeof(*d));
	fail = emalloc(a->nstates * sizeof(*fail));
	a->dict = emalloc(a->nstates * sizeof(*a->dict));
	queue = emalloc(a->nstates * sizeof(*queue));
	fail_links(a, d, fail, queue);
	d = renumber(a, d, queue, fail);	/* fail is free now: new ids */
	/* mark cells whose target ends a pattern, itself or by a suffix */
	for (i = 0; i < a->nstates * a->ncls; i++) {
		t = d[i] / a->ncls;
		if (a->pid[t] >= 0 || a->dict[t] >= 0)
			d[i] |= HASOUT;
	}
	a->delta = d;
	pack16(a);
	free(fail);
	free(queue);
	return 0;
}

static int32_t
state(const struct aho *a, uint32_t st)
{
	return (int32_t)(a->d16 ? st : st / a->ncls);
}

static void
report(const struct aho *a, uint32_t st, size_t end, aho_hit *hit, void *arg)
{
	int32_t t = state(a, st);

	if (a->pid[t] < 0)
		t = a->dict[t];
	for (; t >= 0; t = a->dict[t])
		hit(arg, (size_t)a->pid[t], end);
}

/* Run from state *st through p[i..n) to the first byte that ends a
 * pattern; its index, or n. Apart so that nothing in it spills. */
static size_t
run(const uint32_t *d, const unsigned char *cls, const unsigned char *p,
    size_t i, size_t n, uint32_t *st)
{
	uint32_t x, s = *st;

	for (; i < n; i++) {
		x = d[s + cls[p[i]]];
		s = x & ~HASOUT;
		if (x & HASOUT)
			break;
	}
	*st = s;
	return i;
}

/* The same for four stretches of text at once, each p[k][i..] up to n:
 * four independent chains of look-ups, so that a cache miss in one does
 * not stall the others. */
static size_t
run4(const uint32_t *d, const unsigned char *cls,
    const unsigned char *const *p, size_t i, size_t n, uint32_t *st)
{
	const unsigned char *p0 = p[0], *p1 = p[1], *p2 = p[2], *p3 = p[3];
	uint32_t x0, x1, x2, x3, s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3];

	for (; i < n; i++) {
		x0 = d[s0 + cls[p0[i]]];
		x1 = d[s1 + cls[p1[i]]];
		x2 = d[s2 + cls[p2[i]]];
		x3 = d[s3 + cls[p3[i]]];
		s0 = x0 & ~HASOUT;
		s1 = x1 & ~HASOUT;
		s2 = x2 & ~HASOUT;
		s3 = x3 & ~HASOUT;
		if ((x0 | x1 | x2 | x3) & HASOUT)
			break;
	}
	st[0] = s0;
	st[1] = s1;
	st[2] = s2;
	st[3] = s3;
	return i;
}

/* run and run4 over the 16-bit table */
static size_t
run_16(const uint16_t *d, unsigned sh, const unsigned char *cls,
    const unsigned char *p, size_t i, size_t n, uint32_t *st)
{
	uint32_t x, s = *st;

	for (; i < n; i++) {
		x = d[s << sh | cls[p[i]]];
		s = x & ~OUT16;
		if (x & OUT16)
			break;
	}
	*st = s;
	return i;
}

static size_t
run4_16(const uint16_t *d, unsigned sh, const unsigned char *cls,
    const unsigned char *const *p, size_t i, size_t n, uint32_t *st)
{
	const unsigned char *p0 = p[0], *p1 = p[1], *p2 = p[2], *p3 = p[3];
	uint32_t x0, x1, x2, x3, s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3];

	for (; i < n; i++) {
		x0 = d[s0 << sh | cls[p0[i]]];
		x1 = d[s1 << sh | cls[p1[i]]];
		x2 = d[s2 << sh | cls[p2[i]]];
		x3 = d[s3 << sh | cls[p3[i]]];
		s0 = x0 & ~OUT16;
		s1 = x1 & ~OUT16;
		s2 = x2 & ~OUT16;
		s3 = x3 & ~OUT16;
		if ((x0 | x1 | x2 | x3) & OUT16)
			break;
	}
	st[0] = s0;
	st[1] = s1;
	st[2] = s2;
	st[3] = s3;
	return i;
}

#define RUN(a, p, i, n, st) ((a)->d16 ? \
	run_16((a)->d16, (a)->shift, (a)->cls, p, i, n, st) : \
	run((a)->delta, (a)->cls, p, i, n, st))
#define RUN4(a, q, i, n, st) ((a)->d16 ? \
	run4_16((a)->d16, (a)->shift, (a)->cls, q, i, n, st) : \
	run4((a)->delta, (a)->cls, q, i, n, st))

static int
ends(const struct aho *a, uint32_t st)
{
	int32_t t = state(a, st);

	return a->pid[t] >= 0 || a->dict[t] >= 0;
}

void
aho_scan(const struct aho *a, const char *s, size_t n, aho_hit *hit,
    void *arg)
{
	const unsigned char *p = (const unsigned char *)s, *q[4];
	uint32_t st[4] = { 0, 0, 0, 0 };
	size_t i = 0, k, len = n / 4, back, off[4];

	if (!a->npat)
		return;
	/* Long text is scanned as four stretches side by side, each after
	 * the first starting from the root a pattern's length before its
	 * quarter, so that every match is found (a few twice: callers don't
	 * mind). The last goes on alone to the end. */
	back = a->maxlen - 1;
	if (len >= 32 && len > back) {
		for (k = 0; k < 4; k++) {
			off[k] = k ? k * len - back : 0;
			q[k] = p + off[k];
		}
		for (; (i = RUN4(a, q, i, len + back, st)) < len + back; i++)
			for (k = 0; k < 4; k++)
				if (ends(a, st[k]))
					report(a, st[k], off[k] + i + 1, hit, arg);
		p = q[3];
		n -= off[3];
		st[0] = st[3];
		i = len + back;
		for (; (i = RUN(a, p, i, n, st)) < n; i++)
			report(a, st[0], off[3] + i + 1, hit, arg);
		return;
	}
	for (; (i = RUN(a, p, i, n, st)) < n; i++)
		report(a, st[0], i + 1, hit, arg);
}

size_t
aho_states(const struct aho *a)
{
	return a->nstates;
}

size_t
aho_classes(const struct aho *a)
{
	return a->ncls;
}

void
aho_free(struct aho *a)
{
	if (!a)
		return;
	hset_free(&a->pats);
	free(a->delta);
	free(a->d16);
	free(a->pid);
	free(a->dict);
	free(a);
}
