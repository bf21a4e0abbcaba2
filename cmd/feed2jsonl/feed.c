/*
 * feed.c: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom through libxml2's SAX2 push
 * parser. A sorted table maps (namespace, element) to what it fills; an
 * item is handed on when its element closes, so memory stays flat.
 */
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ampfix.h"
#include "feed.h"
#include "recode.h"
#include "text.h"
#include "util.h"

#define MAXDEPTH 256
#define MAXERRORS 10
#define MAXFIELD (8u << 20)	/* longest text kept for one element */
#define CHUNK (64u << 10)
#define MAXATTR (64u << 10)	/* longest link, term or date taken from an attribute */
#define MAXEXPAND (1u << 20)	/* text declared entities may always add */

enum ns {
	NS_RSS, NS_ATOM, NS_DC, NS_DCTERMS, NS_CONTENT, NS_PRISM, NS_ARXIV,
	NS_MEDIA, NS_RDF, NS_XML, NS_XHTML, NS_ITUNES, NS_OTHER,
};

enum action {
	A_NONE, A_ROOT, A_CHANNEL, A_ITEM, A_TEXT, A_GUID, A_CREATOR, A_AUTHOR,
	A_NAME, A_CATEGORY, A_ACATEGORY, A_ALINK, A_IDENT, A_PRIMARY, A_GROUP,
	A_SKIP, A_ICATEGORY, A_ENCLOSURE,
};

/* When an element's text is base64: mode="base64", or maybe for a binary type. */
enum base64 { B64_NO, B64_ALWAYS, B64_IF_VALID };

/* What an element fills at channel level. */
enum chan_field { C_NONE, C_TITLE, C_LINK, C_DESC, C_LANG, C_UPDATED, C_PUBDATE };

struct tag {
	enum ns ns;
	const char *name;
	enum action action;
	int slot;		/* enum slot for A_TEXT, -1 otherwise */
	enum chan_field chan;
};

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

#define MAXPREFIXES 16	/* undeclared prefixes reported, per document */

struct frame {
	const struct tag *tag;	/* NULL for elements we do not know */
	const char *name;
	char *base;		/* xml:base in scope */
	int own_base;
	int in_item;		/* the element is an item's direct child */
};

/* What a declared entity stands for (see expand()). */
struct expansion {
	size_t size, refs;
	int stops, working;
};

struct state {
	xmlParserCtxtPtr ctxt;
	const struct feed_callbacks *cb;
	struct channel *ch;
	struct item item;
	int depth;
	int root_seen, stopped, ending;
	int item_depth, chan_depth, author_depth, group_depth, skip_depth;
	struct buf *cap;		/* where text goes, or NULL */
	int cap_depth, cap_markup, cap_list;
	int cap_html;			/* declared HTML: its text is markup already */
	enum base64 cap_base64;
	int cap_full;			/* reached MAXFIELD: cut, take no more */
	int cap_slot;			/* the item slot being filled, or -1 */
	enum textkind *cap_kind;
	struct buf listtext;		/* text of a list element (creator, category) */
	int errors;
	size_t bytes_in;		/* of the document, read so far */
	size_t expanded;		/* text added by declared entities */
	int over_budget;		/* ... past what they may add: no more */
	struct expansion *expansions;	/* what each declared entity stands for */
	size_t nexpansions;
	char last[512];			/* the last message, not to repeat it */
	char early[400];		/* a parser error before any element */
	struct frame stack[MAXDEPTH];
	/* a small cache: libxml2 interns namespace URIs, so pointers repeat */
	const xmlChar *atom_uri;	/* a <feed> root's namespace, read as Atom's */
	int atom_nons;			/* ... when that <feed> had no namespace */
	const xmlChar *undeclared[MAXPREFIXES];	/* prefixes reported already */
	unsigned nundeclared;
	const xmlChar *ns_uri[8];
	enum ns ns_val[8];
	unsigned ns_next;
};

static int
namespace_matches(const char *uri, const char *known, enum match how)
{
	switch (how) {
	case M_PREFIX: return !strncmp(uri, known, strlen(known));
	case M_NOCASE: return !ascii_casecmp(uri, known);
	default: return !strcmp(uri, known);
	}
}

static enum ns
classify_ns(struct state *st, const xmlChar *uri)
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

static void report(struct state *st, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
report(struct state *st, unsigned long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!strcmp(msg, st->last))
		return;		/* an entity bomb says the same thing many times */
	snprintf(st->last, sizeof st->last, "%s", msg);
	if (st->errors++ == MAXERRORS) {
		st->cb->error(st->cb->arg, line, "too many errors; the rest are not shown");
		return;
	}
	if (st->errors > MAXERRORS)
		return;
	st->cb->error(st->cb->arg, line, msg);
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
static const xmlChar *
undeclared_prefix(struct state *st, const xmlChar *prefix)
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
		report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
		       "prefix '%s' used without a declaration; not read", (const char *)prefix);
	else
		report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
		       "prefix '%s' used without a declaration; read as %s",
		       (const char *)prefix, (const char *)uri);
	return uri;
}

static void
undeclared_attr_prefixes(struct state *st, const xmlChar **attrs, int n)
{
	int i;

	for (i = 0; i < n; i++, attrs += 5)
		if (attrs[1] && !attrs[2])
			undeclared_prefix(st, attrs[1]);
}

