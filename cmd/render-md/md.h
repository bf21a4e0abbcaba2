/* md.h: writing Markdown that shows untrusted text as the literal text,
 * in CommonMark and GitHub, whatever the text holds.
 *
 * A struct mdout collects output and follows, through everything written
 * (template text and values alike), where the next value lands: in HTML
 * markup (a tag's name, an attribute's name or value, quoted or not, a
 * comment, <script> or <style>), in a raw HTML block, in a Markdown link
 * destination or title, or in Markdown text; and escapes it for there.
 * Every escape is also safe as Markdown text, so that where the tracking is
 * wrong the value is still inert. Values in a URL context keep only an
 * http, https or mailto scheme (or none); any other becomes "#invalid".
 * After a "<" inside a tag of the template, where CommonMark and a browser
 * may disagree, every value is escaped for anywhere at once. */
#ifndef FEEDPIPE_MD_H
#define FEEDPIPE_MD_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

/*
 * Markdown text: ASCII punctuation CommonMark would act on gets a
 * backslash (\[ \] \| \~, \* and \_ unless they cannot be emphasis, #
 * that could open or close a heading, \ before punctuation or at the
 * end); a run of backticks that a run as long follows becomes &#96;s;
 * "<", ">" and "&" become "&lt;", "&gt;" and "&amp;", so that no two
 * values can make a tag together; a line start ("bol", also after a
 * newline in s) loses its block meaning (# > - + = * _ 1. ``` ~~~). TeX in
 * $...$ or $$...$$ on one line is kept as it is, but for "<", "&" that
 * starts an entity, "](" and backticks. Words starting http://, https:// or mailto: keep their
 * _ and ~. A CR or CRLF becomes LF.
 */
void md_escape(struct buf *out, const char *s, size_t n, int bol);
/* HTML text (attr = 0) or quoted attribute value (attr = 1): & < > [ ] \
 * ` (and " ') as references, line breaks as spaces. */
void md_escape_html(struct buf *out, const char *s, size_t n, int attr);

struct mdout {
	FILE *fp;		/* complete lines go here now and then; NULL: keep all */
	struct buf b;		/* what is not yet written; the current line at b.s + line */
	size_t line;
	int html;		/* the HTML block type (1-7) the current line is in */
	int prevblank;		/* the line before was blank (or there was none) */
	char fence;		/* the current fenced code block's ` or ~, or 0 */
	size_t fencelen;
	struct buf tmp;		/* scratch */
	int tag;		/* where in HTML markup: a T_ state of mdscan.c */
	char tname[8];		/* the tag's name in lower case, cut short, */
	size_t tnlen;		/* and its whole length */
	int closing;		/* it is an end tag */
	char aname[16];		/* the attribute's name, likewise */
	size_t anlen;
	int dashes;		/* in a comment: the '-' just before */
	int rawtext;		/* in <script> or <style>: 1 + how much of its end tag is seen */
	int md;			/* in Markdown: an M_ state of mdscan.c */
	int esc;		/* the last byte was a backslash that escapes, */
	int rbr;		/* or a "]" that is not escaped */
	int depth;		/* parentheses open in a link destination */
	int bol, indent;	/* at the start of a line, after indent spaces; */
	int refline;		/* the line starts with "[" */
	char url[64];		/* the URL of this destination or attribute so far */
	size_t urllen;
	int urlvalue;		/* a value is in it */
	char mdurl[64];		/* the same for a Markdown link destination */
	size_t mdurllen;
	int mdurlvalue;
	int murky;		/* a "<" in a tag: from here on, escape for anywhere */
	int error;		/* a write failed: its errno */
};

void md_init(struct mdout *o, FILE *fp);
/* Template text, as it is. */
void md_text(struct mdout *o, const char *s, size_t n);
/* A value, escaped for where it lands. raw ({{{x}}}): in Markdown text
 * only < > & [ ] \\ are escaped; elsewhere as if not raw. */
void md_value(struct mdout *o, const char *s, size_t n, int raw);
/* Write out what is left; -1 if a write failed (errno in error). */
int md_flush(struct mdout *o);
void md_free(struct mdout *o);

/*
 * Inside md_text and md_value: the modules they use.
 */

/* ASCII classes (those of <ctype.h> follow the locale) */
static inline int isalpha_a(int c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static inline int isdigit_a(int c) { return c >= '0' && c <= '9'; }
static inline int isalnum_a(int c) { return isalpha_a(c) || isdigit_a(c); }
static inline int isblank_a(int c) { return c == ' ' || c == '\t'; }
static inline int isws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static inline int isspace_h(int c) { return isws(c) || c == '\f'; }
static inline int lower_a(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Is s[0..n) the NUL-terminated name? */
static inline int
name_is(const char *s, size_t n, const char *name)
{
	return n == strlen(name) && !memcmp(s, name, n);
}

/* mdblock.c: following the blocks (fenced code, HTML blocks) line by line */

/* The HTML block start type (1 to 6) of a line starting p[0..n), or 0; eol:
 * the line ends there (else more may follow). */
int mdblock_html_start(const char *p, size_t n, int eol);
/* The line p[0..n) (without its "\n") is complete: the block o is in next. */
void mdblock_line(struct mdout *o, const char *p, size_t n);

/* mdscan.c: following HTML markup and Markdown links byte by byte */

/* Where in HTML markup (mdout.tag), after the HTML tokenizer's states. */
enum { T_NONE, T_OPEN, T_ENDOPEN, T_NAME, T_BEFOREATTR, T_ATTRNAME,
	T_AFTERATTR, T_BEFOREVAL, T_DQ, T_SQ, T_UNQ, T_BANG, T_BANGDASH,
	T_COMMENT, T_BOGUS };
/* Where in Markdown (mdout.md): in a link destination, after it */
enum { M_TEXT, M_DEST, M_REFDEST, M_TITLE };
/* What an attribute holds */
enum { A_TEXT, A_URL, A_CODE };

/* Follow s[0..n), written, as markup and as Markdown both: CommonMark may
 * not take for a tag what a browser would. */
void mdscan_follow(struct mdout *o, const char *s, size_t n);
/* What the value of the attribute o is in holds: an A_ kind. */
int mdscan_attr_kind(const struct mdout *o);

#endif
