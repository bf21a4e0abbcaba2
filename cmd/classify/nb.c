/* nb.c: multinomial naive Bayes over word presence (nb.h).
 *
 * With n(w,c) the records of class c holding word w, T(c) the sum of
 * n(.,c), V the vocabulary and a = alpha:
 *	log P(c|d) = log P(c) + sum over w in d of log((n(w,c) + a) / (T(c) + aV))
 * which is, for the k words of d that are in V,
 *	log P(c) + k log(a / (T(c) + aV)) + sum over w in d of log(1 + n(w,c)/a)
 * so a word keeps only the classes it was seen in. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "hset.h"
#include "jscan.h"
#include "jw.h"
#include "nb.h"
#include "util.h"
#include "words.h"

#define MAGIC "feedpipe-classify-model"
#define ALPHA 1.0
/* alpha's bounds keep every log finite: n/a, aV and T(c) + aV for up to
 * 2^32 counts and words */
#define ALPHA_MIN 1e-9
#define ALPHA_MAX 1e9

struct count {
	uint32_t cls, n;
	float delta;		/* log(1 + n/a), once loaded */
};

struct word {
	char *s;
	size_t len;
	struct count *c;
	uint32_t nc, capc;
	unsigned long last;	/* the record that saw it last */
};

struct cls {
	char *name;		/* NULL: "no tag" */
	unsigned long docs, tokens;
	double prior, miss;	/* log P(c), log(a / (T(c) + aV)) */
};

/* --train: where the count of (word, class) is in the word's list */
struct pair {
	uint32_t w, cls, at;	/* w: word index + 1, 0 if free */
};

struct nb {
	char **fields;
	size_t nfields;
	struct cls *cls;
	size_t ncls, capcls;
	struct hset tags;	/* tag name -> class index */
	struct pair *pairs;
	size_t npairs, cappairs;
	long none;		/* the "no tag" class, or -1 */
	struct word *w;
	size_t nw, capw;
	struct hset words;	/* word -> index in w (the same order) */
	unsigned long docs, stamp;
	double alpha;
	/* the last prediction */
	double *score;
	size_t *seen, nseen, capseen;
};

struct nb *
nb_new(const char *const *fields, size_t n)
{
	struct nb *m = ecalloc(1, sizeof(*m));
	size_t i;

	m->fields = ecalloc(n ? n : 1, sizeof(*m->fields));
	for (i = 0; i < n; i++)
		m->fields[i] = estrdup(fields[i]);
	m->nfields = n;
	m->none = -1;
	m->alpha = ALPHA;
	hset_init(&m->words, 1024);
	hset_init(&m->tags, 16);
	return m;
}

/* The word's index; a new one is added if add, else -1. */
static long
lookup(struct nb *m, const char *s, size_t n, int add)
{
	long i = hset_find(&m->words, 0, s, n);
	struct word *w;

	if (i >= 0 || !add)
		return i;
	if (m->nw == m->capw) {
		m->capw = m->capw ? m->capw * 2 : 1024;
		m->w = erealloc(m->w, m->capw * sizeof(*m->w));
	}
	w = &m->w[m->nw];
	memset(w, 0, sizeof(*w));
	w->s = estrndup(s, n);
	w->len = n;
	hset_add(&m->words, 0, w->s, n, 0, HSET_NOCOPY, NULL);
	return (long)m->nw++;
}

/* The class of the tag name, or of "no tag" if name is NULL; made on
 * first use. */
static long
class_index(struct nb *m, const char *name)
{
	long i;

	if (!name && m->none >= 0)
		return m->none;
	if (name && (i = nb_find_tag(m, name)) >= 0)
		return i;
	if (m->ncls == m->capcls) {
		m->capcls = m->capcls ? m->capcls * 2 : 16;
		m->cls = erealloc(m->cls, m->capcls * sizeof(*m->cls));
	}
	memset(&m->cls[m->ncls], 0, sizeof(*m->cls));
	if (name) {
		m->cls[m->ncls].name = estrdup(name);
		hset_add(&m->tags, 0, m->cls[m->ncls].name, strlen(name),
		    (int64_t)m->ncls, HSET_NOCOPY, NULL);
	} else {
		m->none = (long)m->ncls;
	}
	return (long)m->ncls++;
}

