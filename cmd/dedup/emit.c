/* emit.c: dedup's output (emit.h). */
#include <stdio.h>
#include <string.h>

#include "emit.h"
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
emit_with(const char *s, size_t n, const char *members)
{
	size_t end = n;

	if (!members) {
		emit_line(s, n);
		return;
	}
	while (end > 0 && s[end - 1] != '}')
		end--;
	if (!end) {
		emit_line(s, n);
		return;
	}
	fwrite(s, 1, end - 1, stdout);
	if (memchr(s, ':', end))	/* not {} */
		putchar(',');
	fputs(members, stdout);
	fwrite(s + end - 1, 1, n - end + 1, stdout);
	putchar('\n');
	if (ferror(stdout))
		eprintf("<stdout>: write error:");
}
