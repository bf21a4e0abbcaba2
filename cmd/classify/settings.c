/* settings.c: classify's options (settings.h). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fields.h"
#include "rules.h"
#include "settings.h"
#include "util.h"

enum {
	OPT_UNTIL = 256, OPT_NOW, OPT_TRAIN, OPT_EVAL, OPT_LABELS, OPT_FULL,
	OPT_LIKE, OPT_NEAREST, OPT_VERDICTS,
};

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

/* what only the checks need */
static const char *since_arg, *until_arg;
static time_t now;
static int labels_given, nrules;

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
add_rules(struct settings *s, const char *name, const char *text, size_t n)
{
	unsigned long lineno;
	char err[512];

	if (!s->rules)
		s->rules = rules_new();
	if (rules_add(s->rules, name, text, n, &lineno, err, sizeof(err)))
		eprintf("%s:%lu: %s", name, lineno, err);
}

static void
rules_file(struct settings *s, const char *path)
{
	size_t n;
	char *text;

	if (!(text = slurp(path, &n)))
		eprintf("%s:", path);
	add_rules(s, path, text, n);
	free(text);
}

static void
one_rule(struct settings *s, const char *rule)
{
	char name[32];

	snprintf(name, sizeof(name), "-e#%d", ++nrules);
	add_rules(s, name, rule, strlen(rule));
}

static double
threshold_arg(const char *arg)
{
	char *e;
	double t = strtod(arg, &e);

	if (*e || !*arg || !isfinite(t)) {
		weprintf("-t %s: want a number", arg);
		usage(stderr, EXIT_FATAL);
	}
	return t;
}

static size_t
nearest_arg(const char *arg)
{
	char *e;
	long k = strtol(arg, &e, 10);

	if (*e || !*arg || k < 1 || k > 100000) {
		weprintf("--nearest %s: want a whole number from 1 to 100000",
		    arg);
		usage(stderr, EXIT_FATAL);
	}
	return (size_t)k;
}

static void
now_arg(const char *arg)
{
	if (date_parse(arg, &now)) {
		weprintf("--now %s: want a date such as 2025-01-16T05:00:00Z",
		    arg);
		usage(stderr, EXIT_FATAL);
	}
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
options(struct settings *s, int argc, char *argv[])
{
	int c;

	while ((c = getopt_long(argc, argv, "r:e:m:t:k:d:1uxs:f:hV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'r': rules_file(s, optarg); break;
		case 'e': one_rule(s, optarg); break;
		case 'm': s->model_path = optarg; break;
		case 't':
			s->threshold = threshold_arg(optarg);
			s->has_threshold = 1;
			break;
		case 'k': split_list(&s->keep, &s->nkeep, optarg); break;
		case 'd': split_list(&s->drop, &s->ndrop, optarg); break;
		case '1': s->first = 1; break;
		case 'u': s->untagged = 1; break;
		case 'x': s->explain = 1; break;
		case 's': since_arg = optarg; break;
		case OPT_UNTIL: until_arg = optarg; break;
		case OPT_NOW: now_arg(optarg); break;
		case OPT_TRAIN: s->train_path = optarg; break;
		case OPT_EVAL: s->evaluate = 1; break;
		case OPT_LABELS: s->labels = optarg; labels_given = 1; break;
		case OPT_LIKE: s->like_path = optarg; break;
		case OPT_NEAREST: s->nearest = nearest_arg(optarg); break;
		case OPT_VERDICTS: s->verdicts_path = optarg; break;
		case 'f': split_list(&s->fields, &s->nfields, optarg); break;
		case OPT_FULL: s->full_parse = 1; break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'V': printf("classify %s\n", FEEDPIPE_VERSION); exit(EXIT_OK);
		default: usage(stderr, EXIT_FATAL);
		}
	}
}

/* Which mode, and options that do not belong to it. */
static void
check_mode(const struct settings *s)
{
	if (s->train_path && (s->rules || s->model_path || s->evaluate))
		eprintf("--train learns from labels: it takes no -r, -e, -m or "
		    "--eval");
	if (s->like_path && (s->rules || s->model_path || s->train_path))
		eprintf("--like ranks by a library: it takes no -r, -e, -m or "
		    "--train");
	if (!s->train_path && !s->rules && !s->model_path && !s->like_path) {
		weprintf("rules (-r, -e), a model (-m) or --train is needed");
		usage(stderr, EXIT_FATAL);
	}
	if (s->rules && s->model_path)
		eprintf("-m cannot be used with -r or -e");
}

static void
check(struct settings *s)
{
	check_mode(s);
	if ((s->train_path || s->evaluate) && (s->nkeep || s->ndrop ||
	    s->untagged))
		eprintf("--keep, --drop and --untagged filter output; --train "
		    "and --eval write none");
	if (s->nfields && !s->train_path && !s->like_path)
		eprintf("-f is for --train and --like (rules name their fields; "
		    "a model knows its own)");
	if (s->nearest != SETTINGS_NEAREST && !s->like_path)
		eprintf("--nearest is for --like");
	if (s->verdicts_path && (!s->train_path || labels_given))
		eprintf("--verdicts is for --train, instead of --labels");
	if (s->untagged && s->nkeep)
		eprintf("--untagged and --keep exclude each other");
	if (s->train_path && (s->first || s->explain || s->has_threshold))
		eprintf("--first, --explain and --threshold are for tagging, "
		    "not --train");
	if (s->evaluate && s->explain)
		eprintf("--explain adds to records; --eval writes none");
	if (since_arg) {
		s->since = when("--since", since_arg);
		s->has_since = 1;
	}
	if (until_arg) {
		s->until = when("--until", until_arg);
		s->has_until = 1;
	}
}

void
settings_parse(struct settings *s, int argc, char *argv[])
{
	memset(s, 0, sizeof(*s));
	s->labels = F_TAGS;
	s->threshold = 0.5;
	s->nearest = SETTINGS_NEAREST;
	now = time(NULL);
	options(s, argc, argv);
	check(s);
}

void
settings_free(struct settings *s)
{
	while (s->nkeep)
		free(s->keep[--s->nkeep]);
	while (s->ndrop)
		free(s->drop[--s->ndrop]);
	while (s->nfields)
		free(s->fields[--s->nfields]);
	free(s->keep);
	free(s->drop);
	free(s->fields);
}
