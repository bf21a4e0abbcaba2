/* html.c: HTML fragments to plain text, through libxml2's HTML parser. */
#include <libxml/HTMLparser.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "script.h"
#include "text.h"

/*
 * libxml2's HTML parser looks through all open elements at every end tag
 * it cannot match: 50,000 unclosed <font> then 50,000 </b> take seconds.
 * Past this depth it is stopped and the rest is read as text.
 */
#define MAXDEPTH 256

/*
 * Elements whose text is rewritten when they close: HTML sup/sub and
 * MathML's scripts, fractions and roots (MathML's children are its parts:
 * msup is base then superscript).
 */
enum layout {
	L_NONE, L_SUP, L_SUB, L_MSUP, L_MSUB, L_MSUBSUP, L_MFRAC, L_MSQRT, L_MROOT,
};

#define MAXPARTS 3	/* the most children a MathML layout reads (msubsup) */

struct layout_frame {
	enum layout layout;
	int depth;			/* of the element */
	size_t start;			/* where its text starts in raw */
	size_t part[MAXPARTS];		/* where each child's text starts */
	int nparts;
};

struct html_state {
	htmlParserCtxtPtr ctxt;
	struct buf raw;		/* text with block boundaries marked as "\n\n" */
	int skip;		/* depth inside script/style */
	int depth;		/* elements open */
	size_t stopped_at;	/* where the parser was stopped, or 0 */
	int math;		/* depth inside MathML <math> */
	int token;		/* depth inside MathML mi/mn/mo/mtext/ms */
	struct layout_frame frames[MAXDEPTH + 1];
	int nframes;
};

static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "br", "caption", "dd",
	"div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3",
	"h4", "h5", "h6", "header", "hr", "li", "nav", "ol", "p", "pre",
	"section", "table", "td", "th", "tr", "ul",
};

