/* mst.c: compile a template into a tree of nodes (mstree.h), which
 * mstrender.c renders over a stack of jansson values; partials by name, and
 * walking the tree. Standalone lines are found while tokenizing:
 * a line holding one section, inverted, closing, comment, partial or
 * set-delimiter tag and otherwise only white space is dropped whole. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mstree.h"
#include "util.h"

struct tok {
	int type;
	unsigned line;
	const char *s;
	size_t n;
	size_t indent;		/* standalone partial: length of the white space before it */
	int removed;
};

struct parse {
	const char *name;
	struct tok *tok;
	size_t ntok, cap, linestart;
	int depth;		/* sections open */
	char *err;
	size_t errlen;
};

static void
perr(struct parse *ps, unsigned line, const char *fmt, ...)
{
	va_list ap;
	size_t k;

	if (!ps->errlen)
		return;
	k = (size_t)snprintf(ps->err, ps->errlen, "%s:%u: ", ps->name, line);
	if (k >= ps->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(ps->err + k, ps->errlen - k, fmt, ap);
	va_end(ap);
}

static struct tok *
push(struct parse *ps, int type, unsigned line, const char *s, size_t n)
{
	struct tok *t;

	if (ps->ntok == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 64;
		ps->tok = erealloc(ps->tok, ps->cap * sizeof *ps->tok);
	}
	t = &ps->tok[ps->ntok++];
	t->type = type;
	t->line = line;
	t->s = s;
	t->n = n;
	t->indent = 0;
	t->removed = 0;
	return t;
}

/* The first s[0..n) of needle[0..k), or NULL (memmem is not POSIX). */
static const char *
findstr(const char *s, size_t n, const char *needle, size_t k)
{
	const char *p, *end = s + n;

	while (k <= (size_t)(end - s) && (p = memchr(s, needle[0], (size_t)(end - s) - k + 1))) {
		if (!memcmp(p, needle, k))
			return p;
		s = p + 1;
	}
	return NULL;
}

static int
blank(const char *s, size_t n)
{
	for (; n; s++, n--)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* The line from ps->linestart ends: drop it if it is standalone. */
static void
endline(struct parse *ps)
{
	struct tok *tag = NULL, *t;
	size_t i;

	for (i = ps->linestart; i < ps->ntok; i++) {
		t = &ps->tok[i];
		if (t->type == T_TEXT) {
			if (!blank(t->s, t->n))
				goto done;
		} else if (tag || t->type == T_VAR || t->type == T_RAW) {
			goto done;
		} else {
			tag = t;
		}
	}
	if (!tag)
		goto done;
	for (i = ps->linestart; i < ps->ntok; i++) {
		t = &ps->tok[i];
		if (t->type != T_TEXT)
			continue;
		if (tag->type == T_PARTIAL && t < tag)
			tag->indent = t->n;
		t->removed = 1;
	}
done:
	ps->linestart = ps->ntok;
}

/* The tag delimiters, "{{" and "}}" until a set-delimiter tag. */
struct delims {
	char open[MAXDELIM + 1], close[MAXDELIM + 1];
	size_t olen, clen;
};

/* The text p..end as tokens, one a line; *line counts the lines. */
static void
push_text(struct parse *ps, const char *p, const char *end, unsigned *line)
{
	const char *nl;

	for (; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		push(ps, T_TEXT, *line, p, (size_t)(nl - p));
		if (nl[-1] == '\n') {
			endline(ps);
			(*line)++;
		}
	}
}

/* The type of the tag whose content starts at *c (before end), which
 * moves past its sigil. */
static int
tag_type(const char **c, const char *end)
{
	int type = T_VAR;

	if (*c >= end)
		return T_VAR;
	switch (**c) {
	case '{': type = T_RAW; break;
	case '&': type = T_RAW; break;
	case '#': type = T_SECTION; break;
	case '^': type = T_INVERTED; break;
	case '/': type = T_CLOSE; break;
	case '!': type = T_COMMENT; break;
	case '>': type = T_PARTIAL; break;
	case '=': type = T_DELIM; break;
	}
	if (type != T_VAR)
		(*c)++;
	return type;
}

/* The closing delimiter of the tag whose content starts at c (right after
 * a want, "=" or "}", if want is not 0), or NULL. */
static const char *
find_close(const char *c, const char *end, const struct delims *d, char want)
{
	const char *close;

	if (!want)
		return findstr(c, (size_t)(end - c), d->close, d->clen);
	for (close = c; (close = findstr(close, (size_t)(end - close), d->close, d->clen)); close++)
		if (close > c && close[-1] == want)
			break;
	return close;
}

static int
unclosed(struct parse *ps, unsigned line, const char *q, const char *end)
{
	size_t k;

	for (k = 0; q + k < end && k < 20 && q[k] != '\n' && q[k] != '\r'; k++)
		;
	perr(ps, line, "unclosed tag '%.*s'", (int)k, q);
	return -1;
}

static int
istagspace(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* {{=<% %>=}}: the delimiters c[0..close) names, or -1 if they are bad. */
static int
set_delims(struct delims *d, const char *c, const char *close)
{
	const char *sp = c, *o2;
	size_t on, cn;

	while (sp < close && *sp != ' ' && *sp != '\t')
		sp++;
	on = (size_t)(sp - c);
	while (sp < close && (*sp == ' ' || *sp == '\t'))
		sp++;
	o2 = sp;
	cn = (size_t)(close - o2);
	if (!on || !cn || on > MAXDELIM || cn > MAXDELIM ||
	    memchr(o2, ' ', cn) || memchr(o2, '\t', cn) ||
	    memchr(c, '=', on) || memchr(o2, '=', cn))
		return -1;
	memcpy(d->open, c, on);
	d->open[on] = '\0';
	d->olen = on;
	memcpy(d->close, o2, cn);
	d->close[cn] = '\0';
	d->clen = cn;
	return 0;
}

static int
tokenize(struct parse *ps, const char *src, size_t n)
{
	struct delims d = { "{{", "}}", 2, 2 };
	const char *p = src, *end = src + n, *q, *c, *close;
	unsigned line = 1, tagline;
	size_t k;
	int type;
	char want;

	while ((q = findstr(p, (size_t)(end - p), d.open, d.olen))) {
		push_text(ps, p, q, &line);
		tagline = line;
		c = q + d.olen;
		type = tag_type(&c, end);
		want = type == T_DELIM ? '=' : (type == T_RAW && c[-1] == '{') ? '}' : 0;
		if (!(close = find_close(c, end, &d, want)))
			return unclosed(ps, tagline, q, end);
		for (k = 0; q + k < close; k++)
			if (q[k] == '\n')
				line++;
		p = close + d.clen;
		if (want)
			close--;
		while (c < close && istagspace(*c))
			c++;
		while (close > c && istagspace(close[-1]))
			close--;
		if (type == T_DELIM && set_delims(&d, c, close)) {
			perr(ps, tagline, "bad set-delimiter tag");
			return -1;
		}
		if (type != T_DELIM && type != T_COMMENT && c == close) {
			perr(ps, tagline, "empty tag");
			return -1;
		}
		push(ps, type, tagline, c, (size_t)(close - c));
	}
	push_text(ps, p, end, &line);
	endline(ps);
	return 0;
}

static void
parse_name(struct name *nm, const char *s, size_t n)
{
	size_t i, k, parts = 1;
	char *store, **pp;

	memset(nm, 0, sizeof *nm);
	if (n == 1 && *s == '.') {
		nm->dot = 1;
		return;
	}
	if (n > 1 && *s == '@') {
		if (n == 6 && !memcmp(s, "@index", 6))
			nm->at = AT_INDEX;
		else if (n == 6 && !memcmp(s, "@first", 6))
			nm->at = AT_FIRST;
		else if (n == 5 && !memcmp(s, "@last", 5))
			nm->at = AT_LAST;
	}
	if (*s == '.' && n > 1) {
		nm->lead = 1;
		s++;
		n--;
	}
	for (i = 0; i < n; i++)
		parts += s[i] == '.';
	/* the pointers, then the parts, NUL-terminated, in one block */
	pp = emalloc(parts * sizeof *pp + n + 1);
	store = (char *)(pp + parts);
	memcpy(store, s, n);
	store[n] = '\0';
	pp[0] = store;
	for (i = 0, k = 1; i < n; i++) {
		if (store[i] == '.') {
			store[i] = '\0';
			pp[k++] = store + i + 1;
		}
	}
	nm->parts = pp;
	nm->nparts = parts;
}

static void
free_nodes(struct node *kids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kids[i].s);
		free(kids[i].nm.parts);
		free(kids[i].indent);
		free_nodes(kids[i].kids, kids[i].nkids);
	}
	free(kids);
}

static struct node *
add_node(struct node **kids, size_t *n, size_t *cap, int type, const struct tok *t)
{
	struct node *nd;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		*kids = erealloc(*kids, *cap * sizeof **kids);
	}
	nd = &(*kids)[(*n)++];
	memset(nd, 0, sizeof *nd);
	nd->type = type;
	nd->line = t->line;
	nd->s = estrndup(t->s, t->n);
	nd->n = t->n;
	if (type != T_TEXT && type != T_PARTIAL)
		parse_name(&nd->nm, t->s, t->n);
	return nd;
}

