/* cache.c: one file per entry, written atomically (cache.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "util.h"

enum { MAXENTRY = 1 << 20 };	/* bigger is not one of ours */

int
cache_default_dir(struct buf *out, const char *sub)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (x && *x == '/')
		buf_printf(out, "%s/feedpipe/%s", x, sub);
	else if (h && *h == '/')
		buf_printf(out, "%s/.cache/feedpipe/%s", h, sub);
	else
		return -1;
	return 0;
}

static void
entry_path(struct buf *p, const char *dir, const char *key)
{
	buf_reset(p);
	buf_printf(p, "%s/%.2s/%s", dir, key, key);
}

int
cache_get(const char *dir, const char *key, struct buf *out)
{
	struct buf path = { 0 };
	ssize_t r;
	int fd;

	buf_reset(out);
	entry_path(&path, dir, key);
	fd = open(path.s, O_RDONLY | O_CLOEXEC);
	buf_free(&path);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	for (;;) {
		buf_grow(out, 4096);
		r = read(fd, out->s + out->len, out->cap - out->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		out->len += (size_t)r;
		if (out->len > MAXENTRY) {
			r = 0;
			buf_reset(out);
			break;
		}
	}
	out->s[out->len] = '\0';
	close(fd);
	if (r < 0)
		return -1;
	return out->len > 0;
}

/* mkdir -p */
static int
makedirs(char *path)
{
	char *p;

	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

int
cache_put(const char *dir, const char *key, const char *s, size_t n,
    char *err, size_t errlen)
{
	struct buf path = { 0 }, tmp = { 0 };
	int fd, ret = -1;

	entry_path(&path, dir, key);
	buf_printf(&tmp, "%s.tmp.%ld", path.s, (long)getpid());
	fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 && errno == ENOENT) {
		path.s[strlen(dir) + 3] = '\0';	/* DIR/ab */
		if (makedirs(path.s)) {
			snprintf(err, errlen, "%s: %s", path.s, strerror(errno));
			goto done;
		}
		entry_path(&path, dir, key);
		fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	}
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp.s, strerror(errno));
		goto done;
	}
	if (write_all(fd, s, n)) {
		snprintf(err, errlen, "%s: write: %s", tmp.s, strerror(errno));
		close(fd);
		unlink(tmp.s);
		goto done;
	}
	if (close(fd)) {
		snprintf(err, errlen, "%s: close: %s", tmp.s, strerror(errno));
		unlink(tmp.s);
		goto done;
	}
	if (rename(tmp.s, path.s)) {
		snprintf(err, errlen, "rename %s to %s: %s", tmp.s, path.s,
		    strerror(errno));
		unlink(tmp.s);
		goto done;
	}
	ret = 0;
done:
	buf_free(&path);
	buf_free(&tmp);
	return ret;
}
