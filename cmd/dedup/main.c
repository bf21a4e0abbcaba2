/* dedup: the first record of each key, in this run and (with a state file)
 * across runs; or, with --merge, duplicates folded into the first. */
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "date.h"
#include "fields.h"
#include "jscan.h"
#include "jsonl.h"
#include "jsonw.h"
#include "jwalk.h"
#include "merge.h"
#include "normtitle.h"
#include "path.h"
#include "simidx.h"
#include "state.h"
#include "util.h"

enum {
	MAXPATHS = 64,
	MINWORDS = 4,		/* shorter titles ("Editorial") are not identities */
	OPT_VERSIONS = 300,
	NEW = -2,		/* fates of a record: new, */
	SEEN_BEFORE = -1,	/* seen in an earlier run, else the group it joins */
	OPT_MARK = 256, OPT_UPDATE, OPT_NOW,
};
#define TITLE_NS "~title"

static struct path *paths[MAXPATHS];
static uint32_t tags[MAXPATHS];
static size_t npaths;
static int titles, merge, mark, update;
static double threshold;	/* --title=T; 0: equal titles only */
static const char *statefile;
static long expire = -1;
static time_t now, cutoff;
static int now_given;

static struct seen seen;	/* keys: from the state file, then this run's */
static size_t nloaded;		/* how many came from the state file */
static int32_t *group;		/* --merge: the group of each key of this run */
static size_t ngroup, capgroup;
static struct simidx *sim;
static struct path *title_path;
static uint32_t title_tag;

/* The default: a paper's identity, its keys in one namespace so that the
 * DOI of an arXiv record meets the id of the journal's. */
#define PAPER_NS "~paper"
static int identity, versions;
static uint32_t paper_tag, old_id_tag = UINT32_MAX, old_title_tag = UINT32_MAX;
static struct path *id_path, *doi_path, *arxiv_id_path, *pmid_path, *link_path,
    *version_path;

/* the current record, in identity mode */
struct paper {
	int preprint;		/* an arXiv record */
	long version;		/* arXiv version, 0 if none */
	struct buf id, link;
};
static struct paper cur;
static struct buf val;		/* a value of the current record */

/* the current record's keys, their bytes in kb */
struct rkey {
	uint32_t tag;
	size_t off, len;
};
static struct rkey rk[MAXPATHS + 1];
static size_t nrk;
static int has_title;
static struct buf kb, tmp;

/* --merge: the records kept. The first of each group is read again from a
 * regular file at the end rather than kept in memory; duplicates and
 * records from pipes are kept, in blocks. */
struct kept {
	const char *s;		/* the line, or NULL: read it again */
	size_t len;
	uint64_t hash;		/* to check that it is the same line */
	unsigned long lineno;
	int file;		/* index in files */
	int head;		/* the first of its group */
	long next;		/* the next duplicate in its group, or -1 */
	long last;		/* a group's first record: its last duplicate */
	char *extra;		/* members to add ("preprint":{...}), or NULL */
};
static struct kept *recs;
static size_t nrecs, caprecs;
static struct arena lines = { NULL, 0, NULL, 0, 4 << 20 };
static char **files;		/* the inputs, "-" for stdin */
static int nfiles, curfile, seekable;

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

static int
namechar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c >= 0x80;
}

/* A quoted key at *pp, decoded into out; *pp moves past it. */
static void
quoted_key(const char **pp, struct buf *out)
{
	const char *p = *pp, *q = p + 1;

	while (*q && *q != '"')
		q += q[0] == '\\' && q[1] ? 2 : 1;
	jscan_string(p, (size_t)(q + 1 - p), out);
	*pp = q + 1;
}

static void
put_key(struct buf *out, const char *k, size_t n)
{
	size_t i;

	for (i = 0; i < n && namechar((unsigned char)k[i]); i++)
		;
	buf_putc(out, '.');
	if (n && i == n)
		buf_put(out, k, n);
	else
		jw_put_string(out, k, n);
}

/* The canonical form of a path that path_parse accepted, so that id, .id
 * and .["id"] name one namespace in the state file. */
