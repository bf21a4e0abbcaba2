/* rules.c: parsing and matching classify rules (rules.h, feedpipe-rules(5)). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pcre2.h>

#include "aho.h"
#include "buf.h"
#include "path.h"
#include "rules.h"
#include "stem.h"
#include "util.h"
#include "words.h"

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

struct rules *
rules_new(void)
{
	struct rules *r = ecalloc(1, sizeof(*r));

	r->cur_tag = r->cur_fset = r->default_fset = -1;
	return r;
}

static int
isblank_(int c)
{
	return c == ' ' || c == '\t';
}

struct lex {
	const char *line, *p, *end;
	char *err;
	size_t errlen;
};

static int
lexerr(struct lex *lx, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
lexerr(struct lex *lx, const char *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(lx->err, lx->errlen, "column %d: ", (int)(at - lx->line) + 1);
	if (n < 0 || (size_t)n >= lx->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(lx->err + n, lx->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static void
skipws(struct lex *lx)
{
	while (lx->p < lx->end && isblank_(*lx->p))
		lx->p++;
}

static int
atend(struct lex *lx)
{
	return lx->p == lx->end || *lx->p == '#';
}

/* "^2", "^-0.5" at lx->p, if there */
static int
weight(struct lex *lx, double *w)
{
	char num[64], *e;
	const char *s = lx->p + 1;
	size_t n;

	*w = 1;
	if (lx->p == lx->end || *lx->p != '^')
		return 0;
	for (n = 0; s + n < lx->end && n < sizeof(num) - 1 &&
	    !isblank_(s[n]) && s[n] != ',' && s[n] != ':' && s[n] != '#'; n++)
		num[n] = s[n];
	num[n] = '\0';
	*w = strtod(num, &e);
	/* bounded, so that no sum of products of weights overflows */
	if (!n || *e || !isfinite(*w))
		return lexerr(lx, lx->p, "'^' wants a number, such as ^2 or ^0.5");
	if (!(fabs(*w) <= MAXWEIGHT))
		return lexerr(lx, lx->p, "'^' wants a weight from -1e9 to 1e9");
	lx->p = s + n;
	return 0;
}

static long
field_index(struct rules *r, const char *text, struct lex *lx, const char *at)
{
	char err[256];
	struct path *p;
	const char *c = text[0] == '.' && text[1] && text[1] != '[' ? text + 1 : text;
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (!strcmp(r->canon[i], c))
			return (long)i;
	if (!(p = path_parse(text, err, sizeof(err))))
		return lexerr(lx, at, "field '%s': %s", text, err);
	path_free(p);
	if (r->nfields == MAXFIELDS)
		return lexerr(lx, at, "more than %d different fields", MAXFIELDS);
	r->fields[r->nfields] = estrdup(text);
	r->canon[r->nfields] = estrdup(c);
	return (long)r->nfields++;
}

static long
new_fset(struct rules *r)
{
	r->fsets = erealloc(r->fsets, (r->nfsets + 1) * sizeof(*r->fsets));
	memset(&r->fsets[r->nfsets], 0, sizeof(*r->fsets));
	return (long)r->nfsets++;
}

static void
fset_add(struct rules *r, size_t fs, size_t field, double w)
{
	struct fset *f = &r->fsets[fs];
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->f[i].field == field) {
			f->f[i].weight = w;
			return;
		}
	f->f = erealloc(f->f, (f->n + 1) * sizeof(*f->f));
	f->f[f->n].field = field;
	f->f[f->n++].weight = w;
	f->mask |= (uint64_t)1 << field;
}

/* "in title^2, summary .authors" */
static int
fields(struct rules *r, struct lex *lx, size_t fs)
{
	const char *start;
	char *text;
	double w;
	long f;

	for (;;) {
		skipws(lx);
		if (atend(lx) || *lx->p == ':' || *lx->p == '>')
			break;
		start = lx->p;
		while (lx->p < lx->end && !isblank_(*lx->p) && *lx->p != ',' &&
		    *lx->p != ':' && *lx->p != '^') {
			if (*lx->p++ != '"')
				continue;
			while (lx->p < lx->end && *lx->p != '"')
				lx->p += *lx->p == '\\' && lx->p + 1 < lx->end ? 2 : 1;
			if (lx->p < lx->end)
				lx->p++;
		}
		if (lx->p == start)
			return lexerr(lx, start, "expected a field");
		text = estrndup(start, (size_t)(lx->p - start));
		f = field_index(r, text, lx, start);
		free(text);
		if (f < 0 || weight(lx, &w))
			return -1;
		fset_add(r, fs, (size_t)f, w);
		skipws(lx);
		if (lx->p < lx->end && *lx->p == ',')
			lx->p++;
	}
	if (!r->fsets[fs].n)
		return lexerr(lx, lx->p, "'in' wants one or more fields");
	return 0;
}

