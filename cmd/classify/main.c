/* classify: tag, score and filter records by rules (feedpipe-rules(5)), by
 * a naive Bayes model trained on the reader's own labels, or by closeness
 * to the reader's library of papers. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "date.h"
#include "evaluate.h"
#include "fields.h"
#include "jscan.h"
#include "jsonl.h"
#include "jsonw.h"
#include "jwalk.h"
#include "like.h"
#include "nbayes.h"
#include "path.h"
#include "rules.h"
#include "util.h"
#include "verdicts.h"
#include "words.h"

#define F_EXPLAIN "explain"
#define LIKE_TAG "like"

enum {
	OPT_UNTIL = 256, OPT_NOW, OPT_TRAIN, OPT_EVAL, OPT_LABELS, OPT_FULL,
	OPT_LIKE, OPT_NEAREST, OPT_VERDICTS,
	EXPLAIN_WORDS = 5, EXPLAIN_TAGS = 3, NEAREST = 5,
};

static struct rules *rules;
static struct nb *model;
static struct like *like;
static size_t nearest = NEAREST;
static double like_sim;		/* the current record's score */
static const char *train_path;
static int evaluate, first, untagged, explain, full_parse;
static double threshold = 0.5;
static int has_threshold;
static char **keep, **drop;
static size_t nkeep, ndrop;
static time_t now, since, until;
static int has_since, has_until;

/* the fields the text comes from, and where labels are */
static struct path **fpath;
static struct jwalk_path **fwalk;
static size_t nfields;
static struct path *lpath;
static struct jwalk_path *lwalk;

/* the current record */
struct current {
	const struct jsonl *in;
	json_t *j;			/* parsed, or NULL: the fast path */
	struct jwalk_member *m;
	size_t nm, capm;
};

/* what classify gives the current record */
struct tagout {
	const char *name;
	double score;
	const struct rules_result *rr;	/* rules: its matches */
	size_t cls;			/* model: its class */
};
static struct tagout *out;
static size_t nout, capout;
static double *post;
static struct buf fold, tmp, line, adds, copy;

static struct evaluate *eval;
static const char **given;	/* --eval: the names in out */

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: %s -r rules | -e rule | -m model [-1ux] [-k tags] "
	    "[-d tags]\n"
	    "                [-t threshold] [-s when] [--until when] [--now date] "
	    "[file ...]\n"
	    "       %s --like library [--nearest k] [-f path[,path]] [-t threshold]"
	    " [-1ux]\n"
	    "                [-k like] [-d like] [-s when] [--until when] [file ...]"
	    "\n"
	    "       %s --train model [-f path[,path]] [--labels path | --verdicts "
	    "file]\n                [file ...]\n"
	    "       %s --eval (-r rules | -e rule | -m model) [--labels path] "
	    "[file ...]\n"
	    "  -r, --rules FILE       read rules from FILE (feedpipe-rules(5))\n"
	    "  -e, --rule RULE        one rule, such as 'ML: \"neural network\" "
	    "learning*'\n"
	    "  -m, --model FILE       tag with a model made by --train\n"
	    "      --like LIBRARY     score by closeness to the papers (records) in"
	    " LIBRARY\n"
	    "      --nearest K        --like: the mean of the K nearest papers' "
	    "similarities\n"
	    "                         (default 5)\n"
	    "  -t, --threshold X      the least probability (model, default 0.5)"
	    " or score\n"
	    "                         (rules without '>=') that gives a tag; with "
	    "--like,\n"
	    "                         the least score that gives the tag 'like'\n"
	    "  -k, --keep TAG[,TAG]   pass only records with one of these tags\n"
	    "  -d, --drop TAG[,TAG]   drop records with one of these tags\n"
	    "  -1, --first            give each record only its first tag\n"
	    "  -u, --untagged         pass only records no tag was given\n"
	    "  -x, --explain          add 'explain': what matched, for tuning\n"
	    "  -s, --since WHEN       pass only records published at or after WHEN"
	    "\n"
	    "      --until WHEN       pass only records published before WHEN\n"
	    "                         (WHEN: a date, or a duration ago: 1d, 12h, "
	    "2w, 1d12h)\n"
	    "      --now DATE         take DATE as the current time\n"
	    "      --train MODEL      learn from labelled records, write MODEL\n"
	    "      --eval             print precision, recall and F1 per tag\n"
	    "      --labels PATH      where the labels are (default tags)\n"
	    "      --verdicts FILE    --train: learn 'like' from lines 'ID<TAB>+' "
	    "or 'ID<TAB>-'\n"
	    "  -f, --field PATH[,..]  --train, --like: the text to compare "
	    "(default title,summary)\n"
	    "      --full-parse       parse every record fully (for tests)\n"
	    "  -h, --help             show this help\n"
	    "  -V, --version          show the version\n", argv0, argv0, argv0,
	    argv0);
	exit(status);
}

