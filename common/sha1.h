/* sha1.h: SHA-1 (FIPS 180-4), for ids of items that have nothing better. */
#ifndef FEEDPIPE_SHA1_H
#define FEEDPIPE_SHA1_H

#include <stddef.h>

/* Write the hex digest of data[0..n) into hex[41]. */
void sha1_hex(const void *data, size_t n, char hex[41]);

#endif
