/* window.c: messages, and the window of records: read, answered from the
 * cache or marked for a request, written out in input order. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "enrich.h"
#include "fields.h"
#include "jscan.h"
#include "jsonw.h"
#include "jwalk.h"
#include "sha1.h"
#include "text.h"
#include "util.h"

static unsigned long nwritten;
static double last_progress;
static int curfile = -1;

double
win_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


/* s with the key, should it have got this far, scrubbed (secret_scrub), and
 * control characters replaced by spaces: everything printed from outside
 * goes through it */
const char *
win_scrub(const char *s)
{
	size_t i;

	buf_reset(&msg);
	buf_puts(&msg, s);
	secret_scrub(&secret, &msg);
	for (i = 0; i < msg.len; i++)
		if ((unsigned char)msg.s[i] < 0x20 || msg.s[i] == 0x7f)
			msg.s[i] = ' ';
	return buf_str(&msg);
}

const char *
win_slot_id(const struct slot *sl)
{
	return sl->id.len ? sl->id.s : "(no id)";
}

/* "enrich: FILE:LINE: s" */
void
win_say_at(const char *file, unsigned long lineno, const char *s)
{
	if (progress)
		fputs("\r\033[K", stderr);
	wlineprintf(file, lineno, "%s", win_scrub(s));
}

