/* mdscan.c: where the Markdown written is, byte by byte: in HTML markup
 * (which part of a tag, a comment, <script> or <style>) and in Markdown
 * links (a destination, a title); see md.h. */
#include <string.h>

#include "md.h"

static void
url_add(struct mdout *o, int c)
{
	if (o->urllen < sizeof o->url)
		o->url[o->urllen++] = (char)c;
}

static void
mdurl_add(struct mdout *o, int c)
{
	if (o->mdurllen < sizeof o->mdurl)
		o->mdurl[o->mdurllen++] = (char)c;
}

static void
name_add(char *s, size_t cap, size_t *n, int c)
{
	if (*n < cap)
		s[*n] = (char)lower_a(c);
	(*n)++;
}

int
mdscan_attr_kind(const struct mdout *o)
{
	static const char *const url[] = {
		"action", "archive", "background", "cite", "classid", "codebase",
		"data", "dynsrc", "formaction", "href", "icon", "longdesc", "lowsrc",
		"manifest", "ping", "poster", "profile", "src", "srcset", "usemap",
		"xlink:href",
	};
	size_t i, n = o->anlen;

	if (n > sizeof o->aname)
		return A_TEXT;
	if ((n > 2 && !memcmp(o->aname, "on", 2)) || name_is(o->aname, n, "style") ||
	    name_is(o->aname, n, "srcdoc"))
		return A_CODE;
	for (i = 0; i < sizeof url / sizeof *url; i++)
		if (name_is(o->aname, n, url[i]))
			return A_URL;
	return A_TEXT;
}

/* A start or end tag is over: <script> and <style> hold code. */
static void
tag_end(struct mdout *o)
{
	o->tag = T_NONE;
	if (!o->closing && (name_is(o->tname, o->tnlen, "script") ||
	    name_is(o->tname, o->tnlen, "style")))
		o->rawtext = 1;
}

/* In <script> or <style>: look for its end tag. */
static void
rawtext(struct mdout *o, int c)
{
	size_t k = (size_t)o->rawtext - 1;
	int want = k == 0 ? '<' : k == 1 ? '/' : o->tname[k - 2];

	if (lower_a(c) != want) {
		o->rawtext = c == '<' ? 2 : 1;
		return;
	}
	if (++k < o->tnlen + 2) {
		o->rawtext = (int)k + 1;
		return;
	}
	o->rawtext = 0;
	o->tag = T_NAME;
	o->closing = 1;
}

static void
attr_start(struct mdout *o, int c)
{
	o->tag = T_ATTRNAME;
	o->anlen = 0;
	name_add(o->aname, sizeof o->aname, &o->anlen, c);
}

static void
tag_open(struct mdout *o)
{
	o->tag = T_OPEN;
	o->urllen = 0;
	o->urlvalue = 0;
}

/* After "<" or "</": a tag's name, else what the byte makes of it. */
static void
tag_opening(struct mdout *o, int c)
{
	if (isalpha_a(c)) {
		o->closing = o->tag == T_ENDOPEN;
		o->tag = T_NAME;
		o->tnlen = 0;
		name_add(o->tname, sizeof o->tname, &o->tnlen, c);
	} else if (o->tag == T_ENDOPEN) {
		o->tag = c == '>' ? T_NONE : T_BOGUS;
	} else {
		o->tag = c == '/' ? T_ENDOPEN : c == '!' ? T_BANG :
		    c == '?' ? T_BOGUS : T_NONE;
		if (c == '<')
			tag_open(o);
	}
}

static void
tag_name(struct mdout *o, int c)
{
	if (isspace_h(c) || c == '/')
		o->tag = T_BEFOREATTR;
	else if (c == '>')
		tag_end(o);
	else
		name_add(o->tname, sizeof o->tname, &o->tnlen, c);
}

/* Between attributes, or after a name that may get "=". */
static void
between_attrs(struct mdout *o, int c)
{
	if (c == '>')
		tag_end(o);
	else if (c == '/')
		o->tag = T_BEFOREATTR;
	else if (c == '=' && o->tag == T_AFTERATTR)
		o->tag = T_BEFOREVAL;
	else if (!isspace_h(c))
		attr_start(o, c);
}

static void
attr_name(struct mdout *o, int c)
{
	if (isspace_h(c))
		o->tag = T_AFTERATTR;
	else if (c == '/')
		o->tag = T_BEFOREATTR;
	else if (c == '>')
		tag_end(o);
	else if (c == '=')
		o->tag = T_BEFOREVAL;
	else
		name_add(o->aname, sizeof o->aname, &o->anlen, c);
	o->urllen = 0;
	o->urlvalue = 0;
}