static int
is_block(const char *name)
{
	size_t lo = 0, hi = sizeof block_tags / sizeof *block_tags, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (!(c = strcmp(name, block_tags[mid])))
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* MathML's annotations hold the same formula again, as TeX or as markup. */
static int
is_hidden(const char *name)
{
	return !strcmp(name, "script") || !strcmp(name, "style") ||
	       !strcmp(name, "head") || !strcmp(name, "noscript") ||
	       !strcmp(name, "template") || !strcmp(name, "annotation") ||
	       !strcmp(name, "annotation-xml");
}

/* "mml:msup" is msup: escaped MathML keeps its prefix in the HTML parser. */
static const char *
local_name(const char *name)
{
	const char *colon = strrchr(name, ':');

	return colon ? colon + 1 : name;
}

static enum layout
layout_of(const char *local)
{
	static const struct { const char *name; enum layout layout; } layouts[] = {
		{ "mfrac", L_MFRAC }, { "mover", L_MSUP }, { "mroot", L_MROOT },
		{ "msqrt", L_MSQRT }, { "msub", L_MSUB }, { "msubsup", L_MSUBSUP },
		{ "msup", L_MSUP }, { "munder", L_MSUB }, { "munderover", L_MSUBSUP },
		{ "sub", L_SUB }, { "sup", L_SUP },
	};
	size_t i;

	for (i = 0; i < sizeof layouts / sizeof *layouts; i++)
		if (!strcmp(local, layouts[i].name))
			return layouts[i].layout;
	return L_NONE;
}

/* MathML's token elements: the only ones whose text is part of the formula. */
static int
is_token(const char *local)
{
	return !strcmp(local, "mi") || !strcmp(local, "mn") || !strcmp(local, "mo") ||
	       !strcmp(local, "mtext") || !strcmp(local, "ms");
}

static int
is_mathml_layout(enum layout layout)
{
	return layout >= L_MSUP;
}

static struct layout_frame *
top_frame(struct html_state *st)
{
	return st->nframes ? &st->frames[st->nframes - 1] : NULL;
}

static int
in_mathml(struct html_state *st)
{
	const struct layout_frame *f = top_frame(st);

	return st->math || (f && is_mathml_layout(f->layout));
}

/* A child of a MathML layout element starts: its text is the next part. */
static void
start_part(struct html_state *st)
{
	struct layout_frame *f = top_frame(st);

	if (f && is_mathml_layout(f->layout) && f->depth == st->depth - 1 &&
	    f->nparts < MAXPARTS)
		f->part[f->nparts++] = st->raw.len;
}

static void
open_layout(struct html_state *st, enum layout layout)
{
	struct layout_frame *f = &st->frames[st->nframes++];

	f->layout = layout;
	f->depth = st->depth;
	f->start = st->raw.len;
	f->nparts = 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* s[0..n) without blanks at either end. */
static void
trim(const char **s, size_t *n)
{
	while (*n && is_blank(**s))
		(*s)++, (*n)--;
	while (*n && is_blank((*s)[*n - 1]))
		(*n)--;
}

/* Is s[0..n) in parentheses, the first one closing at the end: "(a)(b)" is not. */
static int
is_parenthesized(const char *s, size_t n)
{
	size_t i;
	int open = 0;

	if (n < 2 || s[0] != '(' || s[n - 1] != ')')
		return 0;
	for (i = 0; i < n - 1; i++) {
		open += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
		if (!open)
			return 0;
	}
	return 1;
}

/* A fraction's side or a script's base: "(a+b)", but one term as it is. */
static void
put_term(struct buf *out, const char *s, size_t n)
{
	trim(&s, &n);
	if (!n || script_is_atom(s, n) || is_parenthesized(s, n)) {
		buf_put(out, s, n);
		return;
	}
	buf_putc(out, '(');
	buf_put(out, s, n);
	buf_putc(out, ')');
}

static void
put_root(struct buf *out, const char *s, size_t n)
{
	trim(&s, &n);
	buf_puts(out, "\xE2\x88\x9A(");	/* U+221A SQUARE ROOT */
	buf_put(out, s, n);
	buf_putc(out, ')');
}

static size_t
parts_needed(enum layout layout)
{
	switch (layout) {
	case L_MSUBSUP: return 3;
	case L_MSUP: case L_MSUB: case L_MFRAC: case L_MROOT: return 2;
	default: return 0;
	}
}

/*
 * Write a MathML layout from its parts, text[part[i] .. part[i + 1]); the
 * last part it reads runs to the end (a stray extra child stays in it).
 */
static void
put_mathml(struct buf *out, enum layout layout, const char *text,
    size_t len, const size_t *part)
{
	const char *p[MAXPARTS];
	size_t n[MAXPARTS], i, need = parts_needed(layout);

	for (i = 0; i < need; i++) {
		p[i] = text + part[i];
		n[i] = (i + 1 < need ? part[i + 1] : len) - part[i];
	}
	if (need)
		buf_put(out, text, part[0]);	/* anything before the first child */
	switch (layout) {
	case L_MSUP: put_term(out, p[0], n[0]); script_append(out, p[1], n[1], SCRIPT_SUPER); break;
	case L_MSUB: put_term(out, p[0], n[0]); script_append(out, p[1], n[1], SCRIPT_SUB); break;
	case L_MSUBSUP:
		put_term(out, p[0], n[0]);
		script_append(out, p[1], n[1], SCRIPT_SUB);
		script_append(out, p[2], n[2], SCRIPT_SUPER);
		break;
	case L_MFRAC:
		put_term(out, p[0], n[0]);
		buf_putc(out, '/');
		put_term(out, p[1], n[1]);
		break;
	case L_MROOT: script_append(out, p[1], n[1], SCRIPT_SUPER); put_root(out, p[0], n[0]); break;
	case L_MSQRT: put_root(out, text, len); break;
	default: break;
	}
}

/* The element of frame f closes: its text, raw[f->start ..), is rewritten. */
static void
close_layout(struct html_state *st, const struct layout_frame *f)
{
	struct buf text = { 0 };
	size_t i, part[MAXPARTS];

	if (st->raw.len == f->start)
		return;
	buf_put(&text, st->raw.s + f->start, st->raw.len - f->start);
	st->raw.len = f->start;
	for (i = 0; i < (size_t)f->nparts; i++)
		part[i] = f->part[i] - f->start;
	if (f->layout == L_SUP)
		script_append(&st->raw, text.s, text.len, SCRIPT_SUPER);
	else if (f->layout == L_SUB)
		script_append(&st->raw, text.s, text.len, SCRIPT_SUB);
	else if ((size_t)f->nparts < parts_needed(f->layout))
		buf_put(&st->raw, text.s, text.len);	/* not the layout it claims */
	else
		put_mathml(&st->raw, f->layout, text.s, text.len, part);
	buf_free(&text);
}

/*
 * Text inside MathML: the white space between elements is not part of the
 * formula, nor are the invisible operators (U+2061-U+2064: function
 * application, invisible times, separator, plus).
 */
static void
mathml_text(struct html_state *st, const char *s, size_t n)
{
	size_t i;

	if (!st->token) {
		for (i = 0; i < n && is_blank(s[i]); i++)
			;
		if (i == n)
			return;
	}
	for (i = 0; i < n; i++) {
		if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x81 &&
		    (unsigned char)s[i + 2] >= 0xA1 && (unsigned char)s[i + 2] <= 0xA4) {
			i += 2;
			continue;
		}
		buf_putc(&st->raw, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
	}
}

static void
on_start(void *ctx, const xmlChar *name, const xmlChar **attrs)
{
	struct html_state *st = ctx;
	const char *local;
	enum layout layout;

	(void)attrs;
	if (st->stopped_at)
		return;
	if (++st->depth > MAXDEPTH) {
		xmlParserInputPtr in = st->ctxt->input;
		st->stopped_at = in->consumed + (size_t)(in->cur - in->base);
		if (*in->cur == '/' && in->cur[1] == '>')
			st->stopped_at += 2;	/* the parser is still at the end of the tag */
		else if (*in->cur == '>')
			st->stopped_at++;
		xmlStopParser(st->ctxt);
		return;
	}
	local = local_name((const char *)name);
	start_part(st);
	if (is_hidden(local))
		st->skip++;
	else if (is_block((const char *)name))
		buf_puts(&st->raw, "\n\n");
	if ((layout = layout_of(local)) != L_NONE && st->nframes <= MAXDEPTH)
		open_layout(st, layout);
	if (!strcmp(local, "math"))
		st->math++;
	else if (is_token(local))
		st->token++;
}

static void
on_end(void *ctx, const xmlChar *name)
{
	struct html_state *st = ctx;
	const char *local = local_name((const char *)name);

	if (st->stopped_at)
		return;
	/* a frame deeper than this element was never closed: its text stays */
	while (st->nframes && top_frame(st)->depth > st->depth)
		st->nframes--;
	if (st->nframes && top_frame(st)->depth == st->depth)
		close_layout(st, &st->frames[--st->nframes]);
	st->depth--;
	if (!strcmp(local, "math") && st->math)
		st->math--;
	else if (is_token(local) && st->token)
		st->token--;
	if (is_hidden(local)) {
		if (st->skip)
			st->skip--;
	} else if (is_block((const char *)name)) {
		buf_puts(&st->raw, "\n\n");
	}
}

static void
on_text(void *ctx, const xmlChar *s, int len)
{
	struct html_state *st = ctx;
	size_t i, n = (size_t)len;

	if (st->skip || st->stopped_at)
		return;
	if (in_mathml(st)) {
		mathml_text(st, (const char *)s, n);
		return;
	}
	/* a newline inside text is only a space; blank lines come from tags */
	for (i = 0; i < n; i++) {
		char c = (char)s[i];
		buf_putc(&st->raw, c == '\n' || c == '\r' ? ' ' : c);
	}
}

static void
on_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * libxml2's HTML parser reads "<!" that starts neither a comment nor a
 * doctype as a tag, and drops it; in text it is just "<!".
 */
static const char *
escape_bang(struct buf *fixed, const char *s, size_t *n)
{
	size_t i, start = 0;

	for (i = 0; i + 1 < *n; i++) {
		if (s[i] != '<' || s[i + 1] != '!')
			continue;
		if (i + 3 < *n && s[i + 2] == '-' && s[i + 3] == '-')
			continue;
		if (i + 9 < *n && !strncasecmp(s + i + 2, "DOCTYPE", 7) &&
		    (s[i + 9] == ' ' || s[i + 9] == '\t') && i + 10 < *n &&
		    ((s[i + 10] | 32) >= 'a' && (s[i + 10] | 32) <= 'z'))
			continue;
		buf_put(fixed, s + start, i - start);
		buf_puts(fixed, "&lt;");
		start = i + 1;
	}
	if (!fixed->len)
		return s;
	buf_put(fixed, s + start, *n - start);
	*n = fixed->len;
	return fixed->s;
}

/* Too deep for the parser: what is left, with anything like a tag dropped. */
static void
strip_tags(struct buf *raw, const char *s, size_t n)
{
	struct buf text = { 0 };
	size_t i = 0, from = 0;
	const char *gt;

	while (i < n) {
		unsigned char c = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		if (s[i] != '<' || !(c == '/' || c == '!' || c == '?' || ((c | 32) >= 'a' && (c | 32) <= 'z'))) {
			i++;
			continue;
		}
		buf_put(&text, s + from, i - from);
		buf_putc(&text, ' ');
		gt = memchr(s + i, '>', n - i);
		i = from = gt ? (size_t)(gt - s) + 1 : n;
	}
	buf_put(&text, s + from, n - from);
	for (i = 0; i < text.len; i++)
		if (text.s[i] == '\n' || text.s[i] == '\r')
			text.s[i] = ' ';
	text_decode_entities(raw, text.s, text.len);
	buf_free(&text);
}

void
html_to_text(struct buf *out, const char *html, size_t n, int inline_only)
{
	htmlSAXHandler sax;
	htmlParserCtxtPtr ctxt;
	struct html_state st;
	const char *start;
	struct buf fixed = { 0 };

	memset(&st, 0, sizeof st);
	memset(&sax, 0, sizeof sax);
	sax.startElement = on_start;
	sax.endElement = on_end;
	sax.characters = on_text;
	sax.cdataBlock = on_text;
	sax.error = on_error;
	sax.warning = on_error;
	ctxt = htmlCreatePushParserCtxt(&sax, &st, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
	if (!ctxt) {
		text_plain(out, html, n);
		return;
	}
	htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
	                   HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	st.ctxt = ctxt;
	html = start = escape_bang(&fixed, html, &n);
	while (n > 0 && !st.stopped_at) {
		int chunk = n > (1 << 30) ? 1 << 30 : (int)n;
		htmlParseChunk(ctxt, html, chunk, 0);
		html += chunk;
		n -= (size_t)chunk;
	}
	if (!st.stopped_at)
		htmlParseChunk(ctxt, NULL, 0, 1);
	htmlFreeParserCtxt(ctxt);
	if (st.stopped_at && st.stopped_at < (size_t)(html + n - start))
		strip_tags(&st.raw, start + st.stopped_at, (size_t)(html + n - start) - st.stopped_at);
	if (st.raw.len) {
		if (inline_only)
			text_line(out, st.raw.s, st.raw.len);
		else
			text_plain(out, st.raw.s, st.raw.len);
	}
	buf_free(&st.raw);
	buf_free(&fixed);
}
