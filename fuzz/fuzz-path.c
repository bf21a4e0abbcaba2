/* fuzz-path: any text as a field path, looked up in a fixed record. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char rec[] = "{\"id\":\"x\",\"a\":{\"b\":[1,{\"c\":\"d\"}]},\"categories\":[\"q\"]}";
	static json_t *root;
	char err[256], *text = malloc(size + 1);
	struct path *p;
	const char *val;
	size_t vlen;

	if (!root)
		root = json_loads(rec, 0, NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	if ((p = path_parse(text, err, sizeof err))) {
		path_get(p, root);
		path_scan(p, rec, sizeof rec - 1, &val, &vlen);
		path_free(p);
	}
	free(text);
	return 0;
}
