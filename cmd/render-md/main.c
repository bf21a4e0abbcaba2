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
#include "jbuild.h"
#include "jscan.h"
#include "jsonl.h"
#include "jsonw.h"
#include "layouts.h"
#include "mdescape.h"
#include "mustache.h"
#include "page.h"
#include "path.h"
#include "text.h"
#include "util.h"

enum { MAXPATHS = 16, OPT_VIEW = 256, OPT_HEAD, OPT_MARKDOWN, OPT_SUBJECT, OPT_FROM, OPT_TO };

static const char *layout = "list";
static const char *tplfile;
static const char *title, *date;
static int autolink;		/* list layout: Link: <URL> */
static const char *format = "md";	/* md, html or mail */
static const char *headfile, *mdfile;
static struct mail mail;
static struct path *groupby[MAXPATHS];
static size_t ngroupby;
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
static int want_groups, want_authors, want_authors_text, streaming;

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

/* the inputs, read one record at a time */
static char **inputs;
static int ninputs, curinput = -1;
static FILE *curfp;
static struct jsonl rd;
static int bad;
static size_t nrecords;

static json_t *groupmap;	/* group name -> its object in groups */
static json_t *groups;		/* in order of first appearance */
static json_t *anchors;		/* anchors taken */
static json_t *anchorbase;	/* a base -> the next number to try */
static struct mdout md;
static struct buf tmp, pathbuf;

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
		want_authors = 1;
	if (IS("authors_text"))
		want_authors_text = 1;
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

static int
prefix_ci(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);

	return n >= k && !strncasecmp(s, pre, k);
}

/* An http(s) (or, for authors, mailto) URL made safe for a Markdown link
 * destination, or NULL. */
static json_t *
safe_url(const json_t *v, int mailto)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *s;
	size_t n, i;
	unsigned char c;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	n = json_string_length(v);
	for (; n && is_space((unsigned char)*s); n--)
		s++;
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	if (!(prefix_ci(s, n, "http://") && n > 7) && !(prefix_ci(s, n, "https://") && n > 8) &&
	    !(mailto && prefix_ci(s, n, "mailto:") && n > 7))
		return NULL;
	buf_reset(&tmp);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c > 0x20 && c < 0x7f && !strchr("\"<>\\^`{|}()[]", c)) {
			buf_putc(&tmp, (char)c);
		} else {
			buf_putc(&tmp, '%');
			buf_putc(&tmp, hex[c >> 4]);
			buf_putc(&tmp, hex[c & 15]);
		}
	}
	return json_stringn_nocheck(tmp.s, tmp.len);
}

/* s on one line: runs of white space become one space. */
static json_t *
one_line(const json_t *v)
{
	if (!json_is_string(v))
		return NULL;
	buf_reset(&tmp);
	text_line(&tmp, json_string_value(v), json_string_length(v));
	return json_stringn_nocheck(buf_str(&tmp), tmp.len);
}

static void
derive_authors(json_t *rec)
{
	json_t *a = json_object_get(rec, F_AUTHORS), *out, *el, *name, *url, *o;
	struct buf text = { NULL, 0, 0 };
	size_t i;

	if (!json_is_array(a)) {
		json_object_del(rec, F_AUTHORS);
		return;
	}
	out = json_array();
	json_array_foreach(a, i, el) {
		url = NULL;
		if (json_is_object(el)) {
			name = one_line(json_object_get(el, "name"));
			url = safe_url(json_object_get(el, "url"), 1);
			o = json_object_get(el, "email");
			if (!url && json_is_string(o)) {
				o = json_pack("s++", "mailto:", json_string_value(o), "");
				url = safe_url(o, 1);
				json_decref(o);
			}
		} else {
			name = one_line(el);
		}
		if (!name || !json_string_length(name)) {
			json_decref(name);
			json_decref(url);
			continue;
		}
		if (want_authors) {
			o = json_object();
			json_object_set_nocheck(o, "name", name);
			if (url)
				json_object_set_nocheck(o, "url", url);
			json_array_append_new(out, o);
		}
		if (want_authors_text) {
			if (text.len)
				buf_puts(&text, ", ");
			buf_put(&text, json_string_value(name), json_string_length(name));
		}
		json_decref(name);
		json_decref(url);
	}
	if (text.len)
		json_object_set_new_nocheck(rec, "authors_text", json_stringn_nocheck(text.s, text.len));
	if (want_authors && json_array_size(out))
		json_object_set_nocheck(rec, F_AUTHORS, out);
	else
		json_object_del(rec, F_AUTHORS);
	json_decref(out);
	buf_free(&text);
}

