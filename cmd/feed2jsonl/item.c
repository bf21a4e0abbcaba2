/* item.c: collected item fields, and the lists they use. */
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "util.h"

void
strlist_add(struct strlist *l, const char *s, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = erealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = estrndup(s, n);
}

int
strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

void
strlist_clear(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

void
strlist_free(struct strlist *l)
{
	strlist_clear(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

void
item_reset(struct item *it)
{
	int i;

	for (i = 0; i < S_NSLOTS; i++) {
		buf_reset(&it->slot[i].text);
		it->slot[i].kind = TK_SNIFF;
		it->slot[i].set = 0;
		free(it->slot[i].base);
		it->slot[i].base = NULL;
	}
	strlist_clear(&it->creators);
	strlist_clear(&it->atom_authors);
	strlist_clear(&it->categories);
	strlist_clear(&it->identifiers);
	it->guid_permalink = 0;
}

void
item_free(struct item *it)
{
	int i;

	item_reset(it);
	for (i = 0; i < S_NSLOTS; i++)
		buf_free(&it->slot[i].text);
	strlist_free(&it->creators);
	strlist_free(&it->atom_authors);
	strlist_free(&it->categories);
	strlist_free(&it->identifiers);
}

struct slot_text *
item_slot(struct item *it, enum slot s)
{
	return it->slot[s].set ? NULL : &it->slot[s];
}

void
channel_reset(struct channel *ch)
{
	buf_reset(&ch->title);
	buf_reset(&ch->link);
	buf_reset(&ch->description);
	buf_reset(&ch->language);
	buf_reset(&ch->updated);
	buf_reset(&ch->pubdate);
	ch->title_kind = TK_SNIFF;
}

void
channel_free(struct channel *ch)
{
	buf_free(&ch->title);
	buf_free(&ch->link);
	buf_free(&ch->description);
	buf_free(&ch->language);
	buf_free(&ch->updated);
	buf_free(&ch->pubdate);
}