static void
canon_path(struct buf *out, const char *s)
{
	struct buf key = { 0 };
	const char *p = s, *q;
	char *end;

	if (!strcmp(s, ".")) {
		buf_putc(out, '.');
		return;
	}
	while (*p) {
		if (*p == '[' && p[1] != '"') {
			buf_printf(out, "[%ld]", strtol(p + 1, &end, 10));
			p = end + 1;
			continue;
		}
		if (*p == '[' || *p == '.')
			p++;
		if (*p == '[')
			continue;
		if (*p == '"') {
			quoted_key(&p, &key);
			put_key(out, key.s, key.len);
			if (*p == ']')
				p++;
		} else {
			for (q = p; namechar((unsigned char)*q); q++)
				;
			put_key(out, p, (size_t)(q - p));
			p = q;
		}
	}
	buf_free(&key);
}

static void
add_path(const char *text)
{
	char err[256];
	struct buf canon = { 0 };
	struct path *p;
	size_t i;

	if (!(p = path_parse(text, err, sizeof(err)))) {
		weprintf("-k '%s': %s", text, err);
		usage(stderr, EXIT_FATAL);
	}
	canon_path(&canon, text);
	if (!strcmp(canon.s, "."))
		eprintf("-k '%s': the whole record cannot be a key", text);
	for (i = 0; i < npaths; i++)
		if (!strcmp(seen.names[tags[i]], canon.s))
			break;
	if (i < npaths) {
		path_free(p);
	} else {
		if (npaths == MAXPATHS)
			eprintf("-k: more than %d paths", MAXPATHS);
		tags[npaths] = seen_tag(&seen, canon.s, canon.len);
		paths[npaths++] = p;
	}
	buf_free(&canon);
}

/* -k PATH[,PATH...]: commas inside quoted keys do not split. */
static void
add_paths(const char *arg)
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
			add_path(buf_str(&one));
			buf_reset(&one);
			if (!*p)
				break;
			continue;
		}
		buf_putc(&one, *p);
	}
	buf_free(&one);
}

/* Numbers are keys by value (1, 1.0 and 1e0 agree) and written the same
 * way whether they came from the scanner or from jansson. */
static void
put_real(struct buf *b, double d)
{
	char s[40];
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	buf_puts(b, s);
}

static void
put_number(struct buf *b, const char *v, size_t n)
{
	char *end;

	buf_reset(&tmp);
	buf_put(&tmp, v, n);
	if (strpbrk(tmp.s, ".eE"))
		put_real(b, strtod(tmp.s, &end));
	else
		buf_printf(b, "%lld", strtoll(tmp.s, &end, 10));
}

static void
key_begin(uint32_t tag)
{
	rk[nrk].tag = tag;
	rk[nrk].off = kb.len;
}

/* Keep the key just written to kb, unless it is empty. */
static void
key_end(void)
{
	rk[nrk].len = kb.len - rk[nrk].off;
	if (rk[nrk].len)
		nrk++;
}

static void
title_key(const char *s, size_t n)
{
	size_t start = kb.len;

	key_begin(title_tag);
	if (title_norm(&kb, s, n) < MINWORDS) {
		kb.len = start;
		kb.s[start] = '\0';
		return;
	}
	key_end();
	has_title = 1;
}

/* A key from the raw text of a value: strings decoded, numbers by value,
 * anything else (null, true, arrays, objects) is no key. */
static void
raw_key(uint32_t tag, const char *v, size_t n)
{
	if (*v == '"') {
		if (jscan_string(v, n, &tmp) <= 0)
			return;
		if (tag == title_tag && titles) {
			title_key(tmp.s, tmp.len);
			return;
		}
		key_begin(tag);
		buf_put(&kb, tmp.s, tmp.len);
		key_end();
	} else if (*v == '-' || (*v >= '0' && *v <= '9')) {
		key_begin(tag);
		put_number(&kb, v, n);
		key_end();
	}
}

