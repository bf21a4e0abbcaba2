/* test-llm: what enrich makes of the text a model answers (llm.h): the
 * JSON object found in prose and fences, LaTeX backslashes repaired, only
 * string fields taken; error bodies that refuse a response_format; the
 * key scrubbed out of everything, in every form. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "llm.h"

static int bad;

/* The answer's field f after reading content, or "!" and the error. */
static void
check(const char *content, unsigned fields, int f, const char *want)
{
	struct llm_answer a;
	struct buf got = { 0 };
	char err[256];

	memset(&a, 0, sizeof(a));
	if (llm_parse_content(content, strlen(content), fields, &a, err,
	    sizeof(err)))
		buf_printf(&got, "!%s", err);
	else
		buf_puts(&got, buf_str(&a.text[f]));
	if (strcmp(buf_str(&got), want)) {
		printf("test-llm: %s\n  want %s\n  got  %s\n", content, want,
		    buf_str(&got));
		bad++;
	}
	buf_free(&got);
	llm_answer_free(&a);
}

#define KEY "sk-feedpipe-TEST-7f3a91c2-never-print-me"

static void
check_scrub(const char *in, const char *want)
{
	struct secret sec;
	struct buf b = { 0 };

	secret_init(&sec, KEY);
	buf_puts(&b, in);
	secret_scrub(&sec, &b);
	if (strcmp(buf_str(&b), want)) {
		printf("test-llm: scrub %s\n  want %s\n  got  %s\n", in, want,
		    buf_str(&b));
		bad++;
	}
	buf_free(&b);
	secret_free(&sec);
}

/* A response body read with the key as the secret: the field, the model
 * and the message all without it. */
static void
check_response(const char *body, const char *want)
{
	struct secret sec;
	struct llm_answer a;
	struct buf got = { 0 };
	char err[256];

	memset(&a, 0, sizeof(a));
	memset(err, 'x', sizeof(err));	/* no NUL: the parser must not read it */
	secret_init(&sec, KEY);
	if (llm_parse_response(body, strlen(body), LLM_ALL, &sec, &a, err,
	    sizeof(err)))
		buf_printf(&got, "!%s", err);
	else
		buf_printf(&got, "%s|%s%s", buf_str(&a.text[LLM_TITLE]),
		    buf_str(&a.model), err[0] ? "|err not empty" : "");
	if (a.note.len)
		buf_printf(&got, "|%s", a.note.s);
	if (strcmp(buf_str(&got), want)) {
		printf("test-llm: %s\n  want %s\n  got  %s\n", body, want,
		    buf_str(&got));
		bad++;
	}
	buf_free(&got);
	llm_answer_free(&a);
	secret_free(&sec);
}

int
main(void)
{
	const unsigned all = LLM_ALL, t = 1u << LLM_TITLE;
	const char *e;

	check("{\"title\":\"x\"}", all, LLM_TITLE, "x");
	check("Sure!\n```json\n{\"title\": \"a {b}\"}\n```\nDone {.}", all, LLM_TITLE, "a {b}");
	check("Here {as asked}: {\"title\":\"y\"}", all, LLM_TITLE, "y");
	check("{\"tldr\":\"$\\alpha$ \\(x\\) \\frac{1}{2} \\nabla \\nu \\neq\"}", all, LLM_TLDR,
	    "$\\alpha$ \\(x\\) \\frac{1}{2} \\nabla \\nu \\neq");
	check("{\"tldr\":\"\\theta \\tau \\rho \\right) \\beta \\underline{u} \\{ \\% \\_\"}", all, LLM_TLDR,
	    "\\theta \\tau \\rho \\right) \\beta \\underline{u} \\{ \\% \\_");
	/* real escapes stay escapes: a newline before a word, \u00e9, \" */
	check("{\"method\":\"one\\n\\ntwo \\u00e9 \\\"q\\\" \\\\alpha\"}", all, LLM_METHOD,
	    "one\n\ntwo \xc3\xa9 \"q\" \\alpha");
	check("{\"method\":\"a\\nThe end\"}", all, LLM_METHOD, "a The end");
	/* raw newlines in a string, a trailing comma */
	check("{\"result\":\"line\none\",}", all, LLM_RESULT, "line one");
	check("{\"Title\":\" spaced \\n out \"}", all, LLM_TITLE, "spaced out");
	check("{\"TL;DR\":\"short\"}", all, LLM_TLDR, "short");
	check("{\"summary\":{\"title\":\"inner\"}}", all, LLM_TITLE, "inner");
	/* only what was asked for; empty and non-string fields are absent */
	check("{\"title\":\"x\",\"tldr\":\"y\"}", t, LLM_TLDR, "");
	check("{\"title\":\"x\",\"tldr\":\"  \"}", all, LLM_TLDR, "");
	check("{\"title\":\"x\",\"tldr\":42,\"method\":[\"a\"]}", all, LLM_METHOD, "");
	check("{\"tldr\":42}", all, LLM_TLDR, "!the answer has none of the fields asked for");
	check("{\"title\":\"cut", all, LLM_TITLE,
	    "!the answer holds no JSON object that parses: \"{\"title\":\"cut\"");
	check("  no json\there", all, LLM_TITLE,
	    "!the answer holds no JSON object that parses: \"no json here\"");

	e = "{\"error\":{\"message\":\"response_format type json_schema is unavailable now\"}}";
	if (!llm_format_refused(e, strlen(e)))
		printf("test-llm: not taken for a refusal: %s\n", e), bad++;
	e = "{\"error\":{\"message\":\"model not found\"}}";
	if (llm_format_refused(e, strlen(e)))
		printf("test-llm: taken for a refusal: %s\n", e), bad++;

	check_scrub("Bearer " KEY " and " KEY "!", "Bearer [key removed] and [key removed]!");
	check_scrub("start sk-feed| sk-feedp| ...-print-me", "start sk-feed| [key removed]| ...[key removed]");
	check_scrub("QmVhcmVyIHNrLWZlZWRwaXBlLVRFU1QtN2YzYTkxYzItbmV2ZXItcHJpbnQtbWU=", "QmVhcmVyIH[key removed]U=");
	check_scrub("eHlzay1mZWVkcGlwZS1URVNULTdmM2E5MWMyLW5ldmVyLXByaW50LW1l", "eHl[key removed]");
	check_scrub("c2stZmVlZHBpcGUtVEVTVC03ZjNhOTFjMi1uZXZlci1wcmludC1tZQ==", "[key removed]Q==");
	check_scrub("no key here, sk-proj", "no key here, sk-proj");
	check_response("{\"model\":\"m " KEY "\",\"choices\":[{\"message\":{\"content\":"
	    "\"{\\\"title\\\":\\\"\\\\u0073k-feedp\\\\u0069pe-TEST-7f3a\\\\u0039\\\"}\"}}],"
	    "\"usage\":{\"total_tokens\":9223372036854775807}}",
	    "[key removed][key removed]9|m [key removed]|usage.total_tokens 9223372036854775807 is not a plausible count: ignored");
	check_response("{\"choices\":[{\"message\":{\"refusal\":\"\\u0073k-feedp\\u0069pe-TEST\"}}]}",
	    "!the model refused: [key removed]");
	check_response("{\"error\":{\"message\":\"" KEY "\"},\"usage\":{\"total_tokens\":-1}}",
	    "![key removed]|usage.total_tokens -1 is not a plausible count: ignored");
	if (bad)
		return 1;
	printf("test-llm: ok\n");
	return 0;
}
