#!/usr/bin/env bats
# feed2jsonl on hostile JSON Feeds: streamed item by item, repaired per item,
# one message per problem, the rest of the feed still written.

load helper

V='"version":"https://jsonfeed.org/version/1.1"'

# A case in fixtures/feed2jsonl/jsonfeed-hostile-NAME (tests/helper.bash).
check_case() {
	check_feed_case "jsonfeed-hostile-$1"
}

@test "lone surrogates become U+FFFD, pairs are kept" { check_case surrogate; }
@test "invalid UTF-8 bytes become U+FFFD, one message a string" { check_case utf8; }
@test "\\u0000 and NUL bytes are dropped" { check_case nul; }
@test "numbers beyond int64 or a double keep the item; such an id is kept as text" { check_case numbers; }
@test "nesting 6000 deep: the deep part skipped, the item and the rest kept" { check_case deep; }
@test "truncated JSON Feed: the complete items before the cut, exit 1" { check_case truncated; }
@test "title, home_page_url and authors after items still count" { check_case fields-after-items; }
@test "syntax errors: reported, the items around them kept" { check_case syntax; }
@test "invalid escapes become U+FFFD" { check_case escapes; }
@test "text after the feed is reported, the feed kept" { check_case trailing; }

@test "standard input (a pipe) reads as the file does, fields after items too" {
	for c in fields-after-items truncated syntax; do
		run2 sh -c 'cat "$1" | feed2jsonl' sh "$FIX/feed2jsonl/jsonfeed-hostile-$c/input"
		same "$TMP/out" "$FIX/feed2jsonl/jsonfeed-hostile-$c/expected"
		sed 's/^feed2jsonl: input:/feed2jsonl: <stdin>:/' "$FIX/feed2jsonl/jsonfeed-hostile-$c/stderr" > "$TMP/want"
		same "$TMP/err" "$TMP/want"
	done
}

@test "--channel: top-level fields after items" {
	run2 feed2jsonl --channel "$FIX/feed2jsonl/jsonfeed-hostile-fields-after-items/input"
	[ "$status" -eq 0 ]
	[ "$out" = '{"feed":{"title":"Fields after items","link":"https://example.org/blog/","language":"en"}}' ]
	[ -z "$err" ]
}

@test "JSON Feed 1.0: the feed's author for items without one" {
	printf '{"version":"https://jsonfeed.org/version/1","author":{"name":"Old"},"items":[{"id":1,"title":"a"},{"id":2,"title":"b","author":{"name":"Own"}}]}' > "$TMP/f.json"
	run2 feed2jsonl "$TMP/f.json"
	[ "$status" -eq 0 ]
	[ "$out" = '{"id":"guid:1","title":"a","authors":["Old"],"guid":"1"}
{"id":"guid:2","title":"b","authors":["Own"],"guid":"2"}' ]
}

@test "120 MB of [] items: bounded memory, ten messages, exit 1" {
	not_under_valgrind "measures memory"
	run2 sh -c '{ printf "{%s,\"items\":[" "$1"; yes "[]," | head -c 120000000; printf "[]]}"; } |
		/usr/bin/time -f %M feed2jsonl' sh "$V"
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	for i in 1 2 3 4 5 6 7 8 9 10; do echo "feed2jsonl: <stdin>:$i: item $i is not an object"; done > "$TMP/want"
	echo "feed2jsonl: <stdin>:11: too many errors; the rest are not shown" >> "$TMP/want"
	head -n 11 "$TMP/err" | same /dev/stdin "$TMP/want"
	[ "$(sed -n 12p "$TMP/err")" = "Command exited with non-zero status 1" ]
	[ "$(tail -n 1 "$TMP/err")" -lt 50000 ]
}

@test "a string over 8 MiB is cut, said once; the item and the next kept" {
	not_under_valgrind "a large input"
	{ printf '{%s,"items":[\n{"id":"1","title":"big","content_html":"' "$V"; head -c 9000000 /dev/zero | tr '\0' a
	  printf '","date_published":"2025-01-16T00:00:00Z"},\n{"id":"2","title":"next"}]}\n'; } > "$TMP/big.json"
	run2 feed2jsonl -k "$TMP/big.json"
	[ "$status" -eq 1 ]
	[ "$err" = "feed2jsonl: $TMP/big.json:2: \"content_html\" longer than 8 MiB: the rest of it is left out" ]
	[ "$(printf '%s\n' "$out" | jq -r '.title + " " + (.published // "-")' | tr '\n' ' ')" = "big 2025-01-16T00:00:00Z next - " ]
	[ "$(printf '%s\n' "$out" | jq 'select(.title == "big") | .summary_html | length')" -eq 8388608 ]
}

@test "200 MB of 4 KB items through a pipe: memory stays under 50 MB" {
	not_under_valgrind "measures memory"
	run2 sh -c '{ printf "{%s,\"items\":[" "$1"; yes "{\"id\":\"x\",\"title\":\"t\",\"summary\":\"$(head -c 4000 /dev/zero | tr "\0" s)\"}," | head -n 50000; printf "{\"id\":\"last\"}]}"; } |
		/usr/bin/time -f %M feed2jsonl | wc -l' sh "$V"
	[ "$status" -eq 0 ]
	[ "$out" -eq 50001 ]
	[ "$(tail -n 1 "$TMP/err")" -lt 50000 ]
}

@test "every record of every hostile fixture is valid JSON" {
	for f in "$FIX"/feed2jsonl/jsonfeed-hostile-*/input; do
		feed2jsonl "$f" 2>/dev/null | jq -e 'select((.id|type) != "string" or (.title|type) != "string")' > "$TMP/bad" || true
		[ ! -s "$TMP/bad" ]
	done
}

@test "a string cut at 8 MiB is cut at a character boundary" {
	not_under_valgrind "a large input"
	{ printf '{%s,"items":[{"id":"1","summary":"a' "$V"; head -c 4500000 /dev/zero | tr '\0' x | sed 's/x/é/g'
	  printf '"}]}'; } > "$TMP/big.json"
	run2 feed2jsonl -k "$TMP/big.json"
	[ "$status" -eq 1 ]
	[ "$err" = "feed2jsonl: $TMP/big.json:1: \"summary\" longer than 8 MiB: the rest of it is left out" ]
	# "a" and 4194303 whole "é": 8388607 bytes, the most that fits
	summary=$(printf '%s\n' "$out" | jq -r .summary_html)
	[ "${#summary}" -eq 8388607 ]	# bytes: LC_ALL=C
	[ -z "$(printf '%s' "$summary" | sed 's/é//g; s/^a//')" ]
}
