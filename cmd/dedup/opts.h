/* opts.h: dedup's command line, read and checked, and what follows from
 * it: the mode, the key paths and their namespaces, the time, the inputs. */
#ifndef FEEDPIPE_OPTS_H
#define FEEDPIPE_OPTS_H

#include <time.h>

#include "keys.h"
#include "seen.h"

struct opts {
	struct keypaths kp;	/* -k, or .id for --title alone; --title */
	int identity;		/* neither: a paper's identity (paper.h) */
	int titles, merge, mark, update, versions;
	double threshold;	/* --title=T; 0: equal titles only */
	const char *statefile;	/* -s, or NULL */
	long expire;		/* -e DAYS, or -1 */
	time_t now;		/* --now, else the time */
	time_t cutoff;		/* keys first seen before it are forgotten */
	char **files;		/* the inputs: "-" alone if none is named */
	int nfiles;
};

/* Read the command line into o, the namespaces of its keys into s. --help
 * and --version exit 0; a usage error exits 2 with a message. */
void opts_parse(struct opts *o, int argc, char *argv[], struct seen *s);

#endif
