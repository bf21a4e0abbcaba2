/* test-aho: the automaton finds exactly what a brute-force search finds,
 * on short text (one chain of look-ups) and long (four side by side);
 * words_fold on the cases rules depend on; jwalk against jansson. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aho.h"
#include "buf.h"
#include "jwalk.h"
#include "path.h"
#include "words.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAXPAT 24
#define MAXTEXT 3000

static int ncases, nfail;
static unsigned char seen[MAXPAT][MAXTEXT + 1];

static void
fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("test-aho: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	nfail++;
}

static void
hit(void *arg, size_t id, size_t end)
{
	(void)arg;
	seen[id][end]++;
}

/* A small alphabet, so that patterns overlap and repeat a lot; every
 * other round a pattern of 100 other bytes as well, for the automaton's
 * 32-bit table (over 64 byte classes). */
static void
random_matches(void)
{
	char pat[MAXPAT][16], text[MAXTEXT], wide[100];
	size_t id[MAXPAT], i, e, len, n;
	int it, k, np;
	struct aho *a;

	srand(1);
	for (it = 0; it < 2000; it++) {
		a = aho_new();
		np = 1 + rand() % MAXPAT;
		for (k = 0; k < np; k++) {
			len = 1 + (size_t)(rand() % (1 + rand() % 12));
			for (i = 0; i < len; i++)
				pat[k][i] = "ab c"[rand() % 4];
			pat[k][len] = '\0';
			id[k] = aho_add(a, pat[k], len);
		}
		if (it % 2)
			for (i = 0; i < 100; i++) {
				wide[i] = (char)(0x80 + i);
				aho_add(a, wide, i + 1);
			}
		if (aho_compile(a))
			fail("compile", "failed");
		n = (size_t)(rand() % MAXTEXT);
		for (i = 0; i < n; i++)
			text[i] = "ab cd"[rand() % 5];
		memset(seen, 0, sizeof(seen));
		aho_scan(a, text, n, hit, NULL);
		ncases++;
		for (k = 0; k < np; k++) {
			len = strlen(pat[k]);
			for (e = len; e <= n; e++) {
				if (!memcmp(text + e - len, pat[k], len) !=
				    !!seen[id[k]][e]) {
					fail("scan", "pattern '%s' ending at %zu of "
					    "%zu: %s", pat[k], e, n, seen[id[k]][e] ?
					    "found, not there" : "missed");
					it = 1 << 30;
					break;
				}
			}
		}
		aho_free(a);
	}
}

static void
same_ids(void)
{
	struct aho *a = aho_new();

	ncases++;
	if (aho_add(a, "he", 2) != 0 || aho_add(a, "she", 3) != 1 ||
	    aho_add(a, "he", 2) != 0 || aho_count(a) != 2)
		fail("ids", "a pattern added twice should keep its id");
	aho_free(a);
}

static const struct {
	const char *in, *want;
} folds[] = {
	{ "Learning to Rank", " learning to rank " },
	{ "machine-learning, (deep) learning!", " machine learning deep learning " },
	{ "L\\\"owen and Schr\\\"odinger", " lowen and schrodinger " },
	{ "LÖWEN Łódź Øresund Straße Æther", " lowen lodz oresund strasse aether " },
	{ "ΣΥΣΤΗΜΑΤΑ συστήματα", " συστηματα συστηματα " },
	{ "НЕЙРОННАЯ сеть, ёлка", " неиронная сеть елка " },	/* й loses its breve too */
	{ "CO₂ and ﬁbre, x²", " co2 and fibre x2 " },
	{ "neural\xe2\x80\x90network", " neural network " },
	{ "bad \xff byte", " bad byte " },
	{ "$\\alpha$-helix", " alpha helix " },
	{ "", " " },
	{ "---", " " },
};

static void
folding(void)
{
	struct buf b = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < LEN(folds); i++) {
		buf_reset(&b);
		words_fold(&b, folds[i].in, strlen(folds[i].in));
		ncases++;
		if (strcmp(buf_str(&b), folds[i].want))
			fail("fold", "'%s': got '%s', want '%s'", folds[i].in,
			    buf_str(&b), folds[i].want);
	}
	buf_free(&b);
}

