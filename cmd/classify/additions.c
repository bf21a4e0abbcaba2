/* additions.c: the members classify adds, as JSON text (additions.h). */
#include <math.h>
#include <string.h>

#include "additions.h"
#include "fields.h"
#include "jw.h"
#include "like.h"
#include "nb.h"
#include "rec.h"
#include "rules.h"

enum { EXPLAIN_WORDS = 5, EXPLAIN_TAGS = 3, NEAREST_NAMES = 64 };

static void
put_cstr(struct buf *b, const char *s)
{
	jw_put_string(b, s, strlen(s));
}

/* Rules scores are sums of weights such as 0.1: rounded, so that 0.3 is
 * written "0.3"; probabilities to four places. */
static double
rounded(const struct additions *a, double x)
{
	double f = a->model || a->like ? 1e4 : 1e6;

	x = round(x * f) / f;
	return x == 0 ? 0 : x;
}

/* As jsonl_write writes a number: integral scores as integers. */
static void
put_num(struct buf *b, double x)
{
	char s[JW_REAL_BUFSZ];

	if (x == floor(x) && fabs(x) < 1e15) {
		buf_printf(b, "%lld", (long long)x);
		return;
	}
	jw_format_real(x, s);
	buf_puts(b, s);
}

static double
total_score(const struct additions *a)
{
	double s = 0;
	size_t i;

	if (a->like)	/* given or not */
		return rounded(a, a->like_sim);
	if (a->model)	/* the probability of the first tag */
		return a->ntags ? rounded(a, a->tag[0].score) : 0;
	for (i = 0; i < a->ntags; i++)
		s += a->tag[i].score;
	return rounded(a, s);
}

/* "tags": the tags given, in order */
static void
put_tags(struct buf *b, const struct additions *a)
{
	size_t i;

	buf_putc(b, '[');
	for (i = 0; i < a->ntags; i++) {
		if (i)
			buf_putc(b, ',');
		put_cstr(b, a->tag[i].name);
	}
	buf_putc(b, ']');
}

/* --like: the score and the nearest papers of the library, by name. */
static void
put_like_explain(struct buf *b, const struct additions *a)
{
	const char *names[NEAREST_NAMES];
	size_t i, n = like_nearest(a->like, names, NEAREST_NAMES);

	buf_puts(b, "{\"" LIKE_TAG "\":{\"" F_SCORE "\":");
	put_num(b, rounded(a, a->like_sim));
	for (i = 0; i < n; i++) {
		buf_puts(b, i ? "," : ",\"nearest\":[");
		put_cstr(b, names[i]);
	}
	buf_puts(b, n ? "]}}" : "}}");
}

/* The model's most probable tags, most probable first, into order; their
 * number (at most EXPLAIN_TAGS). */
static size_t
top_tags(const struct additions *a, size_t *order)
{
	const double *post = a->post;
	size_t i, k, ntop = 0;

	for (i = 0; i < nb_ntags(a->model); i++) {
		if (post[i] < 0.0005)
			continue;
		for (k = ntop; k > 0 && post[order[k - 1]] < post[i]; k--)
			if (k < EXPLAIN_TAGS)
				order[k] = order[k - 1];
		if (k < EXPLAIN_TAGS) {
			order[k] = i;
			if (ntop < EXPLAIN_TAGS)
				ntop++;
		}
	}
	return ntop;
}

/* A tag of the model: its probability and the words that speak for it. */
static void
put_model_tag(struct buf *b, const struct additions *a, size_t tag)
{
	const char *words[EXPLAIN_WORDS];
	size_t w, k = nb_explain(a->model, tag, words, EXPLAIN_WORDS);

	put_cstr(b, nb_tag(a->model, tag));
	buf_puts(b, ":{\"" F_SCORE "\":");
	put_num(b, rounded(a, a->post[tag]));
	for (w = 0; w < k; w++) {
		buf_puts(b, w ? "," : ",\"words\":[");
		put_cstr(b, words[w]);
	}
	buf_puts(b, k ? "]}" : "}");
}

static void
put_hit(struct buf *b, const struct rules_hit *h, struct buf *t)
{
	buf_reset(t);
	buf_printf(t, "%s in %s", h->term, h->field);
	jw_put_string(b, t->s, t->len);
}

/* A tag any rule's term touched: its score and why it was given or not. */
static void
put_rules_tag(struct buf *b, const struct additions *a,
    const struct rules_result *rr, struct buf *t)
{
	size_t k;

	put_cstr(b, rules_tag(a->rules, rr->tag));
	buf_puts(b, ":{\"" F_SCORE "\":");
	put_num(b, rounded(a, rr->score));
	if (rr->below) {
		buf_puts(b, ",\"below\":");
		put_num(b, rr->threshold);
	}
	if (rr->veto) {
		buf_puts(b, ",\"vetoed\":");
		put_hit(b, rr->veto, t);
	}
	for (k = 0; k < rr->nhits; k++) {
		buf_puts(b, k ? "," : ",\"hits\":[");
		put_hit(b, &rr->hits[k], t);
	}
	buf_puts(b, rr->nhits ? "]}" : "}");
}

/* "explain": the tags considered, and why; nothing if there are none. */
static void
put_explain(struct buf *b, const struct additions *a)
{
	struct buf t = { NULL, 0, 0 };
	size_t i, n, order[EXPLAIN_TAGS];

	if (a->like) {
		put_like_explain(b, a);
		return;
	}
	n = a->model ? top_tags(a, order) : a->nres;
	if (!n)
		return;
	buf_putc(b, '{');
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		if (a->model)
			put_model_tag(b, a, order[i]);
		else
			put_rules_tag(b, a, &a->res[i], &t);
	}
	buf_putc(b, '}');
	buf_free(&t);
}

/* v as the value of key in r */
static void
set(struct rec *r, const char *key, struct buf *v)
{
	rec_set(r, key, v->s, v->len);
	buf_reset(v);
}

void
additions_apply(struct rec *r, const struct additions *a, struct buf *tmp)
{
	rec_del(r, F_TAGS);
	rec_del(r, F_SCORE);
	rec_del(r, F_EXPLAIN);
	buf_reset(tmp);
	if (a->ntags) {
		put_tags(tmp, a);
		set(r, F_TAGS, tmp);
	}
	if (a->ntags || a->like) {	/* --like scores every record */
		put_num(tmp, total_score(a));
		set(r, F_SCORE, tmp);
	}
	if (a->explain)
		put_explain(tmp, a);
	if (tmp->len)
		set(r, F_EXPLAIN, tmp);
}
