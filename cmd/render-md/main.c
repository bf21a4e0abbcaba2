/* render-md: feedpipe records to a Markdown digest, through a Mustache
 * template over a view of the records: a built-in layout or the user's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fields.h"
#include "group.h"
#include "jsonl.h"
#include "jw.h"
#include "layouts.h"
#include "md.h"
#include "mst.h"
#include "page.h"
#include "path.h"
#include "rec.h"
#include "text.h"
#include "util.h"
#include "view.h"

enum { OPT_VIEW = 256, OPT_HEAD, OPT_MARKDOWN, OPT_SUBJECT, OPT_FROM, OPT_TO };

static const char *layout = "list";
static const char *tplfile;
static const char *title, *date;
static int autolink;		/* list layout: Link: <URL> */
static const char *format = "md";	/* md, html or mail */
static const char *headfile, *mdfile;
static struct mail mail;
static char **order;
static size_t norder;
static int dumpview;

/* what the template uses */
struct fields {
	char **name;		/* the record fields to build */
	size_t n;
	int all;		/* or all of them */
};
static struct fields need;	/* for the view */
static struct fields gneed;	/* for the group */
static int want_groups, streaming;
static unsigned view_what;	/* VIEW_AUTHORS, VIEW_AUTHORS_TEXT */

/* Without streaming, records are kept as text until they are rendered
 * (their views made then, one at a time): the lists of the view hold
 * stubs, {STUB: index}, that stand for them. */
#define STUB "\001record"
struct kept {
	const char *s;
	size_t len;
	json_t *group;		/* its group (borrowed) */
	json_int_t n;
	int slow;		/* jscan cannot read it: use jansson */
};
static struct kept *kept;
static size_t nkept, capkept;
static struct arena texts;	/* where the text is kept */

static int bad;
static size_t nrecords;
static struct group_set groups;

/* the view, and where it goes */
static json_t *root, *records;
static struct mst_lazy lazy;
static struct mst_stream *stream;	/* streaming: the rendering under way */
static char err[512];			/* its message */
static struct mdout md;
static FILE *mdout;		/* html and mail: the Markdown, made first */
static char *mdtext;
static size_t mdlen;
static struct buf pathbuf;

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: %s [-l toc|list | -t template] [-g path]... [-o group,...] "
	    "[-a] [-f md|html|mail] [-T title] [-d date] [file ...]\n"
	    "  -l, --layout NAME     built-in layout: list (default) or toc\n"
	    "  -t, --template FILE   a Mustache template instead (partials beside it)\n"
	    "  -g, --group-by PATH   group by this field; repeat for fallbacks\n"
	    "                        (default .arxiv.primary, .feed.name, .feed.title;\n"
	    "                        then \"Other\")\n"
	    "  -o, --order A,B,...   these groups first, in this order\n"
	    "  -a, --autolink        list layout: write Link: <URL>, a link in any\n"
	    "                        CommonMark (default: the seed's bare URL)\n"
	    "  -T, --title TEXT      the digest's title\n"
	    "  -d, --date DATE       the digest's date\n"
	    "  -f, --format FMT      md (default), html (a standalone page) or mail\n"
	    "                        (a MIME message with both, for sendmail -t)\n"
	    "      --head FILE       html: these lines into the page's <head>\n"
	    "                        (a MathJax or KaTeX script); lifts the page's\n"
	    "                        no-script policy\n"
	    "      --markdown FILE   html, mail: convert this Markdown (render-md's\n"
	    "                        own output, e.g. a composed digest) instead\n"
	    "      --subject TEXT    mail: the subject (default: the page title)\n"
	    "      --from ADDR, --to ADDR  mail: those headers (default: none)\n"
	    "      --view            print the view the template sees, as JSON\n"
	    "  -h, --help            show this help\n"
	    "  -V, --version         show the version\n", argv0);
	exit(status);
}

/* ---- the template ---- */

static const char *
builtin(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof layouts / sizeof *layouts; i++)
		if (!strcmp(layouts[i].name, name))
			return layouts[i].src;
	return NULL;
}

