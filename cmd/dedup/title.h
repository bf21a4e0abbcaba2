/* title.h: titles reduced to a form in which the same title written two
 * ways compares equal (arXiv vs. journal, feed vs. feed), for dedup --title
 * and anything else that must recognise a title. */
#ifndef FEEDPIPE_TITLE_H
#define FEEDPIPE_TITLE_H

#include <stddef.h>

#include "buf.h"

/*
 * Append to out the comparable form of the title s[0..n) (valid UTF-8) and
 * return its number of words:
 * - TeX: accents (\"o, {\'e}) become letters, Greek letters (\alpha, $\Delta$)
 *   become α, Δ; font commands (\mathrm, \emph ...) go; $ { } _ ^ go without
 *   splitting a word, so "Fe$_3$O$_4$" equals "Fe₃O₄";
 * - Unicode: compatibility decomposition (NFKD: ₃ is 3, ﬁ is fi), case
 *   folding, accents and other combining marks removed;
 * - apostrophes (' ’ ʼ) go without splitting a word; & becomes "and"; every
 *   other character that is not a letter or a digit (punctuation, the
 *   dashes U+2010..U+2015, symbols, white space) separates words;
 * - words are separated by one space, none leading or trailing.
 * Not thread-safe (a static work buffer).
 */
size_t title_norm(struct buf *out, const char *s, size_t n);

/* Whether a normalised title begins like one that many different papers
 * share ("editorial", "issue information", "correction to ..."): never a
 * paper's identity, however long. */
int title_generic(const char *norm);

#endif
