/* jstream.c: a JSON tokenizer over a stream, with repairs (jstream.h). */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jstream.h"
#include "text.h"
#include "util.h"

#define CHUNK (64u << 10)

void
jstream_init(struct jstream *js, FILE *fp, const char *head, size_t n,
    unsigned long line)
{
	memset(js, 0, sizeof *js);
	js->fp = fp;
	js->buf = emalloc(CHUNK);
	if (n)
		memcpy(js->buf, head, n);
	js->len = n;
	js->line = js->tline = line;
	js->limit = -1;
	if (n >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3))
		js->pos = 3;
}

void
jstream_free(struct jstream *js)
{
	free(js->buf);
	buf_free(&js->word);
}

/* At least need unread bytes in the buffer, unless the input ends first. */
static int
fill(struct jstream *js, size_t need)
{
	size_t n;

	if (js->len - js->pos >= need)
		return 1;
	if (js->copy && js->pos > js->copy_from)
		fwrite(js->buf + js->copy_from, 1, js->pos - js->copy_from, js->copy);
	memmove(js->buf, js->buf + js->pos, js->len - js->pos);
	js->off += (long long)js->pos;
	js->len -= js->pos;
	js->pos = js->copy_from = 0;
	while (!js->eof && js->len < need) {
		n = CHUNK - js->len;
		if (js->limit >= 0 && (long long)n > js->limit)
			n = (size_t)js->limit;
		n = n ? fread(js->buf + js->len, 1, n, js->fp) : 0;
		if (n == 0)
			js->eof = 1;
		if (js->limit >= 0)
			js->limit -= (long long)n;
		js->len += n;
	}
	return js->len >= need;
}

void
jstream_copy(struct jstream *js, FILE *to, size_t back)
{
	js->copy = to;
	js->copy_from = js->pos - back;
}

void
jstream_copy_end(struct jstream *js, size_t back)
{
	if (js->copy && js->pos - back > js->copy_from)
		fwrite(js->buf + js->copy_from, 1, js->pos - back - js->copy_from, js->copy);
	js->copy = NULL;
}

static int
is_delim(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' || c == '}' ||
	       c == '[' || c == ']' || c == ',' || c == ':' || c == '"';
}

/* Decimal exponent of the leading digit of a valid real, LONG_MIN for 0. */
static long
magnitude(const char *s, size_t n, size_t *first)
{
	size_t i = s[0] == '-', nint = 0, k = 0;
	long e = 0;
	int frac = 0, found = 0, neg = 0;

	for (; i < n && s[i] != 'e' && s[i] != 'E'; i++) {
		if (s[i] == '.') {
			frac = 1;
			continue;
		}
		if (!found && s[i] != '0') {
			found = 1;
			*first = i;
		}
		k += !found;
		nint += !frac;
	}
	if (!found)
		return LONG_MIN;
	if (i < n && ++i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < n; i++)
		if (e < 100000000)
			e = e * 10 + (s[i] - '0');
	return (long)nint - 1 - (long)k + (neg ? -e : e);
}

/* Does the real s[0..n) overflow a double? Only 1e308 to 1.8e308 need strtod. */
static int
real_overflows(const char *s, size_t n)
{
	size_t i = 0, d = 0;
	long m = magnitude(s, n, &i);
	char digits[820];

	if (m != 308)
		return m > 308;
	for (; i < n && s[i] != 'e' && s[i] != 'E' && d < 800; i++)
		if (s[i] != '.')
			digits[d++] = s[i];
	/* digits and an exponent, no '.': the same in every locale */
	snprintf(digits + d, sizeof digits - d, "e%ld", 308 - (long)(d - 1));
	return isinf(strtod(digits, NULL));
}

/* JP_NUMBER, JP_RANGE or 0 for the word s[0..n) (all of it held). */
static unsigned
number_check(const char *s, size_t n)
{
	size_t i = s[0] == '-', start, nd;
	int real = 0;

	start = i;
	if (i < n && s[i] == '0')
		i++;
	else
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	if (i == start)
		return JP_NUMBER;
	nd = i - start;
	if (i < n && s[i] == '.') {
		real = 1;
		start = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return JP_NUMBER;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		real = 1;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		start = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return JP_NUMBER;
	}
	if (i != n)
		return JP_NUMBER;
	if (real)
		return real_overflows(s, n) ? JP_RANGE : 0;
	if (nd != 19)
		return nd > 19 ? JP_RANGE : 0;
	return strncmp(s + (s[0] == '-'), s[0] == '-' ? "9223372036854775808" :
	               "9223372036854775807", 19) > 0 ? JP_RANGE : 0;
}

/* A run of bytes up to a delimiter: a literal, a number or garbage. */
static enum jtok
word(struct jstream *js, int c)
{
	struct buf *w = &js->word;
	size_t total = 0;

	buf_reset(w);
	js->prob = 0;
	js->pos--;
	while (fill(js, 1) && !is_delim((unsigned char)js->buf[js->pos])) {
		if (total++ < JSTREAM_WORDMAX)
			buf_putc(w, js->buf[js->pos]);
		js->pos++;
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		js->prob = number_check(w->s, w->len);
		if (total > JSTREAM_WORDMAX && !js->prob)
			js->prob = JP_RANGE;	/* a valid start, too long to hold */
		return JT_NUMBER;
	}
	if (!strcmp(w->s, "true"))
		return JT_TRUE;
	if (!strcmp(w->s, "false"))
		return JT_FALSE;
	return strcmp(w->s, "null") ? JT_BAD : JT_NULL;
}

