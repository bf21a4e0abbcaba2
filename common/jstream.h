/* jstream.h: JSON tokens read from a stream in bounded memory, repairing
 * strings on the way (they come out as valid UTF-8 without NUL whatever the
 * input held) and checking numbers against what jansson can hold. */
#ifndef FEEDPIPE_JSTREAM_H
#define FEEDPIPE_JSTREAM_H

#include <stdio.h>

#include "buf.h"

#define JSTREAM_WORDMAX 4096	/* the text kept of a number or bad token */

enum jtok {
	JT_EOF, JT_OBJ, JT_ARR, JT_OBJEND, JT_ARREND, JT_COLON, JT_COMMA,
	JT_STRING, JT_NUMBER, JT_TRUE, JT_FALSE, JT_NULL, JT_BAD,
};

/* What the last string or number needed (jstream.prob), as bits. */
enum {
	JP_UTF8 = 1,		/* invalid UTF-8: U+FFFD for each bad byte */
	JP_SURROGATE = 2,	/* a lone \ud800..\udfff: U+FFFD */
	JP_NUL = 4,		/* \u0000 or a NUL byte: dropped */
	JP_ESCAPE = 8,		/* an invalid escape: U+FFFD */
	JP_CTRL = 16,		/* a raw control character: kept */
	JP_CUT = 32,		/* longer than max: the rest left out */
	JP_EOF = 64,		/* the input ended inside the string */
	JP_NUMBER = 128,	/* not a JSON number */
	JP_RANGE = 256,		/* beyond int64 or a double */
};

struct jstream {
	FILE *fp;
	char *buf;
	size_t pos, len;
	unsigned long line;	/* of the next byte */
	unsigned long tline;	/* where the last token started */
	FILE *copy;		/* bytes read are copied here from copy_from */
	size_t copy_from;
	long long off;		/* input offset of buf[0] */
	long long limit;	/* bytes fp may still give, or -1 */
	int eof;
	struct buf word;	/* the text of the last number or bad token */
	unsigned prob;
};

/* Read head[0..n) and then fp; line is the number of the first line. */
void jstream_init(struct jstream *js, FILE *fp, const char *head, size_t n,
    unsigned long line);
void jstream_free(struct jstream *js);
/* The next token. After JT_STRING call jstream_string before anything else. */
enum jtok jstream_next(struct jstream *js);
/* The rest of a string (from after its quote) decoded and appended to out
 * (NULL: only checked), whole characters while they fit in max bytes. */
void jstream_string(struct jstream *js, struct buf *out, size_t max);
/* The input offset of the next byte. */
static inline long long jstream_tell(const struct jstream *js)
{
	return js->off + (long long)js->pos;
}
/* Read no more than n bytes from fp (after what the buffer holds). */
static inline void jstream_limit(struct jstream *js, long long n)
{
	js->limit = n;
}
/* Copy what is read to to, starting back bytes before the current position
 * (back no more than the last token's length), until jstream_copy_end,
 * which leaves out the last back bytes read. */
void jstream_copy(struct jstream *js, FILE *to, size_t back);
void jstream_copy_end(struct jstream *js, size_t back);

#endif
