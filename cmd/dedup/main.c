/* dedup: the first record of each key, in this run and (with a state file)
 * across runs; or, with --merge, duplicates folded into the first. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "emit.h"
#include "keys.h"
#include "merge.h"
#include "opts.h"
#include "paper.h"
#include "rec.h"
#include "simidx.h"
#include "seen.h"
#include "util.h"

enum {
	NEW = -2,		/* fates of a record: new, */
	SEEN_BEFORE = -1,	/* seen in an earlier run, else the group it joins */
};

/* what the keys of the current record found */
struct verdict {
	long fate;		/* NEW, SEEN_BEFORE or a group */
	long published;		/* the key of its preprint, recorded, or -1 */
	long seen_idx;		/* one of its keys recorded, or -1 */
};

static struct opts opt;
static struct seen seen;	/* keys: from the state file, then this run's */
static size_t nloaded;		/* how many came from the state file */
static struct simidx *sim;	/* --title=T: the titles met */
static struct keys keys;	/* the current record's */
static struct paper cur;	/* what it is, by default */
static struct rec rec;		/* the current record */

static long
owner(long i)
{
	if ((size_t)i < nloaded)
		return SEEN_BEFORE;
	return opt.merge ? merge_key_group((size_t)i - nloaded) : 0;
}

/* Seen before wins: once is enough to drop a record. Else the earliest. */
static long
worse(long fate, long o)
{
	if (fate == SEEN_BEFORE || o == SEEN_BEFORE)
		return SEEN_BEFORE;
	return fate == NEW || o < fate ? o : fate;
}

/* The index of key j of the current record in the map, or -1. */
static long
find_key(size_t j)
{
	if (opt.identity)
		return paper_find(&seen, &keys, j);
	return hset_find(&seen.keys, keys.k[j].tag, keys.b.s + keys.k[j].off,
	    keys.k[j].len);
}

/* What the keys already known make of the current record. */
static struct verdict
look_up(void)
{
	struct verdict v = { NEW, -1, -1 };
	long i, o;
	size_t j;

	for (j = 0; j < keys.n && !opt.mark; j++) {
		if ((i = find_key(j)) < 0)
			continue;
		o = owner(i);
		/* a journal article whose preprint an earlier day showed */
		if (o == SEEN_BEFORE && opt.identity && !cur.preprint &&
		    seen_preprint(&seen, (size_t)i)) {
			v.published = i;
			continue;
		}
		if (o == SEEN_BEFORE)
			v.seen_idx = i;
		v.fate = worse(v.fate, o);
	}
	return v;
}

/* --title=T: the fate once the titles met are compared. */
static long
near_title(long fate)
{
	const struct rkey *k = &keys.k[keys.n - 1];
	long o;

	simidx_set(sim, keys.b.s + k->off, k->len);
	/* streaming, a duplicate is a duplicate; merging, the earliest group
	 * wins */
	if ((fate == NEW || (opt.merge && fate != SEEN_BEFORE)) &&
	    simidx_match(sim, &o))
		fate = worse(fate, o);
	return fate;
}

/* A member to add to the record, or none: the preprint recorded of a new
 * journal article, or with --versions the news of a recorded preprint's
 * new version, which makes it new. */
static struct news
news(struct verdict *v)
{
	static const struct news none = { NULL, NULL };

	if (v->fate == NEW && v->published >= 0)
		return paper_published(&seen, v->published);
	if (v->fate == SEEN_BEFORE && opt.versions && cur.preprint &&
	    cur.version > 1 && v->seen_idx >= 0) {
		v->fate = NEW;
		return paper_new_version(&seen, &cur, v->seen_idx);
	}
	return none;
}

/* Write a new record (with its news, taken), or keep it or its duplicate
 * for --merge: the group its keys join. */
static long
place(const struct jsonl *in, struct rec *r, long fate, struct news n)
{
	static const struct news none = { NULL, NULL };

	if (fate == NEW && opt.merge)
		return merge_keep(in, r, -1, n);
	if (fate == NEW) {
		emit_record(r, &n);
		free(n.val);
		return 0;	/* streaming: any group will do */
	}
	free(n.val);
	if (fate >= 0 && opt.merge)
		merge_keep(in, r, fate, none);
	return fate;
}

