/* title.c: comparable titles (title.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "title.h"
#include "text.h"
#include "util.h"

struct texcmd {
	const char *name;
	uint32_t cp;		/* 0: the command goes, its argument stays */
};

/* sorted by name (strcmp) for bsearch */
static const struct texcmd texcmds[] = {
	{ "Delta", 0x394 }, { "Gamma", 0x393 }, { "Lambda", 0x39b },
	{ "Omega", 0x3a9 }, { "Phi", 0x3a6 }, { "Pi", 0x3a0 }, { "Psi", 0x3a8 },
	{ "Sigma", 0x3a3 }, { "Theta", 0x398 }, { "Upsilon", 0x3a5 },
	{ "Xi", 0x39e }, { "alpha", 0x3b1 }, { "beta", 0x3b2 }, { "bf", 0 },
	{ "bm", 0 }, { "boldsymbol", 0 }, { "cal", 0 }, { "chi", 0x3c7 },
	{ "delta", 0x3b4 }, { "emph", 0 }, { "epsilon", 0x3b5 }, { "eta", 0x3b7 },
	{ "gamma", 0x3b3 }, { "iota", 0x3b9 }, { "it", 0 }, { "kappa", 0x3ba },
	{ "lambda", 0x3bb }, { "left", 0 }, { "mathbb", 0 }, { "mathbf", 0 },
	{ "mathcal", 0 }, { "mathfrak", 0 }, { "mathit", 0 }, { "mathrm", 0 },
	{ "mathscr", 0 }, { "mathsf", 0 }, { "mathtt", 0 }, { "mu", 0x3bc },
	{ "nu", 0x3bd }, { "omega", 0x3c9 }, { "omicron", 0x3bf },
	{ "operatorname", 0 }, { "phi", 0x3c6 }, { "pi", 0x3c0 }, { "psi", 0x3c8 },
	{ "rho", 0x3c1 }, { "right", 0 }, { "rm", 0 }, { "sf", 0 },
	{ "sigma", 0x3c3 }, { "tau", 0x3c4 }, { "text", 0 }, { "textbf", 0 },
	{ "textit", 0 }, { "textrm", 0 }, { "textsf", 0 }, { "texttt", 0 },
	{ "theta", 0x3b8 }, { "tt", 0 }, { "upsilon", 0x3c5 },
	{ "varepsilon", 0x3b5 }, { "varphi", 0x3c6 }, { "varpi", 0x3d6 },
	{ "varrho", 0x3f1 }, { "varsigma", 0x3c2 }, { "vartheta", 0x3d1 },
	{ "xi", 0x3be }, { "zeta", 0x3b6 },
};

struct name {
	const char *s;
	size_t n;
};

static int
cmpcmd(const void *k, const void *e)
{
	const struct name *a = k;
	const char *b = ((const struct texcmd *)e)->name;
	size_t bn = strlen(b);
	int c = memcmp(a->s, b, a->n < bn ? a->n : bn);

	return c ? c : (a->n > bn) - (a->n < bn);
}

static int
isalpha_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* What text_tex_accents leaves of TeX: \name and \c. */
static void
tex_commands(struct buf *out, const char *s, size_t n)
{
	const struct texcmd *cmd;
	struct name k;
	size_t i = 0, j;

	while (i < n) {
		if (s[i] != '\\' || i + 1 == n) {
			buf_putc(out, s[i++]);
			continue;
		}
		for (j = i + 1; j < n && isalpha_ascii(s[j]); j++)
			;
		if (j == i + 1) {	/* \& \% \$ \_ \{ \\ */
			buf_putc(out, s[i + 1] == '\\' ? ' ' : s[i + 1]);
			i += 2;
			continue;
		}
		k.s = s + i + 1;
		k.n = j - i - 1;
		cmd = bsearch(&k, texcmds, sizeof(texcmds) / sizeof(texcmds[0]),
		    sizeof(texcmds[0]), cmpcmd);
		if (!cmd)
			buf_put(out, k.s, k.n);	/* \ell, \LaTeX: keep the name */
		else if (cmd->cp)
			utf8_put(out, cmd->cp);
		i = j;
	}
}

