/* emit.h: dedup's output, record lines on stdout; a write error is
 * fatal. */
#ifndef FEEDPIPE_EMIT_H
#define FEEDPIPE_EMIT_H

#include <stddef.h>

/* The line s[0..n) and a newline. */
void emit_line(const char *s, size_t n);
/* The record line s[0..n) with members (JSON text: "k":v,...) added
 * before its closing brace; as it is for NULL. */
void emit_with(const char *s, size_t n, const char *members);

#endif
