/* view.h: a record as a template sees it (render-md's own). */
#ifndef FEEDPIPE_VIEW_H
#define FEEDPIPE_VIEW_H

#include <jansson.h>

enum { VIEW_AUTHORS = 1, VIEW_AUTHORS_TEXT = 2 };	/* what the template uses */

/* Add to rec, or change, the fields the view shows: title on one line,
 * link (a safe URL, or none), authors (with VIEW_AUTHORS: {name, url}
 * objects; with VIEW_AUTHORS_TEXT: authors_text, the names with ", "),
 * category and has_details. */
void view_derive(json_t *rec, unsigned what);
/* The string v on one line (runs of white space as one space), or NULL if
 * v is no string: a new reference. */
json_t *view_one_line(const json_t *v);
/* Free the scratch space, for leak checkers. */
void view_free(void);

#endif
