/* llm.c: chat-completions requests and answers for enrich (llm.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "jw.h"
#include "llm.h"
#include "prompt.h"
#include "text.h"
#include "util.h"

static int
isalpha_c(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

const char *const llm_field_name[LLM_NFIELDS] = {
	"title", "tldr", "motivation", "method", "result", "conclusion",
};

static const char *const field_help[LLM_NFIELDS] = {
	"the paper's title, translated",
	"one or two sentences: what the paper does and what it finds",
	"the problem the work addresses and why it matters",
	"how the work was done",
	"what was found, with the key numbers",
	"what the findings mean and what follows from them",
};

static const struct {
	const char *tag, *name;
} langs[] = {
	{ "ar", "Arabic" }, { "de", "German" }, { "en", "English" },
	{ "es", "Spanish" }, { "fr", "French" }, { "hi", "Hindi" },
	{ "it", "Italian" }, { "ja", "Japanese" }, { "ko", "Korean" },
	{ "nl", "Dutch" }, { "pl", "Polish" }, { "pt", "Portuguese" },
	{ "ru", "Russian" }, { "sv", "Swedish" }, { "tr", "Turkish" },
	{ "uk", "Ukrainian" }, { "vi", "Vietnamese" },
	{ "zh", "Simplified Chinese" }, { "zh-cn", "Simplified Chinese" },
	{ "zh-hans", "Simplified Chinese" },
	{ "zh-hant", "Traditional Chinese" }, { "zh-tw", "Traditional Chinese" },
};

int
llm_parse_fields(const char *s, unsigned *set, char *err, size_t errlen)
{
	const char *p = s, *e;
	size_t n;
	int i;

	*set = 0;
	for (;;) {
		e = strchr(p, ',');
		n = e ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < LLM_NFIELDS; i++)
			if (strlen(llm_field_name[i]) == n &&
			    !memcmp(llm_field_name[i], p, n))
				break;
		if (i == LLM_NFIELDS) {
			snprintf(err, errlen, "unknown field '%.*s' (want title, "
			    "tldr, motivation, method, result or conclusion)",
			    (int)(n > 40 ? 40 : n), p);
			return -1;
		}
		*set |= 1u << i;
		if (!e)
			return 0;
		p = e + 1;
	}
}

const char *
llm_lang_name(const char *tag)
{
	size_t i;

	for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
		if (!ascii_casecmp(langs[i].tag, tag))
			return langs[i].name;
	return NULL;
}

int
llm_lang_ok(const char *tag)
{
	size_t n = strlen(tag), i;

	if (!n || n > 35)
		return 0;
	for (i = 0; i < n; i++)
		if (!((tag[i] >= 'a' && tag[i] <= 'z') || (tag[i] >= 'A' &&
		    tag[i] <= 'Z') || (tag[i] >= '0' && tag[i] <= '9') ||
		    tag[i] == '-'))
			return 0;
	return 1;
}

/* The reader's own prompt, if there is one (llm_use_prompt). */
static const struct prompt *custom;

void
llm_use_prompt(const struct prompt *p)
{
	custom = p && (p->text.len || p->nfields) ? p : NULL;
}

static void
language(struct buf *l, const char *lang)
{
	const char *name = llm_lang_name(lang);

	if (name)
		buf_printf(l, "%s (language tag %s)", name, lang);
	else
		buf_printf(l, "the language with the BCP 47 tag %s", lang);
}

/* The system prompt around the reader's instructions: every field with
 * its type, then the same rules for text as the built-in prompt's. */
