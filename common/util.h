/* util.h: messages, exit helpers and allocation wrappers shared by every program. */
#ifndef FEEDPIPE_UTIL_H
#define FEEDPIPE_UTIL_H

#include <stddef.h>
#include <stdio.h>

#define FEEDPIPE_VERSION "0.1.0"

/* Exit statuses every program documents under EXIT STATUS. */
enum {
	EXIT_OK = 0,
	EXIT_BADINPUT = 1,	/* some input was bad; the rest was processed */
	EXIT_FATAL = 2,		/* usage error or fatal error */
};

extern const char *argv0;

void setprogname(const char *arg0);

/* "prog: message"; a format ending in ':' gets ": strerror(errno)". */
void weprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
_Noreturn void eprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* "prog: file:line: message" for a problem in one input. */
void wlineprintf(const char *file, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void *emalloc(size_t n);
void *ecalloc(size_t nmemb, size_t size);
void *erealloc(void *p, size_t n);
char *estrdup(const char *s);
char *estrndup(const char *s, size_t n);
/* write(2) all of s, again after EINTR and short writes: 0, or -1 and errno */
int write_all(int fd, const char *s, size_t n);
/* Create a new file beside target to write and rename over it: named
 * TARGET.tmp.DIGITS (the PID, then more digits if that name is taken),
 * opened O_CREAT|O_EXCL|O_NOFOLLOW, so nothing already there (a symlink
 * an attacker left, a stale file) is followed or reused. The descriptor
 * (O_WRONLY|O_CLOEXEC) and its name in *name, or -1 and errno. */
int util_tmpfile(const char *target, int mode, char **name);
/* Overwrite n bytes at p (NULL: none) with zeros in a way the compiler
 * keeps. */
void util_wipe(void *p, size_t n);

/* Open a named input; "-" is stdin. Returns NULL (errno set) on failure. */
FILE *open_input(const char *path);
/* The whole of a named input ("-" is stdin), NUL-terminated, its length in
 * *len; NULL (errno set) if it cannot be opened or read. */
char *slurp(const char *path, size_t *len);
/* Append the items of a comma-separated list ("a,b,,c": a, b, c; empty
 * items left out) to the array *list of *n strings. */
void split_list(char ***list, size_t *n, const char *arg);
/* Display name of an input: "<stdin>" for "-". */
const char *input_name(const char *path);

/* Flush and close a stream; on error print a message and return -1. */
int fshut(FILE *fp, const char *name);
/* Die if stdout had a write error (call now and then in long loops). */
void check_stdout(void);

#endif
