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

#endif
