/* mstree.h: a compiled template, as mst.c builds it and mstrender.c
 * renders it (render-md's own; see mst.h for the interface). */
#ifndef FEEDPIPE_MSTREE_H
#define FEEDPIPE_MSTREE_H

#include <stddef.h>

#include "mst.h"

enum { T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_PARTIAL, T_CLOSE,
	T_COMMENT, T_DELIM };
enum { AT_NONE, AT_INDEX, AT_FIRST, AT_LAST };
enum { MAXDELIM = 32, MAXNEST = 64, MAXSECTIONS = 1000, MAXSTACK = 4096 };

struct name {
	int dot;		/* "." */
	int at;			/* @index, @first, @last */
	int lead;		/* ".x": the top of the stack only */
	size_t nparts;
	char **parts;
};

struct node {
	int type;
	unsigned line;
	char *s;		/* text, or the tag's content */
	size_t n;
	struct name nm;
	char *indent;		/* a standalone partial's indentation */
	struct node *kids;	/* a section's contents */
	size_t nkids;
};

struct mst {
	struct node *kids;
	size_t nkids;
};

/* a partial in a struct mst_lib */
struct entry {
	char *name, *indent;
	struct mst *t;		/* NULL: not found */
	int warned, walked;
};

/* The partial name compiled with indent; NULL with *err empty if there is
 * none, NULL with a message if it does not compile. */
struct entry *mst_lib_get(struct mst_lib *lib, const char *name,
    const char *indent, char *err, size_t errlen);

#endif
