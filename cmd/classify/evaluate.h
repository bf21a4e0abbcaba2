/* evaluate.h: classify --eval: the tags given against the labels the
 * records carry, counted per tag, and the table of precision, recall and
 * F1 per tag, micro- and macro-averaged. */
#ifndef FEEDPIPE_EVALUATE_H
#define FEEDPIPE_EVALUATE_H

#include <stddef.h>

struct evaluate;

struct evaluate *evaluate_new(void);
/* Count one record: the tags it was given and the labels it carries (a
 * label given twice counts once). */
void evaluate_count(struct evaluate *e, const char *const *given,
    size_t ngiven, char *const *labels, size_t nlabels);
/* Print the table to stdout, tags by name. */
void evaluate_print(struct evaluate *e);
void evaluate_free(struct evaluate *e);

#endif
