/* words.c: folding text for case- and accent-blind matching (words.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"
#include "util.h"
#include "words.h"

enum {
	CACHED = 0x3000,	/* Latin, Greek, Cyrillic, punctuation, symbols */
	SLOT = 15,		/* bytes a cache slot holds */
	UNSET = 0xff, TOOLONG = 0xfe,
};

struct slot {
	unsigned char len;
	char s[SLOT];
};

/* ASCII: letters lower-cased, digits kept, everything else 0 (a gap). */
static const unsigned char ascii[128] = {
	['0'] = '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
	['A'] = 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
	'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
	['a'] = 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
	'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z',
};

/* The same, with ' ' for the gaps. */
static unsigned char gap[128];

static struct slot *cache;
static struct buf tex, one;

/* The folded form of one code point into out: letters and digits as
 * UTF-8, ' ' for anything else. */
static void
fold_cp(struct buf *out, int32_t cp)
{
	utf8proc_int32_t d[32];
	utf8proc_ssize_t n, i;
	const char *l;
	char u[4];
	int bound = 0;

	n = utf8proc_decompose_char(cp, d, 32, UTF8PROC_DECOMPOSE |
	    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &bound);
	if (n < 0 || n > 32) {
		buf_putc(out, ' ');
		return;
	}
	for (i = 0; i < n; i++) {
		if ((l = text_fold_latin(d[i]))) {
			buf_puts(out, l);
			continue;
		}
		switch (utf8proc_category(d[i])) {
		case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
		case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
		case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
		case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
			buf_put(out, u, utf8_encode(d[i], u));
			break;
		case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
		case UTF8PROC_CATEGORY_ME:
			break;
		default:
			buf_putc(out, ' ');
		}
	}
}

/* Append the folded cp, keeping runs of gaps to one ' '. */
static void
put_cp(struct buf *out, int32_t cp)
{
	struct slot *sl = NULL;
	const char *s;
	size_t n, i;

	if (cp < CACHED) {
		if (!cache) {
			cache = emalloc(CACHED * sizeof(*cache));
			for (i = 0; i < CACHED; i++)
				cache[i].len = UNSET;
		}
		sl = &cache[cp];
	}
	if (sl && sl->len != UNSET && sl->len != TOOLONG) {
		s = sl->s;
		n = sl->len;
	} else {
		buf_reset(&one);
		fold_cp(&one, cp);
		s = buf_str(&one);
		n = one.len;
		if (sl && sl->len == UNSET) {
			sl->len = n <= SLOT ? (unsigned char)n : TOOLONG;
			if (n <= SLOT)
				memcpy(sl->s, s, n);
		}
	}
	for (i = 0; i < n; i++) {
		if (s[i] != ' ')
			buf_putc(out, s[i]);
		else if (out->s[out->len - 1] != ' ')
			buf_putc(out, ' ');
	}
}

