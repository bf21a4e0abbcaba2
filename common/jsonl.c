/* jsonl.c: JSON Lines input (getline) and output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "jsonl.h"
#include "jsonw.h"

void
jsonl_init(struct jsonl *r, FILE *fp, const char *name)
{
	r->fp = fp;
	r->name = name;
	r->lineno = 0;
	r->line = NULL;
	r->len = 0;
	r->cap = 0;
}

static int
blank(const char *s, size_t n)
{
	for (; n; s++, n--)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return 0;
	return 1;
}

int
jsonl_next(struct jsonl *r)
{
	ssize_t n;

	for (;;) {
		errno = 0;
		if ((n = getline(&r->line, &r->cap, r->fp)) < 0) {
			r->len = 0;
			/* getline fails with the stream at EOF only at the end */
			if (ferror(r->fp) || !feof(r->fp)) {
				if (!errno)
					errno = EIO;
				return -1;
			}
			return 0;
		}
		r->lineno++;
		r->len = (size_t)n;
		if (r->len && r->line[r->len - 1] == '\n')
			r->len--;
		if (r->len && r->line[r->len - 1] == '\r')
			r->len--;
		r->line[r->len] = '\0';
		if (!blank(r->line, r->len))
			return 1;
	}
}

static const char *
typename(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_ARRAY:	return "array";
	case JSON_STRING:	return "string";
	case JSON_INTEGER:
	case JSON_REAL:		return "number";
	case JSON_TRUE:
	case JSON_FALSE:	return "boolean";
	case JSON_NULL:		return "null";
	default:		return "object";
	}
}

json_t *
jsonl_parse(const struct jsonl *r, char *err, size_t errlen)
{
	json_error_t e;
	json_t *j;
	const char *eof, *nul, *c;
	char *m;
	int col;

	if (!err)
		errlen = 0;
	/* JSON_DECODE_ANY so that "[1]" is "not an object", not a syntax error */
	j = json_loadb(r->line, r->len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &e);
	if (j && json_is_object(j))
		return j;
	if (j) {
		snprintf(err, errlen, "not a JSON object (%s)", typename(j));
		json_decref(j);
		return NULL;
	}
	nul = memchr(r->line, '\0', r->len);
	if (nul && nul - r->line <= e.position) {
		/* jansson's message would quote the line only up to the NUL */
		for (col = 1, c = r->line; c < nul; c++)
			col += ((unsigned char)*c & 0xc0) != 0x80;
		snprintf(err, errlen, "column %d: NUL byte", col);
	} else if (json_error_code(&e) == json_error_invalid_utf8) {
		/* jansson counts the characters before the bad byte */
		snprintf(err, errlen, "column %d: invalid UTF-8 (byte 0x%02x)",
		    e.column + 1, e.position >= 0 && (size_t)e.position < r->len ?
		    (unsigned char)r->line[e.position] : 0);
	} else if ((eof = strstr(e.text, "end of file"))) {
		/* one record, one line: say "line" */
		snprintf(err, errlen, "column %d: %.*send of line%s", e.column,
		    (int)(eof - e.text), e.text, eof + strlen("end of file"));
	} else {
		snprintf(err, errlen, "column %d: %s", e.column, e.text);
	}
	for (m = err; m && *m; m++)	/* jansson quotes input: keep it printable */
		if ((unsigned char)*m < 0x20 || *m == 0x7f)
			*m = '?';
	return NULL;
}

void
jsonl_free(struct jsonl *r)
{
	free(r->line);
	r->line = NULL;
	r->len = r->cap = 0;
}

static void
put_string(FILE *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run;

	putc('"', out);
	while (p < end) {
		for (run = p; p < end && *p >= 0x20 && *p != '"' && *p != '\\'; p++)
			;
		fwrite(run, 1, (size_t)(p - run), out);
		if (p == end)
			break;
		switch (*p) {
		case '"':	fputs("\\\"", out); break;
		case '\\':	fputs("\\\\", out); break;
		case '\b':	fputs("\\b", out); break;
		case '\f':	fputs("\\f", out); break;
		case '\n':	fputs("\\n", out); break;
		case '\r':	fputs("\\r", out); break;
		case '\t':	fputs("\\t", out); break;
		default:	fprintf(out, "\\u%04X", *p); break;
		}
		p++;
	}
	putc('"', out);
}

/* Shortest of %.15g..%.17g that reads back exactly, written as jansson
 * does: "." even under a locale with a decimal comma, ".0" added to
 * integral values, no '+' or leading zeros in the exponent. */
static void
put_real(FILE *out, double d)
{
	char s[JSON_REAL_BUFSZ];

	json_format_real(d, s);
	fputs(s, out);
}

static void
put_value(FILE *out, json_t *v)
{
	const char *key;
	json_t *m;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		putc('{', out);
		i = 0;
		json_object_foreach(v, key, m) {
			if (i++)
				putc(',', out);
			put_string(out, key, strlen(key));
			putc(':', out);
			put_value(out, m);
		}
		putc('}', out);
		break;
	case JSON_ARRAY:
		putc('[', out);
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				putc(',', out);
			put_value(out, json_array_get(v, i));
		}
		putc(']', out);
		break;
	case JSON_STRING:
		put_string(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		fputs("true", out);
		break;
	case JSON_FALSE:
		fputs("false", out);
		break;
	case JSON_NULL:
		fputs("null", out);
		break;
	}
}

int
jsonl_write(FILE *out, const json_t *rec)
{
	/* our own writer: jansson's dump costs more than a parse's third
	 * (performance.md) and prints 0.1 as 0.10000000000000001 */
	put_value(out, (json_t *)rec);
	putc('\n', out);
	return ferror(out) ? -1 : 0;
}
