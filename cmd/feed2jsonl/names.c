/*
 * names.c: what an element is, from its namespace and local name. A sorted
 * table maps (namespace, element) to what it fills; namespace URIs are
 * matched to the dialects read; prefixes used without a declaration are
 * read in the namespace they always stand for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feedxml.h"
#include "text.h"
#include "util.h"

/* Sorted by namespace, then name (strcmp): looked up with bsearch. */
static const struct tag tags[] = {
	{ NS_RSS, "ABSTRACT", A_TEXT, S_DESC, C_DESC },
	{ NS_RSS, "CHANNEL", A_CHANNEL, -1, C_NONE },
	{ NS_RSS, "ITEM", A_ITEM, -1, C_NONE },
	{ NS_RSS, "RDF", A_ROOT, -1, C_NONE },
	{ NS_RSS, "TITLE", A_TEXT, S_TITLE, C_TITLE },
	{ NS_RSS, "author", A_TEXT, S_RSSAUTHOR, C_NONE },
	{ NS_RSS, "body", A_TEXT, S_BODY, C_NONE },
	{ NS_RSS, "category", A_CATEGORY, -1, C_NONE },
	{ NS_RSS, "channel", A_CHANNEL, -1, C_NONE },
	{ NS_RSS, "description", A_TEXT, S_DESC, C_DESC },
	{ NS_RSS, "enclosure", A_ENCLOSURE, -1, C_NONE },
	{ NS_RSS, "fullitem", A_TEXT, S_BODY, C_NONE },
	{ NS_RSS, "guid", A_GUID, S_GUID, C_NONE },
	{ NS_RSS, "item", A_ITEM, -1, C_NONE },
	{ NS_RSS, "language", A_NONE, -1, C_LANG },
	{ NS_RSS, "lastBuildDate", A_NONE, -1, C_UPDATED },
	{ NS_RSS, "link", A_TEXT, S_LINK, C_LINK },
	{ NS_RSS, "pubDate", A_TEXT, S_PUBDATE, C_PUBDATE },
	{ NS_RSS, "rss", A_ROOT, -1, C_NONE },
	{ NS_RSS, "title", A_TEXT, S_TITLE, C_TITLE },
	{ NS_ATOM, "author", A_AUTHOR, -1, C_NONE },
	{ NS_ATOM, "category", A_ACATEGORY, -1, C_NONE },
	{ NS_ATOM, "content", A_TEXT, S_ACONTENT, C_NONE },
	{ NS_ATOM, "created", A_TEXT, S_AISSUED, C_NONE },
	{ NS_ATOM, "entry", A_ITEM, -1, C_NONE },
	{ NS_ATOM, "feed", A_ROOT, -1, C_NONE },
	{ NS_ATOM, "id", A_GUID, S_GUID, C_NONE },
	{ NS_ATOM, "issued", A_TEXT, S_AISSUED, C_NONE },
	{ NS_ATOM, "link", A_ALINK, -1, C_NONE },
	{ NS_ATOM, "modified", A_TEXT, S_AMODIFIED, C_UPDATED },
	{ NS_ATOM, "name", A_NAME, -1, C_NONE },
	{ NS_ATOM, "published", A_TEXT, S_APUBLISHED, C_PUBDATE },
	{ NS_ATOM, "source", A_SKIP, -1, C_NONE },
	{ NS_ATOM, "subtitle", A_NONE, -1, C_DESC },
	{ NS_ATOM, "summary", A_TEXT, S_ASUMMARY, C_NONE },
	{ NS_ATOM, "tagline", A_NONE, -1, C_DESC },
	{ NS_ATOM, "title", A_TEXT, S_TITLE, C_TITLE },
	{ NS_ATOM, "updated", A_TEXT, S_AUPDATED, C_UPDATED },
	{ NS_DC, "author", A_CREATOR, -1, C_NONE },
	{ NS_DC, "creator", A_CREATOR, -1, C_NONE },
	{ NS_DC, "date", A_TEXT, S_DCDATE, C_UPDATED },
	{ NS_DC, "description", A_TEXT, S_DCDESC, C_DESC },
	{ NS_DC, "identifier", A_IDENT, -1, C_NONE },
	{ NS_DC, "language", A_NONE, -1, C_LANG },
	{ NS_DC, "source", A_TEXT, S_DCSOURCE, C_NONE },
	{ NS_DC, "subject", A_CATEGORY, -1, C_NONE },
	{ NS_DC, "title", A_TEXT, S_DCTITLE, C_TITLE },
	{ NS_DCTERMS, "abstract", A_TEXT, S_ABSTRACT, C_NONE },
	{ NS_DCTERMS, "creator", A_CREATOR, -1, C_NONE },
	{ NS_DCTERMS, "issued", A_TEXT, S_DCTISSUED, C_NONE },
	{ NS_DCTERMS, "modified", A_TEXT, S_DCTMODIFIED, C_UPDATED },
	{ NS_CONTENT, "encoded", A_TEXT, S_CONTENT, C_NONE },
	{ NS_PRISM, "doi", A_TEXT, S_PRISMDOI, C_NONE },
	{ NS_PRISM, "publicationDate", A_TEXT, S_PRISMPUBDATE, C_NONE },
	{ NS_PRISM, "publicationName", A_TEXT, S_PUBNAME, C_NONE },
	{ NS_PRISM, "volume", A_TEXT, S_PRISMVOLUME, C_NONE },
	{ NS_ARXIV, "DOI", A_TEXT, S_ARXIVDOI, C_NONE },
	{ NS_ARXIV, "announce_type", A_TEXT, S_ARXIVANNOUNCE, C_NONE },
	{ NS_ARXIV, "doi", A_TEXT, S_ARXIVDOI, C_NONE },
	{ NS_ARXIV, "journal_ref", A_TEXT, S_ARXIVJREF, C_NONE },
	{ NS_ARXIV, "primary_category", A_PRIMARY, -1, C_NONE },
	{ NS_MEDIA, "category", A_CATEGORY, -1, C_NONE },
	{ NS_MEDIA, "description", A_TEXT, S_MEDIADESC, C_NONE },
	{ NS_MEDIA, "group", A_GROUP, -1, C_NONE },
	{ NS_MEDIA, "title", A_TEXT, S_MEDIATITLE, C_NONE },
	{ NS_RDF, "RDF", A_ROOT, -1, C_NONE },
	{ NS_XHTML, "body", A_TEXT, S_BODY, C_NONE },
	{ NS_ITUNES, "author", A_CREATOR, -1, C_NONE },
	{ NS_ITUNES, "category", A_ICATEGORY, -1, C_NONE },
	{ NS_ITUNES, "subtitle", A_NONE, -1, C_DESC },
	{ NS_ITUNES, "summary", A_TEXT, S_ITUNESSUMMARY, C_DESC },
};

