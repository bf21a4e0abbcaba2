/* date.c: parse feed dates into UTC seconds; format RFC 3339. */
#include <stdlib.h>
#include <string.h>

#include "date.h"

enum { UNSET = -1, AM = 0, PM = 1 };

struct date {
	int year, mon, day;
	int hour, min, sec;
	int wday, ampm;
	int nameoff, numoff;	/* minutes east of UTC */
	int hasname, hasnum;
};

static const char *const months[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december",
};

static const char *const wdays[] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday",
};

/*
 * Sorted for bsearch; minutes east of UTC. RFC 822 names plus common ones.
 * Ambiguous abbreviations (IST: India, Ireland or Israel) are left out so
 * they are rejected rather than guessed; CST and AST keep their RFC 822 /
 * North American meaning.
 */
static const struct zone {
	const char *name;
	int off;
} zones[] = {
	{ "acdt", 630 }, { "acst", 570 }, { "adt", -180 }, { "aedt", 660 },
	{ "aest", 600 }, { "akdt", -480 }, { "akst", -540 }, { "ast", -240 },
	{ "awst", 480 }, { "bst", 60 }, { "cdt", -300 }, { "cest", 120 },
	{ "cet", 60 }, { "cst", -360 }, { "edt", -240 }, { "eest", 180 },
	{ "eet", 120 }, { "est", -300 }, { "gmt", 0 }, { "hkt", 480 },
	{ "hst", -600 }, { "jst", 540 }, { "kst", 540 }, { "mdt", -360 },
	{ "mest", 120 }, { "met", 60 }, { "msk", 180 }, { "mst", -420 },
	{ "nzdt", 780 }, { "nzst", 720 }, { "pdt", -420 }, { "pst", -480 },
	{ "sgt", 480 }, { "ut", 0 }, { "utc", 0 }, { "west", 60 },
	{ "wet", 0 },
};

/* Our own classes: <ctype.h> answers depend on the locale. */
static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int
isalph(int c)
{
	return (c | 32) >= 'a' && (c | 32) <= 'z';
}

static int
isspc(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static size_t
ndigits(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && isdig((unsigned char)p[n]))
		n++;
	return n;
}

static int
num(const char *p, size_t n)
{
	int v = 0;

	while (n--)
		v = v * 10 + (*p++ - '0');
	return v;
}

static int
set(int *field, int v)
{
	if (*field != UNSET)
		return -1;
	*field = v;
	return 0;
}

static int
isleap(long long y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
mdays(long long y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && isleap(y) ? 29 : n[m - 1];
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian, day 0 = 1970-01-01. */
long long
date_days(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Index of the name w abbreviates (three letters at least), or -1. */
static int
find_name(const char *const *names, int n, const char *w, size_t len)
{
	int i;

	if (len < 3)
		return -1;
	for (i = 0; i < n; i++)
		if (len <= strlen(names[i]) && !strncmp(names[i], w, len))
			return i;
	return -1;
}

static int
zonecmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct zone *)elem)->name);
}

static int
zone_name(const char *w, size_t len, int military, int *off)
{
	const struct zone *z;

	/*
	 * RFC 822 got the signs of the military zones backwards, so RFC 2822
	 * section 4.3 says to read them all as -0000: UTC, offset unknown.
	 */
	if (len == 1 && (military ? *w != 'j' : *w == 'z')) {
		*off = 0;
		return 0;
	}
	z = bsearch(w, zones, sizeof zones / sizeof *zones, sizeof *zones, zonecmp);
	if (!z)
		return -1;
	*off = z->off;
	return 0;
}

/* Copy the word at p into w[WORDSZ], lowercased; NULL if it is too long. */
enum { WORDSZ = 16 };
static const char *
read_word(const char *p, const char *end, char *w, size_t *len)
{
	size_t n = 0;

	for (; p < end && isalph((unsigned char)*p); p++) {
		if (n + 1 >= WORDSZ)
			return NULL;
		w[n++] = (char)(*p | 32);
	}
	w[n] = '\0';
	*len = n;
	return p;
}

static const char *
skip_frac(const char *p, const char *end, const char *seps)
{
	size_t n;

	if (p < end && *p && strchr(seps, *p) && (n = ndigits(p + 1, end)) > 0)
		return p + 1 + n;
	return p;
}

/* H[H]:MM[:SS[<sep>fraction]]; the fraction is dropped. */
static const char *
parse_hms(const char *p, const char *end, struct date *d,
                             const char *fracseps)
{
	size_t n = ndigits(p, end);

	if (n < 1 || n > 2 || d->hour != UNSET)
		return NULL;
	d->hour = num(p, n);
	p += n;
	if (p == end || *p != ':' || ndigits(p + 1, end) != 2)
		return NULL;
	d->min = num(p + 1, 2);
	p += 3;
	d->sec = 0;
	if (p == end || *p != ':' || ndigits(p + 1, end) != 2)
		return p;
	d->sec = num(p + 1, 2);
	return skip_frac(p + 3, end, fracseps);
}

