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
#include "boiler.h"
#include "date.h"
#include "fields.h"
#include "html.h"
#include "ident.h"
#include "item.h"
#include "jw.h"
#include "sha1.h"
#include "text.h"
#include "util.h"

/* A record's values before they are written. */
struct rec {
	struct buf title, link, summary, doi, pmid, journal, guid, id;
	struct buf stub;	/* Wiley's citation stub, a journal of last resort */
	struct buf arxiv_id, arxiv_primary;
	long arxiv_version;
	struct strlist authors, categories;
	time_t published, updated;
	int has_published, has_updated;
};

static void
rec_free(struct rec *r)
{
	buf_free(&r->title);
	buf_free(&r->link);
	buf_free(&r->summary);
	buf_free(&r->doi);
	buf_free(&r->pmid);
	buf_free(&r->stub);
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

static void
rec_reset(struct rec *r)
{
	buf_reset(&r->title);
	buf_reset(&r->link);
	buf_reset(&r->summary);
	buf_reset(&r->doi);
	buf_reset(&r->pmid);
	buf_reset(&r->stub);
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

static const struct slot_text *
get(const struct item *it, enum slot s)
{
	const struct slot_text *t = &it->slot[s];

	return t->set && t->text.len ? t : NULL;
}

/* Plain text of a value that may be HTML, escaped once or twice. */
static void
plain_text(struct buf *out, const char *s, size_t n, enum textkind kind, int line)
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

static void
slot_plain(struct buf *out, const struct slot_text *t, int line)
{
	plain_text(out, t->text.s, t->text.len, t->kind, line);
}

/* ---- links ---- */

static int
is_absolute_url(const char *s)
{
	return !ascii_ncasecmp(s, "http://", 7) || !ascii_ncasecmp(s, "https://", 8);
}

/* Resolve s against base (xml:base or the channel link); spaces escaped. */
static void
resolve_link(struct buf *out, const char *s, size_t n, const char *base)
{
	struct buf raw = { 0 };
	xmlChar *abs = NULL;
	const char *p;
	size_t i;

	text_trimmed(&raw, s, n);
	if (!raw.len) {
		buf_free(&raw);
		return;
	}
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

static const char *
item_base(const struct slot_text *t, const struct channel *ch)
{
	if (t->base)
		return t->base;
	return ch->link.len ? ch->link.s : NULL;
}

/* Tracking parameters removed, the rest as it was (see ident_clean_link). */
static void
clean_link(struct buf *link)
{
	struct buf c = { 0 };

	if (!link->len)
		return;
	ident_clean_link(&c, link->s);
	buf_reset(link);
	buf_put(link, c.s, c.len);
	buf_free(&c);
}

/* The channel's link, resolved and cleaned like an item's. */
static void
feed_link(struct buf *out, const struct channel *ch)
{
	if (ch->link.len)
		resolve_link(out, ch->link.s, ch->link.len, NULL);
	clean_link(out);
}

/* Never an enclosure (S_ENCLOSURE) nor Atom's self, edit or replies links. */
static void
find_link(struct rec *r, const struct item *it, const struct channel *ch)
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
		text_trimmed(&g, t->text.s, t->text.len);
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

static void
pick_link(struct rec *r, const struct item *it, const struct channel *ch)
{
	find_link(r, it, ch);
	clean_link(&r->link);
}

/* ---- arXiv ---- */

static void
detect_arxiv(struct rec *r, const struct item *it)
{
	const struct slot_text *g = get(it, S_GUID);
	long version;

	if (ident_find_arxiv(g ? g->text.s : NULL, &r->arxiv_id, &r->arxiv_version)) {
		version = r->arxiv_version;
		/* the guid has the version; the link usually does not */
		if (!version && ident_find_arxiv(r->link.s, &r->arxiv_id, &r->arxiv_version))
			return;
		r->arxiv_version = version;
		return;
	}
	if (!ident_find_arxiv(r->link.s, &r->arxiv_id, &r->arxiv_version))
		buf_reset(&r->arxiv_id);
}

/* The primary category goes first. */
static void
order_categories(struct rec *r, const struct item *it)
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

static void
pick_doi(struct rec *r, const struct item *it)
{
	static const enum slot direct[] = { S_PRISMDOI, S_ARXIVDOI };
	const struct slot_text *t;
	size_t i;

	for (i = 0; i < sizeof direct / sizeof *direct; i++)
		if ((t = get(it, direct[i])) && ident_find_doi(&r->doi, t->text.s, t->text.len))
			return;
	for (i = 0; i < it->identifiers.n; i++)
		if (ident_find_doi(&r->doi, it->identifiers.v[i], strlen(it->identifiers.v[i])))
			return;
	if ((t = get(it, S_ALINKDOI)) && ident_find_doi(&r->doi, t->text.s, t->text.len))
		return;
	if (ident_doi_in_url(&r->doi, r->link.s))
		return;
	if ((t = get(it, S_GUID)) && !r->arxiv_id.len) {
		if (ident_doi_in_url(&r->doi, t->text.s))
			return;
		if (!strncmp(t->text.s, "10.", 3) && ident_find_doi(&r->doi, t->text.s, t->text.len))
			return;
		if (!ascii_ncasecmp(t->text.s, "doi:", 4) && ident_find_doi(&r->doi, t->text.s, t->text.len))
			return;
	}
	for (i = S_ALINK_ANY; i <= S_RDFABOUT; i++)
		if ((t = get(it, (enum slot)i)) && ident_doi_in_url(&r->doi, t->text.s))
			return;
	/* ChemRxiv and others: a doi.org link inside the description */
	for (i = S_DESC; i <= S_ABSTRACT && !r->arxiv_id.len; i++)
		if ((t = get(it, (enum slot)i)) && ident_doi_in_url(&r->doi, t->text.s))
			return;
}

/* PubMed: "pmid:N" in dc:identifier, "pubmed:N" as the guid. */
static void
pick_pmid(struct rec *r, const struct item *it)
{
	const struct slot_text *t;
	size_t i;

	if (r->pmid.len)
		return;
	for (i = 0; i < it->identifiers.n; i++)
		if (ident_find_pmid(&r->pmid, it->identifiers.v[i], strlen(it->identifiers.v[i])))
			return;
	if ((t = get(it, S_GUID)))
		ident_find_pmid(&r->pmid, t->text.s, t->text.len);
}

/* ---- summary ---- */

static const char *const ellipses[] = { "...", "\xE2\x80\xA6", "[\xE2\x80\xA6]" };

static int
ends_with(const struct buf *b, const char *s)
{
	size_t n = strlen(s);

	return b->len >= n && !memcmp(b->s + b->len - n, s, n);
}

/*
 * The abstract: a description, unless it is only a stub (Wiley's
 * "Journal, Volume ..."; PubMed's truncated text) and a fuller text exists.
 * Wiley's citation stub goes to cite.
 */
static void
pick_summary(struct buf *out, const struct item *it, struct buf *cite)
{
	static const enum slot order[] = { S_ABSTRACT, S_ASUMMARY, S_DESC, S_DCDESC,
	                                   S_CONTENT, S_BODY, S_ACONTENT, S_MEDIADESC,
	                                   S_ITUNESSUMMARY };
	static const enum slot fuller[] = { S_DCDESC, S_CONTENT, S_BODY, S_ACONTENT };
	const struct slot_text *t, *best = NULL;
	struct buf alt = { 0 };
	size_t i;
	int stub, citation;

	for (i = 0; i < sizeof order / sizeof *order && !out->len; i++)
		if ((best = get(it, order[i])))
			slot_plain(out, best, 0);
	if (!best)
		return;
	/* a short abstract is not twice a citation's length, yet it wins */
	citation = boiler_citation_stub(out, cite);
	for (i = 0; i < sizeof fuller / sizeof *fuller; i++) {
		if (!(t = get(it, fuller[i])) || t == best)
			continue;
		buf_reset(&alt);
		slot_plain(&alt, t, 0);
		stub = (citation && alt.len) || (out->len < 200 && alt.len > 2 * out->len);
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

/*
 * PubMed's content:encoded (citation, "ABSTRACT", abstract, "PMID:N |"),
 * whether or not it became the summary: its abstract is the whole one.
 */
static int
pubmed_summary(struct rec *r, const struct item *it)
{
	const struct slot_text *t;
	struct buf alt = { 0 };

	if (boiler_pubmed(&r->summary, &r->journal, &r->doi, &r->pmid))
		return 1;
	if (!(t = get(it, S_CONTENT)))
		return 0;
	slot_plain(&alt, t, 0);
	if (!boiler_pubmed(&alt, &r->journal, &r->doi, &r->pmid)) {
		buf_free(&alt);
		return 0;
	}
	/* the description is the same abstract, cut short; or "N/A." */
	buf_reset(&r->summary);
	buf_put(&r->summary, alt.s, alt.len);
	buf_free(&alt);
	return 1;
}

static void
clean_summary(struct rec *r, const struct item *it)
{
	pick_summary(&r->summary, it, &r->stub);
	if (!pubmed_summary(r, it))
		boiler_strip(&r->summary, &r->authors, &r->journal, &r->doi);
}

/* ---- authors, journal, dates ---- */

static void
pick_authors(struct rec *r, const struct item *it)
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

static void
pick_journal(struct rec *r, const struct item *it)
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
	if (r->stub.len)
		buf_put(&r->journal, r->stub.s, r->stub.len);
}

static int
first_date(const struct item *it, const enum slot *order, size_t n, time_t *t)
{
	const struct slot_text *s;
	size_t i;

	for (i = 0; i < n; i++)
		if ((s = get(it, order[i])) && date_parse(s->text.s, t) == 0)
			return 1;
	return 0;
}

static void
pick_dates(struct rec *r, const struct item *it)
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

/*
 * An item without title, link or guid is known by what else it has; each
 * part is labelled so that text cannot pass for another part. Nothing that
 * changes from day to day (the fetch time, the order in the feed) is used.
 */
static void
content_key(struct buf *b, const struct rec *r, const struct item *it)
{
	const struct slot_text *t = get(it, S_ENCLOSURE);
	char date[DATE_BUFSZ];
	size_t i;

	if (t) {
		buf_puts(b, "enclosure ");
		text_trimmed(b, t->text.s, t->text.len);
		buf_putc(b, '\n');
	}
	if (r->has_published) {
		date_format(r->published, date);
		buf_printf(b, "published %s\n", date);
	}
	for (i = 0; i < r->authors.n; i++)
		buf_printf(b, "author %s\n", r->authors.v[i]);
	if (r->summary.len) {
		buf_puts(b, "summary ");
		buf_put(b, r->summary.s, r->summary.len);
		buf_putc(b, '\n');
	}
}

static void
make_id(struct rec *r, const struct item *it)
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
	} else if (r->pmid.len) {
		buf_printf(&r->id, "pmid:%s", r->pmid.s);
	} else if (r->link.len) {
		buf_puts(&r->id, "url:");
		ident_normalise_url(&r->id, r->link.s);
	} else if (r->guid.len) {
		buf_printf(&r->id, "guid:%s", r->guid.s);
	} else {
		struct buf b = { 0 };
		if (r->title.len)
			buf_puts(&b, r->title.s);	/* as always: keeps old ids */
		else
			content_key(&b, r, it);
		sha1_hex(buf_str(&b), b.len, hex);
		buf_printf(&r->id, "sha1:%s", hex);
		buf_free(&b);
	}
}

/* ---- writing ---- */

static void
put_text(struct jw *w, const char *key, const struct buf *b)
{
	if (!b->len)
		return;
	jw_key(w, key);
	jw_string(w, b->s, b->len);
}

static void
put_cstr(struct jw *w, const char *key, const char *s)
{
	if (!*s)
		return;
	jw_key(w, key);
	jw_cstring(w, s);
}

static void
put_list(struct jw *w, const char *key, const struct strlist *l)
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

static void
put_date(struct jw *w, const char *key, int has, time_t t)
{
	char s[DATE_BUFSZ];

	if (!has)
		return;
	date_format(t, s);
	jw_key(w, key);
	jw_cstring(w, s);
}

static void
put_feed(struct jw *w, const struct channel *ch, const struct record_opts *opts)
{
	struct buf title = { 0 }, link = { 0 };

	if (ch->title.len)
		plain_text(&title, ch->title.s, ch->title.len, (enum textkind)ch->title_kind, 1);
	feed_link(&link, ch);
	if (title.len || link.len || (opts->source && *opts->source)) {
		jw_key(w, F_FEED);
		jw_object(w);
		put_text(w, F_FEED_TITLE, &title);
		put_text(w, F_FEED_LINK, &link);
		if (opts->source && *opts->source)
			put_cstr(w, F_FEED_NAME, opts->source);
		jw_end_object(w);
	}
	buf_free(&title);
	buf_free(&link);
}

/* --keep-html: the first description there is, as the feed gave it */
static void
put_summary_html(struct jw *w, const struct item *it)
{
	static const enum slot order[] = { S_ABSTRACT, S_ASUMMARY, S_DESC, S_DCDESC,
	                                   S_CONTENT, S_BODY, S_ACONTENT, S_MEDIADESC,
	                                   S_ITUNESSUMMARY };
	const struct slot_text *t;

	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		if ((t = get(it, order[i]))) {
			struct buf h = { 0 };
			text_trimmed(&h, t->text.s, t->text.len);
			put_text(w, F_SUMMARY_HTML, &h);
			buf_free(&h);
			break;
		}
}

static void
put_arxiv(struct jw *w, const struct rec *r, const struct item *it)
{
	const struct slot_text *ann = get(it, S_ARXIVANNOUNCE);

	jw_key(w, F_ARXIV);
	jw_object(w);
	put_text(w, F_ARXIV_ID, &r->arxiv_id);
	if (r->arxiv_version) {
		jw_key(w, F_ARXIV_VERSION);
		jw_int(w, r->arxiv_version);
	}
	if (ann) {
		struct buf a = { 0 };
		text_line(&a, ann->text.s, ann->text.len);
		put_text(w, F_ARXIV_ANNOUNCE, &a);
		buf_free(&a);
	}
	put_text(w, F_ARXIV_PRIMARY, &r->arxiv_primary);
	jw_end_object(w);
}

static void
write_record(struct buf *out, const struct rec *r, const struct item *it,
    const struct channel *ch, const struct record_opts *opts)
{
	struct jw w;

	jw_init(&w, out);
	jw_object(&w);
	put_text(&w, F_ID, &r->id);
	jw_key(&w, F_TITLE);
	jw_string(&w, buf_str(&r->title), r->title.len);
	put_text(&w, F_LINK, &r->link);
	put_list(&w, F_AUTHORS, &r->authors);
	put_text(&w, F_SUMMARY, &r->summary);
	if (opts->keep_html)
		put_summary_html(&w, it);
	put_date(&w, F_PUBLISHED, r->has_published, r->published);
	put_date(&w, F_UPDATED, r->has_updated, r->updated);
	put_list(&w, F_CATEGORIES, &r->categories);
	put_text(&w, F_DOI, &r->doi);
	put_text(&w, F_PMID, &r->pmid);
	put_text(&w, F_JOURNAL, &r->journal);
	if (r->arxiv_id.len)
		put_arxiv(&w, r, it);
	put_text(&w, F_GUID, &r->guid);
	put_feed(&w, ch, opts);
	jw_end_object(&w);
	buf_putc(out, '\n');
}

static void
pick_title(struct rec *r, const struct item *it)
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

void
item_to_record(struct buf *out, struct item *it, const struct channel *ch,
    const struct record_opts *opts)
{
	struct rec *r = &scratch;
	const struct slot_text *g;

	rec_reset(r);
	pick_title(r, it);
	pick_link(r, it, ch);
	if ((g = get(it, S_GUID)) || (g = get(it, S_RDFABOUT)))
		text_trimmed(&r->guid, g->text.s, g->text.len);
	detect_arxiv(r, it);
	order_categories(r, it);
	pick_authors(r, it);
	clean_summary(r, it);
	pick_doi(r, it);
	pick_journal(r, it);
	pick_dates(r, it);
	pick_pmid(r, it);
	make_id(r, it);
	write_record(out, r, it, ch, opts);
}

void
record_cleanup(void)
{
	rec_free(&scratch);
}

void
channel_to_json(struct buf *out, const struct channel *ch)
{
	struct buf title = { 0 }, desc = { 0 }, link = { 0 };
	const struct buf *date = ch->updated.len ? &ch->updated : &ch->pubdate;
	struct jw w;
	time_t t;

	if (ch->title.len)
		plain_text(&title, ch->title.s, ch->title.len, (enum textkind)ch->title_kind, 1);
	if (ch->description.len)
		plain_text(&desc, ch->description.s, ch->description.len, TK_SNIFF, 0);
	feed_link(&link, ch);
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
