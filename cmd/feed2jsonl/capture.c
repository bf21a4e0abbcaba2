/*
 * capture.c: an element's text into the field it fills. Child elements of
 * a captured element are kept as HTML markup; text in a binary type is
 * decoded from base64; a field is cut at MAXFIELD, at a character boundary.
 */
#include <stdlib.h>
#include <string.h>

#include "feedxml.h"
#include "text.h"
#include "util.h"

#define MAXFIELD (8u << 20)	/* longest text kept for one element */

/*
 * How an element's text is to be read, from Atom's type (and Atom 0.3's
 * mode). *base64 says whether it is base64: always for mode="base64"; for
 * types that are neither text nor XML (RFC 4287 4.1.3.3) only if the text
 * is valid base64 of UTF-8 text, as feeds put plain text in custom types.
 */
static enum textkind
kind_from_type(const xmlChar **attrs, int n, struct state *st,
    enum base64 *base64)
{
	size_t len = 0, mlen = 0;
	const char *v = attr_get(attrs, n, NS_OTHER, st, "type", &len);
	const char *mode = attr_get(attrs, n, NS_OTHER, st, "mode", &mlen);

	*base64 = B64_NO;
	if (v && len && memchr(v, '/', len) && strncmp(v, "text/", 5) &&
	    !(len >= 3 && !memcmp(v + len - 3, "xml", 3)))
		*base64 = B64_IF_VALID;
	if (mode && mlen == 6 && !memcmp(mode, "base64", 6))
		*base64 = B64_ALWAYS;
	if (mode && mlen == 7 && !memcmp(mode, "escaped", 7))
		return TK_HTML;
	if (!v || !len)
		return TK_SNIFF;
	if ((len == 4 && !memcmp(v, "html", 4)) || (len == 9 && !memcmp(v, "text/html", 9)))
		return TK_HTML;
	if ((len == 4 && !memcmp(v, "text", 4)) || (len == 10 && !memcmp(v, "text/plain", 10)))
		return TK_TEXT;
	return TK_SNIFF;
}

static int
base64_digit(char c)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(digits, c) : NULL;

	return p ? (int)(p - digits) : -1;
}

static int
is_utf8_text(const struct buf *b)
{
	return utf8_valid_prefix(b->s, b->len) == b->len && !memchr(b->s, '\0', b->len);
}

/*
 * Decode base64 text. Lenient (mode="base64"): what is not a digit is
 * skipped, the first '=' ends it. Strict: only digits and white space, '='
 * only as the padding of whole groups of four, and UTF-8 text once decoded;
 * otherwise the text is kept as it was.
 */
static void
base64_decode(struct buf *b, int strict)
{
	struct buf out = { 0 };
	unsigned long acc = 0;
	size_t i, digits = 0, pad = 0;
	int bits = 0, bad = 0, d;

	for (i = 0; i < b->len && !bad; i++) {
		if (b->s[i] == '=') {
			if (!strict)
				break;
			pad++;
		} else if ((d = base64_digit(b->s[i])) >= 0) {
			bad = pad > 0;
			digits++;
			acc = (acc << 6 | (unsigned long)d) & 0xFFFFFF;
			if ((bits += 6) >= 8) {
				bits -= 8;
				buf_putc(&out, (char)(acc >> bits & 0xFF));
			}
		} else if (strict && !is_space((unsigned char)b->s[i])) {
			bad = 1;
		}
	}
	if (!strict || (!bad && digits && pad <= 2 && (digits + pad) % 4 == 0 &&
	                (!out.len || is_utf8_text(&out)))) {
		buf_reset(b);
		if (out.len)
			buf_put(b, out.s, out.len);
	}
	buf_free(&out);
}

static void
capture(struct state *st, struct buf *b, enum textkind *kind, int list)
{
	st->cap_base64 = B64_NO;
	st->cap_slot = -1;
	st->cap = b;
	st->cap_depth = st->depth;
	st->cap_markup = 0;
	st->cap_html = 0;
	st->cap_kind = kind;
	st->cap_list = list;
	st->cap_full = 0;
}

/*
 * Room for n more bytes in the capture? If not, it is cut here, once and
 * for good: later, smaller pieces must not be spliced onto the cut.
 */
static int
cap_room(struct state *st, size_t n)
{
	const struct frame *f;

	if (st->cap_full)
		return 0;
	if (st->cap->len + n <= MAXFIELD)
		return 1;
	st->cap_full = 1;
	f = &st->stack[st->cap_depth - 1];
	problem_here(st, "<%s> longer than %u MiB: the rest of it is left out",
	    (const char *)f->name, MAXFIELD >> 20);
	return 0;
}

/* Append what fits of s to the capture, cut at a UTF-8 character boundary. */
static void
cap_put(struct state *st, const char *s, size_t n)
{
	struct buf *b = st->cap;
	size_t fit;

	if (cap_room(st, n)) {
		buf_put(b, s, n);
		return;
	}
	if (b->len >= MAXFIELD)
		return;
	fit = MAXFIELD - b->len;
	while (fit && ((unsigned char)s[fit] & 0xC0) == 0x80)
		fit--;	/* s[fit] continues a character: cut before it */
	buf_put(b, s, fit);
}

