/* md.c: Markdown that shows text literally; see md.h. The
 * blocks are followed by mdblock.c, markup and links by mdscan.c. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "md.h"

enum { FLUSHAT = 1 << 16, TICKBITS = 64 };

/* bytes md_escape looks at more closely */
static const unsigned char special[256] = {
	['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1, ['~'] = 1, ['['] = 1,
	[']'] = 1, ['|'] = 1, ['<'] = 1, ['>'] = 1, ['&'] = 1, ['#'] = 1, ['$'] = 1,
	['\n'] = 1, ['\r'] = 1,
};

static int
ispunct_a(int c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	    (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* Does s[0..n) (s[0] == '&') start a character reference? */
static int
entity(const char *s, size_t n)
{
	size_t i = 1, k;

	if (i < n && s[i] == '#') {
		i++;
		if (i < n && (s[i] | 0x20) == 'x') {
			for (k = ++i; i < n && i - k < 6 && (isdigit_a(s[i]) ||
			    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')); i++)
				;
		} else {
			for (k = i; i < n && i - k < 7 && isdigit_a(s[i]); i++)
				;
		}
		return i > k && i < n && s[i] == ';';
	}
	if (i >= n || !isalpha_a(s[i]))
		return 0;
	for (k = i; i < n && i - k < 32 && isalnum_a(s[i]); i++)
		;
	return i < n && s[i] == ';';
}

struct esc {
	struct buf *out;
	const char *s;
	size_t n;
	unsigned char *tick;	/* per backtick run: escape it? */
	size_t nticks, curtick;
	size_t us, ue;		/* the last word looked at for a URL, */
	int isurl;		/* and whether it is one */
	size_t texfail;		/* no $ TeX closes before here, */
	size_t texfail2;	/* no $$ TeX */
};

/* For each run of backticks: does a run of the same length follow? Then
 * the two could make a code span, and it is escaped: as &#96;, for a
 * backslash does not stop a backtick from closing a code span. */
static void
plan_ticks(struct esc *e)
{
	const char *s = e->s, *p = s, *end = s + e->n;
	size_t *len = NULL, n = 0, cap = 0, i, k;
	uint64_t seen = 0;
	int longseen = 0;

	while ((p = memchr(p, '`', (size_t)(end - p)))) {
		for (k = 0; p < end && *p == '`'; p++)
			k++;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			len = realloc(len, cap * sizeof *len);
			if (!len)
				abort();
		}
		len[n++] = k;
	}
	e->tick = malloc(n ? n : 1);
	if (!e->tick)
		abort();
	for (i = n; i-- > 0;) {
		if (len[i] > TICKBITS) {
			e->tick[i] = (unsigned char)longseen;
			longseen = 1;
		} else {
			e->tick[i] = (seen >> (len[i] - 1)) & 1;
			seen |= (uint64_t)1 << (len[i] - 1);
		}
	}
	e->nticks = n;
	free(len);
}

/* The run of backticks at i; fence: it starts a line's content. */
static size_t
ticks(struct esc *e, size_t i, int fence)
{
	size_t k = i;
	int esc;

	while (k < e->n && e->s[k] == '`')
		k++;
	esc = e->curtick < e->nticks && e->tick[e->curtick];
	e->curtick++;
	if (fence && k - i >= 3)
		esc = 1;
	/* not \`: that is still a backtick that could close a code span */
	for (; i < k; i++)
		buf_put(e->out, esc ? "&#96;" : "`", esc ? 5 : 1);
	return k;
}

/* Is i in a word that is a URL (whose _ and ~ are left alone)? */
static int
inurl(struct esc *e, size_t i)
{
	static const char *const schemes[] = { "http://", "https://", "mailto:" };
	const char *s = e->s;
	size_t a = i, b = i, k, m;

	if (i >= e->us && i < e->ue)
		return e->isurl;
	while (a > 0 && !isws(s[a - 1]))
		a--;
	while (b < e->n && !isws(s[b]))
		b++;
	e->us = a;
	e->ue = b;
	e->isurl = 0;
	while (a < b && (s[a] == '(' || s[a] == '<'))
		a++;
	for (k = 0; k < sizeof schemes / sizeof *schemes; k++) {
		m = strlen(schemes[k]);
		if (b - a > m && !strncmp(s + a, schemes[k], m))
			e->isurl = 1;
	}
	return e->isurl;
}

/* The end of a TeX span starting at i ("$" or "$$"), or 0 if none. */
static size_t
texspan(struct esc *e, size_t i)
{
	const char *s = e->s;
	size_t n = e->n, k;

	if (i > 0 && s[i - 1] == '\\')
		return 0;
	if (i + 1 < n && s[i + 1] == '$') {
		if (i < e->texfail2)
			return 0;
		for (k = i + 2; k + 1 < n && s[k] != '\n' && s[k] != '\r'; k++)
			if (k > i + 2 && s[k] == '$' && s[k + 1] == '$')
				return k + 2;
		e->texfail2 = k;
		return 0;
	}
	if (i + 1 >= n || isws(s[i + 1]) || i < e->texfail)
		return 0;
	for (k = i + 2; k < n && s[k] != '\n' && s[k] != '\r'; k++)
		if (s[k] == '$' && !isws(s[k - 1]) && s[k - 1] != '\\' &&
		    !(k + 1 < n && isdigit_a(s[k + 1])))
			return k + 1;
	e->texfail = k;
	return 0;
}

/* TeX s[i..end): as it is, but for what could make HTML, a link or a
 * code span. */
static void
tex(struct esc *e, size_t i, size_t end)
{
	const char *s = e->s;
	size_t j;

	while (i < end) {
		for (j = i; j < end && s[j] != '<' && s[j] != '&' && s[j] != '`' &&
		    s[j] != ']'; j++)
			;
		buf_put(e->out, s + i, j - i);
		if ((i = j) == end)
			break;
		if (s[i] == '`') {
			i = ticks(e, i, 0);
			continue;
		}
		if (s[i] == '<')
			buf_puts(e->out, "&lt;");
		else if (s[i] == '&' && entity(s + i, end - i))
			buf_puts(e->out, "&amp;");
		else if (s[i] == ']' && i + 1 < end && (s[i + 1] == '(' || s[i + 1] == '['))
			buf_puts(e->out, "\\]");
		else
			buf_putc(e->out, s[i]);
		i++;
	}
}

/* At the start of a line: take away the block meaning of what starts it.
 * Returns where the line's content starts (after blanks), in *ls too. */
static size_t
linestart(struct esc *e, size_t i, size_t *ls)
{
	const char *s = e->s;
	size_t n = e->n, k;

	for (k = i; k < n && isblank_a(s[k]); k++)
		;
	buf_put(e->out, s + i, k - i);
	*ls = i = k;
	if (i >= n)
		return i;
	switch (s[i]) {
	case '#': case '-': case '+': case '=': case '*': case '_':
		buf_putc(e->out, '\\');
		buf_putc(e->out, s[i]);
		return i + 1;
	case '>':
		buf_puts(e->out, "&gt;");
		return i + 1;
	}
	for (k = i; k < n && k - i < 10 && isdigit_a(s[k]); k++)
		;
	if (k > i && k - i < 10 && k < n && (s[k] == '.' || s[k] == ')') &&
	    (k + 1 == n || isws(s[k + 1]))) {
		buf_put(e->out, s + i, k - i);
		buf_putc(e->out, '\\');
		buf_putc(e->out, s[k]);
		return k + 1;
	}
	return i;
}

/* The end of the run from s[i] of bytes md_escape writes as they are. */
static size_t
plain_run(const char *s, size_t i, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; i + 8 <= n && !(special[u[i]] | special[u[i + 1]] | special[u[i + 2]] |
	    special[u[i + 3]] | special[u[i + 4]] | special[u[i + 5]] |
	    special[u[i + 6]] | special[u[i + 7]]); i += 8)
		;
	for (; i < n && !special[u[i]]; i++)
		;
	return i;
}

/* A "$" at i: TeX, kept as it is, or a "$"; where to go on. */
static size_t
dollar(struct esc *e, size_t i)
{
	size_t end, k;

	if (!(end = texspan(e, i))) {
		buf_putc(e->out, '$');
		return i + 1;
	}
	k = e->s[i + 1] == '$' ? 2 : 1;
	buf_put(e->out, e->s + i, k);
	tex(e, i + k, end - k);
	buf_put(e->out, e->s + end - k, k);
	return end;
}

/* * _ ~ #: escaped unless the bytes around s[i] keep them inert. */
static void
maybe_inert(struct esc *e, size_t i, int prev, int next)
{
	struct buf *out = e->out;
	int c = (unsigned char)e->s[i], inert = 0;

	switch (c) {
	case '*':
		inert = isblank_a(prev) && isws(next);
		break;
	case '_':
		inert = (isalnum_a(prev) && isalnum_a(next)) || inurl(e, i);
		break;
	case '~':
		inert = inurl(e, i);
		break;
	case '#':
		inert = !((i == 0 || isws(prev)) && (next == 0 || isws(next) || next == '#'));
		break;
	}
	if (!inert)
		buf_putc(out, '\\');
	buf_putc(out, (char)c);
}

/* The special byte at i escaped; where to go on. *ls: where the current
 * line's content starts. */
static size_t
escape_special(struct esc *e, size_t i, size_t *ls)
{
	struct buf *out = e->out;
	const char *s = e->s;
	int c = (unsigned char)s[i];
	int prev = i > 0 ? (unsigned char)s[i - 1] : 0;
	int next = i + 1 < e->n ? (unsigned char)s[i + 1] : 0;

	switch (c) {
	case '\r':
		if (next == '\n')
			i++;
		/* fall through */
	case '\n':
		buf_putc(out, '\n');
		return linestart(e, i + 1, ls);
	case '`':
		return ticks(e, i, i == *ls);
	case '$':
		return dollar(e, i);
	case '\\':
		buf_puts(out, next == 0 || next == '\n' || next == '\r' ||
		    ispunct_a(next) ? "\\\\" : "\\");
		break;
	case '*': case '_': case '~': case '#':
		maybe_inert(e, i, prev, next);
		break;
	case '[': case ']': case '|':
		buf_putc(out, '\\');
		buf_putc(out, (char)c);
		break;
	case '<':
		buf_puts(out, "&lt;");
		break;
	case '>':
		buf_puts(out, "&gt;");
		break;
	case '&':
		buf_puts(out, "&amp;");
		break;
	}
	return i + 1;
}

void
md_escape(struct buf *out, const char *s, size_t n, int bol)
{
	struct esc e;
	size_t i = 0, j, ls = (size_t)-1;

	memset(&e, 0, sizeof e);
	e.out = out;
	e.s = s;
	e.n = n;
	if (memchr(s, '`', n))
		plan_ticks(&e);
	buf_grow(out, n + n / 8 + 16);
	if (bol)
		i = linestart(&e, 0, &ls);
	while (i < n) {
		j = plain_run(s, i, n);
		buf_put(out, s + i, j - i);
		if ((i = j) == n)
			break;
		i = escape_special(&e, i, &ls);
	}
	free(e.tick);
}

void
md_escape_html(struct buf *out, const char *s, size_t n, int attr)
{
	size_t i, j;

	buf_grow(out, n + 16);
	for (i = 0; i < n; i = j + 1) {
		for (j = i; j < n && !strchr("&<>[]\\`\n\r", s[j]) &&
		    !(attr && (s[j] == '"' || s[j] == '\'')); j++)
			;
		buf_put(out, s + i, j - i);
		if (j == n)
			break;
		switch (s[j]) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		case '[': buf_puts(out, "&#91;"); break;
		case ']': buf_puts(out, "&#93;"); break;
		case '\\': buf_puts(out, "&#92;"); break;
		case '`': buf_puts(out, "&#96;"); break;
		case '\r':
			if (j + 1 < n && s[j + 1] == '\n')
				j++;
			/* fall through */
		default: buf_putc(out, ' '); break;
		}
	}
}

/* The contexts a value can land in */
enum { C_TEXT, C_HTML, C_ATTR, C_UNQ, C_URL, C_URLUNQ, C_AUTOLINK, C_TITLE,
	C_NONE, C_INVALID, C_MURKY };

/* Only blanks and list or quote markers before: a value here starts a
 * block's content. */
static int
at_bol(const char *p, size_t n)
{
	for (; n; p++, n--)
		if (!isblank_a(*p) && !strchr(">*+-.)0123456789", *p))
			return 0;
	return 1;
}

/* Where a value lands, given what is written; ln[0..lnn) is the line so far. */
static int
context(const struct mdout *o, const char *ln, size_t lnn)
{
	int kind;

	if (o->rawtext)
		return C_NONE;
	switch (o->tag) {
	case T_NONE:
		break;
	case T_OPEN:
		return C_AUTOLINK;
	case T_BANG: case T_BANGDASH: case T_COMMENT: case T_BOGUS:
		return C_ATTR;
	case T_BEFOREVAL: case T_UNQ: case T_DQ: case T_SQ:
		kind = mdscan_attr_kind(o);
		if (kind == A_CODE)
			return C_NONE;
		if (o->tag == T_DQ || o->tag == T_SQ)
			return kind == A_URL ? C_URL : C_ATTR;
		return kind == A_URL ? C_URLUNQ : C_UNQ;
	default:
		return C_NONE;	/* a tag's or an attribute's name */
	}
	/* a link even in what looks like a code block: containers that are
	 * not followed could end the block */
	if (o->md == M_DEST || o->md == M_REFDEST)
		return C_URL;
	if (o->md == M_TITLE)
		return C_TITLE;
	if (o->fence)
		return C_TEXT;
	return o->html || mdblock_html_start(ln, lnn, 0) ? C_HTML : C_TEXT;
}

/* Is the URL p[0..pn) followed by v[0..vn) one with no scheme (unless
 * absolute) or with http, https or mailto? What browsers skip at the start
 * is skipped; a ":" before any "/", "?" or "#" makes a scheme. */
static int
url_ok(const char *p, size_t pn, const char *v, size_t vn, int absolute)
{
	static const char *const ok[] = { "http", "https", "mailto" };
	char scheme[8];
	size_t i, k = 0, t;
	int c;

	for (i = 0; i < pn + vn; i++) {
		c = (unsigned char)(i < pn ? p[i] : v[i - pn]);
		if (k == 0 && c <= ' ')
			continue;
		if (c == ':')
			break;
		if (c == '/' || c == '?' || c == '#')
			return !absolute;
		if (k < sizeof scheme)
			scheme[k] = (char)lower_a(c);
		k++;
	}
	if (i == pn + vn)
		return !absolute;
	for (t = 0; t < sizeof ok / sizeof *ok; t++)
		if (name_is(scheme, k, ok[t]))
			return 1;
	return 0;
}

/* A value in a URL: percent-encoded where it could end or change the URL
 * or make markup, & as a reference (and = too, unquoted); "#invalid" if
 * it would make a URL of another scheme. */
static void
esc_url(struct mdout *o, const char *s, size_t n, int ctx)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf *t = &o->tmp;
	size_t i;
	unsigned char c;

	buf_reset(t);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c <= ' ' || c == 0x7f || strchr("\"'<>\\^`{|}()[]", c)) {
			buf_putc(t, '%');
			buf_putc(t, hex[c >> 4]);
			buf_putc(t, hex[c & 15]);
		} else {
			buf_putc(t, (char)c);
		}
	}
	if (o->tag == T_NONE ? !url_ok(o->mdurl, o->mdurllen, t->s ? t->s : "", t->len, 0) :
	    !url_ok(o->url, o->urllen, t->s ? t->s : "", t->len, ctx == C_AUTOLINK)) {
		buf_puts(&o->b, "#invalid");
		return;
	}
	for (i = 0; i < t->len; i++) {
		if (t->s[i] == '&')
			buf_puts(&o->b, "&amp;");
		else if (t->s[i] == '=' && ctx == C_URLUNQ)
			buf_puts(&o->b, "&#61;");
		else
			buf_putc(&o->b, t->s[i]);
	}
}

