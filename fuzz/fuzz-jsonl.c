/* fuzz-jsonl: JSON Lines records through the reader, jscan and field paths. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jscan.h"
#include "jsonl.h"
#include "path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = { "id", ".arxiv.primary", ".categories[0]",
	                                      ".categories[-1]", ".feed.name", ".\"a b\"" };
	struct jsonl r;
	char err[256];
	FILE *fp = size ? fmemopen((void *)data, size, "r") : NULL;
	FILE *null = fopen("/dev/null", "w");
	size_t i;

	if (!fp)
		return 0;
	jsonl_init(&r, fp, "fuzz");
	while (jsonl_next(&r) > 0) {
		json_t *rec = jsonl_parse(&r, err, sizeof err);
		for (i = 0; i < sizeof paths / sizeof *paths; i++) {
			struct path *p = path_parse(paths[i], err, sizeof err);
			const char *val;
			size_t vlen;
			if (!p)
				continue;
			path_scan(p, r.line, r.len, &val, &vlen);
			if (rec)
				path_get(p, rec);
			path_free(p);
		}
		if (rec) {
			jsonl_write(null, rec);
			json_decref(rec);
		}
	}
	jsonl_free(&r);
	fclose(fp);
	fclose(null);
	return 0;
}