/* Text is joined to the text node before it. */
static void
add_text(struct node **kids, size_t *nkids, size_t *cap, const struct tok *t)
{
	struct node *prev = *nkids ? &(*kids)[*nkids - 1] : NULL;

	if (t->removed || !t->n)
		return;
	if (prev && prev->type == T_TEXT) {
		prev->s = erealloc(prev->s, prev->n + t->n + 1);
		memcpy(prev->s + prev->n, t->s, t->n);
		prev->n += t->n;
		prev->s[prev->n] = '\0';
	} else {
		add_node(kids, nkids, cap, T_TEXT, t);
	}
}

/* The closing tag t: does it close open? 0, or -1 and a message. */
static int
check_close(struct parse *ps, const struct tok *t, const struct tok *open)
{
	if (!open) {
		perr(ps, t->line, "closing tag '%.*s' without a section",
		    (int)t->n, t->s);
		return -1;
	}
	if (t->n != open->n || memcmp(t->s, open->s, t->n)) {
		perr(ps, t->line, "closing tag '%.*s' in section '%.*s' (line %u)",
		    (int)t->n, t->s, (int)open->n, open->s, open->line);
		return -1;
	}
	return 0;
}

static int build(struct parse *ps, size_t *i, const struct tok *open,
    struct node **kids, size_t *nkids);