/* Partials: NAME.mustache beside the template, else a built-in one. */
static char *
load_partial(void *arg, const char *name, size_t *len, const char **path)
{
	const char *dir = arg, *src, *p;
	char *s;

	for (p = name; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789._-", *p))
			break;
	if (dir && !*p && *name != '.') {
		buf_reset(&pathbuf);
		buf_printf(&pathbuf, "%s%s.mustache", dir, name);
		if ((s = slurp(pathbuf.s, len))) {
			*path = pathbuf.s;
			return s;
		}
	}
	if (!(src = builtin(name)))
		return NULL;
	*len = strlen(src);
	*path = name;
	return estrdup(src);
}

static void
add_field(struct fields *f, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strlen(f->name[i]) == n && !strncmp(f->name[i], name, n))
			return;
	f->name = erealloc(f->name, (f->n + 1) * sizeof *f->name);
	f->name[f->n++] = estrndup(name, n);
}

static void
free_fields(struct fields *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->name[i]);
	free(f->name);
}

/* The first key of a path, or all fields. */
static void
need_path(struct fields *f, const struct path *p)
{
	const char *s = path_text(p), *e;

	if (*s == '.')
		s++;
	for (e = s; *e && *e != '.' && *e != '[' && *e != '"'; e++)
		;
	if (e == s || *e == '"')
		f->all = 1;
	else
		add_field(f, s, (size_t)(e - s));
}

struct uses {
	int top_records, other_records, needs_all_records;
};

static void
visit(void *arg, int kind, const char *name, int depth, int inpartial)
{
	static const char *const derived[][3] = {
		{ "title", "title", NULL }, { "link", "link", NULL },
		{ "authors", "authors", NULL }, { "authors_text", "authors", NULL },
		{ "category", F_ARXIV, F_CATEGORIES },
		{ "has_details", F_AI, F_SUMMARY },
	};
	struct uses *u = arg;
	const char *e;
	size_t n, i;

	if (kind == '>' || !strcmp(name, ".") || *name == '@')
		return;
	if (*name == '.')
		name++;
	for (e = name; *e && *e != '.'; e++)
		;
	n = (size_t)(e - name);
#define IS(s) (n == strlen(s) && !strncmp(name, (s), n))
	if (IS("records")) {
		if (kind == '#' && depth == 0 && !inpartial)
			u->top_records++;
		else
			u->other_records++;
	}
	if (IS("groups") || IS("ngroups") || IS("count") || IS("n"))
		u->needs_all_records = 1;
	if (IS("groups") || IS("ngroups") || IS("group") || IS("anchor") || IS("n"))
		want_groups = 1;
	if (IS("authors"))
		view_what |= VIEW_AUTHORS;
	if (IS("authors_text"))
		view_what |= VIEW_AUTHORS_TEXT;
	for (i = 0; i < sizeof derived / sizeof *derived; i++) {
		if (IS(derived[i][0])) {
			add_field(&need, derived[i][1], strlen(derived[i][1]));
			if (derived[i][2])
				add_field(&need, derived[i][2], strlen(derived[i][2]));
			return;
		}
	}
#undef IS
	add_field(&need, name, n);
}

/* ---- records to views ---- */

static struct rec line_rec;	/* the line being read */

/* The record s[0..n) as an object with the fields f asks for (or more),
 * or NULL and a message if it is bad. flags: REC_TRUSTED for a line jscan
 * read before, REC_PARSE for one it could not; slow (may be NULL): whether
 * jscan could not, and jansson read it. */
static json_t *
parse_record(const char *s, size_t n, const char *name, unsigned long lineno,
    const struct fields *f, int flags, int *slow)
{
	char msg[256];

	if (rec_read(&line_rec, s, n, flags, msg, sizeof msg)) {
		wlineprintf(name, lineno, "%s", msg);
		return NULL;
	}
	if (slow)
		*slow = line_rec.tree != NULL;
	if (line_rec.tree)
		return jsonl_as_text(json_incref(line_rec.tree));
	if (f->all)
		return json_incref(rec_tree(&line_rec));
	return rec_pick(&line_rec, (const char *const *)f->name, f->n);
}

/* Keep the line in; its index. */
static size_t
keep(const struct jsonl *in, int slow)
{
	struct kept *k;

	if (nkept == capkept) {
		capkept = capkept ? 2 * capkept : 1024;
		kept = erealloc(kept, capkept * sizeof *kept);
	}
	k = &kept[nkept];
	k->s = arena_copy(&texts, in->line, in->len);
	k->len = in->len;
	k->group = NULL;
	k->n = 0;
	k->slow = slow;
	return nkept++;
}

/* ---- reading ---- */

/* Streaming: a write error ends the run before more is read. */
static void
check_output(void)
{
	if (md.error) {
		errno = md.error;
		eprintf("<stdout>: write error:");
	}
}

/* Without streaming, a stub that stands for the record in: the record is
 * looked at for its group only. NULL if it is bad. */
