/* test-llm: what enrich makes of the text a model answers (llm.h): the
 * JSON object found in prose and fences, LaTeX backslashes repaired, only
 * string fields taken; and error bodies that refuse a response_format. */
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
	if (bad)
		return 1;
	printf("test-llm: ok\n");
	return 0;
}
