/* enrich: add an ai object (a translated title, a TL;DR, a structured
 * summary) to each record, written by a language model behind any
 * OpenAI-compatible chat-completions endpoint. Many requests at once
 * (libcurl's multi interface), answers cached on disk, records out in
 * input order through a bounded window; a record whose request fails
 * passes through unchanged. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <curl/curl.h>

#include "buf.h"
#include "cache.h"
#include "fields.h"
#include "jscan.h"
#include "jsonl.h"
#include "jsonw.h"
#include "jwalk.h"
#include "llm.h"
#include "prompt.h"
#include "sha1.h"
#include "text.h"
#include "util.h"

enum {
	OPT_API_BASE = 256, OPT_MODEL, OPT_LANG, OPT_FIELDS, OPT_CACHE,
	OPT_NO_CACHE, OPT_DRY_RUN, OPT_TIMEOUT, OPT_RETRIES, OPT_RETRY_DELAY,
	OPT_MAX_REQUESTS, OPT_MAX_TOKENS, OPT_PROMPT, OPT_INTEREST,
	OPT_INTEREST_FILE,
	MAXJOBS = 256,
	MAXBODY = 8 << 20,	/* an answer bigger than this is not one */
	READSZ = 1 << 18,
};
#define DEFAULT_BASE "https://api.openai.com/v1"
#define MAX_BACKOFF 60.0
#define MAX_RETRY_AFTER 600.0	/* longer: give up rather than wait */
#define CONN_RETRIES 2	/* at most, for a request that cannot connect */
#define CONN_STOP 3	/* requests in a row that could not connect: stop */

/* options and settings */
static const char *api_base, *model, *lang = "zh", *cachedir;
static char *api_key;		/* our copy; the environment's is wiped */
static struct llm_secret secret;	/* what is scrubbed out of answers */
static unsigned fields = LLM_ALL;
static int fields_given;
static const char *prompt_file, *interest, *interest_file;
static struct prompt prompt;	/* the reader's own, if any */
static int jobs = 4, retries = 4, dry_run, verbose, use_cache = 1;
static double timeout_s = 120, retry_delay = 1;
static long max_requests = -1, max_tokens = -1;
static struct buf url, defcache;

/* the run */
static CURLM *multi;
static struct curl_slist *headers;
static enum llm_format format = LLM_SCHEMA;
static long nrequests, ntokens, nactive;
static unsigned long nread, nwritten, ncached, nhad, nasked, nfailed, nskipped;
static const char *stopped;	/* why no more requests go out */
static struct buf stopwhy;
static double hold_until;	/* a 429 asked for a pause of every request */
static int bad, progress, cache_warned;
static double last_progress;
static uint64_t rnd;

/* Requests that gave up without ever reaching the server. Fewer than
 * CONN_STOP in a row are reported each, as any failure; CONN_STOP in a
 * row mean the endpoint is down: no more requests, one message. */
static struct {
	int streak;		/* in a row, the last one now */
	int dead;		/* CONN_STOP reached */
	unsigned long n;	/* records passed through for it */
	struct buf why;		/* the last reason */
	struct {		/* the streak's messages, until we know */
		const char *file;
		unsigned long lineno;
		struct buf text;
	} held[CONN_STOP - 1];
} conn;

enum { S_FREE, S_WAIT, S_ACTIVE, S_DONE };
enum { AI_APPEND, AI_REPLACE, AI_REBUILD };	/* how ai goes into the line */

struct slot {
	int state;
	struct buf line;	/* the record as read */
	const char *file;
	unsigned long lineno;
	struct buf id, title, summary;
	struct buf oldai;	/* an ai object of the same language, to merge */
	int how;
	size_t at, len;		/* the closing brace, or the old ai value */
	int empty;		/* the record is {} */
	char key[41];		/* of the cache entry */
	struct buf ai;		/* what goes in; empty: the record is unchanged */
	int attempts;
	int deferred;		/* waits for a request for the same key */
	double not_before;
	enum llm_format fmt;	/* of the request in flight */
	CURL *easy;
	struct buf req, resp;
	double started;
	char curlerr[CURL_ERROR_SIZE];
};

static struct slot *win;
static size_t nwin, head, count;
static struct slot *active[MAXJOBS];	/* the requests in flight */

/* input: lines read with read(2), so that waiting for input and for the
 * network is one poll */
static struct jsonl_fd in;
static char **files;
static int nfiles, curfile = -1, input_done;

static struct buf tmp, msg, keybuf, entry;

