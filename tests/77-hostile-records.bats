#!/usr/bin/env bats
# Issue 11, hostile input: dates that leave 0000..9999, numbers beyond int64
# or a double and keys given twice in valid records, a classify model or
# rules that would give NaN, and inputs that made dedup and classify
# quadratic.

load helper

H="$FIX/dedup/hostile-records/input.jsonl"
RULES=(-e 'big: beyond' -e 'first: first' -e 'last: last' -e 'plain: plain')

setup() {
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	SERVER=
}

teardown() {
	[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
	rm -rf "$TMP"
}

# tests/llmserver.py on 127.0.0.1, as in 60-enrich.bats
serve() {
	start_server llmserver.py
	export FEEDPIPE_API_BASE="http://127.0.0.1:$PORT/v1"
	export FEEDPIPE_MODEL=test-model XDG_CACHE_HOME="$TMP/xdg"
}

# run2, and the CPU seconds (user) it took in $secs: a time limit that the
# machine's load does not move
timed() {
	local TIMEFORMAT=%U
	set +e
	{ time "$@" > "$TMP/out" 2> "$TMP/err"; } 2> "$TMP/time"
	status=$?
	set -e
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
	secs=$(cat "$TMP/time")
}

# is $secs under $1?
under() {
	awk -v s="$secs" -v max="$1" 'BEGIN { exit !(s + 0 < max + 0) }' ||
		{ echo "took $secs s of CPU, over $1 s" >&2; return 1; }
}

# ---- finding 7: dates ----

@test "dates: outside 0000..9999 in UTC or a negative year are left out; 69 is 1969" {
	d="$FIX/feed2jsonl/hostile-dates"
	cd "$d"
	run2 feed2jsonl input
	cd - >/dev/null
	same "$TMP/out" "$d/expected"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
	[ "$(jq -r '.published // "-"' "$d/expected" | tr '\n' ' ')" = \
	    "- - 9999-12-31T23:59:59Z 1969-01-16T05:00:00Z 2049-01-16T05:00:00Z - 2025-01-16T00:00:00Z " ]
}

@test "dates: --now and --since refuse what RFC 3339 cannot say" {
	run2 dedup --now '31 Dec 9999 23:59:59 -2359' "$H"
	[ "$status" -eq 2 ]
	[ -z "$out" ]
	[ "$err" = "dedup: --now 31 Dec 9999 23:59:59 -2359: want a time such as 2025-01-16T05:00:00Z" ]
	run2 classify -e 'x: y' --since '16 Jan -2025' "$H"
	[ "$status" -eq 2 ]
	[ -z "$out" ]
	[[ "$err" == "classify: --since 16 Jan -2025: want a date"* ]]
}

# ---- finding 8: valid records that were dropped ----

@test "dedup: numbers beyond int64 or a double and duplicate keys pass, byte for byte" {
	d="$FIX/dedup/hostile-records"
	run2 dedup "$H"
	same "$TMP/out" "$d/expected"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
	# a big number is a key by its text; the escaped "id" is the id
	run2 dedup -k .n "$H"
	same "$TMP/out" "$d/expected-n"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
	# merged records are written anew with the numbers as they came
	run2 dedup --merge -k .n -k .id "$H"
	same "$TMP/out" "$d/expected-merge"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
}

@test "classify: the same records pass; the fast and the jansson path read the last value" {
	d="$FIX/classify/hostile-records"
	run2 classify "${RULES[@]}" "$H"
	same "$TMP/out" "$d/expected"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
	run2 classify --full-parse "${RULES[@]}" "$H"
	same "$TMP/out" "$d/expected-full"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
	# the same tags either way, and "first title" (overridden) gives none
	[ "$(jq -c .tags "$d/expected" | tr '\n' ' ')" = "$(jq -c .tags "$d/expected-full" | tr '\n' ' ')" ]
	! grep -q '"first"' "$d/expected"
}

@test "classify --train reads labels given twice as their last value" {
	printf '%s\n' '{"title":"alpha beta gamma","tags":["a"],"tags":["b"]}' \
	    '{"title":"delta epsilon zeta","\u0074ags":["c"],"n":1e400}' > "$TMP/l.jsonl"
	run2 classify --train "$TMP/m" "$TMP/l.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(grep '^tag ' "$TMP/m" | tr '\n' ' ')" = 'tag "b" 1 3 tag "c" 1 3 ' ]
}

