/* render-feed: feedpipe records to an Atom 1.0 feed or a JSON Feed 1.1,
 * one entry written as each record is read. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "date.h"
#include "fields.h"
#include "jsonl.h"
#include "jw.h"
#include "jstream.h"
#include "rec.h"
#include "sha1.h"
#include "text.h"
#include "util.h"

#define TAG_PREFIX "tag:feedpipe,2026:"
#define NO_DATE "1970-01-01T00:00:00Z"

static int json_format;
static const char *feed_title = "feedpipe";
static const char *feed_link, *feed_id;
static char feed_updated[DATE_BUFSZ];	/* --updated, or "" */
static char newest[DATE_BUFSZ];		/* the newest record date so far */
static unsigned long nentries;
static int bad;
static struct buf out, html, tmp, fixed;

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: %s [-f atom|json] [-T title] [-l link] [-i id] [-u date] [file ...]\n"
	    "  -f, --format NAME    atom (default) or json (JSON Feed 1.1)\n"
	    "  -T, --title TEXT     the feed's title (default \"feedpipe\")\n"
	    "  -l, --link URL       the feed's web page\n"
	    "  -i, --id IRI         the feed's id (default the link, else a tag: IRI\n"
	    "                       made from the title)\n"
	    "  -u, --updated DATE   the feed's updated date, written first (default\n"
	    "                       the newest record date, written after the entries)\n"
	    "  -h, --help           show this help\n"
	    "  -V, --version        show the version\n", argv0);
	exit(status);
}

/* ---- escaping ---- */

/* XML character data or an attribute value (attr set): valid UTF-8
 * (U+FFFD for a bad byte), no C0 control but tab and newline, no U+FFFE
 * or U+FFFF, and '>' escaped as well, so that "]]>" never appears. */
static void
xml_put(struct buf *b, const char *s, size_t n, int attr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		/* eight plain ASCII bytes at a time, as jw_put_string does */
		for (k = i; k + 8 <= n; k += 8) {
			uint64_t w;
			memcpy(&w, s + k, 8);
			if (SWAR_LESS(w, 0x20) || SWAR_HAS(w, '&') || SWAR_HAS(w, '<') ||
			    SWAR_HAS(w, '>') || SWAR_HAS(w, '"') || (w & SWAR_HIGH))
				break;
		}
		for (; k < n && u[k] >= 0x20 && u[k] < 0x80 && u[k] != '&' && u[k] != '<' &&
		    u[k] != '>' && u[k] != '"'; k++)
			;
		if (k > i) {
			buf_put(b, s + i, k - i);
			if ((i = k) == n)
				break;
		}
		if (u[i] >= 0x80) {
			k = utf8_seqlen(u + i, n - i);
			if (k == 3 && u[i] == 0xEF && u[i + 1] == 0xBF && u[i + 2] >= 0xBE)
				k = 0;	/* U+FFFE, U+FFFF: not XML characters */
			buf_put(b, k ? s + i : "\xEF\xBF\xBD", k ? k : 3);
			i += k ? k : 1;
			continue;
		}
		switch (u[i]) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, attr ? "&quot;" : "\""); break;
		case '\t': buf_puts(b, attr ? "&#9;" : "\t"); break;
		case '\n': buf_puts(b, attr ? "&#10;" : "\n"); break;
		case '\r': buf_puts(b, "&#13;"); break;
		default:
			if (u[i] >= 0x20)
				buf_putc(b, (char)u[i]);
		}
		i++;
	}
}

static void
xml_cput(struct buf *b, const char *s)
{
	xml_put(b, s, strlen(s), 0);
}

/* An IRI: bytes that may not stand in one (space, controls, "<>\^`{|}",
 * bytes that are not UTF-8) percent-encoded; UTF-8 letters kept; '&' as
 * "&amp;" for XML (xml set). */
static void
iri_put(struct buf *b, const char *s, size_t n, int xml)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (u[i] >= 0x80 && (k = utf8_seqlen(u + i, n - i))) {
			buf_put(b, s + i, k);
			i += k - 1;
		} else if (u[i] <= 0x20 || u[i] >= 0x7f || strchr("\"<>\\^`{|}", u[i])) {
			buf_putc(b, '%');
			buf_putc(b, hex[u[i] >> 4]);
			buf_putc(b, hex[u[i] & 15]);
		} else if (u[i] == '&' && xml) {
			buf_puts(b, "&amp;");
		} else {
			buf_putc(b, (char)u[i]);
		}
	}
}

/* HTML text: the same for an HTML parser as the text for XML. */
static void
html_put(struct buf *b, const char *s, size_t n)
{
	xml_put(b, s, n, 1);
}