/* Where it is not clear what is markup: letters, digits, . - _ and
 * non-ASCII as they are, the rest as references, safe in text, in an
 * attribute value quoted or not, and in a URL; no scheme but http, https
 * and mailto, and nothing right after "<". */
static void
esc_murky(struct mdout *o, const char *s, size_t n)
{
	size_t i;
	unsigned char c;

	if ((o->b.len && o->b.s[o->b.len - 1] == '<') || !url_ok("", 0, s, n, 0)) {
		buf_puts(&o->b, "#invalid");
		return;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x80 || isalnum_a(c) || c == '.' || c == '-' || c == '_')
			buf_putc(&o->b, (char)c);
		else
			buf_printf(&o->b, "&#%d;", c);
	}
}

/* An unquoted attribute value: what could end it as references. */
static void
esc_unquoted(struct buf *b, const char *s, size_t n)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c <= ' ' || strchr("\"'=<>`&[]\\", c))
			buf_printf(b, "&#%d;", c);
		else
			buf_putc(b, (char)c);
	}
}

/* A link title: punctuation backslashed, < > & as references, on one line. */
static void
esc_title(struct buf *b, const char *s, size_t n)
{
	size_t i;
	int c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
			continue;
		if (c == '\r' || c == '\n')
			buf_putc(b, ' ');
		else if (c == '<' || c == '>' || c == '&')
			buf_puts(b, c == '<' ? "&lt;" : c == '>' ? "&gt;" : "&amp;");
		else if (ispunct_a(c))
			buf_printf(b, "\\%c", c);
		else
			buf_putc(b, (char)c);
	}
}