static void setup_curl(void);
static void abandon_active(void);
static double connect_timeout(void);

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: %s [-nv] [-j jobs] [--model name] [--api-base url] "
	    "[--lang tag]\n"
	    "       [--fields list] [--prompt file] [--interest text | "
	    "--interest-file file]\n"
	    "       [--cache dir | --no-cache] "
	    "[--max-requests n] [--max-tokens n]\n"
	    "       [--timeout secs] [--retries n] [--retry-delay secs] "
	    "[file ...]\n"
	    "  -m, --model NAME        the model (default $FEEDPIPE_MODEL)\n"
	    "  -a, --api-base URL      the endpoint (default $FEEDPIPE_API_BASE, "
	    "$OPENAI_BASE_URL,\n"
	    "                          " DEFAULT_BASE ")\n"
	    "  -l, --lang TAG          the language to write in (default zh)\n"
	    "  -f, --fields LIST       of title,tldr,motivation,method,result,"
	    "conclusion\n"
	    "                          (default all; none with --prompt or "
	    "--interest)\n"
	    "      --prompt FILE       the reader's own instructions and fields "
	    "(feedpipe-prompt(5))\n"
	    "      --interest TEXT     also ask ai.relevance (0-10) and ai.reason "
	    "against TEXT\n"
	    "      --interest-file FILE  the same, the interests read from FILE\n"
	    "  -j, --jobs N            requests at once (default 4)\n"
	    "  -c, --cache DIR         the answer cache (default "
	    "$XDG_CACHE_HOME/feedpipe/enrich)\n"
	    "      --no-cache          neither read nor write the cache\n"
	    "      --max-requests N    send at most N requests in this run\n"
	    "      --max-tokens N      stop sending once answers used N tokens\n"
	    "  -t, --timeout SECS      per request (default 120)\n"
	    "      --retries N         retries per record (default 4)\n"
	    "      --retry-delay SECS  the first backoff (default 1)\n"
	    "  -n, --dry-run           print the requests it would send; no "
	    "network\n"
	    "  -v, --verbose           report each request on stderr\n"
	    "  -h, --help              show this help\n"
	    "  -V, --version           show the version\n"
	    "The key comes from FEEDPIPE_API_KEY or OPENAI_API_KEY only.\n", argv0);
	exit(status);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
frand(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return (double)(rnd >> 11) / 9007199254740992.0;
}

/* s with the key, should it have got this far, scrubbed (llm_scrub), and
 * control characters replaced by spaces: everything printed from outside
 * goes through it */
static const char *
scrub(const char *s)
{
	size_t i;

	buf_reset(&msg);
	buf_puts(&msg, s);
	llm_scrub(&secret, &msg);
	for (i = 0; i < msg.len; i++)
		if ((unsigned char)msg.s[i] < 0x20 || msg.s[i] == 0x7f)
			msg.s[i] = ' ';
	return buf_str(&msg);
}

static const char *
slot_id(const struct slot *sl)
{
	return sl->id.len ? sl->id.s : "(no id)";
}

/* "enrich: FILE:LINE: s" */
static void
say_at(const char *file, unsigned long lineno, const char *s)
{
	if (progress)
		fputs("\r\033[K", stderr);
	wlineprintf(file, lineno, "%s", scrub(s));
}