static void
json_key(uint32_t tag, const json_t *v)
{
	const char *s;
	size_t n;

	if ((s = jsonl_number(v, &n))) {	/* beyond a double: by its text */
		key_begin(tag);
		buf_put(&kb, s, n);
		key_end();
	} else if (json_is_string(v)) {
		if (tag == title_tag && titles) {
			title_key(json_string_value(v), json_string_length(v));
			return;
		}
		key_begin(tag);
		buf_put(&kb, json_string_value(v), json_string_length(v));
		key_end();
	} else if (json_is_integer(v)) {
		key_begin(tag);
		buf_printf(&kb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		key_end();
	} else if (json_is_real(v)) {
		key_begin(tag);
		put_real(&kb, json_real_value(v));
		key_end();
	}
}

/* The members of the current line, once jscan has checked it, so that
 * each field is found without scanning the line again; and of its arxiv
 * object. */
static struct jwalk_member *top, *sub;
static size_t ntop, captop, nsub, capsub;
static int members_ready;

/* The raw value at .k1 or .k1.k2 from the members: 0, or -1 if absent. */
static int
member(const char *k1, const char *k2, const char **v, size_t *vn)
{
	const struct jwalk_member *m = jwalk_find(top, ntop, k1, strlen(k1));

	if (m && k2) {
		if (*m->val != '{')
			return -1;
		nsub = jwalk_members(m->val, m->vlen, &sub, &capsub);
		m = jwalk_find(sub, nsub, k2, strlen(k2));
	}
	if (!m)
		return -1;
	*v = m->val;
	*vn = m->vlen;
	return 0;
}

/* The text of a string value at p (.k1 or .k1.k2), into out ("" for
 * anything else); a number by value. 1 if there is a value, 0 if not, -1
 * for a line that is no record (said). */
static int
value_at(const struct jsonl *in, json_t **j, struct path *p,
    const char *k1, const char *k2, struct buf *out)
{
	char err[256];
	const char *v;
	size_t vn;
	int r;
	json_t *x;

	buf_reset(out);
	if (*j)
		r = -2;
	else if (members_ready)
		r = member(k1, k2, &v, &vn);
	else if ((r = path_scan(p, in->line, in->len, &v, &vn)) != -2) {
		/* the whole line is checked now: one walk finds the rest */
		ntop = jwalk_members(in->line, in->len, &top, &captop);
		members_ready = 1;
	}
	if (r == -2 && !*j && !(*j = jsonl_parse(in, err, sizeof(err)))) {
		wlineprintf(in->name, in->lineno, "%s", err);
		return -1;
	}
	if (*j) {
		x = path_get(p, *j);
		if (json_is_string(x))
			buf_put(out, json_string_value(x), json_string_length(x));
		else if (json_is_integer(x))
			buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(x));
		else if (json_is_real(x))
			put_real(out, json_real_value(x));
		return x != NULL;
	}
	if (r != 0)
		return 0;
	if (*v == '"')
		return jscan_string(v, vn, out) >= 0;
	if (*v == '-' || (*v >= '0' && *v <= '9'))
		put_number(out, v, vn);	/* by value: 1, 1.0 and 1e0 agree */
	return 1;
}

static void
paper_key(const char *prefix, const char *v, size_t n, int lower)
{
	size_t i, start;

	if (!n)
		return;
	key_begin(paper_tag);
	buf_puts(&kb, prefix);
	start = kb.len;
	buf_put(&kb, v, n);
	for (i = start; lower && i < kb.len; i++)
		if (kb.s[i] >= 'A' && kb.s[i] <= 'Z')
			kb.s[i] = (char)(kb.s[i] - 'A' + 'a');
	key_end();
}

/* A paper's keys: its id, its DOI, its arXiv id (no version), its PMID and
 * its title, normalised, unless short or generic. -1 for a bad line. */
