/* page.h: the digest as an HTML page or an e-mail (render-md --format).
 *
 * The HTML is libcmark-gfm's, in its unsafe mode so that the raw HTML the
 * layouts write (<div id=...> anchors, <details>) is kept; that is safe
 * because feed text never reaches the Markdown as markup (md.c escapes
 * it for the context it lands in), and checked again: raw HTML is kept only
 * when every tag in it is one of a few harmless ones with harmless
 * attributes (no event handlers, no script, no links), else it is shown as
 * text; links keep only http, https, mailto and relative URLs. */
#ifndef FEEDPIPE_PAGE_H
#define FEEDPIPE_PAGE_H

#include <stdio.h>

#include "buf.h"

struct page {
	const char *title;	/* <title>; NULL: the first heading */
	const char *head;	/* the user's own <head> lines, or NULL */
	size_t headlen;
	struct buf *title_used;	/* if not NULL: the title given, appended */
};

/* The page of the Markdown md[0..n), appended to out. */
void page_html(struct buf *out, const char *md, size_t n, const struct page *pg);

struct mail {
	const char *from, *to, *subject;	/* NULL: no such header */
};

/* Whether the header values hold no line break or control character. */
int mail_ok(const struct mail *m);

/* An RFC 5322 message, multipart/alternative: the Markdown as text/plain
 * and its page as text/html, both UTF-8 in base64. 0, or -1 if a header
 * value holds a line break or a control character. */
int mail_write(FILE *out, const struct mail *m, const char *text, size_t tn,
    const char *html, size_t hn);

#endif