static json_t *
stub(const struct jsonl *in, json_t **group)
{
	json_t *rec;
	size_t i;
	int slow;

	if (!(rec = parse_record(in->line, in->len, in->name, in->lineno,
	    &gneed, 0, &slow)))
		return NULL;
	*group = want_groups ? group_find(&groups, rec) : NULL;
	json_decref(rec);
	i = keep(in, slow);
	kept[i].group = *group;
	return json_pack("{sI}", STUB, (json_int_t)i);
}

/* The record in's view, or NULL if it is bad. */
static json_t *
view(const struct jsonl *in, json_t **group)
{
	json_t *rec;

	if (!(rec = parse_record(in->line, in->len, in->name, in->lineno,
	    &need, 0, NULL)))
		return NULL;
	if ((*group = want_groups ? group_find(&groups, rec) : NULL))
		group_label(rec, *group);
	view_derive(rec, view_what);
	return rec;
}

/* One line of the input: its record rendered now (streaming), or kept. */
static int
read_record(struct jsonl *in, void *arg)
{
	json_t *rec, *g;

	(void)arg;
	check_output();
	if (!(rec = !streaming && !dumpview ? stub(in, &g) : view(in, &g)))
		return 1;
	nrecords++;
	if (streaming) {
		if (mst_stream_item(stream, rec))
			eprintf("%s", err);
		return 0;
	}
	if (g)
		json_array_append(json_object_get(g, "records"), rec);
	json_array_append_new(records, rec);
	return 0;
}

/* The view of a stub, when it is rendered. */
static json_t *
expand(void *arg, json_t *item)
{
	json_t *v = json_object_get(item, STUB), *rec;
	struct kept *k;

	(void)arg;
	if (!v)
		return NULL;
	k = &kept[json_integer_value(v)];
	rec = parse_record(k->s, k->len, "", 0, &need,
	    k->slow ? REC_PARSE : REC_TRUSTED, NULL);
	if (k->group) {
		group_label(rec, k->group);
		json_object_set_new_nocheck(rec, "n", json_integer(k->n));
	}
	view_derive(rec, view_what);
	return rec;
}

/* ---- output ---- */

static void
sink_text(void *arg, const char *s, size_t n)
{
	md_text(arg, s, n);
}

static void
sink_value(void *arg, const char *s, size_t n, int raw)
{
	md_value(arg, s, n, raw);
}

static void
warn(void *arg, const char *msg)
{
	weprintf("%s: %s", (const char *)arg, msg);
}

/* ---- --format html and mail ---- */

/* The Markdown text[0..n) as the page or the message --format asks for, on
 * stdout (the mail headers were checked with the options). */
static void
write_formatted(const char *text, size_t n, const char *pagetitle)
{
	struct buf html = { NULL, 0, 0 }, heading = { NULL, 0, 0 };
	struct page pg = { pagetitle, NULL, 0, &heading };
	char *head = NULL;

	if (headfile && !(head = slurp(headfile, &pg.headlen)))
		eprintf("%s:", headfile);
	pg.head = head;
	page_html(&html, text, n, &pg);
	if (!strcmp(format, "html")) {
		fwrite(html.s, 1, html.len, stdout);
	} else {
		/* the subject: the page's own title, found once */
		if (!mail.subject)
			mail.subject = heading.len ? heading.s : "Digest";
		mail_write(stdout, &mail, text, n, html.s, html.len);
	}
	buf_free(&html);
	buf_free(&heading);
	free(head);
}

/* --markdown FILE: a Markdown file render-md wrote, as a page or a message */
static int
convert_markdown(const char *path)
{
	static char outbuf[1 << 16];
	size_t n;
	char *text;

	if (!(text = slurp(path, &n)))
		eprintf("%s:", path);
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	write_formatted(text, n, title);
	free(text);
	return fshut(stdout, "<stdout>") ? EXIT_FATAL : EXIT_OK;
}

/* What the options cannot be together; the default --group-by paths. */
static void
check_options(int argc)
{
	static const char *const defaults[] = { ".arxiv.primary", ".feed.name", ".feed.title" };

	if (strcmp(format, "md") && strcmp(format, "html") && strcmp(format, "mail"))
		eprintf("--format %s: unknown (md, html or mail)", format);
	if (!mail_ok(&mail))
		eprintf("--from, --to, --subject: no line breaks or control characters");
	if (mdfile && !strcmp(format, "md"))
		eprintf("--markdown: only with --format html or mail");
	if (mdfile && (optind < argc || tplfile || dumpview))
		eprintf("--markdown: no records, template or --view with it");
	if (!groups.nby)
		for (; groups.nby < sizeof defaults / sizeof *defaults; groups.nby++)
			groups.by[groups.nby] = path_parse(defaults[groups.nby], NULL, 0);
}

