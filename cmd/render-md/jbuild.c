/* jbuild.c: see jbuild.h. Nothing is checked again: the text is known to be
 * good, so strings are found with memchr and copied without a UTF-8 pass. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jbuild.h"
#include "jwalk.h"

static unsigned
hex4(const char *p)
{
	unsigned v = 0;
	int i, c;

	for (i = 0; i < 4; i++) {
		c = p[i];
		v = v << 4 | (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static void
put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_put(b, u, n);
}

/* The string between p (after the opening quote) and q (the closing one). */
static json_t *
string(const char *p, const char *q)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	struct buf b = { NULL, 0, 0 };
	const char *e;
	json_t *v;
	uint32_t cp, lo;

	if (!(e = memchr(p, '\\', (size_t)(q - p))))
		return json_stringn_nocheck(p, (size_t)(q - p));
	buf_grow(&b, (size_t)(q - p));
	while (e) {
		buf_put(&b, p, (size_t)(e - p));
		if (e[1] == 'u') {
			cp = hex4(e + 2);
			p = e + 6;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				lo = hex4(e + 8);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p = e + 12;
			}
			put_utf8(&b, cp);
		} else {
			buf_putc(&b, to[strchr(from, e[1]) - from]);
			p = e + 2;
		}
		e = memchr(p, '\\', (size_t)(q - p));
	}
	buf_put(&b, p, (size_t)(q - p));
	v = json_stringn_nocheck(b.s, b.len);
	buf_free(&b);
	return v;
}

static json_t *
number(const char *p, const char *q)
{
	char tmp[64], *t = tmp;
	size_t n = (size_t)(q - p);
	json_t *v;

	if (n >= sizeof tmp)
		t = malloc(n + 1);
	if (!t)
		return NULL;
	memcpy(t, p, n);
	t[n] = '\0';
	if (strpbrk(t, ".eE"))
		v = json_real(strtod(t, NULL));
	else
		v = json_integer((json_int_t)strtoll(t, NULL, 10));
	if (t != tmp)
		free(t);
	return v;
}

static void
setn(json_t *obj, const char *k, size_t kn, json_t *v)
{
#if JANSSON_VERSION_HEX >= 0x020e00
	json_object_setn_new_nocheck(obj, k, kn, v);
#else
	char *key = malloc(kn + 1);

	if (!key)
		abort();
	memcpy(key, k, kn);
	key[kn] = '\0';
	json_object_set_new_nocheck(obj, key, v);
	free(key);
#endif
}

static json_t *build(const char **pp, const char *end);

static json_t *
build(const char **pp, const char *end)
{
	const char *p = jskip_ws(*pp, end), *q, *k;
	json_t *v;
	size_t kn;

	switch (*p) {
	case '"':
		q = jskip_string(p, end);
		v = string(p + 1, q - 1);
		p = q;
		break;
	case '{':
		v = json_object();
		p = jskip_ws(p + 1, end);
		while (p < end && *p == '"') {
			k = p + 1;
			q = jskip_string(p, end);
			kn = (size_t)(q - 1 - k);
			p = jskip_ws(q, end) + 1;	/* the ':' */
			setn(v, k, kn, build(&p, end));
			p = jskip_ws(p, end);
			if (p < end && *p == ',')
				p = jskip_ws(p + 1, end);
		}
		p++;
		break;
	case '[':
		v = json_array();
		p = jskip_ws(p + 1, end);
		while (p < end && *p != ']') {
			json_array_append_new(v, build(&p, end));
			p = jskip_ws(p, end);
			if (p < end && *p == ',')
				p++;
		}
		p++;
		break;
	case 't':
		v = json_true();
		p += 4;
		break;
	case 'f':
		v = json_false();
		p += 5;
		break;
	case 'n':
		v = json_null();
		p += 4;
		break;
	default:
		q = jskip_value(p, end);
		v = number(p, q);
		p = q;
	}
	*pp = p;
	return v;
}

json_t *
jb_value(const char *s, size_t n)
{
	return build(&s, s + n);
}

void
jb_members(const char *s, size_t n,
    void (*fn)(void *arg, const char *key, size_t klen, const char *val,
    size_t vlen), void *arg)
{
	const char *p = jskip_ws(s, s + n), *end = s + n, *k, *q, *v;

	if (p == end || *p != '{')
		return;
	p = jskip_ws(p + 1, end);
	while (p < end && *p == '"') {
		k = p + 1;
		q = jskip_string(p, end);
		v = jskip_ws(jskip_ws(q, end) + 1, end);
		p = jskip_value(v, end);
		fn(arg, k, (size_t)(q - 1 - k), v, (size_t)(p - v));
		p = jskip_ws(p, end);
		if (p < end && *p == ',')
			p = jskip_ws(p + 1, end);
	}
}
