/* jscan.c: a validating JSON scanner that locates one value without building
 * a tree. It accepts exactly what jsonl_parse accepts, minus the rare cases
 * listed in jscan.h, for which it answers -2. */
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "jscan.h"
#include "text.h"

enum {
	MAXDEPTH = 512,
	MAXINTDIGITS = 18,	/* surely fits json_int_t (long long) */
	MAXMAGNITUDE = 308,	/* below 10^308 < DBL_MAX: no overflow */
	MINMAGNITUDE = -300,	/* above 10^-300 > DBL_MIN: no underflow */
};

struct span {
	const unsigned char *s;
	size_t n;
};

struct scan {
	const unsigned char *p, *end;
	int depth;
};

static int scan_value(struct scan *sc);

static int
isdig(const unsigned char *p, const unsigned char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* Length of the UTF-8 sequence at p, or 0 if it is not strictly valid
 * (overlong, surrogate, above U+10FFFF, truncated), as for jansson. */
static size_t
utf8len(const unsigned char *p, const unsigned char *end)
{
	uint32_t cp;
	size_t n, i;

	if (*p < 0x80)
		return 1;
	if (*p < 0xc2)
		return 0;
	if (*p < 0xe0)
		n = 2, cp = *p & 0x1f;
	else if (*p < 0xf0)
		n = 3, cp = *p & 0x0f;
	else if (*p < 0xf5)
		n = 4, cp = *p & 0x07;
	else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static int
hex4(const unsigned char *p, uint32_t *v)
{
	int i, c;

	*v = 0;
	for (i = 0; i < 4; i++) {
		c = p[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | (uint32_t)c;
	}
	return 0;
}

/* Length of the escape at p (*p == '\\') and its code point in *cp, or 0 if
 * invalid. A surrogate pair is one escape; a lone surrogate and \u0000 are
 * invalid, as for jansson. */
static size_t
escape(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	uint32_t lo;

	if (end - p < 2)
		return 0;
	if (p[1] != 'u') {
		if (!p[1] || !(e = strchr(from, p[1])))
			return 0;
		*cp = (unsigned char)to[e - from];
		return 2;
	}
	if (end - p < 6 || hex4(p + 2, cp) || *cp == 0 ||
	    (*cp >= 0xdc00 && *cp <= 0xdfff))
		return 0;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return 6;
	if (end - p < 12 || p[6] != '\\' || p[7] != 'u' || hex4(p + 8, &lo) ||
	    lo < 0xdc00 || lo > 0xdfff)
		return 0;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return 12;
}

static void
skipws(struct scan *sc)
{
	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' ||
	    *sc->p == '\n' || *sc->p == '\r'))
		sc->p++;
}

/* The end of the run of plain ASCII at p (no control, quote, backslash
 * or byte above 0x7F), taken eight bytes at a time. */
static const unsigned char *
plain_end(const unsigned char *p, const unsigned char *end)
{
	uint64_t w;

	for (; end - p >= 8; p += 8) {
		memcpy(&w, p, 8);
		if (SWAR_LESS(w, 0x20) | (w & SWAR_HIGH) | SWAR_HAS(w, '"') |
		    SWAR_HAS(w, '\\'))
			break;
	}
	while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
		p++;
	return p;
}

/* Skip the string at sc->p; *esc tells whether it held an escape. */
static int
scan_string(struct scan *sc, int *esc)
{
	const unsigned char *p = sc->p + 1, *end = sc->end;
	uint32_t cp;
	size_t n;

	*esc = 0;
	for (;;) {
		p = plain_end(p, end);
		if (p == end || *p < 0x20)
			return -1;
		if (*p == '"')
			break;
		if (*p == '\\') {
			n = escape(p, end, &cp);
			*esc = 1;
		} else {
			n = utf8len(p, end);
		}
		if (!n)
			return -1;
		p += n;
	}
	sc->p = p + 1;
	return 0;
}

/* Numbers that jansson cannot hold although they are valid JSON (integer
 * or real overflow, underflow to 0: jsonl_parse keeps them raw) count as
 * bad here, for jsonl_parse to read. */
static int
scan_number(struct scan *sc)
{
	const unsigned char *p = sc->p, *end = sc->end, *d;
	long mag, e = 0, lead = 0;
	int real = 0, eneg = 0, nonzero;

	if (p < end && *p == '-')
		p++;
	d = p;
	if (p < end && *p == '0')
		p++;
	else if (isdig(p, end))
		while (isdig(p, end))
			p++;
	else
		return -1;
	mag = *d == '0' ? 0 : p - d;
	nonzero = mag > 0;
	if (p < end && *p == '.') {
		real = 1;
		if (!isdig(++p, end))
			return -1;
		for (; isdig(p, end); p++) {
			if (!nonzero && *p == '0' && lead < 100000)
				lead++;
			nonzero |= *p != '0';
		}
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		real = 1;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (!isdig(p, end))
			return -1;
		for (; isdig(p, end); p++)
			if (e < 100000)
				e = e * 10 + (*p - '0');
	}
	if (real ? (eneg ? mag - e : mag + e) > MAXMAGNITUDE ||
	    (nonzero && (eneg ? mag - lead - e : mag - lead + e) < MINMAGNITUDE) :
	    mag > MAXINTDIGITS)
		return -1;
	sc->p = p;
	return 0;
}

static int
scan_literal(struct scan *sc, const char *lit, size_t n)
{
	if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, lit, n))
		return -1;
	sc->p += n;
	return 0;
}

