#!/usr/bin/env bats
# examples/fetch against a feed server on 127.0.0.1: conditional GET,
# failures that are reported but not fatal, retries.

load helper

setup() {
	command -v curl >/dev/null || skip "curl not installed"
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	start_server feedserver.py
	BASE="http://127.0.0.1:$PORT"
	export FETCH_RETRY_DELAY=1 FETCH_TIMEOUT=10
}

teardown() {
	kill "$SERVER" 2>/dev/null || true
	rm -rf "$TMP"
}

requests() {
	curl -s "$BASE/stats" | jq -r --arg p "$1" '.[$p] // 0'
}

@test "first fetch downloads; the second is a conditional GET answered 304" {
	run2 "$TOP/examples/fetch" test "$BASE/feed.xml" "$TMP/cache"
	[ "$status" -eq 0 ]
	[ "$err" = "fetch: test: 201 bytes" ]
	[ "$out" = "$(printf 'fetched\t200\t%s\t' "$(date -u -r "$TMP/cache/test.feed" +%Y-%m-%dT%H:%M:%SZ)")" ]
	feed2jsonl "$TMP/cache/test.feed" | jq -e '.title == "One"'
	[ "$(cat "$TMP/cache/test.etag")" = '"v1"' ]
	before=$(stat -c %Y "$TMP/cache/test.feed")
	run2 "$TOP/examples/fetch" test "$BASE/feed.xml" "$TMP/cache"
	[ "$status" -eq 0 ]
	[ "$err" = "fetch: test: not modified" ]
	[ "$out" = "$(printf 'not-modified\t304\t%s\t' "$(date -u -r "$TMP/cache/test.feed" +%Y-%m-%dT%H:%M:%SZ)")" ]
	[ "$(stat -c %Y "$TMP/cache/test.feed")" = "$before" ]
	[ "$(requests /feed.xml)" -eq 2 ]
}

@test "a failing feed is reported, not fatal, and last time's copy is kept" {
	mkdir -p "$TMP/cache"
	echo '<rss><channel><item><title>old</title></item></channel></rss>' > "$TMP/cache/bad.feed"
	touch -d 2025-01-15T07:30:00Z "$TMP/cache/bad.feed"
	FETCH_RETRIES=1 run2 "$TOP/examples/fetch" bad "$BASE/fail" "$TMP/cache"
	[ "$status" -eq 0 ]
	[ "$err" = "fetch: bad: HTTP 500 (kept the copy of 2025-01-15T07:30:00Z)" ]
	[ "$out" = "$(printf 'failed\t500\t2025-01-15T07:30:00Z\tHTTP 500')" ]
	grep -q old "$TMP/cache/bad.feed"
	[ "$(requests /fail)" -eq 2 ]
}

@test "transient errors are retried" {
	run2 "$TOP/examples/fetch" flaky "$BASE/flaky" "$TMP/cache"
	[ "$status" -eq 0 ]
	[ "$err" = "fetch: flaky: 201 bytes" ]
	[ "$(requests /flaky)" -eq 3 ]
}

@test "a host that is not there: reported with curl's reason, no copy claimed, no cache file, exit 0" {
	FETCH_RETRIES=0 FETCH_CONNECT_TIMEOUT=2 run2 "$TOP/examples/fetch" gone "http://127.0.0.1:9/feed" "$TMP/cache"
	[ "$status" -eq 0 ]
	[[ "$err" == "fetch: gone: (7) Failed to connect to 127.0.0.1 port 9 "*" (no earlier copy)" ]]
	[[ "$out" == "failed"$'\t'"000"$'\t\t'"(7) Failed to connect"* ]]
	[ ! -e "$TMP/cache/gone.feed" ]
}

@test "a feed over FETCH_MAX_SIZE is refused like a failed one" {
	FETCH_MAX_SIZE=100 run2 "$TOP/examples/fetch" test "$BASE/feed.xml" "$TMP/cache"
	[ "$status" -eq 0 ]
	[ "$err" = "fetch: test: (63) Maximum file size exceeded (no earlier copy)" ]
	[ ! -s "$TMP/cache/test.feed" ]
}

@test "the server's own Last-Modified and ETag go back to it, whatever the local file's time" {
	mkdir "$TMP/srv"
	kill "$SERVER"
	python3 "$TOP/tests/feedserver.py" "$TMP/srv" > "$TMP/port2" &
	SERVER=$!
	for _ in $(seq 50); do [ -s "$TMP/port2" ] && break; sleep 0.1; done
	BASE="http://127.0.0.1:$(cat "$TMP/port2")"
	echo '<rss><channel><item><title>A</title></item></channel></rss>' > "$TMP/srv/x.xml"
	touch -d 2025-01-16T06:00:00Z "$TMP/srv/x.xml"
	"$TOP/examples/fetch" x "$BASE/d/x.xml" "$TMP/cache" 2>/dev/null
	[ "$(cat "$TMP/cache/x.modified")" = "Thu, 16 Jan 2025 06:00:00 GMT" ]
	touch -d 2030-01-01 "$TMP/cache/x.feed"
	rm "$TMP/cache/x.etag"
	run2 "$TOP/examples/fetch" x "$BASE/d/x.xml" "$TMP/cache"
	[ "$err" = "fetch: x: not modified" ]
	curl -s "$BASE/headers" | jq -e '.["/d/x.xml"]["If-Modified-Since"] == "Thu, 16 Jan 2025 06:00:00 GMT"'
	# a changed feed with its old Last-Modified: the ETag, sent first, tells
	rm -r "$TMP/cache"
	"$TOP/examples/fetch" x "$BASE/d/x.xml" "$TMP/cache" 2>/dev/null
	[ -s "$TMP/cache/x.etag" ]
	echo '<rss><channel><item><title>B</title></item></channel></rss>' > "$TMP/srv/x.xml"
	touch -d 2025-01-16T06:00:00Z "$TMP/srv/x.xml"
	run2 "$TOP/examples/fetch" x "$BASE/d/x.xml" "$TMP/cache"
	[ "$err" = "fetch: x: 60 bytes" ]
	grep -q '<title>B' "$TMP/cache/x.feed"
}

@test "a feed name that could escape the cache directory is refused" {
	run2 "$TOP/examples/fetch" ../x "$BASE/feed.xml" "$TMP/cache"
	[ "$status" -eq 2 ]
	[ "$err" = "fetch: '../x': not a usable feed name" ]
}

@test "usage error exits 2" {
	run2 "$TOP/examples/fetch" onlyname
	[ "$status" -eq 2 ]
}
