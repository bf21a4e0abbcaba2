/* hset.c: (tag, bytes) -> value, open addressing, insertion order kept. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hset.h"
#include "util.h"

enum { BLOCK = 1 << 20 };

static uint64_t seed;

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

/* A random seed, so that input crafted to collide in one run cannot make
 * every run quadratic. Nothing we write depends on hash order. */
static void
seed_init(void)
{
	if (seed)
		return;
	if (getentropy(&seed, sizeof seed) != 0)
		seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	seed |= 1;
}

uint64_t
hset_hash(uint32_t tag, const char *s, size_t n)
{
	uint64_t h = seed ^ ((uint64_t)tag << 40) ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	if (n) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
		h ^= h >> 29;
	}
	return mix(h);
}

static void
rehash(struct hset *h, size_t nslots)
{
	size_t i, j;
	uint64_t hv;
	const struct hset_ent *e;

	free(h->slot);
	h->slot = ecalloc(nslots, sizeof(*h->slot));
	h->mask = nslots - 1;
	for (i = 0; i < h->n; i++) {
		e = &h->ent[i];
		hv = hset_hash(e->tag, e->s, e->len);
		for (j = hv & h->mask; h->slot[j]; j = (j + 1) & h->mask)
			;
		h->slot[j] = hv >> 32 << 32 | (uint64_t)(i + 1);
	}
}

void
hset_init(struct hset *h, size_t hint)
{
	memset(h, 0, sizeof(*h));
	seed_init();
	hset_reserve(h, hint ? hint : 64);
}

void
hset_reserve(struct hset *h, size_t n)
{
	size_t want = h->n + n, nslots = 16;

	if (want > h->cap) {
		h->ent = erealloc(h->ent, want * sizeof(*h->ent));
		h->cap = want;
	}
	while (nslots / 10 * 7 < want)	/* load factor at most 0.7 */
		nslots *= 2;
	if (!h->slot || nslots > h->mask + 1)
		rehash(h, nslots);
}

long
hset_find(const struct hset *h, uint32_t tag, const char *s, size_t n)
{
	uint64_t hv = hset_hash(tag, s, n), sl;
	const struct hset_ent *e;
	size_t j;

	for (j = hv & h->mask; (sl = h->slot[j]); j = (j + 1) & h->mask) {
		if (sl >> 32 != hv >> 32)
			continue;
		e = &h->ent[(sl & 0xffffffffu) - 1];
		if (e->len == n && e->tag == tag && !memcmp(e->s, s, n))
			return (long)((sl & 0xffffffffu) - 1);
	}
	return -1;
}

static const char *
keep(struct hset *h, const char *s, size_t n)
{
	size_t sz = n > BLOCK / 4 ? n : BLOCK;
	char *p;

	if (!n)
		return "";
	if (n > h->left) {
		h->blocks = erealloc(h->blocks,
		    (h->nblocks + 1) * sizeof(*h->blocks));
		h->blocks[h->nblocks++] = h->arena = emalloc(sz);
		h->left = sz;
	}
	p = h->arena;
	memcpy(p, s, n);
	h->arena += n;
	h->left -= n;
	return p;
}

long
hset_add(struct hset *h, uint32_t tag, const char *s, size_t n,
    int64_t val, int flags, int *added)
{
	uint64_t hv = hset_hash(tag, s, n), sl;
	struct hset_ent *e;
	size_t j;

	if (added)
		*added = 0;
	for (j = hv & h->mask; (sl = h->slot[j]); j = (j + 1) & h->mask) {
		if (sl >> 32 != hv >> 32)
			continue;
		e = &h->ent[(sl & 0xffffffffu) - 1];
		if (e->len == n && e->tag == tag && !memcmp(e->s, s, n))
			return (long)((sl & 0xffffffffu) - 1);
	}
	if (h->n >= 0xfffffffeu || n > 0xffffffffu)
		eprintf("hash set: too many or too long keys");
	if (h->n + 1 > (h->mask + 1) / 10 * 7) {
		rehash(h, (h->mask + 1) * 2);
		for (j = hv & h->mask; h->slot[j]; j = (j + 1) & h->mask)
			;
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->ent = erealloc(h->ent, h->cap * sizeof(*h->ent));
	}
	e = &h->ent[h->n];
	e->s = flags & HSET_NOCOPY ? s : keep(h, s, n);
	e->len = (uint32_t)n;
	e->tag = tag;
	e->val = val;
	h->slot[j] = hv >> 32 << 32 | (uint64_t)(h->n + 1);
	if (added)
		*added = 1;
	return (long)h->n++;
}

size_t
hset_bytes(const struct hset *h)
{
	return h->cap * sizeof(*h->ent) + (h->mask + 1) * sizeof(*h->slot) +
	    h->nblocks * BLOCK;
}

void
hset_free(struct hset *h)
{
	size_t i;

	for (i = 0; i < h->nblocks; i++)
		free(h->blocks[i]);
	free(h->blocks);
	free(h->ent);
	free(h->slot);
	memset(h, 0, sizeof(*h));
}
