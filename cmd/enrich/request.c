/* request.c: libcurl, loaded when the first request is due (a run served
 * from the cache, or --dry-run, does not pay for its forty shared
 * libraries), and the requests: started, retried, given up, answered. */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "enrich.h"
#include "util.h"

struct curlfns cu;
struct conn conn;
static long nactive;
static double hold_until;	/* a 429 asked for a pause of every request */
static struct slot *active[MAXJOBS];	/* the requests in flight */

static void setup_curl(void);
static void abandon_active(void);
static double connect_timeout(void);

static double
frand(void)
{
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return (double)(rnd >> 11) / 9007199254740992.0;
}

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
	sl->started = win_now();
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
	double t = win_now();
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
			if (win_cache_lookup(sl)) {
				sl->state = S_DONE;
				ncached++;
				continue;
			}
		}
		if (nactive >= jobs || sl->not_before > t || hold_until > t)
			continue;
		if (!win_budget_left()) {
			i = (size_t)-1;		/* again, to pass them all */
			continue;
		}
		start(sl);
	}
}

static void
fail(struct slot *sl, const char *reason)
{
	win_say(sl, "%s", reason);
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
		win_say(sl, "%s; again in %.2f s", reason, d);
	sl->not_before = win_now() + d;
	sl->state = S_WAIT;
}

/* The streak's messages, held until a request reaches the server or the
 * input ends: the records' failures were their own after all. */
void
request_release_held(void)
{
	int i;

	for (i = 0; i < conn.streak; i++)
		win_say_at(conn.held[i].file, conn.held[i].lineno,
		    conn.held[i].text.s);
	conn.streak = 0;
}

/* A request reached the server, whatever it answered. */
static void
reached(void)
{
	if (!conn.dead)
		request_release_held();
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
		    win_slot_id(sl), reason);
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
		win_say(sl, "%s", a->note.s);
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
		win_say(sl, "%.*s; left out", (int)(e - p), p);
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
	win_set_ai(sl, entry.s, entry.len);
	sl->state = S_DONE;
	nasked++;
	if (verbose)
		win_say(sl, "answered in %.2f s, %ld tokens, attempt %d",
		    win_now() - sl->started, tok, sl->attempts);
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
	secret_scrub(&secret, &sl->resp);
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
				win_say(sl, "%s; asking for %s from now on", why.s,
				    format == LLM_JSON_MODE ? "JSON mode" :
				    "JSON by the prompt alone");
		}
		sl->attempts--;
		sl->state = S_WAIT;
		sl->not_before = 0;
	} else if (status == 429 || status == 408 || status >= 500) {
		if (status == 429 && ra > 0 && win_now() + (double)ra > hold_until)
			hold_until = win_now() + (double)ra;
		retry(sl, why.s, (double)ra);
	} else {
		fail(sl, why.s);
		if (status == 401 || status == 403 || status == 404)
			win_stop("%s", why.s);
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
	double due = next_due(), t = win_now();
	int ready = win_want_input() && in.open && jsonl_fd_waiting(&in);
	int ms = 1000, want = win_want_input() && in.open && !in.eof && !ready;

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
		win_read();
	if (nactive)
		perform();
}

void
request_run(void)
{
	for (;;) {
		win_fill();
		win_flush();
		if (input_done && !count)
			break;
		if (!dry_run)
			start_requests();
		win_flush();
		if (input_done && !count)
			break;
		if (win_want_input() && in.open && !nactive && !next_due()) {
			if (jsonl_fd_waiting(&in))
				continue;
			fflush(stdout);	/* what is done goes out before we block */
			check_stdout();
			win_read();
			continue;
		}
		wait_events();
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
void
request_say_dead(void)
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
	weprintf("%s", win_scrub(tmp.s));
}

void
request_cleanup(void)
{
	struct curl_slist *h;

	if (!multi)
		return;
	cu.multi_cleanup(multi);
	for (h = headers; h; h = h->next)
		util_wipe(h->data, strlen(h->data));
	cu.slist_free_all(headers);
	cu.global_cleanup();
}
