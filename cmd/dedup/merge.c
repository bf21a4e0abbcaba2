/* merge.c: dedup --merge: the records kept until the end of input, and
 * the folding of duplicates into the first record of their group (see
 * merge.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "emit.h"
#include "fields.h"
#include "hset.h"
#include "jsonl.h"
#include "merge.h"
#include "rec.h"
#include "util.h"

/* The records kept. The first of each group is read again from a regular
 * file at the end rather than kept in memory; duplicates and records from
 * pipes are kept, in blocks. */
struct kept {
	const char *s;		/* the line, or NULL: read it again */
	size_t len;
	uint64_t hash;		/* to check that it is the same line */
	unsigned long lineno;
	int file;		/* index in files */
	int head;		/* the first of its group */
	long next;		/* the next duplicate in its group, or -1 */
	long last;		/* a group's first record: its last duplicate */
	struct news news;	/* a member to add ("preprint"), or none */
	int parsed;		/* jansson read it, not jscan */
};
static struct kept *recs;
static size_t nrecs, caprecs;
static struct arena lines = { NULL, 0, NULL, 0, 4 << 20 };
static const char **files;	/* the inputs, "-" for stdin */
static int nfiles;
static int seekable = -1;	/* the current input can be read again (-1: not
				 * known yet) */
static int32_t *group;		/* the group of each key new in this run */
static size_t ngroup, capgroup;

static int
rank(const json_t *type)
{
	static const char *const order[] = { "new", "cross", "replace",
	    "replace-cross" };
	size_t i;

	for (i = 0; json_is_string(type) && i < 4; i++)
		if (!strcmp(json_string_value(type), order[i]))
			return (int)i;
	return 4;
}

/* A string's text; NULL for anything else, raw numbers too. */
static const char *
text(const json_t *v)
{
	return jsonl_number(v, NULL) ? NULL : json_string_value(v);
}

static void
add_unique(json_t *arr, const char *s)
{
	const char *e;
	size_t i;

	for (i = 0; i < json_array_size(arr); i++)
		if ((e = text(json_array_get(arr, i))) && !strcmp(e, s))
			return;
	json_array_append_new(arr, json_string(s));
}

static const char *
str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s && *s ? s : NULL;
}

/* Where a record appeared: its feed's name, else its link. */
static const char *
where(const json_t *r)
{
	const char *s = str(json_object_get(r, F_FEED), F_FEED_NAME);

	return s ? s : str(r, F_LINK);
}

/* Fold the duplicate d into m: the union of categories, the better arXiv
 * announce type and the later version, what m lacks (a journal version's
 * doi and journal), and where d appeared into also. */
static void
merge_fold(json_t *m, json_t *d, json_t *also)
{
	json_t *mc = json_object_get(m, F_CATEGORIES);
	json_t *dc = json_object_get(d, F_CATEGORIES);
	json_t *ma = json_object_get(m, F_ARXIV);
	json_t *da = json_object_get(d, F_ARXIV);
	json_t *v, *w;
	const char *s;
	size_t i;

	if (json_is_array(mc) && json_is_array(dc))
		for (i = 0; i < json_array_size(dc); i++)
			if ((s = text(json_array_get(dc, i))))
				add_unique(mc, s);
	if (json_is_object(ma) && json_is_object(da)) {
		v = json_object_get(da, F_ARXIV_ANNOUNCE);
		if (json_is_string(v) && rank(v) < rank(json_object_get(ma,
		    F_ARXIV_ANNOUNCE)))
			json_object_set(ma, F_ARXIV_ANNOUNCE, v);
		v = json_object_get(da, F_ARXIV_VERSION);
		w = json_object_get(ma, F_ARXIV_VERSION);
		if (json_is_integer(v) && (!json_is_integer(w) ||
		    json_integer_value(v) > json_integer_value(w)))
			json_object_set(ma, F_ARXIV_VERSION, v);
		json_object_update_missing(ma, da);
	}
	if ((s = where(d)))
		add_unique(also, s);
	v = json_object_get(d, F_ALSO);
	for (i = 0; i < json_array_size(v); i++)
		if ((s = text(json_array_get(v, i))))
			add_unique(also, s);
	/* what the first lacks: a journal version's doi and journal */
	json_object_update_missing(m, d);
}

/* After the folds: also (minus m itself) as m's "also", and the primary
 * category first. */
static void
merge_finish(json_t *m, json_t *also)
{
	const char *self = where(m), *link = str(m, F_LINK), *s, *p;
	json_t *cats = json_object_get(m, F_CATEGORIES), *old, *v;
	size_t i;

	old = json_object_get(m, F_ALSO);
	if (!json_is_array(old)) {
		old = json_array();
		json_object_set_new(m, F_ALSO, old);
	}
	for (i = 0; i < json_array_size(also); i++) {
		s = json_string_value(json_array_get(also, i));
		if ((!self || strcmp(s, self)) && (!link || strcmp(s, link)))
			add_unique(old, s);
	}
	if (!json_array_size(old))
		json_object_del(m, F_ALSO);
	/* the primary category first */
	p = str(json_object_get(m, F_ARXIV), F_ARXIV_PRIMARY);
	for (i = 1; p && i < json_array_size(cats); i++) {
		s = json_string_value(json_array_get(cats, i));
		if (s && !strcmp(s, p)) {
			v = json_incref(json_array_get(cats, i));
			json_array_remove(cats, i);
			json_array_insert_new(cats, 0, v);
			break;
		}
	}
}

