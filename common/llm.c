/* llm.c: chat-completions requests and answers for enrich (llm.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "llm.h"
#include "text.h"

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

static void
system_prompt(struct buf *b, const char *lang, unsigned fields)
{
	const char *name = llm_lang_name(lang);
	struct buf l = { 0 };
	int i;

	if (name)
		buf_printf(&l, "%s (language tag %s)", name, lang);
	else
		buf_printf(&l, "the language with the BCP 47 tag %s", lang);
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

void
llm_request(struct buf *out, const char *model, const char *lang,
    unsigned fields, enum llm_format fmt, const char *title, size_t tn,
    const char *summary, size_t sn)
{
	struct buf sys = { 0 }, user = { 0 };
	struct jw w;
	int i;

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
		jw_key(&w, "response_format");
		jw_object(&w);
		jw_key(&w, "type");
		jw_cstring(&w, "json_schema");
		jw_key(&w, "json_schema");
		jw_object(&w);
		jw_key(&w, "name");
		jw_cstring(&w, "paper_summary");
		jw_key(&w, "strict");
		jw_raw(&w, "true", 4);
		jw_key(&w, "schema");
		jw_object(&w);
		jw_key(&w, "type");
		jw_cstring(&w, "object");
		jw_key(&w, "properties");
		jw_object(&w);
		for (i = 0; i < LLM_NFIELDS; i++)
			if (fields & 1u << i) {
				jw_key(&w, llm_field_name[i]);
				jw_raw(&w, "{\"type\":\"string\"}", 17);
			}
		jw_end_object(&w);
		jw_key(&w, "required");
		jw_array(&w);
		for (i = 0; i < LLM_NFIELDS; i++)
			if (fields & 1u << i)
				jw_cstring(&w, llm_field_name[i]);
		jw_end_array(&w);
		jw_key(&w, "additionalProperties");
		jw_raw(&w, "false", 5);
		jw_end_object(&w);
		jw_end_object(&w);
		jw_end_object(&w);
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

static int
take_fields(json_t *o, unsigned fields, struct llm_answer *a)
{
	json_t *v;
	int i, found = 0;

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

int
llm_parse_response(const char *body, size_t n, unsigned fields,
    struct llm_answer *a, char *err, size_t errlen)
{
	json_t *root, *msg, *content, *part, *v;
	struct buf text = { 0 };
	size_t i;
	int ret = -1;

	a->tokens = -1;
	buf_reset(&a->model);
	if (!(root = json_loadb(body, n, 0, NULL)) || !json_is_object(root)) {
		snprintf(err, errlen, "the response is not a JSON object");
		json_decref(root);
		return -1;
	}
	v = json_object_get(json_object_get(root, "usage"), "total_tokens");
	if (json_is_integer(v))
		a->tokens = (long)json_integer_value(v);
	if ((v = json_object_get(root, "model")) && json_is_string(v))
		buf_put(&a->model, json_string_value(v), json_string_length(v));
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
	if (text.len) {
		ret = llm_parse_content(text.s, text.len, fields, a, err, errlen);
	} else if (json_is_string(v = json_object_get(msg, "refusal"))) {
		snprintf(err, errlen, "the model refused: %.100s",
		    json_string_value(v));
	} else if (json_object_get(root, "error")) {
		llm_error_text(&text, body, n);
		snprintf(err, errlen, "%s", text.s);
	} else {
		snprintf(err, errlen, "the response has no message content");
	}
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
isalpha_c(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
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
llm_error_text(struct buf *out, const char *body, size_t n)
{
	json_t *root = json_loadb(body, n, 0, NULL), *e, *m;
	const char *s = body;
	size_t len = n, start = out->len, i;

	e = json_object_get(root, "error");
	m = json_is_object(e) ? json_object_get(e, "message") : e;
	if (!json_is_string(m))
		m = json_object_get(root, "message");
	if (json_is_string(m)) {
		s = json_string_value(m);
		len = json_string_length(m);
	}
	len = utf8_valid_prefix(s, len > 200 ? 200 : len);
	text_line(out, s, len);
	if (len < (json_is_string(m) ? json_string_length(m) : n))
		buf_puts(out, "...");
	for (i = start; i < out->len; i++)
		if ((unsigned char)out->s[i] < 0x20 || out->s[i] == 0x7f)
			out->s[i] = ' ';
	json_decref(root);
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
	if (a->model.len) {
		jw_key(&w, "model");
		jw_string(&w, a->model.s, a->model.len);
	}
	jw_end_object(&w);
}
