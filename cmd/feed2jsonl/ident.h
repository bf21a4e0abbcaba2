/* ident.h: the identifiers inside links and text: arXiv ids, DOIs, URLs. */
#ifndef FEEDPIPE_IDENT_H
#define FEEDPIPE_IDENT_H

#include <stddef.h>

#include "buf.h"

/* An arXiv id at s (2501.08341, hep-th/9901001, then vN): its length, or 0. */
size_t ident_arxiv_at(const char *s, struct buf *id, long *version);
/* An arXiv id after "arxiv.org/abs/", "oai:arXiv.org:" or a leading "arXiv:". */
int ident_find_arxiv(const char *s, struct buf *id, long *version);
/* The first DOI ("10.NNNN/suffix") in s[0..n) into out; 1 if found. */
int ident_find_doi(struct buf *out, const char *s, size_t n);
/* A DOI in a URL, only on doi.org or after "/doi/"; 1 if found. */
int ident_doi_in_url(struct buf *out, const char *u);
/* A URL with its scheme and host lower-cased, no fragment, no tracking
 * parameters (utm_*, af, rss, dgcid, rft_dat; fc, ff, v on PubMed). */
void ident_normalise_url(struct buf *out, const char *u);
/* The link u without tracking parameters; the rest byte for byte. */
void ident_clean_link(struct buf *out, const char *u);
/* A whole "pmid:N" / "pubmed:N" identifier: N into out; 1 if found. */
int ident_find_pmid(struct buf *out, const char *s, size_t n);

#endif
