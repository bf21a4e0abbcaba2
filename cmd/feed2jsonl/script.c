/* script.c: superscripts and subscripts as Unicode characters or ^{...}/_{...}. */
#include <stdint.h>
#include <utf8proc.h>

#include "script.h"
#include "text.h"

struct script_form { uint32_t plain, script; };

/*
 * Only characters whose script form every common font draws: not the
 * modifier letters (U+1D2C ...), which look like letters raised by chance.
 */
static const struct script_form superscripts[] = {
	{ '0', 0x2070 }, { '1', 0x00B9 }, { '2', 0x00B2 }, { '3', 0x00B3 },
	{ '4', 0x2074 }, { '5', 0x2075 }, { '6', 0x2076 }, { '7', 0x2077 },
	{ '8', 0x2078 }, { '9', 0x2079 }, { '+', 0x207A }, { '-', 0x207B },
	{ 0x2212, 0x207B }, { '=', 0x207C }, { '(', 0x207D }, { ')', 0x207E },
	{ 'n', 0x207F }, { 'i', 0x2071 },
};

static const struct script_form subscripts[] = {
	{ '0', 0x2080 }, { '1', 0x2081 }, { '2', 0x2082 }, { '3', 0x2083 },
	{ '4', 0x2084 }, { '5', 0x2085 }, { '6', 0x2086 }, { '7', 0x2087 },
	{ '8', 0x2088 }, { '9', 0x2089 }, { '+', 0x208A }, { '-', 0x208B },
	{ 0x2212, 0x208B }, { '=', 0x208C }, { '(', 0x208D }, { ')', 0x208E },
	{ 'a', 0x2090 }, { 'e', 0x2091 }, { 'o', 0x2092 }, { 'x', 0x2093 },
	{ 'h', 0x2095 }, { 'k', 0x2096 }, { 'l', 0x2097 }, { 'm', 0x2098 },
	{ 'n', 0x2099 }, { 'p', 0x209A }, { 's', 0x209B }, { 't', 0x209C },
};

static const struct script_form *
forms(enum script kind, size_t *n)
{
	if (kind == SCRIPT_SUPER) {
		*n = sizeof superscripts / sizeof *superscripts;
		return superscripts;
	}
	*n = sizeof subscripts / sizeof *subscripts;
	return subscripts;
}

/* The script form of cp, or 0. */
static uint32_t
form_of(uint32_t cp, enum script kind)
{
	size_t i, n;
	const struct script_form *f = forms(kind, &n);

	for (i = 0; i < n; i++)
		if (f[i].plain == cp)
			return f[i].script;
	return 0;
}

static int
is_form(uint32_t cp, enum script kind)
{
	size_t i, n;
	const struct script_form *f = forms(kind, &n);

	for (i = 0; i < n; i++)
		if (f[i].script == cp)
			return 1;
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Each code point of s[0..n) in turn; 0 at the end or at invalid UTF-8. */
static uint32_t
next_cp(const char *s, size_t n, size_t *at)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t len;

	if (*at >= n)
		return 0;
	len = utf8proc_iterate((const utf8proc_uint8_t *)s + *at, (utf8proc_ssize_t)(n - *at), &cp);
	if (len <= 0 || cp <= 0)
		return 0;
	*at += (size_t)len;
	return (uint32_t)cp;
}

static int
all_have_forms(const char *s, size_t n, enum script kind)
{
	size_t at = 0;
	uint32_t cp;

	while ((cp = next_cp(s, n, &at)))
		if (!form_of(cp, kind))
			return 0;
	return at == n;
}

static void
put_forms(struct buf *out, const char *s, size_t n, enum script kind)
{
	size_t at = 0;
	uint32_t cp;

	while ((cp = next_cp(s, n, &at)))
		utf8_put(out, form_of(cp, kind));
}

/* s[0..n) without blanks at either end, inner runs of blanks as one space. */
static void
collapse_blanks(struct buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_blank(s[i]))
			buf_putc(out, s[i]);
		else if (out->len && out->s[out->len - 1] != ' ')
			buf_putc(out, ' ');
	}
	if (out->len && out->s[out->len - 1] == ' ')
		out->len--;
}

void
script_append(struct buf *out, const char *s, size_t n, enum script kind)
{
	struct buf body = { 0 };

	collapse_blanks(&body, s, n);
	if (n && is_blank(s[0]))
		buf_putc(out, ' ');	/* words either side must not run together */
	if (!body.len) {
		buf_free(&body);
		return;
	}
	if (all_have_forms(body.s, body.len, kind)) {
		put_forms(out, body.s, body.len, kind);
	} else {
		buf_puts(out, kind == SCRIPT_SUPER ? "^{" : "_{");
		buf_put(out, body.s, body.len);
		buf_putc(out, '}');
	}
	if (is_blank(s[n - 1]))
		buf_putc(out, ' ');
	buf_free(&body);
}

int
script_is_atom(const char *s, size_t n)
{
	size_t at = 0;
	uint32_t cp;

	while ((cp = next_cp(s, n, &at))) {
		utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
		if (cp == '.' || cp == '^' || cp == '_' || cp == '{' || cp == '}' ||
		    is_form(cp, SCRIPT_SUPER) || is_form(cp, SCRIPT_SUB))
			continue;
		if (c < UTF8PROC_CATEGORY_LU || c > UTF8PROC_CATEGORY_NO)
			return 0;
	}
	return at == n && n > 0;
}
