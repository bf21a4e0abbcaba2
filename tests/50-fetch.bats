#!/usr/bin/env bats
# examples/fetch against a feed server on 127.0.0.1: conditional GET,
# failures that are reported but not fatal, retries.

load helper

setup() {
	command -v curl >/dev/null || skip "curl not installed"
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	python3 "$TOP/tests/feedserver.py" > "$TMP/port" &
	SERVER=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	PORT=$(cat "$TMP/port")
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
	feed2jsonl "$TMP/cache/test.feed" | jq -e '.title == "One"'
	[ "$(cat "$TMP/cache/test.etag")" = '"v1"' ]
	before=$(stat -c %Y "$TMP/cache/test.feed")
	run2 "$TOP/examples/fetch" test "$BASE/feed.xml" "$TMP/cache"
	[ "$status" -eq 0 ]
	[ "$err" = "fetch: test: not modified" ]
	[ "$(stat -c %Y "$TMP/cache/test.feed")" = "$before" ]
	[ "$(requests /feed.xml)" -eq 2 ]
}

@test "a failing feed is reported, not fatal, and last time's copy is kept" {
	mkdir -p "$TMP/cache"
	echo '<rss><channel><item><title>old</title></item></channel></rss>' > "$TMP/cache/bad.feed"
	FETCH_RETRIES=1 run2 "$TOP/examples/fetch" bad "$BASE/fail" "$TMP/cache"
	[ "$status" -eq 0 ]
	[[ "$err" == "fetch: bad: $BASE/fail: (22) The requested URL returned error: 500 (kept the copy from last time)" ]]
	grep -q old "$TMP/cache/bad.feed"
	[ "$(requests /fail)" -eq 2 ]
}

@test "transient errors are retried" {
	run2 "$TOP/examples/fetch" flaky "$BASE/flaky" "$TMP/cache"
	[ "$status" -eq 0 ]
	[ "$err" = "fetch: flaky: 201 bytes" ]
	[ "$(requests /flaky)" -eq 3 ]
}

@test "a host that is not there: reported, an empty cache file, exit 0" {
	FETCH_RETRIES=0 FETCH_CONNECT_TIMEOUT=2 run2 "$TOP/examples/fetch" gone "http://127.0.0.1:9/feed" "$TMP/cache"
	[ "$status" -eq 0 ]
	[[ "$err" == "fetch: gone: http://127.0.0.1:9/feed: "*"(kept the copy from last time)" ]]
	[ -e "$TMP/cache/gone.feed" ] && [ ! -s "$TMP/cache/gone.feed" ]
}

@test "a feed over FETCH_MAX_SIZE is refused like a failed one" {
	FETCH_MAX_SIZE=100 run2 "$TOP/examples/fetch" test "$BASE/feed.xml" "$TMP/cache"
	[ "$status" -eq 0 ]
	[ "$err" = "fetch: test: $BASE/feed.xml: (63) Maximum file size exceeded (kept the copy from last time)" ]
	[ ! -s "$TMP/cache/test.feed" ]
}

@test "usage error exits 2" {
	run2 "$TOP/examples/fetch" onlyname
	[ "$status" -eq 2 ]
}