/* "enrich: FILE:LINE: ID: what" */
static void
say(const struct slot *sl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
say(const struct slot *sl, const char *fmt, ...)
{
	struct buf m = { 0 };
	va_list ap;
	int n;

	buf_puts(&m, slot_id(sl));
	buf_puts(&m, ": ");
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&m, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(m.s + m.len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	m.len += (size_t)n;
	say_at(sl->file, sl->lineno, m.s);
	buf_free(&m);
}

static void
stop(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void
stop(const char *fmt, ...)
{
	va_list ap;
	char s[512];

	if (stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	buf_puts(&stopwhy, scrub(s));
	stopped = stopwhy.s;
	if (progress)
		fputs("\r\033[K", stderr);
	weprintf("%s: no more requests; the records still to do pass through "
	    "unchanged", stopped);
}

static void
show_progress(int force)
{
	double t;

	if (!progress)
		return;
	t = now();
	if (!force && t - last_progress < 0.2)
		return;
	last_progress = t;
	fprintf(stderr, "\r\033[Kenrich: %lu read, %lu written, %lu cached, "
	    "%lu asked, %lu failed, %ld requests", nread, nwritten, ncached,
	    nasked, nfailed, nrequests);
}

/* ---- libcurl, loaded when the first request is due: a run served from
 * the cache, or --dry-run, does not pay for its forty shared libraries -- */

static struct {
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_cleanup)(CURLM *);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned, int,
	    int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	CURLHcode (*easy_header)(CURL *, const char *, size_t, unsigned, int,
	    struct curl_header **);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} cu;

static void
load_curl(void)
{
	static const char *const libs[] = { "libcurl.so.4", "libcurl.so",
	    "libcurl.4.dylib", "libcurl.dylib" };
	static const struct {
		const char *name;
		void *fn;	/* where the function pointer goes */
		int optional;
	} syms[] = {
		{ "curl_global_init", &cu.global_init, 0 },
		{ "curl_global_cleanup", &cu.global_cleanup, 0 },
		{ "curl_multi_init", &cu.multi_init, 0 },
		{ "curl_multi_cleanup", &cu.multi_cleanup, 0 },
		{ "curl_multi_setopt", &cu.multi_setopt, 0 },
		{ "curl_multi_add_handle", &cu.multi_add_handle, 0 },
		{ "curl_multi_remove_handle", &cu.multi_remove_handle, 0 },
		{ "curl_multi_perform", &cu.multi_perform, 0 },
		{ "curl_multi_poll", &cu.multi_poll, 0 },
		{ "curl_multi_info_read", &cu.multi_info_read, 0 },
		{ "curl_easy_init", &cu.easy_init, 0 },
		{ "curl_easy_cleanup", &cu.easy_cleanup, 0 },
		{ "curl_easy_setopt", &cu.easy_setopt, 0 },
		{ "curl_easy_getinfo", &cu.easy_getinfo, 0 },
		{ "curl_easy_strerror", &cu.easy_strerror, 0 },
		{ "curl_easy_header", &cu.easy_header, 1 },	/* 7.83 */
		{ "curl_slist_append", &cu.slist_append, 0 },
		{ "curl_slist_free_all", &cu.slist_free_all, 0 },
	};
	void *h = NULL, *f;
	size_t i;

	for (i = 0; !h && i < sizeof(libs) / sizeof(libs[0]); i++)
		h = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
	if (!h)
		eprintf("cannot load libcurl (%s): install libcurl4", dlerror());
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		f = dlsym(h, syms[i].name);
		if (!f && !syms[i].optional)
			eprintf("libcurl has no %s: want libcurl 7.66 or later",
			    syms[i].name);
		memcpy(syms[i].fn, &f, sizeof(f));	/* POSIX: same size */
	}
}

/* ---- input ---------------------------------------------------------- */

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
static void
read_chunk(void)
{
	if (jsonl_fd_read(&in) < 0) {
		weprintf("%s: read error:", in.name);
		bad = 1;
	}
}

/* ---- records -------------------------------------------------------- */

static int
want_input(void)
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
static void
set_ai(struct slot *sl, const char *s, size_t n)
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
static int
cache_lookup(struct slot *sl)
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
	llm_scrub(&secret, &entry);	/* written before keys were scrubbed? */
	while (entry.len && is_space((unsigned char)entry.s[entry.len - 1]))
		entry.len--;
	if (jscan_find(entry.s, entry.len, "lang", &v, &vn) != 0 ||
	    *v != '"' || jscan_string(v, vn, &tmp) < 0 ||
	    ascii_casecmp(tmp.s, lang))
		return 0;
	set_ai(sl, entry.s, entry.len);
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

static int
budget_left(void)
{
	if (max_requests >= 0 && nrequests >= max_requests)
		stop("--max-requests %ld reached", max_requests);
	else if (max_tokens >= 0 && ntokens >= max_tokens)
		stop("--max-tokens %ld reached (%ld used)", max_tokens, ntokens);
	return !stopped;
}

/* A record read: into the window, done at once if it need not be asked. */
static void
take(const char *s, size_t n)
{
	struct slot *sl = &win[(head + count) % nwin];
	char err[256];
	const char *v = NULL;
	json_t *rec, *ai;
	size_t vn = 0, i;
	char *dump = NULL;
	int r, st;

	buf_reset(&sl->line);
	buf_put(&sl->line, s, n);
	sl->file = in.name;
	sl->lineno = in.lineno;
	buf_reset(&sl->oldai);
	buf_reset(&sl->ai);
	sl->attempts = 0;
	sl->deferred = 0;
	sl->not_before = 0;
	s = sl->line.s;
	if ((r = jscan_find(s, n, F_AI, &v, &vn)) != -2) {
		record_strings(sl);
		sl->how = r == 0 ? AI_REPLACE : AI_APPEND;
		if (r == 0) {
			sl->at = (size_t)(v - s);
			sl->len = vn;
		} else {
			for (i = n; i > 0 && is_space((unsigned char)s[i - 1]); i--)
				;
			sl->at = i - 1;
			while (i > 1 && is_space((unsigned char)s[i - 2]))
				i--;
			sl->empty = s[i - 2] == '{';
		}
	} else {
		if (!(rec = jsonl_load(sl->line.s, n, err, sizeof(err)))) {
			if (progress)
				fputs("\r\033[K", stderr);
			wlineprintf(in.name, in.lineno, "%s", err);
			bad = 1;
			return;
		}
		json_text(&sl->id, rec, F_ID);
		json_text(&sl->title, rec, F_TITLE);
		json_text(&sl->summary, rec, F_SUMMARY);
		if ((ai = json_object_get(rec, F_AI)))
			dump = json_dumps(ai, JSON_COMPACT | JSON_ENCODE_ANY);
		v = dump;
		vn = dump ? strlen(dump) : 0;
		sl->how = AI_REBUILD;
		json_decref(rec);
	}
	count++;
	nread++;
	st = v ? ai_status(v, vn) : 0;
	if (st == 1)
		buf_put(&sl->oldai, v, vn);
	free(dump);
	sl->state = S_DONE;
	if (st == 2) {
		nhad++;
		return;
	}
	if (!sl->title.len && !sl->summary.len)
		return;		/* nothing to ask about */
	cache_key(sl);
	if (cache_lookup(sl)) {
		ncached++;
		return;
	}
	if (stopped || !budget_left()) {
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

static void
flush_head(void)
{
	struct slot *sl;

	while (count && (sl = &win[head])->state == S_DONE) {
		if (!dry_run)
			emit(sl);
		sl->state = S_FREE;
		head = (head + 1) % nwin;
		count--;
	}
	show_progress(0);
}

static void
fill(void)
{
	const char *s;
	size_t n;

	while (want_input()) {
		if (in.open && jsonl_fd_line(&in, &s, &n)) {
			take(s, n);
			continue;
		}
		if (in.open && !in.eof)
			break;
		next_file();
	}
}

/* ---- requests ------------------------------------------------------- */

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct slot *sl = arg;

	if (sl->resp.len + n > MAXBODY)
		return 0;
	buf_put(&sl->resp, p, n * size);
	return n * size;
}

static void
start(struct slot *sl)
{
	CURL *e;

	if (!multi)
		setup_curl();
	buf_reset(&sl->req);
	llm_request(&sl->req, model, lang, fields, format, sl->title.s,
	    sl->title.len, sl->summary.s, sl->summary.len);
	sl->fmt = format;
	buf_reset(&sl->resp);
	sl->curlerr[0] = '\0';
	if (!(e = cu.easy_init()))
		eprintf("curl_easy_init failed");
	cu.easy_setopt(e, CURLOPT_URL, url.s);
	cu.easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	cu.easy_setopt(e, CURLOPT_POSTFIELDS, sl->req.s);
	cu.easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)sl->req.len);
	cu.easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	cu.easy_setopt(e, CURLOPT_WRITEDATA, sl);
	cu.easy_setopt(e, CURLOPT_PRIVATE, sl);
	cu.easy_setopt(e, CURLOPT_ERRORBUFFER, sl->curlerr);
	cu.easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(timeout_s * 1000));
	cu.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(connect_timeout() * 1000));
	cu.easy_setopt(e, CURLOPT_USERAGENT, "feedpipe-enrich/" FEEDPIPE_VERSION);
	cu.easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	cu.easy_setopt(e, CURLOPT_NOPROGRESS, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	cu.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	cu.easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (cu.multi_add_handle(multi, e) != CURLM_OK)
		eprintf("curl_multi_add_handle failed");
	sl->easy = e;
	active[nactive] = sl;
	sl->state = S_ACTIVE;
	sl->attempts++;
	sl->started = now();
	nrequests++;
	nactive++;
}

