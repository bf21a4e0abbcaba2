/*
 * ampfix.h: make a bare '&' in XML text a literal one, as browsers and
 * feed readers do. Feeds put unescaped '&' in links ("?a=1&b=2"); strict
 * XML drops what follows it, even in recover mode.
 */
#ifndef FEEDPIPE_AMPFIX_H
#define FEEDPIPE_AMPFIX_H

#include <stddef.h>

#include "buf.h"

struct ampfix {
	struct buf carry;	/* bytes held back from the last chunk */
	struct buf in;		/* the carry and the next chunk, together */
	struct buf out;		/* a chunk with its bare '&' escaped */
	int state;		/* in text, in a CDATA section, in a comment */
};

/*
 * Filter the next chunk of a document; out and outlen say what to parse now
 * (the caller's own bytes when nothing had to change). A few bytes may be
 * held back until the next call; final flushes them.
 */
void ampfix_chunk(struct ampfix *f, const char *s, size_t n, int final,
                  const char **out, size_t *outlen);
void ampfix_free(struct ampfix *f);

#endif
