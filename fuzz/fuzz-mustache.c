/* fuzz-mustache: any text as a template, rendered over a fixed view. */
#include <jansson.h>
#include <stdint.h>

#include "mustache.h"

static void sink(void *arg, const char *s, size_t n)
{
	(void)arg; (void)s; (void)n;
}

static void value(void *arg, const char *s, size_t n, int raw)
{
	(void)arg; (void)s; (void)n; (void)raw;
}

static char *no_partials(void *arg, const char *name, size_t *len, const char **path)
{
	(void)arg; (void)name; (void)len; (void)path;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *view;
	struct mst_sink out = { sink, value, NULL };
	struct mst_lib *lib;
	struct mst *t;
	char err[256];

	if (!view)
		view = json_loads("{\"title\":\"T\",\"records\":[{\"a\":1,\"b\":[true,false]},"
		                  "{\"a\":\"<x>\"}],\"empty\":[],\"n\":null}", 0, NULL);
	if (!(t = mst_compile((const char *)data, size, "fuzz", NULL, err, sizeof err)))
		return 0;
	lib = mst_lib_new(no_partials, NULL);
	mst_render(lib, t, view, &out, NULL, NULL, NULL, err, sizeof err);
	mst_lib_free(lib);
	mst_free(t);
	return 0;
}