/* A raw value in Markdown text: its Markdown kept, but no HTML and no
 * links. */
static void
esc_raw(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '[': buf_puts(b, "\\["); break;
		case ']': buf_puts(b, "\\]"); break;
		case '\\': buf_puts(b, "\\\\"); break;
		default: buf_putc(b, s[i]); break;
		}
	}
}

static void
flush_lines(struct mdout *o)
{
	if (!o->line)
		return;
	if (!o->error && fwrite(o->b.s, 1, o->line, o->fp) != o->line)
		o->error = errno ? errno : EIO;
	memmove(o->b.s, o->b.s + o->line, o->b.len - o->line + 1);
	o->b.len -= o->line;
	o->line = 0;
}

static void
endlines(struct mdout *o, size_t from)
{
	const char *nl;

	while (from < o->b.len && (nl = memchr(o->b.s + from, '\n', o->b.len - from))) {
		mdblock_line(o, o->b.s + o->line, (size_t)(nl - o->b.s) - o->line);
		o->line = from = (size_t)(nl - o->b.s) + 1;
	}
	if (o->fp && o->line >= FLUSHAT)
		flush_lines(o);
}

void
md_init(struct mdout *o, FILE *fp)
{
	memset(o, 0, sizeof *o);
	o->fp = fp;
	o->prevblank = 1;
	o->bol = 1;
}