static int
joiner(int32_t c)
{
	return c == '$' || c == '{' || c == '}' || c == '_' || c == '^' ||
	    c == '\'' || c == 0x2019 || c == 0x02bc;
}

/* s[0..n) as code points: compatibility decomposition, case folded,
 * combining marks stripped. Their number (into *cps, a static buffer), or
 * a negative number for invalid UTF-8. */
static utf8proc_ssize_t
decompose(const char *s, size_t n, utf8proc_int32_t **cps)
{
	static utf8proc_int32_t *buf;
	static size_t cap;
	const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPAT |
	    UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
	    UTF8PROC_IGNORE;
	utf8proc_ssize_t m;

	for (;;) {
		m = utf8proc_decompose((const utf8proc_uint8_t *)s,
		    (utf8proc_ssize_t)n, buf, (utf8proc_ssize_t)cap, opt);
		if (m < 0 || (size_t)m <= cap)
			break;
		cap = (size_t)m + 64;
		buf = erealloc(buf, cap * sizeof(*buf));
	}
	*cps = buf;
	return m;
}

/* The words of the code points cps[0..m), one space between them, to out:
 * their number. */
static size_t
put_words(struct buf *out, const utf8proc_int32_t *cps, utf8proc_ssize_t m)
{
	utf8proc_category_t cat;
	utf8proc_ssize_t i;
	size_t words = 0;
	int sep = 0;
	const char *l;

	for (i = 0; i < m; i++) {
		if (joiner(cps[i]))
			continue;
		cat = utf8proc_category(cps[i]);
		if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME)
			continue;
		if (cps[i] == '&' || !((cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_LO) || (cat >= UTF8PROC_CATEGORY_ND &&
		    cat <= UTF8PROC_CATEGORY_NO))) {
			sep = 1;
			if (cps[i] != '&')
				continue;
			if (words)
				buf_putc(out, ' ');
			buf_puts(out, "and");
			words++;
			continue;
		}
		if (sep || !words) {
			if (words)
				buf_putc(out, ' ');
			words++;
			sep = 0;
		}
		if ((l = text_fold_latin(cps[i])))
			buf_puts(out, l);	/* ø as o, as classify folds it */
		else
			utf8_put(out, (uint32_t)cps[i]);
	}
	return words;
}

size_t
title_norm(struct buf *out, const char *s, size_t n)
{
	struct buf t1 = { 0 }, t2 = { 0 };
	utf8proc_int32_t *cps;
	utf8proc_ssize_t m;
	size_t words;

	if (memchr(s, '\\', n)) {
		text_tex_accents(&t1, s, n);
		tex_commands(&t2, t1.s, t1.len);
		s = buf_str(&t2);
		n = t2.len;
	}
	m = decompose(s, n, &cps);
	words = put_words(out, cps, m);
	buf_free(&t1);
	buf_free(&t2);
	return words;
}

/* Titles that many different papers share: never an identity, however
 * long ("Issue Information - Table of Contents", "Correction to ..."). */
int
title_generic(const char *norm)
{
	static const char *const starts[] = {
		"editorial", "erratum", "errata", "corrigendum", "correction",
		"retraction", "reply", "response to", "comment on", "comments on",
		"issue information", "front cover", "back cover", "inside front cover",
		"inside back cover", "cover image", "cover picture", "cover feature",
		"table of contents", "contents", "masthead", "front matter",
		"back matter", "in this issue", "index", "announcement", "obituary",
		"book review", "preface", "foreword", "acknowledgment",
		"acknowledgement", "reviewers", "expression of concern", "news",
		"highlights", "this week", "research highlights", "correspondence",
		NULL
	};
	const char *const *g;
	size_t n;

	for (g = starts; *g; g++) {
		n = strlen(*g);
		if (!strncmp(norm, *g, n) && (norm[n] == ' ' || norm[n] == '\0'))
			return 1;
	}
	return 0;
}