static int
tagchar(unsigned char c)
{
	return c > 0x20 && c != 0x7f && c != ':' && c != ',' && c != '"' &&
	    c != '#' && c != '\\';
}

static long
find_tag(const struct rules *r, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < r->ntags; i++)
		if (r->tags[i].len == n && !memcmp(r->tags[i].name, name, n))
			return (long)i;
	return -1;
}

/* "TAG [in FIELDS] [>= N]:" */
static int
header(struct rules *r, struct lex *lx, const char *src, unsigned long line)
{
	const char *start = lx->p;
	char num[64], *e;
	struct tag *t;
	double thr = 0;
	int has_thr = 0;
	long ti;
	size_t n;

	while (lx->p < lx->end && tagchar((unsigned char)*lx->p))
		lx->p++;
	if (lx->p == start || *start == '-')
		return lexerr(lx, start, "expected a tag name (letters, digits, "
		    "'.', '-', '_' ...; not starting with '-')");
	n = (size_t)(lx->p - start);
	if (lx->p < lx->end && !isblank_(*lx->p) && *lx->p != ':')
		return lexerr(lx, lx->p, "'%c' cannot be part of a tag name", *lx->p);
	r->cur_fset = -1;
	skipws(lx);
	if (lx->end - lx->p > 2 && !memcmp(lx->p, "in", 2) && isblank_(lx->p[2])) {
		lx->p += 2;
		r->cur_fset = new_fset(r);
		if (fields(r, lx, (size_t)r->cur_fset))
			return -1;
	}
	skipws(lx);
	if (lx->end - lx->p >= 2 && !memcmp(lx->p, ">=", 2)) {
		lx->p += 2;
		skipws(lx);
		for (n = 0; lx->p + n < lx->end && n < sizeof(num) - 1 &&
		    !isblank_(lx->p[n]) && lx->p[n] != ':'; n++)
			num[n] = lx->p[n];
		num[n] = '\0';
		thr = strtod(num, &e);
		if (!n || *e || !isfinite(thr))
			return lexerr(lx, lx->p, "'>=' wants a number");
		if (!(fabs(thr) <= MAXWEIGHT * MAXWEIGHT))
			return lexerr(lx, lx->p, "'>=' wants a threshold from "
			    "-1e18 to 1e18");
		lx->p += n;
		has_thr = 1;
		skipws(lx);
		n = (size_t)0;
	}
	if (lx->p == lx->end || *lx->p != ':')
		return lexerr(lx, lx->p, "expected %s':' after the tag",
		    has_thr ? "" : r->cur_fset < 0 ? "'in FIELDS', '>= N' or " :
		    "',', '>= N' or ");
	lx->p++;
	n = 0;
	while (start + n < lx->end && tagchar((unsigned char)start[n]))
		n++;
	if ((ti = find_tag(r, start, n)) < 0) {
		if (r->ntags == r->captags) {
			r->captags = r->captags ? r->captags * 2 : 16;
			r->tags = erealloc(r->tags, r->captags * sizeof(*r->tags));
		}
		ti = (long)r->ntags++;
		t = &r->tags[ti];
		memset(t, 0, sizeof(*t));
		t->name = estrndup(start, n);
		t->len = n;
		t->src = src;
		t->line = line;
	}
	t = &r->tags[ti];
	if (has_thr) {
		if (t->has_threshold && t->threshold != thr)
			return lexerr(lx, start, "tag '%s' has '>= %g' on line %lu "
			    "already", t->name, t->threshold, t->tline);
		t->threshold = thr;
		t->has_threshold = 1;
		t->tline = line;
	}
	r->cur_tag = ti;
	return 0;
}

/* The index in r->langs of the language called name (made on first use),
 * -1 for "none" (no stemming), -2 if there is no such language. */