/* Is a request for the same answer in flight? Then wait for it: the
 * answer will be in the cache. */
static int
same_in_flight(const struct slot *sl)
{
	long i;

	for (i = 0; i < nactive; i++)
		if (!memcmp(active[i]->key, sl->key, 40))
			return 1;
	return 0;
}

static void
start_requests(void)
{
	struct slot *sl;
	double t = now();
	size_t i;

	if (conn.dead && nactive)
		abandon_active();
	for (i = 0; i < count; i++) {
		sl = &win[(head + i) % nwin];
		if (sl->state != S_WAIT)
			continue;
		if (stopped) {
			sl->state = S_DONE;
			nskipped++;
			continue;
		}
		if (use_cache && same_in_flight(sl)) {
			sl->deferred = 1;
			continue;
		}
		if (sl->deferred) {
			sl->deferred = 0;
			if (cache_lookup(sl)) {
				sl->state = S_DONE;
				ncached++;
				continue;
			}
		}
		if (nactive >= jobs || sl->not_before > t || hold_until > t)
			continue;
		if (!budget_left()) {
			i = (size_t)-1;		/* again, to pass them all */
			continue;
		}
		start(sl);
	}
}

static void
fail(struct slot *sl, const char *reason)
{
	say(sl, "%s", reason);
	buf_reset(&sl->ai);
	sl->state = S_DONE;
	nfailed++;
	bad = 1;
}

static void
retry(struct slot *sl, const char *reason, double after)
{
	double d;

	if (sl->attempts > retries) {
		buf_reset(&tmp);
		buf_printf(&tmp, "%s (gave up after %d attempts)", reason,
		    sl->attempts);
		fail(sl, tmp.s);
		return;
	}
	if (after > MAX_RETRY_AFTER) {
		buf_reset(&tmp);
		buf_printf(&tmp, "%s (Retry-After %.0f s: too long to wait)",
		    reason, after);
		fail(sl, tmp.s);
		return;
	}
	if (after >= 0) {
		d = after;
	} else {
		d = retry_delay * (double)(1L << (sl->attempts - 1 < 20 ?
		    sl->attempts - 1 : 20));
		if (d > MAX_BACKOFF)
			d = MAX_BACKOFF;
		d = d / 2 + frand() * d / 2;
	}
	if (verbose)
		say(sl, "%s; again in %.2f s", reason, d);
	sl->not_before = now() + d;
	sl->state = S_WAIT;
}

/* The streak's messages, held until a request reaches the server or the
 * input ends: the records' failures were their own after all. */
static void
release_held(void)
{
	int i;

	for (i = 0; i < conn.streak; i++)
		say_at(conn.held[i].file, conn.held[i].lineno,
		    conn.held[i].text.s);
	conn.streak = 0;
}

/* A request reached the server, whatever it answered. */
static void
reached(void)
{
	if (!conn.dead)
		release_held();
}

/* A record given up on because its requests never reached the server. */
static void
give_up_unconnected(struct slot *sl, const char *reason)
{
	buf_reset(&sl->ai);
	sl->state = S_DONE;
	nfailed++;
	bad = 1;
	if (conn.dead) {
		conn.n++;
		return;
	}
	if (++conn.streak < CONN_STOP) {
		buf_reset(&conn.held[conn.streak - 1].text);
		buf_printf(&conn.held[conn.streak - 1].text, "%s: %s",
		    slot_id(sl), reason);
		conn.held[conn.streak - 1].file = sl->file;
		conn.held[conn.streak - 1].lineno = sl->lineno;
		return;
	}
	/* the held messages are dropped: one, at the end, says it for all */
	conn.dead = 1;
	conn.n = (unsigned long)conn.streak;
	conn.streak = 0;
	if (!stopped)
		stopped = "the endpoint cannot be reached";
}

