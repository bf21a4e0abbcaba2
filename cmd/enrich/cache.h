/* cache.h: a directory of small files, one per entry, each named by the
 * SHA-1 (hex) of its key, under a subdirectory of its first two digits:
 *
 *	DIR/3f/3f786850e387550fdab836ed7e6dc881de23001b
 *
 * An entry is written to a new NAME.tmp.DIGITS (util_tmpfile: never a file
 * or symlink already there) and renamed into place, so readers
 * see a whole entry or none, and a run killed part-way leaves every entry
 * it finished. Entries are not fsync'ed: after a crash of the machine an
 * entry may be empty or short, so callers check what they read and take a
 * bad entry for a miss (the next put replaces it). Library code: errors
 * come back as messages. */
#ifndef FEEDPIPE_CACHE_H
#define FEEDPIPE_CACHE_H

#include <stddef.h>

#include "buf.h"

/* $XDG_CACHE_HOME/feedpipe/SUB, else $HOME/.cache/feedpipe/SUB, into out;
 * -1 if neither variable is set to an absolute path. */
int cache_default_dir(struct buf *out, const char *sub);
/* Read the entry for key (40 hex digits) into out: 1 found, 0 none (also
 * for a missing DIR), -1 and a message on another error. What is not a
 * regular file there (a symlink, a FIFO, a directory) is neither followed
 * nor waited for: -1, and the caller takes it for no entry. */
int cache_get(const char *dir, const char *key, struct buf *out, char *err,
    size_t errlen);
/* Write the entry for key, creating DIR and its parents as needed. 0, or
 * -1 and a message. */
int cache_put(const char *dir, const char *key, const char *s, size_t n,
    char *err, size_t errlen);

#endif
