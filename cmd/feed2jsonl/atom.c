/*
 * atom.c: what Atom puts in attributes: an entry's links (which of them
 * is its page, its DOI, its enclosure), its category terms, and the feed's
 * language on its root.
 */
#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>

#include "feedxml.h"
#include "util.h"

/* The feed's root: the channel itself, its xml:lang the language. */
void
atom_root(struct state *st, const struct tag *t, const xmlChar **attrs, int nattr)
{
	const char *lang;
	size_t len = 0;

	if (!st->chan_depth && t)
		st->chan_depth = 1;
	if (!st->ch->language.len && (lang = attr_get(attrs, nattr, NS_XML, st, "lang", &len)))
		buf_put(&st->ch->language, lang, len);
}

static int
is_alternate(const char *rel, size_t rlen)
{
	return !rel || (rlen == 9 && !memcmp(rel, "alternate", 9));
}

/* The item slot a link fills, from its rel and title; -1 for none. */
static int
link_slot(const char *rel, size_t rlen, const char *title, size_t tlen)
{
	if (tlen == 3 && !memcmp(title, "doi", 3))
		return S_ALINKDOI;
	if (is_alternate(rel, rlen))
		return S_ALINK;
	if (rlen == 9 && !memcmp(rel, "enclosure", 9))
		return S_ENCLOSURE;
	if ((rlen == 7 && !memcmp(rel, "related", 7)) || (rlen == 3 && !memcmp(rel, "via", 3)))
		return S_ALINK_ANY;
	return -1;	/* self, edit, replies, ...: not the item's page */
}

/* href made absolute against the xml:base in scope, if there is one. */
static char *
absolute_href(const struct state *st, char *href)
{
	xmlChar *abs = element_base(st) ?
	    xmlBuildURI((const xmlChar *)href, (const xmlChar *)element_base(st)) : NULL;

	if (abs) {
		free(href);
		href = estrdup((const char *)abs);
		xmlFree(abs);
	}
	return href;
}

static void
item_link(struct state *st, int slot, const char *href)
{
	struct slot_text *s = &st->item.slot[slot];

	if (!s->set) {
		buf_reset(&s->text);
		buf_puts(&s->text, href);
		s->set = 1;
	}
}

void
atom_link(struct state *st, const xmlChar **attrs, int nattr, int channel)
{
	size_t len = 0;
	const char *rel = attr_get(attrs, nattr, NS_OTHER, st, "rel", &len);
	size_t rlen = rel ? len : 0;
	const char *title = attr_get(attrs, nattr, NS_OTHER, st, "title", &len);
	size_t tlen = title ? len : 0;
	char *href = attr_dup(attrs, nattr, NS_OTHER, st, "href");
	int slot;

	if (!href) {
		/* <link>http://...</link> in Atom: old feeds do it */
		if (!channel && is_alternate(rel, rlen))
			capture_slot(st, S_ALINK, attrs, nattr);
		return;
	}
	href = absolute_href(st, href);
	if (channel) {
		if (is_alternate(rel, rlen) && !st->ch->link.len)
			buf_puts(&st->ch->link, href);
	} else if ((slot = link_slot(rel, rlen, title, tlen)) >= 0) {
		item_link(st, slot, href);
	}
	free(href);
}

void
atom_category(struct state *st, const xmlChar **attrs, int nattr)
{
	char *term = attr_dup(attrs, nattr, NS_OTHER, st, "term");

	if (term && *term)
		strlist_add(&st->item.categories, term, strlen(term));
	free(term);
}
