/* enrich: add an ai object (a translated title, a TL;DR, a structured
 * summary) to each record, written by a language model behind any
 * OpenAI-compatible chat-completions endpoint. Many requests at once
 * (libcurl's multi interface), answers cached on disk, records out in
 * input order through a bounded window; a record whose request fails
 * passes through unchanged. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "cache.h"
#include "enrich.h"
#include "util.h"

enum {
	OPT_API_BASE = 256, OPT_MODEL, OPT_LANG, OPT_FIELDS, OPT_CACHE,
	OPT_NO_CACHE, OPT_DRY_RUN, OPT_TIMEOUT, OPT_RETRIES, OPT_RETRY_DELAY,
	OPT_MAX_REQUESTS, OPT_MAX_TOKENS, OPT_PROMPT, OPT_INTEREST,
	OPT_INTEREST_FILE,
};
#define DEFAULT_BASE "https://api.openai.com/v1"

/* settings and the run, shared by the modules (enrich.h) */
static const char *api_base;
const char *model, *lang = "zh", *cachedir;
char *api_key;		/* our copy; the environment's is wiped */
struct secret secret;	/* what is scrubbed out of answers */
unsigned fields = LLM_ALL;
static int fields_given;
static const char *prompt_file, *interest, *interest_file;
struct prompt prompt;	/* the reader's own, if any */
int jobs = 4, retries = 4, dry_run, verbose, use_cache = 1;
double timeout_s = 120, retry_delay = 1;
long max_requests = -1, max_tokens = -1;
struct buf url;
static struct buf defcache;
CURLM *multi;
struct curl_slist *headers;
enum llm_format format = LLM_SCHEMA;
long nrequests, ntokens;
unsigned long nread, ncached, nhad, nasked, nfailed, nskipped;
const char *stopped;	/* why no more requests go out */
struct buf stopwhy;
int bad, progress, cache_warned;
uint64_t rnd;
struct slot *win;
size_t nwin, head, count;
struct jsonl_fd in;
char **files;
int nfiles, input_done;
struct buf tmp, msg, keybuf, entry;

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
	secret_init(&secret, api_key);
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

/* The key's copies that are ours, zeroed (the headers' copy:
 * request_cleanup). */
static void
forget_key(void)
{
	if (api_key)
		util_wipe(api_key, strlen(api_key));
	free(api_key);
	secret_free(&secret);
}

/* What the run comes to, on stderr: a streak of failures, a dead
 * endpoint, what was not asked, the counts with -v. */
static void
say_outcome(void)
{
	request_release_held();		/* a streak too short to stop the run */
	if (progress) {
		win_progress(1);
		fputc('\n', stderr);
	}
	if (conn.dead) {
		request_say_dead();
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
}

/* Everything freed: valgrind and the sanitizers see no leak. */
static void
free_all(void)
{
	size_t i;

	for (i = 0; i < nwin; i++) {
		buf_free(&win[i].line);
		buf_free(&win[i].id);
		buf_free(&win[i].title);
		buf_free(&win[i].summary);
		buf_free(&win[i].oldai);
		buf_free(&win[i].ai);
		rec_free(&win[i].rec);
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
	prompt_free(&prompt);
}

int
main(int argc, char *argv[])
{
	static char outbuf[1 << 16], dash[] = "-", *stdin_only[] = { dash };

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
	request_run();
	say_outcome();
	request_cleanup();
	forget_key();
	free_all();
	if (fshut(stdout, "<stdout>"))
		return EXIT_FATAL;
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
