/* feed2jsonl: RSS, Atom and JSON Feed documents to feedpipe records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "feed.h"
#include "util.h"

static const char *source;
static int keep_html;
static int channel_only;

struct run {
	const char *name;	/* input, for messages */
	struct buf out;
	struct record_opts opts;
};

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: %s [-ck] [-s name] [file ...]\n"
	        "  -s, --source NAME  set feed.name in every record\n"
	        "  -k, --keep-html    also write summary_html, the description as given\n"
	        "  -c, --channel      print one object per feed instead of its items\n"
	        "  -h, --help         show this help\n"
	        "  -V, --version      show the version\n", argv0);
	exit(status);
}

static void
emit(struct buf *out)
{
	if (fwrite(out->s, 1, out->len, stdout) != out->len)
		eprintf("<stdout>: write error:");
	buf_reset(out);
}

static void
on_item(void *arg, struct item *it, const struct channel *ch)
{
	struct run *run = arg;

	if (channel_only)
		return;
	item_to_record(&run->out, it, ch, &run->opts);
	emit(&run->out);
}

static void
on_error(void *arg, unsigned long line, const char *msg)
{
	const struct run *run = arg;

	if (line)
		wlineprintf(run->name, line, "%s", msg);
	else
		weprintf("%s: %s", run->name, msg);
}

static int
convert(const char *path)
{
	struct channel ch;
	struct run run;
	struct feed_callbacks cb = { on_item, on_error, &run };
	FILE *fp = open_input(path);
	int problems;

	if (!fp) {
		weprintf("%s:", input_name(path));
		return 1;
	}
	memset(&ch, 0, sizeof ch);
	memset(&run, 0, sizeof run);
	run.name = input_name(path);
	run.opts.source = source;
	run.opts.keep_html = keep_html;
	problems = feed_parse(fp, &ch, &cb);
	if (channel_only) {
		channel_to_json(&run.out, &ch);
		emit(&run.out);
	}
	check_stdout();
	if (fp != stdin)
		fclose(fp);
	buf_free(&run.out);
	channel_free(&ch);
	return problems != 0;
}

/* The options, all checked; the inputs start at argv[optind]. */
static void
options(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "keep-html", no_argument, NULL, 'k' },
		{ "channel", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "s:kchV", longopts, NULL)) != -1) {
		switch (c) {
		case 's': source = optarg; break;
		case 'k': keep_html = 1; break;
		case 'c': channel_only = 1; break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'V': printf("feed2jsonl %s\n", FEEDPIPE_VERSION); exit(EXIT_OK);
		default: usage(stderr, EXIT_FATAL);
		}
	}
}

int
main(int argc, char *argv[])
{
	static char outbuf[1 << 16];
	int i, bad = 0;

	setprogname(argv[0]);
	options(argc, argv);
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	feed_init();
	for (i = optind; i < argc || i == optind; i++)
		bad |= convert(i < argc ? argv[i] : "-");
	record_cleanup();
	if (fshut(stdout, "<stdout>"))
		return EXIT_FATAL;
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