static size_t
span(const char *s, size_t n, const char *stop)
{
	size_t k;

	for (k = 0; k < n && s[k] && !strchr(stop, s[k]); k++)
		;
	return k;
}

/* Template text after a value in a URL that has no scheme yet: if the text
 * would end one ("{{x}}:"), a "#" before it keeps the URL relative. */
static void
url_guard(struct mdout *o, const char *s, size_t n)
{
	const char *ln = o->b.s ? o->b.s + o->line : "", *stop;
	int ctx = context(o, ln, o->b.len - o->line), bad = 0;

	if (o->urlvalue && o->tag != T_NONE && (ctx == C_URL || ctx == C_URLUNQ)) {
		stop = o->tag == T_DQ ? "\"" : o->tag == T_SQ ? "'" : " \t\n\r\f>";
		bad = !url_ok(o->url, o->urllen, s, span(s, n, stop), 0);
	}
	if (o->mdurlvalue && (o->md == M_DEST || o->md == M_REFDEST)) {
		stop = o->md == M_DEST ? " \t\n\r)" : " \t\n\r";
		bad |= !url_ok(o->mdurl, o->mdurllen, s, span(s, n, stop), 0);
	}
	if (bad) {
		buf_puts(&o->b, "#invalid");
		mdscan_follow(o, "#invalid", 8);
	}
}

