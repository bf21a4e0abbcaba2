/* jsonl.h: reading and writing JSON Lines, one record (a JSON object) a line. */
#ifndef FEEDPIPE_JSONL_H
#define FEEDPIPE_JSONL_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "buf.h"

struct jsonl {
	FILE *fp;
	const char *name;	/* input name for messages */
	unsigned long lineno;	/* line number of the current line, from 1 */
	char *line;		/* current line without "\n" or "\r\n", NUL-terminated */
	size_t len;		/* its length; it may hold NUL bytes (invalid JSON) */
	size_t cap;
};

void jsonl_init(struct jsonl *r, FILE *fp, const char *name);
/* Read the next line. Blank lines (empty or only white space) are skipped
 * silently but counted in lineno. No limit on line length; a last line
 * without '\n' is a line. 1 = a line, 0 = end of input, -1 = read error
 * (errno set). */
int jsonl_next(struct jsonl *r);
/* Parse the current line; it must be an object. A key given twice (also
 * as "\u0069d" for "id") keeps its first place and takes its last value,
 * as the fast path (jscan) reads it too. A number jansson cannot hold (an
 * integer beyond json_int_t, a real beyond a double's range or so small
 * that it would read as 0) becomes a raw number: see jsonl_number.
 * On failure return NULL and put a message such as "column 8: string or '}'
 * expected near '}'", "column 7: invalid UTF-8 (byte 0xff)" or "not a JSON
 * object (array)" into err (256 bytes always suffice; err may be NULL). */
json_t *jsonl_parse(const struct jsonl *r, char *err, size_t errlen);
/* The same for the text s[0..n), a record that is not the current line. */
json_t *jsonl_load(const char *s, size_t n, char *err, size_t errlen);
/* A raw number is a string holding a NUL byte and the number's text, which
 * no valid record can hold: its text (n bytes), or NULL if v is no raw
 * number. As a C string it reads "". jsonl_write writes it back as the
 * number it was, byte for byte. */
const char *jsonl_number(const json_t *v, size_t *n);
/* Is the number text s[0..n) one that jsonl_parse keeps as a raw number? */
int jsonl_is_raw(const char *s, size_t n);
/* Make the raw numbers in v strings of their text, for a view that is
 * shown, never written back as a record; v. */
json_t *jsonl_as_text(json_t *v);
/* Free the line buffer; fp is the caller's to close. */
void jsonl_free(struct jsonl *r);

/*
 * The same lines from a descriptor the caller polls, for a program that
 * waits for input and for other things (enrich's network) in one poll:
 * jsonl_fd_read does one read(2), jsonl_fd_line hands out the whole lines
 * read so far. Blank lines are skipped but counted, "\r\n" is a line end,
 * the last line needs no '\n'.
 */
struct jsonl_fd {
	int fd;
	int open;		/* fd is an input (0 may be standard input) */
	int eof;		/* read(2) said so, or failed */
	const char *name;	/* for messages */
	unsigned long lineno;	/* of the last line handed out */
	char *buf;
	size_t start, end, cap;
};

/* Open path ("-" is standard input) for reading; -1 and errno if not. */
int jsonl_fd_open(struct jsonl_fd *r, const char *path);
/* One read(2): 1 bytes read, 0 end of input, -1 error (errno; eof is set
 * and a partial line dropped: it is no record). */
int jsonl_fd_read(struct jsonl_fd *r);
/* The next whole line read: 1 and s[0..n) (valid until the next read), or
 * 0 when more must be read first. */
int jsonl_fd_line(struct jsonl_fd *r, const char **s, size_t *n);
/* Is a whole line waiting? Then take it before reading on: reading would
 * make the buffer grow with the input. */
int jsonl_fd_waiting(const struct jsonl_fd *r);
/* Close the descriptor (not standard input); the buffer stays for the
 * next input. */
void jsonl_fd_close(struct jsonl_fd *r);
void jsonl_fd_free(struct jsonl_fd *r);

/* The loop every filter runs over one input: each line of path ("-" is
 * standard input) handed to fn with arg. An input that cannot be opened or
 * read is reported ("prog: name: reason") and counts as 1. Returns the
 * bitwise or of fn's results and that. */
int jsonl_each(const char *path, int (*fn)(struct jsonl *in, void *arg),
    void *arg);

/* Append v compactly: key order kept, strings as jw_put_string writes
 * them, reals in the shortest form that reads back exactly (0.1, not
 * 0.10000000000000001), raw numbers as their text. Any depth. */
void jsonl_put(struct buf *b, const json_t *v);
/* The same for a record, plus '\n', to out; -1 if out has a write error. */
int jsonl_write(FILE *out, const json_t *rec);

#endif
