/* enrich.h: what the modules of enrich share (a section per module).
 *
 *   main.c     options, settings, the key, the end of the run
 *   win.c      messages; records read into a bounded window, answered from
 *              the cache or marked for a request, written in input order
 *   request.c  libcurl (loaded on first use) and the requests: start,
 *              retry, give up, read the answer
 *   llm.c      the request body and the reading of answers (llm.h)
 *   prompt.c   the reader's own prompt (prompt.h)
 *   cache.c    answers on disk (cache.h)
 *   secret.c   the API key kept out of everything an answer gives
 *              (secret.h)
 */
#ifndef FEEDPIPE_ENRICH_H
#define FEEDPIPE_ENRICH_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "buf.h"
#include "jsonl.h"
#include "rec.h"
#include "llm.h"
#include "prompt.h"

enum {
	MAXJOBS = 256,
	MAXBODY = 8 << 20,	/* an answer bigger than this is not one */
};
#define MAX_BACKOFF 60.0
#define MAX_RETRY_AFTER 600.0	/* longer: give up rather than wait */
#define CONN_RETRIES 2	/* at most, for a request that cannot connect */
#define CONN_STOP 3	/* requests in a row that could not connect: stop */

/* options and settings */
extern const char *model, *lang, *cachedir;
extern char *api_key;		/* our copy; the environment's is wiped */
extern struct secret secret;	/* what is scrubbed out of answers */
extern unsigned fields;
extern struct prompt prompt;	/* the reader's own, if any */
extern int jobs, retries, dry_run, verbose, use_cache;
extern double timeout_s, retry_delay;
extern long max_requests, max_tokens;
extern struct buf url;

/* the run */
extern CURLM *multi;
extern struct curl_slist *headers;
extern enum llm_format format;
extern long nrequests, ntokens;
extern unsigned long nread, ncached, nhad, nasked, nfailed, nskipped;
extern const char *stopped;	/* why no more requests go out */
extern struct buf stopwhy;
extern int bad, progress, cache_warned;
extern uint64_t rnd;

/* Requests that gave up without ever reaching the server. Fewer than
 * CONN_STOP in a row are reported each, as any failure; CONN_STOP in a
 * row mean the endpoint is down: no more requests, one message. */
struct conn {
	int streak;		/* in a row, the last one now */
	int dead;		/* CONN_STOP reached */
	unsigned long n;	/* records passed through for it */
	struct buf why;		/* the last reason */
	struct {		/* the streak's messages, until we know */
		const char *file;
		unsigned long lineno;
		struct buf text;
	} held[CONN_STOP - 1];
};
extern struct conn conn;

enum { S_FREE, S_WAIT, S_ACTIVE, S_DONE };

struct slot {
	int state;
	struct buf line;	/* the record as read */
	struct rec rec;		/* read from line */
	const char *file;
	unsigned long lineno;
	struct buf id, title, summary;
	struct buf oldai;	/* an ai object of the same language, to merge */
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

extern struct slot *win;
extern size_t nwin, head, count;

/* input: lines read with read(2), so that waiting for input and for the
 * network is one poll */
extern struct jsonl_fd in;
extern char **files;
extern int nfiles, input_done;

extern struct buf tmp, msg, keybuf, entry;













/* libcurl, loaded when the first request is due (request.c) */

struct curlfns {
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
};
extern struct curlfns cu;

/* ---- win.c ---- */

double win_now(void);
/* s with the key scrubbed and control characters made spaces */
const char *win_scrub(const char *s);
const char *win_slot_id(const struct slot *sl);
/* "enrich: FILE:LINE: s" */
void win_say_at(const char *file, unsigned long lineno, const char *s);
/* "enrich: FILE:LINE: ID: what" */
void win_say(const struct slot *sl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* No more requests, said once. */
void win_stop(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void win_progress(int force);
void win_read(void);
int win_want_input(void);
void win_set_ai(struct slot *sl, const char *s, size_t n);
int win_cache_lookup(struct slot *sl);
int win_budget_left(void);
void win_flush(void);
void win_fill(void);

/* ---- request.c ---- */

/* Read, ask and write until every record is out. */
void request_run(void);
/* Say the failures of a streak too short to stop the run. */
void request_release_held(void);
void request_say_dead(void);
/* The key's copies in the headers wiped; libcurl shut down. */
void request_cleanup(void);

#endif
