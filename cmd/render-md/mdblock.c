/* mdblock.c: which block (a fenced code block, an HTML block) the
 * Markdown written is in, line by line; see md.h. The block rules
 * followed are CommonMark 0.29 to 0.31's, where they agree. */
#include <string.h>
#include <strings.h>

#include "md.h"

/* The HTML block type (1 or 6) that the tag name p[j..k) in p[0..n)
 * starts (close: an end tag), or 0. */
static int
block_tag(const char *p, size_t n, size_t j, size_t k, int close)
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
	int after = k < n ? p[k] : '\n';
	size_t t;

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

/* HTML block start types 1 to 6 on a line starting p[0..n); eol: the line
 * ends there (else more may follow). Only what every CommonMark from 0.29
 * and GitHub take as HTML counts. */
int
mdblock_html_start(const char *p, size_t n, int eol)
{
	size_t i = 0, j, k;
	int close = 0;

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
	return block_tag(p, n, j, k, close);
}

/* Past an attribute's value, from after its "=" at p[k]: where it ends,
 * or 0 if there is none. */
static size_t
value_end(const char *p, size_t n, size_t k)
{
	const char *q;
	size_t i;

	while (k < n && isblank_a(p[k]))
		k++;
	if (k < n && (p[k] == '"' || p[k] == '\'')) {
		q = memchr(p + k + 1, p[k], n - k - 1);
		return q ? (size_t)(q - p) + 1 : 0;
	}
	for (i = k; i < n && !isws(p[i]) && !strchr("\"'=<>`", p[i]); i++)
		;
	return i == k ? 0 : i;
}

/* Past an open tag's attributes, from p[i]: where they end, or 0 if one
 * is malformed. */
static size_t
attributes(const char *p, size_t n, size_t i)
{
	size_t k;

	for (;;) {
		for (k = i; i < n && isblank_a(p[i]); i++)
			;
		if (i == k || i >= n || !(isalpha_a(p[i]) || p[i] == '_' || p[i] == ':'))
			return i;
		while (i < n && (isalnum_a(p[i]) || strchr("_.:-", p[i])))
			i++;
		for (k = i; k < n && isblank_a(p[k]); k++)
			;
		if (k < n && p[k] == '=' && !(i = value_end(p, n, k + 1)))
			return 0;
	}
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
	if (!close && !(i = attributes(p, n, i)))
		return 0;
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

void
mdblock_line(struct mdout *o, const char *p, size_t n)
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
		if ((t = mdblock_html_start(p, n, 1))) {
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
