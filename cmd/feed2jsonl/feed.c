/*
 * feed.c: a feed document to items. JSON Feed goes to jsonfeed.c; RSS
 * 0.9x/2.0, RSS 1.0 (RDF) and Atom through libxml2's SAX2 push parser,
 * whose handlers live in the modules feedxml.h lists. The bytes are
 * recoded to UTF-8 (recode.c) and bare '&' escaped (ampfix.c) on the way.
 */
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ampfix.h"
#include "feedxml.h"
#include "recode.h"
#include "text.h"
#include "util.h"

#define CHUNK (64u << 10)

static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url; (void)id; (void)ctxt;
	return NULL;
}

void
feed_init(void)
{
	names_check();
	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_entity);
	xmlSetGenericErrorFunc(NULL, problem_generic);
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
	sax->getEntity = entity_get;
	sax->getParameterEntity = on_get_parameter_entity;
	sax->startElementNs = element_start;
	sax->endElementNs = element_end;
	sax->characters = capture_text;
	sax->cdataBlock = capture_text;
	sax->serror = problem_xml;
}

static void
on_recode_report(void *arg, unsigned long line, const char *msg)
{
	problem_report(arg, line, "%s", msg);
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

/* The whole document through the parser, its last chunk marked final. */
static void
read_document(struct state *st, FILE *fp, const char *head, size_t nhead)
{
	struct ampfix fix = { { 0 }, { 0 }, { 0 }, 0 };
	struct recode rc;
	char *chunk = emalloc(CHUNK);
	size_t n, bom;

	bom = recode_init(&rc, head, nhead, on_recode_report, st);
	parse_chunk(st, &rc, &fix, head + bom, nhead - bom, 0);
	while (!st->stopped && (n = fread(chunk, 1, CHUNK, fp)) > 0)
		parse_chunk(st, &rc, &fix, chunk, n, 0);
	if (ferror(fp))
		problem_report(st, 0, "read error: %s", strerror(errno));
	if (!st->stopped) {
		parse_chunk(st, &rc, &fix, NULL, 0, 1);
		st->ending = 1;
		xmlParseChunk(st->ctxt, NULL, 0, 1);
	}
	ampfix_free(&fix);
	recode_free(&rc);
	free(chunk);
}

static void
state_free(struct state *st)
{
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
	problem_watch(NULL);
	free(st);
}

int
feed_parse_xml(FILE *fp, const char *head, size_t nhead, struct channel *ch,
    const struct feed_callbacks *cb)
{
	xmlSAXHandler sax;
	struct state *st = ecalloc(1, sizeof *st);
	int errors;

	init_sax(&sax);
	st->cb = cb;
	st->ch = ch;
	problem_watch(st);
	st->ctxt = xmlCreatePushParserCtxt(&sax, st, NULL, 0, NULL);
	if (!st->ctxt)
		eprintf("cannot create an XML parser");
	/* recode gives UTF-8 whatever the declaration says */
	xmlCtxtUseOptions(st->ctxt, XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOCDATA |
	    XML_PARSE_OLDSAX | XML_PARSE_IGNORE_ENC);
	read_document(st, fp, head, nhead);
	if (!st->root_seen && !st->stopped)
		problem_report(st, 1, "not a feed (no XML root element%s%s)",
		    st->early[0] ? ": " : "", st->early);
	errors = st->errors;
	state_free(st);
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