/* ---- reading the options' arguments ---- */

static void
add_rules(const char *name, const char *text, size_t n)
{
	unsigned long lineno;
	char err[512];

	if (!rules)
		rules = rules_new();
	if (rules_add(rules, name, text, n, &lineno, err, sizeof(err)))
		eprintf("%s:%lu: %s", name, lineno, err);
}

/* "1d", "12h", "2w", "1d12h", "90s", "30m" */
static int
duration(const char *s, long *secs)
{
	long v, total = 0;
	char *e;

	if (!*s)
		return -1;
	while (*s) {
		if (*s < '0' || *s > '9')
			return -1;
		v = strtol(s, &e, 10);
		switch (*e) {
		case 's': break;
		case 'm': v *= 60; break;
		case 'h': v *= 3600; break;
		case 'd': v *= 86400; break;
		case 'w': v *= 7 * 86400; break;
		default: return -1;
		}
		if (v < 0 || v > 100L * 366 * 86400 || total > 100L * 366 * 86400)
			return -1;
		total += v;
		s = e + 1;
	}
	*secs = total;
	return 0;
}

static time_t
when(const char *opt, const char *s)
{
	time_t t;
	long d;

	if (!duration(s, &d))
		return now - d;
	if (!date_parse(s, &t))
		return t;
	weprintf("%s %s: want a date (2025-01-16, 2025-01-16T05:00:00Z) or a "
	    "duration (1d, 12h, 2w)", opt, s);
	usage(stderr, EXIT_FATAL);
	return 0;
}

static void
add_field(const char *text)
{
	char err[256];

	fpath = erealloc(fpath, (nfields + 1) * sizeof(*fpath));
	fwalk = erealloc(fwalk, (nfields + 1) * sizeof(*fwalk));
	if (!(fpath[nfields] = path_parse(text, err, sizeof(err))))
		eprintf("field '%s': %s", text, err);
	fwalk[nfields++] = jwalk_path(text);
}

/* ---- the strings of a field, from the text or from the tree ---- */

static void
json_strings(json_t *v, jwalk_fn *fn, void *arg)
{
	const char *key;
	json_t *m;
	size_t i;

	if (json_is_string(v)) {
		if (!jsonl_number(v, NULL))	/* numbers are no text */
			fn(arg, json_string_value(v), json_string_length(v));
	} else if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			json_strings(json_array_get(v, i), fn, arg);
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, m)
			json_strings(m, fn, arg);
	}
}

static void
strings(struct current *rc, struct path *p, struct jwalk_path *w, jwalk_fn *fn,
    void *arg)
{
	const char *v;
	size_t vn;

	if (rc->j)
		json_strings(path_get(p, rc->j), fn, arg);
	else if (!jwalk_get(w, rc->in->line, rc->in->len, rc->m, rc->nm, &v, &vn))
		jwalk_strings(v, vn, &tmp, fn, arg);
}

static void
to_rules(void *arg, const char *s, size_t n)
{
	rules_match(rules, *(size_t *)arg, s, n);
}

static void
to_fold(void *arg, const char *s, size_t n)
{
	(void)arg;
	words_fold(&fold, s, n);
}

/* ---- deciding the tags ---- */

static void
add_out(const char *name, double score, const struct rules_result *rr,
    size_t cls)
{
	out[nout].name = name;
	out[nout].score = score;
	out[nout].rr = rr;
	out[nout++].cls = cls;
}

static size_t nres;
static const struct rules_result *res;

