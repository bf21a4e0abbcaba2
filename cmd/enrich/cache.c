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
cache_get(const char *dir, const char *key, struct buf *out, char *err,
    size_t errlen)
{
	struct buf path = { 0 };
	struct stat st;
	ssize_t r = 0;
	int fd, ret = -1;

	buf_reset(out);
	entry_path(&path, dir, key);
	/* O_NONBLOCK: a FIFO put there must not hang the run */
	fd = open(path.s, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			ret = 0;
		else if (errno == ELOOP)
			snprintf(err, errlen, "%s: a symbolic link: taken for no "
			    "entry", path.s);
		else
			snprintf(err, errlen, "%s: %s", path.s, strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file: taken for no entry",
		    path.s);
		goto done;
	}
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
	if (r < 0)
		snprintf(err, errlen, "%s: %s", path.s, strerror(errno));
	else
		ret = out->len > 0;
done:
	if (fd >= 0)
		close(fd);
	buf_free(&path);
	return ret;
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
	struct buf path = { 0 };
	char *tmp = NULL;
	int fd, ret = -1;

	entry_path(&path, dir, key);
	fd = util_tmpfile(path.s, 0666, &tmp);
	if (fd < 0 && errno == ENOENT) {
		path.s[strlen(dir) + 3] = '\0';	/* DIR/ab */
		if (makedirs(path.s)) {
			snprintf(err, errlen, "%s: %s", path.s, strerror(errno));
			goto done;
		}
		entry_path(&path, dir, key);
		fd = util_tmpfile(path.s, 0666, &tmp);
	}
	if (fd < 0) {
		snprintf(err, errlen, "%s.tmp: %s", path.s, strerror(errno));
		goto done;
	}
	if (write_all(fd, s, n)) {
		snprintf(err, errlen, "%s: write: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto done;
	}
	if (close(fd)) {
		snprintf(err, errlen, "%s: close: %s", tmp, strerror(errno));
		unlink(tmp);
		goto done;
	}
	if (rename(tmp, path.s)) {
		snprintf(err, errlen, "rename %s to %s: %s", tmp, path.s,
		    strerror(errno));
		unlink(tmp);
		goto done;
	}
	ret = 0;
done:
	buf_free(&path);
	free(tmp);
	return ret;
}