static long
lang_index(struct rules *r, const char *name)
{
	struct stem *st;
	size_t i;

	if (!strcasecmp(name, "none"))
		return -1;
	for (i = 0; i < r->nlangs; i++)
		if (!strcasecmp(r->langs[i].name, name))
			return (long)i;
	if (!(st = stem_new(name)))
		return -2;
	r->langs = erealloc(r->langs, (r->nlangs + 1) * sizeof(*r->langs));
	r->langs[r->nlangs].name = estrdup(name);
	r->langs[r->nlangs].stem = st;
	r->langs[r->nlangs].fields = 0;
	return (long)r->nlangs++;
}

/* "%language german": the language of the terms that follow it in this
 * source. 0 if the line is no directive (a tag may start with '%'). */
static int
directive(struct rules *r, struct lex *lx)
{
	static const char kw[] = "%language";
	struct buf list = { NULL, 0, 0 };
	const char *name;
	char *s;
	size_t n = sizeof(kw) - 1;
	long li;

	if ((size_t)(lx->end - lx->p) < n || memcmp(lx->p, kw, n) ||
	    (lx->p + n < lx->end && !isblank_(lx->p[n]) && lx->p[n] != '#'))
		return 0;
	lx->p += n;
	skipws(lx);
	name = lx->p;
	while (lx->p < lx->end && !isblank_(*lx->p) && *lx->p != '#')
		lx->p++;
	s = estrndup(name, (size_t)(lx->p - name));
	li = *s ? lang_index(r, s) : -2;
	skipws(lx);
	if (li == -2) {
		stem_languages(&list);
		if (*s)
			lexerr(lx, name, "unknown language '%s' (there are %s "
			    "and none)", s, buf_str(&list));
		else
			lexerr(lx, name, "%%language wants a language: %s or "
			    "none", buf_str(&list));
	} else if (!atend(lx)) {
		lexerr(lx, lx->p, "expected the end of the line after the "
		    "language");
		li = -2;
	}
	free(s);
	buf_free(&list);
	if (li == -2)
		return -1;
	r->cur_lang = li;
	r->cur_tag = -1;	/* an indented line would mix languages in a rule */
	return 1;
}

static struct term *
new_term(struct rules *r)
{
	struct term *t;

	if (r->nterms == r->capterms) {
		r->capterms = r->capterms ? r->capterms * 2 : 64;
		r->terms = erealloc(r->terms, r->capterms * sizeof(*r->terms));
	}
	t = &r->terms[r->nterms++];
	memset(t, 0, sizeof(*t));
	t->re = -1;
	t->lang = -1;
	return t;
}

static int
regex_term(struct rules *r, struct lex *lx, struct term *t, const char *start)
{
	struct buf pat = { NULL, 0, 0 };
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	uint32_t opts = PCRE2_UTF | PCRE2_UCP;
	const char *p = lx->p + 1;
	pcre2_code *code;
	int ec;

	for (; p < lx->end && *p != '/'; p++) {
		if (*p == '\\' && p + 1 < lx->end) {
			if (p[1] != '/')
				buf_putc(&pat, '\\');
			p++;
		}
		buf_putc(&pat, *p);
	}
	if (p == lx->end) {
		buf_free(&pat);
		return lexerr(lx, lx->p, "unterminated /regex/");
	}
	for (lx->p = p + 1; lx->p < lx->end && *lx->p >= 'a' && *lx->p <= 'z';
	    lx->p++) {
		if (*lx->p != 'i') {
			buf_free(&pat);
			return lexerr(lx, lx->p, "unknown regex flag '%c' (there "
			    "is only 'i')", *lx->p);
		}
		opts |= PCRE2_CASELESS;
	}
	code = pcre2_compile((PCRE2_SPTR)buf_str(&pat), pat.len, opts, &ec, &off,
	    NULL);
	buf_free(&pat);
	if (!code) {
		pcre2_get_error_message(ec, msg, sizeof(msg));
		return lexerr(lx, start, "regex: %s (at offset %lu)", (char *)msg,
		    (unsigned long)off);
	}
	r->res = erealloc(r->res, (r->nres + 1) * sizeof(*r->res));
	r->res[r->nres].code = code;
	r->res[r->nres].md = NULL;
	r->res[r->nres].term = (size_t)(t - r->terms);
	t->re = (long)r->nres++;
	return 0;
}

