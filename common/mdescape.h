/* mdescape.h: writing Markdown that shows untrusted text as the literal text,
 * in CommonMark and GitHub, whatever the text holds.
 *
 * A struct mdout collects output and follows enough of CommonMark's block
 * structure to know where a value lands: inside an HTML tag of the template
 * (escaped as an HTML attribute), in a raw HTML block (escaped as HTML
 * text, on one line), or in Markdown text (escaped as Markdown). Where it
 * cannot tell, it takes Markdown: that is always safe. */
#ifndef FEEDPIPE_MDESCAPE_H
#define FEEDPIPE_MDESCAPE_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"

/*
 * Markdown text: ASCII punctuation CommonMark would act on gets a
 * backslash (\[ \] \| \~, \* and \_ unless they cannot be emphasis, #
 * that could open or close a heading, \ before punctuation or at the
 * end); a run of backticks that a run as long follows becomes &#96;s;
 * "<" before a letter, "/", "!" or "?" becomes "&lt;", and "&" that
 * starts an entity "&amp;"; a line start ("bol", also after a newline in
 * s) loses its block meaning (# > - + = * _ 1. ``` ~~~). TeX in $...$ or
 * $$...$$ on one line is kept as it is, but for "<", "&", "](" and
 * backticks. Words starting http://, https:// or mailto: keep their
 * _ and ~. A CR or CRLF becomes LF.
 */
void md_escape(struct buf *out, const char *s, size_t n, int bol);
/* HTML text (attr = 0) or attribute value (attr = 1): & < > (and " ')
 * as references, line breaks as spaces. */
void md_escape_html(struct buf *out, const char *s, size_t n, int attr);

struct mdout {
	FILE *fp;		/* complete lines go here now and then; NULL: keep all */
	struct buf b;		/* what is not yet written; the current line at b.s + line */
	size_t line;
	int html;		/* the HTML block type (1-7) the current line is in */
	int prevblank;		/* the line before was blank (or there was none) */
	char fence;		/* the current fenced code block's ` or ~, or 0 */
	size_t fencelen;
	int tag;		/* inside a tag of the template: 0, 1, or the quote */
	int error;		/* a write failed: its errno */
};

void md_init(struct mdout *o, FILE *fp);
/* Template text, as it is. */
void md_text(struct mdout *o, const char *s, size_t n);
/* A value: as it is if raw, else escaped for where it lands. */
void md_value(struct mdout *o, const char *s, size_t n, int raw);
/* Write out what is left; -1 if a write failed (errno in error). */
int md_flush(struct mdout *o);
void md_free(struct mdout *o);

#endif