/* "enrich: FILE:LINE: ID: what" */
void
win_say(const struct slot *sl, const char *fmt, ...)
{
	struct buf m = { 0 };
	va_list ap;
	int n;

	buf_puts(&m, win_slot_id(sl));
	buf_puts(&m, ": ");
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&m, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(m.s + m.len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	m.len += (size_t)n;
	win_say_at(sl->file, sl->lineno, m.s);
	buf_free(&m);
}

void
win_stop(const char *fmt, ...)
{
	va_list ap;
	char s[512];

	if (stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	buf_puts(&stopwhy, win_scrub(s));
	stopped = stopwhy.s;
	if (progress)
		fputs("\r\033[K", stderr);
	weprintf("%s: no more requests; the records still to do pass through "
	    "unchanged", stopped);
}

void
win_progress(int force)
{
	double t;

	if (!progress)
		return;
	t = win_now();
	if (!force && t - last_progress < 0.2)
		return;
	last_progress = t;
	fprintf(stderr, "\r\033[Kenrich: %lu read, %lu written, %lu cached, "
	    "%lu asked, %lu failed, %ld requests", nread, nwritten, ncached,
	    nasked, nfailed, nrequests);
}

static int
next_file(void)
{
	jsonl_fd_close(&in);
	while (++curfile < nfiles) {
		if (jsonl_fd_open(&in, files[curfile]) == 0)
			return 0;
		weprintf("%s:", in.name);
		bad = 1;
	}
	input_done = 1;
	return -1;
}

/* One read(2) into the buffer. */
void
win_read(void)
{
	if (jsonl_fd_read(&in) < 0) {
		weprintf("%s: read error:", in.name);
		bad = 1;
	}
}

int
win_want_input(void)
{
	return !input_done && count < nwin;
}

/* The string members id, title and summary of a record that jscan has
 * checked (valid, no escapes in keys), in one pass that trusts it. */
static void
record_strings(struct slot *sl)
{
	static const char *const keys[] = { F_ID, F_TITLE, F_SUMMARY };
	struct buf *out[] = { &sl->id, &sl->title, &sl->summary };
	const char *p = sl->line.s, *end = p + sl->line.len, *k, *v;
	size_t kn, i;

	for (i = 0; i < 3; i++)
		buf_reset(out[i]);
	p = jskip_ws(p, end) + 1;
	for (;;) {
		p = jskip_ws(p, end);
		if (p >= end || *p != '"')
			return;
		k = p + 1;
		p = memchr(k, '"', (size_t)(end - k));
		kn = (size_t)(p - k);
		p = jskip_ws(p + 1, end) + 1;
		v = p = jskip_ws(p, end);
		p = jskip_value(p, end);
		for (i = 0; i < 3; i++)	/* twice: the last value wins */
			if (strlen(keys[i]) == kn && !memcmp(keys[i], k, kn) &&
			    (*v != '"' ||
			    jscan_string(v, (size_t)(p - v), out[i]) < 0))
				buf_reset(out[i]);
		p = jskip_ws(p, end);
		if (p < end && *p == ',')
			p++;
	}
}

static void
json_text(struct buf *out, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	buf_reset(out);
	if (json_is_string(v) && !jsonl_number(v, NULL))
		buf_put(out, json_string_value(v), json_string_length(v));
}

/* 2: an ai object in our language with all the fields asked for; 1: in
 * our language, some missing; 0: none, or another language. */
static int
ai_status(const char *v, size_t vn)
{
	const char *lv;
	size_t ln, j;
	int i;

	if (!vn || *v != '{' || jscan_find(v, vn, "lang", &lv, &ln) != 0 ||
	    *lv != '"' || jscan_string(lv, ln, &tmp) < 0 ||
	    ascii_casecmp(tmp.s, lang))
		return 0;
	for (i = 0; i < LLM_NFIELDS; i++)
		if (fields & 1u << i && (jscan_find(v, vn, llm_field_name[i],
		    &lv, &ln) != 0 || *lv != '"' || ln <= 2))
			return 1;
	for (j = 0; j < prompt.nfields; j++)
		if (jscan_find(v, vn, prompt.field[j].name, &lv, &ln) != 0)
			return 1;
	return 2;
}

static void
cache_key(struct slot *sl)
{
	static const char zero[1];
	int i;

	buf_reset(&keybuf);
	buf_puts(&keybuf, "feedpipe enrich");
	buf_put(&keybuf, zero, 1);
	buf_puts(&keybuf, model);
	buf_put(&keybuf, zero, 1);
	buf_puts(&keybuf, LLM_PROMPT_VERSION);
	buf_put(&keybuf, zero, 1);
	buf_puts(&keybuf, lang);
	buf_put(&keybuf, zero, 1);
	for (i = 0; i < LLM_NFIELDS; i++)
		if (fields & 1u << i)
			buf_printf(&keybuf, "%s,", llm_field_name[i]);
	buf_put(&keybuf, zero, 1);
	if (prompt.source.len) {	/* none: the keys of before --prompt */
		buf_put(&keybuf, prompt.source.s, prompt.source.len);
		buf_put(&keybuf, zero, 1);
	}
	buf_put(&keybuf, sl->id.s, sl->id.len);
	buf_put(&keybuf, zero, 1);
	buf_put(&keybuf, sl->title.s, sl->title.len);
	buf_put(&keybuf, zero, 1);
	buf_put(&keybuf, sl->summary.s, sl->summary.len);
	sha1_hex(keybuf.s, keybuf.len, sl->key);
}

/* Is k a member set_ai writes in its place (lang, model, the fields)? */
static int
ai_own_key(const char *k)
{
	size_t j;

	for (j = 0; j < LLM_NFIELDS; j++)
		if (!strcmp(k, llm_field_name[j]))
			return 1;
	for (j = 0; j < prompt.nfields; j++)
		if (!strcmp(k, prompt.field[j].name))
			return 1;
	return !strcmp(k, "lang") || !strcmp(k, "model");
}

static void
put_member(struct jw *w, const char *k, json_t *v)
{
	buf_reset(&tmp);
	jsonl_put(&tmp, v);
	jw_key(w, k);
	jw_raw(w, tmp.s, tmp.len);
}

/* The answer (an ai object) into the slot, over what the record had in
 * the same language: new fields win, the others stay. */
void
win_set_ai(struct slot *sl, const char *s, size_t n)
{
	json_t *o, *a, *v;
	const char *k;
	struct jw w;
	size_t i;

	buf_reset(&sl->ai);
	if (!sl->oldai.len) {
		buf_put(&sl->ai, s, n);
		return;
	}
	o = json_loadb(sl->oldai.s, sl->oldai.len, 0, NULL);
	a = json_loadb(s, n, 0, NULL);
	jw_init(&w, &sl->ai);
	jw_object(&w);
	jw_key(&w, "lang");
	jw_cstring(&w, lang);
	for (i = 0; i < LLM_NFIELDS; i++) {
		v = json_object_get(a, llm_field_name[i]);
		if (!json_is_string(v) || !json_string_length(v))
			v = json_object_get(o, llm_field_name[i]);
		if (json_is_string(v)) {
			jw_key(&w, llm_field_name[i]);
			jw_string(&w, json_string_value(v), json_string_length(v));
		}
	}
	for (i = 0; i < prompt.nfields; i++) {
		k = prompt.field[i].name;
		if ((v = json_object_get(a, k)) || (v = json_object_get(o, k)))
			put_member(&w, k, v);
	}
	if (json_is_string(v = json_object_get(a, "model"))) {
		jw_key(&w, "model");
		jw_string(&w, json_string_value(v), json_string_length(v));
	}
	json_object_foreach(o, k, v)
		if (!ai_own_key(k))
			put_member(&w, k, v);
	jw_end_object(&w);
	json_decref(o);
	json_decref(a);
}

/* A cache entry that is whole and for our language. */
int
win_cache_lookup(struct slot *sl)
{
	const char *v;
	size_t vn;
	char err[512];
	int r;

	if (!use_cache || (r = cache_get(cachedir, sl->key, &entry, err,
	    sizeof(err))) == 0)
		return 0;
	if (r < 0) {
		if (!cache_warned++)
			weprintf("cache: %s", err);
		return 0;
	}
	secret_scrub(&secret, &entry);	/* written before keys were scrubbed? */
	while (entry.len && is_space((unsigned char)entry.s[entry.len - 1]))
		entry.len--;
	if (jscan_find(entry.s, entry.len, "lang", &v, &vn) != 0 ||
	    *v != '"' || jscan_string(v, vn, &tmp) < 0 ||
	    ascii_casecmp(tmp.s, lang))
		return 0;
	win_set_ai(sl, entry.s, entry.len);
	return 1;
}

static void
dry_request(struct slot *sl)
{
	struct jw w;

	buf_reset(&sl->req);
	llm_request(&sl->req, model, lang, fields, format, sl->title.s,
	    sl->title.len, sl->summary.s, sl->summary.len);
	buf_reset(&tmp);
	jw_init(&w, &tmp);
	jw_object(&w);
	jw_key(&w, "file");
	jw_cstring(&w, sl->file);
	jw_key(&w, "line");
	jw_int(&w, (long long)sl->lineno);
	if (sl->id.len) {
		jw_key(&w, "id");
		jw_string(&w, sl->id.s, sl->id.len);
	}
	jw_key(&w, "method");
	jw_cstring(&w, "POST");
	jw_key(&w, "url");
	jw_cstring(&w, url.s);
	jw_key(&w, "headers");
	jw_object(&w);
	jw_key(&w, "Content-Type");
	jw_cstring(&w, "application/json");
	if (api_key) {
		jw_key(&w, "Authorization");
		jw_cstring(&w, "Bearer ***");
	}
	jw_end_object(&w);
	jw_key(&w, "body");
	jw_raw(&w, sl->req.s, sl->req.len);
	jw_end_object(&w);
	buf_putc(&tmp, '\n');
	fwrite(tmp.s, 1, tmp.len, stdout);
	check_stdout();
}

int
win_budget_left(void)
{
	if (max_requests >= 0 && nrequests >= max_requests)
		win_stop("--max-requests %ld reached", max_requests);
	else if (max_tokens >= 0 && ntokens >= max_tokens)
		win_stop("--max-tokens %ld reached (%ld used)", max_tokens, ntokens);
	return !stopped;
}

/* Where the record's ai goes and what it holds now (*v, *vn; NULL if
 * none), with its id, title and summary: from the text where jscan can
 * tell (*v in the line), else from jansson's tree (*v in tree; the line
 * is then rebuilt on the way out). -1 if the line is not a record (said). */
static int
locate_ai(struct slot *sl, struct buf *tree, const char **v, size_t *vn)
{
	const char *s = sl->line.s;
	size_t n = sl->line.len, i;
	char err[256];
	json_t *rec, *ai;
	int r;

	*v = NULL;
	*vn = 0;
	if ((r = jscan_find(s, n, F_AI, v, vn)) != -2) {
		record_strings(sl);
		sl->how = r == 0 ? AI_REPLACE : AI_APPEND;
		if (r == 0) {
			sl->at = (size_t)(*v - s);
			sl->len = *vn;
			return 0;
		}
		*v = NULL;
		*vn = 0;
		for (i = n; i > 0 && is_space((unsigned char)s[i - 1]); i--)
			;
		sl->at = i - 1;
		while (i > 1 && is_space((unsigned char)s[i - 2]))
			i--;
		sl->empty = s[i - 2] == '{';
		return 0;
	}
	if (!(rec = jsonl_load(s, n, err, sizeof(err)))) {
		if (progress)
			fputs("\r\033[K", stderr);
		wlineprintf(in.name, in.lineno, "%s", err);
		bad = 1;
		return -1;
	}
	json_text(&sl->id, rec, F_ID);
	json_text(&sl->title, rec, F_TITLE);
	json_text(&sl->summary, rec, F_SUMMARY);
	if ((ai = json_object_get(rec, F_AI))) {
		buf_reset(tree);
		jsonl_put(tree, ai);
		*v = tree->s;
		*vn = tree->len;
	}
	sl->how = AI_REBUILD;
	json_decref(rec);
	return 0;
}

/* A record read: into the window, done at once if it need not be asked. */
static void
take(const char *s, size_t n)
{
	static struct buf tree;
	struct slot *sl = &win[(head + count) % nwin];
	const char *v;
	size_t vn;
	int st;

	buf_reset(&sl->line);
	buf_put(&sl->line, s, n);
	sl->file = in.name;
	sl->lineno = in.lineno;
	buf_reset(&sl->oldai);
	buf_reset(&sl->ai);
	sl->attempts = 0;
	sl->deferred = 0;
	sl->not_before = 0;
	if (locate_ai(sl, &tree, &v, &vn) < 0)
		return;
	count++;
	nread++;
	st = v ? ai_status(v, vn) : 0;
	if (st == 1)
		buf_put(&sl->oldai, v, vn);
	sl->state = S_DONE;
	if (st == 2) {
		nhad++;
		return;
	}
	if (!sl->title.len && !sl->summary.len)
		return;		/* nothing to ask about */
	cache_key(sl);
	if (win_cache_lookup(sl)) {
		ncached++;
		return;
	}
	if (stopped || !win_budget_left()) {
		nskipped++;
		return;
	}
	if (dry_run) {
		nrequests++;
		dry_request(sl);
		return;
	}
	sl->state = S_WAIT;
}

static void
emit(struct slot *sl)
{
	const char *s = sl->line.s;
	size_t n = sl->line.len;
	json_t *rec;

	if (!sl->ai.len) {
		fwrite(s, 1, n, stdout);
	} else if (sl->how == AI_APPEND) {
		fwrite(s, 1, sl->at, stdout);
		fputs(sl->empty ? "\"ai\":" : ",\"ai\":", stdout);
		fwrite(sl->ai.s, 1, sl->ai.len, stdout);
		fwrite(s + sl->at, 1, n - sl->at, stdout);
	} else if (sl->how == AI_REPLACE) {
		fwrite(s, 1, sl->at, stdout);
		fwrite(sl->ai.s, 1, sl->ai.len, stdout);
		fwrite(s + sl->at + sl->len, 1, n - sl->at - sl->len, stdout);
	} else {
		/* what jscan leaves to jansson: rebuilt, not spliced */
		rec = jsonl_load(s, n, NULL, 0);
		json_object_set_new(rec, F_AI, json_loadb(sl->ai.s, sl->ai.len,
		    0, NULL));
		if (jsonl_write(stdout, rec))
			eprintf("<stdout>: write error:");
		json_decref(rec);
		nwritten++;
		return;
	}
	putchar('\n');
	check_stdout();
	nwritten++;
}

void
win_flush(void)
{
	struct slot *sl;

	while (count && (sl = &win[head])->state == S_DONE) {
		if (!dry_run)
			emit(sl);
		sl->state = S_FREE;
		head = (head + 1) % nwin;
		count--;
	}
	win_progress(0);
}

void
win_fill(void)
{
	const char *s;
	size_t n;

	while (win_want_input()) {
		if (in.open && jsonl_fd_line(&in, &s, &n)) {
			take(s, n);
			continue;
		}
		if (in.open && !in.eof)
			break;
		next_file();
	}
}
