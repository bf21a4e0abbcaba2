/* date.h: parse the dates found in feeds; format them as RFC 3339. */
#ifndef FEEDPIPE_DATE_H
#define FEEDPIPE_DATE_H

#include <time.h>

/* Size of the buffer date_format writes into. */
#define DATE_BUFSZ 32

/*
 * Parse a feed date: RFC 822/2822/1123, RFC 3339/ISO 8601/W3C-DTF and a few
 * odd real-world forms (asctime, "January 16, 2025", SQL-ish 12-hour times).
 * On success store seconds since the epoch (UTC) in *out and return 0;
 * return -1 if the date is not understood, a field is out of range, or it
 * falls outside 0000-01-01T00:00:00Z..9999-12-31T23:59:59Z once in UTC
 * (RFC 3339 years have four digits). Two-digit years are 1950..2049
 * (RFC 2822 section 4.3). A missing time means midnight; a missing zone
 * means UTC.
 */
int date_parse(const char *s, time_t *out);

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d (m 1..12);
 * no time zone, no locale, no libc call. */
long long date_days(long long y, int m, int d);

/* Write t as RFC 3339 UTC, "2025-01-16T05:00:00Z", into out[DATE_BUFSZ];
 * a t outside the years 0000..9999 is clamped to their ends. */
void date_format(time_t t, char *out);

#endif
