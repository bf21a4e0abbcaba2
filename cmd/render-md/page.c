/* page.c: the digest's Markdown as one standalone HTML page, by
 * libcmark-gfm (see page.h for the policy on markup). */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "buf.h"
#include "page.h"
#include "text.h"
#include "util.h"

static const char style[] =
    "body{max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "font:16px/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;"
    "color:#1f2328;background:#fff}\n"
    "h1,h2,h3,h4{line-height:1.25}h1{font-size:1.6rem;border-bottom:1px solid #d0d7de;"
    "padding-bottom:.3rem;margin-top:2.2rem}h3{font-size:1.1rem;margin:2rem 0 .3rem}"
    "h4{font-size:1rem;font-weight:600;margin:.2rem 0}\n"
    "a{color:#0969da}details{margin:.6rem 0 1rem;padding:.4rem .8rem;"
    "background:#f6f8fa;border-radius:6px}summary{cursor:pointer;font-weight:600}\n"
    "code{font-size:.9em}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;"
    "padding:.2rem .5rem}\n"
    "@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}"
    "a{color:#58a6ff}h1{border-color:#30363d}details{background:#161b22}}\n";

/* Tags a template may write as raw HTML, and their attributes: enough for
 * the layouts' anchors and <details>, nothing that runs or loads. */
static const char *const tags[] = {
	"div", "span", "details", "summary", "p", "br", "hr", "sup", "sub",
	"b", "i", "em", "strong", "code", "small", NULL
};
static const char *const attrs[] = { "id", "class", "name", "open", "title", NULL };

static int
in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && ascii_ncasecmp(*list, s, n) == 0)
			return 1;
	return 0;
}

static int
is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '_';
}

/* One tag at p ('<'), checked against the lists; its end, or NULL. */
static const char *
check_tag(const char *p, const char *end)
{
	const char *n;
	char q;

	if (++p < end && *p == '/')
		p++;
	for (n = p; p < end && is_name_char((unsigned char)*p); p++)
		;
	if (!in_list(tags, n, (size_t)(p - n)))
		return NULL;
	for (;;) {
		while (p < end && is_space((unsigned char)*p))
			p++;
		if (p < end && *p == '/')
			p++;
		if (p < end && *p == '>')
			return p + 1;
		for (n = p; p < end && is_name_char((unsigned char)*p); p++)
			;
		if (p == n || !in_list(attrs, n, (size_t)(p - n)))
			return NULL;
		if (p < end && *p == '=') {
			if (++p < end && (*p == '"' || *p == '\'')) {
				for (q = *p++; p < end && *p != q && *p != '<' && *p != '>'; p++)
					;
				if (p == end || *p++ != q)
					return NULL;
			} else {
				for (n = p; p < end && (is_name_char((unsigned char)*p) ||
				    *p == '.' || *p == ':'); p++)
					;
				if (p == n)
					return NULL;
			}
		}
	}
}

/* Raw HTML a page may keep: the allowed tags, and text between them (which
 * render-md escaped, knowing it was inside an HTML block). */
static int
html_allowed(const char *s)
{
	const char *end = s + strlen(s), *p = s;

	while ((p = memchr(p, '<', (size_t)(end - p))))
		if (!(p = check_tag(p, end)))
			return 0;
	return 1;
}

/* A link's URL: http, https and mailto, a fragment or a relative path. */
static int
url_allowed(const char *u)
{
	const char *c = u + strcspn(u, ":/?#");

	if (*c != ':')
		return 1;	/* no scheme */
	return (c - u == 4 && ascii_ncasecmp(u, "http", 4) == 0) ||
	    (c - u == 5 && ascii_ncasecmp(u, "https", 5) == 0) ||
	    (c - u == 6 && ascii_ncasecmp(u, "mailto", 6) == 0);
}

/* Raw HTML that is not allowed becomes its own text; links to other
 * schemes lose their URL. Nodes are changed after the walk, which must
 * not see its tree change under it. */
static void
sanitize(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n, **bad = NULL, *text, *para;
	size_t nbad = 0, i;
	const char *lit;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			lit = cmark_node_get_literal(n);
			if (lit && !html_allowed(lit)) {
				bad = erealloc(bad, (nbad + 1) * sizeof *bad);
				bad[nbad++] = n;
			}
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			if (!url_allowed(cmark_node_get_url(n) ? cmark_node_get_url(n) : ""))
				cmark_node_set_url(n, "");
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	for (i = 0; i < nbad; i++) {
		n = bad[i];
		text = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(text, cmark_node_get_literal(n));
		if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK) {
			para = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(para, text);
			text = para;
		}
		cmark_node_insert_before(n, text);
		cmark_node_free(n);	/* unlinks it */
	}
	free(bad);
}

/* The plain text of the first heading, for <title>. */
static void
first_heading(cmark_node *doc, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n, *h = NULL;
	const char *lit;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && !h && cmark_node_get_type(n) == CMARK_NODE_HEADING)
			h = n;
		else if (ev == CMARK_EVENT_EXIT && n == h)
			break;
		else if (h && ev == CMARK_EVENT_ENTER && (lit = cmark_node_get_literal(n)) &&
		    (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
		    cmark_node_get_type(n) == CMARK_NODE_CODE))
			buf_puts(out, lit);
	}
	cmark_iter_free(it);
}

static void
put_escaped(struct buf *out, const char *s, size_t n)
{
	for (; n; s++, n--) {
		switch (*s) {
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '&': buf_puts(out, "&amp;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		default: buf_putc(out, *s); break;
		}
	}
}

void
page_html(struct buf *out, const char *md, size_t n, const struct page *pg)
{
	static const char *const exts[] = { "table", "strikethrough", "autolink", "tagfilter" };
	int opts = CMARK_OPT_UNSAFE;	/* raw HTML is checked by sanitize() */
	cmark_syntax_extension *ext;
	cmark_parser *parser;
	cmark_node *doc;
	struct buf title = { NULL, 0, 0 };
	char *html;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(opts);
	for (i = 0; i < sizeof exts / sizeof *exts; i++)
		if ((ext = cmark_find_syntax_extension(exts[i])))
			cmark_parser_attach_syntax_extension(parser, ext);
	cmark_parser_feed(parser, md, n);
	doc = cmark_parser_finish(parser);
	sanitize(doc);
	html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(parser));

	if (pg->title)
		buf_puts(&title, pg->title);
	else
		first_heading(doc, &title);
	if (pg->title_used && title.len)
		buf_put(pg->title_used, title.s, title.len);
	buf_puts(out, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	/* no script unless the user's own head asks for one (MathJax, KaTeX) */
	if (!pg->head)
		buf_puts(out, "<meta http-equiv=\"Content-Security-Policy\" "
		    "content=\"script-src 'none'; object-src 'none'; base-uri 'none'\">\n");
	buf_puts(out, "<title>");
	put_escaped(out, title.len ? title.s : "Digest", title.len ? title.len : 6);
	buf_puts(out, "</title>\n<style>\n");
	buf_puts(out, style);
	buf_puts(out, "</style>\n");
	if (pg->head)
		buf_put(out, pg->head, pg->headlen);
	buf_puts(out, "</head>\n<body>\n<main>\n");
	buf_puts(out, html);
	buf_puts(out, "</main>\n</body>\n</html>\n");

	free(html);
	buf_free(&title);
	cmark_node_free(doc);
	cmark_parser_free(parser);
}
