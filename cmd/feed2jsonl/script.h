/* script.h: superscripts and subscripts as Unicode characters or ^{...}/_{...}. */
#ifndef FEEDPIPE_SCRIPT_H
#define FEEDPIPE_SCRIPT_H

#include <stddef.h>

#include "buf.h"

enum script { SCRIPT_SUPER, SCRIPT_SUB };

/*
 * Append the text s[0..n) written as a superscript or a subscript: white
 * space inside is collapsed to single spaces and trimmed (a space each
 * side is kept outside the script). If every character has a Unicode
 * super/subscript form in the conservative set below, those characters;
 * otherwise the text in TeX-like braces, "^{...}" or "_{...}".
 *   superscript: 0-9 + - (and U+2212) = ( ) n i
 *   subscript:   0-9 + - (and U+2212) = ( ) a e o x h k l m n p s t
 * A script inside a script is already written when the outer one is, so
 * e<sup>i<sup>2</sup></sup> is "e^{i²}": "eⁱ²" would read as e to the i2.
 */
void script_append(struct buf *out, const char *s, size_t n, enum script kind);

/*
 * Is s[0..n) one term, that needs no parentheses around it as a side of
 * "a/b" or as a base with a script? Letters, digits, '.', super/subscript
 * characters and the ^_{} of scripts written out ("τ_{c}") only.
 */
int script_is_atom(const char *s, size_t n);

#endif
