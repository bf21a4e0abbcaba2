/* emit.c: dedup's output (emit.h). */
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "paper.h"
#include "rec.h"
#include "util.h"

void
emit_line(const char *s, size_t n)
{
	fwrite(s, 1, n, stdout);
	putchar('\n');
	if (ferror(stdout))
		eprintf("<stdout>: write error:");
}

void
emit_record(struct rec *r, const struct news *n)
{
	static struct buf out;

	if (!n->key) {
		emit_line(r->s, r->n);
		return;
	}
	rec_set(r, n->key, n->val, strlen(n->val));
	buf_reset(&out);
	rec_put(r, &out);
	emit_line(out.s, out.len);
}
