/* jsonl.c: JSON Lines input (getline) and output. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "buf.h"
#include "jsonl.h"
#include "jw.h"
#include "jwalk.h"
#include "util.h"

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

/* ---- numbers jansson cannot hold ---- */

static int
isdig(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* The end of the JSON number at p, or NULL if it is not one; *real tells
 * whether it has a fraction or an exponent, *nonzero a digit other than 0. */
static const char *
number_end(const char *p, const char *end, int *real, int *nonzero)
{
	const char *d;

	*real = *nonzero = 0;
	if (p < end && *p == '-')
		p++;
	if (!isdig(p, end))
		return NULL;
	for (d = p; isdig(p, end); p++)
		*nonzero |= *p != '0';
	if (*d == '0' && p - d > 1)
		return NULL;
	if (p < end && *p == '.') {
		*real = 1;
		if (!isdig(++p, end))
			return NULL;
		for (; isdig(p, end); p++)
			*nonzero |= *p != '0';
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		*real = 1;
		if (++p < end && (*p == '+' || *p == '-'))
			p++;
		if (!isdig(p, end))
			return NULL;
		while (isdig(p, end))
			p++;
	}
	return p;
}

/* Would jansson refuse the number s[0..n) (an integer beyond json_int_t, a
 * real beyond a double) or read it as 0 when it is not (underflow)? */
static int
out_of_range(const char *s, size_t n, int real, int nonzero)
{
	char tmp[64], *t = n < sizeof(tmp) ? tmp : emalloc(n + 1);
	double d;
	int r;

	memcpy(t, s, n);
	t[n] = '\0';
	errno = 0;
	if (real) {
		d = strtod(t, NULL);
		r = errno == ERANGE && (isinf(d) || (d == 0 && nonzero));
	} else {
		(void)strtoll(t, NULL, 10);
		r = errno == ERANGE;
	}
	if (t != tmp)
		free(t);
	return r;
}

int
jsonl_is_raw(const char *s, size_t n)
{
	int real, nonzero;

	return number_end(s, s + n, &real, &nonzero) == s + n &&
	    out_of_range(s, n, real, nonzero);
}

/* The out-of-range numbers of s[0..n), outside strings, into spans as
 * offset and length pairs; their number. Bad JSON is left to jansson. */
static size_t
raw_numbers(const char *s, size_t n, struct buf *spans)
{
	const char *p = s, *end = s + n, *q;
	size_t k = 0, at[2];
	int real, nonzero;

	buf_reset(spans);
	while (p < end) {
		if (*p == '"') {
			p = jskip_string(p, end);
		} else if ((*p == '-' || isdig(p, end)) &&
		    (q = number_end(p, end, &real, &nonzero))) {
			if (out_of_range(p, (size_t)(q - p), real, nonzero)) {
				at[0] = (size_t)(p - s);
				at[1] = (size_t)(q - p);
				buf_put(spans, (const char *)at, sizeof(at));
				k++;
			}
			p = q;
		} else {
			p++;
		}
	}
	return k;
}

/*
 * Parse s with its out-of-range numbers made representable. First as "0"
 * and spaces, the same length: any error is jansson's, at its column. Then
 * as strings "\u0000" + the number's text, which no valid record holds
 * (jansson refuses \u0000 without JSON_ALLOW_NUL): jsonl_number finds them,
 * jsonl_write writes them back as they came.
 */
static json_t *
load_raw(const char *s, size_t n, const struct buf *spans, size_t k,
    json_error_t *e)
{
	const size_t *at = (const size_t *)(const void *)spans->s;
	struct buf b = { NULL, 0, 0 };
	size_t i, from = 0;
	json_t *j;

	buf_put(&b, s, n);
	for (i = 0; i < k; i++) {
		memset(b.s + at[2 * i], ' ', at[2 * i + 1]);
		b.s[at[2 * i]] = '0';
	}
	if (!(j = json_loadb(b.s, b.len, JSON_DECODE_ANY, e))) {
		buf_free(&b);
		return NULL;
	}
	json_decref(j);
	buf_reset(&b);
	for (i = 0; i < k; i++) {
		buf_put(&b, s + from, at[2 * i] - from);
		buf_puts(&b, "\"\\u0000");
		buf_put(&b, s + at[2 * i], at[2 * i + 1]);
		buf_putc(&b, '"');
		from = at[2 * i] + at[2 * i + 1];
	}
	buf_put(&b, s + from, n - from);
	j = json_loadb(b.s, b.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, e);
	buf_free(&b);
	return j;
}

const char *
jsonl_number(const json_t *v, size_t *n)
{
	const char *s;

	if (!json_is_string(v) || json_string_length(v) < 2 ||
	    *(s = json_string_value(v)))
		return NULL;
	if (n)
		*n = json_string_length(v) - 1;
	return s + 1;
}

json_t *
jsonl_as_text(json_t *v)
{
	const char *key, *s;
	json_t *m;
	size_t i, n;

	if (json_is_object(v)) {
		json_object_foreach(v, key, m)
			if ((s = jsonl_number(m, &n)))
				json_object_set_new_nocheck(v, key, json_stringn(s, n));
			else
				jsonl_as_text(m);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if ((s = jsonl_number(m, &n)))
				json_array_set_new(v, i, json_stringn(s, n));
			else
				jsonl_as_text(m);
	}
	return v;
}

/* ---- parsing ---- */

json_t *
jsonl_parse(const struct jsonl *r, char *err, size_t errlen)
{
	return jsonl_load(r->line, r->len, err, errlen);
}

json_t *
jsonl_load(const char *line, size_t len, char *err, size_t errlen)
{
	static struct buf spans;	/* kept: no allocation per line */
	json_error_t e;
	json_t *j;
	const char *eof, *nul, *c;
	char *m;
	size_t k;
	int col;

	if (!err)
		errlen = 0;
	/* JSON_DECODE_ANY so that "[1]" is "not an object", not a syntax
	 * error; duplicate keys are allowed, the last value wins
	 * (feedpipe(5)) */
	if ((k = raw_numbers(line, len, &spans)))
		j = load_raw(line, len, &spans, k, &e);
	else
		j = json_loadb(line, len, JSON_DECODE_ANY, &e);
	if (j && json_is_object(j))
		return j;
	if (j) {
		snprintf(err, errlen, "not a JSON object (%s)", typename(j));
		json_decref(j);
		return NULL;
	}
	nul = memchr(line, '\0', len);
	if (nul && nul - line <= e.position) {
		/* jansson's message would quote the line only up to the NUL */
		for (col = 1, c = line; c < nul; c++)
			col += ((unsigned char)*c & 0xc0) != 0x80;
		snprintf(err, errlen, "column %d: NUL byte", col);
	} else if (json_error_code(&e) == json_error_invalid_utf8) {
		/* jansson counts the characters before the bad byte */
		snprintf(err, errlen, "column %d: invalid UTF-8 (byte 0x%02x)",
		    e.column + 1, e.position >= 0 && (size_t)e.position < len ?
		    (unsigned char)line[e.position] : 0);
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

/* ---- lines from a descriptor ---- */

enum { FD_READSZ = 1 << 18 };

int
jsonl_fd_open(struct jsonl_fd *r, const char *path)
{
	r->name = input_name(path);
	r->fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	r->open = r->fd >= 0;
	r->start = r->end = 0;
	r->eof = 0;
	r->lineno = 0;
	return r->open ? 0 : -1;
}

int
jsonl_fd_read(struct jsonl_fd *r)
{
	ssize_t n;

	if (r->start == r->end)
		r->start = r->end = 0;
	if (r->cap - r->end < FD_READSZ / 2 && r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < FD_READSZ / 2) {
		r->cap = r->cap ? r->cap * 2 : FD_READSZ;
		r->buf = erealloc(r->buf, r->cap);
	}
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		r->eof = 1;
		if (n < 0)
			r->start = r->end;
		return n < 0 ? -1 : 0;
	}
	r->end += (size_t)n;
	return 1;
}

int
jsonl_fd_line(struct jsonl_fd *r, const char **s, size_t *n)
{
	char *p, *nl;
	size_t avail, len;

	for (;;) {
		if (!(avail = r->end - r->start))
			return 0;
		p = r->buf + r->start;
		if (!(nl = memchr(p, '\n', avail)) && !r->eof)
			return 0;
		len = nl ? (size_t)(nl - p) : avail;
		r->start += len + (nl != NULL);
		r->lineno++;
		if (len && p[len - 1] == '\r')
			len--;
		if (!blank(p, len)) {
			*s = p;
			*n = len;
			return 1;
		}
	}
}

int
jsonl_fd_waiting(const struct jsonl_fd *r)
{
	return r->end > r->start &&
	    memchr(r->buf + r->start, '\n', r->end - r->start);
}

void
jsonl_fd_close(struct jsonl_fd *r)
{
	if (r->open && r->fd > 0)
		close(r->fd);
	r->open = 0;
}

void
jsonl_fd_free(struct jsonl_fd *r)
{
	jsonl_fd_close(r);
	free(r->buf);
	r->buf = NULL;
	r->cap = r->start = r->end = 0;
}

int
jsonl_each(const char *path, int (*fn)(struct jsonl *in, void *arg), void *arg)
{
	static int stdin_read;
	struct jsonl in;
	FILE *fp = open_input(path);
	int r, bad = 0;

	if (!fp) {
		weprintf("%s:", input_name(path));
		return 1;
	}
	/* stdio reads a pipe 4 KB at a time: a syscall every two records
	 * (and a stream's buffer can only be set before its first read) */
	if (fp != stdin || !stdin_read++)
		setvbuf(fp, NULL, _IOFBF, 1 << 18);
	jsonl_init(&in, fp, input_name(path));
	while ((r = jsonl_next(&in)) > 0)
		bad |= fn(&in, arg);
	if (r < 0) {
		weprintf("%s: read error:", in.name);
		bad = 1;
	}
	jsonl_free(&in);
	if (fp != stdin)
		fclose(fp);
	return bad;
}

void
jsonl_put(struct buf *b, const json_t *v)
{
	char num[JW_REAL_BUFSZ];
	const char *key, *s;
	json_t *m;
	size_t i, n;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		buf_putc(b, '{');
		i = 0;
		json_object_foreach((json_t *)v, key, m) {
			if (i++)
				buf_putc(b, ',');
			jw_put_string(b, key, strlen(key));
			buf_putc(b, ':');
			jsonl_put(b, m);
		}
		buf_putc(b, '}');
		break;
	case JSON_ARRAY:
		buf_putc(b, '[');
		for (i = 0; i < json_array_size(v); i++) {
			if (i)
				buf_putc(b, ',');
			jsonl_put(b, json_array_get(v, i));
		}
		buf_putc(b, ']');
		break;
	case JSON_STRING:
		if ((s = jsonl_number(v, &n)))
			buf_put(b, s, n);
		else
			jw_put_string(b, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		jw_format_real(json_real_value(v), num);
		buf_puts(b, num);
		break;
	case JSON_TRUE:
		buf_puts(b, "true");
		break;
	case JSON_FALSE:
		buf_puts(b, "false");
		break;
	case JSON_NULL:
		buf_puts(b, "null");
		break;
	}
}

int
jsonl_write(FILE *out, const json_t *rec)
{
	/* our own writer: jansson's dump costs more than a parse's third
	 * (performance.md) and prints 0.1 as 0.10000000000000001 */
	static struct buf b;

	buf_reset(&b);
	jsonl_put(&b, rec);
	buf_putc(&b, '\n');
	fwrite(b.s, 1, b.len, out);
	return ferror(out) ? -1 : 0;
}