/* "word", "pre*", "*suf", "*in*", "\"a phrase\"": its bytes in body */
static int
word_term(struct lex *lx, struct buf *body)
{
	const char *p = lx->p;

	if (*p == '"') {
		for (p++; p < lx->end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < lx->end)
				p++;
			buf_putc(body, *p);
		}
		if (p == lx->end)
			return lexerr(lx, lx->p, "unterminated \"phrase\"");
		lx->p = p + 1;
		return 0;
	}
	for (; p < lx->end && !isblank_(*p) && *p != '^'; p++) {
		if (*p == '"' || *p == ':')
			return lexerr(lx, p, "'%c' inside a word (quote the term; "
			    "a rule starts at the beginning of a line)", *p);
		buf_putc(body, *p);
	}
	lx->p = p;
	return 0;
}

/* A word or a phrase without stars, folded in r->fold: its words' stems */
static void
stem_term(struct rules *r, struct term *t)
{
	struct stem *st = r->langs[t->lang].stem;
	const char *w;
	size_t pos = 0, len;

	buf_reset(&r->stemmed);
	stem_words(st, &r->stemmed, r->fold.s, r->fold.len);
	t->patlen = r->stemmed.len;
	t->pat = estrndup(r->stemmed.s, t->patlen);
	while ((w = words_next(t->pat, t->patlen, &pos, &len)))
		stem_keep(st, w, len);
}

static int
term(struct rules *r, struct lex *lx)
{
	struct buf body = { NULL, 0, 0 };
	const char *start = lx->p, *b;
	struct term *t;
	size_t n;
	long ft, fs;
	int pre = 0, suf = 0, exact = 0, rc = -1;

	if (r->cur_fset < 0 && (r->cur_fset = r->default_fset) < 0) {
		if ((ft = field_index(r, "title", lx, start)) < 0 ||
		    (fs = field_index(r, "summary", lx, start)) < 0)
			return -1;
		r->cur_fset = r->default_fset = new_fset(r);
		fset_add(r, (size_t)r->cur_fset, (size_t)ft, 1);
		fset_add(r, (size_t)r->cur_fset, (size_t)fs, 1);
	}
	t = new_term(r);
	t->tag = (size_t)r->cur_tag;
	t->fset = (size_t)r->cur_fset;
	if (*lx->p == '-' && lx->p + 1 < lx->end && !isblank_(lx->p[1])) {
		t->veto = 1;
		lx->p++;
	}
	if (*lx->p == '=' && lx->p + 1 < lx->end && !isblank_(lx->p[1])) {
		exact = 1;
		lx->p++;
	}
	if (*lx->p == '/' && exact) {
		lexerr(lx, start, "'=' is for words and phrases (a /regex/ "
		    "is never stemmed)");
		goto out;
	} else if (*lx->p == '/') {
		if (regex_term(r, lx, t, start))
			goto out;
	} else {
		if (word_term(lx, &body))
			goto out;
		b = buf_str(&body);
		n = body.len;
		if (n && b[0] == '*')
			suf = 1, b++, n--;
		if (n && b[n - 1] == '*')
			pre = 1, n--;
		if (memchr(b, '*', n)) {
			lexerr(lx, start, "'*' only at the start or end of a term");
			goto out;
		}
		buf_reset(&r->fold);
		words_fold(&r->fold, b, n);
		if (r->fold.len < 2) {
			lexerr(lx, start, "'%.*s' has no letters or digits (use a "
			    "/regex/)", (int)(lx->p - start), start);
			goto out;
		}
		t->lang = exact || pre || suf ? -1 : r->cur_lang;
		if (t->lang >= 0)
			stem_term(r, t);
		else {
			t->patlen = r->fold.len - (size_t)suf - (size_t)pre;
			t->pat = estrndup(r->fold.s + suf, t->patlen);
		}
	}
	if (t->veto && lx->p < lx->end && *lx->p == '^') {
		lexerr(lx, lx->p, "a negative term has no weight");
		goto out;
	}
	if (weight(lx, &t->weight))
		goto out;
	if (lx->p < lx->end && !isblank_(*lx->p) && *lx->p != '#') {
		lexerr(lx, lx->p, "expected white space after a term");
		goto out;
	}
	t->text = estrndup(start, (size_t)(lx->p - start));
	if (!t->veto)
		r->tags[t->tag].npos++;
	rc = 0;
out:
	if (rc) {
		if (t->re >= 0)
			pcre2_code_free(r->res[--r->nres].code);
		free(t->pat);
		r->nterms--;
	}
	buf_free(&body);
	return rc;
}

