/*
 * record.c: an item as collected from the feed becomes a feedpipe record:
 * plain text, one name per author, publisher boiler-plate removed, ids,
 * DOIs and dates normalised (see feedpipe(5)).
 */
#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authors.h"
#include "date.h"
#include "fields.h"
#include "html.h"
#include "item.h"
#include "jsonw.h"
#include "sha1.h"
#include "text.h"
#include "util.h"

/* A record's values before they are written. */
struct rec {
	struct buf title, link, summary, doi, journal, guid, id;
	struct buf arxiv_id, arxiv_primary;
	long arxiv_version;
	struct strlist authors, categories;
	time_t published, updated;
	int has_published, has_updated;
};

static void rec_free(struct rec *r)
{
	buf_free(&r->title);
	buf_free(&r->link);
	buf_free(&r->summary);
	buf_free(&r->doi);
	buf_free(&r->journal);
	buf_free(&r->guid);
	buf_free(&r->id);
	buf_free(&r->arxiv_id);
	buf_free(&r->arxiv_primary);
	strlist_free(&r->authors);
	strlist_free(&r->categories);
}

/* Kept between items, so that their buffers are reused. */
static struct rec scratch;

static void rec_reset(struct rec *r)
{
	buf_reset(&r->title);
	buf_reset(&r->link);
	buf_reset(&r->summary);
	buf_reset(&r->doi);
	buf_reset(&r->journal);
	buf_reset(&r->guid);
	buf_reset(&r->id);
	buf_reset(&r->arxiv_id);
	buf_reset(&r->arxiv_primary);
	strlist_clear(&r->authors);
	strlist_clear(&r->categories);
	r->arxiv_version = 0;
	r->has_published = r->has_updated = 0;
}

static const struct slot_text *get(const struct item *it, enum slot s)
{
	const struct slot_text *t = &it->slot[s];

	return t->set && t->text.len ? t : NULL;
}

/* Plain text of a value that may be HTML, escaped once or twice. */
static void plain_text(struct buf *out, const char *s, size_t n, enum textkind kind, int line)
{
	size_t start = out->len;

	if (kind == TK_HTML || (kind == TK_SNIFF && text_looks_like_html(s, n)))
		html_to_text(out, s, n, line);
	else if (line)
		text_line(out, s, n);
	else
		text_plain(out, s, n);
	/* what is still an entity after that was escaped twice (&amp;amp;) */
	if (kind != TK_TEXT && out->len > start &&
	    text_has_entity(out->s + start, out->len - start)) {
		struct buf again = { 0 };
		text_decode_entities(&again, out->s + start, out->len - start);
		out->len = start;
		buf_put(out, again.s, again.len);
		buf_free(&again);
	}
	text_fix_mojibake(out, start);
	text_fix_c1(out, start);
}

static void slot_plain(struct buf *out, const struct slot_text *t, int line)
{
	plain_text(out, t->text.s, t->text.len, t->kind, line);
}

