/* llm.h: chat-completions requests that ask a language model for the ai
 * fields of a record (feedpipe(5)), and reading its answers robustly:
 * code fences and prose around the JSON, LaTeX backslashes, fields that
 * are missing, empty or not strings. Any OpenAI-compatible endpoint.
 * Library code: errors come back as messages. */
#ifndef FEEDPIPE_LLM_H
#define FEEDPIPE_LLM_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "secret.h"

/* Bumped whenever the prompt changes what a model answers: it is part of
 * every cache key, so old answers are not taken for new ones. */
#define LLM_PROMPT_VERSION "1"

enum llm_field {
	LLM_TITLE, LLM_TLDR, LLM_MOTIVATION, LLM_METHOD, LLM_RESULT,
	LLM_CONCLUSION, LLM_NFIELDS
};
#define LLM_ALL ((1u << LLM_NFIELDS) - 1)

/* The ai member names, in record order. */
extern const char *const llm_field_name[LLM_NFIELDS];

/* How the request asks for JSON, best first: a strict JSON schema, JSON
 * mode, or only the prompt (for servers that know neither). */
enum llm_format { LLM_SCHEMA, LLM_JSON_MODE, LLM_PROMPT_ONLY };

/* "title,tldr" to a set of fields (bits 1 << LLM_*); -1 and a message for
 * an unknown or empty name. */
int llm_parse_fields(const char *s, unsigned *set, char *err, size_t errlen);
/* "Simplified Chinese" for "zh" and so on; NULL for a tag not in the table. */
const char *llm_lang_name(const char *tag);
/* Is tag a plausible language tag (letters, digits, '-'; 1 to 35 bytes)? */
int llm_lang_ok(const char *tag);

struct prompt;
/* Ask every request from now on with the reader's own prompt (prompt.h)
 * around the built-in fields asked; NULL (or an empty prompt): the built-in
 * prompt alone. p must live as long as requests are made. */
void llm_use_prompt(const struct prompt *p);

/* Append the JSON request body. title and summary are plain text. */
void llm_request(struct buf *out, const char *model, const char *lang,
    unsigned fields, enum llm_format fmt, const char *title, size_t tn,
    const char *summary, size_t sn);

/* usage.total_tokens above this is not a count but an attack on ours */
#define LLM_TOKENS_MAX 100000000L

struct llm_answer {
	struct buf text[LLM_NFIELDS];	/* plain text; empty: absent */
	struct buf model;		/* the model the server says answered */
	long tokens;			/* usage.total_tokens, or -1 */
	struct buf note;		/* what was ignored, for a message */
	json_t *extra;			/* the reader's own fields, typed */
	struct buf invalid;		/* "field 'x': want ..." lines */
};

void llm_answer_free(struct llm_answer *a);
/* Read a chat-completions response body (HTTP 200) into a, keeping only
 * the fields asked for. 0, or -1 and a message (no choices, a refusal, no
 * JSON object in the answer, none of the fields). a->tokens is set even
 * on failure when the server reported usage; a usage that is not a
 * count from 0 to LLM_TOKENS_MAX is left out and said in a->note. Every
 * string taken from the body (the fields, the model, the message) is
 * scrubbed of sec once decoded, before it is cut short. */
int llm_parse_response(const char *body, size_t n, unsigned fields,
    const struct secret *sec, struct llm_answer *a, char *err,
    size_t errlen);
/* The same for the text of the model's message alone. */
int llm_parse_content(const char *s, size_t n, unsigned fields,
    struct llm_answer *a, char *err, size_t errlen);

/* The first JSON object in text a model wrote (around it prose or a code
 * fence), with invalid escapes such as LaTeX's \alpha or \( repaired by
 * doubling the backslash, raw control characters escaped and trailing
 * commas dropped; NULL if none parses. */
json_t *llm_find_object(const char *s, size_t n);
/* The repair alone, of the text of one JSON value, appended to out. */
void llm_repair(struct buf *out, const char *s, size_t n);

/* Does an HTTP 400 (or 422) body say the server lacks the response_format
 * asked for? */
int llm_format_refused(const char *body, size_t n);
/* Append a short, printable message from an error body: error.message if
 * the body is JSON that has one, else the start of the body; scrubbed of
 * sec before it is cut. */
void llm_error_text(struct buf *out, const char *body, size_t n,
    const struct secret *sec);

/* Append the ai object: lang, the fields of a in record order, the
 * reader's own fields in the order declared, model. */
void llm_ai_object(struct buf *out, const char *lang,
    const struct llm_answer *a);

#endif