static int
identity_keys(const struct jsonl *in)
{
	json_t *j = NULL;
	size_t start;
	int r = 0;

	nrk = 0;
	has_title = 0;
	buf_reset(&kb);
	buf_grow(&kb, 256);
	buf_reset(&cur.id);
	buf_reset(&cur.link);
	cur.preprint = 0;
	cur.version = 0;
	members_ready = 0;
	if ((r = value_at(in, &j, id_path, F_ID, NULL, &val)) < 0)
		return -1;
	paper_key("", val.s, val.len, 0);
	buf_put(&cur.id, val.s, val.len);
	if (!strncmp(cur.id.s ? cur.id.s : "", "arxiv:", 6))
		cur.preprint = 1;
	if ((r = value_at(in, &j, doi_path, F_DOI, NULL, &val)) < 0)
		return -1;
	paper_key("doi:", val.s, val.len, 1);
	if ((r = value_at(in, &j, arxiv_id_path, F_ARXIV, F_ARXIV_ID, &val)) < 0)
		return -1;
	if (r && val.len) {
		paper_key("arxiv:", val.s, val.len, 0);
		cur.preprint = 1;
	}
	if ((r = value_at(in, &j, pmid_path, F_PMID, NULL, &val)) < 0)
		return -1;
	paper_key("pmid:", val.s, val.len, 0);
	if ((r = value_at(in, &j, title_path, F_TITLE, NULL, &val)) < 0)
		return -1;
	if (val.len) {
		key_begin(paper_tag);
		buf_puts(&kb, "title:");
		start = kb.len;
		if (title_norm(&kb, val.s, val.len) < MINWORDS || title_generic(kb.s + start)) {
			kb.len = rk[nrk].off;
			kb.s[kb.len] = '\0';
		} else {
			key_end();
		}
	}
	/* the rest only where it is used: each scan costs */
	if (mark && cur.preprint && value_at(in, &j, link_path, F_LINK, NULL, &cur.link) < 0)
		return -1;
	if (versions && cur.preprint) {
		if ((r = value_at(in, &j, version_path, F_ARXIV, F_ARXIV_VERSION, &val)) < 0)
			return -1;
		if (r && val.len)
			cur.version = strtol(val.s, NULL, 10);
	}
	json_decref(j);
	return 0;
}

/* The keys of the current line, from its text; jansson only where the
 * scanner cannot answer. -1 for a line that is not a record. */
static int
record_keys(const struct jsonl *in)
{
	char err[256];
	json_t *j = NULL;
	const char *v;
	size_t i, n = npaths + (titles != 0), vn;
	struct path *p;
	int r;

	nrk = 0;
	has_title = 0;
	buf_reset(&kb);
	buf_grow(&kb, 256);
	for (i = 0; i < n; i++) {
		p = i < npaths ? paths[i] : title_path;
		r = j ? -2 : path_scan(p, in->line, in->len, &v, &vn);
		if (r == -2 && !j && !(j = jsonl_parse(in, err, sizeof(err)))) {
			wlineprintf(in->name, in->lineno, "%s", err);
			return -1;
		}
		if (j)
			json_key(i < npaths ? tags[i] : title_tag, path_get(p, j));
		else if (r == 0)
			raw_key(i < npaths ? tags[i] : title_tag, v, vn);
	}
	json_decref(j);
	return 0;
}

/* --merge: keep the record, as the first of a group or a duplicate in one. */
static long
keep_record(const struct jsonl *in, long grp)
{
	struct kept *r;

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
	r->file = curfile;
	r->next = -1;
	r->last = (long)nrecs;
	r->extra = NULL;
	if (grp >= 0) {
		recs[recs[grp].last].next = (long)nrecs;
		recs[grp].last = (long)nrecs;
	}
	return (long)nrecs++;
}

static void
emit(const char *s, size_t n)
{
	fwrite(s, 1, n, stdout);
	putchar('\n');
	if (ferror(stdout))
		eprintf("<stdout>: write error:");
}

static long
owner(long i)
{
	if ((size_t)i < nloaded)
		return SEEN_BEFORE;
	return merge ? group[(size_t)i - nloaded] : 0;
}

/* Seen before wins: once is enough to drop a record. Else the earliest. */
static long
worse(long fate, long o)
{
	if (fate == SEEN_BEFORE || o == SEEN_BEFORE)
		return SEEN_BEFORE;
	return fate == NEW || o < fate ? o : fate;
}