static void trimmed(struct buf *out, const char *s, size_t n)
{
	while (n && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	buf_put(out, s, n);
}

/* ---- links ---- */

static int is_absolute_url(const char *s)
{
	return !ascii_ncasecmp(s, "http://", 7) || !ascii_ncasecmp(s, "https://", 8);
}

/* Resolve s against base (xml:base or the channel link); spaces escaped. */
static void resolve_link(struct buf *out, const char *s, size_t n, const char *base)
{
	struct buf raw = { 0 };
	xmlChar *abs = NULL;
	const char *p;
	size_t i;

	trimmed(&raw, s, n);
	if (!raw.len)
		return;
	if (base && *base && !is_absolute_url(raw.s))
		abs = xmlBuildURI((const xmlChar *)raw.s, (const xmlChar *)base);
	p = abs ? (const char *)abs : raw.s;
	for (i = 0; p[i]; i++) {
		if (p[i] == ' ')
			buf_puts(out, "%20");
		else if ((unsigned char)p[i] >= 0x20)
			buf_putc(out, p[i]);
	}
	xmlFree(abs);
	buf_free(&raw);
}

static const char *item_base(const struct slot_text *t, const struct channel *ch)
{
	if (t->base)
		return t->base;
	return ch->link.len ? ch->link.s : NULL;
}

static void pick_link(struct rec *r, const struct item *it, const struct channel *ch)
{
	static const enum slot order[] = { S_LINK, S_ALINK, S_JSONEXTURL };
	const struct slot_text *t;
	size_t i;

	for (i = 0; i < sizeof order / sizeof *order; i++)
		if ((t = get(it, order[i]))) {
			resolve_link(&r->link, t->text.s, t->text.len, item_base(t, ch));
			return;
		}
	if ((t = get(it, S_GUID)) && it->guid_permalink) {
		struct buf g = { 0 };
		trimmed(&g, t->text.s, t->text.len);
		if (is_absolute_url(g.s ? g.s : ""))
			buf_put(&r->link, g.s, g.len);
		buf_free(&g);
		if (r->link.len)
			return;
	}
	if ((t = get(it, S_RDFABOUT)) && is_absolute_url(t->text.s))
		resolve_link(&r->link, t->text.s, t->text.len, NULL);
	else if ((t = get(it, S_ALINK_ANY)))
		resolve_link(&r->link, t->text.s, t->text.len, item_base(t, ch));
}

/* ---- arXiv ---- */

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* An arXiv identifier at s: 2501.08341 or hep-th/9901001, then vN. */
static size_t arxiv_id_at(const char *s, struct buf *id, long *version)
{
	size_t i = 0, j;

	if (is_digit(s[0])) {
		while (is_digit(s[i]))
			i++;
		if (i != 4 || s[i] != '.')
			return 0;
		for (j = ++i; is_digit(s[i]); i++)
			;
		if (i - j < 4 || i - j > 5)
			return 0;
	} else {
		while ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-' ||
		       (i && s[i] == '.') || (i && s[i] >= 'A' && s[i] <= 'Z'))
			i++;
		if (i < 2 || s[i] != '/')
			return 0;
		for (j = ++i; is_digit(s[i]); i++)
			;
		if (i - j != 7)
			return 0;
	}
	buf_reset(id);
	buf_put(id, s, i);
	*version = 0;
	if (s[i] == 'v' && is_digit(s[i + 1])) {
		*version = strtol(s + i + 1, NULL, 10);
		for (i++; is_digit(s[i]); i++)
			;
	}
	return i;
}

static int find_arxiv(struct rec *r, const char *s)
{
	static const char *const marks[] = { "arxiv.org/abs/", "oai:arXiv.org:", "arXiv:" };
	const char *p;
	size_t i;

	if (!s || !ascii_casestr(s, "arxiv"))
		return 0;	/* the common case, cheaply */
	for (i = 0; i < sizeof marks / sizeof *marks; i++)
		if ((p = ascii_casestr(s, marks[i])) &&
		    (i < 2 || p == s) &&
		    arxiv_id_at(p + strlen(marks[i]), &r->arxiv_id, &r->arxiv_version))
			return 1;
	return 0;
}

static void detect_arxiv(struct rec *r, const struct item *it)
{
	const struct slot_text *g = get(it, S_GUID);
	long version;

	if (find_arxiv(r, g ? g->text.s : NULL)) {
		version = r->arxiv_version;
		/* the guid has the version; the link usually does not */
		if (!version && find_arxiv(r, r->link.s))
			return;
		r->arxiv_version = version;
		return;
	}
	if (!find_arxiv(r, r->link.s))
		buf_reset(&r->arxiv_id);
}

/* The primary category goes first. */
static void order_categories(struct rec *r, const struct item *it)
{
	const struct slot_text *p = get(it, S_ARXIVPRIMARY);
	size_t i;

	for (i = 0; i < it->categories.n; i++)
		strlist_add(&r->categories, it->categories.v[i], strlen(it->categories.v[i]));
	if (!r->arxiv_id.len)
		return;
	if (p)
		buf_puts(&r->arxiv_primary, p->text.s);
	else if (r->categories.n)
		buf_puts(&r->arxiv_primary, r->categories.v[0]);
	if (!r->arxiv_primary.len)
		return;
	for (i = 0; i < r->categories.n; i++)
		if (!strcmp(r->categories.v[i], r->arxiv_primary.s))
			break;
	if (i == r->categories.n) {
		strlist_add(&r->categories, r->arxiv_primary.s, r->arxiv_primary.len);
	}
	if (i > 0) {
		char *primary = r->categories.v[i];
		memmove(r->categories.v + 1, r->categories.v, i * sizeof *r->categories.v);
		r->categories.v[0] = primary;
	}
}