@test "render-md: big numbers shown as their text; the last of a key given twice" {
	d="$FIX/render-md/hostile-records"
	run2 render-md -t "$d/template.mustache" "$H"
	same "$TMP/out" "$d/expected"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
	run2 render-md -l toc -g .n -g .id "$H"
	same "$TMP/out" "$d/expected-toc"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
}

@test "enrich: the same records pass, spliced or rebuilt with the numbers as they came" {
	serve
	run2 enrich --no-cache -f title "$H"
	same "$TMP/out" "$FIX/enrich/hostile-records/expected-title"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
	run2 enrich --dry-run --no-cache "$H"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -r '"\(.line) \(.id)"' | tr '\n' ' ')" = \
	    "1 big:1 2 big:2 3 dup:2 4 dup:4 5 dup:2 6 big:3 " ]
}

@test "a bad line after a big number is still reported at jansson's column" {
	printf '%s\n' '{"n":1e400,"b":tru}' '{"n":-99999999999999999999,"s":"\u0000"}' > "$TMP/bad.jsonl"
	for p in dedup "classify -e x:y" "render-md"; do
		run2 $p "$TMP/bad.jsonl"
		[ "$status" -eq 1 ] || { echo "$p: status $status" >&2; return 1; }
		[ -z "$out" ] || [ "$p" = render-md ] || { echo "$p: $out" >&2; return 1; }
		[ "$err" = "${p%% *}: $TMP/bad.jsonl:1: column 18: invalid token near 'tru'
${p%% *}: $TMP/bad.jsonl:2: column 39: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"\\u0000\"'" ] ||
			{ echo "$p: $err" >&2; return 1; }
	done
}

# ---- finding 11: no NaN, no invalid JSON ----

@test "classify: a model's alpha that would give NaN is refused with MODEL:LINE" {
	for a in 1e-320 1e308 0 -1 nan inf x; do
		sed "s/^alpha 1\$/alpha $a/" "$FIX/classify/model.expected" > "$TMP/m"
		run2 classify -x -m "$TMP/m" "$FIX/classify/heldout.jsonl"
		[ "$status" -eq 2 ] || { echo "alpha $a: status $status" >&2; return 1; }
		[ -z "$out" ]
		[ "$err" = "classify: $TMP/m:4: alpha: expected a number from 1e-9 to 1e9" ] ||
			{ echo "alpha $a: $err" >&2; return 1; }
	done
	# the bounds themselves work, and every line is JSON with finite scores
	for a in 1e-9 1e9; do
		sed "s/^alpha 1\$/alpha $a/" "$FIX/classify/model.expected" > "$TMP/m"
		run2 classify -x -t 0 -m "$TMP/m" "$FIX/classify/heldout.jsonl"
		[ "$status" -eq 0 ]
		[ -z "$err" ]
		printf '%s\n' "$out" | jq -e '[.. | numbers] | all(isnormal or . == 0)' > /dev/null
		! printf '%s\n' "$out" | grep -qiE 'nan|inf'
	done
}

@test "classify: a model whose word line lists classes out of order is refused" {
	sed 's/^absorption 0:1$/absorption 2:1 0:1/' "$FIX/classify/model.expected" > "$TMP/m"
	run2 classify -m "$TMP/m" "$FIX/classify/heldout.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: $TMP/m:11: class 0 after class 2: expected the classes in increasing order" ]
}

@test "classify: rule weights and thresholds that could overflow are refused" {
	run2 classify -x -e 'big: beyond^1e300 integers^1e300' "$H"
	[ "$status" -eq 2 ]
	[ -z "$out" ]
	[ "$err" = "classify: -e#1:1: column 12: '^' wants a weight from -1e9 to 1e9" ]
	run2 classify -e 'big in title^1e10: beyond' "$H"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: -e#1:1: column 13: '^' wants a weight from -1e9 to 1e9" ]
	run2 classify -e 'big >= 1e300: beyond' "$H"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: -e#1:1: column 8: '>=' wants a threshold from -1e18 to 1e18" ]
	# the largest weights still give finite JSON scores
	run2 classify -x -e 'big in title^1e9: beyond^1e9 integers^1e9 reals^-1e9' "$H"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | grep -o '"score":[^,}]*' | tr '\n' ' ')" = '"score":2e18 "score":2e18 "score":0 ' ]
}

# ---- finding 13: quadratic cases ----

