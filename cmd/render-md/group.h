/* group.h: records in groups (render-md's own). */
#ifndef FEEDPIPE_GROUP_H
#define FEEDPIPE_GROUP_H

#include <stddef.h>

#include <jansson.h>

#include "path.h"

enum { GROUP_MAXPATHS = 16 };

struct group_set {
	struct path *by[GROUP_MAXPATHS];	/* a group is named by the first */
	size_t nby;				/* of these a record has */
	json_t *map;		/* group name -> its object in list */
	json_t *list;		/* {name, anchor, records}, in order of first appearance */
	json_t *anchors;	/* anchors taken */
	json_t *anchorbase;	/* a base -> the next number to try */
};

/* The group objects (the paths are the caller's to fill in). */
void group_init(struct group_set *gs);
/* The group of rec, made if new (borrowed): a name that is not empty, or
 * "Other". */
json_t *group_find(struct group_set *gs, json_t *rec);
/* Set rec's group and anchor to g's. */
void group_label(json_t *rec, json_t *g);
/* All groups (a new array): those named in order[0..norder) first, in
 * that order, then the others as they came; each with its count. */
json_t *group_sorted(struct group_set *gs, char **order, size_t norder);
/* The groups and the paths. */
void group_free(struct group_set *gs);

#endif