static enum ns
attr_ns(struct state *st, const xmlChar **a)
{
	if (a[2])
		return classify_ns(st, a[2]);
	return a[1] ? classify_ns(st, undeclared_uri(a[1])) : NS_RSS;
}

static void
on_xml_error(void *ctx, xmlErrorPtr err)
{
	struct state *st = ctx;
	char msg[400];
	size_t n;

	if (!err || err->level == XML_ERR_WARNING || st->stopped)
		return;
	if (err->domain == XML_FROM_NAMESPACE && err->code == XML_NS_ERR_UNDEFINED_NAMESPACE)
		return;		/* on_start says it, with what the prefix is read as */
	if (st->ending && st->depth > 0) {
		/* libxml2 says "Extra content" or "Premature end"; say what was cut */
		const char *open = st->stack[st->depth - 1].name;
		if (st->ending++ == 1)
			report(st, (unsigned long)(err->line > 0 ? err->line : 0),
			       "premature end of document inside <%s>; complete items kept", open);
		return;
	}
	snprintf(msg, sizeof msg, "%s", err->message ? err->message : "XML error");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (!st->root_seen) {
		/* "Document is empty" for a text file: said once, as "not a feed" */
		if (!st->early[0])
			snprintf(st->early, sizeof st->early, "%s", msg);
		return;
	}
	report(st, (unsigned long)(err->line > 0 ? err->line : 0), "%s", msg);
}

static const char *
attr(const xmlChar **attrs, int n, enum ns ns, struct state *st,
    const char *name, size_t *len)
{
	int i;

	for (i = 0; i < n; i++, attrs += 5) {
		if (strcmp((const char *)attrs[0], name))
			continue;
		if (ns != NS_OTHER && attr_ns(st, attrs) != ns)
			continue;
		*len = (size_t)(attrs[4] - attrs[3]);
		return (const char *)attrs[3];
	}
	return NULL;
}

/* Attribute values keep libxml2's entity escapes (&#38;) only for '&'. */
static void
put_attr_text(struct buf *b, const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == '&' && i + 4 < n && !memcmp(v + i, "&#38;", 5)) {
			buf_putc(b, '&');
			i += 4;
		} else {
			buf_putc(b, v[i]);
		}
	}
}

static char *
attr_dup(const xmlChar **attrs, int n, enum ns ns, struct state *st,
    const char *name)
{
	struct buf b = { 0 };
	size_t len = 0;
	const char *v = attr(attrs, n, ns, st, name, &len);

	if (!v)
		return NULL;
	if (len > MAXATTR) {
		report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
		       "attribute %s longer than %u KiB: left out", name, MAXATTR >> 10);
		return NULL;
	}
	put_attr_text(&b, v, len);
	if (!b.s)
		buf_grow(&b, 0);
	return b.s;
}

static const char *
base_of(struct state *st)
{
	return st->depth > 0 ? st->stack[st->depth - 1].base : NULL;
}

/*
 * How an element's text is to be read, from Atom's type (and Atom 0.3's
 * mode). *base64 says whether it is base64: always for mode="base64"; for
 * types that are neither text nor XML (RFC 4287 4.1.3.3) only if the text
 * is valid base64 of UTF-8 text, as feeds put plain text in custom types.
 */
static enum textkind
kind_from_type(const xmlChar **attrs, int n, struct state *st,
    enum base64 *base64)
{
	size_t len = 0, mlen = 0;
	const char *v = attr(attrs, n, NS_OTHER, st, "type", &len);
	const char *mode = attr(attrs, n, NS_OTHER, st, "mode", &mlen);

	*base64 = B64_NO;
	if (v && len && memchr(v, '/', len) && strncmp(v, "text/", 5) &&
	    !(len >= 3 && !memcmp(v + len - 3, "xml", 3)))
		*base64 = B64_IF_VALID;
	if (mode && mlen == 6 && !memcmp(mode, "base64", 6))
		*base64 = B64_ALWAYS;
	if (mode && mlen == 7 && !memcmp(mode, "escaped", 7))
		return TK_HTML;
	if (!v || !len)
		return TK_SNIFF;
	if ((len == 4 && !memcmp(v, "html", 4)) || (len == 9 && !memcmp(v, "text/html", 9)))
		return TK_HTML;
	if ((len == 4 && !memcmp(v, "text", 4)) || (len == 10 && !memcmp(v, "text/plain", 10)))
		return TK_TEXT;
	return TK_SNIFF;
}

static int
base64_digit(char c)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(digits, c) : NULL;

	return p ? (int)(p - digits) : -1;
}

static int
is_utf8_text(const struct buf *b)
{
	return utf8_valid_prefix(b->s, b->len) == b->len && !memchr(b->s, '\0', b->len);
}

/*
 * Decode base64 text. Lenient (mode="base64"): what is not a digit is
 * skipped, the first '=' ends it. Strict: only digits and white space, '='
 * only as the padding of whole groups of four, and UTF-8 text once decoded;
 * otherwise the text is kept as it was.
 */
static void
base64_decode(struct buf *b, int strict)
{
	struct buf out = { 0 };
	unsigned long acc = 0;
	size_t i, digits = 0, pad = 0;
	int bits = 0, bad = 0, d;

	for (i = 0; i < b->len && !bad; i++) {
		if (b->s[i] == '=') {
			if (!strict)
				break;
			pad++;
		} else if ((d = base64_digit(b->s[i])) >= 0) {
			bad = pad > 0;
			digits++;
			acc = (acc << 6 | (unsigned long)d) & 0xFFFFFF;
			if ((bits += 6) >= 8) {
				bits -= 8;
				buf_putc(&out, (char)(acc >> bits & 0xFF));
			}
		} else if (strict && !is_space((unsigned char)b->s[i])) {
			bad = 1;
		}
	}
	if (!strict || (!bad && digits && pad <= 2 && (digits + pad) % 4 == 0 &&
	                (!out.len || is_utf8_text(&out)))) {
		buf_reset(b);
		if (out.len)
			buf_put(b, out.s, out.len);
	}
	buf_free(&out);
}

