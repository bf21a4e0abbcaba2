#!/usr/bin/env bats
# What the user owns (dedup's state, enrich's cache, classify's model)
# under faults: a full disk while writing it leaves it whole (old or new,
# never cut), no temporary file is left, and the program says what failed;
# a reader that goes away ends every program at once and records nothing
# for records nobody read.
#
# Two ways to fill a disk: a small tmpfs (real ENOSPC; needs root and
# mount, else those tests are skipped) and a file-size limit (ulimit -f:
# writes past it fail with EFBIG; works anywhere).

load helper

setup() {
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	DISK=
	SERVER=
}

teardown() {
	[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
	[ -z "$DISK" ] || umount "$DISK" 2>/dev/null || true
	rm -rf "$TMP"
}

# A KB-sized tmpfs at $DISK, or skip the test.
small_disk() {
	DISK="$TMP/disk"
	mkdir "$DISK"
	if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o "size=$1k" tmpfs "$DISK" 2>/dev/null; then
		DISK=
		skip "cannot mount a tmpfs here (needs root)"
	fi
}

# Fill $DISK but for about KB kilobytes.
fill_disk_but() {
	local free
	free=$(df -k "$DISK" | awk 'NR == 2 { print $4 }')
	[ "$free" -gt "$1" ] || return 0
	head -c "$(( (free - $1) * 1024 ))" /dev/zero > "$DISK/filler"
}

# bash -c "$limited" KB CMD...: CMD's files may not grow past KB kilobytes
# (its stdout, a file in run2, goes to /dev/null)
limited='trap "" XFSZ; ulimit -f "$0"; exec "$@" > /dev/null'

# N records {"id":"PREFIX:I"}
keys() {
	awk -v n="$1" -v p="$2" 'BEGIN { for (i = 0; i < n; i++) printf "{\"id\":\"%s:%d\",\"title\":\"Paper %d\"}\n", p, i, i }'
}

no_temp_files() {
	! ls -A "$1" | grep -E '\.tmp|XXXXXX' >&2
}

@test "dedup --mark on a full disk: the old state stays whole, exit 2, then a later run works" {
	small_disk 64
	keys 50 old > "$TMP/old.jsonl"
	keys 400 new > "$TMP/new.jsonl"
	dedup --state "$DISK/seen.tsv" --mark "$TMP/old.jsonl" > /dev/null
	cp "$DISK/seen.tsv" "$TMP/seen.before"
	fill_disk_but 4
	run2 dedup --state "$DISK/seen.tsv" --mark "$TMP/new.jsonl"
	[ "$status" -eq 2 ]
	[[ "$err" == "dedup: $DISK/seen.tsv.tmp."*": write: No space left on device" ]]
	cmp "$DISK/seen.tsv" "$TMP/seen.before"
	no_temp_files "$DISK"
	# records still flow: --mark drops nothing
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 400 ]
	rm "$DISK/filler"
	run2 dedup --state "$DISK/seen.tsv" --mark "$TMP/new.jsonl"
	[ "$status" -eq 0 ]
	[ "$(grep -c $'\tnew:' "$DISK/seen.tsv")" -eq 400 ]
	[ "$(grep -c $'\told:' "$DISK/seen.tsv")" -eq 50 ]
}

@test "dedup --update on a full disk: the old state stays whole, exit 2" {
	small_disk 64
	keys 50 old > "$TMP/old.jsonl"
	dedup --state "$DISK/seen.tsv" --mark "$TMP/old.jsonl" > /dev/null
	cp "$DISK/seen.tsv" "$TMP/seen.before"
	fill_disk_but 4
	{ keys 50 old; keys 400 new; } > "$TMP/in.jsonl"
	run2 dedup --state "$DISK/seen.tsv" --update "$TMP/in.jsonl"
	[ "$status" -eq 2 ]
	[[ "$err" == *"No space left on device"* ]]
	cmp "$DISK/seen.tsv" "$TMP/seen.before"
	no_temp_files "$DISK"
}

@test "dedup --mark past a file-size limit (EFBIG): the old state stays whole, exit 2" {
	keys 50 old > "$TMP/old.jsonl"
	keys 2000 new > "$TMP/new.jsonl"
	dedup --state "$TMP/seen.tsv" --mark "$TMP/old.jsonl" > /dev/null
	cp "$TMP/seen.tsv" "$TMP/seen.before"
	run2 bash -c "$limited" 16 dedup --state "$TMP/seen.tsv" --mark "$TMP/new.jsonl"
	[ "$status" -eq 2 ]
	[[ "$err" == "dedup: $TMP/seen.tsv.tmp."*": write: File too large" ]]
	cmp "$TMP/seen.tsv" "$TMP/seen.before"
	no_temp_files "$TMP"
}