/* A request that did not reach the server (why: how it failed) is tried
 * again fewer times than others: a refused connection fails in a moment,
 * and a server that is down stays down for a while. */
static void
retry_unconnected(struct slot *sl, const char *reason, const char *why)
{
	int limit = retries < CONN_RETRIES ? retries : CONN_RETRIES;

	buf_reset(&conn.why);
	buf_puts(&conn.why, why);
	if (sl->attempts <= limit) {
		retry(sl, reason, -1);
		return;
	}
	buf_reset(&tmp);
	buf_printf(&tmp, "%s (gave up after %d attempts)", reason,
	    sl->attempts);
	give_up_unconnected(sl, tmp.s);
}

/* The endpoint is down: the requests in flight are given up too. */
static void
abandon_active(void)
{
	struct slot *sl;

	while (nactive) {
		sl = active[--nactive];
		cu.multi_remove_handle(multi, sl->easy);
		cu.easy_cleanup(sl->easy);
		sl->easy = NULL;
		buf_reset(&sl->ai);
		sl->state = S_DONE;
		nfailed++;
		conn.n++;
	}
}

/* What an answer cost: as the server says, else a quarter of the bytes;
 * added to ntokens without overflow. */
static long
count_tokens(struct slot *sl, const struct llm_answer *a)
{
	long tok = a->tokens;

	if (a->note.len)
		say(sl, "%s", a->note.s);
	if (tok < 0 || tok > LLM_TOKENS_MAX)
		tok = (long)((sl->req.len + sl->resp.len) / 4);
	ntokens = ntokens > LONG_MAX - tok ? LONG_MAX : ntokens + tok;
	return tok;
}

/* "enrich: FILE:LINE: ID: field 'x': want a number, got a string", a
 * line each: the field is left out. */
static void
report_invalid(struct slot *sl, const struct buf *lines)
{
	const char *p = lines->s, *e;

	if (!lines->len)
		return;
	for (; (e = strchr(p, '\n')); p = e + 1)
		say(sl, "%.*s; left out", (int)(e - p), p);
	bad = 1;
}

static void
answered(struct slot *sl)
{
	struct llm_answer a;
	char err[512];
	long tok;
	int invalid;

	memset(&a, 0, sizeof(a));
	if (llm_parse_response(buf_str(&sl->resp), sl->resp.len, fields,
	    &secret, &a, err, sizeof(err))) {
		count_tokens(sl, &a);
		llm_answer_free(&a);
		retry(sl, err, -1);	/* another try may be better */
		return;
	}
	tok = count_tokens(sl, &a);
	if (!a.model.len)
		buf_puts(&a.model, model);
	buf_reset(&entry);
	llm_ai_object(&entry, lang, &a);
	invalid = a.invalid.len > 0;
	report_invalid(sl, &a.invalid);
	llm_answer_free(&a);
	if (use_cache && !invalid) {	/* a wrong answer is asked again */
		buf_putc(&entry, '\n');
		if (cache_put(cachedir, sl->key, entry.s, entry.len, err,
		    sizeof(err)) && !cache_warned++)
			weprintf("cache: %s", err);
		entry.s[--entry.len] = '\0';
	}
	set_ai(sl, entry.s, entry.len);
	sl->state = S_DONE;
	nasked++;
	if (verbose)
		say(sl, "answered in %.2f s, %ld tokens, attempt %d",
		    now() - sl->started, tok, sl->attempts);
}

/* CURLINFO_RETRY_AFTER is 0 both for "Retry-After: 0" and for none */
static int
retry_after_given(CURL *e)
{
	struct curl_header *h;
	curl_off_t ra = 0;

	if (cu.easy_header)
		return cu.easy_header(e, "Retry-After", 0, CURLH_HEADER, -1,
		    &h) == CURLHE_OK;
	return cu.easy_getinfo(e, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
	    ra > 0;
}

static double
connect_timeout(void)
{
	return timeout_s < 30 ? timeout_s : 30;
}

/* Did the request fail before it reached the server: no address, no
 * connection, or a timeout with nothing sent? Then 1, and why. */
static int
unconnected(CURL *e, CURLcode rc, struct buf *why)
{
	long sent = -1, oserr = 0;

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		break;
	case CURLE_OPERATION_TIMEDOUT:
		if (cu.easy_getinfo(e, CURLINFO_REQUEST_SIZE, &sent) !=
		    CURLE_OK || sent != 0)
			return 0;
		buf_printf(why, "no connection within %g s", connect_timeout());
		return 1;
	default:
		return 0;
	}
	/* "Connection refused" says more than "Couldn't connect to server" */
	if (cu.easy_getinfo(e, CURLINFO_OS_ERRNO, &oserr) == CURLE_OK &&
	    oserr > 0)
		buf_puts(why, strerror((int)oserr));
	else
		buf_puts(why, cu.easy_strerror(rc));
	return 1;
}

