/*
 * replay: run a fuzz target's entry point on files, without libFuzzer, so
 * that every input a fuzzer once crashed on is rerun by make check under
 * the normal (or SANITIZE=1) build. A crash shows as a signal; exit 0 when
 * every file was run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void replay(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!fp)
		eprintf("%s:", path);
	do {
		if (len == cap)
			data = erealloc(data, cap = cap ? 2 * cap : 4096);
		n = fread(data + len, 1, cap - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp))
		eprintf("%s: read error:", path);
	fclose(fp);
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
}

int main(int argc, char **argv)
{
	int i;

	setprogname(argv[0]);
	for (i = 1; i < argc; i++)
		replay(argv[i]);
	return 0;
}