static int
terms(struct rules *r, struct lex *lx)
{
	for (;;) {
		skipws(lx);
		if (atend(lx))
			return 0;
		if (term(r, lx))
			return -1;
	}
}

int
rules_add(struct rules *r, const char *name, const char *text, size_t n,
    unsigned long *lineno, char *err, size_t errlen)
{
	const char *p = text, *end = text + n, *nl, *src, *z;
	struct lex lx;
	size_t len;
	int rc;

	r->srcs = erealloc(r->srcs, (r->nsrcs + 1) * sizeof(*r->srcs));
	src = r->srcs[r->nsrcs++] = estrdup(name);
	r->cur_tag = -1;
	r->cur_lang = lang_index(r, "english");
	lx.err = err;
	lx.errlen = errlen;
	for (*lineno = 1; p < end; p = nl + 1, ++*lineno) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		len = (size_t)(nl - p);
		if (len && p[len - 1] == '\r')
			len--;
		lx.line = lx.p = p;
		lx.end = p + len;
		if ((z = memchr(p, '\0', len)))
			return lexerr(&lx, z, "NUL byte");
		skipws(&lx);
		if (atend(&lx))
			continue;
		if (lx.p > p) {
			if (r->cur_tag < 0)
				return lexerr(&lx, lx.p, "an indented line "
				    "continues a rule, but no rule came before");
		} else if ((rc = directive(r, &lx)) != 0) {
			if (rc < 0)
				return -1;
			continue;
		} else if (header(r, &lx, src, *lineno)) {
			return -1;
		}
		if (terms(r, &lx))
			return -1;
		if (nl == end)
			break;
	}
	return 0;
}

int
rules_compile(struct rules *r, double deflt, int has_deflt, char *err,
    size_t errlen)
{
	struct tag *tg;
	struct term *t;
	size_t i, npat;
	long *last;

	for (i = 0; i < r->ntags; i++) {
		tg = &r->tags[i];
		if (!tg->npos) {
			snprintf(err, errlen, "%s:%lu: tag '%s' has no positive "
			    "term: it can never be given", tg->src, tg->line,
			    tg->name);
			return -1;
		}
		if (!tg->has_threshold && has_deflt) {
			tg->threshold = deflt;
			tg->has_threshold = 1;
		}
	}
	r->aho = aho_new();
	for (i = 0; i < r->nterms; i++)
		if (r->terms[i].re < 0)
			r->terms[i].pid = aho_add(r->aho, r->terms[i].pat,
			    r->terms[i].patlen);
	if (aho_compile(r->aho)) {
		snprintf(err, errlen, "too many terms for one automaton");
		return -1;
	}
	/* pattern -> its terms, as lists in term order */
	npat = aho_count(r->aho);
	r->patterm = emalloc((npat ? npat : 1) * sizeof(*r->patterm));
	last = emalloc((npat ? npat : 1) * sizeof(*last));
	r->nextterm = emalloc((r->nterms ? r->nterms : 1) * sizeof(*r->nextterm));
	for (i = 0; i < npat; i++)
		r->patterm[i] = last[i] = -1;
	for (i = 0; i < r->nterms; i++) {
		t = &r->terms[i];
		r->nextterm[i] = -1;
		if (t->re >= 0) {
			r->re_fields |= r->fsets[t->fset].mask;
			continue;
		}
		if (t->lang < 0)
			r->ac_fields |= r->fsets[t->fset].mask;
		else
			r->langs[t->lang].fields |= r->fsets[t->fset].mask;
		r->stem_fields |= t->lang < 0 ? 0 : r->fsets[t->fset].mask;
		if (last[t->pid] < 0)
			r->patterm[t->pid] = (long)i;
		else
			r->nextterm[last[t->pid]] = (long)i;
		last[t->pid] = (long)i;
	}
	free(last);
	for (i = 0; i < r->nres; i++) {
		pcre2_jit_compile(r->res[i].code, PCRE2_JIT_COMPLETE);
		r->res[i].md = pcre2_match_data_create_from_pattern(r->res[i].code,
		    NULL);
	}
	r->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(r->mctx, 1000000);
	r->hits = emalloc((r->nterms ? r->nterms : 1) * sizeof(*r->hits));
	r->result = emalloc((r->ntags ? r->ntags : 1) * sizeof(*r->result));
	r->vhits = emalloc((r->ntags ? r->ntags : 1) * sizeof(*r->vhits));
	r->hitterm = emalloc((r->nterms ? r->nterms : 1) * sizeof(*r->hitterm));
	r->touched = ecalloc(r->ntags / 64 + 1, sizeof(*r->touched));
	return 0;
}