# A model of N tags, each with a word of its own, and one word in all.
many_tags_model() {
	awk -v n="$1" 'BEGIN {
		print "feedpipe-classify-model 1"; print "fields \"title\""
		print "alpha 1"; print "docs " n
		for (i = 0; i < n; i++) printf "tag \"t%d\" 1 2\n", i
		printf "words %d\ncommon", n + 1
		for (i = 0; i < n; i++) printf " %d:1", i
		print ""
		for (i = 0; i < n; i++) print "w" i " " i ":1"
		print "end" }'
}

@test "classify: a model of 200k tags loads in near-linear time (was over 10 min)" {
	not_under_valgrind "a time limit"
	many_tags_model 200000 > "$TMP/m"
	echo '{"title":"common w5"}' > "$TMP/in.jsonl"
	timed classify -t 0.2 -m "$TMP/m" "$TMP/in.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	under 10
}

@test "classify --train: 40k distinct labels in near-linear time (was 13 s)" {
	not_under_valgrind "a time limit"
	awk 'BEGIN { for (i = 0; i < 40000; i++)
		printf "{\"title\":\"shared words about topic w%d\",\"tags\":[\"l%d\"]}\n", i, i }' > "$TMP/l.jsonl"
	timed classify --train "$TMP/m" "$TMP/l.jsonl"
	[ "$status" -eq 0 ]
	under 3
	[ "$(grep -c '^tag ' "$TMP/m")" -eq 40000 ]
	# a word in every class lists them all, in file order
	[ "$(grep '^shared ' "$TMP/m" | wc -w)" -eq 40001 ]
	# and the model reads back; w123 makes l123 the most probable tag
	run2 sh -c "echo '{\"title\":\"about topic w123\"}' | classify -1 -t 0 -m '$TMP/m'"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -c .tags)" = '["l123"]' ]
}

# N records whose titles are 10 words of a vocabulary of 20: every title
# shares most words with every other.
small_vocabulary() {
	awk -v n="$1" 'BEGIN { srand(7); for (i = 0; i < n; i++) { t = ""
		for (k = 0; k < 10; k++) t = t " word" int(rand() * 20)
		printf "{\"id\":\"r%d\",\"title\":\"%s\"}\n", i, t } }'
}

@test "dedup --title=0.9: near-duplicates of other sizes still found through the parts" {
	{
		echo '{"id":"1","title":"alpha beta gamma delta epsilon zeta eta theta iota kappa"}'
		echo '{"id":"2","title":"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda"}'
		echo '{"id":"3","title":"beta gamma delta epsilon zeta eta theta iota kappa"}'
		echo '{"id":"4","title":"alpha beta gamma delta epsilon zeta eta theta iota mu"}'
		echo '{"id":"5","title":"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"}'
	} > "$TMP/t.jsonl"
	# 2 and 3 are 10/11 and 9/10 alike to 1; 4 is 9/11; 5 is 11/12 alike to 2
	run2 dedup --title=0.9 "$TMP/t.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "1 4 " ]
	run2 dedup --merge --title=0.9 "$TMP/t.jsonl"
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "1 4 " ]
	run2 dedup --title=0.8 "$TMP/t.jsonl"
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "1 " ]
}

@test "dedup --title=0.9 on a small vocabulary: near-linear (200k records: was 15 s)" {
	not_under_valgrind "a time limit"
	small_vocabulary 200000 > "$TMP/s.jsonl"
	timed dedup --title=0.9 "$TMP/s.jsonl"
	[ "$status" -eq 0 ]
	under 8
	[ "$(printf '%s\n' "$out" | wc -l)" -gt 100000 ]
}

@test "dedup --title on a small vocabulary: the same records as comparing every pair" {
	small_vocabulary 400 > "$TMP/s.jsonl"
	for t in 0.9 0.8 0.6; do
		dedup --title=$t "$TMP/s.jsonl" | jq -r .id > "$TMP/got"
		# every pair, in awk: dropped if similar to any earlier title
		jq -r '.title' "$TMP/s.jsonl" | awk -v t=$t '
		{ n[NR] = 0; delete seen
		  for (i = 1; i <= NF; i++) if (!($i in seen)) { seen[$i]; w[NR, ++n[NR]] = $i }
		  dup = 0
		  for (j = 1; j < NR && !dup; j++) {
			c = 0
			for (a = 1; a <= n[NR]; a++) for (b = 1; b <= n[j]; b++) if (w[NR, a] == w[j, b]) c++
			if (c >= t * (n[NR] + n[j] - c) - 1e-9) dup = 1
		  }
		  if (!dup) print "r" NR - 1 }' > "$TMP/want"
		same "$TMP/got" "$TMP/want"
	done
}