/* The fields the view adds to a record, or changes. */
static void
derive(json_t *rec)
{
	json_t *v, *ai;

	v = one_line(json_object_get(rec, F_TITLE));
	json_object_set_new_nocheck(rec, F_TITLE, v ? v : json_string(""));
	if ((v = safe_url(json_object_get(rec, F_LINK), 0)))
		json_object_set_new_nocheck(rec, F_LINK, v);
	else
		json_object_del(rec, F_LINK);
	if (want_authors || want_authors_text)
		derive_authors(rec);
	v = json_object_get(json_object_get(rec, F_ARXIV), F_ARXIV_PRIMARY);
	if (!json_is_string(v))
		v = json_array_get(json_object_get(rec, F_CATEGORIES), 0);
	if ((v = one_line(v)) && json_string_length(v))
		json_object_set_new_nocheck(rec, "category", v);
	else
		json_decref(v);
	ai = json_object_get(rec, F_AI);
	if (json_is_object(ai) && (v = one_line(json_object_get(ai, "title"))))
		json_object_set_new_nocheck(ai, "title", v);
	if (json_is_object(ai) && (json_object_get(ai, "motivation") ||
	    json_object_get(ai, "method") || json_object_get(ai, "result") ||
	    json_object_get(ai, "conclusion")))
		json_object_set_new_nocheck(rec, "has_details", json_true());
	else if (json_is_string(json_object_get(rec, F_SUMMARY)))
		json_object_set_new_nocheck(rec, "has_details", json_true());
}

struct members {
	json_t *rec;
	const struct fields *f;
};

static void
add_member(void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
	struct members *m = arg;
	size_t i;

	for (i = 0; i < m->f->n; i++)
		if (strlen(m->f->name[i]) == kn && !memcmp(m->f->name[i], k, kn)) {
			json_object_set_new_nocheck(m->rec, m->f->name[i], jb_value(v, vn));
			return;
		}
}

/* The record s[0..n) as an object with the fields f asks for (or more),
 * or NULL and a message if it is bad. slow (may be NULL): in, < 0 to use
 * jansson, 0 for text known to be good, > 0 to see; out, whether jansson
 * had to read it. */
static json_t *
parse_record(const char *s, size_t n, const char *name, unsigned long lineno,
    const struct fields *f, int *slow)
{
	struct members m;
	struct jsonl r;
	char err[256];
	const char *v;
	size_t vn;
	json_t *rec;
	int fast;

	if (slow && *slow <= 0)
		fast = *slow == 0;
	else
		fast = jscan_find(s, n, F_TITLE, &v, &vn) != -2;
	if (fast) {
		if (slow)
			*slow = 0;
		if (f->all)
			return jb_value(s, n);
		if (!f->n)
			return json_object();
		m.rec = json_object();
		m.f = f;
		jb_members(s, n, add_member, &m);
		return m.rec;
	}
	if (slow)
		*slow = 1;
	memset(&r, 0, sizeof r);
	r.line = (char *)s;
	r.len = n;
	if (!(rec = jsonl_parse(&r, err, sizeof err))) {
		wlineprintf(name, lineno, "%s", err);
		bad = 1;
	}
	return jsonl_as_text(rec);
}

/* Keep the current line; its index. */
static size_t
keep(int slow)
{
	struct kept *k;

	if (nkept == capkept) {
		capkept = capkept ? 2 * capkept : 1024;
		kept = erealloc(kept, capkept * sizeof *kept);
	}
	k = &kept[nkept];
	k->s = arena_copy(&texts, rd.line, rd.len);
	k->len = rd.len;
	k->group = NULL;
	k->n = 0;
	k->slow = slow;
	return nkept++;
}

