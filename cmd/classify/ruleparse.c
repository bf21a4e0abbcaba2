/* ruleparse.c: the rules language, parsed line by line (ruleparse.h,
 * feedpipe-rules(5)). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "path.h"
#include "ruleparse.h"
#include "stem.h"
#include "util.h"
#include "words.h"

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

long
ruleparse_find_tag(const struct rules *r, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < r->ntags; i++)
		if (r->tags[i].len == n && !memcmp(r->tags[i].name, name, n))
			return (long)i;
	return -1;
}

/* ">= N" at lx->p, if there: 1 and N in *thr, 0 if not there, -1 */
static int
threshold(struct lex *lx, double *thr)
{
	char num[64], *e;
	size_t n;

	if (lx->end - lx->p < 2 || memcmp(lx->p, ">=", 2))
		return 0;
	lx->p += 2;
	skipws(lx);
	for (n = 0; lx->p + n < lx->end && n < sizeof(num) - 1 &&
	    !isblank_(lx->p[n]) && lx->p[n] != ':'; n++)
		num[n] = lx->p[n];
	num[n] = '\0';
	*thr = strtod(num, &e);
	if (!n || *e || !isfinite(*thr))
		return lexerr(lx, lx->p, "'>=' wants a number");
	if (!(fabs(*thr) <= MAXWEIGHT * MAXWEIGHT))
		return lexerr(lx, lx->p, "'>=' wants a threshold from -1e18 to "
		    "1e18");
	lx->p += n;
	skipws(lx);
	return 1;
}

/* The tag called name[0..n), made on first use at src:line. */
static long
tag_index(struct rules *r, const char *name, size_t n, const char *src,
    unsigned long line)
{
	struct tag *t;
	long ti;

	if ((ti = ruleparse_find_tag(r, name, n)) >= 0)
		return ti;
	if (r->ntags == r->captags) {
		r->captags = r->captags ? r->captags * 2 : 16;
		r->tags = erealloc(r->tags, r->captags * sizeof(*r->tags));
	}
	t = &r->tags[r->ntags];
	memset(t, 0, sizeof(*t));
	t->name = estrndup(name, n);
	t->len = n;
	t->src = src;
	t->line = line;
	return (long)r->ntags++;
}

