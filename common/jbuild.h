/* jbuild.h: jansson values from JSON text that jscan has already checked
 * (valid as jansson reads it, and no escape in any key): the same values
 * json_loadb would give, at a fraction of its cost. */
#ifndef FEEDPIPE_JBUILD_H
#define FEEDPIPE_JBUILD_H

#include <stddef.h>

#include <jansson.h>

/* The value s[0..n); white space around it is allowed. */
json_t *jb_value(const char *s, size_t n);
/* fn for each member of the object s[0..n), with the raw value text. */
void jb_members(const char *s, size_t n,
    void (*fn)(void *arg, const char *key, size_t klen, const char *val,
    size_t vlen), void *arg);

#endif
