/* jw.h: a small, exact JSON writer for records (faster than a jansson dump). */
#ifndef FEEDPIPE_JW_H
#define FEEDPIPE_JW_H

#include <stddef.h>

#include "buf.h"

/* Append s as a quoted JSON string; invalid UTF-8 becomes U+FFFD. */
void jw_put_string(struct buf *b, const char *s, size_t n);

/*
 * The shortest text that reads back as exactly d: "." whatever the locale,
 * ".0" on integral values, no '+' or leading zeros in the exponent.
 * NaN and infinities, which JSON cannot hold, are "null": callers are to
 * make sure never to pass them.
 */
#define JW_REAL_BUFSZ 40
void jw_format_real(double d, char *s);

#define JW_MAXDEPTH 16

struct jw {
	struct buf *b;
	int depth;
	unsigned char count[JW_MAXDEPTH];	/* members written at each level */
	int after_key;
};

void jw_init(struct jw *w, struct buf *b);
void jw_object(struct jw *w);
void jw_array(struct jw *w);
void jw_end(struct jw *w, char close);
void jw_key(struct jw *w, const char *key);
void jw_string(struct jw *w, const char *s, size_t n);
void jw_cstring(struct jw *w, const char *s);
void jw_int(struct jw *w, long long v);
/* Append already-serialised JSON as the next value. */
void jw_raw(struct jw *w, const char *json, size_t n);

#define jw_end_object(w) jw_end((w), '}')
#define jw_end_array(w) jw_end((w), ']')

#endif
