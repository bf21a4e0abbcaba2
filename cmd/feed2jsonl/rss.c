/*
 * rss.c: what RSS and its relatives put in attributes: whether a guid is
 * the item's page, an enclosure's URL, CDF's links and dates, RDF's names.
 */
#include <stdlib.h>
#include <string.h>

#include "feedxml.h"

/* <guid isPermaLink="false">: the guid is not the item's page. */
void
rss_guid(struct state *st, const xmlChar **attrs, int nattr)
{
	size_t len = 0;
	const char *pl = attr_get(attrs, nattr, NS_OTHER, st, "isPermaLink", &len);

	if (!st->item.slot[S_GUID].set)
		st->item.guid_permalink = !(pl && len == 5 && !memcmp(pl, "false", 5));
}

void
rss_enclosure(struct state *st, const xmlChar **attrs, int nattr)
{
	char *url = attr_dup(attrs, nattr, NS_OTHER, st, "url");
	struct slot_text *s = &st->item.slot[S_ENCLOSURE];

	if (url && *url && !s->set) {
		buf_puts(&s->text, url);
		s->set = 1;
	}
	free(url);
}

/* CDF puts an item's link and date in attributes: HREF, LASTMOD. */
void
rss_cdf(struct state *st, const xmlChar **attrs, int nattr, int channel)
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

/* RSS 1.0 names each item in rdf:about; kept as a link of last resort. */
void
rss_rdf_about(struct state *st, const xmlChar **attrs, int nattr)
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
