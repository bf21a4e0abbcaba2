/* authors.h: one name per element, however a feed packs its authors. */
#ifndef FEEDPIPE_AUTHORS_H
#define FEEDPIPE_AUTHORS_H

#include "item.h"

/*
 * Split a plain-text author field into names and add each new one to out:
 * "A, B and C", "A, B, and C", one name per line, "A; B", bioRxiv's
 * "Hou, N., Wu, Z." (surname-initials pairs), "Author(s): ..." prefixes,
 * RSS's "mail@host (Name)". TeX accents become letters.
 */
void authors_split(struct strlist *out, const char *s, size_t n);

#endif
