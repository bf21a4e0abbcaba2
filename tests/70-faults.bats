#!/usr/bin/env bats
# Fault injection across the programs: a full disk on stdout, a reader
# that goes away, bad UTF-8 and non-object lines in, no record dropped.

load helper

records() {
	feed2jsonl "$TOP"/examples/feeds/*.xml 2>/dev/null
}

# Each program with arguments that make it write every record it reads.
progs=(
	"feed2jsonl $TOP/examples/feeds/arxiv-cs.LG.rss.xml"
	"dedup"
	"classify -r $TOP/examples/rules"
	"render-md --layout list"
	"render-feed"
	"enrich --dry-run --model m --api-base http://127.0.0.1:9"
)

@test "a full disk on stdout: every program says so and exits 2" {
	records > "$TMP/in.jsonl"
	for p in "${progs[@]}"; do
		run2 sh -c "$p < \"$TMP/in.jsonl\" > /dev/full"
		[ "$status" -eq 2 ] || { echo "$p: status $status" >&2; return 1; }
		[[ "$err" == *"No space left on device"* ]] || { echo "$p: $err" >&2; return 1; }
	done
}

@test "a reader that goes away (| head -n 1): every program ends quietly" {
	for _ in 1 2 3 4 5 6 7 8; do records; done > "$TMP/in.jsonl"
	for p in "${progs[@]}"; do
		run2 bash -o pipefail -c "$p < \"$TMP/in.jsonl\" | head -n 1 > /dev/null"
		# SIGPIPE (141) or 0: either way nothing on stderr
		[ "$status" -eq 0 ] || [ "$status" -eq 141 ] || { echo "$p: status $status" >&2; return 1; }
		[ -z "$err" ] || { echo "$p: $err" >&2; return 1; }
	done
}

@test "a non-object line and invalid UTF-8: reported with the line number, the rest kept" {
	{ records | head -n 2; printf '[1,2]\n'; printf '{"id":"x","title":"bad \xff byte"}\n'; records | sed -n 3p; } > "$TMP/in.jsonl"
	for p in dedup "classify -r $TOP/examples/rules" "render-md --layout list"; do
		run2 sh -c "$p \"$TMP/in.jsonl\""
		[ "$status" -eq 1 ] || { echo "$p: status $status" >&2; return 1; }
		[[ "$err" == *"in.jsonl:3: not a JSON object"* ]] || { echo "$p: $err" >&2; return 1; }
		[[ "$err" == *"in.jsonl:4: "*"UTF-8"* ]] || { echo "$p: $err" >&2; return 1; }
	done
	run2 dedup "$TMP/in.jsonl"
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 3 ]
}
