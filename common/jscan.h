/* jscan.h: values from the text of a JSON record without building a tree,
 * for stages that need one or two fields (near getline speed).
 *
 * The whole text is checked with jansson's rules (strict UTF-8, no
 * \u0000), so 0 or -1 is always the answer the jansson path (jsonl_parse)
 * would give; of a key given twice the last value is the answer, as there.
 * -2 means "cannot answer here": the text is not a well-formed value of the
 * kind asked for, or it has something jscan leaves to jansson (a backslash
 * in any object key, so "\u0069d" is never taken for "id"; nesting deeper
 * than 512; an integer of 19 digits or more; a real that could overflow a
 * double or underflow to 0). On -2 parse with jsonl_parse, which answers or
 * gives the error. */
#ifndef FEEDPIPE_JSCAN_H
#define FEEDPIPE_JSCAN_H

#include <stddef.h>

struct buf;

/* Find top-level key in the object s[0..n): 0 and the raw value text in
 * *val, *vlen (e.g. "\"abc\"" or {...}), -1 if absent, -2 as above. */
int jscan_find(const char *s, size_t n, const char *key,
    const char **val, size_t *vlen);
/* The same for element idx of the array s[0..n); idx < 0 counts from the
 * end (-1 is the last). */
int jscan_index(const char *s, size_t n, long idx,
    const char **val, size_t *vlen);
/* Decode a raw JSON string (with its quotes) into out, replacing its
 * contents (\uXXXX and surrogate pairs to UTF-8). The decoded length, or -1
 * if invalid (bad escape or UTF-8, control character, \u0000). */
long jscan_string(const char *val, size_t vlen, struct buf *out);
/* The same for a string already checked (by jscan_check or jansson): only
 * its escapes are read, so it is several times faster. */
long jscan_unescape(const char *val, size_t vlen, struct buf *out);

#endif