static int32_t
decode(const unsigned char *p, size_t k)
{
	switch (k) {
	case 2: return (p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	case 3: return (p[0] & 0x0f) << 12 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	default: return (p[0] & 0x07) << 18 | (p[1] & 0x3f) << 12 |
	    (p[2] & 0x3f) << 6 | (p[3] & 0x3f);
	}
}

static int
isletter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Might text_tex_accents change s? Most backslashes in abstracts start
 * math ($\alpha$), which it leaves alone: skip the copy for those. */
static int
has_tex(const char *s, size_t n)
{
	static const char *const letters[] = {
		"AA", "AE", "OE", "aa", "ae", "oe", "ss", "L", "O", "i", "j",
		"l", "o",
	};
	const char *p = s, *end = s + n;
	size_t i, k;

	while ((p = memchr(p, '\\', (size_t)(end - p))) && ++p < end) {
		if (strchr("\"'`^~=.", *p))
			return 1;
		if (strchr("uvHckrdb", *p) && p + 1 < end &&
		    (p[1] == ' ' || p[1] == '{'))
			return 1;
		for (k = 0; p + k < end && isletter(p[k]); k++)
			;
		for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
			if (strlen(letters[i]) == k && !memcmp(p, letters[i], k))
				return 1;
	}
	return 0;
}

void
words_fold(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p, *end;
	unsigned char c, m, last;
	size_t len, k, i;
	uint64_t w;
	char *o;

	if (memchr(s, '\\', n) && has_tex(s, n)) {
		buf_reset(&tex);
		text_tex_accents(&tex, s, n);
		s = buf_str(&tex);
		n = tex.len;
	}
	if (!gap[0])
		for (i = 0; i < 128; i++)
			gap[i] = ascii[i] ? ascii[i] : ' ';
	if (!out->len)
		buf_putc(out, ' ');
	p = (const unsigned char *)s;
	end = p + n;
	buf_grow(out, n + 1);
	o = out->s;
	len = out->len;
	last = (unsigned char)o[len - 1];
	while (p < end) {
		/* eight ASCII bytes at a time, without branches: a gap is
		 * written always but kept only after a letter */
		while (end - p >= 8) {
			memcpy(&w, p, 8);
			if (w & SWAR_HIGH)
				break;
			for (i = 0; i < 8; i++) {
				m = gap[p[i]];
				o[len] = (char)m;
				len += m != ' ' || last != ' ';
				last = m;	/* or it was a gap after a gap */
			}
			p += 8;
		}
		if (p == end)
			break;
		if ((c = *p) < 0x80) {
			m = gap[c];
			o[len] = (char)m;
			len += m != ' ' || last != ' ';
			last = m;
			p++;
			continue;
		}
		out->len = len;
		if (!(k = utf8_seqlen(p, (size_t)(end - p)))) {
			if (o[len - 1] != ' ')
				buf_putc(out, ' ');
			k = 1;
		} else {
			put_cp(out, decode(p, k));
		}
		p += k;
		buf_grow(out, (size_t)(end - p) + 1);
		o = out->s;
		len = out->len;
		last = (unsigned char)o[len - 1];
	}
	if (o[len - 1] != ' ')
		o[len++] = ' ';
	o[len] = '\0';
	out->len = len;
}

void
words_free(void)
{
	free(cache);
	cache = NULL;
	buf_free(&tex);
	buf_free(&one);
}

const char *
words_next(const char *f, size_t n, size_t *pos, size_t *len)
{
	size_t i = *pos, j;

	while (i < n && f[i] == ' ')
		i++;
	if (i == n) {
		*pos = n;
		return NULL;
	}
	for (j = i; j < n && f[j] != ' '; j++)
		;
	*pos = j;
	*len = j - i;
	return f + i;
}

/* Sorted for bsearch. */
static const char *const stop[] = {
	"a", "about", "above", "after", "again", "against", "all", "also", "am",
	"among", "an", "and", "any", "are", "as", "at", "be", "because", "been",
	"before", "being", "below", "between", "both", "but", "by", "can",
	"could", "did", "do", "does", "doing", "down", "during", "each", "either",
	"et", "etc", "few", "for", "from", "further", "had", "has", "have",
	"having", "he", "her", "here", "hers", "him", "his", "how", "however",
	"i", "if", "in", "into", "is", "it", "its", "itself", "just", "may",
	"me", "might", "more", "most", "much", "must", "my", "no", "nor", "not",
	"of", "off", "on", "once", "one", "only", "or", "other", "our", "ours",
	"out", "over", "own", "same", "she", "should", "since", "so", "some",
	"such", "than", "that", "the", "their", "theirs", "them", "then",
	"there", "these", "they", "this", "those", "through", "thus", "to", "too",
	"two", "under", "until", "up", "upon", "us", "very", "via", "was", "we",
	"were", "what", "when", "where", "whether", "which", "while", "who",
	"whom", "why", "will", "with", "within", "without", "would", "yet", "you",
	"your",
};

struct key {
	const char *w;
	size_t n;
};

static int
stopcmp(const void *k, const void *e)
{
	const struct key *key = k;
	const char *s = *(const char *const *)e;
	size_t sn = strlen(s);
	int c = memcmp(key->w, s, key->n < sn ? key->n : sn);

	return c ? c : (key->n > sn) - (key->n < sn);
}

int
words_stop(const char *w, size_t n)
{
	struct key k = { w, n };

	return n < 9 && bsearch(&k, stop, sizeof(stop) / sizeof(stop[0]),
	    sizeof(stop[0]), stopcmp) != NULL;
}

int
words_token(const char *w, size_t n)
{
	size_t i, chars = 0, digits = 0;

	if (n > 64 || words_stop(w, n))
		return 0;
	for (i = 0; i < n; i++) {
		chars += ((unsigned char)w[i] & 0xc0) != 0x80;
		digits += w[i] >= '0' && w[i] <= '9';
	}
	return chars >= 2 && digits < chars;
}
