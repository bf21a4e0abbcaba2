/* boiler.h: publisher boiler-plate around abstracts. */
#ifndef FEEDPIPE_BOILER_H
#define FEEDPIPE_BOILER_H

#include "buf.h"
#include "item.h"

/*
 * Remove from a plain-text summary arXiv's "arXiv:... Announce Type: ...
 * Abstract:", APS's "Author(s): ..." and "[Phys. Rev. ...] Published ...",
 * Nature's citation line, ScienceDirect's "Publication date:"/"Source:",
 * a leading "Abstract" heading and a trailing "DOI: ..." line. Authors,
 * journal and DOI found there fill the given fields when they are empty.
 */
void boiler_strip(struct buf *summary, struct strlist *authors, struct buf *journal,
                  struct buf *doi);

/*
 * A PubMed text: a citation paragraph ("Harmful Algae. 2021 Nov;109:102107.
 * doi: ... Epub ..."), maybe "ABSTRACT", the abstract, and a last paragraph
 * "PMID:N | ...". If s has that shape it becomes the abstract alone, and
 * the citation (up to its DOI, Epub date or status), DOI and PMID fill
 * journal, doi and pmid when they are empty; 1 (PubMed's "N/A." abstract
 * is none). Otherwise s is kept; 0.
 */
int boiler_pubmed(struct buf *s, struct buf *journal, struct buf *doi, struct buf *pmid);

/*
 * Wiley's description when it is only a citation: "TAXON, EarlyView." or
 * "Journal, Volume 35, Issue 3, ...". 1 with the citation in cite (without
 * ", EarlyView" and the final period), else 0.
 */
int boiler_citation_stub(const struct buf *s, struct buf *cite);

#endif