/* An attribute's value: its start (after "="), quoted or not. */
static void
attr_value(struct mdout *o, int c)
{
	switch (o->tag) {
	case T_BEFOREVAL:
		if (c == '"' || c == '\'') {
			o->tag = c == '"' ? T_DQ : T_SQ;
		} else if (c == '>') {
			tag_end(o);
		} else if (!isspace_h(c)) {
			o->tag = T_UNQ;
			url_add(o, c);
		}
		break;
	case T_DQ:
	case T_SQ:
		if (c == (o->tag == T_DQ ? '"' : '\''))
			o->tag = T_BEFOREATTR;
		else
			url_add(o, c);
		break;
	case T_UNQ:
		if (isspace_h(c))
			o->tag = T_BEFOREATTR;
		else if (c == '>')
			tag_end(o);
		else
			url_add(o, c);
		break;
	}
}

/* "<!", "<!-", a comment, or a bogus comment ("<?", "</1"). */
static void
comment(struct mdout *o, int c)
{
	switch (o->tag) {
	case T_BANG:
	case T_BANGDASH:
		o->tag = c == '>' ? T_NONE : c != '-' ? T_BOGUS :
		    o->tag == T_BANG ? T_BANGDASH : T_COMMENT;
		o->dashes = 2;	/* "<!-->" ends at once */
		break;
	case T_COMMENT:
		if (c == '>' && o->dashes >= 2)
			o->tag = T_NONE;
		else if (c == '-')
			o->dashes++;
		else if (c != '!' || o->dashes < 2)
			o->dashes = 0;
		break;
	case T_BOGUS:
		if (c == '>')
			o->tag = T_NONE;
		break;
	}
}

/* One byte inside markup. A "<" in a tag or comment: CommonMark may take
 * the tag for text and what follows the "<" for a tag of its own. */
static void
scan_tag(struct mdout *o, int c)
{
	if (c == '<' && o->tag != T_OPEN && o->tag != T_ENDOPEN)
		o->murky = 1;
	switch (o->tag) {
	case T_OPEN: case T_ENDOPEN:
		tag_opening(o, c);
		break;
	case T_NAME:
		tag_name(o, c);
		break;
	case T_BEFOREATTR: case T_AFTERATTR:
		between_attrs(o, c);
		break;
	case T_ATTRNAME:
		attr_name(o, c);
		break;
	case T_BEFOREVAL: case T_DQ: case T_SQ: case T_UNQ:
		attr_value(o, c);
		break;
	default:
		comment(o, c);
		break;
	}
}

static void
dest_start(struct mdout *o, int state)
{
	o->md = state;
	o->mdurllen = 0;
	o->mdurlvalue = 0;
	o->depth = 0;
}

/* One byte of Markdown: links, their destinations and titles. */
static void
scan_md(struct mdout *o, int c)
{
	int esc = o->esc, rbr = o->rbr;

	o->esc = c == '\\' && !esc;
	o->rbr = c == ']' && !esc;
	if (c == '\n') {
		o->bol = 1;
		o->indent = 0;
		o->refline = 0;
	} else if (o->bol && c == ' ') {
		o->indent++;
	} else if (o->bol) {
		o->bol = 0;
		o->refline = c == '[' && o->indent < 4;
	}
	/* "](" starts a destination wherever it is, as CommonMark may read it */
	if (rbr && c == '(') {
		dest_start(o, M_DEST);
		return;
	}
	switch (o->md) {
	case M_TEXT:
		if (rbr && c == ':' && o->refline)
			dest_start(o, M_REFDEST);
		break;
	case M_DEST:
	case M_REFDEST:
		if (isspace_h(c)) {
			if (o->mdurllen)
				o->md = c == '\n' && o->md == M_REFDEST ? M_TEXT : M_TITLE;
		} else if (c == ')' && !esc && o->md == M_DEST && !o->depth--) {
			o->md = M_TEXT;
		} else {
			o->depth += c == '(' && !esc;
			if (c != '<' || o->mdurllen)	/* [x](<url>) */
				mdurl_add(o, c);
		}
		break;
	case M_TITLE:
		if ((c == ')' && !esc) || c == '\n')
			o->md = M_TEXT;
		break;
	}
}

void
mdscan_follow(struct mdout *o, const char *s, size_t n)
{
	size_t i;
	int c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (o->rawtext)
			rawtext(o, c);
		else if (o->tag != T_NONE)
			scan_tag(o, c);
		else if (c == '<')
			tag_open(o);
		scan_md(o, c);
	}
}
