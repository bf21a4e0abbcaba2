/* recode.c: a feed's bytes to clean UTF-8 (see recode.h). */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "recode.h"
#include "text.h"

#define MAXREPORTS 100	/* the caller shows fewer; past this, counting is all */

/* Where a byte offset into the current chunk is: counted forward only. */
struct linecount {
	size_t pos;
	unsigned long line;
};

static unsigned long
line_at(struct linecount *lc, const char *s, size_t pos)
{
	const char *p, *end;

	if (pos <= lc->pos)
		return lc->line;	/* s may be NULL then */
	p = s + lc->pos;
	end = s + pos;
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		lc->line++;
		p++;
	}
	lc->pos = pos;
	return lc->line;
}

static void say(struct recode *r, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
say(struct recode *r, unsigned long line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (r->reports++ >= MAXREPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->report(r->arg, line, msg);
}

/* ---- finding the encoding ---- */

static int
names_utf8(const char *enc)
{
	return !ascii_casecmp(enc, "UTF-8") || !ascii_casecmp(enc, "UTF8") ||
	       !ascii_casecmp(enc, "US-ASCII") || !ascii_casecmp(enc, "ASCII");
}

static int
names_wide(const char *enc)
{
	return !ascii_ncasecmp(enc, "UTF-16", 6) || !ascii_ncasecmp(enc, "UTF16", 5) ||
	       !ascii_ncasecmp(enc, "UTF-32", 6) || !ascii_ncasecmp(enc, "UTF32", 5) ||
	       !ascii_ncasecmp(enc, "UCS-2", 5) || !ascii_ncasecmp(enc, "UCS-4", 5) ||
	       !ascii_casecmp(enc, "UNICODE");
}

/* The encoding="..." of an XML declaration in ASCII at the start of s. */
static int
declared_encoding(const char *s, size_t n, char *enc, size_t encsize)
{
	const char *end, *p, *q;
	size_t len;

	if (n < 6 || memcmp(s, "<?xml", 5) || !(end = text_memfind(s, n, "?>")))
		return 0;
	for (p = s + 5; p < end && (p = text_memfind(p, (size_t)(end - p), "encoding")); p += 8) {
		q = p + 8;
		while (q < end && is_space((unsigned char)*q))
			q++;
		if (q >= end || *q++ != '=')
			continue;
		while (q < end && is_space((unsigned char)*q))
			q++;
		if (q >= end || (*q != '"' && *q != '\''))
			continue;
		p = q + 1;
		if (!(q = memchr(p, *q, (size_t)(end - p))) || (len = (size_t)(q - p)) == 0 ||
		    len >= encsize)
			return 0;
		memcpy(enc, p, len);
		enc[len] = '\0';
		return 1;
	}
	return 0;
}

/* A byte order mark, or the pattern "<?" makes in a wide encoding. */
static const char *
wide_encoding(const unsigned char *u, size_t n, size_t *bom, size_t *unit)
{
	*bom = 0;
	*unit = 1;
	if (n < 2)
		return NULL;
	if (n >= 4 && !memcmp(u, "\0\0\xFE\xFF", 4))
		return *bom = 4, *unit = 4, "UTF-32BE";
	if (n >= 4 && !memcmp(u, "\xFF\xFE\0\0", 4))
		return *bom = 4, *unit = 4, "UTF-32LE";
	if (u[0] == 0xFE && u[1] == 0xFF)
		return *bom = 2, *unit = 2, "UTF-16BE";
	if (u[0] == 0xFF && u[1] == 0xFE)
		return *bom = 2, *unit = 2, "UTF-16LE";
	if (n >= 4 && !u[0] && !u[1] && !u[2] && u[3])
		return *unit = 4, "UTF-32BE";
	if (n >= 4 && u[0] && !u[1] && !u[2] && !u[3])
		return *unit = 4, "UTF-32LE";
	if (!u[0] && u[1])
		return *unit = 2, "UTF-16BE";
	if (u[0] && !u[1])
		return *unit = 2, "UTF-16LE";
	return NULL;
}

static int
open_converter(struct recode *r, const char *enc)
{
	iconv_t cd = iconv_open("UTF-8", enc);

	if (cd == (iconv_t)-1)
		return 0;
	r->cd = cd;
	snprintf(r->name, sizeof r->name, "%s", enc);
	return 1;
}

/* EBCDIC's "<?xm": the declaration, read as IBM037, may name the variant. */
static void
ebcdic(struct recode *r, const char *head, size_t n)
{
	char ascii[256], enc[40];
	char *in = (char *)head, *out = ascii;
	size_t inleft = n < 200 ? n : 200, outleft = sizeof ascii - 1;
	iconv_t cd = iconv_open("UTF-8", "IBM037");

	if (cd == (iconv_t)-1)
		return;
	iconv(cd, &in, &inleft, &out, &outleft);
	iconv_close(cd);
	if (declared_encoding(ascii, (size_t)(out - ascii), enc, sizeof enc) &&
	    open_converter(r, enc))
		return;
	open_converter(r, "IBM037");
}

size_t
recode_init(struct recode *r, const char *head, size_t n,
    recode_report_fn *report, void *arg)
{
	const unsigned char *u = (const unsigned char *)head;
	const char *wide;
	char enc[40];
	size_t bom;

	memset(r, 0, sizeof *r);
	r->report = report;
	r->arg = arg;
	r->line = 1;
	r->unit = 1;
	snprintf(r->name, sizeof r->name, "UTF-8");
	if (n >= 3 && !memcmp(u, "\xEF\xBB\xBF", 3))
		return 3;
	if ((wide = wide_encoding(u, n, &bom, &r->unit))) {
		if (!open_converter(r, wide))
			r->unit = 1;
		return bom;
	}
	if (n >= 4 && !memcmp(u, "\x4C\x6F\xA7\x94", 4)) {
		ebcdic(r, head, n);
		return 0;
	}
	if (!declared_encoding(head, n, enc, sizeof enc) || names_utf8(enc))
		return 0;
	if (names_wide(enc))
		say(r, 1, "declares encoding %s, but its bytes are not: read as UTF-8", enc);
	else if (!open_converter(r, enc))
		say(r, 1, "unknown encoding %s: read as UTF-8", enc);
	return 0;
}

/* ---- converting to UTF-8 ---- */

static void
convert(struct recode *r, const char *s, size_t n, int final)
{
	char *in = (char *)s, *out;
	size_t inleft = n, outleft, skip, i;
	struct linecount lc = { 0, r->line };
	struct buf bytes = { 0 };

	buf_reset(&r->conv);
	while (inleft > 0) {
		buf_grow(&r->conv, inleft * 4 + 16);
		out = r->conv.s + r->conv.len;
		outleft = r->conv.cap - r->conv.len - 1;
		if (iconv((iconv_t)r->cd, &in, &inleft, &out, &outleft) != (size_t)-1) {
			r->conv.len = (size_t)(out - r->conv.s);
			break;
		}
		r->conv.len = (size_t)(out - r->conv.s);
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !final) {
			buf_put(&r->carry, in, inleft);	/* a character cut by the chunk */
			break;
		}
		skip = inleft < r->unit ? inleft : r->unit;
		buf_reset(&bytes);
		for (i = 0; i < skip; i++)
			buf_printf(&bytes, " 0x%02X", (unsigned char)in[i]);
		say(r, line_at(&lc, r->conv.s, r->conv.len),
		    "invalid %s (%s%s) read as U+FFFD", r->name,
		    skip > 1 ? "bytes" : "byte", bytes.s);
		utf8_put(&r->conv, 0xFFFD);
		in += skip;
		inleft -= skip;
	}
	buf_free(&bytes);
	if (r->conv.s)
		r->conv.s[r->conv.len] = '\0';
}

/* ---- repairing UTF-8 ---- */

/* A control character that XML 1.0 does not allow, or a non-ASCII byte. */
static int
needs_look(unsigned char c)
{
	return c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r');
}

/*
 * Skip what surely needs no look, eight bytes at a time: a word with no
 * byte of 0x80 or more and none below 0x20 (line ends stop it too; the
 * byte loop takes those).
 */
static size_t
skip_plain(const unsigned char *p, size_t i, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t w;

	while (i + 8 <= n) {
		memcpy(&w, p + i, 8);
		if ((w | ((w - 0x20 * ones) & ~w)) & highs)
			break;
		i += 8;
	}
	return i;
}

/* Could s[0..n) (fewer bytes than its lead byte says) still become valid? */
static int
incomplete_utf8(const unsigned char *s, size_t n)
{
	unsigned char pad[4] = { 0x80, 0x80, 0x80, 0x80 };
	unsigned c = s[0];
	size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

	if (n >= want || n >= 4)
		return 0;
	memcpy(pad, s, n);
	if (c == 0xE0 || c == 0xF0)
		pad[1] = n > 1 ? pad[1] : (c == 0xE0 ? 0xA0 : 0x90);
	return utf8_seqlen(pad, want) == want;
}

struct repair {
	struct recode *r;
	const char *s;
	size_t done;		/* s[0..done) is in r->out already */
	int changed;
	struct linecount lc;
};

/* Replace s[at..at+len) by what (NULL: nothing), saying why. */
static void
replace(struct repair *rp, size_t at, size_t len, const char *what,
    const char *fmt, unsigned v)
{
	buf_put(&rp->r->out, rp->s + rp->done, at - rp->done);
	if (what)
		buf_puts(&rp->r->out, what);
	rp->done = at + len;
	rp->changed = 1;
	say(rp->r, line_at(&rp->lc, rp->s, at), fmt, v);
}

static void
repair(struct recode *r, const char *s, size_t n, int final,
    const char **out, size_t *outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	struct repair rp = { r, s, 0, 0, { 0, r->line } };
	size_t i = 0, k;

	buf_reset(&r->out);
	while (i < n) {
		if (!needs_look(p[i])) {
			i = skip_plain(p, i + 1, n);
		} else if (p[i] < 0x80) {
			replace(&rp, i, 1, NULL, p[i] ? "control character U+%04X removed"
			                               : "NUL byte removed", p[i]);
			i++;
		} else if ((k = utf8_seqlen(p + i, n - i)) == 3 && p[i] == 0xEF &&
		           p[i + 1] == 0xBF && p[i + 2] >= 0xBE) {
			replace(&rp, i, 3, "\xEF\xBF\xBD", "U+%04X is not a character: read as U+FFFD",
			        0xFFFEu + (p[i + 2] - 0xBEu));
			i += 3;
		} else if (k) {
			i += k;
		} else if (!final && incomplete_utf8(p + i, n - i)) {
			buf_put(&r->carry, s + i, n - i);	/* a character cut by the chunk */
			n = i;
		} else {
			replace(&rp, i, 1, "\xEF\xBF\xBD", "invalid UTF-8 (byte 0x%02X) read as U+FFFD",
			        p[i]);
			i++;
		}
	}
	r->line = line_at(&rp.lc, s, n);
	if (!rp.changed) {
		*out = s;
		*outlen = n;
		return;
	}
	buf_put(&r->out, s + rp.done, n - rp.done);
	*out = r->out.s;
	*outlen = r->out.len;
}

void
recode_chunk(struct recode *r, const char *s, size_t n, int final,
    const char **out, size_t *outlen)
{
	buf_join_carry(&r->carry, &r->in, &s, &n);
	if (r->cd) {
		convert(r, s, n, final);
		s = r->conv.s;
		n = r->conv.len;
		final = 1;	/* iconv's output holds no cut character */
	}
	repair(r, s, n, final, out, outlen);
}

void
recode_free(struct recode *r)
{
	if (r->cd)
		iconv_close((iconv_t)r->cd);
	buf_free(&r->carry);
	buf_free(&r->in);
	buf_free(&r->conv);
	buf_free(&r->out);
	r->cd = NULL;
}