static void
append_count(struct word *w, uint32_t cls, uint32_t n)
{
	if (w->nc == w->capc) {
		w->capc = w->capc ? w->capc * 2 : 4;
		w->c = erealloc(w->c, w->capc * sizeof(*w->c));
	}
	w->c[w->nc].cls = cls;
	w->c[w->nc].delta = 0;
	w->c[w->nc++].n = n;
}

static size_t
pair_hash(uint32_t w, uint32_t cls, size_t size)
{
	return (size_t)(((uint64_t)w << 32 | cls) * 0x9e3779b97f4a7c15ULL >> 20) &
	    (size - 1);
}

static void
grow_pairs(struct nb *m)
{
	struct pair *old = m->pairs;
	size_t i, j, n = m->cappairs;

	m->cappairs = n ? n * 2 : 4096;
	m->pairs = ecalloc(m->cappairs, sizeof(*m->pairs));
	for (i = 0; i < n; i++) {
		if (!old[i].w)
			continue;
		j = pair_hash(old[i].w, old[i].cls, m->cappairs);
		for (; m->pairs[j].w; j = (j + 1) & (m->cappairs - 1))
			;
		m->pairs[j] = old[i];
	}
	free(old);
}

/* One more record of class cls holds word wi: a hash table finds its count
 * (a word may be in every one of many thousand classes). */
static void
add_count(struct nb *m, size_t wi, uint32_t cls)
{
	struct word *w = &m->w[wi];
	struct pair *p;
	size_t j;

	if (2 * (m->npairs + 1) > m->cappairs)
		grow_pairs(m);
	j = pair_hash((uint32_t)wi + 1, cls, m->cappairs);
	for (;; j = (j + 1) & (m->cappairs - 1)) {
		p = &m->pairs[j];
		if (!p->w)
			break;
		if (p->w == (uint32_t)wi + 1 && p->cls == cls) {
			w->c[p->at].n++;
			return;
		}
	}
	p->w = (uint32_t)wi + 1;
	p->cls = cls;
	p->at = w->nc;
	m->npairs++;
	append_count(w, cls, 1);
}

void
nb_train(struct nb *m, const char *const *labels, size_t nlabels,
    const char *folded, size_t n)
{
	size_t pos = 0, len, i, j, k;
	long *cl, wi;
	const char *s;

	m->docs++;
	m->stamp++;
	cl = emalloc((nlabels ? nlabels : 1) * sizeof(*cl));
	for (i = k = 0; i < nlabels; i++) {
		wi = class_index(m, labels[i]);
		for (j = 0; j < k && cl[j] != wi; j++)
			;
		if (j == k)	/* a label given twice counts once */
			cl[k++] = wi;
	}
	if (!nlabels)
		cl[k++] = class_index(m, NULL);
	for (i = 0; i < k; i++)
		m->cls[cl[i]].docs++;
	while ((s = words_next(folded, n, &pos, &len))) {
		if (!words_token(s, len))
			continue;
		wi = lookup(m, s, len, 1);
		if (m->w[wi].last == m->stamp)
			continue;
		m->w[wi].last = m->stamp;
		for (i = 0; i < k; i++) {
			add_count(m, (size_t)wi, (uint32_t)cl[i]);
			m->cls[cl[i]].tokens++;
		}
	}
	free(cl);
}

unsigned long
nb_docs(const struct nb *m)
{
	return m->docs;
}

static void
put_json(FILE *fp, const char *s)
{
	struct buf b = { NULL, 0, 0 };

	jw_put_string(&b, s, strlen(s));
	fwrite(b.s, 1, b.len, fp);
	buf_free(&b);
}

static const struct nb *sort_model;

static int
cmp_class(const void *a, const void *b)
{
	const struct cls *x = &sort_model->cls[*(const size_t *)a];
	const struct cls *y = &sort_model->cls[*(const size_t *)b];

	if (!x->name || !y->name)	/* "no tag" last */
		return !x->name - !y->name;
	return strcmp(x->name, y->name);
}

