/* util.c: messages, exit helpers and allocation wrappers. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

const char *argv0 = "feedpipe";

void
setprogname(const char *arg0)
{
	const char *slash = strrchr(arg0, '/');

	argv0 = slash ? slash + 1 : arg0;
}

static void
vwarn(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);

	fprintf(stderr, "%s: ", argv0);
	vfprintf(stderr, fmt, ap);
	if (n && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void
weprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
eprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(EXIT_FATAL);
}

void
wlineprintf(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s:%lu: ", argv0, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *
emalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		eprintf("malloc:");
	return p;
}

void *
ecalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		eprintf("calloc:");
	return p;
}

void *
erealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		eprintf("realloc:");
	return p;
}

char *
estrndup(const char *s, size_t n)
{
	char *d = emalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
estrdup(const char *s)
{
	return estrndup(s, strlen(s));
}

FILE *open_input(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	return fopen(path, "r");
}

char *
slurp(const char *path, size_t *len)
{
	char chunk[65536], *s = NULL;
	size_t n = 0, cap = 0, k;
	FILE *fp = open_input(path);
	int err;

	if (!fp)
		return NULL;
	while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		if (n + k + 1 > cap) {
			cap = (n + k + 1) * 2;
			s = erealloc(s, cap);
		}
		memcpy(s + n, chunk, k);
		n += k;
	}
	err = ferror(fp) ? errno : 0;
	if (fp != stdin)
		fclose(fp);
	if (err) {
		free(s);
		errno = err;
		return NULL;
	}
	if (!s)
		s = emalloc(1);
	s[n] = '\0';
	*len = n;
	return s;
}

void
split_list(char ***list, size_t *n, const char *arg)
{
	const char *p = arg, *c;

	for (;;) {
		c = strchr(p, ',');
		if (c ? c > p : *p) {
			*list = erealloc(*list, (*n + 1) * sizeof(**list));
			(*list)[(*n)++] = c ? estrndup(p, (size_t)(c - p)) : estrdup(p);
		}
		if (!c)
			break;
		p = c + 1;
	}
}

const char *
input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int
fshut(FILE *fp, const char *name)
{
	int bad = fflush(fp) != 0 || ferror(fp);

	if (fp != stdin && fclose(fp) != 0)
		bad = 1;
	if (bad) {
		weprintf("%s: write error:", name);
		return -1;
	}
	return 0;
}

void
check_stdout(void)
{
	if (ferror(stdout))
		eprintf("<stdout>: write error:");
}

int
write_all(int fd, const char *s, size_t n)
{
	ssize_t r;

	while (n) {
		if ((r = write(fd, s, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += r;
		n -= (size_t)r;
	}
	return 0;
}

int
util_tmpfile(const char *target, int mode, char **name)
{
	size_t n = strlen(target) + 64;
	char *s = emalloc(n);
	unsigned long r = (unsigned long)time(NULL) ^ (unsigned long)(size_t)s;
	int fd, i;

	for (i = 0; i < 100; i++) {
		if (!i)
			snprintf(s, n, "%s.tmp.%ld", target, (long)getpid());
		else {
			r = r * 1103515245u + 12345u;
			snprintf(s, n, "%s.tmp.%ld%06lu", target, (long)getpid(),
			    (r >> 8) % 1000000);
		}
		fd = open(s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    mode);
		if (fd >= 0) {
			*name = s;
			return fd;
		}
		if (errno != EEXIST)
			break;
	}
	i = errno;
	free(s);
	errno = i;
	return -1;
}

void
util_wipe(void *p, size_t n)
{
	if (!p)		/* a buffer never used */
		return;
#if defined(__GLIBC__) || defined(__OpenBSD__) || defined(__FreeBSD__)
	explicit_bzero(p, n);
#else
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
#endif
}