static void
by_rules(struct current *rc)
{
	size_t i;

	rules_begin(rules);
	for (i = 0; i < nfields; i++)
		strings(rc, fpath[i], fwalk[i], to_rules, &i);
	nres = rules_end(rules, &res);
	for (i = 0; i < nres; i++)
		if (res[i].given)
			add_out(rules_tag(rules, res[i].tag), res[i].score,
			    &res[i], 0);
}

static int
by_prob(const void *a, const void *b)
{
	const struct tagout *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->cls > y->cls) - (x->cls < y->cls);
}

static void
by_model(struct current *rc)
{
	double none;
	size_t i;

	buf_reset(&fold);
	for (i = 0; i < nfields; i++)
		strings(rc, fpath[i], fwalk[i], to_fold, NULL);
	nb_predict(model, buf_str(&fold), fold.len, post, &none);
	for (i = 0; i < nb_ntags(model); i++)
		if (post[i] >= threshold)
			add_out(nb_tag(model, i), post[i], NULL, i);
	qsort(out, nout, sizeof(*out), by_prob);
}

static void
by_like(struct current *rc)
{
	size_t i;

	buf_reset(&fold);
	for (i = 0; i < nfields; i++)
		strings(rc, fpath[i], fwalk[i], to_fold, NULL);
	like_sim = like_score(like, buf_str(&fold), fold.len, nearest);
	if (has_threshold && like_sim >= threshold)
		add_out(LIKE_TAG, like_sim, NULL, 0);
}

/* ---- writing what classify adds ---- */

static void
put_cstr(struct buf *b, const char *s)
{
	jw_put_string(b, s, strlen(s));
}

/* Rules scores are sums of weights such as 0.1: rounded, so that 0.3 is
 * written "0.3"; probabilities to four places. */
