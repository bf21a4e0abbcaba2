/* html.c: HTML fragments to plain text, through libxml2's HTML parser. */
#include <libxml/HTMLparser.h>
#include <string.h>
#include <strings.h>

#include "html.h"
#include "text.h"

/*
 * libxml2's HTML parser looks through all open elements at every end tag
 * it cannot match: 50,000 unclosed <font> then 50,000 </b> take seconds.
 * Past this depth it is stopped and the rest is read as text.
 */
#define MAXDEPTH 256

struct html_state {
	htmlParserCtxtPtr ctxt;
	struct buf raw;		/* text with block boundaries marked as "\n\n" */
	int skip;		/* depth inside script/style */
	int depth;		/* elements open */
	size_t stopped_at;	/* where the parser was stopped, or 0 */
};

static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "br", "caption", "dd",
	"div", "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3",
	"h4", "h5", "h6", "header", "hr", "li", "nav", "ol", "p", "pre",
	"section", "table", "td", "th", "tr", "ul",
};

static int is_block(const char *name)
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

static int is_hidden(const char *name)
{
	return !strcmp(name, "script") || !strcmp(name, "style") ||
	       !strcmp(name, "head") || !strcmp(name, "noscript") ||
	       !strcmp(name, "template");
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **attrs)
{
	struct html_state *st = ctx;

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
	if (is_hidden((const char *)name))
		st->skip++;
	else if (is_block((const char *)name))
		buf_puts(&st->raw, "\n\n");
}

static void on_end(void *ctx, const xmlChar *name)
{
	struct html_state *st = ctx;

	if (st->stopped_at)
		return;
	st->depth--;
	if (is_hidden((const char *)name)) {
		if (st->skip)
			st->skip--;
	} else if (is_block((const char *)name)) {
		buf_puts(&st->raw, "\n\n");
	}
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
	struct html_state *st = ctx;
	size_t i, n = (size_t)len;

	if (st->skip || st->stopped_at)
		return;
	/* a newline inside text is only a space; blank lines come from tags */
	for (i = 0; i < n; i++) {
		char c = (char)s[i];
		buf_putc(&st->raw, c == '\n' || c == '\r' ? ' ' : c);
	}
}

static void on_error(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * libxml2's HTML parser reads "<!" that starts neither a comment nor a
 * doctype as a tag, and drops it; in text it is just "<!".
 */
static const char *escape_bang(struct buf *fixed, const char *s, size_t *n)
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
static void strip_tags(struct buf *raw, const char *s, size_t n)
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

void html_to_text(struct buf *out, const char *html, size_t n, int inline_only)
{
	htmlSAXHandler sax;
	htmlParserCtxtPtr ctxt;
	struct html_state st = { NULL, { 0 }, 0, 0, 0 };
	const char *start;
	struct buf fixed = { 0 };

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
