/* evaluate.c: precision, recall and F1 per tag (evaluate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "util.h"

struct evtag {
	char *name;
	unsigned long tp, fp, fn;
};

struct evaluate {
	struct evtag *tag;
	size_t ntags;
	unsigned long records;
};

struct evaluate *
evaluate_new(void)
{
	return ecalloc(1, sizeof(struct evaluate));
}

static struct evtag *
evtag(struct evaluate *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->ntags; i++)
		if (!strcmp(e->tag[i].name, name))
			return &e->tag[i];
	e->tag = erealloc(e->tag, (e->ntags + 1) * sizeof(*e->tag));
	memset(&e->tag[e->ntags], 0, sizeof(*e->tag));
	e->tag[e->ntags].name = estrdup(name);
	return &e->tag[e->ntags++];
}

/* Is name one of list[0..n)? */
static int
among(const char *const *list, size_t n, const char *name)
{
	while (n--)
		if (!strcmp(list[n], name))
			return 1;
	return 0;
}

void
evaluate_count(struct evaluate *e, const char *const *given, size_t ngiven,
    char *const *labels, size_t nlabels)
{
	const char *const *lab = (const char *const *)labels;
	size_t i;

	e->records++;
	for (i = 0; i < ngiven; i++) {
		if (among(lab, nlabels, given[i]))
			evtag(e, given[i])->tp++;
		else
			evtag(e, given[i])->fp++;
	}
	for (i = 0; i < nlabels; i++)
		if (!among(given, ngiven, lab[i]) && !among(lab, i, lab[i]))
			evtag(e, lab[i])->fn++;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct evtag *)a)->name,
	    ((const struct evtag *)b)->name);
}

static void
ratio_col(double num, double den)
{
	if (den > 0)
		printf(" %9.3f", num / den);
	else
		printf(" %9s", "-");
}

/* One line of the table: support, given, precision, recall, F1. */
static void
print_row(int w, const char *name, unsigned long tp, unsigned long fp,
    unsigned long fn)
{
	printf("%-*s %7lu %7lu", w, name, tp + fn, tp + fp);
	ratio_col((double)tp, (double)(tp + fp));
	ratio_col((double)tp, (double)(tp + fn));
	ratio_col(2.0 * (double)tp, (double)(2 * tp + fp + fn));
	putchar('\n');
}

void
evaluate_print(struct evaluate *e)
{
	unsigned long tp = 0, fp = 0, fn = 0;
	double p, r, sp = 0, sr = 0, sf = 0;
	const struct evtag *t;
	size_t i, w = 5, n = 0;

	qsort(e->tag, e->ntags, sizeof(*e->tag), by_name);
	for (i = 0; i < e->ntags; i++)
		if (strlen(e->tag[i].name) > w)
			w = strlen(e->tag[i].name);
	printf("%-*s %7s %7s %9s %9s %9s\n", (int)w, "tag", "support",
	    "given", "precision", "recall", "F1");
	for (i = 0; i < e->ntags; i++) {
		t = &e->tag[i];
		print_row((int)w, t->name, t->tp, t->fp, t->fn);
		tp += t->tp;
		fp += t->fp;
		fn += t->fn;
		if (t->tp + t->fn) {	/* macro average over tags that occur */
			n++;
			p = t->tp + t->fp ? (double)t->tp / (double)(t->tp + t->fp) : 0;
			r = (double)t->tp / (double)(t->tp + t->fn);
			sp += p;
			sr += r;
			sf += p + r > 0 ? 2 * p * r / (p + r) : 0;
		}
	}
	print_row((int)w, "micro", tp, fp, fn);
	printf("%-*s %7s %7s", (int)w, "macro", "", "");
	ratio_col(sp, (double)n);
	ratio_col(sr, (double)n);
	ratio_col(sf, (double)n);
	printf("\n%lu records\n", e->records);
}

void
evaluate_free(struct evaluate *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->ntags; i++)
		free(e->tag[i].name);
	free(e->tag);
	free(e);
}
