/* classify: tag, score and filter records by rules (feedpipe-rules(5)), by
 * a naive Bayes model trained on the reader's own labels, or by closeness
 * to the reader's library of papers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "additions.h"
#include "buf.h"
#include "date.h"
#include "evaluate.h"
#include "fields.h"
#include "jscan.h"
#include "jsonl.h"
#include "jwalk.h"
#include "like.h"
#include "nbayes.h"
#include "path.h"
#include "rules.h"
#include "settings.h"
#include "util.h"
#include "verdicts.h"
#include "words.h"

static struct settings opt;
static struct rules *rules;
static struct nb *model;
static struct like *like;
static double like_sim;		/* the current record's score */

/* the fields the text comes from, and where labels are */
static struct path **fpath;
static size_t nfields;
static struct path *lpath;

/* the current record */
struct current {
	const struct jsonl *in;
	json_t *j;			/* parsed, or NULL: the fast path */
	struct jwalk_member *m;
	size_t nm, capm;
};

/* what classify gives the current record */
static struct additions_tag *out;
static size_t nout, capout;
static double *post;
static struct buf fold, tmp, line, adds, copy;

static struct evaluate *eval;
static const char **given;	/* --eval: the names in out */

static void
add_field(const char *text)
{
	char err[256];

	fpath = erealloc(fpath, (nfields + 1) * sizeof(*fpath));
	if (!(fpath[nfields] = path_parse(text, err, sizeof(err))))
		eprintf("field '%s': %s", text, err);
	nfields++;
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
strings(struct current *rc, struct path *p, jwalk_fn *fn, void *arg)
{
	const char *v;
	size_t vn;

	if (rc->j)
		json_strings(path_get(p, rc->j), fn, arg);
	else if (!jwalk_get(p, rc->in->line, rc->in->len, rc->m, rc->nm, &v, &vn))
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
add_out(const char *name, double score, size_t cls)
{
	out[nout].name = name;
	out[nout].score = score;
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
		strings(rc, fpath[i], to_rules, &i);
	nres = rules_end(rules, &res);
	for (i = 0; i < nres; i++)
		if (res[i].given)
			add_out(rules_tag(rules, res[i].tag), res[i].score, 0);
}

static int
by_prob(const void *a, const void *b)
{
	const struct additions_tag *x = a, *y = b;

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
		strings(rc, fpath[i], to_fold, NULL);
	nb_predict(model, buf_str(&fold), fold.len, post, &none);
	for (i = 0; i < nb_ntags(model); i++)
		if (post[i] >= opt.threshold)
			add_out(nb_tag(model, i), post[i], i);
	qsort(out, nout, sizeof(*out), by_prob);
}

static void
by_like(struct current *rc)
{
	size_t i;

	buf_reset(&fold);
	for (i = 0; i < nfields; i++)
		strings(rc, fpath[i], to_fold, NULL);
	like_sim = like_score(like, buf_str(&fold), fold.len, opt.nearest);
	if (opt.has_threshold && like_sim >= opt.threshold)
		add_out(LIKE_TAG, like_sim, 0);
}

/* ---- writing the record ---- */

static void
put_additions(struct buf *b)
{
	const struct additions a = { out, nout, rules, res, nres, model, post,
	    like, like_sim, opt.explain };

	additions_put(b, &a);
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
	put_additions(&adds);
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
 * classify's members: then it is written anew by jsonl_put without them;
 * --full-parse always writes it anew, to test this path. */
static void
write_tree(struct current *rc)
{
	static struct buf text;

	buf_reset(&adds);
	put_additions(&adds);
	if (!opt.full_parse && !json_object_get(rc->j, F_TAGS) &&
	    !json_object_get(rc->j, F_SCORE) &&
	    !json_object_get(rc->j, F_EXPLAIN)) {
		splice(rc->in->line, rc->in->len, json_object_size(rc->j) != 0);
		return;
	}
	json_object_del(rc->j, F_TAGS);
	json_object_del(rc->j, F_SCORE);
	json_object_del(rc->j, F_EXPLAIN);
	buf_reset(&text);
	jsonl_put(&text, rc->j);
	splice(text.s, text.len, json_object_size(rc->j) != 0);
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
	return (!opt.has_since || t >= opt.since) && (!opt.has_until || t < opt.until);
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

	if (opt.untagged)
		return nout == 0;
	for (i = 0; i < nout; i++) {
		if (listed(opt.drop, opt.ndrop, out[i].name))
			return 0;
		k |= listed(opt.keep, opt.nkeep, out[i].name);
	}
	return !opt.nkeep || k;
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
	strings(rc, lpath, to_labels, NULL);
}

/* --verdicts: the record's id */
static struct verdicts *verdicts;
static struct path *idpath;
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
	strings(rc, idpath, to_id, NULL);
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
	if (opt.first && nout > 1)
		nout = 1;
}

static struct current rc;

/* --train: count the record under its labels (or its verdict) */
static void
learn(struct current *c, struct nb *train)
{
	size_t i;

	if (!verdicts)
		read_labels(c);
	else if (!verdict_labels(c))
		return;
	buf_reset(&fold);
	for (i = 0; i < nfields; i++)
		strings(c, fpath[i], to_fold, NULL);
	nb_train(train, (const char *const *)labels, nlabels, buf_str(&fold),
	    fold.len);
}

/* Tag the record, then count it (--eval) or write it if it passes. */
static void
tag(struct current *c)
{
	classify(c);
	if (opt.evaluate) {
		read_labels(c);
		count_eval();
	} else if (passes()) {
		if (c->j)
			write_tree(c);
		else
			write_fast(c);
	}
}

/* One record: read through jscan and jwalk where they can, else parsed by
 * jansson; 1 if it is no JSON object. */
static int
record(const struct jsonl *in, struct nb *train)
{
	char err[256];
	const char *v;
	size_t vn;

	rc.in = in;
	rc.j = NULL;
	rc.nm = 0;
	if (opt.full_parse || jscan_find(in->line, in->len, F_TAGS, &v, &vn) == -2) {
		if (!(rc.j = jsonl_parse(in, err, sizeof(err)))) {
			wlineprintf(in->name, in->lineno, "%s", err);
			return 1;
		}
	} else {
		rc.nm = jwalk_members(in->line, in->len, &rc.m, &rc.capm);
	}
	if ((!opt.has_since && !opt.has_until) || published_in_range(&rc)) {
		if (train)
			learn(&rc, train);
		else
			tag(&rc);
	}
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
check_tags(char **list, size_t n, const char *option)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (like) {
			if (strcmp(list[i], LIKE_TAG) || !opt.has_threshold)
				eprintf("%s %s: --like gives only the tag '"
				    LIKE_TAG "', and only with -t", option,
				    list[i]);
			continue;
		}
		if (model ? nb_find_tag(model, list[i]) < 0 :
		    rules_find_tag(rules, list[i]) < 0)
			eprintf("%s %s: no %s gives this tag", option, list[i],
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

/* Where the labels are (--train, --eval). */
static void
setup_labels(void)
{
	char err[512];

	if (!(lpath = path_parse(opt.labels, err, sizeof(err))))
		eprintf("--labels '%s': %s", opt.labels, err);
}

/* --verdicts, and where the ids are */
static void
setup_verdicts(void)
{
	char err[256];

	verdicts = verdicts_load(opt.verdicts_path);
	idpath = path_parse(F_ID, err, sizeof(err));
}

/* The fields -f names (title and summary if none), for --train and --like. */
static void
setup_fields(void)
{
	size_t i;

	if (!opt.nfields) {
		split_list(&opt.fields, &opt.nfields, F_TITLE);
		split_list(&opt.fields, &opt.nfields, F_SUMMARY);
	}
	for (i = 0; i < opt.nfields; i++)
		add_field(opt.fields[i]);
}

static void
setup_rules(void)
{
	char err[512];
	size_t i;

	rules = opt.rules;
	if (rules_compile(rules, opt.threshold, opt.has_threshold, err,
	    sizeof(err)))
		eprintf("%s", err);
	for (i = 0; i < rules_nfields(rules); i++)
		add_field(rules_field(rules, i));
	capout = rules_ntags(rules) + 1;
}

static void
setup_model(void)
{
	size_t i;

	load_model(opt.model_path);
	for (i = 0; i < nb_nfields(model); i++)
		add_field(nb_field(model, i));
	post = ecalloc(nb_ntags(model) + 1, sizeof(*post));
	capout = nb_ntags(model) + 1;
}

/* The mode's setup: the model being trained, if --train; else the rules,
 * model or library to classify by. 1 in *bad if a line of the library was
 * bad. */
static struct nb *
setup(int *bad)
{
	if (opt.train_path || opt.evaluate)
		setup_labels();
	if (opt.train_path || opt.like_path)
		setup_fields();
	if (opt.verdicts_path)
		setup_verdicts();
	if (opt.train_path)
		return nb_new((const char *const *)opt.fields, nfields);
	if (opt.like_path) {
		*bad |= load_library(opt.like_path);
		capout = 2;
	} else if (opt.model_path) {
		setup_model();
	} else {
		setup_rules();
	}
	out = ecalloc(capout, sizeof(*out));
	if (opt.evaluate) {
		eval = evaluate_new();
		given = ecalloc(capout, sizeof(*given));
	}
	check_tags(opt.keep, opt.nkeep, "--keep");
	check_tags(opt.drop, opt.ndrop, "--drop");
	return NULL;
}

/* After the last record: the model trained, the table of --eval, and
 * what the reader is to know. */
static void
finish(struct nb *train)
{
	char err[512];

	if (opt.verdicts_path)
		verdicts_report_unused(verdicts, opt.verdicts_path);
	if (train && !nb_ntags(train))
		eprintf("%s: not written: no record carries a label (%s)",
		    opt.train_path, opt.verdicts_path ? "no '+' verdict names a "
		    "record read" : opt.labels);
	if (train && nb_save(train, opt.train_path, err, sizeof(err)))
		eprintf("%s", err);
	if (opt.evaluate)
		evaluate_print(eval);
	if (rules && rules_regex_limits(rules))
		weprintf("warning: %lu regex matches gave up at PCRE2's match "
		    "limit and counted as no match", rules_regex_limits(rules));
}

/* Everything, so that leak checkers see real leaks. */
static void
free_all(struct nb *train)
{
	size_t i;

	for (i = 0; i < nfields; i++)
		path_free(fpath[i]);
	free(fpath);
	path_free(lpath);
	rules_free(opt.rules);
	nb_free(model);
	like_free(like);
	path_free(idpath);
	verdicts_free(verdicts);
	buf_free(&idbuf);
	nb_free(train);
	settings_free(&opt);
	while (nlabels)
		free(labels[--nlabels]);
	free(labels);
	evaluate_free(eval);
	free(given);
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
	struct nb *train;
	int i, bad = 0;

	setprogname(argv[0]);
	settings_parse(&opt, argc, argv);
	train = setup(&bad);
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (optind == argc)
		bad |= jsonl_each("-", record_line, train);
	for (i = optind; i < argc; i++)
		bad |= jsonl_each(argv[i], record_line, train);
	finish(train);
	if (fshut(stdout, "<stdout>"))
		return EXIT_FATAL;
	free_all(train);
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