static void
capture(struct state *st, struct buf *b, enum textkind *kind, int list)
{
	st->cap_base64 = B64_NO;
	st->cap_slot = -1;
	st->cap = b;
	st->cap_depth = st->depth;
	st->cap_markup = 0;
	st->cap_html = 0;
	st->cap_kind = kind;
	st->cap_list = list;
	st->cap_full = 0;
}

/*
 * Room for n more bytes in the capture? If not, it is cut here, once and
 * for good: later, smaller pieces must not be spliced onto the cut.
 */
static int
cap_room(struct state *st, size_t n)
{
	const struct frame *f;

	if (st->cap_full)
		return 0;
	if (st->cap->len + n <= MAXFIELD)
		return 1;
	st->cap_full = 1;
	f = &st->stack[st->cap_depth - 1];
	report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
	       "<%s> longer than %u MiB: the rest of it is left out",
	       (const char *)f->name, MAXFIELD >> 20);
	return 0;
}

/* Append what fits of s to the capture, cut at a UTF-8 character boundary. */
static void
cap_put(struct state *st, const char *s, size_t n)
{
	struct buf *b = st->cap;
	size_t fit;

	if (cap_room(st, n)) {
		buf_put(b, s, n);
		return;
	}
	if (b->len >= MAXFIELD)
		return;
	fit = MAXFIELD - b->len;
	while (fit && ((unsigned char)s[fit] & 0xC0) == 0x80)
		fit--;	/* s[fit] continues a character: cut before it */
	buf_put(b, s, fit);
}

static void
start_item_slot(struct state *st, int slot, const xmlChar **attrs, int nattr)
{
	struct slot_text *s = &st->item.slot[slot];

	enum base64 base64;

	if (s->set)
		return;
	buf_reset(&s->text);
	s->kind = kind_from_type(attrs, nattr, st, &base64);
	free(s->base);
	s->base = base_of(st) ? estrdup(base_of(st)) : NULL;
	capture(st, &s->text, &s->kind, 0);
	st->cap_html = s->kind == TK_HTML;
	st->cap_base64 = base64;
	st->cap_slot = slot;
}

static struct buf *
chan_buf(struct channel *ch, enum chan_field f)
{
	switch (f) {
	case C_TITLE: return &ch->title;
	case C_LINK: return &ch->link;
	case C_DESC: return &ch->description;
	case C_LANG: return &ch->language;
	case C_UPDATED: return &ch->updated;
	case C_PUBDATE: return &ch->pubdate;
	default: return NULL;
	}
}

static void
atom_link(struct state *st, const xmlChar **attrs, int nattr, int channel)
{
	size_t len = 0;
	const char *rel = attr(attrs, nattr, NS_OTHER, st, "rel", &len);
	size_t rlen = rel ? len : 0;
	const char *title = attr(attrs, nattr, NS_OTHER, st, "title", &len);
	size_t tlen = title ? len : 0;
	char *href = attr_dup(attrs, nattr, NS_OTHER, st, "href");
	xmlChar *abs;
	struct slot_text *s;
	int slot;

	if (!href) {
		/* <link>http://...</link> in Atom: old feeds do it */
		if (!channel && (!rel || (rlen == 9 && !memcmp(rel, "alternate", 9))))
			start_item_slot(st, S_ALINK, attrs, nattr);
		return;
	}
	abs = base_of(st) ? xmlBuildURI((const xmlChar *)href, (const xmlChar *)base_of(st)) : NULL;
	if (abs) {
		free(href);
		href = estrdup((const char *)abs);
		xmlFree(abs);
	}
	if (channel) {
		if ((!rel || (rlen == 9 && !memcmp(rel, "alternate", 9))) && !st->ch->link.len)
			buf_puts(&st->ch->link, href);
	} else {
		if (tlen == 3 && !memcmp(title, "doi", 3))
			slot = S_ALINKDOI;
		else if (!rel || (rlen == 9 && !memcmp(rel, "alternate", 9)))
			slot = S_ALINK;
		else if (rlen == 9 && !memcmp(rel, "enclosure", 9))
			slot = S_ENCLOSURE;
		else if ((rlen == 7 && !memcmp(rel, "related", 7)) || (rlen == 3 && !memcmp(rel, "via", 3)))
			slot = S_ALINK_ANY;
		else
			slot = -1;	/* self, edit, replies, ...: not the item's page */
		if (slot < 0) {
			free(href);
			return;
		}
		s = &st->item.slot[slot];
		if (!s->set) {
			buf_reset(&s->text);
			buf_puts(&s->text, href);
			s->set = 1;
		}
	}
	free(href);
}