/* +HHMM, +HH:MM, +H or +HH (and the same with '-'). */
static const char *
parse_offset(const char *p, const char *end, int *off)
{
	int sign = *p++ == '-' ? -1 : 1, h, m = 0;
	size_t n = ndigits(p, end);

	if (n == 4) {
		h = num(p, 2);
		m = num(p + 2, 2);
		p += 4;
	} else if (n == 1 || n == 2) {
		h = num(p, n);
		p += n;
		if (p < end && *p == ':') {
			if (ndigits(p + 1, end) != 2)
				return NULL;
			m = num(p + 1, 2);
			p += 3;
		}
	} else {
		return NULL;
	}
	if (h > 23 || m > 59)
		return NULL;
	*off = sign * (h * 60 + m);
	return p;
}

/* RFC 3339 / ISO 8601 / W3C-DTF, extended or basic format. */
static const char *
parse_isotime(const char *p, const char *end, struct date *d)
{
	size_t n = ndigits(p, end);

	if (n == 2 && p + 2 < end && p[2] == ':')
		return parse_hms(p, end, d, ".,");
	if (n != 4 && n != 6)
		return NULL;
	d->hour = num(p, 2);
	d->min = num(p + 2, 2);
	d->sec = n == 6 ? num(p + 4, 2) : 0;
	return n == 6 ? skip_frac(p + n, end, ".,") : p + n;
}

static const char *
parse_isozone(const char *p, const char *end, struct date *d)
{
	char w[WORDSZ];
	size_t len;

	d->hasnum = 1;
	if (*p == '+' || *p == '-')
		return parse_offset(p, end, &d->numoff);
	if (!(p = read_word(p, end, w, &len)) || len == 0)
		return NULL;
	return zone_name(w, len, 0, &d->numoff) ? NULL : p;
}

static int
looks_iso(const char *p, const char *end)
{
	size_t n = ndigits(p, end);

	return (n == 4 && (p + 4 == end || p[4] == '-')) || n == 8;
}

static int
parse_iso(const char *p, const char *end, struct date *d)
{
	d->year = num(p, 4);
	d->mon = d->day = 1;
	if (ndigits(p, end) == 8) {
		d->mon = num(p + 4, 2);
		d->day = num(p + 6, 2);
		p += 8;
	} else {
		/* W3C-DTF allows YYYY and YYYY-MM: the first day of either. */
		if ((p += 4) == end)
			return 0;
		if (ndigits(++p, end) != 2)
			return -1;
		d->mon = num(p, 2);
		if ((p += 2) == end)
			return 0;
		if (*p != '-' || ndigits(++p, end) != 2)
			return -1;
		d->day = num(p, 2);
		p += 2;
	}
	if (p + 1 < end && (*p == 'T' || *p == 't' || *p == ' ') && isdig((unsigned char)p[1]))
		if (!(p = parse_isotime(p + 1, end, d)))
			return -1;
	while (p < end && isspc((unsigned char)*p))
		p++;
	/* A zone right after the date (PRISM's "2018-12-17-08:00") means midnight there. */
	if (p < end && !(p = parse_isozone(p, end, d)))
		return -1;
	return p == end ? 0 : -1;
}

/* Zones come last; this keeps a stray letter early on from passing as one. */
static int
zone_may_follow(const struct date *d)
{
	return d->year != UNSET || d->hour != UNSET;
}

static const char *
parse_word(const char *p, const char *end, struct date *d)
{
	char w[WORDSZ];
	size_t len;
	int i, off;

	if (!(p = read_word(p, end, w, &len)))
		return NULL;
	if ((i = find_name(months, 12, w, len)) >= 0)
		return set(&d->mon, i + 1) ? NULL : p;
	if ((i = find_name(wdays, 7, w, len)) >= 0)
		return set(&d->wday, i) ? NULL : p;	/* never checked, as feedparser */
	if (!strcmp(w, "am") || !strcmp(w, "pm"))
		return set(&d->ampm, w[0] == 'p' ? PM : AM) ? NULL : p;
	if (!zone_may_follow(d) || d->hasname || zone_name(w, len, 1, &off))
		return NULL;
	d->hasname = 1;
	d->nameoff = off;
	return p;
}

/* The "th" of "January 16th". */
static const char *
skip_ordinal(const char *p, const char *end)
{
	static const char sfx[][3] = { "st", "nd", "rd", "th" };
	size_t i;

	if (end - p < 2 || (p + 2 < end && isalph((unsigned char)p[2])))
		return p;
	for (i = 0; i < sizeof sfx / sizeof *sfx; i++)
		if ((p[0] | 32) == sfx[i][0] && (p[1] | 32) == sfx[i][1])
			return p + 2;
	return p;
}