static void
custom_system_prompt(struct buf *b, const char *lang, unsigned fields)
{
	struct buf l = { 0 };
	size_t i;

	language(&l, lang);
	buf_puts(b, "You read research papers for a daily digest, from a "
	    "paper's title and abstract.\n");
	if (custom->text.len) {
		buf_put(b, custom->text.s, custom->text.len);
		buf_puts(b, "\n\n");
	}
	buf_puts(b, "Answer with one JSON object and nothing else: no Markdown, "
	    "no code fence, no comment.\nThe object has exactly these keys:\n");
	for (i = 0; i < LLM_NFIELDS; i++)
		if (fields & 1u << i)
			buf_printf(b, "\"%s\" (a string): %s\n",
			    llm_field_name[i], field_help[i]);
	for (i = 0; i < custom->nfields; i++)
		buf_printf(b, "\"%s\" (%s): %s\n", custom->field[i].name,
		    prompt_type_help(&custom->field[i]), custom->field[i].help);
	buf_printf(b, "Write every text in %s. Keep formulas, names, "
	    "acronyms and technical terms as they are; in a JSON string a "
	    "backslash is written \\\\. Use null for a key that the title and "
	    "abstract give nothing for.", l.s);
	buf_free(&l);
}

static void
system_prompt(struct buf *b, const char *lang, unsigned fields)
{
	struct buf l = { 0 };
	int i;

	if (custom) {
		custom_system_prompt(b, lang, fields);
		return;
	}
	language(&l, lang);
	buf_puts(b, "You write short structured summaries of research papers "
	    "for a daily digest, from a paper's title and abstract.\n"
	    "Answer with one JSON object and nothing else: no Markdown, no "
	    "code fence, no comment.\nThe object has exactly these keys, each "
	    "with a string value:\n");
	for (i = 0; i < LLM_NFIELDS; i++)
		if (fields & 1u << i)
			buf_printf(b, "\"%s\": %s\n", llm_field_name[i],
			    field_help[i]);
	buf_printf(b, "Write every value in %s. Keep formulas, names, "
	    "acronyms and technical terms as they are; in a JSON string a "
	    "backslash is written \\\\. Use an empty string for a key that the "
	    "title and abstract give nothing for.", l.s);
	buf_free(&l);
}

/* The schema's properties for the reader's own fields. */
static void
custom_properties(struct jw *w)
{
	struct buf t = { 0 };
	size_t i;

	for (i = 0; custom && i < custom->nfields; i++) {
		buf_reset(&t);
		prompt_schema(&t, &custom->field[i]);
		jw_key(w, custom->field[i].name);
		jw_raw(w, t.s, t.len);
	}
	buf_free(&t);
}

/* response_format: a strict JSON schema of the fields asked for. */
static void
put_schema(struct jw *w, unsigned fields)
{
	size_t j;
	int i;

	jw_key(w, "response_format");
	jw_object(w);
	jw_key(w, "type");
	jw_cstring(w, "json_schema");
	jw_key(w, "json_schema");
	jw_object(w);
	jw_key(w, "name");
	jw_cstring(w, "paper_summary");
	jw_key(w, "strict");
	jw_raw(w, "true", 4);
	jw_key(w, "schema");
	jw_object(w);
	jw_key(w, "type");
	jw_cstring(w, "object");
	jw_key(w, "properties");
	jw_object(w);
	for (i = 0; i < LLM_NFIELDS; i++)
		if (fields & 1u << i) {
			jw_key(w, llm_field_name[i]);
			jw_raw(w, "{\"type\":\"string\"}", 17);
		}
	custom_properties(w);
	jw_end_object(w);
	jw_key(w, "required");
	jw_array(w);
	for (i = 0; i < LLM_NFIELDS; i++)
		if (fields & 1u << i)
			jw_cstring(w, llm_field_name[i]);
	for (j = 0; custom && j < custom->nfields; j++)
		jw_cstring(w, custom->field[j].name);
	jw_end_array(w);
	jw_key(w, "additionalProperties");
	jw_raw(w, "false", 5);
	jw_end_object(w);
	jw_end_object(w);
	jw_end_object(w);
}