/* ---- groups ---- */

static json_t *
group_name(json_t *rec)
{
	json_t *v, *name;
	size_t i;
	char num[64];

	for (i = 0; i < ngroupby; i++) {
		v = path_get(groupby[i], rec);
		if (json_is_string(v)) {
			if ((name = one_line(v)) && json_string_length(name))
				return name;
			json_decref(name);
		} else if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			return json_string(num);
		} else if (json_is_real(v)) {
			jw_format_real(json_real_value(v), num);	/* as {{k}} shows it */
			return json_string(num);
		} else if (json_is_boolean(v)) {
			return json_string(json_is_true(v) ? "true" : "false");
		}
	}
	return json_string("Other");
}

/* A fragment id for a group: letters, digits, . _ - and non-ASCII kept,
 * the rest '-'; made unique with -2, -3, ... Each base remembers the last
 * number it tried: anchors are never freed, so the search goes on from
 * there and many names with one base cost no more than one each. */
static json_t *
make_anchor(const char *name)
{
	struct buf a = { NULL, 0, 0 };
	size_t base;
	json_int_t k;
	const unsigned char *p;
	json_t *v, *next;

	for (p = (const unsigned char *)name; *p; p++)
		buf_putc(&a, (char)((*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("._-", *p)) ? *p : '-'));
	if (!a.len)
		buf_puts(&a, "group");
	base = a.len;
	next = json_object_get(anchorbase, a.s);
	k = next ? json_integer_value(next) : 2;
	if (next || json_object_get(anchors, a.s) || !strcmp(a.s, "toc")) {
		do {
			a.len = base;
			a.s[base] = '\0';
			buf_printf(&a, "-%" JSON_INTEGER_FORMAT, k++);
		} while (json_object_get(anchors, a.s) || !strcmp(a.s, "toc"));
		a.s[base] = '\0';
		json_object_set_new(anchorbase, a.s, json_integer(k));
		a.s[base] = '-';
	} else {
		json_object_set_new(anchorbase, a.s, json_integer(2));
	}
	json_object_set_new(anchors, a.s, json_true());
	v = json_string(a.s);
	buf_free(&a);
	return v;
}

/* The group of rec (made if new). */
static json_t *
find_group(json_t *rec)
{
	json_t *name = group_name(rec), *g;
	const char *s = json_string_value(name);

	if (!(g = json_object_get(groupmap, s))) {
		g = json_object();
		json_object_set_nocheck(g, "name", name);
		json_object_set_new_nocheck(g, "anchor", make_anchor(s));
		json_object_set_new_nocheck(g, "records", json_array());
		json_object_set_new(groupmap, s, g);
		json_array_append(groups, g);
	}
	json_decref(name);
	return g;
}

static void
set_group(json_t *rec, json_t *g)
{
	json_object_set_nocheck(rec, "group", json_object_get(g, "name"));
	json_object_set_nocheck(rec, "anchor", json_object_get(g, "anchor"));
}

/* Groups named by --order first, in that order; numbers and counts. */
static void
finish_groups(json_t *root)
{
	json_t *sorted = json_array(), *g, *recs, *r, *v;
	size_t i, j, n = 1;

	for (i = 0; i < norder; i++)
		if ((g = json_object_get(groupmap, order[i])) && !json_object_get(g, "count")) {
			json_object_set_new_nocheck(g, "count", json_integer(0));
			json_array_append(sorted, g);
		}
	json_array_foreach(groups, i, g)
		if (!json_object_get(g, "count"))
			json_array_append(sorted, g);
	json_array_foreach(sorted, i, g) {
		recs = json_object_get(g, "records");
		json_object_set_new_nocheck(g, "count", json_integer((json_int_t)json_array_size(recs)));
		json_array_foreach(recs, j, r) {
			if ((v = json_object_get(r, STUB)))
				kept[json_integer_value(v)].n = (json_int_t)n++;
			else
				json_object_set_new_nocheck(r, "n", json_integer((json_int_t)n++));
		}
	}
	json_object_set_new_nocheck(root, "groups", sorted);
	json_object_set_new_nocheck(root, "ngroups", json_integer((json_int_t)json_array_size(sorted)));
}

