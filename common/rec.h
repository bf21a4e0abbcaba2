/* rec.h: one record, read lazily and written back with its edits.
 *
 * rec_read takes a line. Where jscan can read it (nearly always) the text
 * is only checked: its members are located when first asked for, values
 * are handed out as their raw JSON text, and no tree is built. A record
 * jscan leaves to jansson (an escape in a key, deep nesting, a huge
 * number) is parsed at once, and the values asked for are written from
 * the tree. rec_tree gives a tree to a program that needs one.
 *
 * Edits (rec_set, rec_del) are kept apart from the line, and rec_put
 * splices them in: the members not edited go out byte for byte as they
 * came, a value set replaces the old one where it stood (a key given twice
 * keeps its first place, as jsonl_parse reads it), a member new to the
 * record goes just before the closing brace. Only a record read by jansson
 * whose own members were edited is written anew, by jsonl_put.
 */
#ifndef FEEDPIPE_REC_H
#define FEEDPIPE_REC_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "jwalk.h"

struct path;

/* rec_read's flags */
#define REC_PARSE 1	/* parse with jansson (and write anew) */
#define REC_TRUSTED 2	/* a line read before, which jscan could read */

struct rec_edit {
	size_t key, klen;	/* the key, in the record's edits text */
	size_t val, vlen;	/* the value (JSON text); vlen 0: deleted */
	int last;		/* set after rec_del: goes at the end */
};

struct rec {
	const char *s;		/* the line, borrowed until the next rec_read */
	size_t n;
	json_t *tree;		/* NULL while the text serves */
	int anew;		/* REC_PARSE: always written anew */
	const struct path *hint;	/* rec_hint's path, and its value */
	int hint_r;
	const char *hint_v;
	size_t hint_vn;
	int located;		/* m[0..nm) are the line's members */
	struct jwalk_member *m, *sub;	/* the members; of an object in it */
	size_t nm, capm, capsub;
	struct rec_edit *ed;
	size_t ned, caped;
	struct buf edits;	/* the edits' keys and values */
	struct buf val;		/* a value written from the tree */
};

void rec_init(struct rec *r);
/* Take the line s[0..n): 0, or -1 and a message as jsonl_parse gives it
 * in err if it is no JSON object. flags: 0 or REC_PARSE. */
int rec_read(struct rec *r, const char *s, size_t n, int flags, char *err,
    size_t errlen);
/* A path the next records will be asked first (or NULL): it is found
 * while the line is checked, which saves a walk over its members for a
 * program that asks only that (dedup -k). */
void rec_hint(struct rec *r, const struct path *p);
/* The raw JSON text of the member key, or of the value at p: 0 and
 * *v, *vn (valid until the next call), or -1 if absent. Edits are not
 * seen: this is the record as it came. */
int rec_get(struct rec *r, const char *key, const char **v, size_t *vn);
int rec_path(struct rec *r, const struct path *p, const char **v,
    size_t *vn);
/* The member key if it is a string, decoded into out: 1, else 0. */
int rec_string(struct rec *r, const char *key, struct buf *out);
/* The record as a jansson tree (the record's, not to be freed). */
json_t *rec_tree(struct rec *r);
/* A new object holding the members named keys[0..nkeys) that the record
 * has, in the record's order, as a tree would hold them. */
json_t *rec_pick(struct rec *r, const char *const *keys, size_t nkeys);
/* Give the member key the value json[0..n): JSON text, not checked, not
 * empty. */
void rec_set(struct rec *r, const char *key, const char *json, size_t n);
/* Leave the member key out; a rec_set after it puts it at the end. */
void rec_del(struct rec *r, const char *key);
/* Append the record with its edits (no newline) to out. */
void rec_put(struct rec *r, struct buf *out);
void rec_free(struct rec *r);

#endif