struct acc {
	struct buf s;
};

static void
collect(void *arg, const char *s, size_t n)
{
	struct acc *a = arg;

	buf_put(&a->s, s, n);
	buf_putc(&a->s, '|');
}

static void
json_collect(json_t *v, struct acc *a)
{
	const char *k;
	json_t *m;
	size_t i;

	if (json_is_string(v))
		collect(a, json_string_value(v), json_string_length(v));
	else if (json_is_array(v))
		for (i = 0; i < json_array_size(v); i++)
			json_collect(json_array_get(v, i), a);
	else if (json_is_object(v))
		json_object_foreach(v, k, m)
			json_collect(m, a);
}

static const char record[] =
    "{ \"id\" : \"x:1\", \"title\":\"A \\\"quoted\\\" \\\\ title \\u00e9\\ud83d\\ude00\","
    "\"n\":-1.5e3,\"ok\":true,\"none\":null,"
    "\"authors\":[\"A B\",\"C\\nD\", [\"deep\", {\"x\":\"in object\"}]],"
    "\"feed\":{\"name\":\"soft\",\"title\":\"t\",\"n\":[1,2]},"
    "\"categories\":[\"a\",\"b\",\"c\"],\"empty\":{},\"e2\":[] }";

static void
walking(void)
{
	static const char *paths[] = { "title", ".authors", ".feed", ".feed.name",
	    ".categories[1]", ".categories[-1]", ".categories[-4]", ".n",
	    ".missing", ".title.x", ".authors[2][1].x", ".", ".empty", ".e2" };
	struct jwalk_member *m = NULL, *sub = NULL;
	struct acc got = { { NULL, 0, 0 } }, want = { { NULL, 0, 0 } };
	struct buf tmp = { NULL, 0, 0 };
	struct path *p;
	size_t cap = 0, nm, i, vn, subcap = 0;
	const char *v;
	json_error_t e;
	json_t *j = json_loads(record, 0, &e);

	nm = jwalk_members(record, strlen(record), &m, &cap);
	ncases++;
	if (nm != 10)
		fail("members", "got %zu, want 10", nm);
	for (i = 0; i < LEN(paths); i++) {
		buf_reset(&got.s);
		buf_reset(&want.s);
		p = path_parse(paths[i], NULL, 0);
		if (!jwalk_get(p, record, strlen(record), m, nm, &v, &vn, &sub,
		    &subcap))
			jwalk_strings(v, vn, &tmp, collect, &got);
		if (!strcmp(paths[i], ".")) {
			json_collect(j, &want);
		} else {
			json_t *x = j;
			/* the same path, by hand */
			if (!strcmp(paths[i], "title")) x = json_object_get(j, "title");
			else if (!strcmp(paths[i], ".authors")) x = json_object_get(j, "authors");
			else if (!strcmp(paths[i], ".feed")) x = json_object_get(j, "feed");
			else if (!strcmp(paths[i], ".feed.name")) x = json_object_get(json_object_get(j, "feed"), "name");
			else if (!strcmp(paths[i], ".categories[1]")) x = json_array_get(json_object_get(j, "categories"), 1);
			else if (!strcmp(paths[i], ".categories[-1]")) x = json_array_get(json_object_get(j, "categories"), 2);
			else if (!strcmp(paths[i], ".authors[2][1].x")) x = json_object_get(json_array_get(json_array_get(json_object_get(j, "authors"), 2), 1), "x");
			else x = NULL;
			json_collect(x, &want);
		}
		ncases++;
		if (strcmp(buf_str(&got.s), buf_str(&want.s)))
			fail("walk", "%s: got '%s', want '%s'", paths[i],
			    buf_str(&got.s), buf_str(&want.s));
		path_free(p);
	}
	json_decref(j);
	free(m);
	free(sub);
	buf_free(&got.s);
	buf_free(&want.s);
	buf_free(&tmp);
}

int
main(void)
{
	same_ids();
	random_matches();
	folding();
	walking();
	words_free();
	if (nfail) {
		printf("test-aho: %d of %d cases failed\n", nfail, ncases);
		return 1;
	}
	printf("test-aho: %d cases ok\n", ncases);
	return 0;
}
