/*
 * entity.c: entity references. Feeds use HTML's (&nbsp; &eacute;) without
 * a DTD, and some declare entities that expand to far more text than the
 * document holds; external entities are never loaded.
 */
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <stdint.h>
#include <string.h>

#include "feedxml.h"
#include "text.h"
#include "util.h"

#define MAXEXPAND (1u << 20)	/* text declared entities may always add */

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
	problem_here(st, "entities expand to more text than the document holds; "
	    "the rest are kept as references");
	return 0;
}

xmlEntityPtr
entity_get(void *ctx, const xmlChar *name)
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
		problem_here(st, "external entity '%s' not read (never loaded)", (const char *)name);
	if (ent || st->ctxt->inSubset)
		return ent;
	if (!(d = htmlEntityLookup(name))) {
		/* kept as the text it was: "&doesnotexist;" */
		problem_here(st, "entity '%s' not defined (kept as text)", (const char *)name);
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
	problem_here(st, "entity '%s' not defined (read as HTML's)", (const char *)name);
	return html_entities[slot];
}
