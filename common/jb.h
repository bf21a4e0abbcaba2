/* jb.h: jansson values from JSON text that jscan has already checked
 * (valid as jansson reads it, and no escape in any key): the same values
 * json_loadb would give, at a fraction of its cost. */
#ifndef FEEDPIPE_JB_H
#define FEEDPIPE_JB_H

#include <stddef.h>

#include <jansson.h>

/* The value s[0..n); white space around it is allowed. */
json_t *jb_value(const char *s, size_t n);

#endif