/* ---- reading ---- */

/* The next good record's view, or NULL at the end of the inputs. */
static json_t *
next_record(void *arg)
{
	json_t *rec, *g;
	size_t i;
	int r, slow;

	(void)arg;
	if (md.error) {
		errno = md.error;
		eprintf("<stdout>: write error:");
	}
	for (;;) {
		if (!curfp) {
			if (++curinput >= ninputs)
				return NULL;
			if (!(curfp = open_input(inputs[curinput]))) {
				weprintf("%s:", input_name(inputs[curinput]));
				bad = 1;
				continue;
			}
			jsonl_init(&rd, curfp, input_name(inputs[curinput]));
		}
		if ((r = jsonl_next(&rd)) <= 0) {
			if (r < 0) {
				weprintf("%s:", rd.name);
				bad = 1;
			}
			if (curfp != stdin)
				fclose(curfp);
			curfp = NULL;
			jsonl_free(&rd);
			continue;
		}
		if (!streaming && !dumpview) {
			/* a stub; the record is looked at for its group only */
			slow = 1;
			if (!(rec = parse_record(rd.line, rd.len, rd.name, rd.lineno, &gneed, &slow)))
				continue;
			g = want_groups ? find_group(rec) : NULL;
			json_decref(rec);
			i = keep(slow);
			kept[i].group = g;
			rec = json_pack("{sI}", STUB, (json_int_t)i);
		} else {
			if (!(rec = parse_record(rd.line, rd.len, rd.name, rd.lineno, &need, NULL)))
				continue;
			g = want_groups ? find_group(rec) : NULL;
			if (g)
				set_group(rec, g);
			derive(rec);
		}
		if (g && !streaming)
			json_array_append(json_object_get(g, "records"), rec);
		nrecords++;
		return rec;
	}
}

