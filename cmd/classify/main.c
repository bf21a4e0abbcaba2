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
#include "jsonl.h"
#include "jwalk.h"
#include "like.h"
#include "nb.h"
#include "path.h"
#include "rec.h"
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
	struct rec r;
};

/* what classify gives the current record */
static struct additions_tag *out;
static size_t nout, capout;
static double *post;
static struct buf fold, tmp, line, adds;

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

/* ---- the strings of a field ---- */

static void
strings(struct rec *r, struct path *p, jwalk_fn *fn, void *arg)
{
	const char *v;
	size_t vn;

	if (!rec_path(r, p, &v, &vn))
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
		strings(&rc->r, fpath[i], to_rules, &i);
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
		strings(&rc->r, fpath[i], to_fold, NULL);
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
		strings(&rc->r, fpath[i], to_fold, NULL);
	like_sim = like_score(like, buf_str(&fold), fold.len, opt.nearest);
	if (opt.has_threshold && like_sim >= opt.threshold)
		add_out(LIKE_TAG, like_sim, 0);
}

/* ---- writing the record ---- */

static void
emit(const char *s, size_t n)
{
	if (fwrite(s, 1, n, stdout) != n)
		eprintf("<stdout>: write error:");
}

/* The record with classify's members replaced: the rest as it came. */
static void
write_record(struct current *rc)
{
	const struct additions a = { out, nout, rules, res, nres, model, post,
	    like, like_sim, opt.explain };

	additions_apply(&rc->r, &a, &adds);
	buf_reset(&line);
	rec_put(&rc->r, &line);
	buf_putc(&line, '\n');
	emit(line.s, line.len);
}

/* ---- filters ---- */

static int
published_in_range(struct current *rc)
{
	time_t t;

	if (!rec_string(&rc->r, F_PUBLISHED, &tmp) || date_parse(tmp.s, &t))
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
	strings(&rc->r, lpath, to_labels, NULL);
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
	strings(&rc->r, idpath, to_id, NULL);
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
		strings(&c->r, fpath[i], to_fold, NULL);
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
		write_record(c);
	}
}

/* One record (--full-parse: parsed by jansson and written anew, to test
 * that path); 1 if it is no JSON object. */
static int
record(const struct jsonl *in, struct nb *train)
{
	char err[256];

	rc.in = in;
	if (rec_read(&rc.r, in->line, in->len, opt.full_parse ? REC_PARSE : 0,
	    err, sizeof(err))) {
		wlineprintf(in->name, in->lineno, "%s", err);
		return 1;
	}
	if ((!opt.has_since && !opt.has_until) || published_in_range(&rc)) {
		if (train)
			learn(&rc, train);
		else
			tag(&rc);
	}
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
paper_name(struct rec *r, const struct jsonl *in, struct buf *b)
{
	if ((!rec_string(r, F_ID, b) || !b->len) &&
	    (!rec_string(r, F_TITLE, b) || !b->len)) {
		buf_reset(b);
		buf_printf(b, "%s:%lu", in->name, in->lineno);
	}
}

/* Read the library; 1 if some line of it was bad (and skipped). */
static int
load_library(const char *path)
{
	struct buf name = { NULL, 0, 0 };
	struct jsonl in;
	FILE *fp = open_input(path);
	char err[256];
	size_t i;
	int r, bad = 0;

	if (!fp)
		eprintf("%s:", input_name(path));
	like = like_new();
	jsonl_init(&in, fp, input_name(path));
	while ((r = jsonl_next(&in)) > 0) {
		if (rec_read(&rc.r, in.line, in.len, 0, err, sizeof(err))) {
			wlineprintf(in.name, in.lineno, "%s", err);
			bad = 1;
			continue;
		}
		buf_reset(&fold);
		for (i = 0; i < nfields; i++)
			strings(&rc.r, fpath[i], to_fold, NULL);
		paper_name(&rc.r, &in, &name);
		like_add(like, buf_str(&fold), fold.len, buf_str(&name));
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
	rec_free(&rc.r);
	buf_free(&fold);
	buf_free(&tmp);
	buf_free(&line);
	buf_free(&adds);
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