/* The index of key j of the current record in the map, in its namespace
 * or, for a paper's keys, where a version 1 state file kept it. */
static long
find_key(size_t j)
{
	const char *k = kb.s + rk[j].off;
	size_t n = rk[j].len;
	long i = hset_find(&seen.keys, rk[j].tag, k, n);

	if (i >= 0 || !identity)
		return i;
	if (n > 6 && !memcmp(k, "title:", 6))
		return old_title_tag == UINT32_MAX ? -1 :
		    hset_find(&seen.keys, old_title_tag, k + 6, n - 6);
	return old_id_tag == UINT32_MAX ? -1 : hset_find(&seen.keys, old_id_tag, k, n);
}

static void
put_day(struct buf *b, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char day[16];

	gmtime_r(&tt, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	buf_puts(b, day);
}

/* "preprint":{...} for a journal article whose preprint key i recorded */
static char *
preprint_member(long i)
{
	const char *pp = seen_preprint(&seen, (size_t)i), *tab = strchr(pp, '\t');
	struct buf b = { NULL, 0, 0 };

	buf_puts(&b, "\"" F_PREPRINT "\":{\"id\":");
	jw_put_string(&b, pp, (size_t)(tab - pp));
	if (tab[1]) {
		buf_puts(&b, ",\"link\":");
		jw_put_string(&b, tab + 1, strlen(tab + 1));
	}
	buf_puts(&b, ",\"first_seen\":\"");
	put_day(&b, seen.keys.ent[i].val);
	buf_puts(&b, "\"}");
	return b.s;
}

/* "new_version":{...} for an arXiv replacement of a paper key i recorded */
static char *
version_member(long i)
{
	struct buf b = { NULL, 0, 0 };

	buf_printf(&b, "\"" F_NEW_VERSION "\":{\"version\":%ld,\"first_seen\":\"", cur.version);
	put_day(&b, seen.keys.ent[i].val);
	buf_puts(&b, "\"}");
	return b.s;
}

/* A record line with members added before its closing brace. */
static void
emit_with(const char *s, size_t n, const char *extra)
{
	size_t end = n;

	if (!extra) {
		emit(s, n);
		return;
	}
	while (end > 0 && s[end - 1] != '}')
		end--;
	if (!end) {
		emit(s, n);
		return;
	}
	fwrite(s, 1, end - 1, stdout);
	if (memchr(s, ':', end))	/* not {} */
		putchar(',');
	fputs(extra, stdout);
	fwrite(s + end - 1, 1, n - end + 1, stdout);
	putchar('\n');
	if (ferror(stdout))
		eprintf("<stdout>: write error:");
}

/* --mark: a preprint's new keys remember it; a journal article meeting
 * them (shown as published, or otherwise) makes them forget. */
static void
mark_preprint(long i, int added)
{
	if (!identity)
		return;
	if (added && cur.preprint)
		seen_set_preprint(&seen, (size_t)i, cur.id.s ? cur.id.s : "", cur.link.s);
	else if (!added && !cur.preprint)
		seen_set_preprint(&seen, (size_t)i, NULL, NULL);
}

static int
one(const struct jsonl *in)
{
	long fate = NEW, grp, i, o, published = -1, seen_idx = -1;
	const struct rkey *k;
	char *extra = NULL;
	size_t j;
	int added;

	if (identity ? identity_keys(in) : record_keys(in))
		return 1;
	for (j = 0; j < nrk && !mark; j++) {
		if ((i = find_key(j)) < 0)
			continue;
		o = owner(i);
		/* a journal article whose preprint an earlier day showed */
		if (o == SEEN_BEFORE && identity && !cur.preprint && seen_preprint(&seen, (size_t)i)) {
			published = i;
			continue;
		}
		if (o == SEEN_BEFORE)
			seen_idx = i;
		fate = worse(fate, o);
	}
	if (sim && has_title) {
		k = &rk[nrk - 1];
		simidx_set(sim, kb.s + k->off, k->len);
		/* streaming, a duplicate is a duplicate; merging, the
		 * earliest group wins */
		if ((fate == NEW || (merge && fate != SEEN_BEFORE)) &&
		    simidx_match(sim, &o))
			fate = worse(fate, o);
	}
	if (fate == NEW && published >= 0)
		extra = preprint_member(published);
	else if (fate == SEEN_BEFORE && versions && cur.preprint && cur.version > 1 && seen_idx >= 0) {
		extra = version_member(seen_idx);
		fate = NEW;
	}
	grp = fate;
	if (fate == NEW && merge) {
		grp = keep_record(in, -1);
		recs[grp].extra = extra;
		extra = NULL;
	} else if (fate == NEW) {
		emit_with(in->line, in->len, extra);
		grp = 0;	/* streaming: any group will do */
	} else if (fate >= 0 && merge) {
		keep_record(in, fate);
	}
	free(extra);
	for (j = 0; j < nrk; j++) {
		i = hset_add(&seen.keys, rk[j].tag, kb.s + rk[j].off, rk[j].len,
		    (int64_t)now, HSET_COPY, &added);
		if (mark)
			mark_preprint(i, added);
		if (added && merge) {
			if (ngroup == capgroup) {
				capgroup = capgroup ? capgroup * 2 : 1024;
				group = erealloc(group, capgroup * sizeof(*group));
			}
			group[ngroup++] = (int32_t)grp;
		}
	}
	if (sim && has_title)
		simidx_add(sim, grp);
	return 0;
}

/* jsonl_each's callback; notes first whether the file can be read again
 * (--merge rereads a regular file's lines instead of keeping them). */
static int
one_line(struct jsonl *in, void *arg)
{
	static int file_seen = -1;
	struct stat st;

	(void)arg;
	if (curfile != file_seen) {
		file_seen = curfile;
		seekable = in->fp != stdin && fstat(fileno(in->fp), &st) == 0 &&
		    S_ISREG(st.st_mode);
	}
	return one(in);
}

/* --merge: the line of a record not kept, read again. Records come in
 * input order, so this is one more sequential pass over each file. */
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

/* --merge */

static void
merge_group(const struct kept *r)
{
	json_t *m, *orig, *d, *also;
	long k;

	const char *line = r->s ? r->s : reread(r);

	if (r->next < 0) {
		emit_with(line, r->len, r->extra);
		free(r->extra);
		return;
	}
	if (!(orig = jsonl_load(line, r->len, NULL, 0))) {
		emit(line, r->len);	/* cannot be: it was read as a record */
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
	merge_members(m, r->extra);
	free(r->extra);
	if (json_equal(m, orig))
		emit(line, r->len);
	else if (jsonl_write(stdout, m))
		eprintf("<stdout>: write error:");
	json_decref(also);
	json_decref(m);
	json_decref(orig);
}

static void
identity_setup(void)
{
	paper_tag = seen_tag(&seen, PAPER_NS, strlen(PAPER_NS));
	id_path = path_parse("." F_ID, NULL, 0);
	doi_path = path_parse("." F_DOI, NULL, 0);
	arxiv_id_path = path_parse("." F_ARXIV "." F_ARXIV_ID, NULL, 0);
	pmid_path = path_parse("." F_PMID, NULL, 0);
	link_path = path_parse("." F_LINK, NULL, 0);
	version_path = path_parse("." F_ARXIV "." F_ARXIV_VERSION, NULL, 0);
}

/* After loading a version 1 state file: where it kept ids and titles. */
static void
old_namespaces(void)
{
	size_t i;

	for (i = 0; identity && i < seen.nnames; i++) {
		if (!strcmp(seen.names[i], ".id"))
			old_id_tag = (uint32_t)i;
		else if (!strcmp(seen.names[i], TITLE_NS))
			old_title_tag = (uint32_t)i;
	}
}

static void
load_state(void)
{
	char err[1024];
	size_t i;
	const struct hset_ent *e;

	if (seen_load(&seen, statefile, cutoff, err, sizeof(err)))
		eprintf("%s", err);
	nloaded = seen.keys.n;
	old_namespaces();
	if (!sim)
		return;
	for (i = 0; i < nloaded; i++) {
		e = &seen.keys.ent[i];
		if (e->tag != title_tag)
			continue;
		simidx_set(sim, e->s, e->len);
		simidx_add(sim, SEEN_BEFORE);
	}
}

static time_t
time_min(void)
{
	if ((time_t)-1 > 0)
		return 0;
	return sizeof(time_t) > 4 ? (time_t)INT64_MIN : (time_t)INT32_MIN;
}

static void
options(int argc, char *argv[])
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
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "k:tms:e:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': add_paths(optarg); break;
		case 't':
			titles = 1;
			if (!optarg)
				break;
			threshold = strtod(optarg, &end);
			if (*end || end == optarg || !(threshold > 0 && threshold <= 1))
				eprintf("--title=%s: want a similarity above 0 and at "
				    "most 1, such as 0.9", optarg);
			break;
		case 'm': merge = 1; break;
		case 's': statefile = optarg; break;
		case OPT_MARK: mark = 1; break;
		case OPT_UPDATE: update = 1; break;
		case 'e':
			expire = strtol(optarg, &end, 10);
			if (*end || end == optarg || expire < 0 || expire > 1000000)
				eprintf("--expire %s: want a number of days", optarg);
			break;
		case OPT_NOW:
			if (date_parse(optarg, &now))
				eprintf("--now %s: want a time such as "
				    "2025-01-16T05:00:00Z", optarg);
			now_given = 1;
			break;
		case OPT_VERSIONS: versions = 1; break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'V': printf("dedup %s\n", FEEDPIPE_VERSION); exit(EXIT_OK);
		default: usage(stderr, EXIT_FATAL);
		}
	}
	if ((mark || update || expire >= 0) && !statefile) {
		weprintf("--%s needs --state", mark ? "mark" : update ? "update" :
		    "expire");
		usage(stderr, EXIT_FATAL);
	}
	if (mark && (update || merge)) {
		weprintf("--mark only records keys: not with --%s",
		    update ? "update" : "merge");
		usage(stderr, EXIT_FATAL);
	}
}

