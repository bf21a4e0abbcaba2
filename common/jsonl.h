/* jsonl.h: reading and writing JSON Lines, one record (a JSON object) a line. */
#ifndef FEEDPIPE_JSONL_H
#define FEEDPIPE_JSONL_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

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
/* Parse the current line (JSON_REJECT_DUPLICATES); it must be an object.
 * On failure return NULL and put a message such as "column 8: string or '}'
 * expected near '}'", "column 7: invalid UTF-8 (byte 0xff)" or "not a JSON
 * object (array)" into err (256 bytes always suffice; err may be NULL). */
json_t *jsonl_parse(const struct jsonl *r, char *err, size_t errlen);
/* Free the line buffer; fp is the caller's to close. */
void jsonl_free(struct jsonl *r);

/* Write rec compactly plus '\n': key order kept, UTF-8 as is, escapes as
 * jansson's JSON_COMPACT dump, but reals in the shortest form that reads
 * back exactly (0.1, not 0.10000000000000001). Strings must be valid UTF-8
 * (anything json_string accepted). -1 if out has a write error. */
int jsonl_write(FILE *out, const json_t *rec);

#endif
