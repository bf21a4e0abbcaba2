/* fuzz-mustache: any text as a template, rendered over a view of hostile
 * values through render-md's escaping. Where the template itself does not
 * write them, the output must not hold "<script" or a link to a
 * javascript:, data: or vbscript: URL ("](" or "<" just before it). What
 * the template writes is what it renders over the same view with every
 * value a harmless "x" (its text may spell "<script" across a comment tag:
 * "<scrip{{! }}t"). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "md.h"
#include "mst.h"

static const char *const hostile[] = {
	"javascript:alert(1)", "JaVaScript:alert(1)", " javascript:x", "java",
	"script:alert(1)", "<", "script>", "ipt>x", "<script>alert(1)</script>",
	"\" onerror=alert(1) x=\"", "' onerror=alert(1) '", "x onerror=alert(1)",
	"]", "(javascript:alert(1))", "\\", "`", "data:text/html,x", "vbscript:x",
	"&#106;avascript:x", "[a](javascript:alert(1))", ":alert(1)", "https://e.org/a b",
};
static const char *const names[] = {
	"title", "link", "summary", "name", "url", "v", "w", "x", "a", "b", "c",
};

static void text(void *arg, const char *s, size_t n) { md_text(arg, s, n); }
static void value(void *arg, const char *s, size_t n, int raw) { md_value(arg, s, n, raw); }

static char *no_partials(void *arg, const char *name, size_t *len, const char **path)
{
	(void)arg; (void)name; (void)len; (void)path;
	return NULL;
}

static json_t *
record(size_t k)
{
	json_t *o = json_object(), *l = json_array();
	size_t i, nh = sizeof hostile / sizeof *hostile;

	for (i = 0; i < sizeof names / sizeof *names; i++)
		json_object_set_new(o, names[i], json_string(hostile[(k + i) % nh]));
	for (i = 0; i < nh; i++)
		json_array_append_new(l, json_string(hostile[i]));
	json_object_set_new(o, "also", l);
	return o;
}

static json_t *
make_view(void)
{
	json_t *v = record(0), *recs = json_array();
	size_t k;

	for (k = 0; k < sizeof hostile / sizeof *hostile; k++)
		json_array_append_new(recs, record(k));
	json_object_set_new(v, "records", recs);
	json_object_set_new(v, "n", json_null());
	return v;
}

/* The same view, every string "x". */
static json_t *
harmless(json_t *v)
{
	json_t *c, *e;
	const char *k;
	size_t i;

	if (json_is_string(v))
		return json_string("x");
	if (json_is_array(v)) {
		c = json_array();
		json_array_foreach(v, i, e)
			json_array_append_new(c, harmless(e));
		return c;
	}
	if (json_is_object(v)) {
		c = json_object();
		json_object_foreach(v, k, e)
			json_object_set_new(c, k, harmless(e));
		return c;
	}
	return json_incref(v);
}

static char *
lowered(const char *s, size_t n)
{
	char *t = malloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		t[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
	t[n] = '\0';
	return t;
}

/* A live link to a bad scheme: "](" or "<" then the scheme. */
static int
badlink(const char *out, const char *scheme)
{
	const char *p;
	size_t k = strlen(scheme);

	for (p = out; (p = strstr(p, scheme)); p += k) {
		if (p - out >= 1 && p[-1] == '<')
			return 1;
		if (p - out >= 2 && p[-1] == '(' && p[-2] == ']' &&
		    (p - out < 3 || p[-3] != '\\'))
			return 1;
	}
	return 0;
}

/* out: rendered over the hostile view; own: over the harmless one. */
static void
check(const char *tpl, size_t tn, const char *out, size_t on, const char *own,
    size_t ownn)
{
	static const char *const schemes[] = { "javascript:", "data:", "vbscript:" };
	char *t = lowered(tpl, tn), *o = lowered(out, on), *h = lowered(own, ownn);
	size_t i;

	if (!strstr(t, "script") && !strstr(h, "<script") && strstr(o, "<script"))
		abort();
	for (i = 0; i < 3; i++)
		if (!memchr(t, '\\', tn) && !strstr(t, schemes[i]) &&
		    !badlink(h, schemes[i]) && badlink(o, schemes[i]))
			abort();
	free(t);
	free(o);
	free(h);
}

/* t rendered over view into md (md_init'ed by the caller). */
static void
render(struct mst *t, json_t *view, struct mdout *md)
{
	struct mst_sink out = { text, value, md };
	struct mst_lib *lib = mst_lib_new(no_partials, NULL);
	char err[256];

	mst_render(lib, t, view, &out, NULL, NULL, NULL, err, sizeof err);
	md_flush(md);
	mst_lib_free(lib);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *view, *plain;
	struct mdout md, own;
	struct mst *t;
	char err[256];

	if (!view) {
		view = make_view();
		plain = harmless(view);
	}
	if (!(t = mst_compile((const char *)data, size, "fuzz", NULL, err, sizeof err)))
		return 0;
	md_init(&md, NULL);
	md_init(&own, NULL);
	render(t, view, &md);
	render(t, plain, &own);
	if (memchr(data, 0, size) == NULL && md.b.s && strlen(md.b.s) == md.b.len &&
	    (!own.b.s || strlen(own.b.s) == own.b.len))
		check((const char *)data, size, md.b.s, md.b.len,
		    own.b.s ? own.b.s : "", own.b.len);
	md_free(&md);
	md_free(&own);
	mst_free(t);
	return 0;
}