size_t
rules_ntags(const struct rules *r)
{
	return r->ntags;
}

const char *
rules_tag(const struct rules *r, size_t i)
{
	return r->tags[i].name;
}

long
rules_find_tag(const struct rules *r, const char *name)
{
	return find_tag(r, name, strlen(name));
}

size_t
rules_nfields(const struct rules *r)
{
	return r->nfields;
}

const char *
rules_field(const struct rules *r, size_t i)
{
	return r->fields[i];
}

void
rules_begin(struct rules *r)
{
	size_t i;

	if (++r->gen == 0) {	/* wrapped: forget every old mark */
		for (i = 0; i < r->nterms; i++)
			r->terms[i].gen = 0;
		r->gen = 1;
	}
	r->nhit = 0;
}

static void
mark(struct rules *r, size_t ti, size_t field)
{
	struct term *t = &r->terms[ti];
	const struct fset *fs = &r->fsets[t->fset];
	double w = 1;
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (fs->f[i].field == field)
			w = fs->f[i].weight;
	if (t->gen != r->gen) {
		t->gen = r->gen;
		t->best = w;
		t->field = field;
		if (r->nhit == r->caphit) {
			r->caphit = r->caphit ? r->caphit * 2 : 64;
			r->hit = erealloc(r->hit, r->caphit * sizeof(*r->hit));
		}
		r->hit[r->nhit++] = ti;
	} else if (w > t->best) {
		t->best = w;
		t->field = field;
	}
}

static void
on_hit(void *arg, size_t id, size_t end)
{
	struct rules *r = arg;
	uint64_t bit = (uint64_t)1 << r->curfield;
	long ti;

	(void)end;
	for (ti = r->patterm[id]; ti >= 0; ti = r->nextterm[ti])
		if (r->terms[ti].lang == r->curlang &&
		    (r->fsets[r->terms[ti].fset].mask & bit))
			mark(r, (size_t)ti, r->curfield);
}

void
rules_match(struct rules *r, size_t field, const char *s, size_t n)
{
	uint64_t bit = (uint64_t)1 << field;
	const struct regex *re;
	const struct term *t;
	size_t i;
	int rc;

	r->curfield = field;
	if ((r->ac_fields | r->stem_fields) & bit) {
		buf_reset(&r->fold);
		words_fold(&r->fold, s, n);
		r->curlang = -1;
		if (r->ac_fields & bit)
			aho_scan(r->aho, r->fold.s, r->fold.len, on_hit, r);
	}
	/* stemmed text once per language, scanned for that language's terms */
	for (i = 0; i < r->nlangs && (r->stem_fields & bit); i++) {
		if (!(r->langs[i].fields & bit))
			continue;
		buf_reset(&r->stemmed);
		stem_text(r->langs[i].stem, &r->stemmed, r->fold.s, r->fold.len);
		r->curlang = (long)i;
		aho_scan(r->aho, r->stemmed.s, r->stemmed.len, on_hit, r);
	}
	if (!(r->re_fields & bit))
		return;
	/* PCRE2's JIT reads a few bytes past the end of the subject, 16 at
	 * a time: give it room, so that memory checkers stay quiet */
	buf_reset(&r->subj);
	buf_put(&r->subj, s, n);
	buf_grow(&r->subj, 64);
	memset(r->subj.s + n, 0, 64);
	s = r->subj.s;
	for (i = 0; i < r->nres; i++) {
		re = &r->res[i];
		t = &r->terms[re->term];
		if (!(r->fsets[t->fset].mask & bit) ||
		    (t->gen == r->gen && t->field == field))
			continue;
		rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0,
		    PCRE2_NO_UTF_CHECK, re->md, r->mctx);
		if (rc >= 0)
			mark(r, re->term, field);
		else if (rc != PCRE2_ERROR_NOMATCH)
			r->limits++;
	}
}