void
md_text(struct mdout *o, const char *s, size_t n)
{
	size_t from;

	if (o->urlvalue || o->mdurlvalue)
		url_guard(o, s, n);
	from = o->b.len;
	buf_put(&o->b, s, n);
	mdscan_follow(o, s, n);
	endlines(o, from);
}

/* Where the value s[0..n) lands: its context, made stricter in markup
 * CommonMark could take for text. */
static int
value_context(const struct mdout *o, const char *s, size_t n)
{
	int ctx = context(o, o->b.s ? o->b.s + o->line : "", o->b.len - o->line);

	/* in markup that CommonMark could take for text, and a link there */
	if (ctx != C_NONE && o->tag != T_NONE && (o->md == M_DEST || o->md == M_REFDEST) &&
	    !url_ok(o->mdurl, o->mdurllen, s, n, 0))
		ctx = C_INVALID;
	if (ctx != C_NONE && o->murky)
		ctx = C_MURKY;
	return ctx;
}

/* The value s[0..n) escaped for context ctx, onto o->b. */
static void
escape_for(struct mdout *o, int ctx, const char *s, size_t n, int raw, int bol)
{
	switch (ctx) {
	case C_NONE:
		break;
	case C_INVALID:
		buf_puts(&o->b, "#invalid");
		break;
	case C_MURKY:
		esc_murky(o, s, n);
		break;
	case C_HTML:
	case C_ATTR:
		md_escape_html(&o->b, s, n, ctx == C_ATTR);
		break;
	case C_UNQ:
		esc_unquoted(&o->b, s, n);
		break;
	case C_URL:
	case C_URLUNQ:
	case C_AUTOLINK:
		esc_url(o, s, n, ctx);
		break;
	case C_TITLE:
		esc_title(&o->b, s, n);
		break;
	default:
		/* no "](" or "]:" made with the template's "]" */
		if (n && o->rbr && (*s == '(' || *s == ':'))
			buf_putc(&o->b, '\\');
		if (raw)
			esc_raw(&o->b, s, n);
		else
			md_escape(&o->b, s, n, bol);
		break;
	}
}

void
md_value(struct mdout *o, const char *s, size_t n, int raw)
{
	size_t from = o->b.len;
	int ctx = value_context(o, s, n);
	int bol = at_bol(o->b.s ? o->b.s + o->line : "", o->b.len - o->line);

	/* no "](" or "]:" made with the template's "]", should this be text */
	if (n && o->rbr && (*s == '(' || *s == ':') &&
	    (ctx == C_HTML || ctx == C_ATTR || ctx == C_UNQ)) {
		buf_puts(&o->b, *s == '(' ? "&#40;" : "&#58;");
		s++;
		n--;
	}
	escape_for(o, ctx, s, n, raw, bol);
	if (o->b.len > from)
		mdscan_follow(o, o->b.s + from, o->b.len - from);
	o->urlvalue = o->mdurlvalue = 1;
	endlines(o, from);
}

int
md_flush(struct mdout *o)
{
	if (o->fp) {
		o->line = o->b.len;
		flush_lines(o);
	}
	return o->error ? -1 : 0;
}

void
md_free(struct mdout *o)
{
	buf_free(&o->b);
	buf_free(&o->tmp);
}
