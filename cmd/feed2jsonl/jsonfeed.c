/*
 * jsonfeed.c: JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1),
 * streamed. The first pass reads the top level and notes where the "items"
 * array is (or copies it to a temporary file if the input cannot seek), so
 * that fields after it still count; the second reads the array again, one
 * item at a time. Memory is bounded by one item's text.
 * Both passes run the same tolerant parser, so they agree on where
 * brackets close however broken the input is.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "jstream.h"
#include "util.h"

#define MAXNEST 256
#define MAXERRORS 10
#define MAXFIELD (8u << 20)	/* the longest string kept */
#define MAXITEM (16u << 20)	/* text kept for one item, or the feed */
#define MAXTAGS 1024
#define ENTRY_COST 32		/* a list entry's cost beyond its text */

/* Member names that mean something; sorted for bsearch. */
enum key {
	K_OTHER, K_ATTACHMENTS, K_AUTHOR, K_AUTHORS, K_CONTENT_HTML, K_CONTENT_TEXT,
	K_DATE_MODIFIED, K_DATE_PUBLISHED, K_DESCRIPTION, K_EXTERNAL_URL,
	K_HOME_PAGE_URL, K_ID, K_ITEMS, K_LANGUAGE, K_NAME, K_SUMMARY, K_TAGS,
	K_TITLE, K_URL, K_VERSION,
};
static const char *const keys[] = {
	"", "attachments", "author", "authors", "content_html", "content_text", "date_modified",
	"date_published", "description", "external_url", "home_page_url", "id",
	"items", "language", "name", "summary", "tags", "title", "url", "version",
};

/* What a container is. */
enum ctx {
	X_OTHER, X_ROOT, X_ITEMS, X_ITEM, X_AUTHORS, X_AUTHOR, X_AUTHOR1, X_TAGS,
	X_ATTACHMENTS, X_ATTACHMENT,
};

/* Parser states: what may come next in an object or array. */
enum { O_FIRST, O_KEY, O_COLON, O_VALUE, O_NEXT, A_FIRST, A_VALUE, A_NEXT };

struct frame {
	char type;		/* '{' or '[' */
	unsigned char ctx, state, key;
	uint32_t seen;		/* keys met in this object */
};

/* What the feed (pass 1) or the current item (pass 2) has collected. */
struct who {
	struct strlist authors, author1;	/* "authors" names, "author" name */
	int authors_array;
	size_t budget;		/* text bytes still allowed */
	int cut;		/* said that the budget ran out */
};

struct jf {
	struct jstream js;
	const struct feed_callbacks *cb;
	int pass;
	struct frame stack[MAXNEST];
	int depth;
	unsigned long skip;	/* levels deeper than MAXNEST, being skipped */
	int started;
	int errors;
	/* pass 1 */
	struct channel chan;
	struct buf version;
	unsigned long version_line;
	struct who feed;
	FILE *spool;		/* the copy of "items", unless the input can seek */
	long long base;		/* the input's offset in fp if it can, else -1 */
	long long items_from, items_to;	/* where "items" is, items_to -1: to EOF */
	int region;		/* "items" found: copied or its place known */
	unsigned long items_line;
	int items_end;		/* how the copy ended: 0 open, ']', '}' (cut), EOF */
	int items_seen;
	int truncated;
	/* pass 2 */
	struct item it;
	struct who item;
	size_t nitem;
	int in_item, item_syntax, ntags;
	const struct strlist *feed_authors;
	const struct channel *ch;
	struct buf tmp;
};

