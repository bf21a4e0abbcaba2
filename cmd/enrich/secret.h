/* secret.h: the API key kept out of everything an answer gives. */
#ifndef FEEDPIPE_SECRET_H
#define FEEDPIPE_SECRET_H

#include <stddef.h>

#include "buf.h"

/* What must never come out of an answer: the API key, and the forms a
 * server may echo it in (%-escaped, JSON's \/, base64 and base64url at
 * each alignment). Any run of 8 or more bytes (the whole key, if shorter)
 * of one of them is replaced by SECRET_SCRUBBED; a key under 4 bytes is not
 * looked for. */
#define SECRET_SCRUBBED "[key removed]"
enum { SECRET_NFORMS = 9 };
struct secret {
	struct buf form[SECRET_NFORMS];
	int n;
	size_t minrun;
};

/* key NULL: there is nothing to scrub. */
void secret_init(struct secret *s, const char *key);
/* Forget the key, its copies wiped. */
void secret_free(struct secret *s);
/* Scrub b in place (the old contents wiped); s NULL: nothing to do. */
void secret_scrub(const struct secret *s, struct buf *b);
/* The same for a C string, cut to size bytes. */
void secret_scrub_cstr(const struct secret *s, char *str, size_t size);

#endif
