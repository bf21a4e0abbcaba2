/* verdicts.h: classify --train --verdicts: the reader's verdicts on
 * records by id, lines "ID<TAB>+" (like it) or "ID<TAB>-" (do not). */
#ifndef FEEDPIPE_VERDICTS_H
#define FEEDPIPE_VERDICTS_H

#include <stddef.h>

struct verdicts;

/* Read the verdicts of path; a bad line is fatal ("path:line: ..."). A
 * later line for the same id wins, so that verdicts can be appended. */
struct verdicts *verdicts_load(const char *path);
/* The verdict on the record with the id s[0..n): 1 for '+', -1 for '-', 0
 * if there is none or a record with that id was taken already (a record
 * read twice, in two days' files, counts once). */
int verdicts_take(struct verdicts *v, const char *s, size_t n);
/* Warn about the verdicts no record taken named. */
void verdicts_report_unused(const struct verdicts *v, const char *path);
void verdicts_free(struct verdicts *v);

#endif