static const struct option longopts[] = {
	{ "layout", required_argument, NULL, 'l' },
	{ "template", required_argument, NULL, 't' },
	{ "group-by", required_argument, NULL, 'g' },
	{ "order", required_argument, NULL, 'o' },
	{ "autolink", no_argument, NULL, 'a' },
	{ "title", required_argument, NULL, 'T' },
	{ "date", required_argument, NULL, 'd' },
	{ "view", no_argument, NULL, OPT_VIEW },
	{ "format", required_argument, NULL, 'f' },
	{ "head", required_argument, NULL, OPT_HEAD },
	{ "markdown", required_argument, NULL, OPT_MARKDOWN },
	{ "subject", required_argument, NULL, OPT_SUBJECT },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void
options(int argc, char *argv[])
{
	char msg[512];
	int c;

	while ((c = getopt_long(argc, argv, "l:t:g:o:af:T:d:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': layout = optarg; break;
		case 't': tplfile = optarg; break;
		case 'g':
			if (groups.nby == GROUP_MAXPATHS)
				eprintf("more than %d --group-by paths", GROUP_MAXPATHS);
			if (!(groups.by[groups.nby++] = path_parse(optarg, msg, sizeof msg)))
				eprintf("--group-by %s: %s", optarg, msg);
			break;
		case 'o': split_list(&order, &norder, optarg); break;
		case 'a': autolink = 1; break;
		case 'T': title = optarg; break;
		case 'd': date = optarg; break;
		case OPT_VIEW: dumpview = 1; break;
		case 'f': format = optarg; break;
		case OPT_HEAD: headfile = optarg; break;
		case OPT_MARKDOWN: mdfile = optarg; break;
		case OPT_SUBJECT: mail.subject = optarg; break;
		case OPT_FROM: mail.from = optarg; break;
		case OPT_TO: mail.to = optarg; break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'V': printf("render-md %s\n", FEEDPIPE_VERSION); exit(EXIT_OK);
		default: usage(stderr, EXIT_FATAL);
		}
	}
	check_options(argc);
}

/* The template: a built-in layout or the user's file, compiled, its
 * partials from beside it. */
struct template {
	struct mst_lib *lib;
	struct mst *tpl;
	const char *name;
	char *src, *dir;	/* the file's text and directory, if a file */
};

static void
load_template(struct template *t)
{
	const char *src, *slash;
	size_t len;

	t->src = t->dir = NULL;
	if (tplfile) {
		if (!(t->src = slurp(tplfile, &len)))
			eprintf("%s:", tplfile);
		src = t->src;
		t->name = tplfile;
		slash = strrchr(tplfile, '/');
		t->dir = slash ? estrndup(tplfile, (size_t)(slash - tplfile) + 1) : estrdup("");
	} else {
		if (strcmp(layout, "toc") && strcmp(layout, "list"))
			eprintf("--layout %s: unknown (toc or list)", layout);
		src = builtin(layout);
		len = strlen(src);
		t->name = layout;
	}
	t->lib = mst_lib_new(load_partial, t->dir);
	if (!(t->tpl = mst_compile(src, len, t->name, NULL, err, sizeof err)))
		eprintf("%s", err);
}

/* What the template uses decides what is read and kept of each record. */
static void
plan_reading(struct template *t)
{
	struct uses uses = { 0, 0, 0 };
	size_t i;

	if (mst_walk(t->lib, t->tpl, visit, &uses, err, sizeof err))
		eprintf("%s", err);
	if (dumpview) {
		need.all = want_groups = 1;
		view_what = VIEW_AUTHORS | VIEW_AUTHORS_TEXT;
	}
	streaming = !dumpview && uses.top_records == 1 && !uses.other_records &&
	    !uses.needs_all_records;
	/* a stub's group is found on the first reading, the others' on the view */
	for (i = 0; want_groups && i < groups.nby; i++)
		need_path(streaming || dumpview ? &need : &gneed, groups.by[i]);
}

/* The groups in their order, and the records numbered in it. */
static void
finish_groups(void)
{
	json_t *sorted = group_sorted(&groups, order, norder), *g, *recs, *r, *v;
	json_int_t n = 1;
	size_t i, j;

	json_array_foreach(sorted, i, g) {
		recs = json_object_get(g, "records");
		json_array_foreach(recs, j, r) {
			if ((v = json_object_get(r, STUB)))
				kept[json_integer_value(v)].n = n++;
			else
				json_object_set_new_nocheck(r, "n", json_integer(n++));
		}
	}
	json_object_set_new_nocheck(root, "groups", sorted);
	json_object_set_new_nocheck(root, "ngroups", json_integer((json_int_t)json_array_size(sorted)));
}

/* The view's top: the options, and the records, as they are read. */
static void
root_view(void)
{
	struct buf heading = { NULL, 0, 0 };

	root = json_object();
	if (autolink)
		json_object_set_new_nocheck(root, "autolink", json_true());
	if (title && json_object_set_new(root, "title", json_string(title)))
		eprintf("--title: not valid UTF-8");
	if (date && json_object_set_new(root, "date", json_string(date)))
		eprintf("--date: not valid UTF-8");
	if (title || date) {
		if (title && date)
			buf_printf(&heading, "%s (%s)", title, date);
		else
			buf_puts(&heading, title ? title : date);
		json_object_set_new(root, "heading", json_string(heading.s));
		buf_free(&heading);
	}
	records = json_array();
	json_object_set_new_nocheck(root, "records", records);
	if (!dumpview)
		lazy.expand = expand;
	if (streaming)
		lazy.lazy = records;
}

/* Where the output goes, and the view's top; streaming, the template
 * rendered up to its records. */
static void
start_output(struct template *t)
{
	static char outbuf[1 << 16];
	static struct mst_sink sink = { sink_text, sink_value, &md };

	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	if (strcmp(format, "md") && !dumpview && !(mdout = open_memstream(&mdtext, &mdlen)))
		eprintf("open_memstream:");
	md_init(&md, mdout ? mdout : stdout);
	group_init(&groups);
	root_view();
	if (streaming && !(stream = mst_stream_begin(t->lib, t->tpl, root, &sink, &lazy,
	    warn, (void *)t->name, err, sizeof err)))
		eprintf("%s", err);
}

/* All records read: the view rendered (the rest of it, streaming), or
 * shown (--view). */
static void
finish_view(struct template *t)
{
	struct mst_sink sink = { sink_text, sink_value, &md };

	if (streaming) {
		if (mst_stream_end(stream))
			eprintf("%s", err);
		return;
	}
	json_object_set_new_nocheck(root, "count", json_integer((json_int_t)nrecords));
	if (want_groups)
		finish_groups();
	if (dumpview) {
		if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0)
			putchar('\n');
	} else if (mst_render(t->lib, t->tpl, root, &sink, &lazy,
	    warn, (void *)t->name, err, sizeof err)) {
		eprintf("%s", err);
	}
}

/* The Markdown written out (html, mail: converted first); the exit status. */
static int
finish_output(void)
{
	int status = md_flush(&md) ? EXIT_FATAL : EXIT_OK;

	if (mdout) {
		if (fclose(mdout))
			eprintf("open_memstream:");
		if (status == EXIT_OK)
			write_formatted(mdtext, mdlen, json_string_value(json_object_get(root, "heading")));
		free(mdtext);
	}
	if (fshut(stdout, "<stdout>")) {
		status = EXIT_FATAL;
	} else if (status == EXIT_FATAL) {
		errno = md.error;
		weprintf("<stdout>: write error:");
	}
	return status;
}

/* Everything the run allocated, so that leak checkers see none. */
static void
free_all(struct template *t)
{
	size_t i;

	json_decref(root);
	group_free(&groups);
	mst_free(t->tpl);
	mst_lib_free(t->lib);
	md_free(&md);
	buf_free(&pathbuf);
	view_free();
	free_fields(&need);
	free_fields(&gneed);
	rec_free(&line_rec);
	arena_free(&texts);
	free(kept);
	for (i = 0; i < norder; i++)
		free(order[i]);
	free(order);
	free(t->src);
	free(t->dir);
}

int
main(int argc, char *argv[])
{
	struct template t;
	int i, status;

	setprogname(argv[0]);
	options(argc, argv);
	if (mdfile)
		return convert_markdown(mdfile);
	load_template(&t);
	plan_reading(&t);
	start_output(&t);
	for (i = optind; i < argc || i == optind; i++) {
		check_output();
		if (jsonl_each(i < argc ? argv[i] : "-", read_record, NULL))
			bad = 1;
	}
	finish_view(&t);
	status = finish_output();
	free_all(&t);
	if (status)
		return status;
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
