#!/usr/bin/env bats
# examples/Makefile, the daily digest, against a feed server on 127.0.0.1:
# fetch, convert, dedup with the safe mark-after-success pattern, classify,
# render; a failed feed is reported and the rest goes on.

load helper

setup() {
	command -v curl >/dev/null || skip "curl not installed"
	for p in dedup classify render-md; do [ -x "$TOP/$p" ] || skip "$p not built"; done
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	python3 "$TOP/tests/feedserver.py" > "$TMP/port" &
	SERVER=$!
	for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
	BASE="http://127.0.0.1:$(cat "$TMP/port")"
	mkdir "$TMP/daily"
	cp "$TOP/examples/Makefile" "$TOP/examples/fetch" "$TOP/examples/rules" "$TMP/daily/"
	printf '# name\turl\ngood\t%s/feed.xml\nbroken\t%s/fail\n' "$BASE" "$BASE" > "$TMP/daily/feeds.tsv"
	export FETCH_RETRIES=0 FETCH_RETRY_DELAY=1
	unset FEEDPIPE_API_BASE OPENAI_BASE_URL
	MK="make -s -C $TMP/daily BIN=$BINDIR DATE=2025-01-16"
}

teardown() {
	kill "$SERVER" 2>/dev/null || true
	rm -rf "$TMP"
}

@test "a day's run: digests written, the broken feed reported, papers marked seen" {
	run2 $MK
	[ "$status" -eq 0 ]
	[[ "$err" == *"fetch: broken: $BASE/fail: (22) The requested URL returned error: 500"* ]]
	[[ "$out" == *"enrich: skipped"* ]]
	[[ "$out" == *"digest: digests/2025-01-16.md digests/2025-01-16-ML.md"* ]]
	grep -q '\[One\](http://example.org/1)' "$TMP/daily/digests/2025-01-16.md"
	grep -q 'url:http://example.org/1' "$TMP/daily/state/seen.tsv"
}

@test "the next day: the feed is not downloaded again and nothing is new" {
	$MK >/dev/null 2>&1
	run2 $MK DATE=2025-01-17
	[ "$status" -eq 0 ]
	[[ "$err" == *"fetch: good: not modified"* ]]
	[ ! -s "$TMP/daily/work/2025-01-17/new.jsonl" ]
	! grep -q 'example.org/1' "$TMP/daily/digests/2025-01-17.md"
}

@test "when a later step fails, nothing is marked seen and the next run offers the papers again" {
	echo 'broken rule without a colon' > "$TMP/daily/rules"
	run2 $MK
	[ "$status" -ne 0 ]
	! grep -q 'example.org/1' "$TMP/daily/state/seen.tsv" 2>/dev/null
	cp "$TOP/examples/rules" "$TMP/daily/rules"
	run2 $MK
	[ "$status" -eq 0 ]
	grep -q '\[One\](http://example.org/1)' "$TMP/daily/digests/2025-01-16.md"
}