/* Record the current record's keys, the new ones in group grp. */
static void
remember(long grp)
{
	const struct rkey *k;
	size_t j;
	long i;
	int added;

	for (j = 0; j < keys.n; j++) {
		k = &keys.k[j];
		i = hset_add(&seen.keys, k->tag, keys.b.s + k->off, k->len,
		    (int64_t)opt.now, HSET_COPY, &added);
		if (opt.mark && opt.identity)
			paper_mark(&seen, &cur, i, added);
		if (added && opt.merge)
			merge_add_key(grp);
	}
	if (sim && keys.has_title)
		simidx_add(sim, grp);
}

/* jsonl_each's callback: one record's keys, its fate, its keys recorded. */
static int
one(struct jsonl *in, void *arg)
{
	struct verdict v;
	char err[256];

	(void)arg;
	if (rec_read(&rec, in->line, in->len, 0, err, sizeof(err))) {
		wlineprintf(in->name, in->lineno, "%s", err);
		return 1;
	}
	if (opt.identity)
		paper_keys(&keys, &cur, &rec, opt.mark, opt.versions);
	else
		keys_at_paths(&keys, &opt.kp, &rec);
	v = look_up();
	if (sim && keys.has_title)
		v.fate = near_title(v.fate);
	remember(place(in, &rec, v.fate, news(&v)));
	return 0;
}

/* The keys of the state file, and with --title=T its titles indexed. */
static void
load_state(void)
{
	char err[1024];
	size_t i;
	const struct hset_ent *e;

	if (seen_load(&seen, opt.statefile, opt.cutoff, err, sizeof(err)))
		eprintf("%s", err);
	nloaded = seen.keys.n;
	if (opt.identity)
		paper_old_namespaces(&seen);
	if (!sim)
		return;
	for (i = 0; i < nloaded; i++) {
		e = &seen.keys.ent[i];
		if (e->tag != opt.kp.title_tag)
			continue;
		simidx_set(sim, e->s, e->len);
		simidx_add(sim, SEEN_BEFORE);
	}
}

/* The paper's fields, the title index, the state file (locked if it is to
 * be written: the lock, else -1), the output buffer. */
static int
setup(void)
{
	static char outbuf[1 << 16];
	char err[1024], *real;
	struct stat st;
	int lock = -1;

	if (opt.identity)
		paper_setup(&seen, &rec);
	else	/* found while the line is checked */
		rec_hint(&rec, opt.kp.p[0]);
	if (opt.titles && opt.threshold > 0 && !opt.mark)
		sim = simidx_new(opt.threshold);
	if (opt.statefile && lstat(opt.statefile, &st) == 0 &&
	    S_ISLNK(st.st_mode) && (real = realpath(opt.statefile, NULL)))
		opt.statefile = real;	/* replace a symlink's target, not it */
	if (opt.statefile && (opt.mark || opt.update) &&
	    (lock = seen_lock(opt.statefile, err, sizeof(err))) < 0)
		eprintf("%s", err);
	if (opt.statefile)
		load_state();
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	return lock;
}

int
main(int argc, char *argv[])
{
	char err[1024];
	int bad = 0, lock, i;

	setprogname(argv[0]);
	seen_init(&seen);
	opts_parse(&opt, argc, argv, &seen);
	lock = setup();
	for (i = 0; i < opt.nfiles; i++) {
		if (opt.merge)
			merge_input(opt.files[i]);
		bad |= jsonl_each(opt.files[i], one, NULL);
	}
	if (opt.merge)
		merge_write();
	/* the records must be out before their keys are recorded */
	rec_free(&rec);
	if (fshut(stdout, "<stdout>"))
		return EXIT_FATAL;
	if (lock >= 0 &&
	    seen_save(&seen, opt.statefile, opt.cutoff, err, sizeof(err)))
		eprintf("%s", err);
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