/* CDF puts an item's link and date in attributes: HREF, LASTMOD. */
static void
cdf_attrs(struct state *st, const xmlChar **attrs, int nattr, int channel)
{
	char *href = attr_dup(attrs, nattr, NS_OTHER, st, "HREF");
	char *mod = attr_dup(attrs, nattr, NS_OTHER, st, "LASTMOD");

	if (channel) {
		st->chan_depth = 1;
		if (href)
			buf_puts(&st->ch->link, href);
		if (mod)
			buf_puts(&st->ch->updated, mod);
	} else {
		if (href) {
			buf_puts(&st->item.slot[S_LINK].text, href);
			st->item.slot[S_LINK].set = 1;
		}
		if (mod) {
			buf_puts(&st->item.slot[S_AUPDATED].text, mod);
			st->item.slot[S_AUPDATED].set = 1;
		}
	}
	free(href);
	free(mod);
}

static void
start_root(struct state *st, const char *name, const struct tag *t)
{
	st->root_seen = 1;
	if (st->early[0])
		report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt), "%s", st->early);
	if (t && t->action == A_ROOT)
		return;
	if (!strcmp(name, "channel") || !strcmp(name, "feed") || !strcmp(name, "rss") ||
	    (t && t->action == A_CHANNEL))
		return;
	report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
	       "not a feed (the root element is <%s>)", name);
	st->stopped = 1;
	xmlStopParser(st->ctxt);
}

/*
 * Inside a captured element: child elements are kept as HTML markup, and
 * the text around them escaped, unless the element is declared HTML: then
 * the child is a mistake (TypePad wraps escaped HTML in an XHTML <div>)
 * and its text is the escaped HTML it holds.
 */