/* A day, a year, or a time; which one depends on shape and on what came before. */
static const char *
parse_number(const char *p, const char *end, struct date *d)
{
	size_t n = ndigits(p, end);
	int v;

	if (p + n < end && p[n] == ':')
		return parse_hms(p, end, d, ".:");	/* ':' for SQL's "12:00:00:000AM" */
	if (n == 4)
		return set(&d->year, num(p, 4)) ? NULL : p + n;
	if (n > 2)
		return NULL;
	v = num(p, n);
	p += n;
	if (d->day == UNSET) {
		d->day = v;
		return skip_ordinal(p, end);
	}
	if (n != 2 || d->year != UNSET)
		return NULL;
	d->year = v + (v < 50 ? 2000 : 1900);	/* RFC 2822 section 4.3 */
	return p;
}

static const char *
skip_comment(const char *p, const char *end)
{
	int depth = 0;

	do {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		p++;
	} while (depth > 0 && p < end);
	return depth ? NULL : p;
}

/* RFC 822 and its relatives: tokens in any order, each field at most once. */
static int
parse_words(const char *p, const char *end, struct date *d)
{
	const char *start = p;

	while (p < end) {
		unsigned char c = (unsigned char)*p;

		if (isspc(c) || c == ',' || c == '.')
			p++;
		else if (c == '(')
			p = skip_comment(p, end);
		else if (isalph(c))
			p = parse_word(p, end, d);
		else if (isdig(c))
			p = parse_number(p, end, d);
		/* Before the year or a time, '-' separates: "16-Jan-2025";
		 * after a space it would be a sign: "-2025" is no year. */
		else if ((c == '+' || c == '-') && zone_may_follow(d))
			p = d->hasnum++ ? NULL : parse_offset(p, end, &d->numoff);
		else if (c == '-' && p > start && !isspc((unsigned char)p[-1]))
			p++;
		else
			return -1;
		if (!p)
			return -1;
	}
	return 0;
}

static int
finish(struct date *d, time_t *out)
{
	long long t;
	int off;

	if (d->year == UNSET || d->mon == UNSET || d->day == UNSET)
		return -1;
	if (d->hour == UNSET) {
		if (d->ampm != UNSET)
			return -1;
		d->hour = d->min = d->sec = 0;
	}
	if (d->ampm != UNSET) {
		if (d->hour < 1 || d->hour > 12)
			return -1;
		d->hour = d->hour % 12 + 12 * d->ampm;
	}
	/* Second 60 is a leap second; it becomes the next minute's :00. */
	if (d->mon < 1 || d->mon > 12 || d->day < 1 || d->day > mdays(d->year, d->mon) ||
	    d->hour > 23 || d->min > 59 || d->sec > 60)
		return -1;
	/* A numeric offset is more precise than a name: "GMT+0100", "-0500 EST". */
	off = d->hasnum ? d->numoff : d->hasname ? d->nameoff : 0;
	t = date_days(d->year, d->mon, d->day) * 86400 +
	    d->hour * 3600LL + d->min * 60LL + d->sec - off * 60LL;
	/* RFC 3339 has four-digit years: 0000-01-01 to 9999-12-31, in UTC */
	if (t < date_days(0, 1, 1) * 86400 ||
	    t >= date_days(10000, 1, 1) * 86400 || (long long)(time_t)t != t)
		return -1;
	*out = (time_t)t;
	return 0;
}

int
date_parse(const char *s, time_t *out)
{
	struct date d = {
		.year = UNSET, .mon = UNSET, .day = UNSET,
		.hour = UNSET, .min = UNSET, .sec = UNSET,
		.wday = UNSET, .ampm = UNSET,
	};
	const char *end;

	if (!s)
		return -1;
	end = s + strlen(s);
	while (s < end && isspc((unsigned char)*s))
		s++;
	while (end > s && isspc((unsigned char)end[-1]))
		end--;
	if (s == end)
		return -1;
	if (looks_iso(s, end) ? parse_iso(s, end, &d) : parse_words(s, end, &d))
		return -1;
	return finish(&d, out);
}

static void
put2(char *out, int v)
{
	out[0] = (char)('0' + v / 10);
	out[1] = (char)('0' + v % 10);
}

void
date_format(time_t t, char *out)
{
	long long days = (long long)t / 86400, secs = (long long)t % 86400, y;
	int m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0)	/* never from date_parse: clamped to what RFC 3339 can say */
		y = 0, m = d = 1, secs = 0;
	else if (y > 9999)
		y = 9999, m = 12, d = 31, secs = 86399;
	/* by hand: snprintf was a visible part of feed2jsonl's time */
	put2(out, (int)(y / 100));
	put2(out + 2, (int)(y % 100));
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = 'T';
	put2(out + 11, (int)(secs / 3600));
	out[13] = ':';
	put2(out + 14, (int)(secs / 60 % 60));
	out[16] = ':';
	put2(out + 17, (int)(secs % 60));
	out[19] = 'Z';
	out[20] = '\0';
}
