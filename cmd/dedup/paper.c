/* paper.c: a paper's identity, dedup's default key (paper.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "jscan.h"
#include "jsonw.h"
#include "jwalk.h"
#include "paper.h"
#include "util.h"

static uint32_t paper_tag, old_id_tag = UINT32_MAX, old_title_tag = UINT32_MAX;
static struct path *id_path, *doi_path, *arxiv_id_path, *pmid_path,
    *title_path, *link_path, *version_path;
static struct buf val;		/* a value of the current record */

/* The members of the current line, once jscan has checked it, so that
 * each field is found without scanning the line again; and of its arxiv
 * object. */
static struct jwalk_member *top, *sub;
static size_t ntop, captop, nsub, capsub;
static int members_ready;

void
paper_setup(struct seen *s)
{
	paper_tag = seen_tag(s, PAPER_NS, strlen(PAPER_NS));
	id_path = path_parse("." F_ID, NULL, 0);
	doi_path = path_parse("." F_DOI, NULL, 0);
	arxiv_id_path = path_parse("." F_ARXIV "." F_ARXIV_ID, NULL, 0);
	pmid_path = path_parse("." F_PMID, NULL, 0);
	title_path = path_parse(F_TITLE, NULL, 0);
	link_path = path_parse("." F_LINK, NULL, 0);
	version_path = path_parse("." F_ARXIV "." F_ARXIV_VERSION, NULL, 0);
}

void
paper_old_namespaces(const struct seen *s)
{
	size_t i;

	for (i = 0; i < s->nnames; i++) {
		if (!strcmp(s->names[i], ".id"))
			old_id_tag = (uint32_t)i;
		else if (!strcmp(s->names[i], KEYS_TITLE_NS))
			old_title_tag = (uint32_t)i;
	}
}

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

/* The value at p in the tree j, as value_at gives it. */
static int
tree_value(json_t *j, struct path *p, struct buf *out)
{
	json_t *x = path_get(p, j);

	if (json_is_string(x))
		buf_put(out, json_string_value(x), json_string_length(x));
	else if (json_is_integer(x))
		buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(x));
	else if (json_is_real(x))
		keys_real(out, json_real_value(x));
	return x != NULL;
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
	if (*j)
		return tree_value(*j, p, out);
	if (r != 0)
		return 0;
	if (*v == '"')
		return jscan_string(v, vn, out) >= 0;
	if (*v == '-' || (*v >= '0' && *v <= '9'))
		keys_number(out, v, vn);	/* by value: 1, 1.0 and 1e0 agree */
	return 1;
}

static void
paper_key(struct keys *k, const char *prefix, const char *v, size_t n,
    int lower)
{
	size_t i, start;

	if (!n)
		return;
	keys_begin(k, paper_tag);
	buf_puts(&k->b, prefix);
	start = k->b.len;
	buf_put(&k->b, v, n);
	for (i = start; lower && i < k->b.len; i++)
		if (k->b.s[i] >= 'A' && k->b.s[i] <= 'Z')
			k->b.s[i] = (char)(k->b.s[i] - 'A' + 'a');
	keys_end(k);
}

/* The keys a paper is known by: its id, its DOI, its arXiv id, its PMID
 * and its title, normalised, unless short or generic. -1 for a bad line. */
static int
known_by(struct keys *k, struct paper *p, const struct jsonl *in, json_t **j)
{
	int r;

	if (value_at(in, j, id_path, F_ID, NULL, &val) < 0)
		return -1;
	paper_key(k, "", val.s, val.len, 0);
	buf_put(&p->id, val.s, val.len);
	if (!strncmp(p->id.s ? p->id.s : "", "arxiv:", 6))
		p->preprint = 1;
	if (value_at(in, j, doi_path, F_DOI, NULL, &val) < 0)
		return -1;
	paper_key(k, "doi:", val.s, val.len, 1);
	if ((r = value_at(in, j, arxiv_id_path, F_ARXIV, F_ARXIV_ID, &val)) < 0)
		return -1;
	if (r && val.len) {
		paper_key(k, "arxiv:", val.s, val.len, 0);
		p->preprint = 1;
	}
	if (value_at(in, j, pmid_path, F_PMID, NULL, &val) < 0)
		return -1;
	paper_key(k, "pmid:", val.s, val.len, 0);
	if (value_at(in, j, title_path, F_TITLE, NULL, &val) < 0)
		return -1;
	if (val.len)
		keys_title(k, paper_tag, "title:", val.s, val.len, 1);
	return 0;
}

/* A preprint's link and version, only where they are used: each scan
 * costs. -1 for a bad line. */
static int
preprint_details(struct paper *p, const struct jsonl *in, json_t **j,
    int link, int version)
{
	int r;

	if (link && p->preprint &&
	    value_at(in, j, link_path, F_LINK, NULL, &p->link) < 0)
		return -1;
	if (version && p->preprint) {
		r = value_at(in, j, version_path, F_ARXIV, F_ARXIV_VERSION, &val);
		if (r < 0)
			return -1;
		if (r && val.len)
			p->version = strtol(val.s, NULL, 10);
	}
	return 0;
}

int
paper_keys(struct keys *k, struct paper *p, const struct jsonl *in,
    int link, int version)
{
	json_t *j = NULL;
	int r;

	keys_reset(k);
	buf_reset(&p->id);
	buf_reset(&p->link);
	p->preprint = 0;
	p->version = 0;
	members_ready = 0;
	r = known_by(k, p, in, &j);
	if (r == 0)
		r = preprint_details(p, in, &j, link, version);
	json_decref(j);
	return r;
}

long
paper_find(const struct seen *s, const struct keys *k, size_t j)
{
	const char *key = k->b.s + k->k[j].off;
	size_t n = k->k[j].len;
	long i = hset_find(&s->keys, k->k[j].tag, key, n);

	if (i >= 0)
		return i;
	if (n > 6 && !memcmp(key, "title:", 6))
		return old_title_tag == UINT32_MAX ? -1 :
		    hset_find(&s->keys, old_title_tag, key + 6, n - 6);
	return old_id_tag == UINT32_MAX ? -1 :
	    hset_find(&s->keys, old_id_tag, key, n);
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

char *
paper_published(const struct seen *s, long i)
{
	const char *pp = seen_preprint(s, (size_t)i), *tab = strchr(pp, '\t');
	struct buf b = { NULL, 0, 0 };

	buf_puts(&b, "\"" F_PREPRINT "\":{\"id\":");
	jw_put_string(&b, pp, (size_t)(tab - pp));
	if (tab[1]) {
		buf_puts(&b, ",\"link\":");
		jw_put_string(&b, tab + 1, strlen(tab + 1));
	}
	buf_puts(&b, ",\"first_seen\":\"");
	put_day(&b, s->keys.ent[i].val);
	buf_puts(&b, "\"}");
	return b.s;
}

char *
paper_new_version(const struct seen *s, const struct paper *p, long i)
{
	struct buf b = { NULL, 0, 0 };

	buf_printf(&b, "\"" F_NEW_VERSION "\":{\"version\":%ld,\"first_seen\":\"",
	    p->version);
	put_day(&b, s->keys.ent[i].val);
	buf_puts(&b, "\"}");
	return b.s;
}

void
paper_mark(struct seen *s, const struct paper *p, long i, int added)
{
	if (added && p->preprint)
		seen_set_preprint(s, (size_t)i, p->id.s ? p->id.s : "", p->link.s);
	else if (!added && !p->preprint)
		seen_set_preprint(s, (size_t)i, NULL, NULL);
}
