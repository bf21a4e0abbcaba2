/* fuzz-feed: any bytes as a feed document (XML or JSON Feed) to records. */
#include <stdint.h>
#include <stdio.h>

#include "feed.h"

static struct buf out;

static void on_item(void *arg, struct item *it, const struct channel *ch)
{
	struct record_opts opts = { "fuzz", 1 };

	(void)arg;
	buf_reset(&out);
	item_to_record(&out, it, ch, &opts);
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
	FILE *fp;

	if (!ready) {
		feed_init();
		ready = 1;
	}
	if (!size || !(fp = fmemopen((void *)data, size, "r")))
		return 0;
	feed_parse(fp, &ch, &cb);
	buf_reset(&out);
	channel_to_json(&out, &ch);
	fclose(fp);
	channel_free(&ch);
	return 0;
}
