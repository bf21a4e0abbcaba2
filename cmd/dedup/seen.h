/* seen.h: what dedup remembers across runs: a plain text file of the keys
 * seen, each with the time it was first seen, read whole and replaced
 * atomically under a lock.
 *
 *	# feedpipe dedup state v2
 *	~paper<TAB>arxiv:2501.08341<TAB>2025-01-16T05:00:00Z<TAB>arxiv:2501.08341<TAB>https://arxiv.org/abs/2501.08341
 *	.id<TAB>url:https://example.org/a<TAB>2025-01-16T05:00:00Z
 *
 * After the header, one key a line: the namespace it belongs to (~paper for
 * a paper's identity, else the field path it came from, in canonical form,
 * or ~title), its value with \ tab newline and CR written \\ \t \n \r, and
 * when it was first seen (RFC 3339, UTC, to the second). A key of a
 * preprint not yet seen published has two more fields: the preprint's id
 * and link. Version 1 files (no such fields) are read as well. Library
 * code: errors come back as messages. */
#ifndef FEEDPIPE_SEEN_H
#define FEEDPIPE_SEEN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "hset.h"

#define STATE_MAGIC "# feedpipe dedup state v2"
#define STATE_MAGIC_V1 "# feedpipe dedup state v1"

struct seen {
	struct hset keys;	/* (tag, value) -> first-seen time */
	char **names;		/* tag -> namespace */
	size_t nnames;
	char **preprint;	/* key index -> "ID<TAB>LINK" of its preprint, or NULL */
	size_t npreprint;	/* entries of preprint (the rest are NULL) */
};

/* Key i belongs to the preprint id, link; NULL id: to none (any more). */
void seen_set_preprint(struct seen *s, size_t i, const char *id, const char *link);
/* "ID<TAB>LINK" of the preprint of key i, or NULL. */
const char *seen_preprint(const struct seen *s, size_t i);

void seen_init(struct seen *s);
void seen_free(struct seen *s);
/* The tag of a namespace, added if new. */
uint32_t seen_tag(struct seen *s, const char *name, size_t n);
/* Add the keys of file, leaving out those first seen before cutoff; a key
 * already known keeps the earlier time. A missing or empty file adds
 * nothing. -1 and a message in err if the file cannot be read or is not a
 * state file (no header, a malformed line); s may then hold some of its
 * keys. */
int seen_load(struct seen *s, const char *file, time_t cutoff,
    char *err, size_t errlen);
/* Wait for the exclusive lock FILE.lock (created if need be, never
 * removed): a file descriptor to close when done, or -1 and a message.
 * A symlink or anything but a regular file there is refused, not
 * followed. */
int seen_lock(const char *file, char *err, size_t errlen);
/* Replace file by the keys first seen at or after cutoff, in the map's
 * order: a new FILE.tmp.DIGITS (util_tmpfile) written, fsync'ed, renamed over FILE, directory
 * fsync'ed, so a crash leaves the old file or the new one. Removes the
 * FILE.tmp.* of killed runs first: call it holding the lock. 0 or -1 and a
 * message. */
int seen_save(const struct seen *s, const char *file, time_t cutoff,
    char *err, size_t errlen);
/* Parse "YYYY-MM-DDTHH:MM:SSZ" (exactly): 0 and the time, or -1. */
int seen_parse_time(const char *p, size_t n, time_t *t);

#endif
