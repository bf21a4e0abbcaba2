/* jsonfeed.c: JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "util.h"

#define MAXJSON (256u << 20)

static const char *str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void set_slot(struct item *it, enum slot s, const char *v, enum textkind kind)
{
	struct slot_text *t = item_slot(it, s);

	if (!v || !*v || !t)
		return;
	buf_reset(&t->text);
	buf_puts(&t->text, v);
	t->kind = kind;
	t->set = 1;
}

static void add_authors(struct strlist *l, json_t *item)
{
	json_t *list = json_object_get(item, "authors"), *a;
	size_t i;
	const char *name;

	if (json_is_array(list)) {
		json_array_foreach(list, i, a)
			if (json_is_object(a) && (name = str(a, "name")) && *name)
				strlist_add(l, name, strlen(name));
	} else if (json_is_object(a = json_object_get(item, "author")) &&
	           (name = str(a, "name")) && *name) {
		strlist_add(l, name, strlen(name));	/* JSON Feed 1.0 */
	}
}

static void add_tags(struct strlist *l, json_t *item)
{
	json_t *tags = json_object_get(item, "tags"), *t;
	size_t i;

	json_array_foreach(tags, i, t)
		if (json_is_string(t) && *json_string_value(t) &&
		    !strlist_has(l, json_string_value(t)))
			strlist_add(l, json_string_value(t), strlen(json_string_value(t)));
}

static void fill_item(struct item *it, json_t *obj, const struct strlist *feed_authors)
{
	json_t *id = json_object_get(obj, "id");
	size_t i;
	char num[32];

	set_slot(it, S_TITLE, str(obj, "title"), TK_TEXT);
	set_slot(it, S_LINK, str(obj, "url"), TK_TEXT);
	set_slot(it, S_JSONEXTURL, str(obj, "external_url"), TK_TEXT);
	if (json_is_string(id)) {
		set_slot(it, S_GUID, json_string_value(id), TK_TEXT);
	} else if (json_is_integer(id)) {	/* 1.0 feeds in the wild */
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
		set_slot(it, S_GUID, num, TK_TEXT);
	}
	set_slot(it, S_DESC, str(obj, "summary"), TK_TEXT);
	set_slot(it, S_CONTENT, str(obj, "content_html"), TK_HTML);
	set_slot(it, S_ACONTENT, str(obj, "content_text"), TK_TEXT);
	set_slot(it, S_APUBLISHED, str(obj, "date_published"), TK_TEXT);
	set_slot(it, S_AUPDATED, str(obj, "date_modified"), TK_TEXT);
	add_authors(&it->atom_authors, obj);
	for (i = 0; !it->atom_authors.n && i < feed_authors->n; i++)
		strlist_add(&it->atom_authors, feed_authors->v[i], strlen(feed_authors->v[i]));
	add_tags(&it->categories, obj);
}

static void put(struct buf *b, const char *v)
{
	if (v && !b->len)
		buf_puts(b, v);
}

static char *slurp(FILE *fp, const char *head, size_t nhead, size_t *len, int *too_big)
{
	struct buf b = { 0 };
	char chunk[65536];
	size_t n;

	buf_put(&b, head, nhead);
	*too_big = 0;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (b.len + n > MAXJSON) {
			*too_big = 1;
			break;
		}
		buf_put(&b, chunk, n);
	}
	*len = b.len;
	return b.s ? b.s : estrdup("");
}

int feed_parse_json(FILE *fp, const char *head, size_t nhead, struct channel *ch,
                    const struct feed_callbacks *cb)
{
	struct strlist feed_authors = { 0 };
	struct item it;
	json_error_t err;
	json_t *root, *items, *obj;
	const char *version;
	char msg[300];
	size_t len, i;
	int too_big, errors = 0;
	char *text = slurp(fp, head, nhead, &len, &too_big);

	if (too_big) {
		cb->error(cb->arg, 0, "JSON feed larger than 256 MB");
		free(text);
		return 1;
	}
	root = json_loadb(text, len, 0, &err);
	free(text);
	if (!root) {
		snprintf(msg, sizeof msg, "column %d: %s", err.column, err.text);
		cb->error(cb->arg, (unsigned long)(err.line > 0 ? err.line : 0), msg);
		return 1;
	}
	version = str(root, "version");
	if (!version || strncmp(version, "https://jsonfeed.org/version/", 29)) {
		cb->error(cb->arg, 1, "not a feed (JSON without a JSON Feed \"version\")");
		json_decref(root);
		return 1;
	}
	put(&ch->title, str(root, "title"));
	ch->title_kind = TK_TEXT;
	put(&ch->link, str(root, "home_page_url"));
	put(&ch->description, str(root, "description"));
	put(&ch->language, str(root, "language"));
	add_authors(&feed_authors, root);
	memset(&it, 0, sizeof it);
	items = json_object_get(root, "items");
	if (!json_is_array(items)) {
		cb->error(cb->arg, 0, "JSON feed without an \"items\" array");
		errors++;
	}
	json_array_foreach(items, i, obj) {
		if (!json_is_object(obj)) {
			snprintf(msg, sizeof msg, "item %zu is not an object", i + 1);
			cb->error(cb->arg, 0, msg);
			errors++;
			continue;
		}
		item_reset(&it);
		fill_item(&it, obj, &feed_authors);
		cb->item(cb->arg, &it, ch);
	}
	item_free(&it);
	strlist_free(&feed_authors);
	json_decref(root);
	return errors;
}
