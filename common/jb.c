/* jb.c: see jb.h. The text is known to be good: strings without
 * escapes are copied as they are, the others decoded by jscan_unescape. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jb.h"
#include "jscan.h"
#include "jwalk.h"

/* The string between p (after the opening quote) and q (the closing one),
 * already checked by jscan: decoded by jscan_unescape. */
static json_t *
string(const char *p, const char *q)
{
	struct buf b = { NULL, 0, 0 };
	json_t *v;

	if (!memchr(p, '\\', (size_t)(q - p)))
		return json_stringn_nocheck(p, (size_t)(q - p));
	v = jscan_unescape(p - 1, (size_t)(q - p) + 2, &b) >= 0 ?
	    json_stringn_nocheck(b.s, b.len) : json_string("");
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