static int
cmp_word(const void *a, const void *b)
{
	return strcmp(sort_model->w[*(const size_t *)a].s,
	    sort_model->w[*(const size_t *)b].s);
}

static int
cmp_rank(const void *a, const void *b)
{
	const struct count *x = a, *y = b;

	return (x->cls > y->cls) - (x->cls < y->cls);
}

/* A word's counts with classes by file rank, in that order, into *tmp. */
static const struct count *
ranked(const struct word *w, const size_t *rank, struct count **tmp,
    size_t *cap)
{
	uint32_t j;

	if (w->nc > *cap) {
		*cap = w->nc;
		*tmp = erealloc(*tmp, *cap * sizeof(**tmp));
	}
	for (j = 0; j < w->nc; j++) {
		(*tmp)[j] = w->c[j];
		(*tmp)[j].cls = (uint32_t)rank[w->c[j].cls];
	}
	qsort(*tmp, w->nc, sizeof(**tmp), cmp_rank);
	return *tmp;
}

static void
write_model(const struct nb *m, FILE *fp)
{
	size_t *order, *rank, *words, i, j, cap = 0;
	struct count *tmp = NULL;
	const struct count *rc;
	const struct cls *c;
	const struct word *w;

	order = emalloc((m->ncls + 1) * sizeof(*order));
	rank = emalloc((m->ncls + 1) * sizeof(*rank));
	words = emalloc((m->nw + 1) * sizeof(*words));
	for (i = 0; i < m->ncls; i++)
		order[i] = i;
	for (i = 0; i < m->nw; i++)
		words[i] = i;
	sort_model = m;
	qsort(order, m->ncls, sizeof(*order), cmp_class);
	qsort(words, m->nw, sizeof(*words), cmp_word);
	for (i = 0; i < m->ncls; i++)
		rank[order[i]] = i;
	fprintf(fp, "%s %d\n# multinomial naive Bayes over word presence; "
	    "see classify(1)\nfields", MAGIC, NB_VERSION);
	for (i = 0; i < m->nfields; i++) {
		putc(' ', fp);
		put_json(fp, m->fields[i]);
	}
	fprintf(fp, "\nalpha %g\ndocs %lu\n", m->alpha, m->docs);
	for (i = 0; i < m->ncls; i++) {
		c = &m->cls[order[i]];
		if (c->name) {
			fputs("tag ", fp);
			put_json(fp, c->name);
		} else {
			fputs("none", fp);
		}
		fprintf(fp, " %lu %lu\n", c->docs, c->tokens);
	}
	fprintf(fp, "words %zu\n", m->nw);
	for (i = 0; i < m->nw; i++) {
		w = &m->w[words[i]];
		fputs(w->s, fp);
		rc = ranked(w, rank, &tmp, &cap);	/* classes in file order */
		for (j = 0; j < w->nc; j++)
			fprintf(fp, " %lu:%lu", (unsigned long)rc[j].cls,
			    (unsigned long)rc[j].n);
		putc('\n', fp);
	}
	fputs("end\n", fp);
	free(tmp);
	free(order);
	free(rank);
	free(words);
}