void
llm_request(struct buf *out, const char *model, const char *lang,
    unsigned fields, enum llm_format fmt, const char *title, size_t tn,
    const char *summary, size_t sn)
{
	struct buf sys = { 0 }, user = { 0 };
	struct jw w;

	system_prompt(&sys, lang, fields);
	buf_puts(&user, "Title: ");
	buf_put(&user, title, tn);
	buf_puts(&user, "\n\nAbstract: ");
	if (sn)
		buf_put(&user, summary, sn);
	else
		buf_puts(&user, "(none)");
	jw_init(&w, out);
	jw_object(&w);
	jw_key(&w, "model");
	jw_cstring(&w, model);
	jw_key(&w, "messages");
	jw_array(&w);
	jw_object(&w);
	jw_key(&w, "role");
	jw_cstring(&w, "system");
	jw_key(&w, "content");
	jw_string(&w, sys.s, sys.len);
	jw_end_object(&w);
	jw_object(&w);
	jw_key(&w, "role");
	jw_cstring(&w, "user");
	jw_key(&w, "content");
	jw_string(&w, user.s, user.len);
	jw_end_object(&w);
	jw_end_array(&w);
	if (fmt == LLM_SCHEMA) {
		put_schema(&w, fields);
	} else if (fmt == LLM_JSON_MODE) {
		jw_key(&w, "response_format");
		jw_raw(&w, "{\"type\":\"json_object\"}", 22);
	}
	jw_end_object(&w);
	buf_free(&sys);
	buf_free(&user);
}

void
llm_answer_free(struct llm_answer *a)
{
	int i;

	for (i = 0; i < LLM_NFIELDS; i++)
		buf_free(&a->text[i]);
	buf_free(&a->model);
	buf_free(&a->note);
	buf_free(&a->invalid);
	json_decref(a->extra);
	a->extra = NULL;
}

/* The member of o named like field f, ignoring case; "tl;dr" is tldr. */
static json_t *
member(json_t *o, int f)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		if (!ascii_casecmp(k, llm_field_name[f]))
			return v;
		if (f == LLM_TLDR && (!ascii_casecmp(k, "tl;dr") ||
		    !ascii_casecmp(k, "tl_dr") || !ascii_casecmp(k, "tl-dr")))
			return v;
	}
	return NULL;
}

/* The member of o named name, ignoring case. */
static json_t *
member_named(json_t *o, const char *name)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v)
		if (!ascii_casecmp(k, name))
			return v;
	return NULL;
}

/* The reader's own fields, typed as declared; what does not fit the
 * declared type goes into a->invalid, one line each. The number found. */
static int
take_custom(json_t *o, struct llm_answer *a)
{
	const struct prompt_field *f;
	char err[200];
	json_t *v, *val;
	size_t i;
	int found = 0;

	json_decref(a->extra);
	a->extra = NULL;
	buf_reset(&a->invalid);
	if (!custom)
		return 0;
	a->extra = json_object();
	for (i = 0; i < custom->nfields; i++) {
		f = &custom->field[i];
		if (!(v = member_named(o, f->name)))
			continue;
		found++;
		if ((val = prompt_value(f, v, err, sizeof(err))))
			json_object_set_new(a->extra, f->name, val);
		else if (err[0])
			buf_printf(&a->invalid, "field '%s': %s\n", f->name, err);
	}
	return found;
}

static int
take_fields(json_t *o, unsigned fields, struct llm_answer *a)
{
	json_t *v;
	int i, found = take_custom(o, a);

	for (i = 0; i < LLM_NFIELDS; i++) {
		buf_reset(&a->text[i]);
		if (!(fields & 1u << i) || !(v = member(o, i)) ||
		    !json_is_string(v))
			continue;
		(i == LLM_TITLE ? text_line : text_plain)(&a->text[i],
		    json_string_value(v), json_string_length(v));
		found += a->text[i].len > 0;
	}
	return found;
}

int
llm_parse_content(const char *s, size_t n, unsigned fields,
    struct llm_answer *a, char *err, size_t errlen)
{
	json_t *o = llm_find_object(s, n), *v, *inner = NULL;
	const char *k;
	size_t i;
	int found;

