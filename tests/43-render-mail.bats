#!/usr/bin/env bats
# render-md --format mail: an RFC 5322 message with the Markdown and its
# page as multipart/alternative, read back by Python's email package.

load helper

H="$FIX/render-html"

# check_mail SUBJECT: $TMP/out parsed, against $TMP/md and $TMP/html
check_mail() {
	/usr/bin/python3 "$TOP/tests/mail-check.py" "$TMP/out" "$TMP/md" "$TMP/html" "$1"
}

@test "both parts, the UTF-8 subject (RFC 2047), lines within 998 octets; text = --format md, html = --format html" {
	subject="Digest — 2025-01-16 · Überblick über neue Arbeiten in der Physik der kondensierten Materie, 日本語も"
	render-md --layout toc "$H/inject.jsonl" > "$TMP/md"
	render-md -f html --layout toc "$H/inject.jsonl" > "$TMP/html"
	run2 render-md -f mail --layout toc --subject "$subject" --from "feedpipe <digest@example.org>" \
		--to "reader@example.org" "$H/inject.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	check_mail "$subject"
	[ "$(head -n 2 "$TMP/out")" = "$(printf 'From: feedpipe <digest@example.org>\nTo: reader@example.org')" ]
	# encoded words of at most 75 characters, split between characters
	[ "$(grep -c '=?UTF-8?B?' "$TMP/out")" -ge 3 ]
	! grep -q '.\{77\}' <(sed -n '/^Subject:/,/^[^ S]/p' "$TMP/out" | grep -o '=?UTF-8?B?[^?]*?=' | sed 's/^/x/')
}

@test "a summary line far over 998 octets still gives lines within 998; the same input gives the same bytes" {
	long=$(printf 'word%.0s ' $(seq 1 600))
	printf '{"id":"l:1","title":"Long","link":"https://example.org/l","summary":"%s"}\n' "$long" > "$TMP/in"
	render-md "$TMP/in" > "$TMP/md"
	[ "$(awk '{ if (length > m) m = length } END { print m }' "$TMP/md")" -gt 998 ]
	render-md -f html "$TMP/in" > "$TMP/html"
	run2 render-md -f mail --subject "Long" "$TMP/in"
	[ "$status" -eq 0 ]
	check_mail "Long"
	render-md -f mail --subject "Long" "$TMP/in" | cmp - "$TMP/out"
}

@test "the subject defaults to the title and date, else the digest's first heading; no From or To unless given" {
	render-md -T "Daily" -d 2025-01-16 "$H/inject.jsonl" > "$TMP/md"
	render-md -f html -T "Daily" -d 2025-01-16 "$H/inject.jsonl" > "$TMP/html"
	run2 render-md -f mail -T "Daily" -d 2025-01-16 "$H/inject.jsonl"
	[ "$status" -eq 0 ]
	check_mail "Daily (2025-01-16)"
	! grep -q '^From:\|^To:\|^Date:' "$TMP/out"
	printf '# 2025-01-16\n\nNo new papers today.\n' > "$TMP/md"
	render-md -f html --markdown "$TMP/md" > "$TMP/html"
	run2 render-md -f mail --markdown "$TMP/md"
	[ "$status" -eq 0 ]
	check_mail "2025-01-16"
}

@test "a header value with a line break is refused: no header injection" {
	run2 render-md -f mail --to "$(printf 'a@example.org\nBcc: victim@example.org')" "$H/inject.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: --from, --to, --subject: no line breaks or control characters" ]
	! grep -q '^Bcc:' "$TMP/out"
}