/* Scan the object at sc->p; if key is not NULL, note its value in *val. */
static int
scan_object(struct scan *sc, const char *key, size_t keylen, struct span *val)
{
	const unsigned char *v;
	struct span k;
	int esc;

	if (++sc->depth > MAXDEPTH)
		return -1;
	sc->p++;
	skipws(sc);
	if (sc->p < sc->end && *sc->p == '}')
		goto done;
	for (;;) {
		if (sc->p == sc->end || *sc->p != '"')
			return -1;
		k.s = sc->p + 1;
		if (scan_string(sc, &esc) || esc)
			return -1;
		k.n = (size_t)(sc->p - k.s) - 1;
		skipws(sc);
		if (sc->p == sc->end || *sc->p != ':')
			return -1;
		sc->p++;
		skipws(sc);
		v = sc->p;
		if (scan_value(sc))
			return -1;
		/* a key given twice: the last value wins, as in jsonl_parse */
		if (key && k.n == keylen && !memcmp(k.s, key, keylen)) {
			val->s = v;
			val->n = (size_t)(sc->p - v);
		}
		skipws(sc);
		if (sc->p < sc->end && *sc->p == ',') {
			sc->p++;
			skipws(sc);
		} else if (sc->p < sc->end && *sc->p == '}') {
			break;
		} else {
			return -1;
		}
	}
done:
	sc->p++;
	sc->depth--;
	return 0;
}

/* Scan the array at sc->p, noting element want (if >= 0) in *val and the
 * number of elements in *count. */
static int
scan_array(struct scan *sc, long want, struct span *val, long *count)
{
	const unsigned char *v;
	long i = 0;

	if (++sc->depth > MAXDEPTH)
		return -1;
	sc->p++;
	skipws(sc);
	if (sc->p < sc->end && *sc->p == ']')
		goto done;
	for (;; i++) {
		v = sc->p;
		if (scan_value(sc))
			return -1;
		if (i == want) {
			val->s = v;
			val->n = (size_t)(sc->p - v);
		}
		skipws(sc);
		if (sc->p < sc->end && *sc->p == ',') {
			sc->p++;
			skipws(sc);
		} else if (sc->p < sc->end && *sc->p == ']') {
			i++;
			break;
		} else {
			return -1;
		}
	}
done:
	sc->p++;
	sc->depth--;
	if (count)
		*count = i;
	return 0;
}

