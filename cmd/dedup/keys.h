/* keys.h: the keys of the current record, what dedup looks up and
 * records: each a namespace (a tag of struct seen) and bytes. With -k, the
 * values at the paths given, and with --title the normalised title; by
 * default a paper's identity (paper.h) fills them. */
#ifndef FEEDPIPE_KEYS_H
#define FEEDPIPE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "path.h"

struct rec;

#define KEYS_TITLE_NS "~title"	/* the namespace of --title's keys */

enum {
	KEYS_MAXPATHS = 64,
	KEYS_MINWORDS = 4,	/* shorter titles ("Editorial") are not identities */
};

struct rkey {
	uint32_t tag;
	size_t off, len;	/* its bytes in keys.b */
};

struct keys {
	struct rkey k[KEYS_MAXPATHS + 1];
	size_t n;
	int has_title;		/* --title: the last key is the title */
	struct buf b;
};

/* -k: the paths whose values are keys, each with its namespace's tag;
 * --title: the title's path and tag (else NULL and UINT32_MAX) */
struct keypaths {
	struct path *p[KEYS_MAXPATHS];
	uint32_t tag[KEYS_MAXPATHS];
	size_t n;
	struct path *title;
	uint32_t title_tag;
};

/* No keys yet, for the next record. */
void keys_reset(struct keys *k);
/* A key begins at the end of k->b: write its bytes there, then end it
 * (kept unless empty) or drop it. */
void keys_begin(struct keys *k, uint32_t tag);
void keys_end(struct keys *k);
void keys_drop(struct keys *k);
/* The title s[0..n), after prefix and normalised, as a key; none if it
 * has fewer than KEYS_MINWORDS words or, with generic, begins like the
 * titles many papers share. 1 if it is a key. */
int keys_title(struct keys *k, uint32_t tag, const char *prefix,
    const char *s, size_t n, int generic);
/* The keys at kp's paths of the record r. */
void keys_at_paths(struct keys *k, const struct keypaths *kp, struct rec *r);
/* Numbers are keys by value (1, 1.0 and 1e0 agree); one beyond a double
 * (jsonl_is_raw) by its text. */
void keys_number(struct buf *b, const char *v, size_t n);

#endif
