/* seen.c: dedup's state file (seen.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "seen.h"
#include "util.h"

#define REFUSE "; refusing to read or overwrite it"

void
seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	hset_init(&s->keys, 1024);
}

void
seen_free(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
	for (i = 0; i < s->npreprint; i++)
		free(s->preprint[i]);
	free(s->preprint);
	hset_free(&s->keys);
}

uint32_t
seen_tag(struct seen *s, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < s->nnames; i++)
		if (strlen(s->names[i]) == n && !memcmp(s->names[i], name, n))
			return (uint32_t)i;
	s->names = erealloc(s->names, (s->nnames + 1) * sizeof(*s->names));
	s->names[s->nnames] = estrndup(name, n);
	return (uint32_t)s->nnames++;
}

void
seen_set_preprint(struct seen *s, size_t i, const char *id, const char *link)
{
	struct buf b = { NULL, 0, 0 };

	if (i >= s->npreprint) {
		if (!id)
			return;
		s->preprint = erealloc(s->preprint, (i + 1) * sizeof(*s->preprint));
		memset(s->preprint + s->npreprint, 0, (i + 1 - s->npreprint) * sizeof(*s->preprint));
		s->npreprint = i + 1;
	}
	free(s->preprint[i]);
	s->preprint[i] = NULL;
	if (id) {
		buf_printf(&b, "%s\t%s", id, link ? link : "");
		s->preprint[i] = b.s;
	}
}

const char *
seen_preprint(const struct seen *s, size_t i)
{
	return i < s->npreprint ? s->preprint[i] : NULL;
}

static int
num(const char *p, int n, unsigned *v)
{
	*v = 0;
	for (; n; n--, p++) {
		if (*p < '0' || *p > '9')
			return -1;
		*v = *v * 10 + (unsigned)(*p - '0');
	}
	return 0;
}

int
seen_parse_time(const char *p, size_t n, time_t *t)
{
	static const unsigned char mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	unsigned y, mo, d, h, mi, s;

	if (n != 20 || p[4] != '-' || p[7] != '-' || p[10] != 'T' ||
	    p[13] != ':' || p[16] != ':' || p[19] != 'Z' ||
	    num(p, 4, &y) || num(p + 5, 2, &mo) || num(p + 8, 2, &d) ||
	    num(p + 11, 2, &h) || num(p + 14, 2, &mi) || num(p + 17, 2, &s) ||
	    mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || s > 60 || (mo == 2 && d == 29 &&
	    (y % 4 || (y % 100 == 0 && y % 400))))
		return -1;
	*t = (time_t)(date_days(y, (int)mo, (int)d) * 86400 + h * 3600 + mi * 60 + s);
	return 0;
}

/* Undo \\ \t \n \r in place; the new length, or -1. */
static long
unescape(char *s, size_t n)
{
	char *w = s, *end = s + n;

	for (; s < end; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		if (++s == end)
			return -1;
		switch (*s) {
		case '\\': *w++ = '\\'; break;
		case 't': *w++ = '\t'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		default: return -1;
		}
	}
	return (long)(w - (end - n));
}

/* A line of the state file, split in place. */
struct line {
	const char *ns;		/* the namespace, ns[0..nslen) */
	size_t nslen;
	const char *key;	/* the key, unescaped, key[0..keylen) */
	size_t keylen;
	time_t t;		/* first seen */
	const char *id, *link;	/* version 2: its preprint's, or NULL */
};

/* The preprint's id and link that may follow the time (version 2), from
 * the tab at t3 to end: unescaped in place and NUL-terminated into l. 0,
 * or -1 if malformed. */
static int
preprint_fields(char *t3, char *end, struct line *l)
{
	char *t4 = memchr(t3 + 1, '\t', (size_t)(end - t3 - 1));
	long idn, linkn;

	if (!t4 || t4 == t3 + 1 || (idn = unescape(t3 + 1, (size_t)(t4 - t3 - 1))) <= 0 ||
	    (linkn = unescape(t4 + 1, (size_t)(end - t4 - 1))) < 0)
		return -1;
	t3[1 + idn] = '\0';
	t4[1 + linkn] = '\0';
	l->id = t3 + 1;
	l->link = t4 + 1;
	return 0;
}

/* Check one line (without its newline) and split it into l. 0, or -1 and
 * a message. */