static void
markup_start(struct state *st, const char *name, const xmlChar **attrs, int nattr)
{
	struct buf *b = st->cap;
	int i;

	if (!st->cap_markup && !st->cap_html) {
		struct buf esc = { 0 };
		size_t j;
		for (j = 0; j < b->len; j++) {
			if (b->s[j] == '<')
				buf_puts(&esc, "&lt;");
			else if (b->s[j] == '&')
				buf_puts(&esc, "&amp;");
			else
				buf_putc(&esc, b->s[j]);
		}
		buf_reset(b);
		if (esc.len)
			buf_put(b, esc.s, esc.len);
		buf_free(&esc);
	}
	if (!st->cap_markup) {
		st->cap_markup = 1;
		if (st->cap_kind)
			*st->cap_kind = TK_HTML;
	}
	if (!cap_room(st, strlen((const char *)name) + 2))
		return;
	buf_printf(b, "<%s", name);
	for (i = 0; i < nattr; i++, attrs += 5) {
		if (!cap_room(st, strlen((const char *)attrs[0]) + (size_t)(attrs[4] - attrs[3]) + 5))
			break;	/* attributes count against the element's text too */
		buf_printf(b, " %s=\"", (const char *)attrs[0]);
		buf_put(b, (const char *)attrs[3], (size_t)(attrs[4] - attrs[3]));
		buf_putc(b, '"');
	}
	buf_putc(b, '>');
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattr,
    int ndefaulted, const xmlChar **attrs)
{
	struct state *st = ctx;
	const char *name = (const char *)localname;
	struct frame *f;
	const struct tag *t;
	enum ns ns;
	const char *xb;
	size_t len = 0;
	int parent_item, parent_chan;

	(void)nns; (void)nss; (void)ndefaulted;
	if (st->stopped)
		return;
	if (prefix && !uri)
		uri = undeclared_prefix(st, prefix);
	undeclared_attr_prefixes(st, attrs, nattr);
	if (st->depth >= MAXDEPTH) {
		/* the push parser has no depth limit of its own in libxml2 2.9 */
		report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
		       "elements nested more than %d deep; the rest is skipped", MAXDEPTH);
		st->stopped = 1;
		xmlStopParser(st->ctxt);
		return;
	}
	f = &st->stack[st->depth];
	f->base = base_of(st) ? (char *)base_of(st) : NULL;
	f->own_base = 0;
	f->in_item = 0;
	f->name = name;
	if ((xb = attr(attrs, nattr, NS_XML, st, "base", &len))) {
		char *v = estrndup(xb, len);
		xmlChar *abs = f->base ? xmlBuildURI((const xmlChar *)v, (const xmlChar *)f->base) : NULL;
		f->base = abs ? estrdup((const char *)abs) : v;
		if (abs) {
			xmlFree(abs);
			free(v);
		}
		f->own_base = 1;
	}
	if (st->depth == 0 && !strcmp(name, "feed") && !uri)
		st->atom_nons = 1;	/* Atom 0.x drafts and sloppy feeds */
	else if (st->depth == 0 && !strcmp(name, "feed"))
		st->atom_uri = uri;	/* echo, pie, necho and other pre-1.0 names */
	ns = classify_ns(st, uri);
	t = lookup(ns, name);
	if (!t && ns == NS_RSS)
		t = lookup_rss_anycase(name);
	f->tag = t;
	st->depth++;

	if (st->cap) {
		markup_start(st, name, attrs, nattr);
		return;
	}
	if (st->depth == 1) {
		start_root(st, name, t);
		if (st->stopped)
			return;	/* xmlStopParser freed the input attrs points into */
		if (t && t->action == A_CHANNEL)
			cdf_attrs(st, attrs, nattr, 1);	/* Microsoft's CDF: the root is the channel */
		if (!st->chan_depth && t && ns == NS_ATOM)
			st->chan_depth = 1;
		if (ns == NS_ATOM && !st->ch->language.len &&
		    (xb = attr(attrs, nattr, NS_XML, st, "lang", &len)))
			buf_put(&st->ch->language, xb, len);
		return;
	}
	if (st->skip_depth || !t)
		return;
	parent_item = st->item_depth && st->depth == st->item_depth + 1;
	parent_chan = !st->item_depth && st->chan_depth && st->depth == st->chan_depth + 1;

	if (t->action == A_ITEM && !st->item_depth) {
		item_reset(&st->item);
		st->item_depth = st->depth;
		if (*name == 'I')
			cdf_attrs(st, attrs, nattr, 0);
		return;
	}
	if (t->action == A_CHANNEL && !st->item_depth && st->depth == 2) {
		st->chan_depth = st->depth;
		return;
	}
	if (parent_chan) {
		struct buf *b = chan_buf(st->ch, t->chan);
		if (t->action == A_ALINK)
			atom_link(st, attrs, nattr, 1);
		else if (b && !b->len) {
			enum base64 base64;
			enum textkind kind = kind_from_type(attrs, nattr, st, &base64);
			if (t->chan == C_TITLE)
				st->ch->title_kind = kind;
			capture(st, b, t->chan == C_TITLE ? &st->ch->title_kind : NULL, 0);
			st->cap_html = kind == TK_HTML;
			st->cap_base64 = base64;
		}
		return;
	}
	if (st->author_depth && st->depth == st->author_depth + 1) {
		if (t->action == A_NAME) {
			buf_reset(&st->listtext);
			capture(st, &st->listtext, NULL, 1);
		}
		return;
	}
	if (st->group_depth && st->depth == st->group_depth + 1) {
		if (t->action == A_TEXT && t->ns == NS_MEDIA)
			start_item_slot(st, t->slot, attrs, nattr);
		return;
	}
	if (!parent_item && t->action == A_ICATEGORY && st->item_depth &&
	    st->stack[st->depth - 2].tag == t)
		parent_item = 1;	/* iTunes nests subcategories */
	if (!parent_item)
		return;
	f->in_item = 1;
	switch (t->action) {
	case A_TEXT:
	case A_GUID:
		if (t->action == A_GUID && t->ns == NS_RSS) {
			const char *pl = attr(attrs, nattr, NS_OTHER, st, "isPermaLink", &len);
			if (!st->item.slot[S_GUID].set)
				st->item.guid_permalink = !(pl && len == 5 && !memcmp(pl, "false", 5));
		}
		start_item_slot(st, t->slot, attrs, nattr);
		break;
	case A_CREATOR:
	case A_CATEGORY:
	case A_IDENT:
		buf_reset(&st->listtext);
		capture(st, &st->listtext, NULL, 1);
		break;
	case A_ACATEGORY: {
		char *term = attr_dup(attrs, nattr, NS_OTHER, st, "term");
		if (term && *term)
			strlist_add(&st->item.categories, term, strlen(term));
		free(term);
		break;
	}
	case A_ICATEGORY: {
		char *text = attr_dup(attrs, nattr, NS_OTHER, st, "text");
		if (text && *text && !strlist_has(&st->item.categories, text))
			strlist_add(&st->item.categories, text, strlen(text));
		free(text);
		break;
	}
	case A_PRIMARY: {
		char *term = attr_dup(attrs, nattr, NS_OTHER, st, "term");
		struct slot_text *s = &st->item.slot[S_ARXIVPRIMARY];
		if (term && *term && !s->set) {
			buf_puts(&s->text, term);
			s->set = 1;
		}
		free(term);
		break;
	}
	case A_ALINK:
		atom_link(st, attrs, nattr, 0);
		break;
	case A_ENCLOSURE: {
		char *url = attr_dup(attrs, nattr, NS_OTHER, st, "url");
		struct slot_text *s = &st->item.slot[S_ENCLOSURE];
		if (url && *url && !s->set) {
			buf_puts(&s->text, url);
			s->set = 1;
		}
		free(url);
		break;
	}
	case A_AUTHOR:
		st->author_depth = st->depth;
		break;
	case A_GROUP:
		st->group_depth = st->depth;
		break;
	case A_SKIP:
		st->skip_depth = st->depth;
		break;
	default:
		break;
	}
}

static void
end_capture(struct state *st)
{
	const struct frame *f = &st->stack[st->depth - 1];
	const struct tag *t = f->tag;
	struct buf *lt = &st->listtext;

	if (st->cap_base64 != B64_NO && !st->cap_markup)
		base64_decode(st->cap, st->cap_base64 == B64_IF_VALID);
	st->cap = NULL;
	if (!st->cap_list) {
		if (st->cap_slot >= 0)
			st->item.slot[st->cap_slot].set = 1;
		return;
	}
	if (!lt->len)
		return;
	if (t->action == A_NAME)
		strlist_add(&st->item.atom_authors, lt->s, lt->len);
	else if (t->action == A_CREATOR)
		strlist_add(&st->item.creators, lt->s, lt->len);
	else if (t->action == A_CATEGORY) {
		struct buf clean = { 0 };
		text_line(&clean, lt->s, lt->len);
		if (clean.len && !strlist_has(&st->item.categories, clean.s))
			strlist_add(&st->item.categories, clean.s, clean.len);
		buf_free(&clean);
	} else if (t->action == A_IDENT)
		strlist_add(&st->item.identifiers, lt->s, lt->len);
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct state *st = ctx;
	struct frame *f;

	(void)prefix; (void)uri;
	if (st->stopped || st->depth == 0)
		return;
	f = &st->stack[st->depth - 1];
	if (st->cap) {
		if (st->depth == st->cap_depth)
			end_capture(st);
		else if (cap_room(st, strlen((const char *)localname) + 3))
			buf_printf(st->cap, "</%s>", (const char *)localname);
	} else if (st->depth == st->item_depth) {
		st->item_depth = 0;
		st->cb->item(st->cb->arg, &st->item, st->ch);
	} else if (st->depth == st->author_depth) {
		st->author_depth = 0;
	} else if (st->depth == st->group_depth) {
		st->group_depth = 0;
	} else if (st->depth == st->skip_depth) {
		st->skip_depth = 0;
	} else if (st->depth == st->chan_depth && st->depth > 1) {
		st->chan_depth = 0;
	}
	if (f->own_base)
		free(f->base);
	st->depth--;
}

