/* additions.h: the members classify adds to a record: "tags", "score"
 * and, with --explain, "explain" (classify(1)). */
#ifndef FEEDPIPE_ADDITIONS_H
#define FEEDPIPE_ADDITIONS_H

#include <stddef.h>

#include "buf.h"

#define F_EXPLAIN "explain"
#define LIKE_TAG "like"		/* the tag --like gives */

struct rules;
struct rules_result;
struct nb;
struct like;
struct rec;

/* A tag given, in the order written. */
struct additions_tag {
	const char *name;
	double score;	/* rules: the sum of weights; else a probability */
	size_t cls;	/* model: the class */
};

/* What classify found for one record: the tags given, and what it was
 * classified by (rules, model or like is not NULL). */
struct additions {
	const struct additions_tag *tag;
	size_t ntags;
	const struct rules *rules;
	const struct rules_result *res;	/* every tag a term touched */
	size_t nres;
	struct nb *model;
	const double *post;		/* the probability of each tag */
	const struct like *like;
	double like_sim;		/* the record's score */
	int explain;
};

/* The members into the record r: classify's own members it had are left
 * out, and those found go at its end ("tags", "score", "explain"). tmp is
 * scratch space. */
void additions_apply(struct rec *r, const struct additions *a,
    struct buf *tmp);

#endif