static int
parse_line(char *p, size_t len, struct line *l, const char *file,
    unsigned long lineno, char *err, size_t errlen)
{
	char *end = p + len, *t1, *t2, *t3;
	long n;

	if (memchr(p, '\0', len)) {
		snprintf(err, errlen, "%s:%lu: NUL byte: not a dedup state file"
		    REFUSE, file, lineno);
		return -1;
	}
	t1 = memchr(p, '\t', len);
	t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(end - t1 - 1)) : NULL;
	if (!t2 || t1 == p || t2 == t1 + 1) {
		snprintf(err, errlen, "%s:%lu: not a state line (want "
		    "PATH<TAB>KEY<TAB>TIME)" REFUSE, file, lineno);
		return -1;
	}
	l->id = l->link = NULL;
	if ((t3 = memchr(t2 + 1, '\t', (size_t)(end - t2 - 1)))) {
		if (preprint_fields(t3, end, l)) {
			snprintf(err, errlen, "%s:%lu: not a state line (want "
			    "PATH<TAB>KEY<TAB>TIME[<TAB>ID<TAB>LINK])" REFUSE, file, lineno);
			return -1;
		}
		end = t3;
	}
	if (seen_parse_time(t2 + 1, (size_t)(end - t2 - 1), &l->t)) {
		snprintf(err, errlen, "%s:%lu: bad time \"%.*s\" (want "
		    "YYYY-MM-DDTHH:MM:SSZ)" REFUSE, file, lineno,
		    (int)(end - t2 - 1 > 40 ? 40 : end - t2 - 1), t2 + 1);
		return -1;
	}
	if ((n = unescape(t1 + 1, (size_t)(t2 - t1 - 1))) <= 0) {
		snprintf(err, errlen, "%s:%lu: bad escape in key (only "
		    "\\\\ \\t \\n \\r)" REFUSE, file, lineno);
		return -1;
	}
	l->ns = p;
	l->nslen = (size_t)(t1 - p);
	l->key = t1 + 1;
	l->keylen = (size_t)n;
	return 0;
}

/* Add the key of l; one already known keeps the earlier time, and the
 * preprint it had. *tag: the namespace of the line before, kept. */
static void
add_line(struct seen *s, const struct line *l, uint32_t *tag)
{
	long i;
	int added;

	if (*tag == UINT32_MAX || strlen(s->names[*tag]) != l->nslen ||
	    memcmp(l->ns, s->names[*tag], l->nslen))
		*tag = seen_tag(s, l->ns, l->nslen);
	i = hset_add(&s->keys, *tag, l->key, l->keylen, (int64_t)l->t, HSET_COPY,
	    &added);
	if (!added && s->keys.ent[i].val > (int64_t)l->t)
		s->keys.ent[i].val = (int64_t)l->t;
	if (l->id && (added || !seen_preprint(s, (size_t)i)))
		seen_set_preprint(s, (size_t)i, l->id, l->link);
}

/* Lines in fp, to size the map once. */
static size_t
count_lines(FILE *fp)
{
	char b[1 << 16];
	size_t n, lines = 0;
	const char *p;

	while ((n = fread(b, 1, sizeof(b), fp)) > 0)
		for (p = b; (p = memchr(p, '\n', n - (size_t)(p - b))); p++)
			lines++;
	rewind(fp);
	return lines;
}

/* The first line: 0, or -1 and a message if it is no state file's. */
static int
check_header(const char *line, size_t n, const char *file, char *err,
    size_t errlen)
{
	if (strlen(line) == n && (!strcmp(line, STATE_MAGIC) ||
	    !strcmp(line, STATE_MAGIC_V1)))
		return 0;
	snprintf(err, errlen, "%s: not a dedup state file (the first line is "
	    "not \"%s\")" REFUSE, file, STATE_MAGIC);
	return -1;
}

/* The state file, open for reading; NULL and errno ENOENT if there is
 * none, else NULL and a message (what is not a regular file is refused). */
static FILE *
open_state(const char *file, char *err, size_t errlen)
{
	struct stat st;
	FILE *fp;

	if (!(fp = fopen(file, "r"))) {
		if (errno != ENOENT)
			snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file" REFUSE, file);
		fclose(fp);
		errno = EINVAL;
		return NULL;
	}
	return fp;
}

int
seen_load(struct seen *s, const char *file, time_t cutoff,
    char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	uint32_t tag = UINT32_MAX;
	struct line l;
	FILE *fp;
	int ret = -1;

	if (!(fp = open_state(file, err, errlen)))
		return errno == ENOENT ? 0 : -1;
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	hset_reserve(&s->keys, count_lines(fp));
	errno = 0;
	while ((n = getline(&line, &cap, fp)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (lineno == 1) {
			if (check_header(line, (size_t)n, file, err, errlen))
				goto done;
			continue;
		}
		if (parse_line(line, (size_t)n, &l, file, lineno, err, errlen))
			goto done;
		if (l.t >= cutoff)
			add_line(s, &l, &tag);
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno ? errno : EIO));
		goto done;
	}
	ret = 0;
done:
	free(line);
	fclose(fp);
	return ret;
}

int
seen_lock(const char *file, char *err, size_t errlen)
{
	struct buf name = { 0 };
	struct stat st;
	int fd;

	buf_printf(&name, "%s.lock", file);
	fd = open(name.s, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
	    0666);
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(err, errlen, "%s: a symbolic link; refusing to "
			    "follow it", name.s);
		else
			snprintf(err, errlen, "%s: %s", name.s, strerror(errno));
		buf_free(&name);
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file; refusing to use it "
		    "as the lock", name.s);
		close(fd);
		buf_free(&name);
		return -1;
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno == EINTR)
			continue;
		snprintf(err, errlen, "%s: flock: %s", name.s, strerror(errno));
		close(fd);
		fd = -1;
		break;
	}
	buf_free(&name);
	return fd;
}