/* ---- the record's values ---- */

static const char *
str(const json_t *o, const char *key, size_t *n)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_string(v) || !json_string_length(v) || jsonl_number(v, NULL))
		return NULL;
	if (n)
		*n = json_string_length(v);
	return json_string_value(v);
}

/* Links go out only to the web: no javascript:, data: or file: URL. */
static const char *
web_url(const char *s)
{
	return s && (!ascii_ncasecmp(s, "http://", 7) || !ascii_ncasecmp(s, "https://", 8)) ?
	    s : NULL;
}

/* A date field in RFC 3339 UTC into d[DATE_BUFSZ], or 0. */
static int
date_of(const json_t *rec, const char *key, char *d)
{
	const char *s = str(rec, key, NULL);
	time_t t;

	if (!s || date_parse(s, &t))
		return 0;
	date_format(t, d);
	return 1;
}

/* The entry's id: arXiv ids, DOIs and PubMed ids as their canonical URLs,
 * a url: id as its URL, anything else (guid:, sha1:) as a tag: IRI; a
 * record without an id gets sha1: of its title and link. */
static void
entry_id(struct buf *b, const json_t *rec, int xml)
{
	const char *id = str(rec, F_ID, NULL), *t, *l;
	char hex[41];

	buf_reset(&tmp);
	if (!id) {
		t = str(rec, F_TITLE, NULL);
		l = str(rec, F_LINK, NULL);
		buf_printf(&tmp, "%s\n%s", t ? t : "", l ? l : "");
		sha1_hex(tmp.s, tmp.len, hex);
		buf_reset(&tmp);
		buf_printf(&tmp, "%ssha1:%s", TAG_PREFIX, hex);
	} else if (!strncmp(id, "arxiv:", 6) && id[6]) {
		buf_printf(&tmp, "https://arxiv.org/abs/%s", id + 6);
	} else if (!strncmp(id, "doi:", 4) && id[4]) {
		buf_printf(&tmp, "https://doi.org/%s", id + 4);
	} else if (!strncmp(id, "pmid:", 5) && id[5]) {
		buf_printf(&tmp, "https://pubmed.ncbi.nlm.nih.gov/%s/", id + 5);
	} else if (!strncmp(id, "url:http://", 11) || !strncmp(id, "url:https://", 12)) {
		buf_puts(&tmp, id + 4);
	} else {
		buf_printf(&tmp, "%s%s", TAG_PREFIX, id);
	}
	iri_put(b, tmp.s, tmp.len, xml);
}

/* A record's enrichment (and abstract) as an HTML fragment in html; 0 if
 * it has no enrichment. */
static int
content_html(const json_t *rec)
{
	static const char *const parts[][2] = {
		{ "tldr", "TL;DR" }, { "motivation", "Motivation" }, { "method", "Method" },
		{ "result", "Result" }, { "conclusion", "Conclusion" },
	};
	const json_t *ai = json_object_get(rec, F_AI);
	const char *s, *p, *e;
	size_t n, i;
	int any = 0;

	buf_reset(&html);
	if (!json_is_object(ai))
		return 0;
	if ((s = str(ai, "title", &n))) {
		buf_puts(&html, "<h2>");
		html_put(&html, s, n);
		buf_puts(&html, "</h2>\n");
		any = 1;
	}
	for (i = 0; i < sizeof parts / sizeof *parts; i++) {
		if (!(s = str(ai, parts[i][0], &n)))
			continue;
		buf_printf(&html, "<p><strong>%s:</strong> ", parts[i][1]);
		html_put(&html, s, n);
		buf_puts(&html, "</p>\n");
		any = 1;
	}
	if (!any)
		return 0;
	if ((s = str(rec, F_SUMMARY, &n))) {
		buf_puts(&html, "<h3>Abstract</h3>\n");
		for (p = s; p < s + n; p = e + (e < s + n ? 2 : 0)) {
			e = text_memfind(p, (size_t)(s + n - p), "\n\n");
			e = e ? e : s + n;
			buf_puts(&html, "<p>");
			html_put(&html, p, (size_t)(e - p));
			buf_puts(&html, "</p>\n");
		}
	}
	return 1;
}

/* An author: a name, or an object with name, url and email. */
static const char *
author_name(const json_t *a, size_t *n, const char **url, const char **email)
{
	*url = *email = NULL;
	if (json_is_string(a) && !jsonl_number(a, NULL)) {
		*n = json_string_length(a);
		return *n ? json_string_value(a) : NULL;
	}
	if (!json_is_object(a))
		return NULL;
	*url = web_url(str(a, "url", NULL));
	*email = str(a, "email", NULL);
	return str(a, "name", n);
}

