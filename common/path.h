/* path.h: jq-style field paths naming a value inside a record:
 * id  .id  .arxiv.primary  .categories[0]  .categories[-1] (last)
 * ."odd key"  .["odd key"]  .a["b"][0]; the leading dot is optional,
 * quoted keys take JSON escapes, "." alone is the whole record. */
#ifndef FEEDPIPE_PATH_H
#define FEEDPIPE_PATH_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

struct path;

/* NULL and a message ("column 4: unexpected end of path, expected an index
 * or a quoted key", "empty path") in err (may be NULL) on a syntax error. */
struct path *path_parse(const char *s, char *err, size_t errlen);
/* The value at p (a borrowed reference), or NULL if absent: a missing key,
 * an index out of range, a key on a non-object or an index on a non-array. */
json_t *path_get(const struct path *p, json_t *root);
/* The same on the text of a record s[0..n) without parsing it (jscan.h):
 * 0 and the raw value text in *val, *vlen, -1 if absent, -2 if jscan cannot
 * answer (always for "." and paths starting with an index): then parse and
 * use path_get. */
int path_scan(const struct path *p, const char *s, size_t n,
    const char **val, size_t *vlen);
/* The path as given to path_parse. */
const char *path_text(const struct path *p);
/* Its canonical form, appended to out: "." alone, else each step as .key
 * (a key of letters, digits, '_', '-' and non-ASCII bytes), ."key" (any
 * other key, escaped as jw_put_string does) or [index]: id, .id and
 * .["id"] are all .id (dedup's state file names its keys so). */
void path_canon(const struct path *p, struct buf *out);
/* Its steps, for walking text (jwalk.c): step i's key (decoded; its
 * length in *klen), or NULL and its index in *index. */
size_t path_nsteps(const struct path *p);
const char *path_step(const struct path *p, size_t i, long *index,
    size_t *klen);
void path_free(struct path *p);

#endif