static double
rounded(double x)
{
	double f = model || like ? 1e4 : 1e6;

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
total_score(void)
{
	double s = 0;
	size_t i;

	if (like)	/* given or not */
		return rounded(like_sim);
	if (model)	/* the probability of the first tag */
		return nout ? rounded(out[0].score) : 0;
	for (i = 0; i < nout; i++)
		s += out[i].score;
	return rounded(s);
}

/* "tags" (if any) and "score" (if a tag, or --like, which scores every
 * record) */
static void
put_tags(struct buf *b)
{
	size_t i;

	if (!nout && !like)
		return;
	if (nout) {
		buf_puts(b, "\"" F_TAGS "\":[");
		for (i = 0; i < nout; i++) {
			if (i)
				buf_putc(b, ',');
			put_cstr(b, out[i].name);
		}
		buf_puts(b, "],");
	}
	buf_puts(b, "\"" F_SCORE "\":");
	put_num(b, total_score());
}

/* --like: the score and the nearest papers of the library, by name. */
static void
put_like_explain(struct buf *b)
{
	const char *names[64];
	size_t i, n = like_nearest(like, names, 64);

	buf_puts(b, ",\"" F_EXPLAIN "\":{\"" LIKE_TAG "\":{\"" F_SCORE "\":");
	put_num(b, rounded(like_sim));
	for (i = 0; i < n; i++) {
		buf_puts(b, i ? "," : ",\"nearest\":[");
		put_cstr(b, names[i]);
	}
	buf_puts(b, n ? "]}}" : "}}");
}

/* The model's most probable tags, most probable first, into order; their
 * number (at most EXPLAIN_TAGS). */
static size_t
top_tags(size_t *order)
{
	size_t i, k, ntop = 0;

	for (i = 0; i < nb_ntags(model); i++) {
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
put_model_tag(struct buf *b, size_t tag)
{
	const char *words[EXPLAIN_WORDS];
	size_t w, k = nb_explain(model, tag, words, EXPLAIN_WORDS);

	put_cstr(b, nb_tag(model, tag));
	buf_puts(b, ":{\"" F_SCORE "\":");
	put_num(b, rounded(post[tag]));
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
put_rules_tag(struct buf *b, const struct rules_result *rr, struct buf *t)
{
	size_t k;

	put_cstr(b, rules_tag(rules, rr->tag));
	buf_puts(b, ":{\"" F_SCORE "\":");
	put_num(b, rounded(rr->score));
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

/* "explain": the tags considered, and why. */
static void
put_explain(struct buf *b)
{
	struct buf t = { NULL, 0, 0 };
	size_t i, n, order[EXPLAIN_TAGS];

	if (like) {
		put_like_explain(b);
		return;
	}
	n = model ? top_tags(order) : nres;
	if (!n)
		return;
	buf_puts(b, nout ? ",\"" F_EXPLAIN "\":{" : "\"" F_EXPLAIN "\":{");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		if (model)
			put_model_tag(b, order[i]);
		else
			put_rules_tag(b, &res[i], &t);
	}
	buf_putc(b, '}');
	buf_free(&t);
}

/* The members classify adds, as JSON text to go before a closing brace. */
static void
additions(struct buf *b)
{
	put_tags(b);
	if (explain)
		put_explain(b);
}

static int
owned(const char *k, size_t n)
{
	return (n == 4 && !memcmp(k, F_TAGS, 4)) ||
	    (n == 5 && !memcmp(k, F_SCORE, 5)) ||
	    (n == 7 && !memcmp(k, F_EXPLAIN, 7));
}

static void
emit(const char *s, size_t n)
{
	if (fwrite(s, 1, n, stdout) != n)
		eprintf("<stdout>: write error:");
}

/* Write the object s[0..n) with the additions before its closing brace;
 * members: it has some. */
static void
splice(const char *s, size_t n, int members)
{
	size_t close;

	if (!adds.len) {
		emit(s, n);
		emit("\n", 1);
		return;
	}
	for (close = n; s[close - 1] != '}'; close--)
		;
	buf_reset(&line);
	buf_put(&line, s, close - 1);
	if (members)
		buf_putc(&line, ',');
	buf_put(&line, adds.s, adds.len);
	buf_puts(&line, "}\n");
	emit(line.s, line.len);
}

/* The record with classify's members replaced: the text as it came, or,
 * if it had any of them, the other members copied. */
static void
write_fast(struct current *rc)
{
	const struct jwalk_member *m;
	size_t i, kept = 0;
	int had = 0;

	buf_reset(&adds);
	additions(&adds);
	for (i = 0; i < rc->nm; i++)
		had |= owned(rc->m[i].key, rc->m[i].klen);
	if (!had) {
		splice(rc->in->line, rc->in->len, rc->nm != 0);
		return;
	}
	buf_reset(&copy);
	buf_putc(&copy, '{');
	for (i = 0; i < rc->nm; i++) {
		m = &rc->m[i];
		if (owned(m->key, m->klen))
			continue;
		if (kept++)
			buf_putc(&copy, ',');
		buf_put(&copy, m->start, (size_t)(m->val + m->vlen - m->start));
	}
	buf_putc(&copy, '}');
	splice(copy.s, copy.len, kept != 0);
}

/* A record jscan could not read goes out as it came, unless it had some of
 * classify's members: then it is written anew by jsonl_write without them;
 * --full-parse always writes it anew, to test this path. */
static void
write_tree(struct current *rc)
{
	char *text = NULL;
	size_t n = 0;
	FILE *fp;

	buf_reset(&adds);
	additions(&adds);
	if (!full_parse && !json_object_get(rc->j, F_TAGS) &&
	    !json_object_get(rc->j, F_SCORE) &&
	    !json_object_get(rc->j, F_EXPLAIN)) {
		splice(rc->in->line, rc->in->len, json_object_size(rc->j) != 0);
		return;
	}
	json_object_del(rc->j, F_TAGS);
	json_object_del(rc->j, F_SCORE);
	json_object_del(rc->j, F_EXPLAIN);
	if (!(fp = open_memstream(&text, &n)) || jsonl_write(fp, rc->j) ||
	    fclose(fp))
		eprintf("<memory>:");
	splice(text, n - 1, json_object_size(rc->j) != 0);	/* no '\n' */
	free(text);
}

/* ---- filters ---- */

static int
published_in_range(struct current *rc)
{
	const struct jwalk_member *m;
	const char *s = NULL;
	json_t *v;
	time_t t;

	if (rc->j) {
		if ((v = json_object_get(rc->j, F_PUBLISHED)) && json_is_string(v))
			s = json_string_value(v);
	} else if ((m = jwalk_find(rc->m, rc->nm, F_PUBLISHED,
	    strlen(F_PUBLISHED))) && *m->val == '"' &&
	    jscan_string(m->val, m->vlen, &tmp) >= 0) {
		s = tmp.s;
	}
	if (!s || date_parse(s, &t))
		return 0;
	return (!has_since || t >= since) && (!has_until || t < until);
}

static int
listed(char **list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return 1;
	return 0;
}

static int
passes(void)
{
	size_t i;
	int k = 0;

	if (untagged)
		return nout == 0;
	for (i = 0; i < nout; i++) {
		if (listed(drop, ndrop, out[i].name))
			return 0;
		k |= listed(keep, nkeep, out[i].name);
	}
	return !nkeep || k;
}

/* ---- labels: --train and --eval ---- */

static char **labels;
static size_t nlabels, caplabels;

static void
to_labels(void *arg, const char *s, size_t n)
{
	(void)arg;
	if (!n || memchr(s, '\0', n))
		return;
	if (nlabels == caplabels) {
		caplabels = caplabels ? caplabels * 2 : 8;
		labels = erealloc(labels, caplabels * sizeof(*labels));
	}
	labels[nlabels++] = estrndup(s, n);
}

static void
read_labels(struct current *rc)
{
	while (nlabels)
		free(labels[--nlabels]);
	strings(rc, lpath, lwalk, to_labels, NULL);
}

/* --verdicts: the record's id */
static struct verdicts *verdicts;
static struct path *idpath;
static struct jwalk_path *idwalk;
static struct buf idbuf;
static int has_id;

static void
to_id(void *arg, const char *s, size_t n)
{
	(void)arg;
	if (!has_id) {
		buf_reset(&idbuf);
		buf_put(&idbuf, s, n);
		has_id = 1;
	}
}

/* The labels of the record from the verdicts: "like" or none; 0 if there
 * is no verdict on it, or it was learnt from already. */
static int
verdict_labels(struct current *rc)
{
	int v;

	has_id = 0;
	strings(rc, idpath, idwalk, to_id, NULL);
	if (!has_id || !(v = verdicts_take(verdicts, idbuf.s, idbuf.len)))
		return 0;
	while (nlabels)
		free(labels[--nlabels]);
	if (v > 0)
		to_labels(NULL, LIKE_TAG, strlen(LIKE_TAG));
	return 1;
}

static void
count_eval(void)
{
	size_t i;

	for (i = 0; i < nout; i++)
		given[i] = out[i].name;
	evaluate_count(eval, given, nout, labels, nlabels);
}

/* ---- one record ---- */

static void
classify(struct current *rc)
{
	nout = 0;
	nres = 0;
	if (like)
		by_like(rc);
	else if (model)
		by_model(rc);
	else
		by_rules(rc);
	if (first && nout > 1)
		nout = 1;
}

static struct current rc;

static int
record(const struct jsonl *in, struct nb *train)
{
	char err[256];
	const char *v;
	size_t vn;

	rc.in = in;
	rc.j = NULL;
	rc.nm = 0;
	if (full_parse || jscan_find(in->line, in->len, F_TAGS, &v, &vn) == -2) {
		if (!(rc.j = jsonl_parse(in, err, sizeof(err)))) {
			wlineprintf(in->name, in->lineno, "%s", err);
			return 1;
		}
	} else {
		rc.nm = jwalk_members(in->line, in->len, &rc.m, &rc.capm);
	}
	if ((has_since || has_until) && !published_in_range(&rc))
		goto done;
	if (train) {
		if (!verdicts)
			read_labels(&rc);
		else if (!verdict_labels(&rc))
			goto done;
		buf_reset(&fold);
		for (size_t i = 0; i < nfields; i++)
			strings(&rc, fpath[i], fwalk[i], to_fold, NULL);
		nb_train(train, (const char *const *)labels, nlabels,
		    buf_str(&fold), fold.len);
		goto done;
	}
	classify(&rc);
	if (evaluate) {
		read_labels(&rc);
		count_eval();
	} else if (passes()) {
		if (rc.j)
			write_tree(&rc);
		else
			write_fast(&rc);
	}
done:
	json_decref(rc.j);
	return 0;
}

static int
record_line(struct jsonl *in, void *train)
{
	int bad = record(in, train);

	check_stdout();
	return bad;
}

/* ---- setting up ---- */

/* A name for a paper of the library: its id, else its title, else where
 * it is. */
static void
paper_name(json_t *j, const struct jsonl *in, struct buf *b)
{
	json_t *v = json_object_get(j, F_ID);

	buf_reset(b);
	if (!json_is_string(v) || !json_string_length(v))
		v = json_object_get(j, F_TITLE);
	if (json_is_string(v) && json_string_length(v) &&
	    !jsonl_number(v, NULL))
		buf_puts(b, json_string_value(v));
	else
		buf_printf(b, "%s:%lu", in->name, in->lineno);
}

/* Read the library; 1 if some line of it was bad (and skipped). */
static int
load_library(const char *path)
{
	struct buf name = { NULL, 0, 0 };
	struct jsonl in;
	FILE *fp = open_input(path);
	char err[256];
	json_t *j;
	size_t i;
	int r, bad = 0;

	if (!fp)
		eprintf("%s:", input_name(path));
	like = like_new();
	jsonl_init(&in, fp, input_name(path));
	while ((r = jsonl_next(&in)) > 0) {
		if (!(j = jsonl_parse(&in, err, sizeof(err)))) {
			wlineprintf(in.name, in.lineno, "%s", err);
			bad = 1;
			continue;
		}
		buf_reset(&fold);
		for (i = 0; i < nfields; i++)
			json_strings(path_get(fpath[i], j), to_fold, NULL);
		paper_name(j, &in, &name);
		like_add(like, buf_str(&fold), fold.len, buf_str(&name));
		json_decref(j);
	}
	if (r < 0)
		eprintf("%s: read error:", in.name);
	if (!like_ndocs(like))
		eprintf("%s: no paper in the library has words to compare "
		    "(in its %s)", in.name, nfields == 1 ? "field" : "fields");
	like_build(like);
	jsonl_free(&in);
	if (fp != stdin)
		fclose(fp);
	buf_free(&name);
	return bad;
}

static void
check_tags(char **list, size_t n, const char *opt)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (like) {
			if (strcmp(list[i], LIKE_TAG) || !has_threshold)
				eprintf("%s %s: --like gives only the tag '"
				    LIKE_TAG "', and only with -t", opt,
				    list[i]);
			continue;
		}
		if (model ? nb_find_tag(model, list[i]) < 0 :
		    rules_find_tag(rules, list[i]) < 0)
			eprintf("%s %s: no %s gives this tag", opt, list[i],
			    model ? "class of the model" : "rule");
	}
}

static void
load_model(const char *path)
{
	unsigned long lineno;
	char err[256];

	if (!(model = nb_load(path, &lineno, err, sizeof(err)))) {
		if (lineno)
			eprintf("%s:%lu: %s", path, lineno, err);
		eprintf("%s: %s", path, err);
	}
}

/* The options' values that only main's steps need. */
struct opts {
	const char *model_path, *since_arg, *until_arg, *like_path, *verdicts_path;
	const char *label_text;
	char **train_fields;
	size_t ntrain_fields;
	int labels_given, nrules;
};

static void
options(int argc, char *argv[], struct opts *o)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "rule", required_argument, NULL, 'e' },
		{ "model", required_argument, NULL, 'm' },
		{ "threshold", required_argument, NULL, 't' },
		{ "keep", required_argument, NULL, 'k' },
		{ "drop", required_argument, NULL, 'd' },
		{ "first", no_argument, NULL, '1' },
		{ "untagged", no_argument, NULL, 'u' },
		{ "explain", no_argument, NULL, 'x' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "train", required_argument, NULL, OPT_TRAIN },
		{ "eval", no_argument, NULL, OPT_EVAL },
		{ "labels", required_argument, NULL, OPT_LABELS },
		{ "like", required_argument, NULL, OPT_LIKE },
		{ "nearest", required_argument, NULL, OPT_NEAREST },
		{ "verdicts", required_argument, NULL, OPT_VERDICTS },
		{ "field", required_argument, NULL, 'f' },
		{ "full-parse", no_argument, NULL, OPT_FULL },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char err[512], *text, *e;
	size_t n;
	long k;
	int c;

	while ((c = getopt_long(argc, argv, "r:e:m:t:k:d:1uxs:f:hV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'r':
			if (!(text = slurp(optarg, &n)))
				eprintf("%s:", optarg);
			add_rules(optarg, text, n);
			free(text);
			break;
		case 'e':
			snprintf(err, sizeof(err), "-e#%d", ++o->nrules);
			add_rules(err, optarg, strlen(optarg));
			break;
		case 'm': o->model_path = optarg; break;
		case 't':
			threshold = strtod(optarg, &e);
			if (*e || !*optarg || !isfinite(threshold)) {
				weprintf("-t %s: want a number", optarg);
				usage(stderr, EXIT_FATAL);
			}
			has_threshold = 1;
			break;
		case 'k': split_list(&keep, &nkeep, optarg); break;
		case 'd': split_list(&drop, &ndrop, optarg); break;
		case '1': first = 1; break;
		case 'u': untagged = 1; break;
		case 'x': explain = 1; break;
		case 's': o->since_arg = optarg; break;
		case OPT_UNTIL: o->until_arg = optarg; break;
		case OPT_NOW:
			if (date_parse(optarg, &now)) {
				weprintf("--now %s: want a date such as "
				    "2025-01-16T05:00:00Z", optarg);
				usage(stderr, EXIT_FATAL);
			}
			break;
		case OPT_TRAIN: train_path = optarg; break;
		case OPT_EVAL: evaluate = 1; break;
		case OPT_LABELS: o->label_text = optarg; o->labels_given = 1; break;
		case OPT_LIKE: o->like_path = optarg; break;
		case OPT_NEAREST:
			k = strtol(optarg, &e, 10);
			if (*e || !*optarg || k < 1 || k > 100000) {
				weprintf("--nearest %s: want a whole number from 1 "
				    "to 100000", optarg);
				usage(stderr, EXIT_FATAL);
			}
			nearest = (size_t)k;
			break;
		case OPT_VERDICTS: o->verdicts_path = optarg; break;
		case 'f': split_list(&o->train_fields, &o->ntrain_fields, optarg); break;
		case OPT_FULL: full_parse = 1; break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'V': printf("classify %s\n", FEEDPIPE_VERSION); exit(EXIT_OK);
		default: usage(stderr, EXIT_FATAL);
		}
	}
}

/* Which mode, and options that do not belong to it. */
static void
check_options(const struct opts *o)
{
	if (train_path && (rules || o->model_path || evaluate))
		eprintf("--train learns from labels: it takes no -r, -e, -m or "
		    "--eval");
	if (o->like_path && (rules || o->model_path || train_path))
		eprintf("--like ranks by a library: it takes no -r, -e, -m or "
		    "--train");
	if (!train_path && !rules && !o->model_path && !o->like_path) {
		weprintf("rules (-r, -e), a model (-m) or --train is needed");
		usage(stderr, EXIT_FATAL);
	}
	if (rules && o->model_path)
		eprintf("-m cannot be used with -r or -e");
	if ((train_path || evaluate) && (nkeep || ndrop || untagged))
		eprintf("--keep, --drop and --untagged filter output; --train "
		    "and --eval write none");
	if (o->ntrain_fields && !train_path && !o->like_path)
		eprintf("-f is for --train and --like (rules name their fields; "
		    "a model knows its own)");
	if (nearest != NEAREST && !o->like_path)
		eprintf("--nearest is for --like");
	if (o->verdicts_path && (!train_path || o->labels_given))
		eprintf("--verdicts is for --train, instead of --labels");
	if (untagged && nkeep)
		eprintf("--untagged and --keep exclude each other");
	if (train_path && (first || explain || has_threshold))
		eprintf("--first, --explain and --threshold are for tagging, "
		    "not --train");
	if (evaluate && explain)
		eprintf("--explain adds to records; --eval writes none");
	if (o->since_arg) {
		since = when("--since", o->since_arg);
		has_since = 1;
	}
	if (o->until_arg) {
		until = when("--until", o->until_arg);
		has_until = 1;
	}
}

/* Labels, fields, verdicts and the rules, model or library: the mode's
 * setup. The model being trained, if --train. */
static struct nb *
setup(struct opts *o, int *bad)
{
	static const char *const deflt[] = { F_TITLE, F_SUMMARY };
	struct nb *train = NULL;
	char err[512];
	size_t i;

	if (train_path || evaluate) {
		if (!(lpath = path_parse(o->label_text, err, sizeof(err))))
			eprintf("--labels '%s': %s", o->label_text, err);
		lwalk = jwalk_path(o->label_text);
	}
	if (train_path || o->like_path) {
		if (!o->ntrain_fields)
			for (i = 0; i < 2; i++)
				split_list(&o->train_fields, &o->ntrain_fields, deflt[i]);
		for (i = 0; i < o->ntrain_fields; i++)
			add_field(o->train_fields[i]);
	}
	if (o->verdicts_path) {
		verdicts = verdicts_load(o->verdicts_path);
		idpath = path_parse(F_ID, err, sizeof(err));
		idwalk = jwalk_path(F_ID);
	}
	if (train_path) {
		train = nb_new((const char *const *)o->train_fields, nfields);
	} else if (o->like_path) {
		*bad |= load_library(o->like_path);
		out = ecalloc(capout = 2, sizeof(*out));
	} else if (o->model_path) {
		load_model(o->model_path);
		for (i = 0; i < nb_nfields(model); i++)
			add_field(nb_field(model, i));
		post = ecalloc(nb_ntags(model) + 1, sizeof(*post));
		out = ecalloc(capout = nb_ntags(model) + 1, sizeof(*out));
	} else {
		if (rules_compile(rules, threshold, has_threshold, err,
		    sizeof(err)))
			eprintf("%s", err);
		for (i = 0; i < rules_nfields(rules); i++)
			add_field(rules_field(rules, i));
		out = ecalloc(capout = rules_ntags(rules) + 1, sizeof(*out));
	}
	if (evaluate) {
		eval = evaluate_new();
		given = ecalloc(capout, sizeof(*given));
	}
	if (!train_path) {
		check_tags(keep, nkeep, "--keep");
		check_tags(drop, ndrop, "--drop");
	}

	return train;
}

/* Everything, so that leak checkers see real leaks. */
static void
free_all(struct opts *o, struct nb *train)
{
	size_t i;

	for (i = 0; i < nfields; i++) {
		path_free(fpath[i]);
		jwalk_path_free(fwalk[i]);
	}
	free(fpath);
	free(fwalk);
	path_free(lpath);
	jwalk_path_free(lwalk);
	rules_free(rules);
	nb_free(model);
	like_free(like);
	path_free(idpath);
	jwalk_path_free(idwalk);
	verdicts_free(verdicts);
	buf_free(&idbuf);
	nb_free(train);
	while (nkeep)
		free(keep[--nkeep]);
	while (ndrop)
		free(drop[--ndrop]);
	while (o->ntrain_fields)
		free(o->train_fields[--o->ntrain_fields]);
	while (nlabels)
		free(labels[--nlabels]);
	evaluate_free(eval);
	free(given);
	free(keep);
	free(drop);
	free(o->train_fields);
	free(labels);
	free(out);
	free(post);
	free(rc.m);
	buf_free(&fold);
	buf_free(&tmp);
	buf_free(&line);
	buf_free(&adds);
	buf_free(&copy);
	words_free();
}

int
main(int argc, char *argv[])
{
	static char outbuf[1 << 16];
	struct opts o = { NULL, NULL, NULL, NULL, NULL, F_TAGS, NULL, 0, 0, 0 };
	struct nb *train;
	char err[512];
	size_t i;
	int bad = 0;

	setprogname(argv[0]);
	now = time(NULL);
	options(argc, argv, &o);
	check_options(&o);
	train = setup(&o, &bad);
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (optind == argc)
		bad |= jsonl_each("-", record_line, train);
	for (i = (size_t)optind; i < (size_t)argc; i++)
		bad |= jsonl_each(argv[i], record_line, train);
	if (o.verdicts_path)
		verdicts_report_unused(verdicts, o.verdicts_path);
	if (train && !nb_ntags(train))
		eprintf("%s: not written: no record carries a label (%s)",
		    train_path, o.verdicts_path ? "no '+' verdict names a record"
		    " read" : o.label_text);
	if (train && nb_save(train, train_path, err, sizeof(err)))
		eprintf("%s", err);
	if (evaluate)
		evaluate_print(eval);
	if (rules && rules_regex_limits(rules))
		weprintf("warning: %lu regex matches gave up at PCRE2's match "
		    "limit and counted as no match", rules_regex_limits(rules));
	if (fshut(stdout, "<stdout>"))
		return EXIT_FATAL;

	free_all(&o, train);
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
