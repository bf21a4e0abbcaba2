/*
 * item.h: one feed item as the parsers collect it (raw text per source
 * element), and the step that turns it into a feedpipe record.
 */
#ifndef FEEDPIPE_ITEM_H
#define FEEDPIPE_ITEM_H

#include <stddef.h>

#include "buf.h"

/* Where a value came from; the order within a group is the priority. */
enum slot {
	S_TITLE, S_DCTITLE, S_MEDIATITLE,
	S_LINK, S_ALINK, S_ALINK_ANY, S_RDFABOUT, S_JSONEXTURL,
	S_GUID,
	S_DESC, S_DCDESC, S_CONTENT, S_BODY, S_ASUMMARY, S_ACONTENT, S_MEDIADESC,
	S_ITUNESSUMMARY, S_ABSTRACT,
	S_PUBDATE, S_DCDATE, S_APUBLISHED, S_AISSUED, S_DCTISSUED, S_PRISMPUBDATE,
	S_AUPDATED, S_AMODIFIED, S_DCTMODIFIED,
	S_PRISMDOI, S_DCIDENT, S_ARXIVDOI, S_ALINKDOI,
	S_PUBNAME, S_DCSOURCE, S_ARXIVJREF, S_PRISMVOLUME,
	S_ARXIVANNOUNCE, S_ARXIVPRIMARY,
	S_RSSAUTHOR,
	S_ENCLOSURE,	/* RSS enclosure url, Atom rel="enclosure": never the link */
	S_NSLOTS
};

/* How a slot's text is to be read. */
enum textkind {
	TK_SNIFF = 0,	/* HTML if it looks like HTML */
	TK_TEXT,	/* plain text, never HTML (Atom type="text") */
	TK_HTML,	/* HTML (type="html", or it held child elements) */
};

struct strlist {
	char **v;
	size_t n, cap;
};

void strlist_add(struct strlist *l, const char *s, size_t n);
void strlist_clear(struct strlist *l);
void strlist_free(struct strlist *l);
int strlist_has(const struct strlist *l, const char *s);

struct slot_text {
	struct buf text;
	enum textkind kind;
	int set;
	char *base;	/* xml:base in scope, for links and HTML */
};

struct item {
	struct slot_text slot[S_NSLOTS];
	struct strlist creators;	/* dc:creator, each maybe packed */
	struct strlist atom_authors;	/* atom:author/name, JSON authors */
	struct strlist categories;
	struct strlist identifiers;	/* dc:identifier, all of them */
	int guid_permalink;		/* RSS guid without isPermaLink="false" */
};

/* What the channel (feed) says about itself. */
struct channel {
	struct buf title, link, description, language, updated, pubdate;
	enum textkind title_kind;
};

struct record_opts {
	const char *source;	/* --source */
	int keep_html;		/* --keep-html */
};

void item_reset(struct item *it);
void item_free(struct item *it);
void channel_reset(struct channel *ch);
void channel_free(struct channel *ch);

/* Set a slot unless a value is there already (first one wins). */
struct slot_text *item_slot(struct item *it, enum slot s);

/* Turn an item into one JSON record line (with '\n') appended to out. */
void item_to_record(struct buf *out, struct item *it, const struct channel *ch,
                    const struct record_opts *opts);
/* Free what item_to_record keeps between calls. */
void record_cleanup(void);
/* The --channel object line appended to out. */
void channel_to_json(struct buf *out, const struct channel *ch);

#endif