/* A section's node and, from token *i on, its contents. */
static int
build_section(struct parse *ps, size_t *i, const struct tok *t,
    struct node **kids, size_t *nkids, size_t *cap)
{
	struct node *nd = add_node(kids, nkids, cap, t->type, t);

	if (++ps->depth > MAXSECTIONS) {
		perr(ps, t->line, "sections nested more than %d deep", MAXSECTIONS);
		return -1;
	}
	if (build(ps, i, t, &nd->kids, &nd->nkids))
		return -1;
	ps->depth--;
	return 0;
}

/* Nodes from token *i on, up to the closing tag of open (if any). */
static int
build(struct parse *ps, size_t *i, const struct tok *open,
    struct node **kids, size_t *nkids)
{
	struct node *nd;
	size_t cap = 0;
	const struct tok *t;

	*kids = NULL;
	*nkids = 0;
	while (*i < ps->ntok) {
		t = &ps->tok[(*i)++];
		switch (t->type) {
		case T_TEXT:
			add_text(kids, nkids, &cap, t);
			break;
		case T_VAR:
		case T_RAW:
			add_node(kids, nkids, &cap, t->type, t);
			break;
		case T_PARTIAL:
			nd = add_node(kids, nkids, &cap, T_PARTIAL, t);
			if (t->indent)
				nd->indent = estrndup(t[-1].s, t->indent);
			break;
		case T_SECTION:
		case T_INVERTED:
			if (build_section(ps, i, t, kids, nkids, &cap))
				return -1;
			break;
		case T_CLOSE:
			return check_close(ps, t, open);
		}
	}
	if (open) {
		perr(ps, open->line, "section '%.*s' is not closed", (int)open->n, open->s);
		return -1;
	}
	return 0;
}