/* ---- DOIs ---- */

/* A DOI ("10.NNNN/suffix") in s; stops at white space, quotes, '?', '#'. */
static int find_doi(struct buf *out, const char *s, size_t n)
{
	size_t i, j, k;

	for (i = 0; i + 7 < n; i++) {
		if (s[i] != '1' || s[i + 1] != '0' || s[i + 2] != '.' || (i && is_digit(s[i - 1])))
			continue;
		for (j = i + 3; j < n && is_digit(s[j]); j++)
			;
		if (j - (i + 3) < 4 || j >= n || s[j] != '/')
			continue;
		for (k = j + 1; k < n && !is_space((unsigned char)s[k]) && !strchr("\"'<>?#&", s[k]); k++)
			;
		while (k > j + 1 && strchr(".,;:)]", s[k - 1]))
			k--;
		if (k == j + 1)
			continue;
		buf_reset(out);
		buf_put(out, s + i, k - i);
		return 1;
	}
	return 0;
}

/* A DOI in a URL: only on doi.org or in a /doi/ path, never a bare path. */
static int doi_in_url(struct buf *out, const char *u)
{
	const char *p;

	if (!u)
		return 0;
	if ((p = strstr(u, "doi.org/")) || (p = strstr(u, "/doi/")))
		return find_doi(out, p, strlen(p));
	return 0;
}

static void pick_doi(struct rec *r, const struct item *it)
{
	static const enum slot direct[] = { S_PRISMDOI, S_ARXIVDOI };
	const struct slot_text *t;
	size_t i;

	for (i = 0; i < sizeof direct / sizeof *direct; i++)
		if ((t = get(it, direct[i])) && find_doi(&r->doi, t->text.s, t->text.len))
			return;
	for (i = 0; i < it->identifiers.n; i++)
		if (find_doi(&r->doi, it->identifiers.v[i], strlen(it->identifiers.v[i])))
			return;
	if ((t = get(it, S_ALINKDOI)) && find_doi(&r->doi, t->text.s, t->text.len))
		return;
	if (doi_in_url(&r->doi, r->link.s))
		return;
	if ((t = get(it, S_GUID)) && !r->arxiv_id.len) {
		if (doi_in_url(&r->doi, t->text.s))
			return;
		if (!strncmp(t->text.s, "10.", 3) && find_doi(&r->doi, t->text.s, t->text.len))
			return;
		if (!ascii_ncasecmp(t->text.s, "doi:", 4) && find_doi(&r->doi, t->text.s, t->text.len))
			return;
	}
	for (i = S_ALINK_ANY; i <= S_RDFABOUT; i++)
		if ((t = get(it, (enum slot)i)) && doi_in_url(&r->doi, t->text.s))
			return;
	/* ChemRxiv and others: a doi.org link inside the description */
	for (i = S_DESC; i <= S_ABSTRACT; i++)
		if ((t = get(it, (enum slot)i)) && doi_in_url(&r->doi, t->text.s))
			return;
}

/* ---- summary ---- */

static const char *const ellipses[] = { "...", "\xE2\x80\xA6", "[\xE2\x80\xA6]" };

