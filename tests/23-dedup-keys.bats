#!/usr/bin/env bats
# dedup: a record's keys read the same from the text and from jansson, by
# the paper's identity and by -k; --merge's inputs, each read again by its
# own name.

load helper

K="$FIX/dedup-keys"
S="$FIX/dedup/seed55"

@test "identity: ids, PMIDs and DOIs as numbers are keys by value, from the scanner and from jansson" {
	run2 dedup "$K/numbers.jsonl"
	same "$TMP/out" "$K/numbers.expected"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
}

@test "-k .id: 1, 1.0, 1e0 and \"1\" are one key, escaped member names too" {
	printf '%s\n' '{"id":1,"t":"a"}' '{"id":1.0}' '{"\u0069d":1e0}' '{"id":"1"}' \
	    '{"id":2.5e-3}' '{"id":0.0025}' '{"id":[1]}' '{"id":[1]}' > "$TMP/in"
	run2 dedup -k .id "$TMP/in"
	[ "$out" = '{"id":1,"t":"a"}
{"id":2.5e-3}
{"id":[1]}
{"id":[1]}' ]
	[ -z "$err" ]
	[ "$status" -eq 0 ]
}

@test "--merge: a file named twice, or as a file and as stdin, merges as if named once" {
	dedup --merge "$S/input.jsonl" > "$TMP/once"
	same "$TMP/once" "$S/expected-merge"
	run2 dedup --merge "$S/input.jsonl" "$S/input.jsonl"
	same "$TMP/out" "$S/expected-merge"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
	run2 sh -c 'dedup --merge "$1" - "$1" < "$1"' sh "$S/input.jsonl"
	same "$TMP/out" "$S/expected-merge"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
}

@test "--merge: a bad line in the second input is reported with that input's name and line" {
	head -n 3 "$S/input.jsonl" > "$TMP/a.jsonl"
	{ head -n 2 "$S/input.jsonl"; echo '{"id": oops}'; } > "$TMP/b.jsonl"
	cd "$TMP"
	run2 dedup --merge a.jsonl b.jsonl
	[ "$status" -eq 1 ]
	[ "$out" = "$(dedup --merge a.jsonl)" ]
	[[ "$err" == "dedup: b.jsonl:3: "* ]]
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]
}

@test "number keys are written by the one number writer: 1e100 (not 1e+100), 1.0 as 1" {
	printf '%s\n' '{"n":1e100}' '{"n":1.0}' '{"n":0.1}' '{"n":1E+100}' '{"n":1}' > "$TMP/in.jsonl"
	run2 dedup -k .n "$TMP/in.jsonl"
	[ "$status" -eq 0 ]
	[ "$out" = '{"n":1e100}
{"n":1.0}
{"n":0.1}' ]
	dedup -k .n --mark --state "$TMP/st.tsv" --now 2026-12-04T00:00:00Z "$TMP/in.jsonl" > /dev/null
	[ "$(cut -f1,2 "$TMP/st.tsv" | tail -n +2)" = ".n	1e100
.n	1
.n	0.1" ]
}