struct mst *
mst_compile(const char *src, size_t n, const char *name, const char *indent,
    char *err, size_t errlen)
{
	struct parse ps;
	struct mst *t = NULL;
	struct buf ind = { NULL, 0, 0 };
	size_t i = 0, k;

	memset(&ps, 0, sizeof ps);
	ps.name = name;
	ps.err = err;
	ps.errlen = errlen;
	if (errlen)
		err[0] = '\0';
	if (indent && *indent && n) {
		/* the indentation before every line that has something in it */
		buf_puts(&ind, indent);
		for (k = 0; k < n; k++) {
			buf_putc(&ind, src[k]);
			if (src[k] == '\n' && k + 1 < n)
				buf_puts(&ind, indent);
		}
		src = ind.s;
		n = ind.len;
	}
	if (tokenize(&ps, src, n) == 0) {
		t = ecalloc(1, sizeof *t);
		if (build(&ps, &i, NULL, &t->kids, &t->nkids)) {
			free_nodes(t->kids, t->nkids);
			free(t);
			t = NULL;
		}
	}
	free(ps.tok);
	buf_free(&ind);
	return t;
}

void
mst_free(struct mst *t)
{
	if (!t)
		return;
	free_nodes(t->kids, t->nkids);
	free(t);
}

/* ---- partials ---- */

struct mst_lib {
	mst_loader *load;
	void *arg;
	struct entry *e;
	size_t n, cap;
	int walks;		/* mst_walk calls so far: entry.walked is the last */
};

struct mst_lib *
mst_lib_new(mst_loader *load, void *arg)
{
	struct mst_lib *lib = ecalloc(1, sizeof *lib);

	lib->load = load;
	lib->arg = arg;
	return lib;
}

void
mst_lib_free(struct mst_lib *lib)
{
	size_t i;

	if (!lib)
		return;
	for (i = 0; i < lib->n; i++) {
		free(lib->e[i].name);
		free(lib->e[i].indent);
		mst_free(lib->e[i].t);
	}
	free(lib->e);
	free(lib);
}

struct entry *
mst_lib_get(struct mst_lib *lib, const char *name, const char *indent,
    char *err, size_t errlen)
{
	struct entry *e;
	const char *path = name;
	char *src;
	size_t i, n = 0;

	if (!indent)
		indent = "";
	if (errlen)
		err[0] = '\0';
	for (i = 0; i < lib->n; i++)
		if (!strcmp(lib->e[i].name, name) && !strcmp(lib->e[i].indent, indent))
			return &lib->e[i];
	src = lib->load ? lib->load(lib->arg, name, &n, &path) : NULL;
	if (lib->n == lib->cap) {
		lib->cap = lib->cap ? 2 * lib->cap : 8;
		lib->e = erealloc(lib->e, lib->cap * sizeof *lib->e);
	}
	e = &lib->e[lib->n];
	memset(e, 0, sizeof *e);
	if (src && !(e->t = mst_compile(src, n, path, indent, err, errlen))) {
		free(src);
		return NULL;
	}
	free(src);
	e->name = estrdup(name);
	e->indent = estrdup(indent);
	lib->n++;
	return e;
}

/* ---- walking ---- */

static int
walk_nodes(struct mst_lib *lib, const struct node *kids, size_t n, int depth,
    int inpartial, int nest, mst_visit *fn, void *arg, char *err, size_t errlen)
{
	static const char kind[] = { 0, '{', '{', '#', '^', '>' };
	const struct node *nd;
	struct entry *e;
	size_t i;

	for (i = 0; i < n; i++) {
		nd = &kids[i];
		if (nd->type == T_TEXT)
			continue;
		fn(arg, kind[nd->type], nd->s, depth, inpartial);
		if (nd->type == T_SECTION || nd->type == T_INVERTED) {
			if (walk_nodes(lib, nd->kids, nd->nkids, depth + 1, inpartial,
			    nest, fn, arg, err, errlen))
				return -1;
		} else if (nd->type == T_PARTIAL && nest < MAXNEST) {
			if (!(e = mst_lib_get(lib, nd->s, NULL, err, errlen)))
				return -1;
			if (e->t && e->walked != lib->walks) {
				e->walked = lib->walks;
				if (walk_nodes(lib, e->t->kids, e->t->nkids, 0, 1,
				    nest + 1, fn, arg, err, errlen))
					return -1;
			}
		}
	}
	return 0;
}

int
mst_walk(struct mst_lib *lib, const struct mst *t, mst_visit *fn, void *arg,
    char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	lib->walks++;
	return walk_nodes(lib, t->kids, t->nkids, 0, 0, 0, fn, arg, err, errlen);
}
