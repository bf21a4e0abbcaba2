/* nb.h: a multinomial naive Bayes text classifier over word presence
 * (each distinct word of a record counts once), Laplace smoothing, and its
 * model file: versioned text holding counts, written atomically.
 *
 * Records with several labels train every one of them; records with none
 * train a "no tag" class, so that the model can say "none of these". */
#ifndef FEEDPIPE_NB_H
#define FEEDPIPE_NB_H

#include <stddef.h>

#define NB_VERSION 1

struct nb;

/* An empty model that will read the fields fields[0..n) (path texts). */
struct nb *nb_new(const char *const *fields, size_t n);
/* Count one record: its labels and its folded text (words.h). */
void nb_train(struct nb *m, const char *const *labels, size_t nlabels,
    const char *folded, size_t n);
/* Records counted so far. */
unsigned long nb_docs(const struct nb *m);
/* Write the model to path through a temporary file in the same directory
 * and rename(2). -1 and a message (with strerror) on failure. */
int nb_save(const struct nb *m, const char *path, char *err, size_t errlen);
/* Read a model. NULL on failure, with the line (0 if none) and a message. */
struct nb *nb_load(const char *path, unsigned long *line, char *err,
    size_t errlen);

size_t nb_nfields(const struct nb *m);
const char *nb_field(const struct nb *m, size_t i);
/* The tags, not counting "no tag". */
size_t nb_ntags(const struct nb *m);
const char *nb_tag(const struct nb *m, size_t i);
long nb_find_tag(const struct nb *m, const char *name);

/* The probability of each tag for this folded text into post[0..ntags),
 * and of "no tag" into *none (0 if the model has no such class). */
void nb_predict(struct nb *m, const char *folded, size_t n, double *post,
    double *none);
/* Up to k words of the last nb_predict that speak most for tag against
 * the most probable other class, strongest first; their number. */
size_t nb_explain(struct nb *m, size_t tag, const char **words, size_t k);
void nb_free(struct nb *m);

#endif
