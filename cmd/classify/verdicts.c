/* verdicts.c: the reader's verdicts on records by id (verdicts.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hset.h"
#include "util.h"
#include "verdicts.h"

/* by id: 1 for '+' and -1 for '-', doubled once taken */
struct verdicts {
	struct hset ids;
};

static _Noreturn void
verdict_error(const char *path, unsigned long lineno, const char *what)
{
	eprintf("%s:%lu: %s; want 'ID<TAB>+' or 'ID<TAB>-'", path, lineno, what);
}

/* The verdict at p, or 0; *p moves past it. A minus sign (U+2212) is a
 * '-' too, as a word processor may write it. */
static int
verdict_sign(const char **p)
{
	if (**p == '+' || **p == '-')
		return *(*p)++ == '+' ? 1 : -1;
	if (!strncmp(*p, "\xe2\x88\x92", 3)) {
		*p += 3;
		return -1;
	}
	return 0;
}

/* One line of the file (NUL-terminated, no line end): its verdict, the id
 * in ln[0..*idlen); 0 for a blank line or a comment. */
static int
parse_line(const char *path, unsigned long lineno, const char *ln,
    size_t *idlen)
{
	const char *p, *tab;
	int v;

	for (p = ln; *p == ' ' || *p == '\t'; p++)
		;
	if (!*p || *p == '#')
		return 0;
	if (!(tab = strchr(ln, '\t')))
		verdict_error(path, lineno, "no tab");
	for (*idlen = (size_t)(tab - ln); *idlen && ln[*idlen - 1] == ' ';
	    --*idlen)
		;
	if (p == tab || !*idlen)
		verdict_error(path, lineno, "no id before the tab");
	p = tab + 1;
	if (!(v = verdict_sign(&p)))
		verdict_error(path, lineno, "no '+' or '-' after the tab");
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p && *p != '#')
		verdict_error(path, lineno, "more than '+' or '-' after "
		    "the tab (a comment starts with '#')");
	return v;
}

struct verdicts *
verdicts_load(const char *path)
{
	struct verdicts *vs = emalloc(sizeof(*vs));
	FILE *fp = open_input(path);
	unsigned long lineno = 0;
	char *ln = NULL;
	size_t cap = 0, len, idlen;
	ssize_t got;
	long i;
	int v;

	if (!fp)
		eprintf("%s:", path);
	hset_init(&vs->ids, 256);
	while ((got = getline(&ln, &cap, fp)) != -1) {
		lineno++;
		len = (size_t)got;
		while (len && (ln[len - 1] == '\n' || ln[len - 1] == '\r'))
			len--;
		if (memchr(ln, '\0', len))
			verdict_error(path, lineno, "a NUL byte");
		ln[len] = '\0';
		if (!(v = parse_line(path, lineno, ln, &idlen)))
			continue;
		i = hset_add(&vs->ids, 0, ln, idlen, v, HSET_COPY, NULL);
		vs->ids.ent[i].val = v;
	}
	if (ferror(fp))
		eprintf("%s: read error:", path);
	if (fp != stdin)
		fclose(fp);
	free(ln);
	return vs;
}

int
verdicts_take(struct verdicts *v, const char *s, size_t n)
{
	long i = hset_find(&v->ids, 0, s, n);

	if (i < 0 || v->ids.ent[i].val % 2 == 0)
		return 0;
	v->ids.ent[i].val *= 2;
	return v->ids.ent[i].val > 0 ? 1 : -1;
}

void
verdicts_report_unused(const struct verdicts *v, const char *path)
{
	unsigned long unused = 0;
	size_t i;

	for (i = 0; i < v->ids.n; i++)
		unused += v->ids.ent[i].val % 2 != 0;
	if (unused)
		weprintf("%s: warning: %lu verdict%s named no record read", path,
		    unused, unused == 1 ? "" : "s");
}

void
verdicts_free(struct verdicts *v)
{
	if (!v)
		return;
	hset_free(&v->ids);
	free(v);
}
