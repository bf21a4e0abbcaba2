/* win.c: messages, and the window of records: read, answered from the
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
#include "jw.h"
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

/* The record in the slot's line, read: its id, title and summary, and
 * the ai it has now (*v, *vn, valid until the record is read from again;
 * NULL if none). -1 if the line is not a record (said). */
static int
read_record(struct slot *sl, const char **v, size_t *vn)
{
	char err[256];

	if (rec_read(&sl->rec, sl->line.s, sl->line.len, 0, err, sizeof(err))) {
		if (progress)
			fputs("\r\033[K", stderr);
		wlineprintf(in.name, in.lineno, "%s", err);
		bad = 1;
		return -1;
	}
	rec_string(&sl->rec, F_ID, &sl->id);
	rec_string(&sl->rec, F_TITLE, &sl->title);
	rec_string(&sl->rec, F_SUMMARY, &sl->summary);
	if (rec_get(&sl->rec, F_AI, v, vn)) {
		*v = NULL;
		*vn = 0;
	}
	return 0;
}

/* A record read: into the window, done at once if it need not be asked. */
static void
take(const char *s, size_t n)
{
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
	if (read_record(sl, &v, &vn) < 0)
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

/* The record, with its new ai if it has one. */
static void
emit(struct slot *sl)
{
	static struct buf out;

	buf_reset(&out);
	if (sl->ai.len) {
		rec_set(&sl->rec, F_AI, sl->ai.s, sl->ai.len);
		rec_put(&sl->rec, &out);
	} else {
		buf_put(&out, sl->line.s, sl->line.len);
	}
	buf_putc(&out, '\n');
	fwrite(out.s, 1, out.len, stdout);
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
