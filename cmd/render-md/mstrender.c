/* mstrender.c: a compiled template (mstree.h) rendered over a stack of
 * jansson values, all at once or with one list streamed; see mst.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "mstree.h"
#include "util.h"

struct loop {
	size_t index;
	int last;
};

struct render {
	struct mst_lib *lib;
	const struct mst_sink *out;
	const struct mst_lazy *lazy;
	json_t **stack;
	size_t depth, cap;
	struct loop *loops;
	size_t nloops, loopcap;
	int nest;
	int nestwarned, stackwarned;
	void (*warn)(void *arg, const char *msg);
	void *warnarg;
	char *err;
	size_t errlen;
	int failed;
};

static void
spush(struct render *r, json_t *v)
{
	if (r->depth == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->stack = erealloc(r->stack, r->cap * sizeof *r->stack);
	}
	r->stack[r->depth++] = v;
}

static void
lpush(struct render *r, size_t index, int last)
{
	if (r->nloops == r->loopcap) {
		r->loopcap = r->loopcap ? 2 * r->loopcap : 8;
		r->loops = erealloc(r->loops, r->loopcap * sizeof *r->loops);
	}
	r->loops[r->nloops].index = index;
	r->loops[r->nloops].last = last;
	r->nloops++;
}

/* The value a name stands for (borrowed), or NULL; @index is put in *tmp
 * (a new reference the caller drops). */
static json_t *
lookup(struct render *r, const struct name *nm, json_t **tmp)
{
	json_t *v = NULL;
	size_t i;

	*tmp = NULL;
	if (nm->dot)
		return r->depth ? r->stack[r->depth - 1] : NULL;
	if (nm->at) {
		const struct loop *l;

		if (!r->nloops)
			return NULL;
		l = &r->loops[r->nloops - 1];
		if (nm->at == AT_FIRST)
			return l->index == 0 ? json_true() : json_false();
		if (nm->at == AT_LAST)
			return l->last ? json_true() : json_false();
		return *tmp = json_integer((json_int_t)l->index);
	}
	for (i = r->depth; i-- > 0;) {
		if (json_is_object(r->stack[i]) &&
		    (v = json_object_get(r->stack[i], nm->parts[0])))
			break;
		if (nm->lead)
			return NULL;
	}
	for (i = 1; v && i < nm->nparts; i++)
		v = json_is_object(v) ? json_object_get(v, nm->parts[i]) : NULL;
	return v;
}

static int
falsey(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return 1;
	case JSON_ARRAY:
		return json_array_size(v) == 0;
	case JSON_STRING:
		return json_string_length(v) == 0;
	default:
		return 0;
	}
}

static void
interpolate(struct render *r, const json_t *v, int raw)
{
	char num[64];
	int k;

	switch (json_typeof(v)) {
	case JSON_STRING:
		r->out->value(r->out->arg, json_string_value(v), json_string_length(v), raw);
		return;
	case JSON_INTEGER:
		k = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		jw_format_real(json_real_value(v), num);	/* as records write it */
		k = (int)strlen(num);
		break;
	case JSON_TRUE:
		k = snprintf(num, sizeof num, "true");
		break;
	case JSON_FALSE:
		k = snprintf(num, sizeof num, "false");
		break;
	default:
		return;
	}
	r->out->value(r->out->arg, num, (size_t)k, raw);
}

static void render_nodes(struct render *r, const struct node *kids, size_t n);

static void
warnf(struct render *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!r->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->warn(r->warnarg, msg);
}

static void
render_section(struct render *r, const struct node *nd)
{
	json_t *tmp, *v = lookup(r, &nd->nm, &tmp), *cur, *next;
	size_t i, n;

	if (!v)
		return;
	if (r->depth >= MAXSTACK) {
		if (!r->stackwarned)
			warnf(r, "sections nested more than %d deep; the rest is left out", MAXSTACK);
		r->stackwarned = 1;
		json_decref(tmp);
		return;
	}
	/* the streamed list is empty here: its items come by mst_stream_item */
	if (json_is_array(v)) {
		n = json_array_size(v);
		for (i = 0; i < n && !r->failed; i++) {
			cur = json_array_get(v, i);
			next = r->lazy && r->lazy->expand ? r->lazy->expand(r->lazy->arg, cur) : NULL;
			lpush(r, i, i + 1 == n);
			spush(r, next ? next : cur);
			render_nodes(r, nd->kids, nd->nkids);
			r->depth--;
			r->nloops--;
			json_decref(next);
		}
	} else if (!falsey(v)) {
		spush(r, v);
		render_nodes(r, nd->kids, nd->nkids);
		r->depth--;
	}
	json_decref(tmp);
}

