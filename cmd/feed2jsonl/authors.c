/* authors.c: split packed author fields into one name per element. */
#include <string.h>

#include "authors.h"
#include "text.h"

/* "N.", "J. A.", "P.-L.", "RJ": what bioRxiv puts after a surname's comma. */
static int
is_initials(const char *s, size_t n)
{
	size_t i, letters = 0;

	if (n == 0 || n > 12)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			letters++;
		else if (c != '.' && c != '-' && c != ' ')
			return 0;
	}
	return letters > 0 && letters <= 4;
}

static void
trim(const char **s, size_t *n)
{
	while (*n && (is_space((unsigned char)**s) || **s == ',' || **s == ';')) {
		(*s)++;
		(*n)--;
	}
	while (*n && (is_space((unsigned char)(*s)[*n - 1]) || (*s)[*n - 1] == ',' ||
	              (*s)[*n - 1] == ';'))
		(*n)--;
}

static void
add_name(struct strlist *out, const char *s, size_t n)
{
	/* kept from name to name: a feed has tens of thousands of them */
	static struct buf b, t;
	const char *open, *close;

	trim(&s, &n);
	if (n >= 2 && !memcmp(s, "et al", 5 <= n ? 5 : n))
		return;
	if (!n)
		return;
	/* RSS <author>: "mail@host (Name)" */
	if (s[n - 1] == ')' && (open = memchr(s, '(', n)) && memchr(s, '@', (size_t)(open - s))) {
		const char *end = s + n - 1;
		s = open + 1;
		n = (size_t)(end - s);
	} else if (s[n - 1] == ')' && (open = memchr(s, '(', n)) && open > s &&
	           memchr(open, '@', n - (size_t)(open - s))) {
		n = (size_t)(open - s);	/* "Name (mail@host)" */
	} else if (s[n - 1] == '>' && (open = memchr(s, '<', n)) && open > s &&
	           (close = memchr(open, '@', n - (size_t)(open - s)))) {
		n = (size_t)(open - s);	/* "Name <mail@host>" */
	}
	trim(&s, &n);
	buf_reset(&b);
	buf_reset(&t);
	text_line(&b, s, n);
	text_tex_accents(&t, buf_str(&b), b.len);
	if (t.len && !strlist_has(out, t.s))
		strlist_add(out, t.s, t.len);
}

#define MAXPARTS 256

/* The names between commas, " and " and " & ", trimmed; how many. */
static size_t
split_parts(const char *s, size_t n, const char **part, size_t *plen)
{
	size_t np = 0, i, start = 0;

	for (i = 0; i <= n && np < MAXPARTS; i++) {
		size_t cut = 0;
		if (i == n || s[i] == ',')
			cut = 1;
		else if (i + 5 <= n && !memcmp(s + i, " and ", 5))
			cut = 5;
		else if (i + 3 <= n && !memcmp(s + i, " & ", 3))
			cut = 3;
		if (!cut)
			continue;
		part[np] = s + start;
		plen[np] = i - start;
		trim(&part[np], &plen[np]);
		if (plen[np] >= 4 && !memcmp(part[np], "and ", 4)) {
			part[np] += 4;	/* the Oxford comma: "A, B, and C" */
			plen[np] -= 4;
		}
		if (plen[np])
			np++;
		start = i + cut;
		i = start - 1;
	}
	return np;
}

/* Are the parts surnames each followed by given names or initials? */
static int
in_pairs(const char *s, size_t n, const char **part, const size_t *plen, size_t np)
{
	/* bioRxiv: surname, initials, surname, initials ... */
	int pairs = np >= 2 && np % 2 == 0;
	size_t i;

	for (i = 1; pairs && i < np; i += 2)
		if (!is_initials(part[i], plen[i]) || is_initials(part[i - 1], plen[i - 1]))
			pairs = 0;
	/* "Smith, John": one comma between two single words */
	if (np == 2 && !memchr(part[0], ' ', plen[0]) && !memchr(part[1], ' ', plen[1]) &&
	    !memchr(s, '&', n) && !ascii_casestr(s, " and "))
		pairs = 1;
	return pairs;
}

/* Split one segment (no newlines or semicolons) on commas and "and". */
static void
split_segment(struct strlist *out, const char *s, size_t n)
{
	const char *part[MAXPARTS];
	size_t plen[MAXPARTS], np, i;
	int pairs;

	trim(&s, &n);
	np = split_parts(s, n, part, plen);
	pairs = in_pairs(s, n, part, plen, np);
	for (i = 0; i < np; i++) {
		if (pairs) {
			struct buf b = { 0 };
			buf_put(&b, part[i], plen[i]);
			buf_puts(&b, ", ");
			buf_put(&b, part[i + 1], plen[i + 1]);
			add_name(out, b.s, b.len);
			buf_free(&b);
			i++;
		} else {
			add_name(out, part[i], plen[i]);
		}
	}
}

void
authors_split(struct strlist *out, const char *s, size_t n)
{
	static const char *const prefixes[] = { "Author(s):", "Authors:", "Author:", "By " };
	size_t i, start = 0, k;

	while (n && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	for (k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
		size_t len = strlen(prefixes[k]);
		if (n >= len && !ascii_ncasecmp(s, prefixes[k], len)) {
			s += len;
			n -= len;
			break;
		}
	}
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '\n' && s[i] != ';')
			continue;
		if (i > start)
			split_segment(out, s + start, i - start);
		start = i + 1;
	}
}
