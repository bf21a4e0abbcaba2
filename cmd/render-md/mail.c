/* mail.c: the digest as a MIME message (see page.h). Output depends only
 * on its input: no Date or Message-ID (the sender adds them), a boundary
 * made from the parts' hash. Lines end in LF, as sendmail -t expects;
 * curl --crlf converts them for SMTP. */
#include <stdio.h>
#include <string.h>

#include "page.h"
#include "sha1.h"
#include "text.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64 of s[0..n) in lines of 76 characters */
static void
put_base64(FILE *out, const char *s, size_t n, size_t linelen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, col = 0;
	unsigned long v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned long)u[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)u[i + 1] << 8;
		if (i + 2 < n)
			v |= u[i + 2];
		putc(b64[v >> 18 & 63], out);
		putc(b64[v >> 12 & 63], out);
		putc(i + 1 < n ? b64[v >> 6 & 63] : '=', out);
		putc(i + 2 < n ? b64[v & 63] : '=', out);
		if (linelen && (col += 4) >= linelen) {
			putc('\n', out);
			col = 0;
		}
	}
	if (linelen && col)
		putc('\n', out);
}

static int
header_ok(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int
plain_ascii(const char *s)
{
	if (strstr(s, "=?"))
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* Subject: as it is when it is short ASCII, else RFC 2047 encoded words of
 * at most 45 bytes (75 characters) each, split between characters. */
static void
put_subject(FILE *out, const char *s)
{
	size_t n = strlen(s), take, k;

	fputs("Subject: ", out);
	if (plain_ascii(s) && n <= 66) {
		fprintf(out, "%s\n", s);
		return;
	}
	while (n) {
		for (take = 0; take < n; take += k) {
			k = utf8_seqlen((const unsigned char *)s + take, n - take);
			if (!k)
				k = 1;
			if (take + k > 45)
				break;
		}
		fputs("=?UTF-8?B?", out);
		put_base64(out, s, take, 0);
		fputs("?=", out);
		s += take;
		n -= take;
		fputs(n ? "\n " : "\n", out);
	}
}

static void
put_part(FILE *out, const char *boundary, const char *type, const char *s, size_t n)
{
	fprintf(out, "--%s\nContent-Type: %s; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\n", boundary, type);
	put_base64(out, s, n, 76);
}

int
mail_ok(const struct mail *m)
{
	return header_ok(m->from) && header_ok(m->to) && header_ok(m->subject);
}

int
mail_write(FILE *out, const struct mail *m, const char *text, size_t tn,
    const char *html, size_t hn)
{
	char hash[41], boundary[64];

	if (!mail_ok(m))
		return -1;
	/* '=' and '_' never start a base64 line: the boundary cannot occur */
	sha1_hex(html, hn, hash);
	snprintf(boundary, sizeof boundary, "=_feedpipe_%.24s", hash);
	if (m->from)
		fprintf(out, "From: %s\n", m->from);
	if (m->to)
		fprintf(out, "To: %s\n", m->to);
	if (m->subject)
		put_subject(out, m->subject);
	fprintf(out, "MIME-Version: 1.0\n"
	    "Content-Type: multipart/alternative;\n boundary=\"%s\"\n\n", boundary);
	put_part(out, boundary, "text/plain", text, tn);
	put_part(out, boundary, "text/html", html, hn);
	fprintf(out, "--%s--\n", boundary);
	return 0;
}
