#!/usr/bin/env bats
# Issue 11, findings 10 and 12: a hostile OpenAI-compatible server on
# 127.0.0.1 (tests/llmserver.py's echo-* and tokens= markers) and hostile
# files where enrich keeps its cache and dedup its lock. The key is never
# printed or cached in any form; absurd usage figures are ignored; a FIFO
# or symlink in the cache is never waited on or followed; temporary files
# and the lock never follow a symlink.

load helper
load enrich

E="$FIX/enrich"
KEY='sk-feedpipe-TEST-7f3a91c2-never-print-me'
X185=$(printf 'x%.0s' $(seq 185))

# the server of tests/enrich.bash, and the key enrich must never show
serve() {
	serve_plain "$@"
	export FEEDPIPE_API_KEY="$KEY"
}

# jq FILTER over the server's /stats
stats() {
	python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
		"http://127.0.0.1:$PORT/stats" | jq -r "$1"
}

# fail if any 8-byte piece of the key is in the files (or under the directories)
no_key() {
	local i
	for i in $(seq 0 8 32); do
		if grep -rqF -- "${KEY:i:8}" "$@"; then
			echo "found '${KEY:i:8}' in: $(grep -rlF -- "${KEY:i:8}" "$@")" >&2
			return 1
		fi
	done
}

# the cache entry's file, the only one under $1
entry() {
	find "$1" -type f ! -name '*.tmp.*'
}

@test "a 200 answer quoting the key in every field and in ai.model: scrubbed in the output and the cache" {
	serve
	printf '%s\n' '{"id":"a","title":"A [echo-content]"}' > "$TMP/in"
	run2 enrich -f title,tldr --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$out" = '{"id":"a","title":"A [echo-content]","ai":{"lang":"zh","title":"zh:title:A [echo-content] said Bearer [key removed]","tldr":"zh:tldr:A [echo-content] said Bearer [key removed]","model":"test-model Bearer [key removed]"}}' ]
	[ -z "$err" ]
	[ "$(stats .auth)" = "Bearer $KEY" ]
	no_key "$TMP/out" "$TMP/err" "$TMP/c"
	# from the cache: the same
	run2 enrich -f title,tldr --cache "$TMP/c" --max-requests 0 "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$out" = "$(cat "$TMP/out")" ]
}

@test "the key only as JSON \\u escapes (in the model, and doubled in the content): found once decoded" {
	serve
	printf '%s\n' '{"id":"b","title":"B [echo-escaped]"}' > "$TMP/in"
	run2 enrich -f title --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$out" = '{"id":"b","title":"B [echo-escaped]","ai":{"lang":"zh","title":"zh:title:B [echo-escaped] said Bearer [key removed]","model":"test-model Bearer [key removed]"}}' ]
	[ -z "$err" ]
	no_key "$TMP/out" "$TMP/err" "$TMP/c"
}

@test "an error body of 300+ bytes with the key across byte 200: scrubbed before the cut" {
	serve
	printf '%s\n' '{"id":"l","title":"L [echo-long]"}' > "$TMP/in"
	run2 enrich --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$out" = '{"id":"l","title":"L [echo-long]"}' ]
	[ "$err" = "enrich: $TMP/in:1: l: HTTP 400: $X185 Bearer [key re..." ]
	no_key "$TMP/out" "$TMP/err" "$TMP/c"
}

@test "an error body that is not JSON, with the key in base64: scrubbed" {
	serve
	printf '%s\n' '{"id":"c","title":"C [echo-b64]"}' > "$TMP/in"
	run2 enrich --no-cache --retries 0 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$out" = '{"id":"c","title":"C [echo-b64]"}' ]
	[ "$err" = "enrich: $TMP/in:1: c: HTTP 500: <html>QmVhcmVyIH[key removed]U=</html> (gave up after 1 attempts)" ]
}

@test "a cache entry written before scrubbing, holding the key: scrubbed as it is read" {
	serve
	printf '%s\n' '{"id":"d","title":"D"}' > "$TMP/in"
	enrich -f title --cache "$TMP/c" "$TMP/in" > /dev/null
	printf '{"lang":"zh","title":"old %s","model":"m"}\n' "$KEY" > "$(entry "$TMP/c")"
	run2 enrich -f title --cache "$TMP/c" --max-requests 0 "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$out" = '{"id":"d","title":"D","ai":{"lang":"zh","title":"old [key removed]","model":"m"}}' ]
	no_key "$TMP/out" "$TMP/err"
}

@test "usage.total_tokens of INT64_MAX, negative, or not a whole number: ignored with a message; every record out" {
	serve
	printf '%s\n' '{"id":"t","title":"T [tokens=9223372036854775807]"}' \
		'{"id":"u","title":"U [tokens=9223372036854775807]"}' \
		'{"id":"v","title":"V [tokens=-5]"}' '{"id":"w","title":"W [tokens=1e300]"}' > "$TMP/in"
	run2 enrich -j 1 -f title --no-cache "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -r .ai.title)" = "zh:title:T [tokens=9223372036854775807]
zh:title:U [tokens=9223372036854775807]
zh:title:V [tokens=-5]
zh:title:W [tokens=1e300]" ]
	[ "$err" = "enrich: $TMP/in:1: t: usage.total_tokens 9223372036854775807 is not a plausible count: ignored
enrich: $TMP/in:2: u: usage.total_tokens 9223372036854775807 is not a plausible count: ignored
enrich: $TMP/in:3: v: usage.total_tokens -5 is not a plausible count: ignored
enrich: $TMP/in:4: w: usage.total_tokens is not a count from 0 to 100000000: ignored" ]
	# ignored usage is counted at the request's size: --max-tokens still works
	run2 enrich -j 1 -f title --no-cache --max-tokens 1 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai) | .id')" = t ]
	[[ "$err" == *"enrich: --max-tokens 1 reached ("*" used): no more requests"* ]]
}

