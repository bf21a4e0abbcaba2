/* jwalk.c: walking checked JSON text (jwalk.h). */
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "jwalk.h"
#include "path.h"
#include "util.h"

const char *
jskip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

const char *
jskip_string(const char *p, const char *end)
{
	const char *q, *b;

	for (p++;; p = q + 1) {
		if (!(q = memchr(p, '"', (size_t)(end - p))))
			return end;
		for (b = q; b > p && b[-1] == '\\'; b--)
			;
		if ((q - b) % 2 == 0)
			return q + 1;
	}
}

const char *
jskip_value(const char *p, const char *end)
{
	int depth = 0;

	do {
		switch (*p) {
		case '"':
			p = jskip_string(p, end);
			continue;
		case '{': case '[':
			depth++;
			break;
		case '}': case ']':
			depth--;
			break;
		default:
			if (!depth) {	/* a number or literal */
				while (p < end && *p != ',' && *p != '}' &&
				    *p != ']' && *p != ' ' && *p != '\t' &&
				    *p != '\n' && *p != '\r')
					p++;
				return p;
			}
		}
		p++;
	} while (depth > 0 && p < end);
	return p;
}

size_t
jwalk_members(const char *s, size_t n, struct jwalk_member **m, size_t *cap)
{
	const char *p = s + 1, *end = s + n, *k;
	size_t nm = 0;

	for (p = jskip_ws(p, end); p < end && *p == '"'; p = jskip_ws(p + 1, end)) {
		if (nm == *cap) {
			*cap = *cap ? *cap * 2 : 32;
			*m = erealloc(*m, *cap * sizeof(**m));
		}
		k = p;
		p = jskip_string(p, end);
		(*m)[nm].start = k;
		(*m)[nm].key = k + 1;
		(*m)[nm].klen = (size_t)(p - k) - 2;
		p = jskip_ws(jskip_ws(p, end) + 1, end);	/* past ':' */
		(*m)[nm].val = p;
		p = jskip_value(p, end);
		(*m)[nm].vlen = (size_t)(p - (*m)[nm].val);
		nm++;
		p = jskip_ws(p, end);
		if (p == end || *p != ',')
			break;
	}
	return nm;
}

const struct jwalk_member *
jwalk_find(const struct jwalk_member *m, size_t nm, const char *key,
    size_t klen)
{
	size_t i;

	for (i = nm; i-- > 0;)	/* a key given twice: the last value wins */
		if (m[i].klen == klen && !memcmp(m[i].key, key, klen))
			return &m[i];
	return NULL;
}

/* element idx of the array s[0..n) (idx < 0 from the end) */
static int
element(const char *s, size_t n, long idx, const char **val, size_t *vlen)
{
	const char *p, *end = s + n, *v;
	long i, count = 0;

	if (idx < 0) {
		for (p = jskip_ws(s + 1, end); p < end && *p != ']'; count++) {
			p = jskip_ws(jskip_value(p, end), end);
			if (p < end && *p == ',')
				p = jskip_ws(p + 1, end);
		}
		if (-idx > count)
			return -1;
		idx += count;
	}
	for (i = 0, p = jskip_ws(s + 1, end); p < end && *p != ']'; i++) {
		v = p;
		p = jskip_value(p, end);
		if (i == idx) {
			*val = v;
			*vlen = (size_t)(p - v);
			return 0;
		}
		p = jskip_ws(p, end);
		if (p < end && *p == ',')
			p = jskip_ws(p + 1, end);
	}
	return -1;
}

int
jwalk_get(const struct path *pa, const char *s, size_t n,
    const struct jwalk_member *m, size_t nm, const char **val, size_t *vlen,
    struct jwalk_member **sub, size_t *cap)
{
	const struct jwalk_member *f;
	size_t i, nsteps = path_nsteps(pa), klen;
	const char *key;
	long index;
	int r = 0;

	for (i = 0; i < nsteps && !r; i++) {
		key = path_step(pa, i, &index, &klen);
		if (key && i > 0) {
			if (*s != '{') {
				r = -1;
				break;
			}
			nm = jwalk_members(s, n, sub, cap);
			m = *sub;
		}
		if (key) {
			if (!(f = jwalk_find(m, nm, key, klen))) {
				r = -1;
				break;
			}
			s = f->val;
			n = f->vlen;
		} else if (*s != '[' || element(s, n, index, &s, &n)) {
			r = -1;
		}
	}
	if (!r) {
		*val = s;
		*vlen = n;
	}
	return r;
}

void
jwalk_strings(const char *v, size_t n, struct buf *tmp, jwalk_fn *fn,
    void *arg)
{
	const char *p, *end = v + n, *q;

	if (!n)
		return;
	if (*v == '"') {
		if (memchr(v + 1, '\\', n - 2)) {
			if (jscan_unescape(v, n, tmp) >= 0)
				fn(arg, tmp->s, tmp->len);
		} else {
			fn(arg, v + 1, n - 2);
		}
		return;
	}
	if (*v != '[' && *v != '{')
		return;
	for (p = jskip_ws(v + 1, end); p < end && *p != ']' && *p != '}';) {
		if (*v == '{') {	/* skip the key */
			p = jskip_string(p, end);
			p = jskip_ws(jskip_ws(p, end) + 1, end);
		}
		q = jskip_value(p, end);
		jwalk_strings(p, (size_t)(q - p), tmp, fn, arg);
		p = jskip_ws(q, end);
		if (p < end && *p == ',')
			p = jskip_ws(p + 1, end);
	}
}
