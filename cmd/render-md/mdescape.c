/* mdescape.c: Markdown that shows text literally; see mdescape.h. The
 * block rules followed are CommonMark 0.29 to 0.31's, where they agree. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "mdescape.h"

enum { FLUSHAT = 1 << 16, TICKBITS = 64 };

/* bytes md_escape looks at more closely */
static const unsigned char special[256] = {
	['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1, ['~'] = 1, ['['] = 1,
	[']'] = 1, ['|'] = 1, ['<'] = 1, ['>'] = 1, ['&'] = 1, ['#'] = 1, ['$'] = 1,
	['\n'] = 1, ['\r'] = 1,
};

static int isalpha_a(int c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int isdigit_a(int c) { return c >= '0' && c <= '9'; }
static int isalnum_a(int c) { return isalpha_a(c) || isdigit_a(c); }
static int isblank_a(int c) { return c == ' ' || c == '\t'; }
static int isws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

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

void
md_escape(struct buf *out, const char *s, size_t n, int bol)
{
	struct esc e;
	size_t i = 0, j, ls = (size_t)-1, end;
	int c, prev, next;

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
		for (j = i; j + 8 <= n && !(special[(unsigned char)s[j]] |
		    special[(unsigned char)s[j + 1]] | special[(unsigned char)s[j + 2]] |
		    special[(unsigned char)s[j + 3]] | special[(unsigned char)s[j + 4]] |
		    special[(unsigned char)s[j + 5]] | special[(unsigned char)s[j + 6]] |
		    special[(unsigned char)s[j + 7]]); j += 8)
			;
		for (; j < n && !special[(unsigned char)s[j]]; j++)
			;
		buf_put(out, s + i, j - i);
		if ((i = j) == n)
			break;
		c = (unsigned char)s[i];
		prev = i > 0 ? (unsigned char)s[i - 1] : 0;
		next = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		switch (c) {
		case '\r':
			if (next == '\n')
				i++;
			/* fall through */
		case '\n':
			buf_putc(out, '\n');
			i = linestart(&e, i + 1, &ls);
			continue;
		case '\\':
			buf_puts(out, next == 0 || next == '\n' || next == '\r' ||
			    ispunct_a(next) ? "\\\\" : "\\");
			break;
		case '`':
			i = ticks(&e, i, i == ls);
			continue;
		case '*':
			if (isblank_a(prev) && isws(next))
				buf_putc(out, '*');
			else
				buf_puts(out, "\\*");
			break;
		case '_':
			if ((isalnum_a(prev) && isalnum_a(next)) || inurl(&e, i))
				buf_putc(out, '_');
			else
				buf_puts(out, "\\_");
			break;
		case '~':
			buf_puts(out, inurl(&e, i) ? "~" : "\\~");
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
		case '#':
			if ((i == 0 || isws(prev)) && (next == 0 || isws(next) || next == '#'))
				buf_puts(out, "\\#");
			else
				buf_putc(out, '#');
			break;
		case '$':
			if ((end = texspan(&e, i))) {
				j = s[i + 1] == '$' ? 2 : 1;
				buf_put(out, s + i, j);
				tex(&e, i + j, end - j);
				buf_put(out, s + end - j, j);
				i = end;
				continue;
			}
			buf_putc(out, '$');
			break;
		}
		i++;
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

/* ---- following the blocks ---- */

/* HTML block start types 1 to 6 on a line starting p[0..n); eol: the line
 * ends there (else more may follow). Only what every CommonMark from 0.29
 * and GitHub take as HTML counts. */
static int
html_start(const char *p, size_t n, int eol)
{
	static const char *const type1[] = { "pre", "script", "style" };
	static const char *const type6[] = {
		"address", "article", "aside", "base", "basefont", "blockquote",
		"body", "caption", "center", "col", "colgroup", "dd", "details",
		"dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
		"figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3",
		"h4", "h5", "h6", "head", "header", "hr", "html", "iframe",
		"legend", "li", "link", "main", "menu", "menuitem", "nav",
		"noframes", "ol", "optgroup", "option", "p", "param", "section",
		"summary", "table", "tbody", "td", "tfoot", "th", "thead", "title",
		"tr", "track", "ul",
	};
	size_t i = 0, j, k, t;
	int close = 0, after;

	while (i < 3 && i < n && p[i] == ' ')
		i++;
	if (i >= n || p[i] != '<')
		return 0;
	p += i;
	n -= i;
	if (n >= 4 && !memcmp(p, "<!--", 4))
		return 2;
	if (n >= 2 && p[1] == '?')
		return 3;
	if (n >= 9 && !memcmp(p, "<![CDATA[", 9))
		return 5;
	if (n >= 3 && p[1] == '!' && p[2] >= 'A' && p[2] <= 'Z')
		return 4;
	j = 1;
	if (j < n && p[j] == '/') {
		close = 1;
		j++;
	}
	for (k = j; k < n && isalnum_a(p[k]); k++)
		;
	if (k == j || (k == n && !eol))
		return 0;
	after = k < n ? p[k] : '\n';
	for (t = 0; !close && t < sizeof type1 / sizeof *type1; t++)
		if (strlen(type1[t]) == k - j && !strncasecmp(p + j, type1[t], k - j) &&
		    (isws(after) || after == '>'))
			return 1;
	for (t = 0; t < sizeof type6 / sizeof *type6; t++)
		if (strlen(type6[t]) == k - j && !strncasecmp(p + j, type6[t], k - j) &&
		    (isws(after) || after == '>' ||
		    (after == '/' && k + 1 < n && p[k + 1] == '>')))
			return 6;
	return 0;
}

/* Does the line p[0..n) hold only one complete open or closing tag (an
 * HTML block of type 7)? */
static int
html_tag7(const char *p, size_t n)
{
	size_t i = 0, k;
	int close;

	while (i < 3 && i < n && p[i] == ' ')
		i++;
	if (i >= n || p[i++] != '<')
		return 0;
	close = i < n && p[i] == '/';
	i += (size_t)close;
	if (i >= n || !isalpha_a(p[i]))
		return 0;
	for (k = i; i < n && (isalnum_a(p[i]) || p[i] == '-'); i++)
		;
	if ((i - k == 8 && !strncasecmp(p + k, "textarea", 8)) ||
	    (i - k == 6 && (!strncasecmp(p + k, "script", 6))) ||
	    (i - k == 5 && !strncasecmp(p + k, "style", 5)) ||
	    (i - k == 3 && !strncasecmp(p + k, "pre", 3)))
		return 0;
	while (!close) {
		for (k = i; i < n && isblank_a(p[i]); i++)
			;
		if (i == k || i >= n || !(isalpha_a(p[i]) || p[i] == '_' || p[i] == ':'))
			break;
		while (i < n && (isalnum_a(p[i]) || strchr("_.:-", p[i])))
			i++;
		for (k = i; k < n && isblank_a(p[k]); k++)
			;
		if (k < n && p[k] == '=') {
			for (k++; k < n && isblank_a(p[k]); k++)
				;
			if (k < n && (p[k] == '"' || p[k] == '\'')) {
				const char *q = memchr(p + k + 1, p[k], n - k - 1);

				if (!q)
					return 0;
				i = (size_t)(q - p) + 1;
			} else {
				for (i = k; i < n && !isws(p[i]) && !strchr("\"'=<>`", p[i]); i++)
					;
				if (i == k)
					return 0;
			}
		}
	}
	while (i < n && isblank_a(p[i]))
		i++;
	if (!close && i < n && p[i] == '/')
		i++;
	if (i >= n || p[i++] != '>')
		return 0;
	while (i < n && isblank_a(p[i]))
		i++;
	return i == n;
}

static int
html_ends(int type, const char *p, size_t n)
{
	static const char *const end1[] = { "</script>", "</pre>", "</style>" };
	static const char *const end[] = { NULL, NULL, "-->", "?>", ">", "]]>" };
	size_t i, t, m;

	if (type == 1) {
		for (i = 0; i < n; i++)
			for (t = 0; t < 3; t++)
				if (n - i >= (m = strlen(end1[t])) && !strncasecmp(p + i, end1[t], m))
					return 1;
		return 0;
	}
	m = strlen(end[type]);
	for (i = 0; i + m <= n; i++)
		if (!memcmp(p + i, end[type], m))
			return 1;
	return 0;
}

/* A fence: ``` or ~~~ (or longer) after at most three spaces. */
static size_t
fence(const char *p, size_t n, char *ch)
{
	size_t i = 0, k;

	while (i < 3 && i < n && p[i] == ' ')
		i++;
	if (i >= n || (p[i] != '`' && p[i] != '~'))
		return 0;
	*ch = p[i];
	for (k = i; k < n && p[k] == *ch; k++)
		;
	if (k - i < 3 || (*ch == '`' && memchr(p + k, '`', n - k)))
		return 0;
	return k - i;
}

static int
isblankline(const char *p, size_t n)
{
	for (; n; p++, n--)
		if (!isblank_a(*p))
			return 0;
	return 1;
}

static void
finish_line(struct mdout *o, const char *p, size_t n)
{
	int blank, t;
	size_t i, k;
	char ch;

	if (n && p[n - 1] == '\r')
		n--;
	blank = isblankline(p, n);
	if (o->fence) {
		for (i = 0; i < 3 && i < n && p[i] == ' '; i++)
			;
		for (k = i; k < n && p[k] == o->fence; k++)
			;
		if (k - i >= o->fencelen && isblankline(p + k, n - k))
			o->fence = 0;
	} else if (o->html) {
		if (o->html <= 5 ? html_ends(o->html, p, n) : blank)
			o->html = 0;
	} else if (!blank) {
		if ((t = html_start(p, n, 1))) {
			o->html = t <= 5 && html_ends(t, p + 2, n - 2) ? 0 : t;
		} else if (o->prevblank && html_tag7(p, n)) {
			o->html = 7;
		} else if ((k = fence(p, n, &ch))) {
			o->fence = ch;
			o->fencelen = k;
		}
	}
	o->prevblank = blank;
}

/* ---- following HTML markup and Markdown links ---- */

/* Where in HTML markup (mdout.tag), after the HTML tokenizer's states. */
enum { T_NONE, T_OPEN, T_ENDOPEN, T_NAME, T_BEFOREATTR, T_ATTRNAME,
	T_AFTERATTR, T_BEFOREVAL, T_DQ, T_SQ, T_UNQ, T_BANG, T_BANGDASH,
	T_COMMENT, T_BOGUS };
/* Where in Markdown (mdout.md): in a link destination, after it */
enum { M_TEXT, M_DEST, M_REFDEST, M_TITLE };
/* The contexts a value can land in */
enum { C_TEXT, C_HTML, C_ATTR, C_UNQ, C_URL, C_URLUNQ, C_AUTOLINK, C_TITLE,
	C_NONE, C_INVALID, C_MURKY };
/* What an attribute holds */
enum { A_TEXT, A_URL, A_CODE };

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int isspace_h(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

static void
url_add(struct mdout *o, int c)
{
	if (o->urllen < sizeof o->url)
		o->url[o->urllen++] = (char)c;
}

static void
mdurl_add(struct mdout *o, int c)
{
	if (o->mdurllen < sizeof o->mdurl)
		o->mdurl[o->mdurllen++] = (char)c;
}

static void
name_add(char *s, size_t cap, size_t *n, int c)
{
	if (*n < cap)
		s[*n] = (char)lower(c);
	(*n)++;
}

static int
name_is(const char *s, size_t n, const char *name)
{
	return n == strlen(name) && !memcmp(s, name, n);
}

static int
attr_kind(const struct mdout *o)
{
	static const char *const url[] = {
		"action", "archive", "background", "cite", "classid", "codebase",
		"data", "dynsrc", "formaction", "href", "icon", "longdesc", "lowsrc",
		"manifest", "ping", "poster", "profile", "src", "srcset", "usemap",
		"xlink:href",
	};
	size_t i, n = o->anlen;

	if (n > sizeof o->aname)
		return A_TEXT;
	if ((n > 2 && !memcmp(o->aname, "on", 2)) || name_is(o->aname, n, "style") ||
	    name_is(o->aname, n, "srcdoc"))
		return A_CODE;
	for (i = 0; i < sizeof url / sizeof *url; i++)
		if (name_is(o->aname, n, url[i]))
			return A_URL;
	return A_TEXT;
}

/* A start or end tag is over: <script> and <style> hold code. */
static void
tag_end(struct mdout *o)
{
	o->tag = T_NONE;
	if (!o->closing && (name_is(o->tname, o->tnlen, "script") ||
	    name_is(o->tname, o->tnlen, "style")))
		o->rawtext = 1;
}

/* In <script> or <style>: look for its end tag. */
static void
rawtext(struct mdout *o, int c)
{
	size_t k = (size_t)o->rawtext - 1;
	int want = k == 0 ? '<' : k == 1 ? '/' : o->tname[k - 2];

	if (lower(c) != want) {
		o->rawtext = c == '<' ? 2 : 1;
		return;
	}
	if (++k < o->tnlen + 2) {
		o->rawtext = (int)k + 1;
		return;
	}
	o->rawtext = 0;
	o->tag = T_NAME;
	o->closing = 1;
}

static void
attr_start(struct mdout *o, int c)
{
	o->tag = T_ATTRNAME;
	o->anlen = 0;
	name_add(o->aname, sizeof o->aname, &o->anlen, c);
}

static void
tag_open(struct mdout *o)
{
	o->tag = T_OPEN;
	o->urllen = 0;
	o->urlvalue = 0;
}

/* One byte inside markup. A "<" in a tag or comment: CommonMark may take
 * the tag for text and what follows the "<" for a tag of its own. */
static void
scan_tag(struct mdout *o, int c)
{
	if (c == '<' && o->tag != T_OPEN && o->tag != T_ENDOPEN)
		o->murky = 1;
	switch (o->tag) {
	case T_OPEN:
	case T_ENDOPEN:
		if (isalpha_a(c)) {
			o->closing = o->tag == T_ENDOPEN;
			o->tag = T_NAME;
			o->tnlen = 0;
			name_add(o->tname, sizeof o->tname, &o->tnlen, c);
		} else if (o->tag == T_ENDOPEN) {
			o->tag = c == '>' ? T_NONE : T_BOGUS;
		} else {
			o->tag = c == '/' ? T_ENDOPEN : c == '!' ? T_BANG :
			    c == '?' ? T_BOGUS : T_NONE;
			if (c == '<')
				tag_open(o);
		}
		break;
	case T_NAME:
		if (isspace_h(c) || c == '/')
			o->tag = T_BEFOREATTR;
		else if (c == '>')
			tag_end(o);
		else
			name_add(o->tname, sizeof o->tname, &o->tnlen, c);
		break;
	case T_BEFOREATTR:
	case T_AFTERATTR:
		if (c == '>')
			tag_end(o);
		else if (c == '/')
			o->tag = T_BEFOREATTR;
		else if (c == '=' && o->tag == T_AFTERATTR)
			o->tag = T_BEFOREVAL;
		else if (!isspace_h(c))
			attr_start(o, c);
		break;
	case T_ATTRNAME:
		if (isspace_h(c))
			o->tag = T_AFTERATTR;
		else if (c == '/')
			o->tag = T_BEFOREATTR;
		else if (c == '>')
			tag_end(o);
		else if (c == '=')
			o->tag = T_BEFOREVAL;
		else
			name_add(o->aname, sizeof o->aname, &o->anlen, c);
		o->urllen = 0;
		o->urlvalue = 0;
		break;
	case T_BEFOREVAL:
		if (c == '"' || c == '\'') {
			o->tag = c == '"' ? T_DQ : T_SQ;
		} else if (c == '>') {
			tag_end(o);
		} else if (!isspace_h(c)) {
			o->tag = T_UNQ;
			url_add(o, c);
		}
		break;
	case T_DQ:
	case T_SQ:
		if (c == (o->tag == T_DQ ? '"' : '\''))
			o->tag = T_BEFOREATTR;
		else
			url_add(o, c);
		break;
	case T_UNQ:
		if (isspace_h(c))
			o->tag = T_BEFOREATTR;
		else if (c == '>')
			tag_end(o);
		else
			url_add(o, c);
		break;
	case T_BANG:
	case T_BANGDASH:
		o->tag = c == '>' ? T_NONE : c != '-' ? T_BOGUS :
		    o->tag == T_BANG ? T_BANGDASH : T_COMMENT;
		o->dashes = 2;	/* "<!-->" ends at once */
		break;
	case T_COMMENT:
		if (c == '>' && o->dashes >= 2)
			o->tag = T_NONE;
		else if (c == '-')
			o->dashes++;
		else if (c != '!' || o->dashes < 2)
			o->dashes = 0;
		break;
	case T_BOGUS:
		if (c == '>')
			o->tag = T_NONE;
		break;
	}
}

static void
dest_start(struct mdout *o, int state)
{
	o->md = state;
	o->mdurllen = 0;
	o->mdurlvalue = 0;
	o->depth = 0;
}

/* One byte of Markdown: links, their destinations and titles. */
static void
scan_md(struct mdout *o, int c)
{
	int esc = o->esc, rbr = o->rbr;

	o->esc = c == '\\' && !esc;
	o->rbr = c == ']' && !esc;
	if (c == '\n') {
		o->bol = 1;
		o->indent = 0;
		o->refline = 0;
	} else if (o->bol && c == ' ') {
		o->indent++;
	} else if (o->bol) {
		o->bol = 0;
		o->refline = c == '[' && o->indent < 4;
	}
	/* "](" starts a destination wherever it is, as CommonMark may read it */
	if (rbr && c == '(') {
		dest_start(o, M_DEST);
		return;
	}
	switch (o->md) {
	case M_TEXT:
		if (rbr && c == ':' && o->refline)
			dest_start(o, M_REFDEST);
		break;
	case M_DEST:
	case M_REFDEST:
		if (isspace_h(c)) {
			if (o->mdurllen)
				o->md = c == '\n' && o->md == M_REFDEST ? M_TEXT : M_TITLE;
		} else if (c == ')' && !esc && o->md == M_DEST && !o->depth--) {
			o->md = M_TEXT;
		} else {
			o->depth += c == '(' && !esc;
			if (c != '<' || o->mdurllen)	/* [x](<url>) */
				mdurl_add(o, c);
		}
		break;
	case M_TITLE:
		if ((c == ')' && !esc) || c == '\n')
			o->md = M_TEXT;
		break;
	}
}

/* Follow what is written, as markup and as Markdown both: CommonMark may
 * not take for a tag what a browser would. */
static void
scan(struct mdout *o, const char *s, size_t n)
{
	size_t i;
	int c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (o->rawtext)
			rawtext(o, c);
		else if (o->tag != T_NONE)
			scan_tag(o, c);
		else if (c == '<')
			tag_open(o);
		scan_md(o, c);
	}
}

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
		kind = attr_kind(o);
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
	return o->html || html_start(ln, lnn, 0) ? C_HTML : C_TEXT;
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
			scheme[k] = (char)lower(c);
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
		finish_line(o, o->b.s + o->line, (size_t)(nl - o->b.s) - o->line);
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
		scan(o, "#invalid", 8);
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
	scan(o, s, n);
	endlines(o, from);
}

void
md_value(struct mdout *o, const char *s, size_t n, int raw)
{
	size_t from = o->b.len, lnn = o->b.len - o->line;
	const char *ln = o->b.s ? o->b.s + o->line : "";
	int ctx = context(o, ln, lnn), bol = at_bol(ln, lnn);

	/* ln is not to be used after a write: o->b may move */
	/* in markup that CommonMark could take for text, and a link there */
	if (ctx != C_NONE && o->tag != T_NONE && (o->md == M_DEST || o->md == M_REFDEST) &&
	    !url_ok(o->mdurl, o->mdurllen, s, n, 0))
		ctx = C_INVALID;
	if (ctx != C_NONE && o->murky)
		ctx = C_MURKY;
	/* no "](" or "]:" made with the template's "]", should this be text */
	if (n && o->rbr && (*s == '(' || *s == ':') &&
	    (ctx == C_HTML || ctx == C_ATTR || ctx == C_UNQ)) {
		buf_puts(&o->b, *s == '(' ? "&#40;" : "&#58;");
		s++;
		n--;
	}
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
	if (o->b.len > from)
		scan(o, o->b.s + from, o->b.len - from);
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