/* The member to add, such as dedup's preprint, onto m. */
static void
merge_news(json_t *m, const struct news *n)
{
	json_t *v;

	if (n->key && (v = json_loads(n->val, 0, NULL)))
		json_object_set_new(m, n->key, v);
}

void
merge_input(const char *path)
{
	files = erealloc(files, ((size_t)nfiles + 1) * sizeof(*files));
	files[nfiles++] = path;
	seekable = -1;
}

long
merge_keep(const struct jsonl *in, const struct rec *rec, long grp,
    struct news news)
{
	struct kept *r;
	struct stat st;

	if (seekable < 0)
		seekable = in->fp != stdin && fstat(fileno(in->fp), &st) == 0 &&
		    S_ISREG(st.st_mode);
	if (nrecs == caprecs) {
		caprecs = caprecs ? caprecs * 2 : 1024;
		recs = erealloc(recs, caprecs * sizeof(*recs));
	}
	r = &recs[nrecs];
	r->head = grp < 0;
	r->s = r->head && seekable ? NULL : arena_copy(&lines, in->line, in->len);
	r->len = in->len;
	r->hash = r->s ? 0 : hset_hash(0, in->line, in->len);
	r->lineno = in->lineno;
	r->file = nfiles - 1;
	r->next = -1;
	r->last = (long)nrecs;
	r->news = news;
	r->parsed = rec->tree != NULL;
	if (grp >= 0) {
		recs[recs[grp].last].next = (long)nrecs;
		recs[grp].last = (long)nrecs;
	}
	return (long)nrecs++;
}

void
merge_add_key(long grp)
{
	if (ngroup == capgroup) {
		capgroup = capgroup ? capgroup * 2 : 1024;
		group = erealloc(group, capgroup * sizeof(*group));
	}
	group[ngroup++] = (int32_t)grp;
}

long
merge_key_group(size_t i)
{
	return group[i];
}

/* The line of a record not kept, read again. Records come in input order,
 * so this is one more sequential pass over each file. */
static const char *
reread(const struct kept *r)
{
	static struct jsonl in;
	static int open = -1;
	FILE *fp;
	int n;

	if (open != r->file) {
		if (open >= 0) {
			fclose(in.fp);
			jsonl_free(&in);
		}
		if (!(fp = fopen(files[r->file], "r")))
			eprintf("%s: cannot read it again:", files[r->file]);
		jsonl_init(&in, fp, files[r->file]);
		open = r->file;
	}
	while (in.lineno < r->lineno && (n = jsonl_next(&in)) > 0)
		;
	if (in.lineno != r->lineno || in.len != r->len ||
	    hset_hash(0, in.line, in.len) != r->hash)
		eprintf("%s:%lu: the file changed while dedup --merge read it",
		    files[r->file], r->lineno);
	return in.line;
}

/* A record that has no duplicates, with its news. */
static void
write_one(const char *line, const struct kept *r)
{
	static struct rec rec;

	if (rec_read(&rec, line, r->len, r->parsed ? 0 : REC_TRUSTED, NULL, 0))
		emit_line(line, r->len);	/* cannot be: it was read as a record */
	else
		emit_record(&rec, &r->news);
	free(r->news.val);
}

/* The first record of a group with its duplicates folded in. */
static void
write_group(const struct kept *r)
{
	json_t *m, *orig, *d, *also;
	long k;

	const char *line = r->s ? r->s : reread(r);

	if (r->next < 0) {
		write_one(line, r);
		return;
	}
	if (!(orig = jsonl_load(line, r->len, NULL, 0))) {
		emit_line(line, r->len);	/* cannot be: it was read as a record */
		return;
	}
	m = json_deep_copy(orig);
	also = json_array();
	for (k = r->next; k >= 0; k = recs[k].next) {
		d = jsonl_load(recs[k].s, recs[k].len, NULL, 0);
		if (json_is_object(d))
			merge_fold(m, d, also);
		json_decref(d);
	}
	merge_finish(m, also);
	merge_news(m, &r->news);
	free(r->news.val);
	if (json_equal(m, orig))
		emit_line(line, r->len);
	else if (jsonl_write(stdout, m))
		eprintf("<stdout>: write error:");
	json_decref(also);
	json_decref(m);
	json_decref(orig);
}

void
merge_write(void)
{
	size_t i;

	for (i = 0; i < nrecs; i++)
		if (recs[i].head)
			write_group(&recs[i]);
	arena_free(&lines);
}
