#!/usr/bin/env bats
# enrich against an endpoint it cannot reach: one message, the requests
# stopped after 3 in a row that could not connect, every record out
# unchanged and in order, exit 1. HTTP errors are not that.

load helper
load enrich

D="$FIX/enrich-dead"
KEY='sk-feedpipe-TEST-7f3a91c2-never-print-me'

# A port of 127.0.0.1 that nothing listens on (it just did, and closed).
closed_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

clock() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(clock)" 'BEGIN { printf "%.2f", b - a }'; }

@test "a closed port: one message, every record out byte for byte, exit 1, in moments" {
	port=$(closed_port)
	t0=$(clock)
	run2 enrich --no-cache -m test-model --api-base "http://127.0.0.1:$port/v1" \
		--retry-delay 0.05 "$D/input.jsonl"
	t=$(elapsed "$t0")
	[ "$status" -eq 1 ]
	same "$TMP/out" "$D/input.jsonl"
	[ "$err" = "enrich: 127.0.0.1:$port: cannot connect (Connection refused); 20 records passed through unchanged" ]
	awk -v t="$t" 'BEGIN { exit !(t < 5) }'
}

@test "a closed port with -j 1: stopped after the third record, the same message" {
	port=$(closed_port)
	run2 enrich --no-cache -m test-model -j 1 --retries 0 --api-base "http://127.0.0.1:$port/v1" \
		"$D/input.jsonl"
	[ "$status" -eq 1 ]
	same "$TMP/out" "$D/input.jsonl"
	[ "$err" = "enrich: 127.0.0.1:$port: cannot connect (Connection refused); 20 records passed through unchanged" ]
}

@test "the message names the host and port only: no user, password or key" {
	port=$(closed_port)
	head -n 3 "$D/input.jsonl" > "$TMP/in"
	FEEDPIPE_API_KEY="$KEY" run2 enrich --no-cache -m test-model \
		--api-base "http://someone:pw-hush-9d1e@127.0.0.1:$port/v1" --retry-delay 0.05 "$TMP/in"
	[ "$status" -eq 1 ]
	same "$TMP/out" "$TMP/in"
	[ "$err" = "enrich: 127.0.0.1:$port: cannot connect (Connection refused); 3 records passed through unchanged" ]
}

@test "fewer than 3 in a row: each record reported as any failure, after 3 attempts at most" {
	port=$(closed_port)
	head -n 2 "$D/input.jsonl" > "$TMP/in"
	run2 enrich --no-cache -m test-model -j 1 --api-base "http://127.0.0.1:$port/v1" \
		--retry-delay 0.05 "$TMP/in"
	[ "$status" -eq 1 ]
	same "$TMP/out" "$TMP/in"
	# (in the order they gave up: a record waiting to retry holds no job)
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 2 ]
	[[ "$(printf '%s\n' "$err" | sort | sed -n 1p)" == "enrich: $TMP/in:1: r:1: Failed to connect to 127.0.0.1 port $port "*"(gave up after 3 attempts)" ]]
	[[ "$(printf '%s\n' "$err" | sort | sed -n 2p)" == "enrich: $TMP/in:2: r:2: Failed to connect to 127.0.0.1 port $port "*"(gave up after 3 attempts)" ]]
}

@test "a server that dies after 13 answers (-j 1): those kept, the other 7 passed through, one message" {
	serve --die-after 13
	run2 enrich --no-cache -j 1 --fields title --retry-delay 0.05 "$D/input.jsonl"
	[ "$status" -eq 1 ]
	same "$TMP/out" "$D/expected-die13"
	[ "$err" = "enrich: 127.0.0.1:$PORT: cannot connect (Connection refused); 7 records passed through unchanged" ]
}

@test "a server that dies after 5 answers (-j 4): 5 records answered, the rest unchanged, in order" {
	serve --die-after 5
	run2 enrich --no-cache -j 4 --fields title --retry-delay 0.05 "$D/input.jsonl"
	[ "$status" -eq 1 ]
	[ "$err" = "enrich: 127.0.0.1:$PORT: cannot connect (Connection refused); 15 records passed through unchanged" ]
	[ "$(jq -r .id "$TMP/out" | tr '\n' ' ')" = "$(jq -r .id "$D/input.jsonl" | tr '\n' ' ')" ]
	[ "$(jq -r 'select(.ai.lang == "zh") | .ai.title' "$TMP/out" | grep -c '^zh:title:Paper ')" -eq 5 ]
	# every other line is its input line, byte for byte
	paste -d '\n' "$D/input.jsonl" "$TMP/out" | awk 'NR % 2 { a = $0; next }
		$0 != a && index($0, ",\"ai\":{\"lang\":\"zh\"") == 0 { print "changed: " $0; bad = 1 }
		END { exit bad }'
}

@test "HTTP 500 is not a dead endpoint: every record asked and reported, as before" {
	serve
	awk 'BEGIN { for (i = 1; i <= 5; i++)
		printf "{\"id\":\"b:%d\",\"title\":\"Broken %d [500]\"}\n", i, i }' > "$TMP/in"
	run2 enrich --no-cache -j 1 --retries 1 --retry-delay 0.05 "$TMP/in"
	[ "$status" -eq 1 ]
	same "$TMP/out" "$TMP/in"
	[ "$(printf '%s\n' "$err" | sort)" = "$(for i in 1 2 3 4 5; do
		echo "enrich: $TMP/in:$i: b:$i: HTTP 500: internal error (gave up after 2 attempts)"; done)" ]
	[ "$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "http://127.0.0.1:$PORT/stats" | jq .requests)" -eq 10 ]
}
