/* fuzz-llm: chat-completions response bodies through the answer parser
 * (llm_parse_response, llm_error_text) with a fake key as the secret.
 * "@K" in the input stands for the key, so the fuzzer can put it anywhere
 * (in escapes, across cuts); whatever the body, no output holds any 8
 * bytes of the key: abort() if one does. An odd second byte asks for the
 * reader's own fields too (one of each type, and --interest's). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "llm.h"
#include "prompt.h"

/*
 * No b, f, n, r, t or u after the first two bytes: a JSON escape such as
 * "\n" followed by "ot-leak" would otherwise spell 8 bytes of the key in a
 * dump without the key ever being there (a false alarm the fuzzer found).
 */
#define KEY "sk-FUZZ-5E1D0C77-SECRET-KEY-DO-NOT-LEAK"

static void
must_not_hold(const char *what, const char *s, size_t n)
{
	size_t kn = strlen(KEY), i, j;

	for (i = 0; i + 8 <= kn; i++)
		for (j = 0; j + 8 <= n; j++)
			if (!memcmp(s + j, &KEY[i], 8)) {
				fprintf(stderr, "fuzz-llm: %s holds the key: %.*s\n",
				    what, (int)n, s);
				abort();
			}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char own[] = "Judge.\nfield s string: s\nfield n number: n\n"
	    "field i integer: i\nfield b boolean: b\nfield l list: l\n";
	static struct secret sec;
	static struct prompt prompt;
	static int ready;
	struct llm_answer a;
	struct buf body = { 0 }, out = { 0 };
	char err[512];
	size_t i;
	int f;

	if (!ready) {
		secret_init(&sec, KEY);
		if (prompt_load(&prompt, own, sizeof(own) - 1, err, sizeof(err)) ||
		    prompt_interest(&prompt, "papers", err, sizeof(err)))
			abort();
		ready = 1;
	}
	llm_use_prompt(size > 1 && data[1] & 1 ? &prompt : NULL);
	for (i = 0; i < size; i++) {
		if (data[i] == '@' && i + 1 < size && data[i + 1] == 'K') {
			buf_puts(&body, KEY);
			i++;
		} else {
			buf_putc(&body, (char)data[i]);
		}
	}
	memset(&a, 0, sizeof(a));
	err[0] = '\0';
	llm_parse_response(buf_str(&body), body.len, size && data[0] & 1 ? LLM_ALL :
	    1u << LLM_TITLE, &sec, &a, err, sizeof(err));
	for (f = 0; f < LLM_NFIELDS; f++)
		must_not_hold("a field", buf_str(&a.text[f]), a.text[f].len);
	must_not_hold("the model", buf_str(&a.model), a.model.len);
	must_not_hold("the note", buf_str(&a.note), a.note.len);
	must_not_hold("a field's problem", buf_str(&a.invalid), a.invalid.len);
	must_not_hold("the message", err, strlen(err));
	llm_ai_object(&out, "zh", &a);
	must_not_hold("the ai object", buf_str(&out), out.len);
	buf_reset(&out);
	llm_error_text(&out, buf_str(&body), body.len, &sec);
	must_not_hold("the error text", buf_str(&out), out.len);
	/* and the scrub on arrival itself */
	secret_scrub(&sec, &body);
	must_not_hold("the scrubbed body", buf_str(&body), body.len);
	llm_answer_free(&a);
	buf_free(&out);
	buf_free(&body);
	return 0;
}