enum jtok
jstream_next(struct jstream *js)
{
	int c;

	for (;;) {
		if (!fill(js, 1))
			return js->tline = js->line, JT_EOF;
		c = (unsigned char)js->buf[js->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		js->line += c == '\n';
		js->pos++;
	}
	js->tline = js->line;
	js->pos++;
	switch (c) {
	case '{': return JT_OBJ;
	case '}': return JT_OBJEND;
	case '[': return JT_ARR;
	case ']': return JT_ARREND;
	case ':': return JT_COLON;
	case ',': return JT_COMMA;
	case '"': return JT_STRING;
	default: return word(js, c);
	}
}

/* Where a string's decoded text goes. */
struct sink {
	struct jstream *js;
	struct buf *out;
	size_t max;
	unsigned hi;		/* a high surrogate waiting for its pair */
	int full;
};

static void
put(struct sink *k, const char *s, size_t n)
{
	if (k->hi) {
		k->hi = 0;
		k->js->prob |= JP_SURROGATE;
		put(k, "\xEF\xBF\xBD", 3);
	}
	if (k->full || !k->out)
		return;
	if (k->out->len + n > k->max) {
		k->full = 1;
		k->js->prob |= JP_CUT;
		n = k->max - k->out->len;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;	/* s[n] continues a character: cut before it */
	}
	buf_put(k->out, s, n);
}

static void
put_cp(struct sink *k, unsigned long cp)
{
	char u[4];

	if (cp == 0) {
		k->js->prob |= JP_NUL;
		put(k, "", 0);
		return;
	}
	put(k, u, utf8_encode((uint32_t)cp, u));
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* \uXXXX, the backslash and u read: with surrogate pairs. */
static void
unicode_escape(struct sink *k)
{
	struct jstream *js = k->js;
	unsigned long cu = 0;
	int i, h;

	fill(js, 4);
	for (i = 0; i < 4 && js->pos < js->len; i++, js->pos++) {
		if ((h = hexval((unsigned char)js->buf[js->pos])) < 0)
			break;
		cu = cu << 4 | (unsigned)h;
	}
	if (i < 4) {
		js->prob |= JP_ESCAPE;
		put(k, "\xEF\xBF\xBD", 3);
	} else if (cu >= 0xDC00 && cu <= 0xDFFF && k->hi) {
		cu = 0x10000 + ((k->hi - 0xD800) << 10) + (cu - 0xDC00);
		k->hi = 0;
		put_cp(k, cu);
	} else if (cu >= 0xD800 && cu <= 0xDBFF) {
		put(k, "", 0);	/* a pending one is lone */
		k->hi = (unsigned)cu;
	} else if (cu >= 0xDC00 && cu <= 0xDFFF) {
		put(k, "", 0);
		js->prob |= JP_SURROGATE;
		put(k, "\xEF\xBF\xBD", 3);
	} else {
		put_cp(k, cu);
	}
}

static void
escape(struct sink *k)
{
	struct jstream *js = k->js;
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *p;
	int c;

	js->pos++;
	if (!fill(js, 1))
		return;
	c = (unsigned char)js->buf[js->pos];
	if (c == 'u') {
		js->pos++;
		unicode_escape(k);
	} else if (c && (p = strchr(from, c))) {
		js->pos++;
		put(k, to + (p - from), 1);
	} else {
		js->prob |= JP_ESCAPE;	/* \' is one character; a byte of UTF-8 stays */
		js->pos += c >= 0x20 && c < 0x7F;
		put(k, "\xEF\xBF\xBD", 3);
	}
}

/* A run of plain ASCII from the current position. */
static void
ascii_run(struct sink *k)
{
	struct jstream *js = k->js;
	size_t i = js->pos;
	unsigned char c;

	while (i < js->len && (c = (unsigned char)js->buf[i]) >= 0x20 && c < 0x80 &&
	       c != '"' && c != '\\')
		i++;
	put(k, js->buf + js->pos, i - js->pos);
	js->pos = i;
}

static void
other_byte(struct sink *k, unsigned char c)
{
	struct jstream *js = k->js;
	size_t n;

	if (c < 0x20) {
		js->pos++;
		js->line += c == '\n';
		if (c) {
			js->prob |= JP_CTRL;
			put(k, (const char *)&c, 1);
		} else {
			put_cp(k, 0);
		}
		return;
	}
	fill(js, 4);
	n = utf8_seqlen((const unsigned char *)js->buf + js->pos, js->len - js->pos);
	if (n) {
		put(k, js->buf + js->pos, n);
		js->pos += n;
	} else {
		js->prob |= JP_UTF8;
		put(k, "\xEF\xBF\xBD", 3);
		js->pos++;
	}
}

void
jstream_string(struct jstream *js, struct buf *out, size_t max)
{
	struct sink k = { js, out, max, 0, 0 };
	unsigned char c;

	js->prob = 0;
	for (;;) {
		if (!fill(js, 1)) {
			js->prob |= JP_EOF;
			break;
		}
		c = (unsigned char)js->buf[js->pos];
		if (c == '"') {
			js->pos++;
			break;
		}
		if (c == '\\')
			escape(&k);
		else if (c >= 0x20 && c < 0x80)
			ascii_run(&k);
		else
			other_byte(&k, c);
	}
	put(&k, "", 0);	/* a high surrogate at the end is lone */
}
