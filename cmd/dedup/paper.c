/* paper.c: a paper's identity, dedup's default key (paper.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fields.h"
#include "jscan.h"
#include "jw.h"
#include "paper.h"
#include "rec.h"
#include "util.h"

static uint32_t paper_tag, old_id_tag = UINT32_MAX, old_title_tag = UINT32_MAX;
static struct path *id_path, *doi_path, *arxiv_id_path, *pmid_path,
    *title_path, *link_path, *version_path;
static struct buf val;		/* a value of the current record */

void
paper_setup(struct seen *s, struct rec *r)
{
	paper_tag = seen_tag(s, PAPER_NS, strlen(PAPER_NS));
	id_path = path_parse("." F_ID, NULL, 0);
	doi_path = path_parse("." F_DOI, NULL, 0);
	arxiv_id_path = path_parse("." F_ARXIV "." F_ARXIV_ID, NULL, 0);
	pmid_path = path_parse("." F_PMID, NULL, 0);
	title_path = path_parse(F_TITLE, NULL, 0);
	link_path = path_parse("." F_LINK, NULL, 0);
	version_path = path_parse("." F_ARXIV "." F_ARXIV_VERSION, NULL, 0);
	rec_hint(r, id_path);	/* asked first */
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

/* The text of a string value at p into out ("" for anything else); a
 * number by value. 1 if there is a value, 0 if not. */
static int
value_at(struct rec *r, struct path *p, struct buf *out)
{
	const char *v;
	size_t vn;

	buf_reset(out);
	if (rec_path(r, p, &v, &vn))
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
 * and its title, normalised, unless short or generic. */
static void
known_by(struct keys *k, struct paper *p, struct rec *r)
{
	value_at(r, id_path, &val);
	paper_key(k, "", val.s, val.len, 0);
	buf_put(&p->id, val.s, val.len);
	if (!strncmp(p->id.s ? p->id.s : "", "arxiv:", 6))
		p->preprint = 1;
	value_at(r, doi_path, &val);
	paper_key(k, "doi:", val.s, val.len, 1);
	if (value_at(r, arxiv_id_path, &val) && val.len) {
		paper_key(k, "arxiv:", val.s, val.len, 0);
		p->preprint = 1;
	}
	value_at(r, pmid_path, &val);
	paper_key(k, "pmid:", val.s, val.len, 0);
	if (value_at(r, title_path, &val) && val.len)
		keys_title(k, paper_tag, "title:", val.s, val.len, 1);
}

void
paper_keys(struct keys *k, struct paper *p, struct rec *r, int link,
    int version)
{
	keys_reset(k);
	buf_reset(&p->id);
	buf_reset(&p->link);
	p->preprint = 0;
	p->version = 0;
	known_by(k, p, r);
	if (!p->preprint)
		return;
	/* a preprint's link and version, only where they are used */
	if (link)
		value_at(r, link_path, &p->link);
	if (version && value_at(r, version_path, &val) && val.len)
		p->version = strtol(val.s, NULL, 10);
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

struct news
paper_published(const struct seen *s, long i)
{
	const char *pp = seen_preprint(s, (size_t)i), *tab = strchr(pp, '\t');
	struct buf b = { NULL, 0, 0 };
	struct news n = { F_PREPRINT, NULL };

	buf_puts(&b, "{\"id\":");
	jw_put_string(&b, pp, (size_t)(tab - pp));
	if (tab[1]) {
		buf_puts(&b, ",\"link\":");
		jw_put_string(&b, tab + 1, strlen(tab + 1));
	}
	buf_puts(&b, ",\"first_seen\":\"");
	put_day(&b, s->keys.ent[i].val);
	buf_puts(&b, "\"}");
	n.val = b.s;
	return n;
}

struct news
paper_new_version(const struct seen *s, const struct paper *p, long i)
{
	struct buf b = { NULL, 0, 0 };
	struct news n = { F_NEW_VERSION, NULL };

	buf_printf(&b, "{\"version\":%ld,\"first_seen\":\"", p->version);
	put_day(&b, s->keys.ent[i].val);
	buf_puts(&b, "\"}");
	n.val = b.s;
	return n;
}

void
paper_mark(struct seen *s, const struct paper *p, long i, int added)
{
	if (added && p->preprint)
		seen_set_preprint(s, (size_t)i, p->id.s ? p->id.s : "", p->link.s);
	else if (!added && !p->preprint)
		seen_set_preprint(s, (size_t)i, NULL, NULL);
}
