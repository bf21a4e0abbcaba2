/* ruleparse.h: the classify rules language read line by line into a rule
 * set (rules.h): the rule set's parts, which rules.c compiles and matches
 * with, and the parser. */
#ifndef FEEDPIPE_RULEPARSE_H
#define FEEDPIPE_RULEPARSE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <stddef.h>
#include <stdint.h>

#include <pcre2.h>

#include "buf.h"
#include "rules.h"

enum { MAXFIELDS = 64 };
#define MAXWEIGHT 1e9	/* |term and field weights| */

struct fref {
	size_t field;
	double weight;
};

/* the fields of one rule line */
struct fset {
	struct fref *f;
	size_t n;
	uint64_t mask;
};

struct term {
	size_t tag, fset;
	char *text;		/* as written */
	char *pat;		/* folded, with the word bounds it wants */
	size_t patlen;
	size_t pid;		/* its pattern in the automaton */
	long lang;		/* matched on words stemmed so, or -1: as folded */
	double weight;
	int veto;
	long re;		/* index in res, or -1 */
	/* this record */
	unsigned gen;
	double best;		/* largest field weight it matched in */
	size_t field;		/* that field */
};

struct tag {
	char *name;
	size_t len;
	double threshold;
	int has_threshold;
	size_t npos;		/* positive terms */
	const char *src;	/* where it was first defined */
	unsigned long line, tline;	/* and where its threshold was set */
	/* this record */
	size_t res;		/* index in results */
	long veto;		/* first negative term that matched, or -1 */
};

struct regex {
	pcre2_code *code;
	pcre2_match_data *md;
	size_t term;
};

/* a Snowball language the rules use */
struct lang {
	char *name;
	struct stem *stem;
	uint64_t fields;	/* where its terms are looked for */
};

struct rules {
	struct tag *tags;
	size_t ntags, captags;
	struct term *terms;
	size_t nterms, capterms;
	struct fset *fsets;
	size_t nfsets;
	char *fields[MAXFIELDS];	/* as given first */
	char *canon[MAXFIELDS];		/* without a leading '.' */
	size_t nfields;
	struct regex *res;
	size_t nres;
	char **srcs;		/* names given to rules_add */
	size_t nsrcs;
	struct lang *langs;
	size_t nlangs;
	/* parsing */
	long cur_tag, cur_fset;
	long cur_lang;		/* index in langs, or -1: no stemming */
	/* matching */
	struct aho *aho;
	long *patterm;		/* pattern -> first term, then next in term list */
	long *nextterm;
	uint64_t ac_fields, re_fields;	/* fields with folded or regex terms */
	uint64_t stem_fields;	/* fields with stemmed terms, any language */
	pcre2_match_context *mctx;
	unsigned long limits;
	unsigned gen;
	size_t *hit;		/* terms hit this record */
	size_t nhit, caphit;
	size_t curfield;
	long curlang;		/* the text being scanned: stemmed so, or folded */
	struct buf fold, subj, stemmed;
	struct rules_result *result;
	struct rules_hit *hits;
	struct rules_hit *vhits;
	size_t *hitterm;	/* the term of each of hits */
	uint64_t *touched;	/* tags touched this record */
	long default_fset;
};

/* Before the first line of a source: no rule yet, English stems. */
void ruleparse_begin(struct rules *r);
/* Parse the line s[0..n) (no line end) of the source src, line lineno:
 * a comment, a directive, a rule or the continuation of one. -1 and a
 * message ("column 7: ...") in err on a syntax error. */
int ruleparse_line(struct rules *r, const char *s, size_t n, const char *src,
    unsigned long lineno, char *err, size_t errlen);
/* The tag called name[0..n), or -1. */
long ruleparse_find_tag(const struct rules *r, const char *name, size_t n);

#endif