	if (!o) {
		for (i = 0; i < n && is_space((unsigned char)s[i]); i++)
			;
		snprintf(err, errlen, "the answer holds no JSON object that parses: \"%.*s%s\"",
		    (int)utf8_valid_prefix(s + i, n - i > 60 ? 60 : n - i), s + i,
		    n - i > 60 ? "..." : "");
		for (k = err; *k; k++)
			if ((unsigned char)*k < 0x20)
				err[k - err] = ' ';
		return -1;
	}
	found = take_fields(o, fields, a);
	if (!found && json_object_size(o) == 1) {
		/* {"summary": {...}}: some models wrap the object */
		json_object_foreach(o, k, v)
			inner = v;
		if (json_is_object(inner))
			found = take_fields(inner, fields, a);
	}
	json_decref(o);
	if (!found) {
		snprintf(err, errlen, "the answer has none of the fields asked for");
		return -1;
	}
	return 0;
}

/* usage.total_tokens into a->tokens, or what is wrong with it into
 * a->note. */
static void
take_tokens(json_t *v, struct llm_answer *a)
{
	double d;

	if (!v || json_is_null(v))
		return;
	d = json_is_number(v) ? json_number_value(v) : -1;
	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= LLM_TOKENS_MAX)
		a->tokens = (long)json_integer_value(v);
	else if (json_is_real(v) && d >= 0 && d <= LLM_TOKENS_MAX &&
	    d == (double)(long)d)
		a->tokens = (long)d;
	else if (json_is_integer(v))
		buf_printf(&a->note, "usage.total_tokens %" JSON_INTEGER_FORMAT
		    " is not a plausible count: ignored",
		    json_integer_value(v));
	else
		buf_printf(&a->note, "usage.total_tokens is not a count from 0 "
		    "to %ld: ignored", LLM_TOKENS_MAX);
}

/* A string of the body, decoded, then scrubbed. */
static void
take_string(struct buf *out, json_t *v, const struct secret *sec)
{
	buf_put(out, json_string_value(v), json_string_length(v));
	secret_scrub(sec, out);
}

/* A string of a typed answer, scrubbed: a new reference. */
static json_t *
scrubbed(const struct secret *sec, json_t *v)
{
	struct buf b = { 0 };
	json_t *s;

	take_string(&b, v, sec);
	s = json_stringn(b.s, b.len);
	buf_free(&b);
	return s;
}

/* The strings of a typed answer (an object of values, a list of strings). */
static void
scrub_json(const struct secret *sec, json_t *v)
{
	const char *k;
	json_t *e;
	size_t i;

	if (!sec || !sec->n)
		return;
	if (json_is_object(v)) {
		json_object_foreach(v, k, e)
			if (json_is_string(e))
				json_object_set_new(v, k, scrubbed(sec, e));
			else
				scrub_json(sec, e);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (json_is_string(e))
				json_array_set_new(v, i, scrubbed(sec, e));
	}
}