int
nb_save(const struct nb *m, const char *path, char *err, size_t errlen)
{
	char *tmp = NULL;
	FILE *fp;
	int fd, e;

	if ((fd = util_tmpfile(path, 0666, &tmp)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!(fp = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		goto fail;
	}
	write_model(m, fp);
	if (fflush(fp) || ferror(fp) || fsync(fileno(fp))) {
		e = errno ? errno : EIO;
		fclose(fp);
		goto fail;
	}
	if (fclose(fp)) {
		e = errno;
		goto fail;
	}
	if (rename(tmp, path)) {
		e = errno;
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(e));
	unlink(tmp);
	free(tmp);
	return -1;
}

/* A JSON string at *p (to its closing quote), decoded into a new string. */
static char *
json_token(const char **p)
{
	struct buf b = { NULL, 0, 0 };
	const char *q = *p;
	long n;

	if (*q != '"')
		return NULL;
	for (q++; *q && *q != '"'; q++)
		if (*q == '\\' && q[1])
			q++;
	if (!*q || (n = jscan_string(*p, (size_t)(q + 1 - *p), &b)) < 0 ||
	    memchr(b.s, '\0', (size_t)n)) {
		buf_free(&b);
		return NULL;
	}
	*p = q + 1;
	return b.s;
}

static int
number(const char **p, unsigned long *v)
{
	char *e;

	while (**p == ' ')
		++*p;
	if (**p < '0' || **p > '9')
		return -1;
	errno = 0;
	*v = strtoul(*p, &e, 10);
	if (errno)
		return -1;
	*p = e;
	return 0;
}

static void
finish(struct nb *m)
{
	double total = 0;	/* a sum of unsigned longs could wrap */
	size_t i, j;
	struct cls *c;

	for (i = 0; i < m->ncls; i++)
		total += (double)m->cls[i].docs;
	for (i = 0; i < m->ncls; i++) {
		c = &m->cls[i];
		c->prior = log(((double)c->docs + 1.0) / (total + (double)m->ncls));
		c->miss = log(m->alpha / ((double)c->tokens +
		    m->alpha * (double)m->nw));
	}
	for (i = 0; i < m->nw; i++)
		for (j = 0; j < m->w[i].nc; j++)
			m->w[i].c[j].delta = (float)log1p(m->w[i].c[j].n / m->alpha);
	m->score = ecalloc(m->ncls ? m->ncls : 1, sizeof(*m->score));
}

/* "WORD CLASS:COUNT ...": the classes in increasing order */
static int
load_word(struct nb *m, const char *s, char *err, size_t errlen)
{
	unsigned long v, k, prev;
	const char *p;
	size_t n = strcspn(s, " ");
	long wi;

	if (!n || lookup(m, s, n, 0) >= 0) {
		snprintf(err, errlen, n ? "word '%.*s' twice" : "expected a word",
		    (int)n, s);
		return -1;
	}
	wi = lookup(m, s, n, 1);
	for (p = s + n, prev = 0; *p == ' ';) {
		if (number(&p, &k) || *p++ != ':' || number(&p, &v) ||
		    k >= m->ncls || !v || v > UINT32_MAX) {
			snprintf(err, errlen, "expected CLASS:COUNT pairs after "
			    "the word (class < %zu)", m->ncls);
			return -1;
		}
		if (m->w[wi].nc && k <= prev) {
			snprintf(err, errlen, "class %lu after class %lu: expected "
			    "the classes in increasing order", k, prev);
			return -1;
		}
		append_count(&m->w[wi], (uint32_t)k, (uint32_t)v);
		prev = k;
	}
	if (*p) {
		snprintf(err, errlen, "expected CLASS:COUNT pairs after the word");
		return -1;
	}
	return 0;
}

/* "fields "title" "summary"" */
static int
load_fields(struct nb *m, const char *s, char *err, size_t errlen)
{
	const char *p;
	char *name;

	for (p = s + 6; *p == ' ';) {
		p++;
		if (!(name = json_token(&p)))
			goto bad;
		m->fields = erealloc(m->fields, (m->nfields + 1) *
		    sizeof(*m->fields));
		m->fields[m->nfields++] = name;
	}
	if (!*p && m->nfields)
		return 0;
bad:
	snprintf(err, errlen, "fields: expected JSON strings");
	return -1;
}

static int
load_alpha(struct nb *m, const char *s, char *err, size_t errlen)
{
	char *e;

	m->alpha = strtod(s + 6, &e);
	if (*e || e == s + 6 || !(m->alpha >= ALPHA_MIN &&
	    m->alpha <= ALPHA_MAX)) {
		snprintf(err, errlen, "alpha: expected a number from 1e-9 to 1e9");
		return -1;
	}
	return 0;
}

/* "tag "NAME" DOCS TOKENS" or, last, "none DOCS TOKENS" */
static int
load_class(struct nb *m, const char *s, char *err, size_t errlen)
{
	unsigned long docs, tokens, k;
	const char *p = s + 5;
	char *name = NULL;

	if (*s == 't') {
		p = s + 4;
		if (!(name = json_token(&p))) {
			snprintf(err, errlen, "tag: expected a JSON string");
			return -1;
		}
	}
	if (number(&p, &docs) || number(&p, &tokens) || *p ||
	    m->none >= 0 || (name && nb_find_tag(m, name) >= 0)) {
		snprintf(err, errlen, m->none >= 0 ? "'none' must be the last "
		    "class, once" : name && nb_find_tag(m, name) >= 0 ?
		    "tag given twice" : "expected DOCS TOKENS");
		free(name);
		return -1;
	}
	k = (unsigned long)class_index(m, name);
	m->cls[k].docs = docs;
	m->cls[k].tokens = tokens;
	free(name);
	return 0;
}

/* "words N": N word lines and "end" follow */
static int
load_words(struct nb *m, const char *s, unsigned long *nwords, char *err,
    size_t errlen)
{
	const char *p = s + 6;

	if (number(&p, nwords) || *p || !m->nfields || !m->ncls) {
		snprintf(err, errlen, !m->nfields ? "no 'fields' line" :
		    !m->ncls ? "no 'tag' lines" : "words: expected a number");
		return -1;
	}
	return 0;
}

/* One line after the magic one. *state: 1 in the head, 2 among the
 * *nwords word lines still to come, 3 after "end". */
static int
load_line(struct nb *m, const char *s, unsigned long *nwords, int *state,
    char *err, size_t errlen)
{
	const char *p;

	if (*state == 2 && !*nwords) {
		if (strcmp(s, "end")) {
			snprintf(err, errlen, "expected 'end'");
			return -1;
		}
		*state = 3;
		return 0;
	}
	if (*state == 2) {
		--*nwords;
		return load_word(m, s, err, errlen);
	}
	if (*state == 3) {
		snprintf(err, errlen, "text after 'end'");
		return -1;
	}
	if (!*s || *s == '#')
		return 0;
	if (!strncmp(s, "fields", 6) && (!s[6] || s[6] == ' '))
		return load_fields(m, s, err, errlen);
	if (!strncmp(s, "alpha ", 6))
		return load_alpha(m, s, err, errlen);
	if (!strncmp(s, "docs ", 5)) {
		p = s + 5;
		if (number(&p, &m->docs) || *p) {
			snprintf(err, errlen, "docs: expected a number");
			return -1;
		}
		return 0;
	}
	if (!strncmp(s, "tag ", 4) || !strncmp(s, "none ", 5))
		return load_class(m, s, err, errlen);
	if (!strncmp(s, "words ", 6)) {
		*state = 2;
		return load_words(m, s, nwords, err, errlen);
	}
	snprintf(err, errlen, "unknown line '%.20s'", s);
	return -1;
}

struct nb *
nb_load(const char *path, unsigned long *line, char *err, size_t errlen)
{
	struct nb *m = nb_new(NULL, 0);
	char *s = NULL, *e;
	size_t cap = 0;
	ssize_t len;
	unsigned long nwords = 0;
	int state = 0;
	long v;
	FILE *fp;

	*line = 0;
	if (!(fp = fopen(path, "r"))) {
		snprintf(err, errlen, "%s", strerror(errno));
		nb_free(m);
		return NULL;
	}
	while ((len = getline(&s, &cap, fp)) >= 0) {
		++*line;
		if (len && s[len - 1] == '\n')
			s[--len] = '\0';
		if ((size_t)len != strlen(s)) {
			snprintf(err, errlen, "NUL byte");
			goto fail;
		}
		if (state == 0) {
			if (strncmp(s, MAGIC " ", sizeof(MAGIC)) ||
			    (v = strtol(s + sizeof(MAGIC), &e, 10), *e) || v < 1) {
				snprintf(err, errlen, "not a classify model "
				    "(no '%s VERSION' line)", MAGIC);
				goto fail;
			}
			if (v != NB_VERSION) {
				snprintf(err, errlen, "model version %ld; this "
				    "classify reads version %d", v, NB_VERSION);
				goto fail;
			}
			state = 1;
			continue;
		}
		if (load_line(m, s, &nwords, &state, err, errlen))
			goto fail;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s", strerror(errno));
		*line = 0;
		goto fail;
	}
	if (state != 3) {
		snprintf(err, errlen, "truncated: no 'end' line");
		goto fail;
	}
	free(s);
	fclose(fp);
	finish(m);
	return m;
fail:
	free(s);
	fclose(fp);
	nb_free(m);
	return NULL;
}

size_t
nb_nfields(const struct nb *m)
{
	return m->nfields;
}

const char *
nb_field(const struct nb *m, size_t i)
{
	return m->fields[i];
}

size_t
nb_ntags(const struct nb *m)
{
	return m->ncls - (m->none >= 0);
}

const char *
nb_tag(const struct nb *m, size_t i)
{
	return m->cls[i].name;
}

long
nb_find_tag(const struct nb *m, const char *name)
{
	long i = hset_find(&m->tags, 0, name, strlen(name));

	return i < 0 ? -1 : (long)m->tags.ent[i].val;
}

void
nb_predict(struct nb *m, const char *folded, size_t n, double *post,
    double *none)
{
	size_t pos = 0, len, i, j;
	const struct word *w;
	const char *s;
	double max, sum;
	long wi;

	m->stamp++;
	m->nseen = 0;
	while ((s = words_next(folded, n, &pos, &len))) {
		if (!words_token(s, len) || (wi = lookup(m, s, len, 0)) < 0 ||
		    m->w[wi].last == m->stamp)
			continue;
		m->w[wi].last = m->stamp;
		if (m->nseen == m->capseen) {
			m->capseen = m->capseen ? m->capseen * 2 : 256;
			m->seen = erealloc(m->seen, m->capseen * sizeof(*m->seen));
		}
		m->seen[m->nseen++] = (size_t)wi;
	}
	for (i = 0; i < m->ncls; i++)
		m->score[i] = m->cls[i].prior + (double)m->nseen * m->cls[i].miss;
	for (i = 0; i < m->nseen; i++) {
		w = &m->w[m->seen[i]];
		for (j = 0; j < w->nc; j++)
			m->score[w->c[j].cls] += w->c[j].delta;
	}
	max = -HUGE_VAL;
	for (i = 0; i < m->ncls; i++)
		if (m->score[i] > max)
			max = m->score[i];
	sum = 0;
	for (i = 0; i < m->ncls; i++)
		sum += exp(m->score[i] - max);
	for (i = 0; i < m->ncls; i++) {
		if ((long)i == m->none)
			continue;
		post[i] = exp(m->score[i] - max) / sum;
	}
	*none = m->none >= 0 ? exp(m->score[m->none] - max) / sum : 0;
}

static double
logp(const struct nb *m, const struct word *w, size_t c)
{
	uint32_t j;

	for (j = 0; j < w->nc; j++)
		if (w->c[j].cls == c)
			return m->cls[c].miss + w->c[j].delta;
	return m->cls[c].miss;
}

size_t
nb_explain(struct nb *m, size_t tag, const char **words, size_t k)
{
	double *best, d;
	size_t i, j, n = 0, u = tag;
	const struct word *w;

	for (i = 0; i < m->ncls; i++)
		if (i != tag && (u == tag || m->score[i] > m->score[u]))
			u = i;
	if (u == tag || !k)
		return 0;
	best = emalloc(k * sizeof(*best));
	for (i = 0; i < m->nseen; i++) {
		w = &m->w[m->seen[i]];
		if ((d = logp(m, w, tag) - logp(m, w, u)) <= 0)
			continue;
		for (j = n; j > 0 && best[j - 1] < d; j--)
			if (j < k) {
				best[j] = best[j - 1];
				words[j] = words[j - 1];
			}
		if (j < k) {
			best[j] = d;
			words[j] = w->s;
			if (n < k)
				n++;
		}
	}
	free(best);
	return n;
}

void
nb_free(struct nb *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nfields; i++)
		free(m->fields[i]);
	for (i = 0; i < m->ncls; i++)
		free(m->cls[i].name);
	for (i = 0; i < m->nw; i++) {
		free(m->w[i].s);
		free(m->w[i].c);
	}
	free(m->fields);
	free(m->cls);
	hset_free(&m->tags);
	free(m->pairs);
	free(m->w);
	hset_free(&m->words);
	free(m->score);
	free(m->seen);
	free(m);
}