/* ---- Atom ---- */

/* Text constructs say type="text": feed2jsonl then keeps a literal "<b>". */
static void
atom_text(const char *name, const char *s, size_t n, const char *after)
{
	int construct = !strcmp(name, "title") || !strcmp(name, "summary");

	buf_putc(&out, '<');
	buf_puts(&out, name);
	buf_puts(&out, construct ? " type=\"text\">" : ">");
	xml_put(&out, s, n, 0);
	buf_puts(&out, "</");
	buf_puts(&out, name);
	buf_putc(&out, '>');
	buf_puts(&out, after);
}

static void
atom_head(void)
{
	buf_puts(&out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>");
	if (feed_id)
		iri_put(&out, feed_id, strlen(feed_id), 1);
	else if (feed_link)
		iri_put(&out, feed_link, strlen(feed_link), 1);
	else {
		buf_reset(&fixed);
		buf_printf(&fixed, "%sfeed:%s", TAG_PREFIX, feed_title);
		iri_put(&out, fixed.s, fixed.len, 1);
	}
	buf_puts(&out, "</id>\n");
	atom_text("title", feed_title, strlen(feed_title), "\n");
	if (feed_link) {
		buf_puts(&out, "<link rel=\"alternate\" href=\"");
		iri_put(&out, feed_link, strlen(feed_link), 1);
		buf_puts(&out, "\"/>\n");
	}
	/* an entry without authors takes the feed's (RFC 4287 4.1.2) */
	buf_puts(&out, "<author><name>");
	xml_cput(&out, feed_title);
	buf_puts(&out, "</name></author>\n");
	buf_printf(&out, "<generator version=\"%s\">feedpipe render-feed</generator>\n",
	    FEEDPIPE_VERSION);
	if (*feed_updated)
		buf_printf(&out, "<updated>%s</updated>\n", feed_updated);
}

static void
atom_authors(const json_t *rec)
{
	const json_t *a;
	const char *name, *url, *email;
	size_t i, n;

	json_array_foreach(json_object_get(rec, F_AUTHORS), i, a) {
		if (!(name = author_name(a, &n, &url, &email)))
			continue;
		buf_puts(&out, "<author>");
		atom_text("name", name, n, "");
		if (url) {
			buf_puts(&out, "<uri>");
			iri_put(&out, url, strlen(url), 1);
			buf_puts(&out, "</uri>");
		}
		if (email)
			atom_text("email", email, strlen(email), "");
		buf_puts(&out, "</author>\n");
	}
}

static void
atom_entry(const json_t *rec, const char *published, const char *updated)
{
	const json_t *c;
	const char *s;
	size_t i, n;

	buf_puts(&out, "<entry>\n<id>");
	entry_id(&out, rec, 1);
	buf_puts(&out, "</id>\n");
	s = str(rec, F_TITLE, &n);
	atom_text("title", s ? s : "", s ? n : 0, "\n");
	if ((s = web_url(str(rec, F_LINK, &n)))) {
		buf_puts(&out, "<link rel=\"alternate\" href=\"");
		iri_put(&out, s, n, 1);
		buf_puts(&out, "\"/>\n");
	}
	if (*published)
		atom_text("published", published, strlen(published), "\n");
	atom_text("updated", updated, strlen(updated), "\n");
	atom_authors(rec);
	json_array_foreach(json_object_get(rec, F_CATEGORIES), i, c) {
		if (!json_is_string(c) || !json_string_length(c) || jsonl_number(c, NULL))
			continue;
		buf_puts(&out, "<category term=\"");
		xml_put(&out, json_string_value(c), json_string_length(c), 1);
		buf_puts(&out, "\"/>\n");
	}
	if ((s = str(rec, F_SUMMARY, &n)))
		atom_text("summary", s, n, "\n");
	if (content_html(rec)) {
		buf_puts(&out, "<content type=\"html\">");
		xml_put(&out, html.s, html.len, 0);
		buf_puts(&out, "</content>\n");
	}
	buf_puts(&out, "</entry>\n");
}

static void
atom_tail(void)
{
	if (!*feed_updated)
		buf_printf(&out, "<updated>%s</updated>\n", *newest ? newest : NO_DATE);
	buf_puts(&out, "</feed>\n");
}

/* ---- JSON Feed ---- */

static void
json_head(void)
{
	struct jw w;

	jw_init(&w, &out);
	jw_object(&w);
	jw_key(&w, "version");
	jw_cstring(&w, "https://jsonfeed.org/version/1.1");
	jw_key(&w, "title");
	jw_cstring(&w, feed_title);
	if (feed_link) {
		jw_key(&w, "home_page_url");
		jw_cstring(&w, feed_link);
	}
	jw_key(&w, "items");
	buf_puts(&out, "[\n");
}

static void
json_authors(struct jw *w, const json_t *rec)
{
	const json_t *a;
	const char *name, *url, *email;
	size_t i, n, k = 0;

	json_array_foreach(json_object_get(rec, F_AUTHORS), i, a) {
		if (!(name = author_name(a, &n, &url, &email)))
			continue;
		if (!k++) {
			jw_key(w, "authors");
			jw_array(w);
		}
		jw_object(w);
		jw_key(w, "name");
		jw_string(w, name, n);
		if (url || email) {
			buf_reset(&tmp);
			buf_printf(&tmp, "%s%s", url ? "" : "mailto:", url ? url : email);
			jw_key(w, "url");
			jw_string(w, tmp.s, tmp.len);
		}
		jw_end_object(w);
	}
	if (k)
		jw_end_array(w);
}

/* "content_html" (and the summary) or "content_text" */
static void
json_content(struct jw *w, const json_t *rec)
{
	const char *s;
	size_t n;

	if (content_html(rec)) {
		jw_key(w, "content_html");
		jw_string(w, html.s, html.len);
		if ((s = str(rec, F_SUMMARY, &n))) {
			jw_key(w, "summary");
			jw_string(w, s, n);
		}
	} else {
		s = str(rec, F_SUMMARY, &n);
		jw_key(w, "content_text");
		jw_string(w, s ? s : "", s ? n : 0);
	}
}

/* "tags": the record's categories that are non-empty strings */
static void
json_tags(struct jw *w, const json_t *rec)
{
	const json_t *c;
	size_t i, k = 0;

	json_array_foreach(json_object_get(rec, F_CATEGORIES), i, c) {
		if (!json_is_string(c) || !json_string_length(c) || jsonl_number(c, NULL))
			continue;
		if (!k++) {
			jw_key(w, "tags");
			jw_array(w);
		}
		jw_string(w, json_string_value(c), json_string_length(c));
	}
	if (k)
		jw_end_array(w);
}

static void
json_entry(const json_t *rec, const char *published, const char *updated)
{
	const char *s;
	size_t n;
	struct jw w;

	if (nentries)
		buf_puts(&out, ",\n");
	jw_init(&w, &out);
	jw_object(&w);
	buf_reset(&fixed);
	entry_id(&fixed, rec, 0);
	jw_key(&w, "id");
	jw_string(&w, fixed.s, fixed.len);
	if ((s = web_url(str(rec, F_LINK, &n)))) {
		jw_key(&w, "url");
		jw_string(&w, s, n);
	}
	s = str(rec, F_TITLE, &n);
	jw_key(&w, "title");
	jw_string(&w, s ? s : "", s ? n : 0);
	json_content(&w, rec);
	if (*published) {
		jw_key(&w, "date_published");
		jw_cstring(&w, published);
	}
	if (*updated && strcmp(updated, published)) {
		jw_key(&w, "date_modified");
		jw_cstring(&w, updated);
	}
	json_authors(&w, rec);
	json_tags(&w, rec);
	jw_end_object(&w);
}

static void
json_tail(void)
{
	buf_puts(&out, nentries ? "\n]}\n" : "]}\n");
}

/* ---- records ---- */

static void
flush_out(void)
{
	if (out.len && fwrite(out.s, 1, out.len, stdout) != out.len)
		eprintf("<stdout>: write error:");
	buf_reset(&out);
}

static void
render(const json_t *rec)
{
	char published[DATE_BUFSZ] = "", updated[DATE_BUFSZ] = "";

	date_of(rec, F_PUBLISHED, published);
	if (!date_of(rec, F_UPDATED, updated))
		strcpy(updated, *published ? published : "");
	if (*updated && strcmp(updated, newest) > 0)
		strcpy(newest, updated);
	if (json_format) {
		json_entry(rec, published, updated);
	} else {
		if (!*updated)
			strcpy(updated, *feed_updated ? feed_updated : NO_DATE);
		atom_entry(rec, published, updated);
	}
	nentries++;
	flush_out();
}

/* A line jansson refused, rewritten through jstream, which repairs its
 * strings (invalid UTF-8, lone surrogates, \u0000, raw controls); NULL if
 * it is not JSON for another reason. */
static json_t *
repaired(const struct jsonl *rd)
{
	struct jstream js;
	enum jtok t;
	json_t *rec = NULL;
	FILE *fp = fmemopen(rd->line, rd->len, "r");

	if (!fp)
		return NULL;
	jstream_init(&js, fp, NULL, 0, rd->lineno);
	buf_reset(&fixed);
	while ((t = jstream_next(&js)) != JT_EOF && t != JT_BAD) {
		switch (t) {
		case JT_OBJ: buf_putc(&fixed, '{'); break;
		case JT_ARR: buf_putc(&fixed, '['); break;
		case JT_OBJEND: buf_putc(&fixed, '}'); break;
		case JT_ARREND: buf_putc(&fixed, ']'); break;
		case JT_COLON: buf_putc(&fixed, ':'); break;
		case JT_COMMA: buf_putc(&fixed, ','); break;
		case JT_TRUE: buf_puts(&fixed, "true"); break;
		case JT_FALSE: buf_puts(&fixed, "false"); break;
		case JT_NULL: buf_puts(&fixed, "null"); break;
		case JT_NUMBER: buf_put(&fixed, js.word.s, js.word.len); break;
		case JT_STRING:
			buf_reset(&tmp);
			jstream_string(&js, &tmp, (size_t)-1);
			jw_put_string(&fixed, buf_str(&tmp), tmp.len);
			break;
		default: break;
		}
	}
	if (t == JT_EOF && !(js.prob & (JP_EOF | JP_NUMBER)))
		rec = jsonl_load(buf_str(&fixed), fixed.len, NULL, 0);
	jstream_free(&js);
	fclose(fp);
	return rec;
}

static struct rec line_rec;	/* the current line's */

/* The record on the current line, with the fields an entry shows (only
 * those where jscan can read it: a fraction of jansson's cost), else
 * repaired; NULL and a message in err if it is none. */
static json_t *
parse(const struct jsonl *rd, char *err, size_t errlen)
{
	static const char *const wanted[] = { F_ID, F_TITLE, F_LINK, F_AUTHORS,
	    F_SUMMARY, F_PUBLISHED, F_UPDATED, F_CATEGORIES, F_AI };

	if (rec_read(&line_rec, rd->line, rd->len, 0, err, errlen))
		return repaired(rd);
	if (line_rec.tree)
		return json_incref(line_rec.tree);
	return rec_pick(&line_rec, wanted, sizeof wanted / sizeof *wanted);
}

static int
render_line(struct jsonl *rd, void *arg)
{
	char err[256];
	json_t *rec;

	(void)arg;
	if (!(rec = parse(rd, err, sizeof err))) {
		wlineprintf(rd->name, rd->lineno, "%s", err);
		return 1;
	}
	render(rec);
	json_decref(rec);
	check_stdout();
	return 0;
}

static void
set_updated(const char *s)
{
	time_t t;

	if (date_parse(s, &t))
		eprintf("--updated %s: want a date such as 2025-01-16T05:00:00Z", s);
	date_format(t, feed_updated);
}

/* The options; optind is then the first input. */
static void
options(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "title", required_argument, NULL, 'T' },
		{ "link", required_argument, NULL, 'l' },
		{ "id", required_argument, NULL, 'i' },
		{ "updated", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "f:T:l:i:u:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "atom") && strcmp(optarg, "json"))
				eprintf("--format %s: unknown (atom or json)", optarg);
			json_format = !strcmp(optarg, "json");
			break;
		case 'T': feed_title = optarg; break;
		case 'l': feed_link = optarg; break;
		case 'i': feed_id = optarg; break;
		case 'u': set_updated(optarg); break;
		case 'h': usage(stdout, EXIT_OK); break;
		case 'V': printf("render-feed %s\n", FEEDPIPE_VERSION); exit(EXIT_OK);
		default: usage(stderr, EXIT_FATAL);
		}
	}
}

int
main(int argc, char *argv[])
{
	static char outbuf[1 << 16];
	int i, status;

	setprogname(argv[0]);
	options(argc, argv);
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	if (json_format)
		json_head();
	else
		atom_head();
	flush_out();
	for (i = optind; i < argc || i == optind; i++) {
		if (jsonl_each(i < argc ? argv[i] : "-", render_line, NULL))
			bad = 1;
	}
	if (json_format)
		json_tail();
	else
		atom_tail();
	flush_out();
	status = fshut(stdout, "<stdout>") ? EXIT_FATAL : EXIT_OK;
	buf_free(&out);
	buf_free(&html);
	buf_free(&tmp);
	buf_free(&fixed);
	rec_free(&line_rec);
	if (status)
		return status;
	return bad ? EXIT_BADINPUT : EXIT_OK;
}
