/* prompt.c: the reader's own prompt (prompt.h, feedpipe-prompt(5)). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prompt.h"
#include "text.h"
#include "util.h"

#define NAME_MAX_LEN 40

static const char *const type_name[] = {
	"string", "number", "integer", "boolean", "list",
};

static const char *const type_help[] = {
	"a string", "a number", "an integer", "true or false",
	"a list of strings",
};

int
prompt_reserved(const char *name)
{
	static const char *const own[] = { "lang", "model", "title", "tldr",
	    "motivation", "method", "result", "conclusion", "relevance",
	    "reason" };
	size_t i;

	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(own[i], name))
			return 1;
	return 0;
}

static const char *
skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *
word_end(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t' && *p != ':')
		p++;
	return p;
}

static int
name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > NAME_MAX_LEN || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static struct prompt_field *
add_field(struct prompt *p, const char *name, size_t nn, enum prompt_type t,
    const char *help, size_t hn)
{
	struct prompt_field *f;

	p->field = erealloc(p->field, (p->nfields + 1) * sizeof(*p->field));
	f = &p->field[p->nfields++];
	memset(f, 0, sizeof(*f));
	f->name = estrndup(name, nn);
	f->help = estrndup(help, hn);
	f->type = t;
	return f;
}

static int
find_field(const struct prompt *p, const char *name, size_t nn)
{
	size_t i;

	for (i = 0; i < p->nfields; i++)
		if (strlen(p->field[i].name) == nn &&
		    !memcmp(p->field[i].name, name, nn))
			return 1;
	return 0;
}

/* Is s[0..n) a field line ("field" and two words before a colon)? 0: no;
 * 1: yes, added; -1: yes, but wrong (message in err). */
static int
field_line(struct prompt *p, const char *s, size_t n, char *err,
    size_t errlen)
{
	const char *end = s + n, *name, *ne, *type, *te, *help;
	char nm[NAME_MAX_LEN + 1];
	size_t t;

	if (n < 6 || memcmp(s, "field", 5) || (s[5] != ' ' && s[5] != '\t'))
		return 0;
	name = skip_blanks(s + 5, end);
	ne = word_end(name, end);
	type = skip_blanks(ne, end);
	te = word_end(type, end);
	help = skip_blanks(te, end);
	if (ne == name || te == type || help == end || *help != ':')
		return 0;
	if (!name_ok(name, (size_t)(ne - name))) {
		snprintf(err, errlen, "field name '%.*s': want letters, digits "
		    "and '_', not a digit first, at most %d bytes",
		    (int)(ne - name > 60 ? 60 : ne - name), name, NAME_MAX_LEN);
		return -1;
	}
	for (t = 0; t < sizeof(type_name) / sizeof(type_name[0]); t++)
		if (strlen(type_name[t]) == (size_t)(te - type) &&
		    !memcmp(type_name[t], type, (size_t)(te - type)))
			break;
	if (t == sizeof(type_name) / sizeof(type_name[0])) {
		snprintf(err, errlen, "field '%.*s': unknown type '%.*s' (want "
		    "string, number, integer, boolean or list)", (int)(ne - name),
		    name, (int)(te - type > 40 ? 40 : te - type), type);
		return -1;
	}
	memcpy(nm, name, (size_t)(ne - name));	/* name_ok: it fits */
	nm[ne - name] = '\0';
	if (prompt_reserved(nm) || find_field(p, name, (size_t)(ne - name))) {
		snprintf(err, errlen, "field '%s': %s", nm, prompt_reserved(nm) ?
		    "a name enrich writes itself" : "declared twice");
		return -1;
	}
	help = skip_blanks(help + 1, end);
	while (end > help && is_space((unsigned char)end[-1]))
		end--;
	add_field(p, name, (size_t)(ne - name), (enum prompt_type)t, help,
	    (size_t)(end - help));
	return 1;
}

/* The instruction text without blank lines at its start and end. */
static void
trim_text(struct buf *b)
{
	size_t i = 0;

	while (b->len && is_space((unsigned char)b->s[b->len - 1]))
		b->len--;
	while (i < b->len && b->s[i] == '\n')
		i++;
	memmove(b->s, b->s + i, b->len - i);
	b->len -= i;
	buf_str(b);
}

int
prompt_load(struct prompt *p, const char *s, size_t n, char *err,
    size_t errlen)
{
	const char *end = s + n, *e;
	unsigned long lineno = 0;
	size_t len;
	int r;

	for (; s < end; s = e + 1) {
		lineno++;
		if (!(e = memchr(s, '\n', (size_t)(end - s))))
			e = end;
		len = (size_t)(e - s);
		if (len && s[len - 1] == '\r')
			len--;
		if ((r = field_line(p, s, len, err, errlen)) < 0) {
			char why[256];

			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errlen, "%lu: %s", lineno, why);
			return -1;
		}
		if (!r) {
			buf_put(&p->text, s, len);
			buf_putc(&p->text, '\n');
		}
		if (e == end)
			break;
	}
	trim_text(&p->text);
	if (!p->text.len && !p->nfields) {
		snprintf(err, errlen, "%lu: neither instructions nor fields",
		    lineno);
		return -1;
	}
	buf_puts(&p->source, "prompt\n");	/* the text, not where it lives */
	buf_put(&p->source, end - n, n);
	buf_putc(&p->source, '\n');
	return 0;
}

