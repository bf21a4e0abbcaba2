/* simidx.h: find near-duplicate titles by the Jaccard similarity of their
 * word sets, |A ∩ B| / |A ∪ B|, without comparing every pair.
 *
 * The words of the titles added go into an inverted index, with one
 * posting list per word and title size. A title of n distinct words reaches
 * similarity t with one of m words only if they share
 * a = ceil(t (n + m) / (1 + t)) words, so only if that title holds one of
 * any n - a + 1 of its words (prefix filtering), and only for
 * t n <= m <= n / t. A probe reads, for each such m, the lists of its
 * n - a + 1 rarest words among titles of m words, and checks each title
 * found exactly.
 * Where the threshold leaves titles of n and m words at most d <= 3 words
 * apart (|A - B| + |B - A| <= d: at t = 0.9 for titles up to 18 words), that
 * word index degenerates when every title shares common words: then the
 * words are split into d + 1 parts by hash, sets that close agree on one
 * part whole, and a title is listed under each of its parts instead.
 * A probe costs a few short lists for real titles. */
#ifndef FEEDPIPE_SIMIDX_H
#define FEEDPIPE_SIMIDX_H

#include <stddef.h>

struct simidx;

/* threshold in (0, 1] */
struct simidx *simidx_new(double threshold);
void simidx_free(struct simidx *x);
/* Make norm the current title: its distinct words, as title_norm
 * separates them (single spaces). */
void simidx_set(struct simidx *x, const char *norm, size_t n);
/* Look for the earliest title added whose similarity to the current one is
 * at least the threshold: 1 and its owner in *owner, or 0. */
int simidx_match(struct simidx *x, long *owner);
/* Add the current title, belonging to owner. */
void simidx_add(struct simidx *x, long owner);
/* Similarity of two normalised titles, for tests and reports. */
double simidx_jaccard(const char *a, size_t an, const char *b, size_t bn);

#endif