/* The view of a stub, when it is rendered. */
static json_t *
expand(void *arg, json_t *item)
{
	json_t *v = json_object_get(item, STUB), *rec;
	struct kept *k;
	int slow;

	(void)arg;
	if (!v)
		return NULL;
	k = &kept[json_integer_value(v)];
	slow = k->slow ? -1 : 0;
	rec = parse_record(k->s, k->len, "", 0, &need, &slow);
	if (k->group) {
		set_group(rec, k->group);
		json_object_set_new_nocheck(rec, "n", json_integer(k->n));
	}
	derive(rec);
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

static const char *
heading_of(json_t *root)
{
	return json_string_value(json_object_get(root, "heading"));
}

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

static void
options(int argc, char *argv[])
{
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
	static const char *const defaults[] = { ".arxiv.primary", ".feed.name", ".feed.title" };
	char err[512];
	int c;

	while ((c = getopt_long(argc, argv, "l:t:g:o:af:T:d:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': layout = optarg; break;
		case 't': tplfile = optarg; break;
		case 'g':
			if (ngroupby == MAXPATHS)
				eprintf("more than %d --group-by paths", MAXPATHS);
			if (!(groupby[ngroupby++] = path_parse(optarg, err, sizeof err)))
				eprintf("--group-by %s: %s", optarg, err);
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
	if (strcmp(format, "md") && strcmp(format, "html") && strcmp(format, "mail"))
		eprintf("--format %s: unknown (md, html or mail)", format);
	if (!mail_ok(&mail))
		eprintf("--from, --to, --subject: no line breaks or control characters");
	if (mdfile && !strcmp(format, "md"))
		eprintf("--markdown: only with --format html or mail");
	if (mdfile && (optind < argc || tplfile || dumpview))
		eprintf("--markdown: no records, template or --view with it");
	if (!ngroupby)
		for (; ngroupby < sizeof defaults / sizeof *defaults; ngroupby++)
			groupby[ngroupby] = path_parse(defaults[ngroupby], NULL, 0);
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
	char err[512];
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
	char err[512];
	size_t i;

	if (mst_walk(t->lib, t->tpl, visit, &uses, err, sizeof err))
		eprintf("%s", err);
	if (dumpview)
		need.all = want_groups = want_authors = want_authors_text = 1;
	streaming = !dumpview && uses.top_records == 1 && !uses.other_records &&
	    !uses.needs_all_records;
	/* a stub's group is found on the first reading, the others' on the view */
	for (i = 0; want_groups && i < ngroupby; i++)
		need_path(streaming || dumpview ? &need : &gneed, groupby[i]);
}

/* The view's top: the options, and the records (read now, or as the
 * template asks for them when it can be streamed). */
static json_t *
root_view(struct mst_lazy *lazy)
{
	json_t *root = json_object(), *records, *rec;

	if (autolink)
		json_object_set_new_nocheck(root, "autolink", json_true());
	if (title && json_object_set_new(root, "title", json_string(title)))
		eprintf("--title: not valid UTF-8");
	if (date && json_object_set_new(root, "date", json_string(date)))
		eprintf("--date: not valid UTF-8");
	if (title || date) {
		buf_reset(&tmp);
		if (title && date)
			buf_printf(&tmp, "%s (%s)", title, date);
		else
			buf_puts(&tmp, title ? title : date);
		json_object_set_new(root, "heading", json_string(tmp.s));
	}
	memset(lazy, 0, sizeof *lazy);
	if (!dumpview)
		lazy->expand = expand;
	if (streaming) {
		lazy->lazy = json_array();
		lazy->next = next_record;
		json_object_set_nocheck(root, "records", lazy->lazy);
	} else {
		records = json_array();
		while ((rec = next_record(NULL)))
			json_array_append_new(records, rec);
		json_object_set_new_nocheck(root, "records", records);
		json_object_set_new_nocheck(root, "count", json_integer((json_int_t)nrecords));
		if (want_groups)
			finish_groups(root);
	}
	return root;
}

/* Everything the run allocated, so that leak checkers see none. */
static void
free_all(struct template *t)
{
	size_t i;

	json_decref(groupmap);
	json_decref(groups);
	json_decref(anchors);
	json_decref(anchorbase);
	mst_free(t->tpl);
	mst_lib_free(t->lib);
	md_free(&md);
	buf_free(&tmp);
	buf_free(&pathbuf);
	jsonl_free(&rd);
	for (i = 0; i < ngroupby; i++)
		path_free(groupby[i]);
	free_fields(&need);
	free_fields(&gneed);
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
	static char outbuf[1 << 16], dash[] = "-", *stdin_only[] = { dash };
	struct mst_sink sink = { sink_text, sink_value, &md };
	struct mst_lazy lazy;
	struct template t;
	json_t *root;
	char err[512], *mdtext = NULL;
	size_t mdlen = 0;
	FILE *mdout = NULL;
	int status;

	setprogname(argv[0]);
	options(argc, argv);
	if (mdfile)
		return convert_markdown(mdfile);
	load_template(&t);
	plan_reading(&t);

	inputs = optind < argc ? argv + optind : stdin_only;
	ninputs = optind < argc ? argc - optind : 1;
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	/* html and mail: the Markdown is made first, then converted */
	if (strcmp(format, "md") && !dumpview && !(mdout = open_memstream(&mdtext, &mdlen)))
		eprintf("open_memstream:");
	md_init(&md, mdout ? mdout : stdout);
	groupmap = json_object();
	groups = json_array();
	anchors = json_object();
	anchorbase = json_object();
	root = root_view(&lazy);
	if (dumpview) {
		if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0)
			putchar('\n');
	} else if (mst_render(t.lib, t.tpl, root, &sink, &lazy,
	    warn, (void *)t.name, err, sizeof err)) {
		eprintf("%s", err);
	}
	status = md_flush(&md) ? EXIT_FATAL : EXIT_OK;
	if (mdout) {
		if (fclose(mdout))
			eprintf("open_memstream:");
		if (status == EXIT_OK)
			write_formatted(mdtext, mdlen, heading_of(root));
		free(mdtext);
	}
	if (fshut(stdout, "<stdout>")) {
		status = EXIT_FATAL;
	} else if (status == EXIT_FATAL) {
		errno = md.error;
		weprintf("<stdout>: write error:");
	}
	json_decref(lazy.lazy);
	json_decref(root);
	free_all(&t);
	if (status)
		return status;
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
