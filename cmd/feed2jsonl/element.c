/*
 * element.c: libxml2's start and end element handlers. Each element is
 * known by its namespace and name (names.c); where it stands (the root, a
 * child of the channel, of an item, of an author or a media group) says
 * what it fills. An item is handed on when its element closes, so memory
 * stays flat.
 */
#include <libxml/uri.h>
#include <stdlib.h>
#include <string.h>

#include "feedxml.h"
#include "util.h"

const char *
element_base(const struct state *st)
{
	return st->depth > 0 ? st->stack[st->depth - 1].base : NULL;
}

/* xml:base="v", made absolute against the base in scope if there is one */
static char *
resolve_base(const char *base, const char *v, size_t len)
{
	char *rel = estrndup(v, len);
	xmlChar *abs = base ? xmlBuildURI((const xmlChar *)rel, (const xmlChar *)base) : NULL;
	char *s;

	if (!abs)
		return rel;
	s = estrdup((const char *)abs);
	xmlFree(abs);
	free(rel);
	return s;
}

/* The element's frame on the stack, or NULL when it is nested too deep. */
static struct frame *
push_frame(struct state *st, const char *name, const xmlChar **attrs, int nattr)
{
	struct frame *f;
	const char *xb;
	size_t len = 0;

	if (st->depth >= MAXDEPTH) {
		/* the push parser has no depth limit of its own in libxml2 2.9 */
		problem_here(st, "elements nested more than %d deep; the rest is skipped",
		    MAXDEPTH);
		st->stopped = 1;
		xmlStopParser(st->ctxt);
		return NULL;
	}
	f = &st->stack[st->depth];
	f->base = (char *)element_base(st);
	f->own_base = 0;
	f->in_item = 0;
	f->name = name;
	if ((xb = attr_get(attrs, nattr, NS_XML, st, "base", &len))) {
		f->base = resolve_base(f->base, xb, len);
		f->own_base = 1;
	}
	return f;
}

/* The element's dialect (*ns) and tag (NULL for one we do not read). */
static const struct tag *
identify(struct state *st, const char *name, const xmlChar *uri, enum ns *ns)
{
	if (st->depth == 0 && !strcmp(name, "feed") && !uri)
		st->atom_nons = 1;	/* Atom 0.x drafts and sloppy feeds */
	else if (st->depth == 0 && !strcmp(name, "feed"))
		st->atom_uri = uri;	/* echo, pie, necho and other pre-1.0 names */
	*ns = names_ns(st, uri);
	return names_lookup(*ns, name);
}

/* A root that is no feed stops the parse. */
static void
check_root(struct state *st, const char *name, const struct tag *t)
{
	st->root_seen = 1;
	if (st->early[0])
		problem_here(st, "%s", st->early);
	if (t && t->action == A_ROOT)
		return;
	if (!strcmp(name, "channel") || !strcmp(name, "feed") || !strcmp(name, "rss") ||
	    (t && t->action == A_CHANNEL))
		return;
	problem_here(st, "not a feed (the root element is <%s>)", name);
	st->stopped = 1;
	xmlStopParser(st->ctxt);
}

static void
start_root(struct state *st, const char *name, const struct tag *t, enum ns ns,
    const xmlChar **attrs, int nattr)
{
	check_root(st, name, t);
	if (st->stopped)
		return;	/* xmlStopParser freed the input attrs points into */
	if (t && t->action == A_CHANNEL)
		rss_cdf(st, attrs, nattr, 1);	/* Microsoft's CDF: the root is the channel */
	if (ns == NS_ATOM)
		atom_root(st, t, attrs, nattr);
}

static void
start_item(struct state *st, const char *name, const xmlChar **attrs, int nattr)
{
	item_reset(&st->item);
	st->item_depth = st->depth;
	if (*name == 'I')
		rss_cdf(st, attrs, nattr, 0);
	rss_rdf_about(st, attrs, nattr);
}

static struct buf *
chan_buf(struct channel *ch, enum chan_field f)
{
	switch (f) {
	case C_TITLE: return &ch->title;
	case C_LINK: return &ch->link;
	case C_DESC: return &ch->description;
	case C_LANG: return &ch->language;
	case C_UPDATED: return &ch->updated;
	case C_PUBDATE: return &ch->pubdate;
	default: return NULL;
	}
}

/* A field of the channel: each taken from its first element. */
static void
start_channel_child(struct state *st, const struct tag *t, const xmlChar **attrs, int nattr)
{
	struct buf *b = chan_buf(st->ch, t->chan);

	if (t->action == A_ALINK)
		atom_link(st, attrs, nattr, 1);
	else if (b && !b->len)
		capture_channel(st, b, t->chan == C_TITLE, attrs, nattr);
}