/* How a namespace URI is matched: exactly, as a prefix, ignoring case. */
enum match { M_EXACT, M_PREFIX, M_NOCASE };

static const struct { const char *uri; enum ns ns; enum match match; } namespaces[] = {
	{ "http://purl.org/rss/1.0/modules/content/", NS_CONTENT, M_EXACT },
	{ "http://purl.org/rss/1.0/", NS_RSS, M_EXACT },
	{ "http://my.netscape.com/rdf/simple/0.9/", NS_RSS, M_EXACT },
	{ "http://backend.userland.com/rss", NS_RSS, M_PREFIX },
	{ "http://blogs.law.harvard.edu/tech/rss", NS_RSS, M_EXACT },
	{ "http://www.w3.org/2005/Atom", NS_ATOM, M_EXACT },
	{ "http://purl.org/atom/ns#", NS_ATOM, M_EXACT },
	{ "http://purl.org/dc/elements/1.1/", NS_DC, M_EXACT },
	{ "http://purl.org/dc/terms/", NS_DCTERMS, M_EXACT },
	{ "http://prismstandard.org/namespaces/", NS_PRISM, M_PREFIX },
	{ "http://arxiv.org/schemas/atom", NS_ARXIV, M_EXACT },
	{ "http://search.yahoo.com/mrss/", NS_MEDIA, M_EXACT },
	{ "http://search.yahoo.com/mrss", NS_MEDIA, M_EXACT },
	{ "http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF, M_EXACT },
	{ "http://www.w3.org/XML/1998/namespace", NS_XML, M_EXACT },
	{ "http://www.w3.org/1999/xhtml", NS_XHTML, M_EXACT },
	/* Apple's spec has had it in three cases, and an example.com copy */
	{ "http://www.itunes.com/dtds/podcast-1.0.dtd", NS_ITUNES, M_NOCASE },
	{ "http://example.com/DTDs/Podcast-1.0.dtd", NS_ITUNES, M_EXACT },
};

/*
 * Prefixes feeds use without declaring them, and the namespace each always
 * stands for. Sorted by prefix: looked up with bsearch.
 */
static const struct known_prefix { const char *prefix, *uri; } known_prefixes[] = {
	{ "admin", "http://webns.net/mvcb/" },
	{ "arxiv", "http://arxiv.org/schemas/atom" },
	{ "atom", "http://www.w3.org/2005/Atom" },
	{ "cc", "http://web.resource.org/cc/" },
	{ "content", "http://purl.org/rss/1.0/modules/content/" },
	{ "dc", "http://purl.org/dc/elements/1.1/" },
	{ "dcterms", "http://purl.org/dc/terms/" },
	{ "feedburner", "http://rssnamespace.org/feedburner/ext/1.0" },
	{ "georss", "http://www.georss.org/georss" },
	{ "itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd" },
	{ "media", "http://search.yahoo.com/mrss/" },
	{ "prism", "http://prismstandard.org/namespaces/basic/2.0/" },
	{ "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#" },
	{ "slash", "http://purl.org/rss/1.0/modules/slash/" },
	{ "sy", "http://purl.org/rss/1.0/modules/syndication/" },
	{ "taxo", "http://purl.org/rss/1.0/modules/taxonomy/" },
	{ "thr", "http://purl.org/syndication/thread/1.0" },
	{ "wfw", "http://wellformedweb.org/CommentAPI/" },
	{ "xhtml", "http://www.w3.org/1999/xhtml" },
};

/* What an undeclared prefix nobody knows stands for: nothing we read. */
static const char unknown_ns[] = "urn:feedpipe:undeclared-prefix";

static int
namespace_matches(const char *uri, const char *known, enum match how)
{
	switch (how) {
	case M_PREFIX: return !strncmp(uri, known, strlen(known));
	case M_NOCASE: return !ascii_casecmp(uri, known);
	default: return !strcmp(uri, known);
	}
}

enum ns
names_ns(struct state *st, const xmlChar *uri)
{
	size_t i;
	enum ns ns = NS_OTHER;

	if (!uri)
		return st->atom_nons ? NS_ATOM : NS_RSS;
	if (uri == st->atom_uri)
		return NS_ATOM;
	for (i = 0; i < 8; i++)
		if (st->ns_uri[i] == uri)
			return st->ns_val[i];
	for (i = 0; i < sizeof namespaces / sizeof *namespaces; i++) {
		const char *u = namespaces[i].uri;
		if (namespace_matches((const char *)uri, u, namespaces[i].match)) {
			ns = namespaces[i].ns;
			break;
		}
	}
	st->ns_uri[st->ns_next % 8] = uri;
	st->ns_val[st->ns_next++ % 8] = ns;
	return ns;
}

static int
tagcmp(const void *key, const void *elem)
{
	const struct tag *a = key, *b = elem;

	if (a->ns != b->ns)
		return (int)a->ns - (int)b->ns;
	return strcmp(a->name, b->name);
}

/*
 * libxml2 interns element names, so the same name comes as the same
 * pointer: a small cache keyed by it saves the bsearch for nearly every
 * element.
 */
static const struct tag *
lookup(enum ns ns, const char *name)
{
	static struct { const char *name; enum ns ns; const struct tag *tag; } cache[64];
	struct tag key = { ns, name, A_NONE, -1, C_NONE };
	size_t h = ((uintptr_t)name >> 4 ^ (uintptr_t)ns) % 64;

	if (cache[h].name == name && cache[h].ns == ns)
		return cache[h].tag;
	cache[h].name = name;
	cache[h].ns = ns;
	cache[h].tag = bsearch(&key, tags, sizeof tags / sizeof *tags, sizeof *tags, tagcmp);
	return cache[h].tag;
}

/*
 * RSS elements in another case (<Title>, <PubDate>): XML says they are
 * other elements, but iTunes and feedparser read them, so feeds have them.
 */
static const struct tag *
lookup_rss_anycase(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof tags / sizeof *tags && tags[i].ns == NS_RSS; i++)
		if (!ascii_casecmp(tags[i].name, name))
			return &tags[i];
	return NULL;
}