@test "no core dump, not dumpable, and no key in /proc/PID/environ while enrich runs" {
	not_under_valgrind "looks at the process itself"
	serve
	printf '%s\n' '{"id":"s","title":"S [sleep=1500]"}' > "$TMP/in"
	# as another user, so that "not dumpable" shows: /proc/PID is then root's
	as=
	if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
		as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
		$as sh -c 'test -x "$(command -v enrich)"' 2>/dev/null || as=
	fi
	$as enrich --no-cache < "$TMP/in" > "$TMP/o" &
	pid=$!
	sleep 0.5
	grep -E '^Max core file size +0 +0 ' "/proc/$pid/limits"
	! tr '\0' '\n' < "/proc/$pid/environ" | grep -F never-print
	[ -z "$as" ] || [ "$(stat -c %U "/proc/$pid/environ")" = root ]
	wait "$pid"
	[ "$(jq -r .ai.title "$TMP/o")" = "zh:title:S [sleep=1500]" ]
}

@test "a FIFO at a cache entry's path: reported, taken for no entry, replaced; nothing blocks" {
	serve
	printf '%s\n' '{"id":"f","title":"F"}' > "$TMP/in"
	enrich --cache "$TMP/c" "$TMP/in" > "$TMP/first"
	e=$(entry "$TMP/c")
	rm "$e"
	mkfifo "$e"
	run2 timeout 20 enrich --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 0 ]
	same "$TMP/out" "$TMP/first"
	[ "$err" = "enrich: cache: $e: not a regular file: taken for no entry" ]
	[ -f "$e" ] && [ ! -p "$e" ]
	[ "$(stats .requests)" -eq 2 ]
}

@test "a symlink at a cache entry's path: not followed, replaced by the entry" {
	serve
	printf '%s\n' '{"id":"g","title":"G"}' > "$TMP/in"
	enrich --cache "$TMP/c" "$TMP/in" > "$TMP/first"
	e=$(entry "$TMP/c")
	printf '{"lang":"zh","title":"from the target","model":"m"}\n' > "$TMP/target"
	ln -sf "$TMP/target" "$e"
	run2 enrich --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 0 ]
	same "$TMP/out" "$TMP/first"
	[ "$err" = "enrich: cache: $e: a symbolic link: taken for no entry" ]
	[ ! -L "$e" ]
	[ "$(cat "$TMP/target")" = '{"lang":"zh","title":"from the target","model":"m"}' ]
}

@test "a symlink where the cache's temporary file goes: not followed, the entry still written" {
	serve
	printf '%s\n' '{"id":"h","title":"H"}' > "$TMP/in"
	enrich --cache "$TMP/c" "$TMP/in" > "$TMP/first"
	e=$(entry "$TMP/c")
	rm "$e"
	# exec keeps the PID: the link is at the first name enrich tries
	run2 sh -c 'ln -s "$1/victim" "$2.tmp.$$"; exec enrich --cache "$1/c" "$1/in"' sh "$TMP" "$e"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	same "$TMP/out" "$TMP/first"
	[ ! -e "$TMP/victim" ]
	[ -f "$e" ]
}

@test "dedup: a symlink at STATE.lock is refused, exit 2; nothing is created at its target" {
	printf '%s\n' '{"id":"a"}' > "$TMP/in"
	ln -s "$TMP/victim" "$TMP/seen.tsv.lock"
	run2 dedup --state "$TMP/seen.tsv" --mark "$TMP/in"
	[ "$status" -eq 2 ]
	[ -z "$out" ]
	[ "$err" = "dedup: $TMP/seen.tsv.lock: a symbolic link; refusing to follow it" ]
	[ ! -e "$TMP/victim" ]
	[ ! -e "$TMP/seen.tsv" ]
	rm "$TMP/seen.tsv.lock"
	mkfifo "$TMP/seen.tsv.lock"
	run2 timeout 20 dedup --state "$TMP/seen.tsv" --update "$TMP/in"
	[ "$status" -eq 2 ]
	[ "$err" = "dedup: $TMP/seen.tsv.lock: not a regular file; refusing to use it as the lock" ]
}

@test "dedup and classify: a symlink at the temporary file's name is not followed" {
	printf '%s\n' '{"id":"a","title":"neural nets","tag":"ML"}' '{"id":"b","title":"ferroelectric films","tag":"ferro"}' > "$TMP/in"
	run2 sh -c 'ln -s "$1/victim1" "$1/seen.tsv.tmp.$$"; exec dedup --state "$1/seen.tsv" --mark "$1/in"' sh "$TMP"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ ! -e "$TMP/victim1" ]
	[ "$(grep -c $'^~paper\t[ab]\t' "$TMP/seen.tsv")" -eq 2 ]
	run2 sh -c 'ln -s "$1/victim2" "$1/model.tmp.$$"; exec classify --train "$1/model" --labels .tag "$1/in"' sh "$TMP"
	[ "$status" -eq 0 ]
	[ ! -e "$TMP/victim2" ]
	[ -s "$TMP/model" ]
}
