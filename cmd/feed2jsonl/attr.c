/* attr.c: attribute values, as libxml2's SAX2 hands them over. */
#include <string.h>

#include "feedxml.h"

#define MAXATTR (64u << 10)	/* longest link, term or date taken from an attribute */

const char *
attr_get(const xmlChar **attrs, int n, enum ns ns, struct state *st,
    const char *name, size_t *len)
{
	int i;

	for (i = 0; i < n; i++, attrs += 5) {
		if (strcmp((const char *)attrs[0], name))
			continue;
		if (ns != NS_OTHER && names_attr_ns(st, attrs) != ns)
			continue;
		*len = (size_t)(attrs[4] - attrs[3]);
		return (const char *)attrs[3];
	}
	return NULL;
}

/* Attribute values keep libxml2's entity escapes (&#38;) only for '&'. */
static void
put_attr_text(struct buf *b, const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == '&' && i + 4 < n && !memcmp(v + i, "&#38;", 5)) {
			buf_putc(b, '&');
			i += 4;
		} else {
			buf_putc(b, v[i]);
		}
	}
}

char *
attr_dup(const xmlChar **attrs, int n, enum ns ns, struct state *st,
    const char *name)
{
	struct buf b = { 0 };
	size_t len = 0;
	const char *v = attr_get(attrs, n, ns, st, name, &len);

	if (!v)
		return NULL;
	if (len > MAXATTR) {
		problem_here(st, "attribute %s longer than %u KiB: left out", name, MAXATTR >> 10);
		return NULL;
	}
	put_attr_text(&b, v, len);
	if (!b.s)
		buf_grow(&b, 0);
	return b.s;
}