int
llm_parse_response(const char *body, size_t n, unsigned fields,
    const struct secret *sec, struct llm_answer *a, char *err,
    size_t errlen)
{
	json_t *root, *msg, *content, *part, *v;
	struct buf text = { 0 };
	size_t i;
	int ret = -1, f;

	if (errlen)
		err[0] = '\0';	/* scrubbed at the end, also when all went well */
	a->tokens = -1;
	buf_reset(&a->model);
	buf_reset(&a->note);
	if (!(root = json_loadb(body, n, 0, NULL)) || !json_is_object(root)) {
		snprintf(err, errlen, "the response is not a JSON object");
		json_decref(root);
		return -1;
	}
	take_tokens(json_object_get(json_object_get(root, "usage"),
	    "total_tokens"), a);
	if ((v = json_object_get(root, "model")) && json_is_string(v))
		take_string(&a->model, v, sec);
	msg = json_object_get(json_array_get(json_object_get(root, "choices"),
	    0), "message");
	content = json_object_get(msg, "content");
	if (json_is_string(content)) {
		buf_put(&text, json_string_value(content),
		    json_string_length(content));
	} else if (json_is_array(content)) {
		json_array_foreach(content, i, part)
			if (json_is_string(v = json_object_get(part, "text")))
				buf_put(&text, json_string_value(v),
				    json_string_length(v));
	}
	secret_scrub(sec, &text);
	if (text.len) {
		ret = llm_parse_content(text.s, text.len, fields, a, err, errlen);
	} else if (json_is_string(v = json_object_get(msg, "refusal"))) {
		take_string(&text, v, sec);
		snprintf(err, errlen, "the model refused: %.100s", text.s);
	} else if (json_object_get(root, "error")) {
		llm_error_text(&text, body, n, sec);
		snprintf(err, errlen, "%s", text.s);
	} else {
		snprintf(err, errlen, "the response has no message content");
	}
	/* the fields were decoded again out of the content */
	for (f = 0; f < LLM_NFIELDS; f++)
		secret_scrub(sec, &a->text[f]);
	scrub_json(sec, a->extra);
	secret_scrub_cstr(sec, err, errlen);
	util_wipe(text.s, text.cap);
	buf_free(&text);
	json_decref(root);
	return ret;
}

/* The end of the balanced object or array starting at s[0], strings and
 * escapes respected; 0 if it does not end. */
static size_t
balanced(const char *s, size_t n)
{
	size_t i, depth = 0;
	int instr = 0;

	for (i = 0; i < n; i++) {
		if (instr) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				instr = 0;
		} else if (s[i] == '"') {
			instr = 1;
		} else if (s[i] == '{' || s[i] == '[') {
			depth++;
		} else if ((s[i] == '}' || s[i] == ']') && !--depth) {
			return i + 1;
		}
	}
	return 0;
}

static int
ishex(int c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Is "\n" followed by letters s[0..n) a TeX command (\nabla, \neq, \nu)
 * rather than a newline before a word? */
static int
tex_n(const char *s, size_t n)
{
	static const char *const cmds[] = { "nabla", "napprox", "natural",
	    "ncong", "ne", "nearrow", "neg", "neq", "newline", "nexists",
	    "ngeq", "ngtr", "ni", "nleftarrow", "nleq", "nless", "nmid",
	    "nolimits", "nonumber", "not", "notin", "nparallel",
	    "nrightarrow", "nsim", "nsubseteq", "nu", "nvdash", "nwarrow" };
	size_t i, len;

	for (len = 0; len < n && isalpha_c((unsigned char)s[len]); len++)
		;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strlen(cmds[i]) == len && !memcmp(cmds[i], s, len))
			return 1;
	return 0;
}

void
llm_repair(struct buf *out, const char *s, size_t n)
{
	size_t i, j;
	int instr = 0;
	unsigned char c, d;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (!instr) {
			if (c == '"')
				instr = 1;
			if (c == ',') {	/* a trailing comma: {"a":"b",} */
				for (j = i + 1; j < n && is_space((unsigned char)s[j]); j++)
					;
				if (j < n && (s[j] == '}' || s[j] == ']'))
					continue;
			}
			buf_putc(out, (char)c);
			continue;
		}
		if (c == '"') {
			instr = 0;
			buf_putc(out, '"');
		} else if (c < 0x20) {
			if (c == '\n')
				buf_puts(out, "\\n");
			else if (c == '\t')
				buf_puts(out, "\\t");
			else if (c == '\r')
				buf_puts(out, "\\r");
			else
				buf_printf(out, "\\u%04x", c);
		} else if (c != '\\') {
			buf_putc(out, (char)c);
		} else if (i + 1 == n) {
			buf_puts(out, "\\\\");
		} else {
			d = (unsigned char)s[i + 1];
			/* \b and \f are never meant in a summary; \r, \t and \n
			 * before letters are \rho, \theta, \nabla; \u without four
			 * hex digits is \underline */
			if (d == '"' || d == '\\' || d == '/' ||
			    (d == 'u' && i + 5 < n && ishex(s[i + 2]) &&
			    ishex(s[i + 3]) && ishex(s[i + 4]) && ishex(s[i + 5])) ||
			    ((d == 'r' || d == 't') && !(i + 2 < n &&
			    isalpha_c((unsigned char)s[i + 2]))) ||
			    (d == 'n' && !tex_n(s + i + 1, n - i - 1))) {
				buf_putc(out, '\\');
				buf_putc(out, (char)d);
				i++;
			} else {
				buf_puts(out, "\\\\");
			}
		}
	}
}