@test "classify --train on a full disk: the old model stays whole, exit 2" {
	small_disk 64
	for i in $(seq 30); do
		printf '{"title":"neural network %d","tag":"ML"}\n{"title":"ferroelectric film %d","tag":"ferro"}\n' "$i" "$i"
	done > "$TMP/small.jsonl"
	classify --train "$DISK/model" --labels .tag "$TMP/small.jsonl"
	cp "$DISK/model" "$TMP/model.before"
	# a model with many more words does not fit
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "{\"title\":\"w%da w%db w%dc\",\"tag\":\"t%d\"}\n", i, i, i, i % 7 }' > "$TMP/big.jsonl"
	fill_disk_but 4
	run2 classify --train "$DISK/model" --labels .tag "$TMP/big.jsonl"
	[ "$status" -eq 2 ]
	[[ "$err" == "classify: "*"No space left on device"* ]]
	cmp "$DISK/model" "$TMP/model.before"
	no_temp_files "$DISK"
}

@test "enrich with its cache on a full disk: said once, no entry cut, records all answered" {
	small_disk 64
	fill_disk_but 0
	start_server llmserver.py
	export FEEDPIPE_API_BASE="http://127.0.0.1:$PORT/v1" FEEDPIPE_MODEL=test-model
	unset FEEDPIPE_API_KEY OPENAI_API_KEY
	keys 5 p > "$TMP/in.jsonl"
	run2 enrich --cache "$DISK/cache" "$TMP/in.jsonl"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai.tldr) | .id' | wc -l)" -eq 5 ]
	[ "$(printf '%s\n' "$err" | grep -c 'No space left on device')" -eq 1 ]
	[[ "$err" == "enrich: cache: "* ]]
	# whatever is in the cache is whole
	[ -z "$(find "$DISK/cache" -type f -name '*.tmp*' 2>/dev/null)" ]
	find "$DISK/cache" -type f -size +0 -exec jq -e . {} + > /dev/null 2>&1 || [ -z "$(find "$DISK/cache" -type f -size +0)" ]
	# with room again, the next run fills the cache and a third asks nothing
	rm "$DISK/filler"
	enrich --cache "$DISK/cache" "$TMP/in.jsonl" > /dev/null
	run2 enrich --cache "$DISK/cache" --max-requests 0 "$TMP/in.jsonl"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai.tldr) | .id' | wc -l)" -eq 5 ]
}

# An endless stream of distinct records, so that a program that does not stop
# when its reader goes away never ends (timeout is only a guard for that).
endless() {
	awk 'BEGIN { for (i = 0; ; i++) printf "{\"id\":\"e:%d\",\"title\":\"Paper %d on neural nets\"}\n", i, i }'
}

@test "| head -n 1 on an endless stream: every program stops at once, quietly" {
	for p in "dedup" "dedup --title=0.8" "classify -r $TOP/examples/rules" "render-md --layout list" \
	    "enrich --dry-run --model m --api-base http://127.0.0.1:9"; do
		run2 timeout 120 bash -o pipefail -c "$(declare -f endless); endless | $p | head -n 1 > /dev/null"
		[ "$status" -eq 141 ] || [ "$status" -eq 0 ] || { echo "$p: status $status" >&2; return 1; }
		[ -z "$err" ] || { echo "$p: $err" >&2; return 1; }
	done
	run2 timeout 120 bash -o pipefail -c \
	    "{ echo '<rss><channel>'; yes '<item><title>x</title><link>http://x/</link></item>'; } | feed2jsonl | head -n 1 > /dev/null"
	[ "$status" -eq 141 ] || [ "$status" -eq 0 ]
	[ -z "$err" ]
}

@test "dedup --update | head -n 1: nothing recorded for records nobody read" {
	keys 3 old > "$TMP/old.jsonl"
	dedup --state "$TMP/seen.tsv" --mark "$TMP/old.jsonl" > /dev/null
	cp "$TMP/seen.tsv" "$TMP/seen.before"
	run2 timeout 120 bash -o pipefail -c "$(declare -f endless); endless | dedup --state '$TMP/seen.tsv' --update | head -n 1"
	[ "$status" -eq 141 ]
	[ "$out" = '{"id":"e:0","title":"Paper 0 on neural nets"}' ]
	cmp "$TMP/seen.tsv" "$TMP/seen.before"
	no_temp_files "$TMP"
}
