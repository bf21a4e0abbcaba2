#!/usr/bin/env bats
# classify --like (TF-IDF cosine to a library) and --train --verdicts.
load helper

L="$FIX/classify-like"

@test "--like: exact scores on a tiny library, the mean of the k nearest; --explain names them" {
	run2 classify --like "$L/library.jsonl" -x "$L/records.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(sed -n 1p "$TMP/out")" = '{"id":"r1","title":"Neural graphs","score":0.3931,"explain":{"like":{"score":0.3931,"nearest":["a"]}}}' ]
	[ "$(sed -n 2p "$TMP/out")" = '{"id":"r2","title":"Soil","summary":"Soil and graphs.","score":0.3437,"explain":{"like":{"score":0.3437,"nearest":["a","b"]}}}' ]
	[ "$(sed -n 3p "$TMP/out")" = '{"id":"r3","title":"Quantum dots","score":0,"explain":{"like":{"score":0}}}' ]
	# the jansson path writes the same
	classify --like "$L/library.jsonl" -x --full-parse "$L/records.jsonl" | cmp - "$TMP/out"
}

@test "--like --nearest 1 -t: the cosine of the nearest paper; the tag 'like' at the threshold, --keep like" {
	run2 classify --like "$L/library.jsonl" --nearest 1 -t 0.5 "$L/records.jsonl"
	[ "$status" -eq 0 ]
	[ "$(sed -n 1p "$TMP/out")" = '{"id":"r1","title":"Neural graphs","tags":["like"],"score":0.7862}' ]
	[ "$(sed -n 2p "$TMP/out")" = '{"id":"r2","title":"Soil","summary":"Soil and graphs.","score":0.3555}' ]
	run2 classify --like "$L/library.jsonl" --nearest 1 -t 0.5 --keep like "$L/records.jsonl"
	[ "$out" = '{"id":"r1","title":"Neural graphs","tags":["like"],"score":0.7862}' ]
	run2 classify --like "$L/library.jsonl" --keep like "$L/records.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: --keep like: --like gives only the tag 'like', and only with -t" ]
}

@test "--like: an empty library is a fatal error; a bad library line is reported with file:line, exit 1" {
	run2 classify --like "$L/library-empty.jsonl" "$L/records.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: $L/library-empty.jsonl: no paper in the library has words to compare (in its fields)" ]
	run2 classify --like "$L/library-bad.jsonl" "$L/records.jsonl"
	[ "$status" -eq 1 ]
	[ "$err" = "classify: $L/library-bad.jsonl:2: column 10: string or '}' expected near end of line" ]
	[ "$(wc -l <"$TMP/out")" -eq 4 ]
	[ "$(sed -n 1p "$TMP/out")" = '{"id":"r1","title":"Neural graphs","score":0.8165}' ]
}

@test "--like: options that do not fit" {
	run2 classify --like "$L/library.jsonl" -m "$L/library.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: --like ranks by a library: it takes no -r, -e, -m or --train" ]
	run2 classify --nearest 0 --like "$L/library.jsonl"
	[ "$status" -eq 2 ]
	[ "${err%%$'\n'*}" = "classify: --nearest 0: want a whole number from 1 to 100000" ]
	run2 classify --nearest 3 -e 'x: y'
	[ "$err" = "classify: --nearest is for --like" ]
}

@test "--train --verdicts: learns 'like' from ID<TAB>+ and ID<TAB>- lines, a later line wins, unused verdicts warned" {
	run2 classify --train "$TMP/m" --verdicts "$L/verdicts" "$L/library.jsonl" "$L/records.jsonl" "$L/records.jsonl"
	[ "$status" -eq 0 ]
	[ "$err" = "classify: $L/verdicts: warning: 1 verdict named no record read" ]
	grep -qx 'docs 3' "$TMP/m"
	grep -qx 'tag "like" 2 6' "$TMP/m"
	grep -qx 'none 1 4' "$TMP/m"
	run2 classify -m "$TMP/m" -t 0 "$L/records.jsonl"
	[ "$status" -eq 0 ]
	[ "$(jq -r '"\(.id) \(.score)"' "$TMP/out" | tr '\n' ' ')" = "r1 0.8711 r2 0.5298 r3 0.6 r4 0.6 " ]
	run2 classify --train "$TMP/m2" --verdicts "$L/verdicts" --labels tags "$L/records.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: --verdicts is for --train, instead of --labels" ]
}

@test "--verdicts: errors in the file are reported with file:line, exit 2, nothing written" {
	for c in "notab:2: no tab" "noid:2: no id before the tab" "sign:1: no '+' or '-' after the tab" \
	    "extra:1: more than '+' or '-' after the tab (a comment starts with '#')"; do
		run2 classify --train "$TMP/m" --verdicts "$L/verdicts-${c%%:*}" "$L/records.jsonl"
		[ "$status" -eq 2 ]
		[ "$err" = "classify: $L/verdicts-${c%%:*}:${c#*:}; want 'ID<TAB>+' or 'ID<TAB>-'" ]
		[ ! -e "$TMP/m" ]
	done
	printf 'zz\t-\n' >"$TMP/v"
	run2 classify --train "$TMP/m" --verdicts "$TMP/v" "$L/records.jsonl"
	[ "$status" -eq 2 ]
	[ "${err##*$'\n'}" = "classify: $TMP/m: not written: no record carries a label (no '+' verdict names a record read)" ]
}

@test "real corpus (../shared/corpus/real): --like ranks a field's held-out papers above other fields' (AUC > 0.7)" {
	[ -d "$SHARED/corpus/real/arxiv-new" ] || skip "no ../shared/corpus/real"
	command -v jq >/dev/null || skip "no jq"
	run2 "$TOP/bench/like-eval.sh"
	[ "$status" -eq 0 ]
	[ "$(sed -n 1p "$TMP/out" | awk "{ print \$1 }")" = field ]
	awk 'NR > 1 { if (!($5 > 0.7 && $6 > 0.7 && $7 > 0.7)) exit 1; n++ } END { exit n != 3 }' "$TMP/out"
}
