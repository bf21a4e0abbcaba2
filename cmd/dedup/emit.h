/* emit.h: dedup's output, record lines on stdout; a write error is
 * fatal. */
#ifndef FEEDPIPE_EMIT_H
#define FEEDPIPE_EMIT_H

#include <stddef.h>

struct rec;
struct news;

/* The line s[0..n) and a newline. */
void emit_line(const char *s, size_t n);
/* The record r with the member n sets (spliced in: rec.h), or as it came
 * if there is none. */
void emit_record(struct rec *r, const struct news *n);

#endif
