/*
 * boiler.c: what publishers wrap around an abstract, removed; where it
 * says who wrote the paper, where it appeared or its DOI, that is kept.
 */
#include <string.h>

#include "authors.h"
#include "boiler.h"
#include "ident.h"
#include "text.h"

struct found {
	struct strlist *authors;
	struct buf *journal;
	struct buf *doi;
};

static int
is_digit4(const char *p)
{
	int i;

	for (i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static int
starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Remove s[from..to) from b. */
static void
cut(struct buf *b, size_t from, size_t to)
{
	memmove(b->s + from, b->s + to, b->len - to + 1);
	b->len -= to - from;
}

static void
strip_leading_space(struct buf *b)
{
	size_t i = 0;

	while (i < b->len && is_space((unsigned char)b->s[i]))
		i++;
	cut(b, 0, i);
	while (b->len && is_space((unsigned char)b->s[b->len - 1]))
		b->s[--b->len] = '\0';
}

/* End of the paragraph that starts at i. */
static size_t
para_end(const struct buf *b, size_t i)
{
	const char *p = strstr(b->s + i, "\n\n");

	return p ? (size_t)(p - b->s) : b->len;
}

/* arXiv: "arXiv:2501.08341v1 Announce Type: new \nAbstract: ..." */
static void
strip_arxiv(struct buf *s)
{
	const char *a, *abs;

	if (!starts_with(s->s, "arXiv:") || !(a = strstr(s->s, "Announce Type:")) ||
	    a - s->s > 80 || !(abs = strstr(a, "Abstract:")) || abs - a > 60)
		return;
	cut(s, 0, (size_t)(abs - s->s) + strlen("Abstract:"));
	strip_leading_space(s);
}

/*
 * Paragraphs publishers put around the abstract. Each handler looks at one
 * paragraph and may take what it says (authors, journal, DOI).
 */
static int
take_para(struct buf *s, size_t start, size_t end, struct found *r)
{
	const char *p = s->s + start;
	size_t n = end - start;
	const char *q;

	if (starts_with(p, "Author(s):") || starts_with(p, "Authors:")) {
		if (!r->authors->n)
			authors_split(r->authors, p, n);
		return 1;
	}
	/* APS: "[Phys. Rev. Lett. 134, 020602] Published Thu Jan 16, 2025" */
	if (p[0] == '[' && (q = memchr(p, ']', n)) && q + 11 <= p + n &&
	    !memcmp(q, "] Published", 11)) {
		if (!r->journal->len)
			buf_put(r->journal, p + 1, (size_t)(q - p - 1));
		return 1;
	}
	/* Nature: "Nature Machine Intelligence, Published online: 16 January 2025; doi:..." */
	if ((q = text_memfind(p, n, ", Published online:"))) {
		if (!r->journal->len)
			buf_put(r->journal, p, (size_t)(q - p));
		if (!r->doi->len)
			ident_find_doi(r->doi, p, n);
		return 1;
	}
	/* ScienceDirect */
	if (starts_with(p, "Publication date:"))
		return 1;
	if (starts_with(p, "Source:")) {
		if (!r->journal->len)
			text_trimmed(r->journal, p + 7, n - 7);
		return 1;
	}
	return 0;
}

static void
strip_paragraphs(struct buf *s, struct found *r)
{
	size_t start = 0, end;

	while (start < s->len) {
		end = para_end(s, start);
		if (take_para(s, start, end, r)) {
			cut(s, start, end < s->len ? end + 2 : end);
			continue;
		}
		start = end < s->len ? end + 2 : end;
	}
	strip_leading_space(s);
}

/* Wiley and others open the abstract with a bare "Abstract" heading. */
static void
strip_heading(struct buf *s)
{
	static const char *const heads[] = { "Abstract", "ABSTRACT", "Summary" };
	size_t i, n;

	for (i = 0; i < sizeof heads / sizeof *heads; i++) {
		n = strlen(heads[i]);
		if (!starts_with(s->s, heads[i]) || s->len == n)
			continue;
		if (s->s[n] == '\n' || (s->s[n] == ' ' && s->s[n + 1] >= 'A' && s->s[n + 1] <= 'Z') ||
		    s->s[n] == ':') {
			cut(s, 0, n + (s->s[n] == ':'));
			strip_leading_space(s);
		}
		return;
	}
}

/* A trailing "DOI: https://doi.org/..." (ChemRxiv) says again what doi holds. */
static void
strip_trailing_doi(struct buf *s, struct found *r)
{
	static const char *const marks[] = { "DOI: ", "doi: ", "DOI:", "doi:" };
	const char *p, *last = NULL;
	size_t i;

	const char *tail = s->s + (s->len > 300 ? s->len - 300 : 0);

	/* only the end of the text: the DOI line is its last words */
	for (i = 0; i < sizeof marks / sizeof *marks && !last; i++)
		for (p = strstr(tail, marks[i]); p; p = strstr(p + 1, marks[i]))
			last = p;
	if (!last || strpbrk(last + 5, " \n") || !ident_find_doi(r->doi, last, strlen(last)))
		return;
	s->len = (size_t)(last - s->s);
	s->s[s->len] = '\0';
	strip_leading_space(s);
}

/* ---- PubMed ---- */

/* "Harmful Algae. 2021 Nov;109:102107. doi: ..." : a name, ". ", a year. */
static int
is_pubmed_citation(const char *p, size_t n)
{
	size_t i;

	if (n > 500 || memchr(p, '\n', n))
		return 0;
	for (i = 1; i + 6 < n; i++)
		if (p[i] == '.' && p[i + 1] == ' ' && (p[i + 2] == '1' || p[i + 2] == '2') &&
		    is_digit4(p + i + 2) && strchr(" ;:.(", p[i + 6]))
			return 1;
	return 0;
}

/* "PMID:34815020 |", maybe "PMC:PMC... |" and "DOI:..." after it. */
static size_t
pubmed_tail(const char *p, size_t n, size_t *digits)
{
	size_t i = 5;

	if (n < 6 || memcmp(p, "PMID:", 5))
		return 0;
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i == 5 || (i < n && p[i] != ' '))
		return 0;
	*digits = i - 5;
	return 5;
}

/* The citation without what is not the journal's: DOI, Epub date, status. */
static size_t
pubmed_journal_len(const char *p, size_t n)
{
	static const char *const ends[] = { ". doi:", ". Epub ", ". Online ahead of print",
	                                    ". eCollection" };
	size_t i, len = n;
	const char *q;

	for (i = 0; i < sizeof ends / sizeof *ends; i++)
		if ((q = text_memfind(p, n, ends[i])) && (size_t)(q - p) < len)
			len = (size_t)(q - p);
	while (len && (p[len - 1] == '.' || p[len - 1] == ' '))
		len--;
	return len;
}

int
boiler_pubmed(struct buf *s, struct buf *journal, struct buf *doi, struct buf *pmid)
{
	size_t first, last, body, at, digits;
	const char *p, *q;

	if (!s->len)
		return 0;
	first = para_end(s, 0);
	if (first >= s->len || !is_pubmed_citation(s->s, first))
		return 0;
	for (last = s->len; last > first && memcmp(s->s + last - 2, "\n\n", 2); last--)
		;
	if (!(at = pubmed_tail(s->s + last, s->len - last, &digits)))
		return 0;
	if (!journal->len)
		buf_put(journal, s->s, pubmed_journal_len(s->s, first));
	if (!doi->len && (q = text_memfind(s->s, first, "doi: ")))
		ident_find_doi(doi, q, first - (size_t)(q - s->s));
	if (!pmid->len)
		buf_put(pmid, s->s + last + at, digits);
	/* the abstract is what lies between, without its "ABSTRACT" heading */
	body = first + 2;
	p = s->s + body;
	if (starts_with(p, "ABSTRACT\n\n"))
		body += 10;
	if (body > last - 2)
		body = last - 2;
	cut(s, last - 2, s->len);
	cut(s, 0, body);
	strip_leading_space(s);
	if (!strcmp(s->s, "N/A.") || !strcmp(s->s, "N/A"))
		cut(s, 0, s->len);	/* PubMed's word for no abstract */
	return 1;
}

/* ---- Wiley's citation stub ---- */

int
boiler_citation_stub(const struct buf *s, struct buf *cite)
{
	static const char early[] = ", EarlyView.";
	size_t n = s->len, k = sizeof early - 1;
	const char *v;

	if (!n || n > 300 || memchr(s->s, '\n', n) || s->s[n - 1] != '.')
		return 0;
	if (n > k && !memcmp(s->s + n - k, early, k)) {
		buf_reset(cite);
		buf_put(cite, s->s, n - k);
		return 1;
	}
	if ((v = strstr(s->s, ", Volume ")) && v > s->s && v[9] >= '0' && v[9] <= '9' &&
	    strstr(v, ", Issue ")) {
		buf_reset(cite);
		buf_put(cite, s->s, n - 1);
		return 1;
	}
	return 0;
}

void
boiler_strip(struct buf *summary, struct strlist *authors, struct buf *journal,
    struct buf *doi)
{
	struct found f = { authors, journal, doi };

	if (!summary->len)
		return;
	strip_arxiv(summary);
	strip_paragraphs(summary, &f);
	strip_heading(summary);
	strip_trailing_doi(summary, &f);
}