static void
put_escaped(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		const char *e;

		switch (s[i]) {
		case '\\': e = "\\\\"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		default: continue;
		}
		buf_put(b, s + run, i - run);
		buf_put(b, e, 2);
		run = i + 1;
	}
	buf_put(b, s + run, n - run);
}

/* Remove base.tmp.DIGITS in dir: what runs killed while writing left. */
static void
remove_stale(const char *dir, const char *base)
{
	size_t bl = strlen(base);
	struct buf path = { 0 };
	struct dirent *de;
	const char *q;
	DIR *d;

	if (!(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, base, bl) || strncmp(de->d_name + bl,
		    ".tmp.", 5) || !de->d_name[bl + 5])
			continue;
		for (q = de->d_name + bl + 5; *q >= '0' && *q <= '9'; q++)
			;
		if (*q)
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, de->d_name);
		unlink(path.s);
	}
	closedir(d);
	buf_free(&path);
}

/* One key's line: NAMESPACE<TAB>KEY<TAB>TIME[<TAB>ID<TAB>LINK]. */
static void
put_line(struct buf *out, const struct seen *s, size_t i, const char *when)
{
	const struct hset_ent *e = &s->keys.ent[i];
	const char *pp, *tab;

	buf_puts(out, s->names[e->tag]);
	buf_putc(out, '\t');
	put_escaped(out, e->s, e->len);
	buf_putc(out, '\t');
	buf_put(out, when, 20);
	if ((pp = seen_preprint(s, i))) {
		tab = strchr(pp, '\t');
		buf_putc(out, '\t');
		put_escaped(out, pp, (size_t)(tab - pp));
		buf_putc(out, '\t');
		put_escaped(out, tab + 1, strlen(tab + 1));
	}
	buf_putc(out, '\n');
}

/* The header and the keys first seen at or after cutoff, in the map's
 * order, to fd, a MB at a time: 0, or -1 and errno. */
static int
write_keys(int fd, const struct seen *s, time_t cutoff)
{
	struct buf out = { 0 };
	char when[64];
	int64_t lastt = INT64_MIN;
	size_t i;
	int ret = -1, saved;

	buf_grow(&out, 1 << 20);
	buf_puts(&out, STATE_MAGIC "\n");
	for (i = 0; i < s->keys.n; i++) {
		if (s->keys.ent[i].val < (int64_t)cutoff)
			continue;
		if (s->keys.ent[i].val != lastt) {
			lastt = s->keys.ent[i].val;
			date_format((time_t)lastt, when);
		}
		put_line(&out, s, i, when);
		if (out.len >= 1 << 20) {
			if (write_all(fd, out.s, out.len))
				goto done;
			buf_reset(&out);
		}
	}
	if (write_all(fd, out.s, out.len) == 0)
		ret = 0;
done:
	saved = errno;
	buf_free(&out);
	errno = saved;
	return ret;
}

/* The directory of file, into dir. */
static void
dir_of(struct buf *dir, const char *file)
{
	const char *slash = strrchr(file, '/');

	if (slash)
		buf_put(dir, file, slash == file ? 1 : (size_t)(slash - file));
	else
		buf_puts(dir, ".");
}

/* Make a rename in dir reach the disk: 0, or -1 and a message. */
static int
sync_dir(const char *dir, char *err, size_t errlen)
{
	int dfd;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	if (fsync(dfd) && errno != EINVAL && errno != EROFS) {
		snprintf(err, errlen, "%s: fsync: %s", dir, strerror(errno));
		close(dfd);
		return -1;
	}
	close(dfd);
	return 0;
}

int
seen_save(const struct seen *s, const char *file, time_t cutoff,
    char *err, size_t errlen)
{
	struct buf dir = { 0 };
	const char *slash = strrchr(file, '/'), *what = "write";
	struct stat st;
	int fd, ret = -1;
	char *tmp = NULL;

	dir_of(&dir, file);
	remove_stale(dir.s, slash ? slash + 1 : file);
	if ((fd = util_tmpfile(file, 0666, &tmp)) < 0) {
		snprintf(err, errlen, "%s.tmp: %s", file, strerror(errno));
		goto done;
	}
	if (stat(file, &st) == 0)
		(void)fchmod(fd, st.st_mode & 07777);
	if (write_keys(fd, s, cutoff))
		goto fail;
	what = "fsync";
	if (fsync(fd))
		goto fail;
	what = "close";
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, file)) {
		snprintf(err, errlen, "rename %s to %s: %s", tmp, file,
		    strerror(errno));
		unlink(tmp);
		goto done;
	}
	ret = sync_dir(dir.s, err, errlen);
	goto done;
fail:
	snprintf(err, errlen, "%s: %s: %s", tmp, what, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
done:
	free(tmp);
	buf_free(&dir);
	return ret;
}