static void report(struct jf *p, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
report(struct jf *p, unsigned long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (p->pass == 1 && p->items_end == 0 && p->region)
		return;		/* inside "items": the second pass says it */
	if (p->errors > MAXERRORS) {
		p->errors++;	/* nothing more is shown */
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->errors++ == MAXERRORS)
		p->cb->error(p->cb->arg, line, "too many errors; the rest are not shown");
	else if (p->errors <= MAXERRORS)
		p->cb->error(p->cb->arg, line, msg);
}

static const char *
tokname(enum jtok t)
{
	static const char *const names[] = {
		"end of input", "'{'", "'['", "'}'", "']'", "':'", "','", "a string",
		"a number", "true", "false", "null", "a stray word",
	};
	return names[t];
}

static void
syntax(struct jf *p, const char *expected, enum jtok t)
{
	if (p->in_item && p->item_syntax++)
		return;		/* one per item: the rest follow from the first */
	report(p, p->js.tline, "JSON syntax error: expected %s, found %s", expected,
	       tokname(t));
}

/* The repairs a string or number needed, one message each. */
static void
problems(struct jf *p, const char *what)
{
	unsigned pr = p->js.prob;
	unsigned long l = p->js.tline;

	if (pr & JP_EOF)
		return;		/* the end of the input is what is said */
	if (pr & JP_UTF8)
		report(p, l, "invalid UTF-8 in %s (replaced by U+FFFD)", what);
	if (pr & JP_SURROGATE)
		report(p, l, "lone UTF-16 surrogate in %s (replaced by U+FFFD)", what);
	if (pr & JP_NUL)
		report(p, l, "NUL (\\u0000) in %s (dropped)", what);
	if (pr & JP_ESCAPE)
		report(p, l, "invalid escape in %s (replaced by U+FFFD)", what);
	if (pr & JP_CTRL)
		report(p, l, "unescaped control character in %s (kept)", what);
	if (pr & (JP_NUMBER | JP_RANGE))
		report(p, l, "%s number %.40s%s", pr & JP_RANGE ? "out-of-range" : "invalid",
		       p->js.word.s, p->js.word.len > 40 ? "..." : "");
}

static int
keycmp(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

static enum key
lookup(const char *s)
{
	const char *const *k = bsearch(s, keys + 1, sizeof keys / sizeof *keys - 1,
	                               sizeof *keys, keycmp);

	return k ? (enum key)(k - keys) : K_OTHER;
}

static struct who *
who(struct jf *p)
{
	return p->pass == 1 ? &p->feed : &p->item;
}

static void
over_budget(struct jf *p)
{
	if (!who(p)->cut++)
		report(p, p->js.tline, "%s holds more than %u MiB of text: the rest is left out",
		       p->pass == 1 ? "the feed" : "an item", MAXITEM >> 20);
}

/* Read a string into b within the budget; its length (0: nothing kept). */
static size_t
take(struct jf *p, struct buf *b, const char *name)
{
	struct who *w = who(p);
	size_t max = w->budget < MAXFIELD ? w->budget : MAXFIELD;

	buf_reset(b);
	jstream_string(&p->js, b, max);
	problems(p, "a string");
	if (p->js.prob & JP_EOF)
		buf_reset(b);	/* cut by the end of the input: not kept */
	if ((p->js.prob & JP_CUT) && max == MAXFIELD)
		report(p, p->js.tline, "\"%s\" longer than %u MiB: the rest of it is left out",
		       name, MAXFIELD >> 20);
	else if (p->js.prob & JP_CUT)
		over_budget(p);
	w->budget -= b->len;
	return b->len;
}

static void
skip_string(struct jf *p)
{
	jstream_string(&p->js, NULL, 0);
	problems(p, "a string");
}

static void
take_slot(struct jf *p, enum key key, enum slot s, enum textkind kind)
{
	struct slot_text *t = item_slot(&p->it, s);

	if (!t) {
		skip_string(p);
		return;
	}
	if (take(p, &t->text, keys[key])) {
		t->kind = kind;
		t->set = 1;
	}
}

/* A name or tag into l (unless dedup and l has it already). */
static void
take_list(struct jf *p, struct strlist *l, const char *name, int dedup)
{
	struct who *w = who(p);

	if (w->budget < ENTRY_COST) {
		over_budget(p);
		skip_string(p);
		return;
	}
	w->budget -= ENTRY_COST;
	if (take(p, &p->tmp, name) && !(dedup && strlist_has(l, p->tmp.s)))
		strlist_add(l, p->tmp.s, p->tmp.len);
}

static void
take_tag(struct jf *p)
{
	if (p->ntags++ == MAXTAGS)
		report(p, p->js.tline, "item %zu has more than %d tags: the rest are left out",
		       p->nitem, MAXTAGS);
	if (p->ntags > MAXTAGS)
		skip_string(p);
	else
		take_list(p, &p->it.categories, "tags", 1);
}

static const struct { enum key key; enum slot slot; enum textkind kind; } item_fields[] = {
	{ K_TITLE, S_TITLE, TK_TEXT }, { K_URL, S_LINK, TK_TEXT },
	{ K_EXTERNAL_URL, S_JSONEXTURL, TK_TEXT }, { K_ID, S_GUID, TK_TEXT },
	{ K_SUMMARY, S_DESC, TK_TEXT }, { K_CONTENT_HTML, S_CONTENT, TK_HTML },
	{ K_CONTENT_TEXT, S_ACONTENT, TK_TEXT }, { K_DATE_PUBLISHED, S_APUBLISHED, TK_TEXT },
	{ K_DATE_MODIFIED, S_AUPDATED, TK_TEXT },
};

static struct buf *
chan_field(struct jf *p, enum key key)
{
	switch (key) {
	case K_VERSION: return &p->version;
	case K_TITLE: return &p->chan.title;
	case K_HOME_PAGE_URL: return &p->chan.link;
	case K_DESCRIPTION: return &p->chan.description;
	case K_LANGUAGE: return &p->chan.language;
	default: return NULL;
	}
}

/* A string value in container f (for a member, f->key names it). */
static void
string_value(struct jf *p, const struct frame *f)
{
	struct buf *b;
	size_t i;

	switch (f->ctx) {
	case X_ROOT:
		if ((b = chan_field(p, f->key))) {
			if (f->key == K_VERSION)
				p->version_line = p->js.tline;
			take(p, b, keys[f->key]);
			return;
		}
		break;
	case X_ITEM:
		for (i = 0; i < sizeof item_fields / sizeof *item_fields; i++)
			if (item_fields[i].key == f->key) {
				take_slot(p, f->key, item_fields[i].slot, item_fields[i].kind);
				return;
			}
		break;
	case X_AUTHOR:
	case X_AUTHOR1:
		if (f->key == K_NAME) {
			take_list(p, f->ctx == X_AUTHOR ? &who(p)->authors : &who(p)->author1,
			          "name", 0);
			return;
		}
		break;
	case X_TAGS:
		take_tag(p);
		return;
	case X_ATTACHMENT:
		/* the first attachment's url, as RSS's first enclosure: never the link */
		if (f->key == K_URL && !p->it.slot[S_ENCLOSURE].set) {
			take_slot(p, f->key, S_ENCLOSURE, TK_TEXT);
			return;
		}
		break;
	}
	skip_string(p);
}

/* The last word, printable: other bytes as \xHH, cut after 40 bytes. */
static const char *
shown(struct jf *p, char *out, size_t size)
{
	const unsigned char *w = (const unsigned char *)p->js.word.s;
	size_t i, o = 0;

	for (i = 0; i < p->js.word.len && i < 40 && o + 5 < size; i++)
		if (w[i] >= 0x20 && w[i] < 0x7F)
			out[o++] = (char)w[i];
		else
			o += (size_t)snprintf(out + o, size - o, "\\x%02X", w[i]);
	snprintf(out + o, size - o, "%s", i < p->js.word.len ? "..." : "");
	return out;
}

/* A number: an item's numeric id is kept as the text it was written as. */
static void
number_value(struct jf *p, const struct frame *f)
{
	int id = f->ctx == X_ITEM && f->key == K_ID && !(p->js.prob & JP_NUMBER);
	struct slot_text *t;
	char s[200];

	if (p->js.prob)
		report(p, p->js.tline, "%s number %s%s",
		       p->js.prob & JP_RANGE ? "out-of-range" : "invalid", shown(p, s, sizeof s),
		       id ? " (kept as text)" : "");
	if (id && (t = item_slot(&p->it, S_GUID))) {
		buf_reset(&t->text);
		buf_put(&t->text, p->js.word.s, p->js.word.len);
		t->kind = TK_TEXT;
		t->set = 1;
	}
}

static void
bad_word(struct jf *p)
{
	char s[200];

	if (p->in_item && p->item_syntax++)
		return;
	report(p, p->js.tline, "JSON syntax error: unexpected '%s'", shown(p, s, sizeof s));
}

static void
who_reset(struct who *w)
{
	strlist_clear(&w->authors);
	strlist_clear(&w->author1);
	w->authors_array = 0;
	w->budget = MAXITEM;
	w->cut = 0;
}

static void
who_free(struct who *w)
{
	strlist_free(&w->authors);
	strlist_free(&w->author1);
}

/* JSON Feed 1.1 "authors" if it is an array, else 1.0 "author". */
static const struct strlist *
who_authors(const struct who *w)
{
	return w->authors_array ? &w->authors : &w->author1;
}

static void
start_item(struct jf *p)
{
	item_reset(&p->it);
	who_reset(&p->item);
	p->in_item = 1;
	p->item_syntax = 0;
	p->ntags = 0;
}

static void
emit_item(struct jf *p)
{
	const struct strlist *a = who_authors(&p->item);
	size_t i;

	if (!a->n)
		a = p->feed_authors;
	for (i = 0; i < a->n; i++)
		strlist_add(&p->it.atom_authors, a->v[i], strlen(a->v[i]));
	p->cb->item(p->cb->arg, &p->it, p->ch);
}

/* Note where "items" starts, or copy it aside if the input cannot seek. */
static void
start_copy(struct jf *p)
{
	if (p->region)
		return;
	p->items_line = p->js.tline;
	p->items_from = jstream_tell(&p->js) - 1;
	if (p->base >= 0) {
		p->region = 1;
	} else if (!(p->spool = tmpfile())) {
		report(p, p->js.tline, "no temporary file for the items: %s", strerror(errno));
	} else {
		p->region = 1;
		jstream_copy(&p->js, p->spool, 1);
	}
}

static void
end_copy(struct jf *p, int how)
{
	if (how == EOF) {
		p->items_to = -1;
		jstream_copy_end(&p->js, 0);
		p->items_end = EOF;
		return;
	}
	p->items_to = jstream_tell(&p->js) - (how == 'x');
	jstream_copy_end(&p->js, how == 'x');
	p->items_end = how == 'x' ? '}' : how;
}

/* The context of a value opened with type inside container f. */
static enum ctx
child(const struct jf *p, const struct frame *f, char type)
{
	if (f->type == '[') {
		if (f->ctx == X_ITEMS)
			return p->pass == 2 && type == '{' ? X_ITEM : X_OTHER;
		if (f->ctx == X_ATTACHMENTS)
			return type == '{' ? X_ATTACHMENT : X_OTHER;
		return f->ctx == X_AUTHORS && type == '{' ? X_AUTHOR : X_OTHER;
	}
	if (f->ctx != X_ROOT && f->ctx != X_ITEM)
		return X_OTHER;
	if (f->ctx == X_ROOT && f->key == K_ITEMS)
		return type == '[' ? X_ITEMS : X_OTHER;
	if (f->key == K_AUTHORS && type == '[')
		return X_AUTHORS;
	if (f->key == K_AUTHOR && type == '{')
		return X_AUTHOR1;
	if (f->ctx == X_ITEM && f->key == K_ATTACHMENTS && type == '[')
		return X_ATTACHMENTS;
	return f->ctx == X_ITEM && f->key == K_TAGS && type == '[' ? X_TAGS : X_OTHER;
}

static void
push(struct jf *p, char type, enum ctx ctx)
{
	struct frame *f;

	if (p->depth == MAXNEST) {
		report(p, p->js.tline, "JSON nested more than %d deep; the deeper part is skipped",
		       MAXNEST);
		p->skip = 1;
		return;
	}
	f = &p->stack[p->depth++];
	memset(f, 0, sizeof *f);
	f->type = type;
	f->ctx = (unsigned char)ctx;
	f->state = type == '{' ? O_FIRST : A_FIRST;
	if (ctx == X_ITEMS && p->pass == 1) {
		p->items_seen = 1;
		start_copy(p);
	} else if (ctx == X_ITEM) {
		start_item(p);
	} else if (ctx == X_AUTHORS) {
		who(p)->authors_array = 1;
	}
}

/* Close the innermost container: how is its own closer, 'x' when a closer
 * of an outer one closed it too, or EOF (an item cut short is dropped). */
static void
pop(struct jf *p, int how)
{
	struct frame *f = &p->stack[--p->depth];

	if (f->ctx == X_ITEMS && p->pass == 1 && p->region && !p->items_end)
		end_copy(p, how);
	else if (f->ctx == X_ITEM) {
		if (how != EOF)
			emit_item(p);
		p->in_item = 0;
	}
}

static void
value(struct jf *p, struct frame *f, enum jtok t)
{
	switch (t) {
	case JT_STRING: string_value(p, f); break;
	case JT_NUMBER: number_value(p, f); break;
	case JT_OBJ: push(p, '{', child(p, f, '{')); break;
	case JT_ARR: push(p, '[', child(p, f, '[')); break;
	case JT_BAD: bad_word(p); break;
	default: break;
	}
}

static void
element(struct jf *p, struct frame *f, enum jtok t)
{
	if (f->ctx == X_ITEMS && p->pass == 2 && ++p->nitem &&
	    t != JT_OBJ && t != JT_BAD)
		report(p, p->js.tline, "item %zu is not an object", p->nitem);
	value(p, f, t);
}

static void
member_key(struct jf *p, struct frame *f)
{
	enum key k;

	buf_reset(&p->tmp);
	jstream_string(&p->js, &p->tmp, 64);
	problems(p, "a key");
	k = p->js.prob & JP_CUT ? K_OTHER : lookup(buf_str(&p->tmp));
	if (k != K_OTHER && (f->seen >> k & 1))
		k = K_OTHER;	/* the first of duplicate keys counts */
	f->seen |= (uint32_t)1 << k;
	f->key = (unsigned char)k;
	f->state = O_COLON;
}

static void
obj_step(struct jf *p, struct frame *f, enum jtok t)
{
	switch (f->state) {
	case O_FIRST:
	case O_KEY:
		if (t == JT_STRING) {
			member_key(p, f);
			return;
		}
		syntax(p, f->state == O_FIRST ? "a key or '}'" : "a key", t);
		break;
	case O_COLON:
		if (t == JT_COLON) {
			f->state = O_VALUE;
			return;
		}
		syntax(p, "':'", t);
		f->state = t == JT_COMMA ? O_KEY : O_VALUE;
		if (t != JT_COMMA)
			obj_step(p, f, t);
		return;
	case O_VALUE:
		if (t != JT_COMMA && t != JT_COLON) {
			f->state = O_NEXT;
			value(p, f, t);
			return;
		}
		syntax(p, "a value", t);
		if (t == JT_COMMA)
			f->state = O_KEY;
		return;
	default:
		if (t == JT_COMMA) {
			f->state = O_KEY;
			return;
		}
		syntax(p, "',' or '}'", t);
		if (t == JT_STRING) {
			member_key(p, f);
			return;
		}
		break;
	}
	/* a value where a key belongs: read as a member without a name */
	if (t != JT_COMMA && t != JT_COLON) {
		f->key = K_OTHER;
		f->state = O_NEXT;
		value(p, f, t);
	}
}

static void
arr_step(struct jf *p, struct frame *f, enum jtok t)
{
	if (f->state == A_NEXT && t == JT_COMMA) {
		f->state = A_VALUE;
		return;
	}
	if (t == JT_COMMA || t == JT_COLON) {
		syntax(p, "a value", t);
		return;
	}
	if (f->state == A_NEXT)
		syntax(p, "',' or ']'", t);
	f->state = A_NEXT;
	element(p, f, t);
}

static void
close_tok(struct jf *p, enum jtok t)
{
	char open = t == JT_OBJEND ? '{' : '[', own = t == JT_OBJEND ? '}' : ']';
	struct frame *f = &p->stack[p->depth - 1];
	int i;

	if (f->type == open) {
		if (f->state == O_KEY || f->state == A_VALUE || f->state == O_VALUE)
			syntax(p, f->state == O_KEY ? "a key" : "a value", t);
		else if (f->state == O_COLON)
			syntax(p, "':'", t);
		pop(p, own);
		return;
	}
	for (i = p->depth - 1; i >= 0 && p->stack[i].type != open; i--)
		;
	syntax(p, f->type == '{' ? "',' or '}'" : "',' or ']'", t);
	if (i < 0)
		return;		/* a stray closer: ignored */
	while (p->depth > i + 1)
		pop(p, 'x');
	pop(p, own);
}

static void
skip_tok(struct jf *p, enum jtok t)
{
	if (t == JT_STRING)
		jstream_string(&p->js, NULL, 0);
	else if (t == JT_OBJ || t == JT_ARR)
		p->skip++;
	else if (t == JT_OBJEND || t == JT_ARREND)
		p->skip--;
}

static void
at_eof(struct jf *p)
{
	unsigned long l = p->js.tline;

	if (p->pass == 1 && p->region && !p->items_end)
		end_copy(p, EOF);
	else if (p->pass == 2 && p->items_end == '}') {
		syntax(p, "',' or ']'", JT_OBJEND);
	} else if (p->pass == 2 && p->items_end == EOF && p->in_item) {
		report(p, l, "premature end of document inside item %zu; complete items kept",
		       p->nitem);
	} else if (p->pass == 2 && p->items_end == EOF) {
		report(p, l, "premature end of document inside \"items\"; complete items kept");
	} else if (p->pass == 1 && (p->depth || p->skip)) {
		report(p, l, "premature end of document; complete items kept");
		p->truncated = 1;
	}
	p->skip = 0;
	while (p->depth > 0)
		pop(p, EOF);
}

static void
run(struct jf *p)
{
	enum jtok t;
	struct frame *f;

	while ((t = jstream_next(&p->js)) != JT_EOF) {
		if (p->skip) {
			skip_tok(p, t);
			continue;
		}
		if (!p->depth) {
			if (p->started) {
				report(p, p->js.tline, "text after the end of the JSON Feed (ignored)");
				return;
			}
			if (t != JT_OBJ)
				return;		/* not a feed: said by the caller */
			p->started = 1;
			push(p, '{', X_ROOT);
			continue;
		}
		f = &p->stack[p->depth - 1];
		if (t == JT_OBJEND || t == JT_ARREND)
			close_tok(p, t);
		else if (f->type == '{')
			obj_step(p, f, t);
		else
			arr_step(p, f, t);
	}
	at_eof(p);
}

static void
put(struct buf *b, const struct buf *v)
{
	if (v->len && !b->len)
		buf_put(b, v->s, v->len);
}

/* The "items" array, from the copy or from where it is in the input. */
static void
items_pass(struct jf *p, FILE *fp)
{
	struct frame *f;
	int bad;

	if (p->spool) {
		bad = fflush(p->spool) == EOF || ferror(p->spool);
		rewind(p->spool);
	} else {
		bad = fseeko(fp, (off_t)(p->base + p->items_from), SEEK_SET) != 0;
	}
	if (bad) {
		report(p, p->items_line, "cannot read the items again: %s", strerror(errno));
		return;
	}
	jstream_free(&p->js);
	jstream_init(&p->js, p->spool ? p->spool : fp, NULL, 0, p->items_line);
	if (!p->spool && p->items_to >= 0)
		jstream_limit(&p->js, p->items_to - p->items_from);
	p->pass = 2;
	p->skip = 0;
	p->depth = 1;
	f = &p->stack[0];	/* the feed object, reading the value of "items" */
	memset(f, 0, sizeof *f);
	f->type = '{';
	f->ctx = X_ROOT;
	f->state = O_VALUE;
	f->key = K_ITEMS;
	run(p);
}

#define VERSION_URL "https://jsonfeed.org/version/"

/*
 * The "version" is a URL; some feeds write only the number ("1.1"). Those
 * are read as the version they name, and it is said.
 */
static int
known_version(struct jf *p)
{
	const char *v = buf_str(&p->version);

	if (!strncmp(v, VERSION_URL, strlen(VERSION_URL)))
		return 1;
	if (strcmp(v, "1") && strcmp(v, "1.0") && strcmp(v, "1.1"))
		return 0;
	report(p, p->version_line, "JSON Feed \"version\" is \"%s\", not its URL; read as "
	       VERSION_URL "%s", v, strcmp(v, "1.1") ? "1" : "1.1");
	return 1;
}

int
feed_parse_json(FILE *fp, const char *head, size_t nhead, struct channel *ch,
    const struct feed_callbacks *cb)
{
	struct jf *p = ecalloc(1, sizeof *p);
	int errors;

	p->cb = cb;
	p->ch = ch;
	p->pass = 1;
	who_reset(&p->feed);
	p->base = ftello(fp);
	if (p->base >= 0 && fseeko(fp, (off_t)p->base, SEEK_SET) == 0)
		p->base -= (long long)nhead;	/* where head was read from */
	else
		p->base = -1;
	jstream_init(&p->js, fp, head, nhead, 1);
	run(p);
	if (ferror(fp))
		report(p, 0, "read error: %s", strerror(errno));
	if (!p->started || !known_version(p)) {
		report(p, 1, "not a feed (JSON without a JSON Feed \"version\")");
	} else {
		put(&ch->title, &p->chan.title);
		ch->title_kind = TK_TEXT;
		put(&ch->link, &p->chan.link);
		put(&ch->description, &p->chan.description);
		put(&ch->language, &p->chan.language);
		p->feed_authors = who_authors(&p->feed);
		if (!p->items_seen && !p->truncated)
			report(p, 0, "JSON feed without an \"items\" array");
		else if (p->region)
			items_pass(p, fp);
	}
	if (p->spool)
		fclose(p->spool);
	jstream_free(&p->js);
	item_free(&p->it);
	who_free(&p->feed);
	who_free(&p->item);
	channel_free(&p->chan);
	buf_free(&p->version);
	buf_free(&p->tmp);
	errors = p->errors;
	free(p);
	return errors;
}
