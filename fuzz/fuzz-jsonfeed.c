/* fuzz-jsonfeed: any bytes as a JSON Feed, read from memory (the input can
 * seek: read twice) and through a stream that cannot (the items copied to a
 * temporary file). Every record must be valid JSON (strict UTF-8, no
 * \u0000) whatever the input held, and both ways must give the same
 * records and messages. */
#define _GNU_SOURCE	/* fopencookie */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"

struct run {
	struct buf all;		/* records, messages and the channel */
	struct buf rec;
};

struct mem {
	const uint8_t *data;
	size_t size, pos;
};

static void on_item(void *arg, struct item *it, const struct channel *ch)
{
	struct run *r = arg;
	struct record_opts opts = { "fuzz", 1 };
	json_error_t err;
	json_t *j;

	buf_reset(&r->rec);
	item_to_record(&r->rec, it, ch, &opts);
	if (!(j = json_loadb(r->rec.s, r->rec.len, 0, &err))) {
		fprintf(stderr, "record is not JSON: %s\n%s", err.text, r->rec.s);
		abort();
	}
	json_decref(j);
	buf_put(&r->all, r->rec.s, r->rec.len);
}

static void on_error(void *arg, unsigned long line, const char *msg)
{
	buf_printf(&((struct run *)arg)->all, "%lu: %s\n", line, msg);
}

static ssize_t mem_read(void *cookie, char *s, size_t n)
{
	struct mem *m = cookie;

	if (n > m->size - m->pos)
		n = m->size - m->pos;
	memcpy(s, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static void parse(FILE *fp, struct run *r)
{
	struct feed_callbacks cb = { on_item, on_error, r };
	struct channel ch = { 0 };
	char head[256];
	size_t n = fread(head, 1, sizeof head, fp);

	feed_parse_json(fp, head, n, &ch, &cb);
	channel_to_json(&r->all, &ch);
	fclose(fp);
	channel_free(&ch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static struct run seek, pipe;
	cookie_io_functions_t io = { mem_read, NULL, NULL, NULL };
	struct mem m = { data, size, 0 };
	FILE *fp;

	if (!ready) {
		feed_init();
		ready = 1;
	}
	if (!size || !(fp = fmemopen((void *)data, size, "r")))
		return 0;
	buf_reset(&seek.all);
	buf_reset(&pipe.all);
	parse(fp, &seek);
	if (!(fp = fopencookie(&m, "r", io)))
		return 0;
	parse(fp, &pipe);
	if (seek.all.len != pipe.all.len || memcmp(seek.all.s, pipe.all.s, seek.all.len)) {
		fprintf(stderr, "seekable:\n%s\npipe:\n%s\n", seek.all.s, pipe.all.s);
		abort();
	}
	return 0;
}