static int ends_with(const struct buf *b, const char *s)
{
	size_t n = strlen(s);

	return b->len >= n && !memcmp(b->s + b->len - n, s, n);
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * The abstract: a description, unless it is only a stub (Wiley's
 * "Journal, Volume ..."; PubMed's truncated text) and a fuller text exists.
 */
static void pick_summary(struct buf *out, const struct item *it)
{
	static const enum slot order[] = { S_ABSTRACT, S_ASUMMARY, S_DESC, S_DCDESC,
	                                   S_CONTENT, S_BODY, S_ACONTENT, S_MEDIADESC,
	                                   S_ITUNESSUMMARY };
	static const enum slot fuller[] = { S_DCDESC, S_CONTENT, S_BODY, S_ACONTENT };
	const struct slot_text *t, *best = NULL;
	struct buf alt = { 0 };
	size_t i;
	int stub;

	for (i = 0; i < sizeof order / sizeof *order && !out->len; i++)
		if ((best = get(it, order[i])))
			slot_plain(out, best, 0);
	if (!best)
		return;
	for (i = 0; i < sizeof fuller / sizeof *fuller; i++) {
		if (!(t = get(it, fuller[i])) || t == best)
			continue;
		buf_reset(&alt);
		slot_plain(&alt, t, 0);
		stub = out->len < 200 && alt.len > 2 * out->len;
		for (size_t k = 0; k < sizeof ellipses / sizeof *ellipses; k++)
			if (ends_with(out, ellipses[k]) && alt.len > out->len)
				stub = 1;
		if (stub) {
			buf_reset(out);
			buf_put(out, alt.s, alt.len);
			break;
		}
	}
	buf_free(&alt);
}

/* Remove s[from..to) from b. */
static void cut(struct buf *b, size_t from, size_t to)
{
	memmove(b->s + from, b->s + to, b->len - to + 1);
	b->len -= to - from;
}

static void strip_leading_space(struct buf *b)
{
	size_t i = 0;

	while (i < b->len && is_space((unsigned char)b->s[i]))
		i++;
	cut(b, 0, i);
	while (b->len && is_space((unsigned char)b->s[b->len - 1]))
		b->s[--b->len] = '\0';
}

/* End of the paragraph that starts at i. */
static size_t para_end(const struct buf *b, size_t i)
{
	const char *p = strstr(b->s + i, "\n\n");

	return p ? (size_t)(p - b->s) : b->len;
}

/* arXiv: "arXiv:2501.08341v1 Announce Type: new \nAbstract: ..." */
static void strip_arxiv(struct buf *s)
{
	const char *a, *abs;

	if (!starts_with(s->s, "arXiv:") || !(a = strstr(s->s, "Announce Type:")) ||
	    a - s->s > 80 || !(abs = strstr(a, "Abstract:")) || abs - a > 60)
		return;
	cut(s, 0, (size_t)(abs - s->s) + strlen("Abstract:"));
	strip_leading_space(s);
}

/* strstr within s[0..n). */
static const char *find_in(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (s[i] == needle[0] && !memcmp(s + i, needle, k))
			return s + i;
	return NULL;
}

/*
 * Paragraphs publishers put around the abstract. Each handler looks at one
 * paragraph and may take what it says (authors, journal, DOI).
 */
static int take_para(struct buf *s, size_t start, size_t end, struct rec *r)
{
	const char *p = s->s + start;
	size_t n = end - start;
	const char *q;

	if (starts_with(p, "Author(s):") || starts_with(p, "Authors:")) {
		if (!r->authors.n)
			authors_split(&r->authors, p, n);
		return 1;
	}
	/* APS: "[Phys. Rev. Lett. 134, 020602] Published Thu Jan 16, 2025" */
	if (p[0] == '[' && (q = memchr(p, ']', n)) && q + 11 <= p + n &&
	    !memcmp(q, "] Published", 11)) {
		if (!r->journal.len)
			buf_put(&r->journal, p + 1, (size_t)(q - p - 1));
		return 1;
	}
	/* Nature: "Nature Machine Intelligence, Published online: 16 January 2025; doi:..." */
	if ((q = find_in(p, n, ", Published online:"))) {
		if (!r->journal.len)
			buf_put(&r->journal, p, (size_t)(q - p));
		if (!r->doi.len)
			find_doi(&r->doi, p, n);
		return 1;
	}
	/* ScienceDirect */
	if (starts_with(p, "Publication date:"))
		return 1;
	if (starts_with(p, "Source:")) {
		if (!r->journal.len)
			trimmed(&r->journal, p + 7, n - 7);
		return 1;
	}
	return 0;
}

static void strip_paragraphs(struct buf *s, struct rec *r)
{
	size_t start = 0, end;

	while (start < s->len) {
		end = para_end(s, start);
		if (take_para(s, start, end, r)) {
			cut(s, start, end < s->len ? end + 2 : end);
			continue;
		}
		start = end < s->len ? end + 2 : end;
	}
	strip_leading_space(s);
}

/* Wiley and others open the abstract with a bare "Abstract" heading. */
static void strip_heading(struct buf *s)
{
	static const char *const heads[] = { "Abstract", "ABSTRACT", "Summary" };
	size_t i, n;

	for (i = 0; i < sizeof heads / sizeof *heads; i++) {
		n = strlen(heads[i]);
		if (!starts_with(s->s, heads[i]) || s->len == n)
			continue;
		if (s->s[n] == '\n' || (s->s[n] == ' ' && s->s[n + 1] >= 'A' && s->s[n + 1] <= 'Z') ||
		    s->s[n] == ':') {
			cut(s, 0, n + (s->s[n] == ':'));
			strip_leading_space(s);
		}
		return;
	}
}

/* A trailing "DOI: https://doi.org/..." (ChemRxiv) says again what doi holds. */
static void strip_trailing_doi(struct buf *s, struct rec *r)
{
	static const char *const marks[] = { "DOI: ", "doi: ", "DOI:", "doi:" };
	const char *p, *last = NULL;
	size_t i;

	const char *tail = s->s + (s->len > 300 ? s->len - 300 : 0);

	/* only the end of the text: the DOI line is its last words */
	for (i = 0; i < sizeof marks / sizeof *marks && !last; i++)
		for (p = strstr(tail, marks[i]); p; p = strstr(p + 1, marks[i]))
			last = p;
	if (!last || strpbrk(last + 5, " \n") || !find_doi(&r->doi, last, strlen(last)))
		return;
	s->len = (size_t)(last - s->s);
	s->s[s->len] = '\0';
	strip_leading_space(s);
}

static void clean_summary(struct rec *r, const struct item *it)
{
	pick_summary(&r->summary, it);
	if (!r->summary.len)
		return;
	strip_arxiv(&r->summary);
	strip_paragraphs(&r->summary, r);
	strip_heading(&r->summary);
	strip_trailing_doi(&r->summary, r);
}

/* ---- authors, journal, dates ---- */

static void pick_authors(struct rec *r, const struct item *it)
{
	const struct strlist *from = it->creators.n ? &it->creators : &it->atom_authors;
	const struct slot_text *t;
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < from->n; i++) {
		buf_reset(&b);
		plain_text(&b, from->v[i], strlen(from->v[i]), TK_SNIFF, 0);
		authors_split(&r->authors, buf_str(&b), b.len);
	}
	if (!r->authors.n && (t = get(it, S_RSSAUTHOR))) {
		buf_reset(&b);
		slot_plain(&b, t, 0);
		authors_split(&r->authors, buf_str(&b), b.len);
	}
	buf_free(&b);
}

static void pick_journal(struct rec *r, const struct item *it)
{
	static const enum slot order[] = { S_ARXIVJREF, S_PUBNAME, S_DCSOURCE };
	const struct slot_text *t;
	size_t i;

	if (r->journal.len)
		return;
	for (i = 0; i < sizeof order / sizeof *order; i++) {
		if (!(t = get(it, order[i])))
			continue;
		slot_plain(&r->journal, t, 1);
		/* some Atypon feeds put the article title here */
		if (is_absolute_url(r->journal.s) || !strcmp(r->journal.s, r->title.s)) {
			buf_reset(&r->journal);
			continue;
		}
		return;
	}
}

static int first_date(const struct item *it, const enum slot *order, size_t n, time_t *t)
{
	const struct slot_text *s;
	size_t i;

	for (i = 0; i < n; i++)
		if ((s = get(it, order[i])) && date_parse(s->text.s, t) == 0)
			return 1;
	return 0;
}

static void pick_dates(struct rec *r, const struct item *it)
{
	static const enum slot published[] = { S_PUBDATE, S_DCDATE, S_APUBLISHED, S_AISSUED,
	                                       S_DCTISSUED, S_PRISMPUBDATE };
	static const enum slot updated[] = { S_AUPDATED, S_AMODIFIED, S_DCTMODIFIED };

	r->has_published = first_date(it, published, sizeof published / sizeof *published,
	                              &r->published);
	r->has_updated = first_date(it, updated, sizeof updated / sizeof *updated, &r->updated);
	if (!r->has_published && r->has_updated) {
		r->published = r->updated;
		r->has_published = 1;
	}
}

/* ---- id ---- */

static int tracking_param(const char *p, size_t n)
{
	static const char *const names[] = { "utm_", "af=", "rss=", "dgcid=", "rft_dat=" };
	size_t i;

	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (n >= strlen(names[i]) && !strncmp(p, names[i], strlen(names[i])))
			return 1;
	return 0;
}

/* Lower-case scheme and host, no fragment, no tracking parameters. */
static void normalise_url(struct buf *out, const char *u)
{
	const char *host = strstr(u, "://"), *q, *p, *end;
	size_t i, n;
	int first = 1;

	if (!host) {
		buf_puts(out, u);
		return;
	}
	host += 3;
	for (i = 0; u + i < host; i++)
		buf_putc(out, (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]));
	for (p = host; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		buf_putc(out, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	n = strcspn(p, "?#");
	buf_put(out, p, n);
	if (p[n] != '?')
		return;
	end = p + n + 1 + strcspn(p + n + 1, "#");
	for (q = p + n + 1; q < end;) {
		size_t len = strcspn(q, "&#");
		if (q + len > end)
			len = (size_t)(end - q);
		if (len && !tracking_param(q, len)) {
			buf_putc(out, first ? '?' : '&');
			buf_put(out, q, len);
			first = 0;
		}
		q += len + (q + len < end);
	}
}

static void make_id(struct rec *r)
{
	char hex[41];
	size_t i;

	if (r->arxiv_id.len) {
		buf_printf(&r->id, "arxiv:%s", r->arxiv_id.s);
	} else if (r->doi.len) {
		buf_puts(&r->id, "doi:");
		for (i = 0; i < r->doi.len; i++) {
			char c = r->doi.s[i];
			buf_putc(&r->id, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
		}
	} else if (r->link.len) {
		buf_puts(&r->id, "url:");
		normalise_url(&r->id, r->link.s);
	} else if (r->guid.len) {
		buf_printf(&r->id, "guid:%s", r->guid.s);
	} else {
		struct buf b = { 0 };
		buf_puts(&b, buf_str(&r->title));
		buf_puts(&b, buf_str(&r->link));
		sha1_hex(buf_str(&b), b.len, hex);
		buf_printf(&r->id, "sha1:%s", hex);
		buf_free(&b);
	}
}

/* ---- writing ---- */

static void put_text(struct jw *w, const char *key, const struct buf *b)
{
	if (!b->len)
		return;
	jw_key(w, key);
	jw_string(w, b->s, b->len);
}

static void put_cstr(struct jw *w, const char *key, const char *s)
{
	if (!*s)
		return;
	jw_key(w, key);
	jw_cstring(w, s);
}

static void put_list(struct jw *w, const char *key, const struct strlist *l)
{
	size_t i;

	if (!l->n)
		return;
	jw_key(w, key);
	jw_array(w);
	for (i = 0; i < l->n; i++)
		jw_cstring(w, l->v[i]);
	jw_end_array(w);
}

static void put_date(struct jw *w, const char *key, int has, time_t t)
{
	char s[DATE_BUFSZ];

	if (!has)
		return;
	date_format(t, s);
	jw_key(w, key);
	jw_cstring(w, s);
}

static void put_feed(struct jw *w, const struct channel *ch, const struct record_opts *opts)
{
	struct buf title = { 0 };

	if (ch->title.len)
		plain_text(&title, ch->title.s, ch->title.len, (enum textkind)ch->title_kind, 1);
	if (!title.len && !ch->link.len && !(opts->source && *opts->source))
		return;
	jw_key(w, F_FEED);
	jw_object(w);
	put_text(w, F_FEED_TITLE, &title);
	if (ch->link.len) {
		struct buf link = { 0 };
		resolve_link(&link, ch->link.s, ch->link.len, NULL);
		put_text(w, F_FEED_LINK, &link);
		buf_free(&link);
	}
	if (opts->source && *opts->source)
		put_cstr(w, F_FEED_NAME, opts->source);
	jw_end_object(w);
	buf_free(&title);
}

static void write_record(struct buf *out, const struct rec *r, const struct item *it,
                         const struct channel *ch, const struct record_opts *opts)
{
	const struct slot_text *ann = get(it, S_ARXIVANNOUNCE);
	struct jw w;

	jw_init(&w, out);
	jw_object(&w);
	put_text(&w, F_ID, &r->id);
	jw_key(&w, F_TITLE);
	jw_string(&w, buf_str(&r->title), r->title.len);
	put_text(&w, F_LINK, &r->link);
	put_list(&w, F_AUTHORS, &r->authors);
	put_text(&w, F_SUMMARY, &r->summary);
	if (opts->keep_html) {
		static const enum slot order[] = { S_ABSTRACT, S_ASUMMARY, S_DESC, S_DCDESC,
		                                   S_CONTENT, S_BODY, S_ACONTENT, S_MEDIADESC,
		                                   S_ITUNESSUMMARY };
		const struct slot_text *t;
		for (size_t i = 0; i < sizeof order / sizeof *order; i++)
			if ((t = get(it, order[i]))) {
				struct buf h = { 0 };
				trimmed(&h, t->text.s, t->text.len);
				put_text(&w, F_SUMMARY_HTML, &h);
				buf_free(&h);
				break;
			}
	}
	put_date(&w, F_PUBLISHED, r->has_published, r->published);
	put_date(&w, F_UPDATED, r->has_updated, r->updated);
	put_list(&w, F_CATEGORIES, &r->categories);
	put_text(&w, F_DOI, &r->doi);
	put_text(&w, F_JOURNAL, &r->journal);
	if (r->arxiv_id.len) {
		jw_key(&w, F_ARXIV);
		jw_object(&w);
		put_text(&w, F_ARXIV_ID, &r->arxiv_id);
		if (r->arxiv_version) {
			jw_key(&w, F_ARXIV_VERSION);
			jw_int(&w, r->arxiv_version);
		}
		if (ann) {
			struct buf a = { 0 };
			text_line(&a, ann->text.s, ann->text.len);
			put_text(&w, F_ARXIV_ANNOUNCE, &a);
			buf_free(&a);
		}
		put_text(&w, F_ARXIV_PRIMARY, &r->arxiv_primary);
		jw_end_object(&w);
	}
	put_text(&w, F_GUID, &r->guid);
	put_feed(&w, ch, opts);
	jw_end_object(&w);
	buf_putc(out, '\n');
}

static void pick_title(struct rec *r, const struct item *it)
{
	static const enum slot order[] = { S_TITLE, S_DCTITLE, S_MEDIATITLE };
	const struct slot_text *t;
	size_t i;

	for (i = 0; i < sizeof order / sizeof *order; i++)
		if ((t = get(it, order[i]))) {
			slot_plain(&r->title, t, 1);
			if (r->title.len)
				return;
		}
}

void item_to_record(struct buf *out, struct item *it, const struct channel *ch,
                    const struct record_opts *opts)
{
	struct rec *r = &scratch;
	const struct slot_text *g;

	rec_reset(r);
	pick_title(r, it);
	pick_link(r, it, ch);
	if ((g = get(it, S_GUID)) || (g = get(it, S_RDFABOUT)))
		trimmed(&r->guid, g->text.s, g->text.len);
	detect_arxiv(r, it);
	order_categories(r, it);
	pick_authors(r, it);
	clean_summary(r, it);
	pick_doi(r, it);
	pick_journal(r, it);
	pick_dates(r, it);
	make_id(r);
	write_record(out, r, it, ch, opts);
}

void record_cleanup(void)
{
	rec_free(&scratch);
}

void channel_to_json(struct buf *out, const struct channel *ch)
{
	struct buf title = { 0 }, desc = { 0 }, link = { 0 };
	const struct buf *date = ch->updated.len ? &ch->updated : &ch->pubdate;
	struct jw w;
	time_t t;

	if (ch->title.len)
		plain_text(&title, ch->title.s, ch->title.len, (enum textkind)ch->title_kind, 1);
	if (ch->description.len)
		plain_text(&desc, ch->description.s, ch->description.len, TK_SNIFF, 0);
	if (ch->link.len)
		resolve_link(&link, ch->link.s, ch->link.len, NULL);
	jw_init(&w, out);
	jw_object(&w);
	jw_key(&w, F_FEED);
	jw_object(&w);
	put_text(&w, F_FEED_TITLE, &title);
	put_text(&w, F_FEED_LINK, &link);
	put_text(&w, "description", &desc);
	if (ch->language.len) {
		struct buf lang = { 0 };
		text_line(&lang, ch->language.s, ch->language.len);
		for (size_t i = 0; i < lang.len; i++)
			if (lang.s[i] == '_')
				lang.s[i] = '-';	/* en_US is en-US (BCP 47) */
		put_text(&w, "language", &lang);
		buf_free(&lang);
	}
	if (date->len && date_parse(date->s, &t) == 0)
		put_date(&w, F_UPDATED, 1, t);
	jw_end_object(&w);
	jw_end_object(&w);
	buf_putc(out, '\n');
	buf_free(&title);
	buf_free(&desc);
	buf_free(&link);
}
