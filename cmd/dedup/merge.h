/* merge.h: dedup --merge on jansson trees: what a group's duplicates add
 * to its first record. */
#ifndef FEEDPIPE_MERGE_H
#define FEEDPIPE_MERGE_H

#include <jansson.h>

/* Fold the duplicate d into m: the union of categories, the better arXiv
 * announce type and the later version, what m lacks (a journal version's
 * doi and journal), and where d appeared into also. */
void merge_fold(json_t *m, json_t *d, json_t *also);
/* After the folds: also (minus m itself) as m's "also", and the primary
 * category first. */
void merge_finish(json_t *m, json_t *also);
/* Members given as JSON text ("k":v,...), such as dedup's preprint, onto m;
 * nothing for NULL. */
void merge_members(json_t *m, const char *members);

#endif