static void
render_partial(struct render *r, const struct node *nd)
{
	struct entry *e;

	if (r->nest >= MAXNEST) {
		if (!r->nestwarned)
			warnf(r, "partials nested more than %d deep; the rest is left out", MAXNEST);
		r->nestwarned = 1;
		return;
	}
	if (!(e = mst_lib_get(r->lib, nd->s, nd->indent, r->err, r->errlen))) {
		r->failed = 1;
		return;
	}
	if (!e->t) {
		if (!e->warned)
			warnf(r, "partial '%s' not found", nd->s);
		e->warned = 1;
		return;
	}
	r->nest++;
	render_nodes(r, e->t->kids, e->t->nkids);
	r->nest--;
}

static void
render_nodes(struct render *r, const struct node *kids, size_t n)
{
	const struct node *nd;
	json_t *v, *tmp;
	size_t i;

	for (i = 0; i < n && !r->failed; i++) {
		nd = &kids[i];
		switch (nd->type) {
		case T_TEXT:
			r->out->text(r->out->arg, nd->s, nd->n);
			break;
		case T_VAR:
		case T_RAW:
			if ((v = lookup(r, &nd->nm, &tmp)))
				interpolate(r, v, nd->type == T_RAW);
			json_decref(tmp);
			break;
		case T_SECTION:
			render_section(r, nd);
			break;
		case T_INVERTED:
			v = lookup(r, &nd->nm, &tmp);
			if (!v || (falsey(v) && !(r->lazy && r->lazy->lazy && v == r->lazy->lazy)))
				render_nodes(r, nd->kids, nd->nkids);
			json_decref(tmp);
			break;
		case T_PARTIAL:
			render_partial(r, nd);
			break;
		}
	}
}

static void
render_init(struct render *r, struct mst_lib *lib, const struct mst_sink *out,
    const struct mst_lazy *lazy, void (*warn)(void *arg, const char *msg),
    void *warnarg, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	r->lib = lib;
	r->out = out;
	r->lazy = lazy;
	r->warn = warn;
	r->warnarg = warnarg;
	r->err = err;
	r->errlen = errlen;
	if (errlen)
		err[0] = '\0';
}

int
mst_render(struct mst_lib *lib, const struct mst *t, json_t *view,
    const struct mst_sink *out, const struct mst_lazy *lazy,
    void (*warn)(void *arg, const char *msg), void *warnarg,
    char *err, size_t errlen)
{
	struct render r;

	render_init(&r, lib, out, lazy, warn, warnarg, err, errlen);
	spush(&r, view);
	render_nodes(&r, t->kids, t->nkids);
	free(r.stack);
	free(r.loops);
	return r.failed ? -1 : 0;
}

/* ---- one list streamed ---- */

struct mst_stream {
	struct render r;
	const struct mst *t;
	size_t at;		/* the streamed section is t->kids[at] (nkids: none) */
	json_t *pending;	/* the item before the next: is it the last? */
	size_t index;
};

/* Is nd a section over the streamed list? */
static int
streamed(struct render *r, const struct node *nd)
{
	json_t *tmp, *v;

	if (nd->type != T_SECTION)
		return 0;
	v = lookup(r, &nd->nm, &tmp);
	json_decref(tmp);
	return v && v == r->lazy->lazy;
}

struct mst_stream *
mst_stream_begin(struct mst_lib *lib, const struct mst *t, json_t *view,
    const struct mst_sink *out, const struct mst_lazy *lazy,
    void (*warn)(void *arg, const char *msg), void *warnarg,
    char *err, size_t errlen)
{
	struct mst_stream *s = ecalloc(1, sizeof *s);

	render_init(&s->r, lib, out, lazy, warn, warnarg, err, errlen);
	s->t = t;
	spush(&s->r, view);
	for (s->at = 0; s->at < t->nkids && !s->r.failed; s->at++) {
		if (streamed(&s->r, &t->kids[s->at]))
			break;
		render_nodes(&s->r, &t->kids[s->at], 1);
	}
	if (s->r.failed) {
		free(s->r.stack);
		free(s->r.loops);
		free(s);
		return NULL;
	}
	return s;
}

/* The streamed section's contents over item. */
static void
render_item(struct mst_stream *s, json_t *item, int last)
{
	const struct node *nd = &s->t->kids[s->at];

	if (s->at == s->t->nkids || s->r.failed)
		return;
	lpush(&s->r, s->index++, last);
	spush(&s->r, item);
	render_nodes(&s->r, nd->kids, nd->nkids);
	s->r.depth--;
	s->r.nloops--;
}

int
mst_stream_item(struct mst_stream *s, json_t *item)
{
	if (s->pending)
		render_item(s, s->pending, 0);
	json_decref(s->pending);
	s->pending = item;
	return s->r.failed ? -1 : 0;
}

int
mst_stream_end(struct mst_stream *s)
{
	int failed;

	if (s->pending)
		render_item(s, s->pending, 1);
	json_decref(s->pending);
	if (s->at < s->t->nkids && !s->r.failed)
		render_nodes(&s->r, s->t->kids + s->at + 1, s->t->nkids - s->at - 1);
	failed = s->r.failed;
	free(s->r.stack);
	free(s->r.loops);
	free(s);
	return failed ? -1 : 0;
}
