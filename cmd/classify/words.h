/* words.h: text folded for matching and for word counts. Case is folded,
 * accents and other marks are stripped, compatibility forms are unified
 * (utf8proc: NFKD, case folding, marks stripped; plus ø->o, ł->l, æ->ae and
 * a few other Latin letters that have no decomposition), TeX accents are
 * read (Schr\"odinger), and every run of characters that are not letters
 * or digits becomes one space. */
#ifndef FEEDPIPE_WORDS_H
#define FEEDPIPE_WORDS_H

#include <stddef.h>

#include "buf.h"

/*
 * Append the folded form of the UTF-8 text s[0..n) to out: its words, each
 * followed by one ' ', and a ' ' first if out is empty. So out always reads
 * " word word ... word ", and a term matches as a whole word where
 * " term " occurs in it. Invalid UTF-8 separates words.
 */
void words_fold(struct buf *out, const char *s, size_t n);

/* Release the caches words_fold keeps. */
void words_free(void);

/* The next word of folded text f[*pos..n), setting *len; NULL at the end. */
const char *words_next(const char *f, size_t n, size_t *pos, size_t *len);

/* Is the folded word w[0..n) an English stop word ("the", "of", "we")? */
int words_stop(const char *w, size_t n);

/* Is the folded word w[0..n) worth counting (naive Bayes, --like): two
 * characters or more, not only digits, not a stop word, at most 64 bytes. */
int words_token(const char *w, size_t n);

#endif
