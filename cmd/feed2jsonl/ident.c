/* ident.c: the identifiers inside links and text: arXiv ids, DOIs, URLs. */
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "text.h"

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

size_t
ident_arxiv_at(const char *s, struct buf *id, long *version)
{
	size_t i = 0, j;

	if (is_digit(s[0])) {
		while (is_digit(s[i]))
			i++;
		if (i != 4 || s[i] != '.')
			return 0;
		for (j = ++i; is_digit(s[i]); i++)
			;
		if (i - j < 4 || i - j > 5)
			return 0;
	} else {
		while ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-' ||
		       (i && s[i] == '.') || (i && s[i] >= 'A' && s[i] <= 'Z'))
			i++;
		if (i < 2 || s[i] != '/')
			return 0;
		for (j = ++i; is_digit(s[i]); i++)
			;
		if (i - j != 7)
			return 0;
	}
	buf_reset(id);
	buf_put(id, s, i);
	*version = 0;
	if (s[i] == 'v' && is_digit(s[i + 1])) {
		*version = strtol(s + i + 1, NULL, 10);
		for (i++; is_digit(s[i]); i++)
			;
	}
	return i;
}

int
ident_find_arxiv(const char *s, struct buf *id, long *version)
{
	static const char *const marks[] = { "arxiv.org/abs/", "oai:arXiv.org:", "arXiv:" };
	const char *p;
	size_t i;

	if (!s || !ascii_casestr(s, "arxiv"))
		return 0;	/* the common case, cheaply */
	for (i = 0; i < sizeof marks / sizeof *marks; i++)
		if ((p = ascii_casestr(s, marks[i])) &&
		    (i < 2 || p == s) &&
		    ident_arxiv_at(p + strlen(marks[i]), id, version))
			return 1;
	return 0;
}

/* A DOI ("10.NNNN/suffix") in s; stops at white space, quotes, '?', '#'. */
int
ident_find_doi(struct buf *out, const char *s, size_t n)
{
	size_t i, j, k;

	for (i = 0; i + 7 < n; i++) {
		if (s[i] != '1' || s[i + 1] != '0' || s[i + 2] != '.' || (i && is_digit(s[i - 1])))
			continue;
		for (j = i + 3; j < n && is_digit(s[j]); j++)
			;
		if (j - (i + 3) < 4 || j >= n || s[j] != '/')
			continue;
		for (k = j + 1; k < n && !is_space((unsigned char)s[k]) && !strchr("\"'<>?#&", s[k]); k++)
			;
		while (k > j + 1 && strchr(".,;:)]", s[k - 1]))
			k--;
		if (k == j + 1)
			continue;
		buf_reset(out);
		buf_put(out, s + i, k - i);
		return 1;
	}
	return 0;
}

/* A DOI in a URL: only on doi.org or in a /doi/ path, never a bare path. */
int
ident_doi_in_url(struct buf *out, const char *u)
{
	const char *p;

	if (!u)
		return 0;
	if ((p = strstr(u, "doi.org/")) || (p = strstr(u, "/doi/")))
		return ident_find_doi(out, p, strlen(p));
	return 0;
}

/* Tracking parameters: on every host, or only on one (PubMed's fc, ff, v). */
static const struct { const char *name; int prefix; const char *host; } tracking[] = {
	{ "utm_", 1, NULL },		/* Google Analytics, everywhere */
	{ "af", 0, NULL },		/* Atypon (Wiley, T&F, ...): af=R */
	{ "rss", 0, NULL },		/* HighWire (bioRxiv, Science, OUP): rss=1 */
	{ "dgcid", 0, NULL },		/* ScienceDirect: dgcid=rss_sd_all */
	{ "rft_dat", 0, NULL },		/* Cambridge's OpenURL referrer data */
	{ "fc", 0, "pubmed.ncbi.nlm.nih.gov" },	/* feed created */
	{ "ff", 0, "pubmed.ncbi.nlm.nih.gov" },	/* feed fetched */
	{ "v", 0, "pubmed.ncbi.nlm.nih.gov" },	/* feed generator version */
};

/* The parameter p[0..n) ("name=value") is tracking on host[0..hn). */
static int
tracking_param(const char *host, size_t hn, const char *p, size_t n)
{
	size_t i, k, name = 0;

	while (name < n && p[name] != '=')
		name++;
	for (i = 0; i < sizeof tracking / sizeof *tracking; i++) {
		k = strlen(tracking[i].name);
		if (tracking[i].prefix ? name < k : name != k)
			continue;
		if (strncmp(p, tracking[i].name, k))
			continue;
		if (!tracking[i].host ||
		    (hn == strlen(tracking[i].host) && !ascii_ncasecmp(host, tracking[i].host, hn)))
			return 1;
	}
	return 0;
}

/*
 * The query q[0..end) without tracking parameters, '?' first, '&' between.
 * keep_empty keeps empty parameters ("a&&b"), so that a link with nothing
 * to remove comes out byte for byte.
 */
static void
put_query(struct buf *out, const char *host, size_t hn, const char *q,
    const char *end, int keep_empty)
{
	int first = 1;

	while (q < end) {
		size_t len = strcspn(q, "&#");
		if (q + len > end)
			len = (size_t)(end - q);
		if ((len || keep_empty) && !tracking_param(host, hn, q, len)) {
			buf_putc(out, first ? '?' : '&');
			buf_put(out, q, len);
			first = 0;
		}
		q += len + (q + len < end);
	}
}

/* Lower-case scheme and host, no fragment, no tracking parameters. */
void
ident_normalise_url(struct buf *out, const char *u)
{
	const char *host = strstr(u, "://"), *p, *end;
	size_t i, n;

	if (!host) {
		buf_puts(out, u);
		return;
	}
	host += 3;
	for (i = 0; u + i < host; i++)
		buf_putc(out, (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]));
	for (p = host; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		buf_putc(out, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	n = strcspn(p, "?#");
	buf_put(out, p, n);
	if (p[n] != '?')
		return;
	end = p + n + 1 + strcspn(p + n + 1, "#");
	put_query(out, host, (size_t)(strcspn(host, "/?#:")), p + n + 1, end, 0);
}

/* The link as given but for its tracking parameters. */
void
ident_clean_link(struct buf *out, const char *u)
{
	const char *host = strstr(u, "://"), *q, *end;

	if (!host || !(q = strchr(host, '?')) || (strchr(host, '#') && strchr(host, '#') < q)) {
		buf_puts(out, u);
		return;
	}
	host += 3;
	buf_put(out, u, (size_t)(q - u));
	end = q + 1 + strcspn(q + 1, "#");
	put_query(out, host, strcspn(host, "/?#:"), q + 1, end, 1);
	buf_puts(out, end);
}

/* "pmid:34815020", "pubmed:34815020" or "PMID: 34815020": the number. */
int
ident_find_pmid(struct buf *out, const char *s, size_t n)
{
	static const char *const marks[] = { "pmid:", "pubmed:" };
	size_t i, k, j;

	while (n && is_space((unsigned char)*s))
		s++, n--;
	while (n && is_space((unsigned char)s[n - 1]))
		n--;
	for (i = 0; i < sizeof marks / sizeof *marks; i++) {
		k = strlen(marks[i]);
		if (n <= k || ascii_ncasecmp(s, marks[i], k))
			continue;
		while (k < n && s[k] == ' ')
			k++;
		for (j = k; j < n && is_digit((unsigned char)s[j]); j++)
			;
		if (j == n && j > k && j - k <= 10 && s[k] != '0') {
			buf_reset(out);
			buf_put(out, s + k, j - k);
			return 1;
		}
	}
	return 0;
}