/* "TAG [in FIELDS] [>= N]:" */
static int
header(struct rules *r, struct lex *lx, const char *src, unsigned long line)
{
	const char *start = lx->p;
	struct tag *t;
	double thr = 0;
	int has_thr;

	while (lx->p < lx->end && tagchar((unsigned char)*lx->p))
		lx->p++;
	if (lx->p == start || *start == '-')
		return lexerr(lx, start, "expected a tag name (letters, digits, "
		    "'.', '-', '_' ...; not starting with '-')");
	if (lx->p < lx->end && !isblank_(*lx->p) && *lx->p != ':')
		return lexerr(lx, lx->p, "'%c' cannot be part of a tag name", *lx->p);
	r->cur_tag = tag_index(r, start, (size_t)(lx->p - start), src, line);
	t = &r->tags[r->cur_tag];
	r->cur_fset = -1;
	skipws(lx);
	if (lx->end - lx->p > 2 && !memcmp(lx->p, "in", 2) && isblank_(lx->p[2])) {
		lx->p += 2;
		r->cur_fset = new_fset(r);
		if (fields(r, lx, (size_t)r->cur_fset))
			return -1;
	}
	skipws(lx);
	if ((has_thr = threshold(lx, &thr)) < 0)
		return -1;
	if (lx->p == lx->end || *lx->p != ':')
		return lexerr(lx, lx->p, "expected %s':' after the tag",
		    has_thr ? "" : r->cur_fset < 0 ? "'in FIELDS', '>= N' or " :
		    "',', '>= N' or ");
	lx->p++;
	if (has_thr) {
		if (t->has_threshold && t->threshold != thr)
			return lexerr(lx, start, "tag '%s' has '>= %g' on line %lu "
			    "already", t->name, t->threshold, t->tline);
		t->threshold = thr;
		t->has_threshold = 1;
		t->tline = line;
	}
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

/* A term before any "in FIELDS" looks in the title and the summary. */
static int
default_fields(struct rules *r, struct lex *lx, const char *start)
{
	long ft, fs;

	if (r->cur_fset >= 0 || (r->cur_fset = r->default_fset) >= 0)
		return 0;
	if ((ft = field_index(r, "title", lx, start)) < 0 ||
	    (fs = field_index(r, "summary", lx, start)) < 0)
		return -1;
	r->cur_fset = r->default_fset = new_fset(r);
	fset_add(r, (size_t)r->cur_fset, (size_t)ft, 1);
	fset_add(r, (size_t)r->cur_fset, (size_t)fs, 1);
	return 0;
}

/* A word, prefix, suffix, infix or phrase: its pattern, folded, stemmed
 * unless exact or starred. */
static int
word_pattern(struct rules *r, struct lex *lx, struct term *t,
    const char *start, int exact)
{
	struct buf body = { NULL, 0, 0 };
	const char *b;
	size_t n;
	int pre = 0, suf = 0, rc = -1;

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
	if (t->lang >= 0) {
		stem_term(r, t);
	} else {
		t->patlen = r->fold.len - (size_t)suf - (size_t)pre;
		t->pat = estrndup(r->fold.s + suf, t->patlen);
	}
	rc = 0;
out:
	buf_free(&body);
	return rc;
}

/* The text of the term t after its pattern: a weight, then white space. */
static int
term_end(struct lex *lx, struct term *t)
{
	if (t->veto && lx->p < lx->end && *lx->p == '^')
		return lexerr(lx, lx->p, "a negative term has no weight");
	if (weight(lx, &t->weight))
		return -1;
	if (lx->p < lx->end && !isblank_(*lx->p) && *lx->p != '#')
		return lexerr(lx, lx->p, "expected white space after a term");
	return 0;
}

static int
term(struct rules *r, struct lex *lx)
{
	const char *start = lx->p;
	struct term *t;
	int exact = 0, rc;

	if (default_fields(r, lx, start))
		return -1;
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
	if (*lx->p == '/' && exact)
		rc = lexerr(lx, start, "'=' is for words and phrases (a "
		    "/regex/ is never stemmed)");
	else if (*lx->p == '/')
		rc = regex_term(r, lx, t, start);
	else
		rc = word_pattern(r, lx, t, start, exact);
	if (!rc)
		rc = term_end(lx, t);
	if (rc) {
		if (t->re >= 0)
			pcre2_code_free(r->res[--r->nres].code);
		free(t->pat);
		r->nterms--;
		return -1;
	}
	t->text = estrndup(start, (size_t)(lx->p - start));
	if (!t->veto)
		r->tags[t->tag].npos++;
	return 0;
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

void
ruleparse_begin(struct rules *r)
{
	r->cur_tag = -1;
	r->cur_lang = lang_index(r, "english");
}

int
ruleparse_line(struct rules *r, const char *s, size_t n, const char *src,
    unsigned long lineno, char *err, size_t errlen)
{
	struct lex lx = { s, s, s + n, err, errlen };
	const char *z;
	int rc;

	if ((z = memchr(s, '\0', n)))
		return lexerr(&lx, z, "NUL byte");
	skipws(&lx);
	if (atend(&lx))
		return 0;
	if (lx.p > s) {
		if (r->cur_tag < 0)
			return lexerr(&lx, lx.p, "an indented line continues a "
			    "rule, but no rule came before");
	} else if ((rc = directive(r, &lx)) != 0) {
		return rc < 0 ? -1 : 0;
	} else if (header(r, &lx, src, lineno)) {
		return -1;
	}
	return terms(r, &lx);
}