const struct tag *
names_lookup(enum ns ns, const char *name)
{
	const struct tag *t = lookup(ns, name);

	if (!t && ns == NS_RSS)
		t = lookup_rss_anycase(name);
	return t;
}

static int
prefixcmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct known_prefix *)elem)->prefix);
}

/* The namespace an undeclared prefix stands for: unknown_ns if none. */
static const xmlChar *
undeclared_uri(const xmlChar *prefix)
{
	const struct known_prefix *k = bsearch(prefix, known_prefixes,
	                                       sizeof known_prefixes / sizeof *known_prefixes,
	                                       sizeof *known_prefixes, prefixcmp);

	return (const xmlChar *)(k ? k->uri : unknown_ns);
}

/*
 * A prefix used without an xmlns declaration: read in the namespace it
 * always stands for, never as the element without it; said once a prefix.
 */
const xmlChar *
names_undeclared(struct state *st, const xmlChar *prefix)
{
	const xmlChar *uri = undeclared_uri(prefix);
	unsigned i;

	for (i = 0; i < st->nundeclared; i++)
		if (xmlStrEqual(st->undeclared[i], prefix))
			return uri;
	if (st->nundeclared == MAXPREFIXES)
		return uri;
	st->undeclared[st->nundeclared++] = prefix;
	if (uri == (const xmlChar *)unknown_ns)
		problem_here(st, "prefix '%s' used without a declaration; not read",
		    (const char *)prefix);
	else
		problem_here(st, "prefix '%s' used without a declaration; read as %s",
		    (const char *)prefix, (const char *)uri);
	return uri;
}

void
names_undeclared_attrs(struct state *st, const xmlChar **attrs, int n)
{
	int i;

	for (i = 0; i < n; i++, attrs += 5)
		if (attrs[1] && !attrs[2])
			names_undeclared(st, attrs[1]);
}

enum ns
names_attr_ns(struct state *st, const xmlChar **a)
{
	if (a[2])
		return names_ns(st, a[2]);
	return a[1] ? names_ns(st, undeclared_uri(a[1])) : NS_RSS;
}

void
names_check(void)
{
	size_t i;

	for (i = 1; i < sizeof tags / sizeof *tags; i++)
		if (tagcmp(&tags[i - 1], &tags[i]) >= 0)
			eprintf("names.c: tags[] out of order at %s", tags[i].name);
	for (i = 1; i < sizeof known_prefixes / sizeof *known_prefixes; i++)
		if (strcmp(known_prefixes[i - 1].prefix, known_prefixes[i].prefix) >= 0)
			eprintf("names.c: known_prefixes[] out of order at %s", known_prefixes[i].prefix);
}
