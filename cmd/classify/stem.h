/* stem.h: Snowball stemmers (libstemmer) over folded words (words.h), so
 * that "networks" and "network", "learned" and "learning" are one word. */
#ifndef FEEDPIPE_STEM_H
#define FEEDPIPE_STEM_H

#include <stddef.h>

#include "buf.h"

struct stem;

/* A stemmer for the Snowball language called name ("english", "german",
 * "de" ...; case does not matter); NULL if there is no such language. */
struct stem *stem_new(const char *name);
/* Append to out the stems of the words of folded text f[0..n) (" w w "), in
 * the same form: " s s ", a ' ' first if out is empty. */
void stem_words(struct stem *st, struct buf *out, const char *f, size_t n);
/* The stem of the folded word w[0..n), its length in *len; valid until the
 * next call. Stems of short words are cached. */
const char *stem_word(struct stem *st, const char *w, size_t n, size_t *len);
/* Say that a term uses the stem s[0..n). */
void stem_keep(struct stem *st, const char *s, size_t n);
/* As stem_words, for the text to match terms in: each run of words whose
 * stems no term uses becomes one ".", which no term matches but which
 * keeps the words of a phrase apart. Stems are cached. */
void stem_text(struct stem *st, struct buf *out, const char *f, size_t n);
/* Append the names of the languages, separated by ", ". */
void stem_languages(struct buf *out);
void stem_free(struct stem *st);

#endif
