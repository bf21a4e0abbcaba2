/* text.c: UTF-8 and plain-text helpers. */
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"
#include "util.h"

int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int
ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		int d = ascii_lower((unsigned char)*a) - ascii_lower((unsigned char)*b);
		if (d || !*a)
			return d;
	}
	return 0;
}

int
ascii_casecmp(const char *a, const char *b)
{
	return ascii_ncasecmp(a, b, (size_t)-1);
}

const char *
ascii_casestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (ascii_ncasecmp(hay, needle, n) == 0)
			return hay;
	return NULL;
}

size_t
utf8_encode(uint32_t cp, char *u)
{
	if (cp < 0x80) {
		u[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	u[0] = (char)(0xF0 | cp >> 18);
	u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	u[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void
utf8_put(struct buf *b, uint32_t cp)
{
	char t[4];

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	buf_put(b, t, utf8_encode(cp, t));
}

size_t
utf8_seqlen(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
			return 0;	/* overlong or surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
			return 0;
		return 4;
	}
	return 0;
}

size_t
utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (!(k = utf8_seqlen(p + i, n - i)))
			break;
		i += k;
	}
	return i;
}

size_t
utf8_repair(struct buf *out, const char *s, size_t n)
{
	size_t bad = 0, ok;

	while (n) {
		ok = utf8_valid_prefix(s, n);
		buf_put(out, s, ok);
		s += ok;
		n -= ok;
		if (n) {
			utf8_put(out, 0xFFFD);
			s++;
			n--;
			bad++;
		}
	}
	return bad;
}

/* White space as text_plain sees it: ASCII blanks, and U+00A0's lead byte. */
static const unsigned char blank[256] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
	[0xC2] = 2,
};

/* Length of the white space at s (ASCII blanks and U+00A0), 0 if none. */
static size_t
space_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)*s;

	if (blank[c] == 1)
		return 1;
	if (blank[c] == 2 && n >= 2 && (unsigned char)s[1] == 0xA0)
		return 2;
	return 0;
}

/*
 * Eight bytes that can be copied as they are: no control character or
 * U+00A0, no two spaces in a row, no space where the output starts or
 * already ends in one. (A flag may be wrong for a byte just above a match;
 * that only sends a word down the slow path.)
 */
static int
plain_word(uint64_t w, int after_space)
{
	uint64_t sp;

	if (SWAR_LESS(w, 0x20) || SWAR_HAS(w, 0xC2))
		return 0;
	sp = SWAR_LESS(w ^ (SWAR_ONES * ' '), 1);
	return !(sp & (sp << 8)) && !(after_space && (sp & 0x80));
}

/* Writes straight into out: the result is never longer than the input. */
static void
normalise(struct buf *out, const char *s, size_t n, int paragraphs)
{
	size_t i = 0, k, start;
	int newlines;
	char *d;
	uint64_t w;

	buf_grow(out, n);
	start = out->len;
	d = out->s + out->len;
	while (i < n) {
		while (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if (!plain_word(w, d == out->s + start || d[-1] == ' '))
				break;
			memcpy(d, &w, 8);
			d += 8;
			i += 8;
		}
		if (i == n)
			break;
		if (!(k = space_len(s + i, n - i))) {
			*d++ = s[i++];
			continue;
		}
		if (d > out->s + start && d[-1] == ' ')
			d--;	/* a space the fast path copied joins this run */
		for (newlines = 0; i < n && (k = space_len(s + i, n - i)); i += k)
			newlines += s[i] == '\n';
		if (d == out->s + start || i == n)
			continue;
		if (paragraphs && newlines >= 2) {
			*d++ = '\n';
			*d++ = '\n';
		} else {
			*d++ = ' ';
		}
	}
	if (d > out->s + start && d[-1] == ' ')
		d--;
	out->len = (size_t)(d - out->s);
	out->s[out->len] = '\0';
}

void
text_plain(struct buf *out, const char *s, size_t n)
{
	normalise(out, s, n, 1);
}

void
text_line(struct buf *out, const char *s, size_t n)
{
	normalise(out, s, n, 0);
}

static const char *const html_tags[] = {
	"a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2",
	"h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre",
	"script", "span", "strong", "style", "sub", "sup", "table", "td", "tr",
	"u", "ul", "iframe", "font", "center", "dl", "dt", "dd", "figure",
	"small", "big", "tt", "cite", "q", "s", "strike", "th", "thead",
	"tbody", "caption", "section", "article", "header", "footer", "nav",
	"object", "embed", "video", "audio", "source", "math", "svg", "body",
	"html", "head", "title", "meta", "link", "input", "form", "label",
	"button", "select", "textarea", "blink", "marquee", "applet", "frame",
	"frameset", "noscript", "base", "del", "ins", "mark", "kbd", "var",
	"samp", "dfn", "address", "figcaption", "picture", "wbr", "mml:math",
};

static int
is_html_tag_at(const char *s, size_t n)
{
	size_t i, len;

	if (n && *s == '/') {
		s++;
		n--;
	}
	if (n && *s == '!')
		return n >= 3 && s[1] == '-' && s[2] == '-';
	if (!n || !((*s | 32) >= 'a' && (*s | 32) <= 'z'))
		return 0;	/* "x < y" in an abstract */
	for (i = 0; i < sizeof html_tags / sizeof *html_tags; i++) {
		len = strlen(html_tags[i]);
		if (len < n && ascii_ncasecmp(s, html_tags[i], len) == 0 &&
		    (is_space((unsigned char)s[len]) || s[len] == '>' || s[len] == '/'))
			return 1;
	}
	return 0;
}

/* Length of the character reference at s ("&amp;", "&#38;") and its code point. */
static size_t
entity_at(const char *s, size_t n, uint32_t *cp)
{
	char name[32];
	size_t i = 1, len;
	const htmlEntityDesc *e;
	unsigned long v = 0;

	if (n < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		int hex = n > 2 && (s[2] == 'x' || s[2] == 'X');
		for (i = hex ? 3 : 2; i < n && i < 12; i++) {
			int c = (unsigned char)s[i], d;
			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (hex && (c | 32) >= 'a' && (c | 32) <= 'f')
				d = (c | 32) - 'a' + 10;
			else
				break;
			v = v * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (i >= n || s[i] != ';' || i == (hex ? 3u : 2u) || v == 0 || v > 0x10FFFF)
			return 0;
		*cp = (uint32_t)v;
		return i + 1;
	}
	while (i < n && i < sizeof name &&
	       (((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i >= n || s[i] != ';' || i == 1 || i >= sizeof name)
		return 0;
	len = i - 1;
	memcpy(name, s + 1, len);
	name[len] = '\0';
	if (!(e = htmlEntityLookup((const xmlChar *)name)))
		return 0;
	*cp = e->value;
	return i + 1;
}

int
text_has_entity(const char *s, size_t n)
{
	const char *p;
	uint32_t cp;

	for (p = memchr(s, '&', n); p; p = memchr(p + 1, '&', n - (size_t)(p + 1 - s)))
		if (entity_at(p, n - (size_t)(p - s), &cp))
			return 1;
	return 0;
}

int
text_looks_like_html(const char *s, size_t n)
{
	const char *p;

	for (p = memchr(s, '<', n); p; p = memchr(p + 1, '<', n - (size_t)(p + 1 - s)))
		if (is_html_tag_at(p + 1, n - (size_t)(p + 1 - s)))
			return 1;
	return text_has_entity(s, n);
}

void
text_decode_entities(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, k, run;
	uint32_t cp;

	while (i < n) {
		run = i;
		while (i < n && s[i] != '&')
			i++;
		buf_put(out, s + run, i - run);
		if (i == n)
			break;
		if ((k = entity_at(s + i, n - i, &cp))) {
			utf8_put(out, cp);
			i += k;
		} else {
			buf_putc(out, '&');
			i++;
		}
	}
}

/* TeX accent commands and the combining mark each puts on its letter. */
static uint32_t
tex_accent_mark(int c)
{
	switch (c) {
	case '"': return 0x308;
	case '\'': return 0x301;
	case '`': return 0x300;
	case '^': return 0x302;
	case '~': return 0x303;
	case '=': return 0x304;
	case '.': return 0x307;
	case 'u': return 0x306;
	case 'v': return 0x30C;
	case 'H': return 0x30B;
	case 'c': return 0x327;
	case 'k': return 0x328;
	case 'r': return 0x30A;
	case 'd': return 0x323;
	case 'b': return 0x331;
	}
	return 0;
}

static const struct { const char *cmd; uint32_t cp; } tex_letters[] = {
	{ "AA", 0xC5 }, { "AE", 0xC6 }, { "OE", 0x152 }, { "aa", 0xE5 },
	{ "ae", 0xE6 }, { "oe", 0x153 }, { "ss", 0xDF }, { "L", 0x141 },
	{ "O", 0xD8 }, { "i", 0x131 }, { "j", 0x237 }, { "l", 0x142 },
	{ "o", 0xF8 },
};

/* A TeX letter command at s ("\ss", "\o"); returns its length or 0. */
static size_t
tex_letter(const char *s, size_t n, uint32_t *cp)
{
	size_t i, len;

	if (n < 2 || s[0] != '\\')
		return 0;
	for (i = 0; i < sizeof tex_letters / sizeof *tex_letters; i++) {
		len = strlen(tex_letters[i].cmd);
		if (len + 1 <= n && memcmp(s + 1, tex_letters[i].cmd, len) == 0 &&
		    (len + 1 == n || !((s[len + 1] | 32) >= 'a' && (s[len + 1] | 32) <= 'z'))) {
			*cp = tex_letters[i].cp;
			return len + 1;
		}
	}
	return 0;
}

/*
 * An accent command at s: \"o, \"{o}, \v{s}, \'{\i}. Appends the letter and
 * its combining mark; returns the length consumed or 0.
 */
static size_t
tex_accent(struct buf *out, const char *s, size_t n)
{
	uint32_t mark, cp;
	size_t i = 2, k;
	int brace = 0;

	if (n < 3 || s[0] != '\\' || !(mark = tex_accent_mark(s[1])))
		return 0;
	if ((s[1] | 32) >= 'a' && (s[1] | 32) <= 'z') {
		/* a letter command needs a brace or a space before its argument */
		if (s[2] == ' ')
			i = 3;
		else if (s[2] != '{')
			return 0;
	}
	if (i < n && s[i] == '{') {
		brace = 1;
		i++;
	}
	if (i >= n)
		return 0;
	if ((k = tex_letter(s + i, n - i, &cp))) {
		i += k;
		if (cp == 0x131)
			cp = 'i';	/* \'{\i}: the dotless i carries the accent */
		else if (cp == 0x237)
			cp = 'j';
	} else if (((unsigned char)s[i] | 32) >= 'a' && ((unsigned char)s[i] | 32) <= 'z') {
		cp = (unsigned char)s[i++];
	} else {
		return 0;
	}
	if (brace) {
		if (i >= n || s[i] != '}')
			return 0;
		i++;
	}
	utf8_put(out, cp);
	utf8_put(out, mark);
	return i;
}

void
text_tex_accents(struct buf *out, const char *s, size_t n)
{
	struct buf tmp = { 0 };
	size_t i = 0, k, start = out->len;
	uint32_t cp;
	int changed = 0;
	utf8proc_uint8_t *nfc;

	if (!memchr(s, '\\', n)) {
		buf_put(out, s, n);
		return;
	}
	while (i < n) {
		/* {\"o} and {\ss}: the group holds just the command */
		if (s[i] == '{' && i + 1 < n && s[i + 1] == '\\') {
			size_t m = out->len;
			if ((k = tex_accent(out, s + i + 1, n - i - 1)) ||
			    (k = tex_letter(s + i + 1, n - i - 1, &cp) ? tex_letter(s + i + 1, n - i - 1, &cp) : 0)) {
				if (out->len == m)
					utf8_put(out, cp);
				if (i + 1 + k < n && s[i + 1 + k] == '}') {
					i += k + 2;
					changed = 1;
					continue;
				}
				out->len = m;
				out->s[m] = '\0';
			}
		}
		if (s[i] == '\\') {
			if ((k = tex_accent(out, s + i, n - i))) {
				i += k;
				changed = 1;
				continue;
			}
			if ((k = tex_letter(s + i, n - i, &cp))) {
				utf8_put(out, cp);
				i += k;
				if (i < n && s[i] == ' ' && cp != 0x131)
					i++;	/* "\ss e" ends the command name */
				changed = 1;
				continue;
			}
		}
		buf_putc(out, s[i++]);
	}
	if (!changed)
		return;
	nfc = utf8proc_NFC((const utf8proc_uint8_t *)out->s + start);
	if (!nfc)
		return;
	buf_put(&tmp, (const char *)nfc, strlen((const char *)nfc));
	free(nfc);
	out->len = start;
	buf_put(out, tmp.s, tmp.len);
	buf_free(&tmp);
}

/* Offset of the first lead byte followed by a byte in [lo, hi], or NONE. */
#define NONE ((size_t)-1)
static size_t
find_pair(const struct buf *b, size_t from, int lead, int lo, int hi)
{
	const char *p, *end;

	if (!b->s)
		return NONE;
	p = b->s + from;
	end = b->s + b->len;
	while ((p = memchr(p, lead, (size_t)(end - p))) && p + 1 < end) {
		if ((unsigned char)p[1] >= lo && (unsigned char)p[1] <= hi)
			return (size_t)(p - b->s);
		p++;
	}
	return NONE;
}

/* What Windows-1252 puts at 0x80-0x9F (0 where it has nothing). */
static const uint16_t cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

void
text_fix_c1(struct buf *b, size_t from)
{
	struct buf out = { 0 };
	size_t i;
	unsigned char c;

	if ((i = find_pair(b, from, 0xC2, 0x80, 0x9F)) == NONE)
		return;
	buf_put(&out, b->s + from, i - from);
	for (; i < b->len; i++) {
		if ((unsigned char)b->s[i] == 0xC2 && i + 1 < b->len &&
		    (c = (unsigned char)b->s[i + 1]) >= 0x80 && c <= 0x9F) {
			if (cp1252[c - 0x80])
				utf8_put(&out, cp1252[c - 0x80]);
			i++;
			continue;
		}
		buf_putc(&out, b->s[i]);
	}
	b->len = from;
	buf_put(b, out.s, out.len);
	buf_free(&out);
}

/* The byte Windows-1252 (or Latin-1) writes as code point cp, or -1. */
static int
cp1252_byte(uint32_t cp)
{
	int i;

	if (cp >= 0x80 && cp <= 0xFF)
		return (int)cp;	/* Latin-1, and C1 controls as the bytes they were */
	for (i = 0; i < 32; i++)
		if (cp1252[i] == cp)
			return 0x80 + i;
	return -1;
}

static uint32_t
decode_at(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	*len = utf8_seqlen(u, n);
	switch (*len) {
	case 1: return u[0];
	case 2: return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
	case 3: return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	case 4: return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
		       (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
	}
	*len = 1;
	return 0xFFFD;
}

/*
 * UTF-8 read as Windows-1252 and encoded again ("â€¦" for "…"): undo it
 * where the characters, taken back to bytes, are exactly one UTF-8
 * character of two to four bytes.
 */
void
text_fix_mojibake(struct buf *b, size_t from)
{
	struct buf out = { 0 };
	unsigned char bytes[4];
	size_t i, j, len, need, k;
	int byte, changed = 0;

	if ((i = find_pair(b, from, 0xC3, 0x82, 0xB4)) == NONE)
		return;
	buf_put(&out, b->s + from, i - from);
	while (i < b->len) {
		uint32_t cp = decode_at(b->s + i, b->len - i, &len);
		need = cp >= 0xC2 && cp <= 0xDF ? 2 : cp >= 0xE0 && cp <= 0xEF ? 3 :
		       cp >= 0xF0 && cp <= 0xF4 ? 4 : 0;
		for (k = 1, j = i + len, bytes[0] = (unsigned char)cp; need && k < need; k++) {
			size_t l2;
			uint32_t c2 = decode_at(b->s + j, b->len - j, &l2);
			if (j >= b->len || (byte = cp1252_byte(c2)) < 0x80 || byte > 0xBF)
				break;
			bytes[k] = (unsigned char)byte;
			j += l2;
		}
		if (need && k == need && utf8_seqlen(bytes, need) == need) {
			buf_put(&out, (const char *)bytes, need);
			i = j;
			changed = 1;
			continue;
		}
		buf_put(&out, b->s + i, len);
		i += len;
	}
	if (changed) {
		b->len = from;
		buf_put(b, out.s, out.len);
	}
	buf_free(&out);
}

void
text_trimmed(struct buf *out, const char *s, size_t n)
{
	while (n && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	buf_put(out, s, n);
}

const char *
text_memfind(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	const char *p = s, *end = s + n;

	while ((p = memchr(p, needle[0], (size_t)(end - p))) && (size_t)(end - p) >= k) {
		if (!memcmp(p, needle, k))
			return p;
		p++;
	}
	return NULL;
}

/* Latin letters that NFKD leaves alone although readers take them as
 * accented: what they fold to, so that classify's words and dedup's titles
 * fold them alike. */
const char *
text_fold_latin(int32_t cp)
{
	switch (cp) {
	case 0xf8: return "o";		/* ø */
	case 0x142: return "l";		/* ł */
	case 0x111: case 0xf0: return "d";	/* đ ð */
	case 0x127: return "h";		/* ħ */
	case 0x131: return "i";		/* ı */
	case 0x167: return "t";		/* ŧ */
	case 0xe6: return "ae";		/* æ */
	case 0x153: return "oe";	/* œ */
	case 0xfe: return "th";		/* þ */
	}
	return NULL;
}
