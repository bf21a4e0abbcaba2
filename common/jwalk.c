/* jwalk.c: walking checked JSON text (jwalk.h). */
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "jwalk.h"
#include "path.h"
#include "util.h"

struct step {
	char *key;	/* or NULL: an index */
	size_t klen;
	long index;
};

struct jwalk_path {
	size_t nsteps;
	struct step *steps;
};

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

struct jwalk_path *
jwalk_path(const char *text)
{
	struct jwalk_path *pa = ecalloc(1, sizeof(*pa));
	struct path *p;
	char err[256];
	size_t i;

	if (!(p = path_parse(text, err, sizeof(err))))
		eprintf("path '%s': %s", text, err);	/* checked before */
	pa->nsteps = path_nsteps(p);
	pa->steps = ecalloc(pa->nsteps ? pa->nsteps : 1, sizeof(*pa->steps));
	for (i = 0; i < pa->nsteps; i++) {
		pa->steps[i].key = (char *)path_step(p, i, &pa->steps[i].index);
		if (pa->steps[i].key) {
			pa->steps[i].klen = strlen(pa->steps[i].key);
			pa->steps[i].key = estrndup(pa->steps[i].key,
			    pa->steps[i].klen);
		}
	}
	path_free(p);
	return pa;
}

const char *
jwalk_path_key(const struct jwalk_path *pa, size_t *klen)
{
	if (!pa->nsteps || !pa->steps[0].key)
		return NULL;
	*klen = pa->steps[0].klen;
	return pa->steps[0].key;
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
jwalk_get(const struct jwalk_path *pa, const char *s, size_t n,
    const struct jwalk_member *m, size_t nm, const char **val, size_t *vlen)
{
	struct jwalk_member *sub = NULL;
	const struct jwalk_member *f;
	const struct step *st;
	size_t i = 0, cap = 0, ns;
	int r = 0;

	if (pa->nsteps && pa->steps[0].key) {
		if (!(f = jwalk_find(m, nm, pa->steps[0].key, pa->steps[0].klen)))
			return -1;
		s = f->val;
		n = f->vlen;
		i = 1;
	}
	for (; i < pa->nsteps && !r; i++) {
		st = &pa->steps[i];
		if (st->key) {
			if (*s != '{') {
				r = -1;
				break;
			}
			ns = jwalk_members(s, n, &sub, &cap);
			if (!(f = jwalk_find(sub, ns, st->key, st->klen))) {
				r = -1;
				break;
			}
			s = f->val;
			n = f->vlen;
		} else if (*s != '[' || element(s, n, st->index, &s, &n)) {
			r = -1;
		}
	}
	free(sub);
	if (!r) {
		*val = s;
		*vlen = n;
	}
	return r;
}

void
jwalk_path_free(struct jwalk_path *pa)
{
	size_t i;

	if (!pa)
		return;
	for (i = 0; i < pa->nsteps; i++)
		free(pa->steps[i].key);
	free(pa->steps);
	free(pa);
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
			if (jscan_string(v, n, tmp) >= 0)
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
