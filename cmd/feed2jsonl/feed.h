/* feed.h: RSS, RDF, Atom and JSON Feed documents to items. */
#ifndef FEEDPIPE_FEED_H
#define FEEDPIPE_FEED_H

#include <stdio.h>

#include "item.h"

struct feed_callbacks {
	/* One complete item; the channel holds what is known so far. */
	void (*item)(void *arg, struct item *it, const struct channel *ch);
	/* One problem in the document (line 0 when unknown). */
	void (*error)(void *arg, unsigned long line, const char *msg);
	void *arg;
};

/*
 * Parse one feed document read from fp, detecting its format from its
 * contents. The channel is filled as the document goes. Returns the number
 * of problems reported through cb->error (0 for a clean document).
 */
int feed_parse(FILE *fp, struct channel *ch, const struct feed_callbacks *cb);

/* The XML and JSON parsers behind feed_parse; head is what was read so far. */
int feed_parse_xml(FILE *fp, const char *head, size_t nhead, struct channel *ch,
                   const struct feed_callbacks *cb);
int feed_parse_json(FILE *fp, const char *head, size_t nhead, struct channel *ch,
                    const struct feed_callbacks *cb);

/* Refuse every external entity and DTD: call once before parsing. */
void feed_init(void);

#endif
