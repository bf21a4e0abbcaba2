/* aho.h: an Aho-Corasick automaton over bytes: every occurrence of every
 * pattern in one pass over the text, whatever the number of patterns.
 * Built as a full DFA over the byte classes the patterns use, so a text
 * byte costs one table look-up. */
#ifndef FEEDPIPE_AHO_H
#define FEEDPIPE_AHO_H

#include <stddef.h>

struct aho;

struct aho *aho_new(void);
/* Add a pattern (n > 0) before aho_compile; its id, counted from 0. The
 * same bytes added again get the same id. */
size_t aho_add(struct aho *a, const char *s, size_t n);
size_t aho_count(const struct aho *a);
/* Build the automaton. -1 if it would be too large (over 2^31 cells). */
int aho_compile(struct aho *a);

/* Called for each occurrence: the pattern's id and where it ends in the
 * text (one past its last byte). */
typedef void aho_hit(void *arg, size_t id, size_t end);
void aho_scan(const struct aho *a, const char *s, size_t n, aho_hit *hit,
    void *arg);

/* States and byte classes of the compiled automaton (for benchmarks). */
size_t aho_states(const struct aho *a);
size_t aho_classes(const struct aho *a);
void aho_free(struct aho *a);

#endif
