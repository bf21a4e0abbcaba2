/* settings.h: classify's command line, read and checked: which mode
 * (rules, a model, --like, --train, --eval) and its settings. */
#ifndef FEEDPIPE_SETTINGS_H
#define FEEDPIPE_SETTINGS_H

#include <stddef.h>
#include <time.h>

#define SETTINGS_NEAREST 5	/* --nearest's default */

struct settings {
	struct rules *rules;	/* -r, -e: read, not compiled; or NULL */
	const char *model_path, *like_path, *train_path, *verdicts_path;
	const char *labels;	/* --labels: where the labels are */
	char **keep, **drop;	/* -k, -d */
	size_t nkeep, ndrop;
	char **fields;		/* -f: --train's and --like's text */
	size_t nfields;
	double threshold;	/* -t, if has_threshold; else 0.5 */
	int has_threshold;
	size_t nearest;		/* --nearest */
	int evaluate, first, untagged, explain, full_parse;
	time_t since, until;	/* -s, --until, if has_since, has_until */
	int has_since, has_until;
};

/* Read the options of argv into s and check them: a usage error is fatal
 * (exit 2), --help and --version exit 0. The files are argv[optind..]. */
void settings_parse(struct settings *s, int argc, char *argv[]);
/* Free the lists (not the rules). */
void settings_free(struct settings *s);

#endif