int
main(int argc, char *argv[])
{
	static char outbuf[1 << 16], dash[] = "-", *stdin_only[] = { dash };
	char err[1024];
	int bad = 0, lock = -1;
	struct stat st;
	size_t i;
	char *real;

	setprogname(argv[0]);
	seen_init(&seen);
	options(argc, argv);
	identity = !npaths && !titles;
	if (identity)
		identity_setup();
	else if (!npaths)
		add_path("." F_ID);
	title_path = path_parse(F_TITLE, NULL, 0);
	title_tag = titles ? seen_tag(&seen, TITLE_NS, strlen(TITLE_NS)) :
	    UINT32_MAX;
	if (!now_given)
		now = time(NULL);
	cutoff = expire >= 0 ? now - (time_t)expire * 86400 : time_min();
	if (titles && threshold > 0 && !mark)
		sim = simidx_new(threshold);
	if (statefile && lstat(statefile, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (real = realpath(statefile, NULL)))
		statefile = real;	/* replace a symlink's target, not it */
	if (statefile && (mark || update) &&
	    (lock = seen_lock(statefile, err, sizeof(err))) < 0)
		eprintf("%s", err);
	if (statefile)
		load_state();
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	files = argv + optind;
	nfiles = argc - optind;
	if (!nfiles) {
		files = stdin_only;
		nfiles = 1;
	}
	for (curfile = 0; curfile < nfiles; curfile++)
		bad |= jsonl_each(files[curfile], one_line, NULL);
	for (i = 0; merge && i < nrecs; i++)
		if (recs[i].head)
			merge_group(&recs[i]);
	/* records must be out before their keys are recorded */
	arena_free(&lines);
	if (fshut(stdout, "<stdout>"))
		return EXIT_FATAL;
	if (lock >= 0 && seen_save(&seen, statefile, cutoff, err, sizeof(err)))
		eprintf("%s", err);
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
