#!/usr/bin/env bats
# feed2jsonl on hostile input, round two (issue 11): each case its own
# fixture directory (input, expected, stderr, status) in fixtures/feed2jsonl.

load helper

check_case() {
	local dir="$FIX/feed2jsonl/$1"
	cd "$dir"
	run2 feed2jsonl input
	cd - >/dev/null
	same "$TMP/out" "$dir/expected"
	if [ -f "$dir/stderr" ]; then same "$TMP/err" "$dir/stderr"; else [ ! -s "$TMP/err" ]; fi
	[ "$status" -eq "$(cat "$dir/status")" ]
}

@test "an empty element typed as binary (base64) is empty, not a crash" { check_case hostile-empty-base64; }
@test "empty Atom content of a binary type and an empty base64 title" { check_case hostile-empty-base64-atom; }
@test "an Atom root that is not <feed>, with xml:lang: not a feed, nothing read after" {
	check_case hostile-atom-root-entry
	run2 feed2jsonl -c "$FIX/feed2jsonl/hostile-atom-root-entry/input"
	[ "$out" = '{"feed":{}}' ]
	[ "$status" -eq 1 ]
}

@test "a channel <link> of white space: no feed.link, no memory per record" {
	not_under_valgrind "measures memory"
	command -v /usr/bin/time >/dev/null || skip "no /usr/bin/time"
	{
		printf '<rss><channel><link>   </link>\n'
		yes '<item><title>t</title><link>https://example.org/a</link></item>' | head -n 300000
		printf '</channel></rss>\n'
	} > "$TMP/ws.xml"
	/usr/bin/time -f %M -o "$TMP/rss" feed2jsonl "$TMP/ws.xml" > "$TMP/out"
	[ "$(wc -l < "$TMP/out")" -eq 300000 ]
	! grep -q '"feed"' "$TMP/out"
	# 64 bytes lost a record would be 19 MB more; it runs in about 6 MB
	[ "$(cat "$TMP/rss")" -lt 15000 ]
}

# Encodings: decoded by feed2jsonl itself (common/recode.c), then repaired.
@test "UTF-16LE with a byte order mark: read, bare & repaired, entities kept" { check_case hostile-utf16le; }
@test "UTF-32BE without a byte order mark is read" { check_case hostile-utf32be-no-bom; }
@test "EBCDIC (IBM037) is read" { check_case hostile-ebcdic; }
@test "UTF-16 lone surrogate: U+FFFD, a message with the line, later items kept" { check_case hostile-utf16-lone-surrogate; }
@test "NUL and control bytes: removed and reported, nothing lost after them" { check_case hostile-nul-byte; }
@test "a declared UTF-16 that is not: read as UTF-8, said once" { check_case hostile-mislabelled-utf16; }
@test "an encoding iconv does not know: read as UTF-8, said once" { check_case hostile-unknown-encoding; }
@test "windows-1252 by iconv; a byte it leaves undefined is U+FFFD" { check_case hostile-windows-1252; }

# libxml2 2.9 drops every entity reference after the first error
@test "entity references after an invalid byte are kept (&amp; in links, escaped HTML)" { check_case hostile-entities-after-bad-byte; }
@test "entity references after a well-formedness error are kept" { check_case hostile-entities-after-wf-error; }
