/* fuzz-jsonfeed: any bytes as a JSON Feed; every record must be valid JSON
 * (strict UTF-8, no \u0000) whatever the input held. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "feed.h"

static struct buf out;

static void on_item(void *arg, struct item *it, const struct channel *ch)
{
	struct record_opts opts = { "fuzz", 1 };
	json_error_t err;
	json_t *j;

	(void)arg;
	buf_reset(&out);
	item_to_record(&out, it, ch, &opts);
	if (!(j = json_loadb(out.s, out.len, 0, &err))) {
		fprintf(stderr, "record is not JSON: %s\n%s", err.text, out.s);
		abort();
	}
	json_decref(j);
}

static void on_error(void *arg, unsigned long line, const char *msg)
{
	(void)arg; (void)line; (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct feed_callbacks cb = { on_item, on_error, NULL };
	struct channel ch = { 0 };
	char head[256];
	size_t n;
	FILE *fp;

	if (!ready) {
		feed_init();
		ready = 1;
	}
	if (!size || !(fp = fmemopen((void *)data, size, "r")))
		return 0;
	n = fread(head, 1, sizeof head, fp);
	feed_parse_json(fp, head, n, &ch, &cb);
	buf_reset(&out);
	channel_to_json(&out, &ch);
	fclose(fp);
	channel_free(&ch);
	return 0;
}
