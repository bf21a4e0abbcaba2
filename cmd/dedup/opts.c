/* opts.c: dedup's command line (opts.h). */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fields.h"
#include "jscan.h"
#include "jw.h"
#include "opts.h"
#include "util.h"

enum { OPT_MARK = 256, OPT_UPDATE, OPT_NOW, OPT_VERSIONS = 300 };

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: %s [-mt] [-k path[,path...]]... [--title=T] "
	    "[-s file [--mark | --update] [-e days]] [--versions] [file ...]\n"
	    "  -k, --key PATH[,PATH...]  records sharing a value at any of these "
	    "paths are\n"
	    "                            duplicates (default: the paper's identity,\n"
	    "                            its id, DOI, arXiv id, PMID and title)\n"
	    "  -t, --title[=T]           also titles that are equal once "
	    "normalised, or whose\n"
	    "                            word sets have Jaccard similarity >= T\n"
	    "  -m, --merge               fold duplicates into the first record "
	    "(reads all input first)\n"
	    "  -s, --state FILE          also drop records whose keys FILE "
	    "recorded in earlier runs\n"
	    "      --mark                record the keys of every record in FILE; "
	    "drop nothing\n"
	    "      --update              drop, and record what is left (unsafe: "
	    "see dedup(1))\n"
	    "  -e, --expire DAYS         forget keys first seen more than DAYS "
	    "days ago\n"
	    "      --now TIME            take TIME (RFC 3339) as the current time\n"
	    "      --versions            write new arXiv versions of recorded papers,\n"
	    "                            marked new_version, instead of dropping them\n"
	    "  -h, --help                show this help\n"
	    "  -V, --version             show the version\n", argv0);
	exit(status);
}

/* A key path, once for each namespace. */
static void
add_path(struct keypaths *kp, struct seen *s, const char *text)
{
	char err[256];
	struct buf canon = { 0 };
	struct path *p;
	size_t i;

	if (!(p = path_parse(text, err, sizeof(err)))) {
		weprintf("-k '%s': %s", text, err);
		usage(stderr, EXIT_FATAL);
	}
	path_canon(p, &canon);	/* id, .id and .["id"]: one namespace */
	if (!strcmp(canon.s, "."))
		eprintf("-k '%s': the whole record cannot be a key", text);
	for (i = 0; i < kp->n; i++)
		if (!strcmp(s->names[kp->tag[i]], canon.s))
			break;
	if (i < kp->n) {
		path_free(p);
	} else {
		if (kp->n == KEYS_MAXPATHS)
			eprintf("-k: more than %d paths", KEYS_MAXPATHS);
		kp->tag[kp->n] = seen_tag(s, canon.s, canon.len);
		kp->p[kp->n++] = p;
	}
	buf_free(&canon);
}

/* -k PATH[,PATH...]: commas inside quoted keys do not split. */
static void
add_paths(struct keypaths *kp, struct seen *s, const char *arg)
{
	struct buf one = { 0 };
	const char *p;
	int inq = 0;

	for (p = arg;; p++) {
		if (*p == '"')
			inq = !inq;
		else if (inq && *p == '\\' && p[1])
			buf_putc(&one, *p++);
		if (!*p || (*p == ',' && !inq)) {
			add_path(kp, s, buf_str(&one));
			buf_reset(&one);
			if (!*p)
				break;
			continue;
		}
		buf_putc(&one, *p);
	}
	buf_free(&one);
}

/* --title=T */
static double
threshold_arg(const char *arg)
{
	char *end;
	double t = strtod(arg, &end);

	if (*end || end == arg || !(t > 0 && t <= 1))
		eprintf("--title=%s: want a similarity above 0 and at "
		    "most 1, such as 0.9", arg);
	return t;
}

/* -e DAYS */
static long
expire_arg(const char *arg)
{
	char *end;
	long days = strtol(arg, &end, 10);

	if (*end || end == arg || days < 0 || days > 1000000)
		eprintf("--expire %s: want a number of days", arg);
	return days;
}

/* --now TIME */
static time_t
now_arg(const char *arg)
{
	time_t t;

	if (date_parse(arg, &t))
		eprintf("--now %s: want a time such as "
		    "2025-01-16T05:00:00Z", arg);
	return t;
}

/* What the options allow together. */
static void
check(const struct opts *o)
{
	if ((o->mark || o->update || o->expire >= 0) && !o->statefile) {
		weprintf("--%s needs --state", o->mark ? "mark" :
		    o->update ? "update" : "expire");
		usage(stderr, EXIT_FATAL);
	}
	if (o->mark && (o->update || o->merge)) {
		weprintf("--mark only records keys: not with --%s",
		    o->update ? "update" : "merge");
		usage(stderr, EXIT_FATAL);
	}
}

static time_t
time_min(void)
{
	if ((time_t)-1 > 0)
		return 0;
	return sizeof(time_t) > 4 ? (time_t)INT64_MIN : (time_t)INT32_MIN;
}

/* What follows from the options: the mode, the key paths, the time and
 * the cutoff, the inputs. */
static void
derive(struct opts *o, int now_given, int argc, char *argv[], struct seen *s)
{
	static char dash[] = "-", *stdin_only[] = { dash };

	o->identity = !o->kp.n && !o->titles;
	if (!o->identity && !o->kp.n)
		add_path(&o->kp, s, "." F_ID);
	o->kp.title = o->titles ? path_parse(F_TITLE, NULL, 0) : NULL;
	o->kp.title_tag = o->titles ?
	    seen_tag(s, KEYS_TITLE_NS, strlen(KEYS_TITLE_NS)) : UINT32_MAX;
	if (!now_given)
		o->now = time(NULL);
	o->cutoff = o->expire >= 0 ? o->now - (time_t)o->expire * 86400 :
	    time_min();
	o->files = argv + optind;
	o->nfiles = argc - optind;
	if (!o->nfiles) {
		o->files = stdin_only;
		o->nfiles = 1;
	}
}

void
opts_parse(struct opts *o, int argc, char *argv[], struct seen *s)
{
	static const struct option longopts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "title", optional_argument, NULL, 't' },
		{ "merge", no_argument, NULL, 'm' },
		{ "state", required_argument, NULL, 's' },
		{ "mark", no_argument, NULL, OPT_MARK },
		{ "update", no_argument, NULL, OPT_UPDATE },
		{ "expire", required_argument, NULL, 'e' },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "versions", no_argument, NULL, OPT_VERSIONS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, now_given = 0;

	memset(o, 0, sizeof(*o));
	o->expire = -1;
	while ((c = getopt_long(argc, argv, "k:tms:e:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': add_paths(&o->kp, s, optarg); break;
		case 't':
			o->titles = 1;
			if (optarg)
				o->threshold = threshold_arg(optarg);
			break;
		case 'm': o->merge = 1; break;
		case 's': o->statefile = optarg; break;
		case OPT_MARK: o->mark = 1; break;
		case OPT_UPDATE: o->update = 1; break;
		case 'e': o->expire = expire_arg(optarg); break;
		case OPT_NOW: o->now = now_arg(optarg); now_given = 1; break;
		case OPT_VERSIONS: o->versions = 1; break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'V': printf("dedup %s\n", FEEDPIPE_VERSION); exit(EXIT_OK);
		default: usage(stderr, EXIT_FATAL);
		}
	}
	check(o);
	derive(o, now_given, argc, argv, s);
}
