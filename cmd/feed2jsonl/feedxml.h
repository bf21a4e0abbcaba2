/*
 * feedxml.h: the modules of the XML feed reader (RSS, RDF, Atom) behind
 * feed_parse_xml, and the parse state they share. One section a module:
 *
 *	feed.c     the push parser: bytes in, the SAX handlers, the document's end
 *	names.c    (namespace, element) to what it fills; undeclared prefixes
 *	attr.c     attribute values
 *	element.c  the start and end handlers: which element fills what
 *	atom.c     what Atom puts in attributes (links, categories, the root)
 *	rss.c      what RSS, RDF and CDF put in attributes
 *	capture.c  an element's text (and markup) into the field it fills
 *	entity.c   entity references: undeclared, HTML's, and bombs
 *	problem.c  problems in the document, said once and at most MAXERRORS
 */
#ifndef FEEDPIPE_FEEDXML_H
#define FEEDPIPE_FEEDXML_H

#include <libxml/parser.h>
#include <stddef.h>

#include "buf.h"
#include "feed.h"
#include "item.h"

#define MAXDEPTH 256
#define MAXPREFIXES 16	/* undeclared prefixes reported, per document */

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

struct frame {
	const struct tag *tag;	/* NULL for elements we do not know */
	const char *name;
	char *base;		/* xml:base in scope */
	int own_base;
	int in_item;		/* the element is an item's direct child */
};

/* What a declared entity stands for (see entity.c). */
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

/* names.c */
void names_check(void);		/* the tables are sorted, or exit */
enum ns names_ns(struct state *st, const xmlChar *uri);
enum ns names_attr_ns(struct state *st, const xmlChar **a);
/* The element's tag; RSS's also in another case (<Title>). NULL if none. */
const struct tag *names_lookup(enum ns ns, const char *name);
/* The namespace of a prefix used undeclared; reported once a prefix. */
const xmlChar *names_undeclared(struct state *st, const xmlChar *prefix);
void names_undeclared_attrs(struct state *st, const xmlChar **attrs, int n);

/* attr.c: SAX2 attributes, five pointers each; ns NS_OTHER for any */
const char *attr_get(const xmlChar **attrs, int n, enum ns ns, struct state *st,
    const char *name, size_t *len);
/* A copy, with "&#38;" read as '&'; NULL if absent or too long (reported). */
char *attr_dup(const xmlChar **attrs, int n, enum ns ns, struct state *st,
    const char *name);

/* element.c: libxml2's startElementNs and endElementNs */
void element_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattr,
    int ndefaulted, const xmlChar **attrs);
void element_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri);
const char *element_base(const struct state *st);	/* xml:base in scope */

/* atom.c */
void atom_root(struct state *st, const struct tag *t, const xmlChar **attrs, int nattr);
void atom_link(struct state *st, const xmlChar **attrs, int nattr, int channel);
void atom_category(struct state *st, const xmlChar **attrs, int nattr);

/* rss.c */
void rss_guid(struct state *st, const xmlChar **attrs, int nattr);
void rss_enclosure(struct state *st, const xmlChar **attrs, int nattr);
void rss_cdf(struct state *st, const xmlChar **attrs, int nattr, int channel);
void rss_rdf_about(struct state *st, const xmlChar **attrs, int nattr);

/* capture.c */
void capture_list(struct state *st);	/* into st->listtext */
void capture_slot(struct state *st, int slot, const xmlChar **attrs, int nattr);
/* A channel field: title says it is the title (its kind is kept) */
void capture_channel(struct state *st, struct buf *b, int title,
    const xmlChar **attrs, int nattr);
/* libxml2's characters and cdataBlock */
void capture_text(void *ctx, const xmlChar *s, int len);
void capture_markup(struct state *st, const char *name, const xmlChar **attrs, int nattr);
void capture_close_tag(struct state *st, const char *name);
void capture_end(struct state *st);

/* entity.c: libxml2's getEntity */
xmlEntityPtr entity_get(void *ctx, const xmlChar *name);

/* problem.c */
void problem_report(struct state *st, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ... at the line the parser is on */
void problem_here(struct state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* libxml2's structured errors (serror) */
void problem_xml(void *ctx, xmlErrorPtr err);
/* libxml2's messages without a context go to the document being read */
void problem_generic(void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void problem_watch(struct state *st);	/* st, or NULL when it is done */

#endif