void
capture_list(struct state *st)
{
	buf_reset(&st->listtext);
	capture(st, &st->listtext, NULL, 1);
}

void
capture_slot(struct state *st, int slot, const xmlChar **attrs, int nattr)
{
	struct slot_text *s = &st->item.slot[slot];

	enum base64 base64;

	if (s->set)
		return;
	buf_reset(&s->text);
	s->kind = kind_from_type(attrs, nattr, st, &base64);
	free(s->base);
	s->base = element_base(st) ? estrdup(element_base(st)) : NULL;
	capture(st, &s->text, &s->kind, 0);
	st->cap_html = s->kind == TK_HTML;
	st->cap_base64 = base64;
	st->cap_slot = slot;
}

void
capture_channel(struct state *st, struct buf *b, int title,
    const xmlChar **attrs, int nattr)
{
	enum base64 base64;
	enum textkind kind = kind_from_type(attrs, nattr, st, &base64);

	if (title)
		st->ch->title_kind = kind;
	capture(st, b, title ? &st->ch->title_kind : NULL, 0);
	st->cap_html = kind == TK_HTML;
	st->cap_base64 = base64;
}

void
capture_text(void *ctx, const xmlChar *s, int len)
{
	struct state *st = ctx;
	struct buf *b = st->cap;
	int i;

	if (!b || st->stopped || st->cap_full)
		return;
	if (!st->cap_markup || st->cap_html) {
		cap_put(st, (const char *)s, (size_t)len);
		return;
	}
	if (!cap_room(st, (size_t)len))
		return;
	for (i = 0; i < len; i++) {
		if (s[i] == '<')
			buf_puts(b, "&lt;");
		else if (s[i] == '&')
			buf_puts(b, "&amp;");
		else
			buf_putc(b, (char)s[i]);
	}
}

/*
 * Inside a captured element: child elements are kept as HTML markup, and
 * the text around them escaped, unless the element is declared HTML: then
 * the child is a mistake (TypePad wraps escaped HTML in an XHTML <div>)
 * and its text is the escaped HTML it holds.
 */
void
capture_markup(struct state *st, const char *name, const xmlChar **attrs, int nattr)
{
	struct buf *b = st->cap;
	int i;

	if (!st->cap_markup && !st->cap_html) {
		struct buf esc = { 0 };
		size_t j;
		for (j = 0; j < b->len; j++) {
			if (b->s[j] == '<')
				buf_puts(&esc, "&lt;");
			else if (b->s[j] == '&')
				buf_puts(&esc, "&amp;");
			else
				buf_putc(&esc, b->s[j]);
		}
		buf_reset(b);
		if (esc.len)
			buf_put(b, esc.s, esc.len);
		buf_free(&esc);
	}
	if (!st->cap_markup) {
		st->cap_markup = 1;
		if (st->cap_kind)
			*st->cap_kind = TK_HTML;
	}
	if (!cap_room(st, strlen((const char *)name) + 2))
		return;
	buf_printf(b, "<%s", name);
	for (i = 0; i < nattr; i++, attrs += 5) {
		if (!cap_room(st, strlen((const char *)attrs[0]) + (size_t)(attrs[4] - attrs[3]) + 5))
			break;	/* attributes count against the element's text too */
		buf_printf(b, " %s=\"", (const char *)attrs[0]);
		buf_put(b, (const char *)attrs[3], (size_t)(attrs[4] - attrs[3]));
		buf_putc(b, '"');
	}
	buf_putc(b, '>');
}

void
capture_close_tag(struct state *st, const char *name)
{
	if (cap_room(st, strlen(name) + 3))
		buf_printf(st->cap, "</%s>", name);
}

void
capture_end(struct state *st)
{
	const struct frame *f = &st->stack[st->depth - 1];
	const struct tag *t = f->tag;
	struct buf *lt = &st->listtext;

	if (st->cap_base64 != B64_NO && !st->cap_markup)
		base64_decode(st->cap, st->cap_base64 == B64_IF_VALID);
	st->cap = NULL;
	if (!st->cap_list) {
		if (st->cap_slot >= 0)
			st->item.slot[st->cap_slot].set = 1;
		return;
	}
	if (!lt->len)
		return;
	if (t->action == A_NAME)
		strlist_add(&st->item.atom_authors, lt->s, lt->len);
	else if (t->action == A_CREATOR)
		strlist_add(&st->item.creators, lt->s, lt->len);
	else if (t->action == A_CATEGORY) {
		struct buf clean = { 0 };
		text_line(&clean, lt->s, lt->len);
		if (clean.len && !strlist_has(&st->item.categories, clean.s))
			strlist_add(&st->item.categories, clean.s, clean.len);
		buf_free(&clean);
	} else if (t->action == A_IDENT)
		strlist_add(&st->item.identifiers, lt->s, lt->len);
}
