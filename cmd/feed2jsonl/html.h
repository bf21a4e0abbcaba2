/* html.h: HTML fragments to plain text, through libxml2's HTML parser. */
#ifndef FEEDPIPE_HTML_H
#define FEEDPIPE_HTML_H

#include <stddef.h>

#include "buf.h"

/*
 * Append the text of an HTML fragment: tags removed, entities decoded,
 * script/style contents dropped, white space collapsed, block elements
 * (p, div, li, br, headings ...) separated by a blank line. With inline
 * set, paragraph breaks become single spaces (for titles). sup, sub and
 * MathML keep their meaning: 10⁴, H₂O, T_{c}, (a+b)/2 (see script.h and
 * feedpipe(5), "Superscripts, subscripts and formulas").
 */
void html_to_text(struct buf *out, const char *html, size_t n, int inline_only);

#endif
