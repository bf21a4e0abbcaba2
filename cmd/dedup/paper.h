/* paper.h: dedup's default key, a paper's identity: the keys a record is
 * known by (its id, DOI, arXiv id without version, PMID and normalised
 * title), all in one namespace, so that the DOI of an arXiv record meets
 * the id of the journal's; and what a preprint and its journal version or
 * its next arXiv version tell each other across runs (--mark, --versions). */
#ifndef FEEDPIPE_PAPER_H
#define FEEDPIPE_PAPER_H

#include <stddef.h>

#include "buf.h"
#include "keys.h"
#include "seen.h"

struct rec;

#define PAPER_NS "~paper"

/* what the current record is */
struct paper {
	int preprint;		/* an arXiv record */
	long version;		/* arXiv version, 0 if none */
	struct buf id, link;	/* link: only when asked for */
};

/* The namespace in s and the fields' paths, once. */
void paper_setup(struct seen *s, struct rec *r);
/* After loading a version 1 state file: where it kept ids and titles. */
void paper_old_namespaces(const struct seen *s);
/* The keys of the record r, into k, and what it is, into p; with link,
 * a preprint's link, with version its arXiv version. */
void paper_keys(struct keys *k, struct paper *p, struct rec *r, int link,
    int version);
/* The index of key j of k in s, in the paper's namespace or where a
 * version 1 state file kept it; -1 if none. */
long paper_find(const struct seen *s, const struct keys *k, size_t j);
/* A member to add to a record: its key and its value (malloc'ed JSON
 * text); none if key is NULL. */
struct news {
	const char *key;
	char *val;
};

/* The member to add to a journal article whose preprint key i of s
 * recorded: "preprint":{...}. */
struct news paper_published(const struct seen *s, long i);
/* The member to add to p, an arXiv replacement of a paper key i of s
 * recorded: "new_version":{...}. */
struct news paper_new_version(const struct seen *s, const struct paper *p,
    long i);
/* --mark: a preprint's new key i remembers it; a journal article meeting
 * key i (added or not) makes it forget. */
void paper_mark(struct seen *s, const struct paper *p, long i, int added);

#endif