static void
complete(struct slot *sl, CURLcode rc)
{
	long status = 0, i;
	curl_off_t ra = -1;
	struct buf why = { 0 }, down = { 0 };
	int unconn;

	/* before anything reads, keeps, cuts or prints the answer */
	llm_scrub(&secret, &sl->resp);
	cu.easy_getinfo(sl->easy, CURLINFO_RESPONSE_CODE, &status);
	if (retry_after_given(sl->easy))
		cu.easy_getinfo(sl->easy, CURLINFO_RETRY_AFTER, &ra);
	unconn = rc != CURLE_OK && unconnected(sl->easy, rc, &down);
	cu.multi_remove_handle(multi, sl->easy);
	cu.easy_cleanup(sl->easy);
	sl->easy = NULL;
	for (i = 0; active[i] != sl; i++)
		;
	active[i] = active[--nactive];
	if (unconn) {
		buf_puts(&why, rc == CURLE_OPERATION_TIMEDOUT ? down.s :
		    sl->curlerr[0] ? sl->curlerr : cu.easy_strerror(rc));
		retry_unconnected(sl, why.s, down.s);
		buf_free(&why);
		buf_free(&down);
		return;
	}
	reached();
	if (rc != CURLE_OK) {
		if (rc == CURLE_OPERATION_TIMEDOUT)
			buf_printf(&why, "no answer within %g s", timeout_s);
		else if (rc == CURLE_WRITE_ERROR)
			buf_printf(&why, "the answer is longer than %d MB",
			    MAXBODY >> 20);
		else
			buf_puts(&why, sl->curlerr[0] ? sl->curlerr :
			    cu.easy_strerror(rc));
		if (rc == CURLE_WRITE_ERROR)
			fail(sl, why.s);
		else
			retry(sl, why.s, -1);
		buf_free(&why);
		return;
	}
	if (status >= 200 && status < 300) {
		answered(sl);
		return;
	}
	buf_printf(&why, "HTTP %ld: ", status);
	llm_error_text(&why, buf_str(&sl->resp), sl->resp.len, &secret);
	if ((status == 400 || status == 422) && sl->fmt != LLM_PROMPT_ONLY &&
	    llm_format_refused(buf_str(&sl->resp), sl->resp.len)) {
		/* not the record's fault: again, as the server wants it */
		if (sl->fmt == format) {
			format++;
			if (verbose)
				say(sl, "%s; asking for %s from now on", why.s,
				    format == LLM_JSON_MODE ? "JSON mode" :
				    "JSON by the prompt alone");
		}
		sl->attempts--;
		sl->state = S_WAIT;
		sl->not_before = 0;
	} else if (status == 429 || status == 408 || status >= 500) {
		if (status == 429 && ra > 0 && now() + (double)ra > hold_until)
			hold_until = now() + (double)ra;
		retry(sl, why.s, (double)ra);
	} else {
		fail(sl, why.s);
		if (status == 401 || status == 403 || status == 404)
			stop("%s", why.s);
	}
	buf_free(&why);
}

static void
perform(void)
{
	CURLMsg *m;
	struct slot *sl;
	int running, left;

	cu.multi_perform(multi, &running);
	while ((m = cu.multi_info_read(multi, &left)))
		if (m->msg == CURLMSG_DONE) {
			cu.easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &sl);
			complete(sl, m->data.result);
		}
}

/* The earliest time a waiting request may go, or 0 for none. */
static double
next_due(void)
{
	double t = 0, d;
	size_t i;
	struct slot *sl;

	for (i = 0; i < count; i++) {
		sl = &win[(head + i) % nwin];
		if (sl->state != S_WAIT || sl->deferred)
			continue;	/* a deferred one wakes with its twin */
		d = sl->not_before > hold_until ? sl->not_before : hold_until;
		if (!t || d < t)
			t = d;
	}
	return t;
}

/* Wait for input, the network or the next retry; read what came. */
static void
wait_events(void)
{
	struct curl_waitfd wfd = { 0, CURL_WAIT_POLLIN, 0 };
	struct pollfd pfd = { 0, POLLIN, 0 };
	double due = next_due(), t = now();
	int ready = want_input() && in.open && jsonl_fd_waiting(&in);
	int ms = 1000, want = want_input() && in.open && !in.eof && !ready;

	if (ready)
		ms = 0;
	else if (due && nactive < jobs)
		ms = due <= t ? 0 : (int)((due - t) * 1000) + 1;
	if (ms > 1000)
		ms = 1000;
	if (progress && ms > 200)
		ms = 200;
	fflush(stdout);
	check_stdout();
	wfd.fd = pfd.fd = in.fd;
	if (nactive)
		cu.multi_poll(multi, want ? &wfd : NULL, want ? 1 : 0, ms, NULL);
	else if (want && !due)
		(void)poll(&pfd, 1, -1);
	else
		(void)poll(want ? &pfd : NULL, want ? 1 : 0, ms);
	if (want && poll(&pfd, 1, 0) > 0)
		read_chunk();
	if (nactive)
		perform();
}

static void
run(void)
{
	for (;;) {
		fill();
		flush_head();
		if (input_done && !count)
			break;
		if (!dry_run)
			start_requests();
		flush_head();
		if (input_done && !count)
			break;
		if (want_input() && in.open && !nactive && !next_due()) {
			if (jsonl_fd_waiting(&in))
				continue;
			fflush(stdout);	/* what is done goes out before we block */
			check_stdout();
			read_chunk();
			continue;
		}
		wait_events();
	}
}