int
prompt_interest(struct prompt *p, const char *text, char *err,
    size_t errlen)
{
	static const char relevance[] = "how relevant the paper is to the "
	    "reader's interests, from 0 (not at all) to 10 (exactly what they "
	    "look for)";
	static const char reason[] = "one sentence telling the reader why";
	struct buf t = { 0 };
	struct prompt_field *f;

	text_plain(&t, text, strlen(text));
	if (!t.len) {
		snprintf(err, errlen, "--interest: no words");
		buf_free(&t);
		return -1;
	}
	if (p->text.len)
		buf_puts(&p->text, "\n\n");
	buf_puts(&p->text, "The reader describes their interests so:\n");
	buf_put(&p->text, t.s, t.len);
	buf_puts(&p->text, "\nJudge how relevant the paper is to these "
	    "interests, strictly: most papers of a daily feed are not.");
	f = add_field(p, "relevance", 9, PROMPT_INTEGER, relevance,
	    sizeof(relevance) - 1);
	f->ranged = 1;
	f->lo = 0;
	f->hi = 10;
	add_field(p, "reason", 6, PROMPT_STRING, reason, sizeof(reason) - 1);
	buf_puts(&p->source, "interest\n");
	buf_put(&p->source, t.s, t.len);
	buf_putc(&p->source, '\n');
	buf_free(&t);
	return 0;
}

void
prompt_free(struct prompt *p)
{
	size_t i;

	for (i = 0; i < p->nfields; i++) {
		free(p->field[i].name);
		free(p->field[i].help);
	}
	free(p->field);
	buf_free(&p->text);
	buf_free(&p->source);
	memset(p, 0, sizeof(*p));
}

const char *
prompt_type_help(const struct prompt_field *f)
{
	return type_help[f->type];
}

void
prompt_schema(struct buf *out, const struct prompt_field *f)
{
	/* null allowed: the prompt asks for it where there is nothing */
	if (f->type == PROMPT_LIST)
		buf_puts(out, "{\"type\":[\"array\",\"null\"],\"items\":"
		    "{\"type\":\"string\"}}");
	else
		buf_printf(out, "{\"type\":[\"%s\",\"null\"]}",
		    type_name[f->type]);
}

static const char *
json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "a list";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* The text of a string answer, plain; NULL if it is empty. */
static json_t *
plain_string(json_t *v)
{
	struct buf b = { 0 };
	json_t *s = NULL;

	text_plain(&b, json_string_value(v), json_string_length(v));
	if (b.len)
		s = json_stringn(b.s, b.len);
	buf_free(&b);
	return s;
}

static json_t *
string_list(json_t *v, char *err, size_t errlen)
{
	json_t *list = json_array(), *e, *s;
	size_t i;

	json_array_foreach(v, i, e) {
		if (!json_is_string(e)) {
			snprintf(err, errlen, "want a list of strings, got %s "
			    "in it", json_kind(e));
			json_decref(list);
			return NULL;
		}
		if ((s = plain_string(e)))
			json_array_append_new(list, s);
	}
	if (!json_array_size(list)) {
		json_decref(list);
		return NULL;
	}
	return list;
}

static json_t *
number(const struct prompt_field *f, json_t *v, char *err, size_t errlen)
{
	double d = json_number_value(v);

	if (f->type == PROMPT_INTEGER && (!isfinite(d) || d != floor(d) ||
	    fabs(d) > 9007199254740992.0)) {
		snprintf(err, errlen, "want an integer, got %s", json_kind(v));
		return NULL;
	}
	if (f->ranged && (d < f->lo || d > f->hi)) {
		snprintf(err, errlen, "want %s from %g to %g, got %g",
		    prompt_type_help(f), f->lo, f->hi, d);
		return NULL;
	}
	if (f->type == PROMPT_INTEGER)
		return json_integer((json_int_t)d);
	return json_incref(v);
}

json_t *
prompt_value(const struct prompt_field *f, json_t *v, char *err,
    size_t errlen)
{
	int ok;

	err[0] = '\0';
	if (!v || json_is_null(v))
		return NULL;
	switch (f->type) {
	case PROMPT_STRING: ok = json_is_string(v); break;
	case PROMPT_NUMBER: case PROMPT_INTEGER: ok = json_is_number(v); break;
	case PROMPT_BOOLEAN: ok = json_is_boolean(v); break;
	default: ok = json_is_array(v); break;
	}
	if (!ok) {
		snprintf(err, errlen, "want %s, got %s", prompt_type_help(f),
		    json_kind(v));
		return NULL;
	}
	switch (f->type) {
	case PROMPT_STRING: return plain_string(v);
	case PROMPT_NUMBER: case PROMPT_INTEGER:
		return number(f, v, err, errlen);
	case PROMPT_BOOLEAN: return json_incref(v);
	default: return string_list(v, err, errlen);
	}
}
