/* jwalk.h: moving about JSON text that jscan (or jansson) has already
 * accepted, without checking it again: skip a value, list an object's
 * members, follow a field path (path.h syntax), visit every string.
 * On text that was not checked the results are undefined. */
#ifndef FEEDPIPE_JWALK_H
#define FEEDPIPE_JWALK_H

#include <stddef.h>

#include "buf.h"

struct jwalk_member {
	const char *key;	/* raw, without quotes (jscan: no escapes) */
	size_t klen;
	const char *start;	/* the member's text: key, ':', value */
	const char *val;	/* the raw value */
	size_t vlen;
};

/* The members of the object s[0..n) (s starts with '{'), in order, into
 * *m (grown as needed, *cap its size); their number. */
size_t jwalk_members(const char *s, size_t n, struct jwalk_member **m,
    size_t *cap);
/* The last member named key in m[0..nm), or NULL. */
const struct jwalk_member *jwalk_find(const struct jwalk_member *m,
    size_t nm, const char *key, size_t klen);

struct path;

/* The value at the path p (path.h) in the record s[0..n) whose members are
 * m[0..nm): 0 and the raw value in *val, *vlen, or -1 if absent. The
 * members of objects inside go into *sub (grown as needed, *cap its size),
 * which the caller keeps from one call to the next. */
int jwalk_get(const struct path *p, const char *s, size_t n,
    const struct jwalk_member *m, size_t nm, const char **val, size_t *vlen,
    struct jwalk_member **sub, size_t *cap);

/* Call fn with every string in the raw value v[0..n), decoded, in order:
 * the value itself, or the elements of an array, or the member values (not
 * keys) of an object, at any depth. Numbers, booleans and null are not
 * strings. tmp holds decoded strings that had escapes. */
typedef void jwalk_fn(void *arg, const char *s, size_t n);
void jwalk_strings(const char *v, size_t n, struct buf *tmp, jwalk_fn *fn,
    void *arg);

/*
 * Skipping over JSON text that is known to be well formed (jscan checked
 * it): white space, a string from its opening quote, any value. Each
 * returns the position just past what it skipped.
 */
const char *jskip_ws(const char *p, const char *end);
const char *jskip_string(const char *p, const char *end);
const char *jskip_value(const char *p, const char *end);

#endif
