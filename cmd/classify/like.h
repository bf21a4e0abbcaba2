/* like.h: how close a text is to a library of the reader's papers, by
 * TF-IDF cosine similarity (classify --like).
 *
 * Terms are the Snowball stems (English) of the folded words (words.h) that
 * words_token keeps. A term weighs (1 + ln tf) idf, idf = ln((1 + N) /
 * (1 + df)) + 1 with N papers in the library and df the papers that use
 * the term: from the library alone, so that a record's score does not
 * depend on the other records of the run; a term no paper uses has df 0.
 * The score is the mean of the k greatest cosines between the text and the
 * library's papers, found through an inverted index over the library's
 * terms. */
#ifndef FEEDPIPE_LIKE_H
#define FEEDPIPE_LIKE_H

#include <stddef.h>

struct like;

struct like *like_new(void);
/* Add one paper of the library: its folded text and a name for
 * like_nearest. 0 if it has no term (and was not added), else 1. */
int like_add(struct like *l, const char *folded, size_t n, const char *name);
size_t like_ndocs(const struct like *l);
/* Weigh the library's terms and build the index: after the last like_add,
 * before the first like_score. */
void like_build(struct like *l);
/* The mean of the k greatest cosine similarities between the folded text
 * and the papers (k at most the number of papers), from 0 to 1. */
double like_score(struct like *l, const char *folded, size_t n, size_t k);
/* The names of the papers nearest the last text scored, nearest first, as
 * many as it had a cosine above 0 with, up to its k; their number. */
size_t like_nearest(const struct like *l, const char **names, size_t max);
void like_free(struct like *l);

#endif