json_t *
llm_find_object(const char *s, size_t n)
{
	struct buf fixed = { 0 };
	const char *p = s, *end = s + n;
	json_t *o;
	size_t len;

	while ((p = memchr(p, '{', (size_t)(end - p)))) {
		if (!(len = balanced(p, (size_t)(end - p))))
			break;
		buf_reset(&fixed);
		llm_repair(&fixed, p, len);
		o = json_loadb(fixed.s, fixed.len, 0, NULL);
		if (json_is_object(o)) {
			buf_free(&fixed);
			return o;
		}
		json_decref(o);
		p++;
	}
	buf_free(&fixed);
	return NULL;
}

int
llm_format_refused(const char *body, size_t n)
{
	static const char *const words[] = { "response_format", "json_schema",
	    "response format", "structured output", "schema" };
	struct buf b = { 0 };
	size_t i;
	int yes = 0;

	buf_put(&b, body, n);
	for (i = 0; i < sizeof(words) / sizeof(words[0]) && !yes; i++)
		yes = ascii_casestr(buf_str(&b), words[i]) != NULL;
	buf_free(&b);
	return yes;
}

void
llm_error_text(struct buf *out, const char *body, size_t n,
    const struct secret *sec)
{
	json_t *root = json_loadb(body, n, 0, NULL), *e, *m;
	struct buf t = { 0 };
	size_t len, start = out->len, i;

	e = json_object_get(root, "error");
	m = json_is_object(e) ? json_object_get(e, "message") : e;
	if (!json_is_string(m))
		m = json_object_get(root, "message");
	if (json_is_string(m))
		buf_put(&t, json_string_value(m), json_string_length(m));
	else
		buf_put(&t, body, n);
	json_decref(root);
	secret_scrub(sec, &t);	/* before the cut: a key across it is gone whole */
	len = utf8_valid_prefix(buf_str(&t), t.len > 200 ? 200 : t.len);
	text_line(out, buf_str(&t), len);
	if (len < t.len)
		buf_puts(out, "...");
	for (i = start; i < out->len; i++)
		if ((unsigned char)out->s[i] < 0x20 || out->s[i] == 0x7f)
			out->s[i] = ' ';
	util_wipe(t.s, t.cap);
	buf_free(&t);
}

static void
put_custom(struct jw *w, json_t *extra)
{
	struct buf t = { 0 };
	const char *k;
	json_t *v;

	json_object_foreach(extra, k, v) {
		buf_reset(&t);
		jsonl_put(&t, v);
		jw_key(w, k);
		jw_raw(w, t.s, t.len);
	}
	buf_free(&t);
}

void
llm_ai_object(struct buf *out, const char *lang, const struct llm_answer *a)
{
	struct jw w;
	int i;

	jw_init(&w, out);
	jw_object(&w);
	jw_key(&w, "lang");
	jw_cstring(&w, lang);
	for (i = 0; i < LLM_NFIELDS; i++)
		if (a->text[i].len) {
			jw_key(&w, llm_field_name[i]);
			jw_string(&w, a->text[i].s, a->text[i].len);
		}
	put_custom(&w, a->extra);
	if (a->model.len) {
		jw_key(&w, "model");
		jw_string(&w, a->model.s, a->model.len);
	}
	jw_end_object(&w);
}
