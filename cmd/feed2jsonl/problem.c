/*
 * problem.c: what is wrong in a document, through the caller's error
 * callback: each message once in a row (an entity bomb says the same thing
 * many times), at most MAXERRORS of them, then that the rest are not shown.
 */
#include <libxml/SAX2.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "feedxml.h"

#define MAXERRORS 10

static void
vreport(struct state *st, unsigned long line, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof msg, fmt, ap);
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

void
problem_report(struct state *st, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(st, line, fmt, ap);
	va_end(ap);
}

void
problem_here(struct state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(st, (unsigned long)xmlSAX2GetLineNumber(st->ctxt), fmt, ap);
	va_end(ap);
}

void
problem_xml(void *ctx, xmlErrorPtr err)
{
	struct state *st = ctx;
	char msg[400];
	size_t n;

	if (!err || err->level == XML_ERR_WARNING || st->stopped)
		return;
	if (err->domain == XML_FROM_NAMESPACE && err->code == XML_NS_ERR_UNDEFINED_NAMESPACE)
		return;		/* names_undeclared says it, with what it is read as */
	if (st->ending && st->depth > 0) {
		/* libxml2 says "Extra content" or "Premature end"; say what was cut */
		const char *open = st->stack[st->depth - 1].name;
		if (st->ending++ == 1)
			problem_report(st, (unsigned long)(err->line > 0 ? err->line : 0),
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
	problem_report(st, (unsigned long)(err->line > 0 ? err->line : 0), "%s", msg);
}

/*
 * What libxml2 prints without a parser context (its "encoding error"
 * lines, say) goes to the document being read, as one message a line,
 * never raw to stderr.
 */
static struct state *current;
static struct buf generic;

void
problem_generic(void *ctx, const char *fmt, ...)
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
			problem_report(current, current->ctxt ?
			    (unsigned long)xmlSAX2GetLineNumber(current->ctxt) : 0,
			    "%s", generic.s);
		generic.len -= (size_t)(nl + 1 - generic.s);
		memmove(generic.s, nl + 1, generic.len + 1);
	}
}

void
problem_watch(struct state *st)
{
	current = st;
	if (!st)
		buf_reset(&generic);
}
