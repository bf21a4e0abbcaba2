/*
 * recode.h: a feed's bytes to clean UTF-8 before the XML parser sees them.
 *
 * libxml2 2.9 loses text after an encoding error: it prints raw messages,
 * switches to Latin-1 or stops, and from then on drops entity references.
 * So the document is decoded here instead: its encoding is found from the
 * byte order mark, the first bytes or the XML declaration (UTF-8, UTF-16,
 * UTF-32, EBCDIC, or any encoding iconv knows), converted to UTF-8, and
 * every byte that is not text is repaired and reported: an invalid sequence
 * becomes U+FFFD, a control character that XML forbids (NUL among them) is
 * removed, U+FFFE and U+FFFF become U+FFFD. Lines are kept as they were, so
 * the parser's line numbers still hold; the parser is then told to ignore
 * the declared encoding.
 */
#ifndef FEEDPIPE_RECODE_H
#define FEEDPIPE_RECODE_H

#include <stddef.h>

#include "buf.h"

typedef void recode_report_fn(void *arg, unsigned long line, const char *msg);

struct recode {
	void *cd;		/* iconv_t from the source encoding, or NULL for UTF-8 */
	size_t unit;		/* bytes in one code unit of the source: 1, 2 or 4 */
	char name[48];		/* the source encoding, for messages */
	struct buf carry;	/* an incomplete sequence held back from the last chunk */
	struct buf in;		/* the carry and the next chunk, together */
	struct buf conv;	/* a chunk converted to UTF-8 */
	struct buf out;		/* a chunk repaired */
	unsigned long line;	/* the line the next output byte is on, from 1 */
	unsigned reports;	/* messages given so far */
	recode_report_fn *report;
	void *arg;
};

/*
 * Find the encoding from the document's first n bytes (n of 4 or more gives
 * a sure answer, a whole XML declaration a better one). Returns how many
 * bytes of head to skip (a byte order mark). A declared encoding that the
 * bytes contradict or that iconv does not know is reported; the document
 * is then read as UTF-8.
 */
size_t recode_init(struct recode *r, const char *head, size_t n,
                   recode_report_fn *report, void *arg);
/*
 * The next chunk of the document as UTF-8: out and outlen say what to parse
 * now (the caller's own bytes when nothing had to change). A few bytes may
 * be held back until the next call; final flushes them.
 */
void recode_chunk(struct recode *r, const char *s, size_t n, int final,
                  const char **out, size_t *outlen);
void recode_free(struct recode *r);

#endif
