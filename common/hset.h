/* hset.h: a hash map from (tag, byte string) to a 64-bit value that
 * remembers insertion order. Open addressing over 32-bit indices into a
 * dense entry array, so a key costs its bytes plus about 45 bytes. The tag
 * lets one map hold several namespaces (dedup: one per field path). */
#ifndef FEEDPIPE_HSET_H
#define FEEDPIPE_HSET_H

#include <stddef.h>
#include <stdint.h>

struct hset_ent {
	const char *s;		/* the key's bytes (not NUL-terminated) */
	uint32_t len;
	uint32_t tag;
	int64_t val;
};

struct hset {
	struct hset_ent *ent;	/* in insertion order */
	size_t n, cap;
	uint64_t *slot;		/* 0, or hash >> 32 << 32 | (index + 1) */
	size_t mask;
	char *arena;		/* copies of keys, in blocks */
	size_t left;
	char **blocks;
	size_t nblocks;
};

enum { HSET_COPY = 0, HSET_NOCOPY = 1 };	/* hset_add: who keeps the bytes */

void hset_init(struct hset *h, size_t hint);
void hset_free(struct hset *h);
/* Make room for n more keys without rehashing. */
void hset_reserve(struct hset *h, size_t n);
/* Index of the key, or -1. */
long hset_find(const struct hset *h, uint32_t tag, const char *s, size_t n);
/* Add the key unless present; its index. *added (may be NULL) tells which.
 * HSET_NOCOPY: s stays valid as long as the map (no copy is made). */
long hset_add(struct hset *h, uint32_t tag, const char *s, size_t n,
    int64_t val, int flags, int *added);
/* A 64-bit hash of tag and s, seeded per process. */
uint64_t hset_hash(uint32_t tag, const char *s, size_t n);
/* Bytes held, for reports. */
size_t hset_bytes(const struct hset *h);

#endif