/* ---- setting up ----------------------------------------------------- */

static long
number(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi) {
		weprintf("%s %s: want a whole number from %ld to %ld", opt, s, lo,
		    hi);
		usage(stderr, EXIT_FATAL);
	}
	return v;
}

static double
seconds(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (*end || end == s || !(v > 0 && v <= 86400)) {
		weprintf("%s %s: want a number of seconds above 0", opt, s);
		usage(stderr, EXIT_FATAL);
	}
	return v;
}

static void
options(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "api-base", required_argument, NULL, 'a' },
		{ "model", required_argument, NULL, 'm' },
		{ "lang", required_argument, NULL, 'l' },
		{ "fields", required_argument, NULL, 'f' },
		{ "prompt", required_argument, NULL, OPT_PROMPT },
		{ "interest", required_argument, NULL, OPT_INTEREST },
		{ "interest-file", required_argument, NULL, OPT_INTEREST_FILE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "cache", required_argument, NULL, 'c' },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "max-requests", required_argument, NULL, OPT_MAX_REQUESTS },
		{ "max-tokens", required_argument, NULL, OPT_MAX_TOKENS },
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "retry-delay", required_argument, NULL, OPT_RETRY_DELAY },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char err[256];
	int c;

	while ((c = getopt_long(argc, argv, "a:m:l:f:j:c:t:nvhV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'a': api_base = optarg; break;
		case 'm': model = optarg; break;
		case 'l': lang = optarg; break;
		case 'f':
			if (llm_parse_fields(optarg, &fields, err, sizeof(err))) {
				weprintf("--fields %s: %s", optarg, err);
				usage(stderr, EXIT_FATAL);
			}
			fields_given = 1;
			break;
		case OPT_PROMPT: prompt_file = optarg; break;
		case OPT_INTEREST: interest = optarg; interest_file = NULL; break;
		case OPT_INTEREST_FILE:
			interest_file = optarg;
			interest = NULL;
			break;
		case 'j': jobs = (int)number("--jobs", optarg, 1, MAXJOBS); break;
		case 'c': cachedir = optarg; use_cache = 1; break;
		case OPT_NO_CACHE: use_cache = 0; break;
		case OPT_MAX_REQUESTS:
			max_requests = number("--max-requests", optarg, 0, LONG_MAX);
			break;
		case OPT_MAX_TOKENS:
			max_tokens = number("--max-tokens", optarg, 0, LONG_MAX);
			break;
		case 't': timeout_s = seconds("--timeout", optarg); break;
		case OPT_RETRIES:
			retries = (int)number("--retries", optarg, 0, 100);
			break;
		case OPT_RETRY_DELAY:
			retry_delay = seconds("--retry-delay", optarg);
			break;
		case 'n': dry_run = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'V': printf("enrich %s\n", FEEDPIPE_VERSION); exit(EXIT_OK);
		default: usage(stderr, EXIT_FATAL);
		}
	}
}

static const char *
env(const char *a, const char *b)
{
	const char *v = getenv(a);

	if ((!v || !*v) && b)
		v = getenv(b);
	return v && *v ? v : NULL;
}

/* --prompt and --interest: the reader's prompt, its fields asked
 * instead of the built-in ones unless --fields names some. */
static void
load_prompt(void)
{
	char err[512], *s;
	size_t n;

	if (prompt_file) {
		if (!(s = slurp(prompt_file, &n)))
			eprintf("%s:", prompt_file);
		if (prompt_load(&prompt, s, n, err, sizeof(err)))
			eprintf("%s:%s", prompt_file, err);
		free(s);
	}
	if (interest_file) {
		if (!(s = slurp(interest_file, &n)))
			eprintf("%s:", interest_file);
		if (prompt_interest(&prompt, s, err, sizeof(err)))
			eprintf("%s: no interests in it", interest_file);
		free(s);
	} else if (interest && prompt_interest(&prompt, interest, err,
	    sizeof(err))) {
		eprintf("%s", err);
	}
	if (!prompt_file && !interest && !interest_file)
		return;
	if (!fields_given)
		fields = 0;
	if (!fields && !prompt.nfields)
		eprintf("%s: declares no field, and --fields names none",
		    prompt_file);
	llm_use_prompt(&prompt);
}