static int
scan_value(struct scan *sc)
{
	int esc;

	if (sc->p == sc->end)
		return -1;
	switch (*sc->p) {
	case '{':
		return scan_object(sc, NULL, 0, NULL);
	case '[':
		return scan_array(sc, -1, NULL, NULL);
	case '"':
		return scan_string(sc, &esc);
	case 't':
		return scan_literal(sc, "true", 4);
	case 'f':
		return scan_literal(sc, "false", 5);
	case 'n':
		return scan_literal(sc, "null", 4);
	default:
		return scan_number(sc);
	}
}

static void
scan_init(struct scan *sc, const char *s, size_t n)
{
	sc->p = (const unsigned char *)s;
	sc->end = sc->p + n;
	sc->depth = 0;
	skipws(sc);
}

static int
scan_atend(struct scan *sc)
{
	skipws(sc);
	return sc->p == sc->end;
}

int
jscan_find(const char *s, size_t n, const char *key,
    const char **val, size_t *vlen)
{
	struct scan sc;
	struct span v = { NULL, 0 };

	scan_init(&sc, s, n);
	if (sc.p == sc.end || *sc.p != '{' ||
	    scan_object(&sc, key, strlen(key), &v) || !scan_atend(&sc))
		return -2;
	if (!v.s)
		return -1;
	*val = (const char *)v.s;
	*vlen = v.n;
	return 0;
}

int
jscan_index(const char *s, size_t n, long idx,
    const char **val, size_t *vlen)
{
	struct scan sc;
	struct span v = { NULL, 0 };
	const unsigned char *start;
	long count;

	scan_init(&sc, s, n);
	start = sc.p;
	if (sc.p == sc.end || *sc.p != '[' ||
	    scan_array(&sc, idx, &v, &count) || !scan_atend(&sc))
		return -2;
	if (idx < 0 && idx >= -count) {
		/* a second pass over text now known to be good */
		sc.p = start;
		scan_array(&sc, count + idx, &v, &count);
	}
	if (!v.s)
		return -1;
	*val = (const char *)v.s;
	*vlen = v.n;
	return 0;
}

/* out emptied, with room for vlen bytes: decoding never lengthens */
static void
decoding(struct buf *out, size_t vlen)
{
	buf_reset(out);
	buf_grow(out, vlen);
	out->s[out->len] = '\0';
}

long
jscan_string(const char *val, size_t vlen, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)val, *end = p + vlen, *run;
	uint32_t cp;
	size_t n;
	char u[4];

	decoding(out, vlen);
	if (vlen < 2 || p[0] != '"' || end[-1] != '"')
		return -1;
	/* text as it stands (ASCII and valid UTF-8) is copied a run at a
	 * time; only an escape ends a run */
	for (p++, end--, run = p; (p = plain_end(p, end)) < end; p += n) {
		if (*p >= 0x80) {
			if (!(n = utf8len(p, end)))
				return -1;
			continue;
		}
		if (*p != '\\' || !(n = escape(p, end, &cp)))
			return -1;	/* a control character, a quote */
		buf_put(out, (const char *)run, (size_t)(p - run));
		buf_put(out, u, utf8_encode(cp, u));
		run = p + n;
	}
	buf_put(out, (const char *)run, (size_t)(p - run));
	return (long)out->len;
}

long
jscan_unescape(const char *val, size_t vlen, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)val, *end = p + vlen, *q;
	uint32_t cp;
	size_t n;
	char u[4];

	decoding(out, vlen);
	if (vlen < 2 || p[0] != '"')
		return -1;
	for (p++, end--; (q = memchr(p, '\\', (size_t)(end - p))); p = q + n) {
		if (!(n = escape(q, end, &cp)))
			return -1;
		buf_put(out, (const char *)p, (size_t)(q - p));
		buf_put(out, u, utf8_encode(cp, u));
	}
	buf_put(out, (const char *)p, (size_t)(end - p));
	return (long)out->len;
}