static void
on_text(void *ctx, const xmlChar *s, int len)
{
	struct state *st = ctx;
	struct buf *b = st->cap;
	int i;

	if (!b || st->stopped || st->cap_full)
		return;
	if (!st->cap_markup || st->cap_html) {
		cap_put(st, (const char *)s, (size_t)len);
		return;
	}
	if (!cap_room(st, (size_t)len))
		return;
	for (i = 0; i < len; i++) {
		if (s[i] == '<')
			buf_puts(b, "&lt;");
		else if (s[i] == '&')
			buf_puts(b, "&amp;");
		else
			buf_putc(b, (char)s[i]);
	}
}

/* RSS 1.0 names each item in rdf:about; kept as a link of last resort. */
static void
on_start_rdf(struct state *st, const xmlChar **attrs, int nattr)
{
	char *about = attr_dup(attrs, nattr, NS_RDF, st, "about");
	struct slot_text *s = &st->item.slot[S_RDFABOUT];

	if (about && *about) {
		buf_reset(&s->text);
		buf_puts(&s->text, about);
		s->set = 1;
	}
	free(about);
}

static void
on_start_wrap(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattr,
    int ndefaulted, const xmlChar **attrs)
{
	struct state *st = ctx;
	int was_item = st->item_depth;

	on_start(ctx, localname, prefix, uri, nns, nss, nattr, ndefaulted, attrs);
	if (!was_item && st->item_depth && st->item_depth == st->depth)
		on_start_rdf(st, attrs, nattr);
}

/*
 * Undeclared entities: feeds use HTML's (&nbsp; &eacute;) without a DTD.
 * Strict XML makes them fatal; we decode them as HTML would and still
 * report them. Declared ones come from the internal subset as usual.
 */
static xmlEntityPtr html_entities[512];

/* libxml2 2.9 cannot free an entity it did not put in a DTD: keep them. */
static xmlEntityPtr unknown_entities[64];

static xmlEntityPtr
unknown_entity(const xmlChar *name)
{
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < 64 && unknown_entities[i]; i++)
		if (xmlStrEqual(unknown_entities[i]->name, name))
			return unknown_entities[i];
	if (i == 64)
		return NULL;
	buf_printf(&b, "&%s;", (const char *)name);
	unknown_entities[i] = xmlNewEntity(NULL, name, XML_INTERNAL_PREDEFINED_ENTITY,
	                                   NULL, NULL, (const xmlChar *)b.s);
	buf_free(&b);
	return unknown_entities[i];
}

/*
 * What an internal entity stands for, worked out from the declarations
 * alone: the text it expands to, the references libxml2 counts on the way,
 * and whether libxml2 would stop the whole parse while expanding it (a
 * reference inside an entity that stands for many more references than
 * the text before it, nesting deeper than 40, a loop).
 */
static const struct expansion bomb = { SIZE_MAX, SIZE_MAX, 1, 0 };