static void
configure(void)
{
	const char *p, *var = "FEEDPIPE_API_KEY";
	char *k;
	size_t n;

	if (!model && !(model = env("FEEDPIPE_MODEL", NULL))) {
		weprintf("no model: give --model or set FEEDPIPE_MODEL");
		usage(stderr, EXIT_FATAL);
	}
	if (!*model || strpbrk(model, "\r\n"))
		eprintf("--model: not a model name");
	if (!llm_lang_ok(lang))
		eprintf("--lang %s: want a language tag such as zh or en", lang);
	if (!api_base && !(api_base = env("FEEDPIPE_API_BASE", "OPENAI_BASE_URL")))
		api_base = DEFAULT_BASE;
	if (strncmp(api_base, "http://", 7) && strncmp(api_base, "https://", 8))
		eprintf("%s: the API base must be an http:// or https:// URL",
		    api_base);
	n = strlen(api_base);
	while (n && api_base[n - 1] == '/')
		n--;
	buf_put(&url, api_base, n);
	if (n < 17 || strcmp(url.s + n - 17, "/chat/completions"))
		buf_puts(&url, "/chat/completions");
	if (!(p = env(var, NULL)))
		p = env(var = "OPENAI_API_KEY", NULL);
	if (p) {
		api_key = estrdup(p);
		/* one copy fewer in memory, and none in /proc/PID/environ */
		k = getenv(var);
		util_wipe(k, strlen(k));
		for (p = api_key; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				eprintf("%s holds a control character", var);
	}
	llm_secret_init(&secret, api_key);
	load_prompt();
	if (use_cache && !cachedir) {
		if (cache_default_dir(&defcache, "enrich")) {
			weprintf("no cache: give --cache or set XDG_CACHE_HOME "
			    "or HOME");
			use_cache = 0;
		}
		cachedir = defcache.s;
	}
}

static void
setup_curl(void)
{
	struct buf auth = { 0 };

	load_curl();
	if (cu.global_init(CURL_GLOBAL_DEFAULT))
		eprintf("curl_global_init failed");
	if (!(multi = cu.multi_init()))
		eprintf("curl_multi_init failed");
	cu.multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)jobs);
	headers = cu.slist_append(headers, "Content-Type: application/json");
	headers = cu.slist_append(headers, "Accept: application/json");
	headers = cu.slist_append(headers, "Expect:");
	if (api_key) {
		buf_printf(&auth, "Authorization: Bearer %s", api_key);
		headers = cu.slist_append(headers, auth.s);
		util_wipe(auth.s, auth.len);
		buf_free(&auth);
	}
	if (!headers)
		eprintf("curl_slist_append failed");
}

/* "enrich: HOST: cannot connect (why); N records passed through
 * unchanged": the host and port of the URL, without any user:password@ */
static void
say_dead(void)
{
	const char *p = strstr(url.s, "://") + 3, *end, *at;
	unsigned long n = conn.n + nskipped;

	end = p + strcspn(p, "/?#");
	for (at = end; at > p && at[-1] != '@'; at--)
		;
	buf_reset(&tmp);
	buf_put(&tmp, at, (size_t)(end - at));
	buf_printf(&tmp, ": cannot connect (%s); %lu record%s passed through "
	    "unchanged", conn.why.s, n, n == 1 ? "" : "s");
	weprintf("%s", scrub(tmp.s));
}

/* No core dump, no ptrace by others of our user: either would show the
 * key. */
static void
harden(void)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
#ifdef __linux__
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

/* The key's copies that are ours, zeroed. */
static void
forget_key(void)
{
	struct curl_slist *h;

	for (h = headers; h; h = h->next)
		util_wipe(h->data, strlen(h->data));
	if (api_key)
		util_wipe(api_key, strlen(api_key));
	free(api_key);
	llm_secret_free(&secret);
}

int
main(int argc, char *argv[])
{
	static char outbuf[1 << 16], dash[] = "-", *stdin_only[] = { dash };
	size_t i;

	harden();
	setprogname(argv[0]);
	options(argc, argv);
	configure();
	rnd = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
	    0x9e3779b97f4a7c15ULL;
	nwin = (size_t)jobs * 32 < 128 ? 128 : (size_t)jobs * 32;
	win = ecalloc(nwin, sizeof(*win));
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	progress = !dry_run && !verbose && isatty(2);
	files = argv + optind;
	nfiles = argc - optind;
	if (!nfiles) {
		files = stdin_only;
		nfiles = 1;
	}
	run();
	release_held();		/* a streak too short to stop the run */
	if (progress) {
		show_progress(1);
		fputc('\n', stderr);
	}
	if (conn.dead) {
		say_dead();
		bad = 1;
	} else if (nskipped) {
		weprintf("%lu record%s passed through without a request: %s",
		    nskipped, nskipped == 1 ? "" : "s", stopped ? stopped : "");
		bad = 1;
	}
	if (verbose)
		weprintf("%lu records: %lu already had ai, %lu from the cache, "
		    "%lu asked, %lu failed, %lu not asked; %ld requests, %ld "
		    "tokens", nread, nhad, ncached, nasked, nfailed, nskipped,
		    nrequests, ntokens);
	if (multi) {
		cu.multi_cleanup(multi);
		forget_key();
		cu.slist_free_all(headers);
		cu.global_cleanup();
	} else {
		forget_key();
	}
	for (i = 0; i < nwin; i++) {
		buf_free(&win[i].line);
		buf_free(&win[i].id);
		buf_free(&win[i].title);
		buf_free(&win[i].summary);
		buf_free(&win[i].oldai);
		buf_free(&win[i].ai);
		buf_free(&win[i].req);
		buf_free(&win[i].resp);
	}
	free(win);
	jsonl_fd_free(&in);
	buf_free(&tmp);
	buf_free(&msg);
	buf_free(&keybuf);
	buf_free(&entry);
	buf_free(&url);
	buf_free(&defcache);
	buf_free(&stopwhy);
	buf_free(&conn.why);
	for (i = 0; i < CONN_STOP - 1; i++)
		buf_free(&conn.held[i].text);
	if (fshut(stdout, "<stdout>"))
		return EXIT_FATAL;
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
