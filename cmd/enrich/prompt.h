/* prompt.h: the reader's own prompt for enrich (feedpipe-prompt(5)):
 * instruction text and typed fields, from a file (--prompt) or built in
 * (--interest), and the check of an answer against a field's type. */
#ifndef FEEDPIPE_PROMPT_H
#define FEEDPIPE_PROMPT_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"

enum prompt_type {
	PROMPT_STRING, PROMPT_NUMBER, PROMPT_INTEGER, PROMPT_BOOLEAN,
	PROMPT_LIST
};

struct prompt_field {
	char *name;
	char *help;			/* what the model is told it is */
	enum prompt_type type;
	int ranged;			/* a number from lo to hi */
	double lo, hi;
};

struct prompt {
	struct buf text;		/* the instructions, without field lines */
	struct buf source;		/* all that makes an answer: the cache key */
	struct prompt_field *field;
	size_t nfields;
};

/* The names enrich writes itself: no declared field may take one. */
int prompt_reserved(const char *name);

/* Read the text of a prompt file, s[0..n), into p (zeroed by the caller).
 * -1 and "LINE: message" in err for a field line that does not parse, an
 * unknown type, a name given twice or reserved, or a file with neither
 * instructions nor fields. */
int prompt_load(struct prompt *p, const char *s, size_t n, char *err,
    size_t errlen);
/* Add the reader's interests (plain text) with the fields relevance (an
 * integer 0 to 10) and reason (a string). -1 and a message if empty. */
int prompt_interest(struct prompt *p, const char *text, char *err,
    size_t errlen);
void prompt_free(struct prompt *p);

/* "a string", "a number", ... as a request and a message say it */
const char *prompt_type_help(const struct prompt_field *f);
/* The JSON schema of f's value, appended to out. */
void prompt_schema(struct buf *out, const struct prompt_field *f);

/* The answer v for field f, typed as declared: a new reference (text made
 * plain, an integral real an integer), NULL when v says nothing (null, an
 * empty string or list), or NULL and "want a number, got a string" in err
 * (err[0] is '\0' when nothing is wrong). */
json_t *prompt_value(const struct prompt_field *f, json_t *v, char *err,
    size_t errlen);

#endif
