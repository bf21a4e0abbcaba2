/* rules.h: the classify rules language (feedpipe-rules(5)) and its matcher.
 *
 *	# comment
 *	ML: "neural network" learning* "deep learning"^2 -survey
 *	ferro in title^2, summary >= 2: ferroelec* ferromag* *magnet*
 *	    /\bBa?TiO_?3\b/i		(an indented line continues the rule)
 *	people in .authors: "Hartmut Löwen"
 *
 * Words, prefixes (w*), suffixes (*w), infixes (*w*) and phrases of every
 * rule are matched in one pass over each field's folded text (words.h,
 * aho.h); words and phrases without stars on the stems of its words, one
 * more pass per language ("%language german"; English by default; stem.h),
 * unless written =word or ="a phrase". Only /regex/ terms run one by one,
 * with PCRE2. */
#ifndef FEEDPIPE_RULES_H
#define FEEDPIPE_RULES_H

#include <stddef.h>

struct rules;
struct path;

struct rules *rules_new(void);
/* Parse rules from text[0..n) (a file, or one -e), called name in later
 * messages. On a syntax error return -1, the line in *line and a message
 * ("column 7: ...") in err. */
int rules_add(struct rules *r, const char *name, const char *text, size_t n,
    unsigned long *line, char *err, size_t errlen);
/* After the last rules_add: check the rule set (every tag needs a positive
 * term) and build the matcher. Tags without ">= N" need a score >= deflt
 * if has_deflt, else a score > 0. -1 and a message on error. */
int rules_compile(struct rules *r, double deflt, int has_deflt,
    char *err, size_t errlen);

size_t rules_ntags(const struct rules *r);
const char *rules_tag(const struct rules *r, size_t i);
/* Index of the tag called name, or -1. */
long rules_find_tag(const struct rules *r, const char *name);
/* The distinct fields the rules look in, each once. */
size_t rules_nfields(const struct rules *r);
const char *rules_field(const struct rules *r, size_t i);

/* Matching one record: begin, feed every string of every field, end. */
void rules_begin(struct rules *r);
void rules_match(struct rules *r, size_t field, const char *s, size_t n);

struct rules_hit {
	const char *term;	/* as written in the rules */
	const char *field;	/* where it matched first */
};

/* A tag any term of which matched. */
struct rules_result {
	size_t tag;		/* index, rule order */
	double score;		/* sum of the weights of its terms that matched */
	double threshold;
	int below;		/* not given: score under the threshold */
	const struct rules_hit *veto;	/* not given: this negative term matched */
	int given;		/* the record gets the tag */
	size_t nhits;
	const struct rules_hit *hits;	/* positive terms, rule order */
};

/* The tags any term touched, in rule order, in *res; their number. Valid
 * until the next rules_begin. */
size_t rules_end(struct rules *r, const struct rules_result **res);
/* Regex matches abandoned at PCRE2's match limit so far. */
unsigned long rules_regex_limits(const struct rules *r);
void rules_free(struct rules *r);

#endif