static size_t
add_size(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static struct expansion expand(struct state *st, xmlEntityPtr ent, int depth);

/* libxml2 2.9's density check (xmlParserEntityCheck): it halts the parser */
static int
too_dense(size_t refs, size_t consumed)
{
	return refs >= SIZE_MAX / 3 || (consumed <= SIZE_MAX / 10 && refs * 3 >= consumed * 10);
}

static void
add_reference(struct state *st, struct expansion *e, const char *name, size_t n,
    size_t offset, int depth)
{
	char key[256];
	xmlEntityPtr ent = NULL;
	struct expansion in;

	if (n < sizeof key && name[0] != '#') {
		memcpy(key, name, n);
		key[n] = '\0';
		ent = xmlGetDocEntity(st->ctxt->myDoc, (const xmlChar *)key);
	}
	if (!ent || ent->etype != XML_INTERNAL_GENERAL_ENTITY) {
		e->size = add_size(e->size, n + 2);	/* a character, or kept as it is */
		e->refs = add_size(e->refs, 1);
		return;
	}
	in = expand(st, ent, depth + 1);
	e->size = add_size(e->size, in.size);
	e->refs = add_size(e->refs, in.refs);
	if (in.stops || too_dense(in.refs, offset))
		e->stops = 1;
}

/* Kept per entity in st->expansions, its index + 1 in the entity's _private. */
static struct expansion
expand(struct state *st, xmlEntityPtr ent, int depth)
{
	uintptr_t slot = (uintptr_t)ent->_private;
	const char *c = (const char *)ent->content, *from = c, *semi;
	struct expansion e = { 0, 1, 0, 1 };

	if (depth > 40)
		return bomb;
	if (slot)
		return st->expansions[slot - 1].working ? bomb : st->expansions[slot - 1];
	if (st->nexpansions % 64 == 0)
		st->expansions = erealloc(st->expansions,
		                          (st->nexpansions + 64) * sizeof *st->expansions);
	slot = ++st->nexpansions;
	ent->_private = (void *)slot;
	st->expansions[slot - 1] = e;
	while (c && *c && !e.stops) {
		if (*c == '&' && (semi = strchr(c, ';'))) {
			add_reference(st, &e, c + 1, (size_t)(semi - c - 1), (size_t)(semi + 1 - from),
			              depth);
			c = semi + 1;
		} else {
			e.size = add_size(e.size, 1);
			c++;
		}
	}
	if (e.stops)
		e = bomb;
	e.working = 0;
	st->expansions[slot - 1] = e;
	return e;
}

/*
 * libxml2's own limits still let 100 KB of entity references expand to
 * 300 MB of text, and stop the parse at a bomb (the items after it lost).
 * Declared entities may add at most as much text as the document has read
 * so far, or MAXEXPAND if that is more. A reference in the document counts
 * what it expands to in full (references inside it are not counted again).
 * Past the budget, or where libxml2 would stop, it and every later one are
 * kept as the references they were: libxml2 never sees a bomb, and reads on.
 */
static int
entity_budget(struct state *st, xmlEntityPtr ent)
{
	size_t budget = st->bytes_in > MAXEXPAND ? st->bytes_in : MAXEXPAND;
	long consumed = xmlByteConsumed(st->ctxt);
	struct expansion e;

	if (st->ctxt->depth > 0)
		return 1;	/* inside an entity counted already */
	e = st->over_budget ? bomb : expand(st, ent, 0);
	if (!e.stops && e.size <= budget && st->expanded + e.size <= budget &&
	    !too_dense(e.refs, (size_t)(consumed > 0 ? consumed : 0))) {
		st->expanded += e.size;
		return 1;
	}
	st->over_budget = 1;
	report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
	       "entities expand to more text than the document holds; "
	       "the rest are kept as references");
	return 0;
}

static xmlEntityPtr
on_get_entity(void *ctx, const xmlChar *name)
{
	struct state *st = ctx;
	xmlEntityPtr ent;
	const htmlEntityDesc *d;
	struct buf b = { 0 };
	size_t slot;

	/*
	 * libxml2 2.9 drops every entity reference, &amp; included, once the
	 * document is known not to be well-formed (xmlParseReference checks
	 * ctxt->wellFormed after resolving the name). With XML_PARSE_OLDSAX
	 * every reference is resolved here first, so it is set back: the
	 * error itself was reported already.
	 */
	st->ctxt->wellFormed = 1;
	ent = xmlSAX2GetEntity(st->ctxt, name);
	if (ent && ent->etype == XML_INTERNAL_GENERAL_ENTITY && !st->ctxt->inSubset &&
	    !entity_budget(st, ent))
		return unknown_entity(name);

	if (ent && ent->etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY && !st->ctxt->inSubset)
		report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
		       "external entity '%s' not read (never loaded)", (const char *)name);
	if (ent || st->ctxt->inSubset)
		return ent;
	if (!(d = htmlEntityLookup(name))) {
		/* kept as the text it was: "&doesnotexist;" */
		report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
		       "entity '%s' not defined (kept as text)", (const char *)name);
		return unknown_entity(name);
	}
	slot = (size_t)(d - htmlEntityLookup((const xmlChar *)"quot"));
	if (slot >= sizeof html_entities / sizeof *html_entities)
		return NULL;
	if (!html_entities[slot]) {
		utf8_put(&b, d->value);
		html_entities[slot] = xmlNewEntity(NULL, name, XML_INTERNAL_PREDEFINED_ENTITY,
		                                   NULL, NULL, (const xmlChar *)b.s);
		buf_free(&b);
	}
	report(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt),
	       "entity '%s' not defined (read as HTML's)", (const char *)name);
	return html_entities[slot];
}

/*
 * What libxml2 prints without a parser context (its "encoding error"
 * lines, say) goes to the document being read, as one message a line,
 * never raw to stderr.
 */
static struct state *current;
static struct buf generic;

static void
on_generic_error(void *ctx, const char *fmt, ...)
{
	char piece[512];
	va_list ap;
	char *nl;

	(void)ctx;
	va_start(ap, fmt);
	vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	if (generic.len < 4096)
		buf_puts(&generic, piece);
	while (generic.len && (nl = memchr(generic.s, '\n', generic.len))) {
		*nl = '\0';
		if (current && nl > generic.s)
			report(current, current->ctxt ?
			       (unsigned long)xmlSAX2GetLineNumber(current->ctxt) : 0,
			       "%s", generic.s);
		generic.len -= (size_t)(nl + 1 - generic.s);
		memmove(generic.s, nl + 1, generic.len + 1);
	}
}

static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url; (void)id; (void)ctxt;
	return NULL;
}

void
feed_init(void)
{
	size_t i;

	for (i = 1; i < sizeof tags / sizeof *tags; i++)
		if (tagcmp(&tags[i - 1], &tags[i]) >= 0)
			eprintf("feed.c: tags[] out of order at %s", tags[i].name);
	for (i = 1; i < sizeof known_prefixes / sizeof *known_prefixes; i++)
		if (strcmp(known_prefixes[i - 1].prefix, known_prefixes[i].prefix) >= 0)
			eprintf("feed.c: known_prefixes[] out of order at %s", known_prefixes[i].prefix);
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_entity);
	xmlSetGenericErrorFunc(NULL, on_generic_error);
}

