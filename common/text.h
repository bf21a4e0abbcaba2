/* text.h: UTF-8 and plain-text helpers. */
#ifndef FEEDPIPE_TEXT_H
#define FEEDPIPE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Write the UTF-8 encoding of a valid code point into u[4]; its length. */
size_t utf8_encode(uint32_t cp, char *u);
/* Append the UTF-8 encoding of code point cp (U+FFFD if it is not one). */
void utf8_put(struct buf *b, uint32_t cp);
/* Length of the valid UTF-8 sequence at s (n > 0), or 0 if it is invalid. */
size_t utf8_seqlen(const unsigned char *s, size_t n);
/* Length of the valid UTF-8 prefix of s[0..n). */
size_t utf8_valid_prefix(const char *s, size_t n);
/* Append s, replacing each invalid UTF-8 sequence by U+FFFD; returns how many were replaced. */
size_t utf8_repair(struct buf *out, const char *s, size_t n);

/*
 * Append plain text with white space normalised: runs of blanks (and
 * U+00A0) become one space, a blank line becomes a paragraph break
 * ("\n\n"); nothing leading or trailing. Appends to what out holds.
 */
void text_plain(struct buf *out, const char *s, size_t n);
/* The same, but every run of white space becomes one space (titles). */
void text_line(struct buf *out, const char *s, size_t n);

/* strstr within s[0..n), for text that is not NUL-terminated. */
const char *text_memfind(const char *s, size_t n, const char *needle);

/* Append s without its leading and trailing white space. */
void text_trimmed(struct buf *out, const char *s, size_t n);

/* Does s look like HTML (a known tag or an entity reference)? */
int text_looks_like_html(const char *s, size_t n);
/* Decode named (HTML) and numeric character references; others are kept. */
void text_decode_entities(struct buf *out, const char *s, size_t n);
/* Does s contain a character reference text_decode_entities would decode? */
int text_has_entity(const char *s, size_t n);

/*
 * C1 controls (U+0080-U+009F) in b from byte from on: what a feed meant by
 * them is Windows-1252 (&#146; is a right quote), as HTML5 reads them.
 */
void text_fix_c1(struct buf *b, size_t from);

/* UTF-8 that was read as Windows-1252 and encoded again ("â€¦"), undone. */
void text_fix_mojibake(struct buf *b, size_t from);

/* Replace TeX accent commands (L\"owen, {\'e}, \v{s}, \ss) by letters, NFC. */
void text_tex_accents(struct buf *out, const char *s, size_t n);

/* Word-at-a-time tests on eight bytes (n <= 128): any byte < n, any byte == c. */
#define SWAR_ONES 0x0101010101010101ULL
#define SWAR_HIGH 0x8080808080808080ULL
#define SWAR_LESS(w, n) (((w) - SWAR_ONES * (n)) & ~(w) & SWAR_HIGH)
#define SWAR_HAS(w, c) SWAR_LESS((w) ^ (SWAR_ONES * (c)), 1)

/* ASCII helpers that ignore the locale. */
/* What a Latin letter that NFKD leaves alone (ø ł đ æ ...) folds to, lower
 * case ASCII; NULL for any other code point. */
const char *text_fold_latin(int32_t cp);

int ascii_casecmp(const char *a, const char *b);
int ascii_ncasecmp(const char *a, const char *b, size_t n);
const char *ascii_casestr(const char *hay, const char *needle);
int is_space(int c);

#endif