size_t
rules_end(struct rules *r, const struct rules_result **res)
{
	struct rules_result *rr;
	struct rules_hit *h;
	struct term *t;
	struct tag *tg;
	size_t i, j, k, nres = 0, w, ti;
	uint64_t bits;

	/* the tags touched, in tag order, from a bit set cleared as it goes */
	for (i = 0; i < r->nhit; i++) {
		t = &r->terms[r->hit[i]];
		r->touched[t->tag / 64] |= (uint64_t)1 << (t->tag % 64);
	}
	for (w = 0; w < (r->ntags + 63) / 64; w++) {
		for (bits = r->touched[w]; bits; bits &= bits - 1) {
			k = (size_t)__builtin_ctzll(bits);
			tg = &r->tags[w * 64 + k];
			tg->res = nres;
			tg->veto = -1;
			rr = &r->result[nres++];
			memset(rr, 0, sizeof(*rr));
			rr->tag = w * 64 + k;
		}
		r->touched[w] = 0;
	}
	for (i = 0; i < r->nhit; i++) {
		t = &r->terms[r->hit[i]];
		tg = &r->tags[t->tag];
		if (!t->veto)
			r->result[tg->res].nhits++;
		else if (tg->veto < 0 || (size_t)tg->veto > r->hit[i])
			tg->veto = (long)r->hit[i];
	}
	for (i = 0, j = 0; i < nres; i++) {
		r->result[i].hits = r->hits + j;
		j += r->result[i].nhits;
		r->result[i].nhits = 0;
	}
	/* each tag's positive hits in term order, so that its score is summed
	 * and explained in the order of the rules */
	for (i = 0; i < r->nhit; i++) {
		ti = r->hit[i];
		t = &r->terms[ti];
		if (t->veto)
			continue;
		rr = &r->result[r->tags[t->tag].res];
		h = (struct rules_hit *)rr->hits;
		for (k = rr->nhits++; k > 0 && r->hitterm[h - r->hits + k - 1] > ti; k--) {
			h[k] = h[k - 1];
			r->hitterm[h - r->hits + k] = r->hitterm[h - r->hits + k - 1];
		}
		h[k].term = t->text;
		h[k].field = r->fields[t->field];
		r->hitterm[h - r->hits + k] = ti;
	}
	for (i = 0; i < nres; i++) {
		rr = &r->result[i];
		tg = &r->tags[rr->tag];
		for (k = 0; k < rr->nhits; k++) {
			t = &r->terms[r->hitterm[rr->hits - r->hits + k]];
			rr->score += t->weight * t->best;
		}
		if (tg->veto >= 0) {
			t = &r->terms[tg->veto];
			r->vhits[i].term = t->text;
			r->vhits[i].field = r->fields[t->field];
			rr->veto = &r->vhits[i];
		}
		rr->threshold = tg->has_threshold ? tg->threshold : 0;
		if (rr->veto)
			continue;
		if (tg->has_threshold)
			rr->given = rr->score >= tg->threshold - 1e-9;
		else
			rr->given = rr->score > 1e-9;
		rr->below = !rr->given;
	}
	*res = r->result;
	return nres;
}

unsigned long
rules_regex_limits(const struct rules *r)
{
	return r->limits;
}

void
rules_free(struct rules *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->ntags; i++)
		free(r->tags[i].name);
	for (i = 0; i < r->nterms; i++) {
		free(r->terms[i].text);
		free(r->terms[i].pat);
	}
	for (i = 0; i < r->nfsets; i++)
		free(r->fsets[i].f);
	for (i = 0; i < r->nfields; i++) {
		free(r->fields[i]);
		free(r->canon[i]);
	}
	for (i = 0; i < r->nres; i++) {
		pcre2_code_free(r->res[i].code);
		pcre2_match_data_free(r->res[i].md);
	}
	for (i = 0; i < r->nsrcs; i++)
		free(r->srcs[i]);
	for (i = 0; i < r->nlangs; i++) {
		free(r->langs[i].name);
		stem_free(r->langs[i].stem);
	}
	free(r->langs);
	pcre2_match_context_free(r->mctx);
	aho_free(r->aho);
	free(r->tags);
	free(r->terms);
	free(r->fsets);
	free(r->res);
	free(r->srcs);
	free(r->patterm);
	free(r->nextterm);
	free(r->hit);
	free(r->hits);
	free(r->result);
	free(r->vhits);
	free(r->hitterm);
	free(r->touched);
	buf_free(&r->fold);
	buf_free(&r->subj);
	buf_free(&r->stemmed);
	free(r);
}