/* libxml2's own handlers keep the DTD's entities; they want the context. */
static void
on_start_document(void *ctx)
{
	xmlSAX2StartDocument(((struct state *)ctx)->ctxt);
}

static void
on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *id,
    const xmlChar *sys)
{
	xmlSAX2InternalSubset(((struct state *)ctx)->ctxt, name, id, sys);
}

static void
on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *id,
    const xmlChar *sys, xmlChar *content)
{
	xmlSAX2EntityDecl(((struct state *)ctx)->ctxt, name, type, id, sys, content);
}

static xmlEntityPtr
on_get_parameter_entity(void *ctx, const xmlChar *name)
{
	return xmlSAX2GetParameterEntity(((struct state *)ctx)->ctxt, name);
}

static void
init_sax(xmlSAXHandler *sax)
{
	memset(sax, 0, sizeof *sax);
	sax->initialized = XML_SAX2_MAGIC;
	sax->startDocument = on_start_document;
	sax->internalSubset = on_internal_subset;
	sax->entityDecl = on_entity_decl;
	sax->getEntity = on_get_entity;
	sax->getParameterEntity = on_get_parameter_entity;
	sax->startElementNs = on_start_wrap;
	sax->endElementNs = on_end;
	sax->characters = on_text;
	sax->cdataBlock = on_text;
	sax->serror = on_xml_error;
}

static void
on_recode_report(void *arg, unsigned long line, const char *msg)
{
	report(arg, line, "%s", msg);
}

/* Bytes to UTF-8 (recode), bare '&' escaped (ampfix), then to libxml2. */
static void
parse_chunk(struct state *st, struct recode *rc, struct ampfix *af,
    const char *s, size_t n, int final)
{
	const char *u, *o;
	size_t un, on;

	st->bytes_in += n;
	recode_chunk(rc, s, n, final, &u, &un);
	ampfix_chunk(af, u, un, final, &o, &on);
	while (on > 0 && !st->stopped) {
		int k = on > (1u << 30) ? 1 << 30 : (int)on;
		xmlParseChunk(st->ctxt, o, k, 0);
		o += k;
		on -= (size_t)k;
	}
}

int
feed_parse_xml(FILE *fp, const char *head, size_t nhead, struct channel *ch,
    const struct feed_callbacks *cb)
{
	xmlSAXHandler sax;
	struct state *st = ecalloc(1, sizeof *st);
	struct ampfix fix = { { 0 }, { 0 }, { 0 }, 0 };
	struct recode rc;
	char *chunk = emalloc(CHUNK);
	size_t n, bom;
	int errors;

	init_sax(&sax);
	st->cb = cb;
	st->ch = ch;
	current = st;
	st->ctxt = xmlCreatePushParserCtxt(&sax, st, NULL, 0, NULL);
	if (!st->ctxt)
		eprintf("cannot create an XML parser");
	/* recode gives UTF-8 whatever the declaration says */
	xmlCtxtUseOptions(st->ctxt, XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOCDATA |
	                   XML_PARSE_OLDSAX | XML_PARSE_IGNORE_ENC);
	bom = recode_init(&rc, head, nhead, on_recode_report, st);
	parse_chunk(st, &rc, &fix, head + bom, nhead - bom, 0);
	while (!st->stopped && (n = fread(chunk, 1, CHUNK, fp)) > 0)
		parse_chunk(st, &rc, &fix, chunk, n, 0);
	if (ferror(fp))
		report(st, 0, "read error: %s", strerror(errno));
	if (!st->stopped) {
		parse_chunk(st, &rc, &fix, NULL, 0, 1);
		st->ending = 1;
		xmlParseChunk(st->ctxt, NULL, 0, 1);
	}
	if (!st->root_seen && !st->stopped)
		report(st, 1, "not a feed (no XML root element%s%s)",
		       st->early[0] ? ": " : "", st->early);
	while (st->depth > 0) {
		if (st->stack[st->depth - 1].own_base)
			free(st->stack[st->depth - 1].base);
		st->depth--;
	}
	if (st->ctxt->myDoc)
		xmlFreeDoc(st->ctxt->myDoc);
	xmlFreeParserCtxt(st->ctxt);
	item_free(&st->item);
	free(st->expansions);
	buf_free(&st->listtext);
	ampfix_free(&fix);
	recode_free(&rc);
	errors = st->errors;
	current = NULL;
	buf_reset(&generic);
	free(st);
	free(chunk);
	return errors;
}

static int
looks_like_json(const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && is_space((unsigned char)s[i]))
		i++;
	return i < n && s[i] == '{';
}

int
feed_parse(FILE *fp, struct channel *ch, const struct feed_callbacks *cb)
{
	char head[256];
	size_t n = fread(head, 1, sizeof head, fp), skip = 0;

	if (n == 0) {
		cb->error(cb->arg, 0, "empty input (not a feed)");
		return 1;
	}
	if (looks_like_json(head, n))
		return feed_parse_json(fp, head, n, ch, cb);
	/* PHP-made feeds often start with a blank line before "<?xml" */
	while (skip < n && is_space((unsigned char)head[skip]))
		skip++;
	if (skip == n && n == sizeof head) {
		skip = 0;	/* a lot of white space: let the parser say so */
	}
	return feed_parse_xml(fp, head + skip, n - skip, ch, cb);
}
