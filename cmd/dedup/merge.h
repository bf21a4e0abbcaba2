/* merge.h: dedup --merge: every record kept until the end of input, then
 * each group written as its first record with what its duplicates add. */
#ifndef FEEDPIPE_MERGE_H
#define FEEDPIPE_MERGE_H

#include <stddef.h>

#include "jsonl.h"
#include "paper.h"
#include "rec.h"

/* The next input begins: its name, "-" for stdin. */
void merge_input(const char *path);
/* Keep the record in (read as rec), the first of a new group (grp < 0)
 * or a duplicate in group grp, with a member to add (its value taken):
 * its index, which names its group if it is the first. */
long merge_keep(const struct jsonl *in, const struct rec *rec, long grp,
    struct news news);
/* A key new in this run belongs to group grp. */
void merge_add_key(long grp);
/* The group of the i-th key new in this run. */
long merge_key_group(size_t i);
/* The groups, in input order, each folded: the union of categories, the
 * better arXiv announce type and the later version, what the first lacks
 * (a journal version's doi and journal), where the others appeared as its
 * "also" (the primary category first), its members to add. */
void merge_write(void);

#endif
