/* rules.c: classify rules (rules.h, feedpipe-rules(5)): read through
 * ruleparse.c, compiled into one automaton, matched. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aho.h"
#include "buf.h"
#include "ruleparse.h"
#include "rules.h"
#include "stem.h"
#include "util.h"
#include "words.h"

struct rules *
rules_new(void)
{
	struct rules *r = ecalloc(1, sizeof(*r));

	r->cur_tag = r->cur_fset = r->default_fset = -1;
	return r;
}

int
rules_add(struct rules *r, const char *name, const char *text, size_t n,
    unsigned long *lineno, char *err, size_t errlen)
{
	const char *p = text, *end = text + n, *nl, *src;
	size_t len;

	r->srcs = erealloc(r->srcs, (r->nsrcs + 1) * sizeof(*r->srcs));
	src = r->srcs[r->nsrcs++] = estrdup(name);
	ruleparse_begin(r);
	for (*lineno = 1; p < end; p = nl + 1, ++*lineno) {
		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		len = (size_t)(nl - p);
		if (len && p[len - 1] == '\r')
			len--;
		if (ruleparse_line(r, p, len, src, *lineno, err, errlen))
			return -1;
		if (nl == end)
			break;
	}
	return 0;
}

/* Pattern -> its terms, as lists in term order; the fields each kind of
 * term is looked for in. */
static void
link_patterns(struct rules *r)
{
	size_t i, npat = aho_count(r->aho);
	const struct term *t;
	long *last;

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
}

/* The regexes JIT-compiled, and what matching one record needs. */
static void
match_setup(struct rules *r)
{
	size_t i;

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
}

int
rules_compile(struct rules *r, double deflt, int has_deflt, char *err,
    size_t errlen)
{
	struct tag *tg;
	size_t i;

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
	link_patterns(r);
	match_setup(r);
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
	return ruleparse_find_tag(r, name, strlen(name));
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

/* A result for each tag a hit touched, in tag order (from a bit set
 * cleared as it goes); their number. */
static size_t
touched_tags(struct rules *r)
{
	struct rules_result *rr;
	struct tag *tg;
	size_t i, k, w, nres = 0;
	uint64_t bits;

	for (i = 0; i < r->nhit; i++) {
		k = r->terms[r->hit[i]].tag;
		r->touched[k / 64] |= (uint64_t)1 << (k % 64);
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
	return nres;
}

/* Each tag's first veto, and room in r->hits for its positive hits. */
static void
count_hits(struct rules *r, size_t nres)
{
	const struct term *t;
	struct tag *tg;
	size_t i, j;

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
}

/* Each tag's positive hits in term order, so that its score is summed and
 * explained in the order of the rules. */
static void
order_hits(struct rules *r)
{
	struct rules_result *rr;
	struct rules_hit *h;
	const struct term *t;
	size_t i, k, ti, at;

	for (i = 0; i < r->nhit; i++) {
		ti = r->hit[i];
		t = &r->terms[ti];
		if (t->veto)
			continue;
		rr = &r->result[r->tags[t->tag].res];
		h = (struct rules_hit *)rr->hits;
		at = (size_t)(h - r->hits);
		for (k = rr->nhits++; k > 0 && r->hitterm[at + k - 1] > ti; k--) {
			h[k] = h[k - 1];
			r->hitterm[at + k] = r->hitterm[at + k - 1];
		}
		h[k].term = t->text;
		h[k].field = r->fields[t->field];
		r->hitterm[at + k] = ti;
	}
}

/* The tag's score, its veto and whether it is given. */
static void
decide(struct rules *r, size_t i)
{
	struct rules_result *rr = &r->result[i];
	const struct tag *tg = &r->tags[rr->tag];
	const struct term *t;
	size_t k;

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
		return;
	if (tg->has_threshold)
		rr->given = rr->score >= tg->threshold - 1e-9;
	else
		rr->given = rr->score > 1e-9;
	rr->below = !rr->given;
}

size_t
rules_end(struct rules *r, const struct rules_result **res)
{
	size_t i, nres = touched_tags(r);

	count_hits(r, nres);
	order_hits(r);
	for (i = 0; i < nres; i++)
		decide(r, i);
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
