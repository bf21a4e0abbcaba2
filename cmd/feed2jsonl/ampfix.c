/* ampfix.c: bare '&' in XML becomes "&amp;"; "&#X41;" becomes "&#x41;". */
#include <string.h>

#include "ampfix.h"
#include "text.h"

enum { IN_TEXT, IN_CDATA, IN_COMMENT };

#define LOOKAHEAD 40	/* the longest reference or marker we look at, and some */

static int
is_name_start(unsigned char c)
{
	return (c | 32) >= 'a' && (c | 32) <= 'z' ? 1 : c == '_' || c == ':' || c >= 0x80;
}

static int
is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int
is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

/*
 * The reference at s[0] == '&': its length if it is well formed, 0 if the
 * '&' is bare, -1 if it is "&#X..;" (an upper-case X libxml2 refuses).
 */
static long
reference(const unsigned char *s, size_t n)
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

/*
 * Most chunks need no change: then what to parse is the caller's own bytes.
 * Bytes are held back only where the end of the chunk cuts a reference or
 * a marker in two; they go before the next chunk.
 */
void
ampfix_chunk(struct ampfix *f, const char *s, size_t n, int final,
    const char **out, size_t *outlen)
{
	const char *src = s, *p, *end, *keep, *q;
	int replaced = 0;

	buf_join_carry(&f->carry, &f->in, &src, &n);
	if (!src)
		src = "";
	buf_reset(&f->out);
	p = keep = src;
	end = src + n;
	while (p < end) {
		if (f->state != IN_TEXT) {
			q = text_memfind(p, (size_t)(end - p), f->state == IN_CDATA ? "]]>" : "-->");
			if (!q) {
				/* the end marker may straddle the chunks */
				p = final ? end : end - p <= 2 ? p : end - 2;
				break;
			}
			p = q + 3;
			f->state = IN_TEXT;
			continue;
		}
		/* the next '&' or "<!" decides; '!' is much rarer in XML than '<' */
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *upto = amp ? amp : end, *bang = p, *lt = NULL;
		while ((bang = memchr(bang, '!', (size_t)(upto - bang)))) {
			if (bang > p && bang[-1] == '<') {
				lt = bang - 1;
				break;
			}
			bang++;
		}
		if (lt) {
			if (!final && end - lt < 9) {
				p = lt;		/* "<![CDATA[" may be cut: decide next time */
				break;
			}
			if (end - lt >= 9 && !memcmp(lt, "<![CDATA[", 9)) {
				p = lt + 9;
				f->state = IN_CDATA;
			} else if (end - lt >= 4 && !memcmp(lt, "<!--", 4)) {
				p = lt + 4;
				f->state = IN_COMMENT;
			} else {
				p = lt + 2;
			}
			continue;
		}
		if (!amp) {
			/* never part '<' from its '!' */
			p = !final && end[-1] == '<' ? end - 1 : end;
			break;
		}
		if (!final && end - amp <= LOOKAHEAD) {
			p = amp;	/* the reference may be cut */
			break;
		}
		long k = reference((const unsigned char *)amp, (size_t)(end - amp));
		if (k > 0) {
			p = amp + k;
			continue;
		}
		buf_put(&f->out, keep, (size_t)(amp - keep));
		buf_puts(&f->out, k < 0 ? "&#x" : "&amp;");
		p = keep = amp + (k < 0 ? 3 : 1);
		replaced = 1;
	}
	if (replaced) {
		buf_put(&f->out, keep, (size_t)(p - keep));
		*out = f->out.s;
		*outlen = f->out.len;
	} else {
		*out = src;
		*outlen = (size_t)(p - src);
	}
	if (p < end)
		buf_put(&f->carry, p, (size_t)(end - p));
}

void
ampfix_free(struct ampfix *f)
{
	buf_free(&f->in);
	buf_free(&f->out);
	buf_free(&f->carry);
}
