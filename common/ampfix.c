/* ampfix.c: bare '&' in XML becomes "&amp;"; "&#X41;" becomes "&#x41;". */
#include <string.h>

#include "ampfix.h"

enum { IN_TEXT, IN_CDATA, IN_COMMENT };

#define LOOKAHEAD 40	/* the longest reference or marker we look at, and some */

static int is_name_start(unsigned char c)
{
	return (c | 32) >= 'a' && (c | 32) <= 'z' ? 1 : c == '_' || c == ':' || c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

/*
 * The reference at s[0] == '&': its length if it is well formed, 0 if the
 * '&' is bare, -1 if it is "&#X..;" (an upper-case X libxml2 refuses).
 */
static long reference(const unsigned char *s, size_t n)
{
	size_t i = 1;
	int upper = 0;

	if (i < n && s[i] == '#') {
		i++;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			upper = s[i] == 'X';
			for (i++; i < n && i < LOOKAHEAD && is_hex(s[i]); i++)
				;
			if (i == 3)
				return 0;
		} else {
			size_t d = i;
			for (; i < n && i < LOOKAHEAD && s[i] >= '0' && s[i] <= '9'; i++)
				;
			if (i == d)
				return 0;
		}
	} else {
		if (i >= n || !is_name_start(s[i]))
			return 0;
		for (i++; i < n && i < LOOKAHEAD && is_name_char(s[i]); i++)
			;
	}
	if (i >= n || s[i] != ';')
		return 0;
	return upper ? -1 : (long)i + 1;
}

static const char *find(const char *s, size_t n, const char *needle)
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

void ampfix_chunk(struct ampfix *f, const char *s, size_t n, int final,
                  const char **out, size_t *outlen)
{
	const char *p, *end, *stop, *q;
	size_t limit;

	buf_put(&f->in, s, n);
	buf_reset(&f->out);
	p = f->in.s ? f->in.s : "";
	end = p + f->in.len;
	limit = final || f->in.len < LOOKAHEAD ? (final ? f->in.len : 0) : f->in.len - LOOKAHEAD;
	stop = p + limit;
	while (p < stop) {
		if (f->state != IN_TEXT) {
			q = find(p, (size_t)(end - p), f->state == IN_CDATA ? "]]>" : "-->");
			if (!q) {
				/* keep the last two bytes: the end marker may straddle */
				q = end - 2 > p ? end - 2 : p;
				buf_put(&f->out, p, (size_t)(q - p));
				p = q;
				break;
			}
			buf_put(&f->out, p, (size_t)(q + 3 - p));
			p = q + 3;
			f->state = IN_TEXT;
			continue;
		}
		/* the next '&' or "<!" decides what to do */
		const char *amp = memchr(p, '&', (size_t)(stop - p));
		/* "<!" is found by its '!', which is much rarer in XML than '<' */
		const char *upto = amp ? amp : stop, *bang = p, *lt = NULL;
		while ((bang = memchr(bang, '!', (size_t)(upto - bang)))) {
			if (bang > p && bang[-1] == '<') {
				lt = bang - 1;
				break;
			}
			bang++;
		}
		if (lt) {
			if (end - lt >= 9 && !memcmp(lt, "<![CDATA[", 9)) {
				buf_put(&f->out, p, (size_t)(lt + 9 - p));
				p = lt + 9;
				f->state = IN_CDATA;
				continue;
			}
			if (end - lt >= 4 && !memcmp(lt, "<!--", 4)) {
				buf_put(&f->out, p, (size_t)(lt + 4 - p));
				p = lt + 4;
				f->state = IN_COMMENT;
				continue;
			}
			buf_put(&f->out, p, (size_t)(lt + 2 - p));
			p = lt + 2;
			continue;
		}
		if (!amp) {
			/* never stop between '<' and its '!': the next call must see both */
			const char *cut = stop > p && stop[-1] == '<' ? stop - 1 : stop;
			buf_put(&f->out, p, (size_t)(cut - p));
			p = cut;
			break;
		}
		buf_put(&f->out, p, (size_t)(amp - p));
		long k = reference((const unsigned char *)amp, (size_t)(end - amp));
		if (k > 0) {
			buf_put(&f->out, amp, (size_t)k);
			p = amp + k;
		} else if (k < 0) {
			buf_puts(&f->out, "&#x");
			p = amp + 3;
		} else {
			buf_puts(&f->out, "&amp;");
			p = amp + 1;
		}
	}
	if (final) {
		buf_put(&f->out, p, (size_t)(end - p));
		p = end;
	}
	/* what was not handled waits for the next chunk */
	memmove(f->in.s ? f->in.s : (char *)p, p, (size_t)(end - p));
	f->in.len = (size_t)(end - p);
	if (f->in.s)
		f->in.s[f->in.len] = '\0';
	*out = f->out.s ? f->out.s : "";
	*outlen = f->out.len;
}

void ampfix_free(struct ampfix *f)
{
	buf_free(&f->in);
	buf_free(&f->out);
}
