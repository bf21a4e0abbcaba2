/* fuzz-state: any bytes as dedup's state file (versions 1 and 2); what
 * loads must save and load back to the same keys and preprints. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seen.h"

static int
write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *fp = fopen(path, "wb");

	if (!fp)
		return -1;
	fwrite(data, 1, size, fp);
	return fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[] = "/tmp/fuzz-state.XXXXXX", path[64], err[512];
	struct seen a, b;
	size_t i;
	const char *pa, *pb;

	if (!mkdtemp(dir))
		return 0;
	snprintf(path, sizeof path, "%s/s", dir);
	seen_init(&a);
	seen_init(&b);
	if (write_file(path, data, size) == 0 && seen_load(&a, path, 0, err, sizeof err) == 0) {
		if (seen_save(&a, path, 0, err, sizeof err) || seen_load(&b, path, 0, err, sizeof err))
			abort();	/* what was read must be written and read back */
		if (a.keys.n != b.keys.n)
			abort();
		for (i = 0; i < a.keys.n; i++) {
			pa = seen_preprint(&a, i);
			pb = seen_preprint(&b, i);
			if (a.keys.ent[i].val != b.keys.ent[i].val || (!pa) != (!pb) ||
			    (pa && strcmp(pa, pb)))
				abort();
		}
	}
	seen_free(&a);
	seen_free(&b);
	unlink(path);
	snprintf(path, sizeof path, "%s/s.lock", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}