static void
itunes_category(struct state *st, const xmlChar **attrs, int nattr)
{
	char *text = attr_dup(attrs, nattr, NS_OTHER, st, "text");

	if (text && *text && !strlist_has(&st->item.categories, text))
		strlist_add(&st->item.categories, text, strlen(text));
	free(text);
}

static void
arxiv_primary(struct state *st, const xmlChar **attrs, int nattr)
{
	char *term = attr_dup(attrs, nattr, NS_OTHER, st, "term");
	struct slot_text *s = &st->item.slot[S_ARXIVPRIMARY];

	if (term && *term && !s->set) {
		buf_puts(&s->text, term);
		s->set = 1;
	}
	free(term);
}

static void
start_item_child(struct state *st, const struct tag *t, const xmlChar **attrs, int nattr)
{
	switch (t->action) {
	case A_GUID:
		if (t->ns == NS_RSS)
			rss_guid(st, attrs, nattr);
		capture_slot(st, t->slot, attrs, nattr);
		break;
	case A_TEXT: capture_slot(st, t->slot, attrs, nattr); break;
	case A_CREATOR:
	case A_CATEGORY:
	case A_IDENT: capture_list(st); break;
	case A_ACATEGORY: atom_category(st, attrs, nattr); break;
	case A_ICATEGORY: itunes_category(st, attrs, nattr); break;
	case A_PRIMARY: arxiv_primary(st, attrs, nattr); break;
	case A_ALINK: atom_link(st, attrs, nattr, 0); break;
	case A_ENCLOSURE: rss_enclosure(st, attrs, nattr); break;
	case A_AUTHOR: st->author_depth = st->depth; break;
	case A_GROUP: st->group_depth = st->depth; break;
	case A_SKIP: st->skip_depth = st->depth; break;
	default: break;
	}
}

/* An element below the root: what its parent is says what it fills. */
static void
start_child(struct state *st, const char *name, const struct tag *t,
    const xmlChar **attrs, int nattr)
{
	int parent_item = st->item_depth && st->depth == st->item_depth + 1;
	int parent_chan = !st->item_depth && st->chan_depth && st->depth == st->chan_depth + 1;

	if (t->action == A_ITEM && !st->item_depth)
		start_item(st, name, attrs, nattr);
	else if (t->action == A_CHANNEL && !st->item_depth && st->depth == 2)
		st->chan_depth = st->depth;
	else if (parent_chan)
		start_channel_child(st, t, attrs, nattr);
	else if (st->author_depth && st->depth == st->author_depth + 1) {
		if (t->action == A_NAME)
			capture_list(st);
	} else if (st->group_depth && st->depth == st->group_depth + 1) {
		if (t->action == A_TEXT && t->ns == NS_MEDIA)
			capture_slot(st, t->slot, attrs, nattr);
	} else if (parent_item || (t->action == A_ICATEGORY && st->item_depth &&
	    st->stack[st->depth - 2].tag == t)) {	/* iTunes nests subcategories */
		st->stack[st->depth - 1].in_item = 1;
		start_item_child(st, t, attrs, nattr);
	}
}

void
element_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattr,
    int ndefaulted, const xmlChar **attrs)
{
	struct state *st = ctx;
	const char *name = (const char *)localname;
	struct frame *f;
	enum ns ns;

	(void)nns; (void)nss; (void)ndefaulted;
	if (st->stopped)
		return;
	if (prefix && !uri)
		uri = names_undeclared(st, prefix);
	names_undeclared_attrs(st, attrs, nattr);
	if (!(f = push_frame(st, name, attrs, nattr)))
		return;
	f->tag = identify(st, name, uri, &ns);
	st->depth++;
	if (st->cap)
		capture_markup(st, name, attrs, nattr);
	else if (st->depth == 1)
		start_root(st, name, f->tag, ns, attrs, nattr);
	else if (!st->skip_depth && f->tag)
		start_child(st, name, f->tag, attrs, nattr);
}

void
element_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct state *st = ctx;
	struct frame *f;

	(void)prefix; (void)uri;
	if (st->stopped || st->depth == 0)
		return;
	f = &st->stack[st->depth - 1];
	if (st->cap) {
		if (st->depth == st->cap_depth)
			capture_end(st);
		else
			capture_close_tag(st, (const char *)localname);
	} else if (st->depth == st->item_depth) {
		st->item_depth = 0;
		st->cb->item(st->cb->arg, &st->item, st->ch);
	} else if (st->depth == st->author_depth) {
		st->author_depth = 0;
	} else if (st->depth == st->group_depth) {
		st->group_depth = 0;
	} else if (st->depth == st->skip_depth) {
		st->skip_depth = 0;
	} else if (st->depth == st->chan_depth && st->depth > 1) {
		st->chan_depth = 0;
	}
	if (f->own_base)
		free(f->base);
	st->depth--;
}
