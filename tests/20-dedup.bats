#!/usr/bin/env bats
# dedup: keys, titles, --merge, the state file (format, refusal, expiry,
# crashes, concurrent runs), bad input, exit codes.

load helper

D="$FIX/dedup"
NOW=2025-02-01T00:00:00Z
HEADER='# feedpipe dedup state v2'

# Run dedup on a fixture's input.jsonl from inside its directory; compare
# stdout with the named expected file; stderr must be empty, status 0.
check() {
	local dir="$D/$1" want=$2
	shift 2
	cd "$dir"
	run2 dedup "$@" input.jsonl
	cd - >/dev/null
	same "$TMP/out" "$dir/$want"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
}

# Records {"id":"PREFIX:N"} for N in 1..COUNT.
records() {
	awk -v p="$1" -v n="$2" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"id\":\"%s:%d\"}\n", p, i }'
}

@test "the seed case: 55 records from seven feeds, 8 cross-listed twice, give 47, byte for byte" {
	check seed55 expected
	[ "$(wc -l < "$D/seed55/input.jsonl")" -eq 55 ]
	[ "$(wc -l < "$D/seed55/expected")" -eq 47 ]
}

@test "the seed case merged: 47 records, the cross-listings folded into the first" {
	check seed55 expected-merge --merge
	[ "$(jq -c 'select(.also)' "$D/seed55/expected-merge" | wc -l)" -eq 8 ]
	# what was not merged is the input line as it was
	grep -vF '"also"' "$D/seed55/expected-merge" | while IFS= read -r line; do
		grep -qxF "$line" "$D/seed55/input.jsonl"
	done
}

@test "-k .id: the first of each id, in input order; missing and empty ids never match" {
	check merge expected -k .id
	[ "$(grep -c 'never a duplicate' "$D/merge/expected")" -eq 2 ]
	[ "$(grep -c 'empty id' "$D/merge/expected")" -eq 2 ]
}

@test "-k: any shared key makes a duplicate (a preprint and its journal version share a DOI)" {
	printf '%s\n' \
		'{"id":"arxiv:2501.00404","doi":"10.1103/PhysRevB.111.000404","link":"https://arxiv.org/abs/2501.00404"}' \
		'{"id":"doi:10.1103/physrevb.111.000404","doi":"10.1103/PhysRevB.111.000404","link":"http://link.aps.org/doi/10.1103/PhysRevB.111.000404"}' \
		'{"id":"url:https://labnotes.example.org/a","link":"https://labnotes.example.org/a"}' \
		'{"id":"guid:tag:labnotes,2025:a","link":"https://labnotes.example.org/a"}' \
		'{"id":"x","doi":"https://labnotes.example.org/a"}' > "$TMP/in"
	# the default identity meets the preprint's DOI in the journal's id
	run2 dedup "$TMP/in"
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "arxiv:2501.00404 url:https://labnotes.example.org/a guid:tag:labnotes,2025:a x " ]
	run2 dedup -k .id -k .doi -k .link "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "arxiv:2501.00404 url:https://labnotes.example.org/a x " ]
	# the comma form is the same; a value under another path is another key
	run2 dedup -k id,doi,.link "$TMP/in"
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "arxiv:2501.00404 url:https://labnotes.example.org/a x " ]
}

@test "-k: nested paths, array indexes, quoted keys; numbers match by value" {
	printf '%s\n' \
		'{"id":1,"feed":{"name":"a"},"categories":["cs.LG","x"],"odd key":"k"}' \
		'{"id":1.0,"feed":{"name":"b"},"categories":["cs.CL"],"odd key":"k"}' \
		'{"id":"1","feed":{"name":"a"},"categories":["cs.LG","cs.CL"]}' \
		'{"id":1e0,"feed":{"name":"c"},"categories":[]}' \
		'{"id":2,"feed":{"name":"d"},"categories":null,"odd key":null}' > "$TMP/in"
	run2 dedup "$TMP/in"
	[ "$(printf '%s\n' "$out" | jq -c .id | tr '\n' ' ')" = '1 2 ' ]
	run2 dedup -k .feed.name "$TMP/in"
	[ "$(printf '%s\n' "$out" | jq -r .feed.name | tr '\n' ' ')" = 'a b c d ' ]
	run2 dedup -k '.categories[0]' "$TMP/in"
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ]
	run2 dedup -k '.categories[-1]' "$TMP/in"
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ]
	run2 dedup -k '."odd key"' "$TMP/in"
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ]
	run2 dedup -k '.["odd key"],.feed.name' "$TMP/in"
	[ "$(printf '%s\n' "$out" | jq -r .feed.name | tr '\n' ' ')" = 'a c d ' ]
}

@test "the jansson path agrees with the scanner path on the same records" {
	# an escaped key sends every line to jansson; strip it again afterwards
	for f in seed55 titles merge; do
		sed 's/^{/{"x\\u002dnote":1,/' "$D/$f/input.jsonl" > "$TMP/esc"
		for opts in "" "--merge" "-k .id,.doi,.link --title=0.85" "--merge -k .id,.doi -t"; do
			dedup $opts "$D/$f/input.jsonl" > "$TMP/plain"
			dedup $opts "$TMP/esc" | sed 's/^{"x\(\\u002d\|-\)note":1,/{/' > "$TMP/viajansson"
			same "$TMP/viajansson" "$TMP/plain"
		done
	done
	# escapes in values decode before they are compared
	printf '%s\n' '{"id":"arxiv:2501.08341"}' '{"id":"arxiv:2501\u002e08341"}' '{"\u0069d":"arxiv:2501.08341"}' > "$TMP/in"
	run2 dedup "$TMP/in"
	[ "$out" = '{"id":"arxiv:2501.08341"}' ]
}

@test "--title: equal titles after case, TeX, accents, Unicode dashes and punctuation are normalised" {
	check titles expected-exact -t
	check titles expected-exact --title
	# the Wiley title with U+2010 hyphens against its ASCII form, and TeX
	grep -q 'Learning‐Assisted' "$D/titles/expected-exact"
	! grep -q 'Learning-Assisted' "$D/titles/expected-exact"
	! grep -q 'Schrödinger' "$D/titles/expected-exact"
	# one-word titles ("Editorial") identify nothing
	[ "$(grep -c '"Editorial"' "$D/titles/expected-exact")" -eq 2 ]
}

@test "--title=T: near-duplicates by word-set similarity; Part I/II and corrections stay apart" {
	check titles expected-0.9 --title=0.9
	check titles expected-0.85 --title=0.85
	check titles expected-0.8 --title=0.8
	# 0.9: "short trajectories" vs "short, noisy trajectories" (0.923) only
	! grep -q 'noisy' "$D/titles/expected-0.9"
	grep -q 'science.adi2336' "$D/titles/expected-0.9"
	# 0.85 also drops the GraphCast (0.875) and E(3) (0.857) journal titles
	! grep -q 'science.adi2336' "$D/titles/expected-0.85"
	! grep -q 'E(3)-equivariant' "$D/titles/expected-0.85"
	grep -q 'Part II' "$D/titles/expected-0.85"
	grep -q 'Author Correction' "$D/titles/expected-0.85"
	# 0.8 is too low: the Author Correction (0.846) is taken for its paper
	! grep -q 'Author Correction' "$D/titles/expected-0.8"
	grep -q 'Part II' "$D/titles/expected-0.8"
	# a v2 retitle keeps its arXiv id: the key catches it, not the title
	[ "$(grep -c 'arxiv:1606.08415' "$D/titles/expected")" -eq 1 ]
}

@test "--title stays fast on many titles (an index, not all pairs)" {
	awk 'BEGIN { srand(7); for (i = 0; i < 20000; i++) { t = ""; for (j = 0; j < 9; j++) t = t " w" int(rand() * 50000); printf "{\"id\":\"%d\",\"title\":\"%s\"}\n", i, t } }' > "$TMP/in"
	run2 timeout 20 dedup --title=0.8 "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 20000 ]
}

@test "--merge: categories, also, announce type, version; unmerged records byte for byte" {
	check merge expected-merge --merge -k .id
	check merge expected-merge-doi --merge -k .id,.doi
	r=$(grep 2501.00101 "$D/merge/expected-merge" | jq -c '[.categories, .also, .arxiv.announce_type, .arxiv.version]')
	[ "$r" = '[["physics.comp-ph","cs.LG","cond-mat.soft","stat.ML"],["physics.comp-ph","stat.ML"],"new",2]' ]
	# the journal version, found by its DOI, gives what the preprint lacked
	r=$(grep 2501.00404 "$D/merge/expected-merge-doi" | jq -c '[.also, .journal, .arxiv.announce_type]')
	[ "$r" = '[["cond-mat.other","prb"],"Phys. Rev. B 111, 000404","cross"]' ]
	grep -qxF '{"id": "arxiv:2501.00202", "title": "Unmerged Records Keep Their Own Spacing",  "link": "https://arxiv.org/abs/2501.00202", "feed": {"name": "cs.LG"}}' "$D/merge/expected-merge"
}

@test "--merge reads pipes as well as files, and the same from both" {
	cat "$D/seed55/input.jsonl" | dedup --merge > "$TMP/pipe"
	same "$TMP/pipe" "$D/seed55/expected-merge"
	dedup --merge - < "$D/seed55/input.jsonl" > "$TMP/stdin"
	same "$TMP/stdin" "$D/seed55/expected-merge"
	head -n 20 "$D/seed55/input.jsonl" > "$TMP/a"
	tail -n +21 "$D/seed55/input.jsonl" > "$TMP/b"
	cat "$TMP/b" | dedup --merge "$TMP/a" - > "$TMP/mixed"
	same "$TMP/mixed" "$D/seed55/expected-merge"
}

@test "bad lines: FILE:LINE: message, the rest processed, exit 1" {
	cd "$D/bad-lines"
	run2 dedup input.jsonl
	cd - >/dev/null
	same "$TMP/out" "$D/bad-lines/expected"
	same "$TMP/err" "$D/bad-lines/stderr"
	[ "$status" -eq "$(cat "$D/bad-lines/status")" ]
	# --merge reports the same
	cd "$D/bad-lines"
	run2 dedup --merge input.jsonl
	cd - >/dev/null
	same "$TMP/err" "$D/bad-lines/stderr"
	[ "$status" -eq 1 ]
}

@test "stdin and - are <stdin>; a missing file is reported and the rest still read" {
	run2 sh -c 'printf "{\"id\":\"a\"}\nnope\n{\"id\":\"a\"}\n" | dedup'
	[ "$status" -eq 1 ]
	[ "$out" = '{"id":"a"}' ]
	[ "$err" = "dedup: <stdin>:2: column 4: invalid token near 'nope'" ]
	printf '{"id":"a"}\n{"id":"b"}\n' > "$TMP/in"
	run2 sh -c 'printf "{\"id\":\"b\"}\n{\"id\":\"c\"}\n" | dedup "$1" nosuchfile -' sh "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = 'a b c ' ]
	[ "$err" = "dedup: nosuchfile: No such file or directory" ]
}

@test "records pass as they came: spacing kept, blank lines skipped, CRLF ends become LF" {
	printf '{ "id" : "a" , "x":[1, 2] }\r\n\n  \n{"id":"a"}\n\t{"id":"b"}  \n{"id":"c"}' > "$TMP/in"
	run2 dedup "$TMP/in"
	[ "$status" -eq 0 ]
	printf '{ "id" : "a" , "x":[1, 2] }\n\t{"id":"b"}  \n{"id":"c"}\n' > "$TMP/want"
	same "$TMP/out" "$TMP/want"
	[ "$(od -c < "$TMP/out" | grep -c '\\r')" -eq 0 ]
}

@test "--state: a missing file is an empty state; --mark records keys with their first-seen time" {
	cd "$TMP"
	run2 dedup -k .id --state seen.tsv "$D/seed55/input.jsonl"
	[ "$status" -eq 0 ]
	[ "$(wc -l < out)" -eq 47 ]
	[ ! -e seen.tsv ]
	[ ! -e seen.tsv.lock ]	# reading takes no lock
	run2 dedup -k .id --state seen.tsv --mark --now 2025-01-21T06:00:00Z "$D/seed55/input.jsonl"
	[ "$status" -eq 0 ]
	same out "$D/seed55/input.jsonl"	# --mark drops nothing
	[ "$(head -n 1 seen.tsv)" = "$HEADER" ]
	[ "$(wc -l < seen.tsv)" -eq 48 ]
	grep -qxF "$(printf '.id\tarxiv:2501.11815\t2025-01-21T06:00:00Z')" seen.tsv
	# the same keys in the same order as their first records
	[ "$(tail -n +2 seen.tsv | cut -f 2)" = "$(jq -r .id "$D/seed55/expected")" ]
	# the next run drops them all, and a new one passes
	printf '{"id":"arxiv:2501.11815"}\n{"id":"arxiv:2502.00001"}\n' > new.jsonl
	run2 dedup -k .id --state seen.tsv new.jsonl
	[ "$out" = '{"id":"arxiv:2502.00001"}' ]
	# marking again keeps the first time seen
	run2 dedup -k .id --state seen.tsv --mark --now 2025-01-22T06:00:00Z new.jsonl
	grep -qxF "$(printf '.id\tarxiv:2501.11815\t2025-01-21T06:00:00Z')" seen.tsv
	grep -qxF "$(printf '.id\tarxiv:2502.00001\t2025-01-22T06:00:00Z')" seen.tsv
	[ "$(wc -l < seen.tsv)" -eq 49 ]
}

@test "the safe daily pattern: a failed digest leaves the papers for tomorrow" {
	cd "$TMP"
	dedup -k .id --state seen.tsv "$D/seed55/input.jsonl" > new.jsonl
	# the digest step fails: nothing is marked
	if false > digest.md; then dedup -k .id --state seen.tsv --mark new.jsonl > /dev/null; fi
	[ "$(dedup -k .id --state seen.tsv "$D/seed55/input.jsonl" | wc -l)" -eq 47 ]
	# it works the next day: marked only then
	dedup -k .id --state seen.tsv "$D/seed55/input.jsonl" > new.jsonl
	if true > digest.md; then dedup -k .id --state seen.tsv --mark new.jsonl > /dev/null; fi
	[ "$(dedup -k .id --state seen.tsv "$D/seed55/input.jsonl" | wc -l)" -eq 0 ]
}

@test "--update drops and records in one step" {
	cd "$TMP"
	run2 dedup -k .id --state s --update --now "$NOW" "$D/seed55/input.jsonl"
	[ "$(wc -l < out)" -eq 47 ]
	[ "$(wc -l < s)" -eq 48 ]
	run2 dedup -k .id --state s --update "$D/seed55/input.jsonl"
	[ -z "$out" ]
	[ "$status" -eq 0 ]
}

@test "--state with -k and --title: keys by path; id, .id and .[\"id\"] are one namespace" {
	cd "$TMP"
	printf '%s\n' '{"id":"a","doi":"10.1/x","title":"Deep learning and the Schrödinger equation"}' > day1
	dedup --state s --mark -k 'id,.["doi"]' -t --now "$NOW" day1 > /dev/null
	[ "$(cut -f 1,2 s)" = "$(printf '# feedpipe dedup state v2\n.id\ta\n.doi\t10.1/x\n~title\tdeep learning and the schrodinger equation')" ]
	printf '%s\n' '{"id":"b","doi":"10.1/x"}' '{"id":"10.1/x"}' '{"id":"c","title":"Deep Learning and the Schr\\\"odinger Equation"}' '{"id":"d"}' > day2
	[ "$(dedup --state s -k .id,.doi day2 | jq -r .id | tr '\n' ' ')" = '10.1/x c d ' ]
	[ "$(dedup --state s -k '.["id"]' --title day2 | jq -r .id | tr '\n' ' ')" = 'b 10.1/x d ' ]
	[ "$(dedup --state s --title=0.9 day2 | jq -r .id | tr '\n' ' ')" = 'b 10.1/x d ' ]
}

@test "state keys with tabs, newlines and backslashes are escaped and read back" {
	cd "$TMP"
	printf '%s\n' '{"id":"a\tb"}' '{"id":"c\nd\\e\r"}' > in
	dedup -k .id --state s --mark --now "$NOW" in > /dev/null
	[ "$(tail -n +2 s)" = "$(printf '.id\ta\\tb\t%s\n.id\tc\\nd\\\\e\\r\t%s' "$NOW" "$NOW")" ]
	[ -z "$(dedup -k .id --state s in)" ]
}

@test "--expire: keys first seen more than DAYS ago are forgotten, read or written" {
	cd "$TMP"
	printf '%s\n' "$HEADER" "$(printf '.id\told\t2024-12-01T00:00:00Z')" "$(printf '.id\trecent\t2025-01-30T00:00:00Z')" > s
	printf '{"id":"old"}\n{"id":"recent"}\n' > in
	[ "$(dedup -k .id --state s in)" = "" ]
	[ "$(dedup -k .id --state s --expire 30 --now "$NOW" in)" = '{"id":"old"}' ]
	dedup -k .id --state s --mark --expire 30 --now "$NOW" /dev/null > /dev/null
	[ "$(tail -n +2 s | cut -f 2)" = "recent" ]
	dedup -k .id --state s --mark --expire 0 --now "$NOW" /dev/null > /dev/null
	[ "$(cat s)" = "$HEADER" ]
}

@test "a foreign or corrupt state file is refused with a clear message and never overwritten" {
	cd "$TMP"
	printf '{"id":"a"}\n' > in
	check_refused() { # CONTENT MESSAGE
		printf '%b' "$1" > s
		sum=$(cksum < s)
		for opts in "" --mark --update; do
			run2 dedup -k .id --state s $opts in
			[ "$status" -eq 2 ]
			[ -z "$out" ]
			[ "$err" = "dedup: $2" ]
			[ "$(cksum < s)" = "$sum" ]
		done
	}
	check_refused '{"id":"a"}\n' "s: not a dedup state file (the first line is not \"$HEADER\"); refusing to read or overwrite it"
	check_refused '# feedpipe dedup state v3\n' "s: not a dedup state file (the first line is not \"$HEADER\"); refusing to read or overwrite it"
	check_refused "$HEADER\n.id\tx\n" "s:2: not a state line (want PATH<TAB>KEY<TAB>TIME); refusing to read or overwrite it"
	check_refused "$HEADER\n.id\tx\t2025-01-01T00:00:00Z\n\n" "s:3: not a state line (want PATH<TAB>KEY<TAB>TIME); refusing to read or overwrite it"
	check_refused "$HEADER\n.id\tx\t2025-02-30T00:00:00Z\n" "s:2: bad time \"2025-02-30T00:00:00Z\" (want YYYY-MM-DDTHH:MM:SSZ); refusing to read or overwrite it"
	check_refused "$HEADER\n.id\tx\\\\q\t2025-01-01T00:00:00Z\n" "s:2: bad escape in key (only \\\\ \\t \\n \\r); refusing to read or overwrite it"
	check_refused "$HEADER\n.id\tx\0y\t2025-01-01T00:00:00Z\n" "s:2: NUL byte: not a dedup state file; refusing to read or overwrite it"
	mkdir d
	run2 dedup -k .id --state d in
	[ "$status" -eq 2 ]
	[ "$err" = "dedup: d: not a regular file; refusing to read or overwrite it" ]
	# an empty file is an empty state
	: > s
	run2 dedup -k .id --state s --mark in
	[ "$status" -eq 0 ]
	[ "$(wc -l < s)" -eq 2 ]
}

@test "kill -9 while the state is written leaves the old file or the new one, never a mix" {
	cd "$TMP"
	awk -v h="$HEADER" 'BEGIN { print h; for (i = 0; i < 1000000; i++) printf ".id\tarxiv:2401.%07d\t2025-01-01T00:00:00Z\n", i }' > old
	records new 50000 > in
	cp old ref
	dedup -k .id --state ref --mark --now "$NOW" in > /dev/null
	[ "$(wc -l < ref)" -eq 1050001 ]
	o=$(cksum < old) n=$(cksum < ref) caught=0
	for delay in 0 0.01 0.02 0.03 0.05 0.08 0.1 0.15; do
		cp old s
		dedup -k .id --state s --mark --now "$NOW" in > /dev/null &
		pid=$!
		# wait until it has started writing, then a little more
		while ! compgen -G 's.tmp.*' > /dev/null && kill -0 "$pid" 2>/dev/null; do :; done
		sleep "$delay"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" || true
		c=$(cksum < s)
		[ "$c" = "$o" ] || [ "$c" = "$n" ]
		if compgen -G 's.tmp.*' > /dev/null; then caught=$((caught + 1)); fi
		rm -f s.tmp.*
	done
	echo "killed in the middle of writing $caught times of 8" >&3
	# leftovers of a killed run are removed by the next one that writes
	cp old s
	: > s.tmp.99999
	dedup -k .id --state s --mark --now "$NOW" in > /dev/null
	[ ! -e s.tmp.99999 ]
	[ "$(cksum < s)" = "$n" ]
}

@test "two --mark runs at once on one state file: the keys of both end up in it" {
	cd "$TMP"
	records a 30000 > a
	records b 30000 > b
	for round in 1 2 3; do
		rm -f s
		dedup -k .id --state s --mark a > /dev/null &
		p1=$!
		dedup -k .id --state s --mark b > /dev/null &
		p2=$!
		wait "$p1"
		wait "$p2"
		[ "$(grep -c "^\.id	a:" s)" -eq 30000 ]
		[ "$(grep -c "^\.id	b:" s)" -eq 30000 ]
		[ "$(wc -l < s)" -eq 60001 ]
	done
}

@test "a run that writes waits for the lock" {
	command -v flock > /dev/null || skip "no flock(1)"
	cd "$TMP"
	records a 10 > a
	flock s.lock sleep 3 &
	holder=$!
	sleep 0.5
	run2 timeout 1 dedup -k .id --state s --mark a
	[ "$status" -eq 124 ]
	[ ! -e s ]
	wait "$holder"
	run2 dedup -k .id --state s --mark a
	[ "$status" -eq 0 ]
	[ "$(wc -l < s)" -eq 11 ]
}

@test "a symlinked state file: the target is replaced, the link kept" {
	cd "$TMP"
	mkdir real
	printf '%s\n' "$HEADER" > real/s
	ln -s real/s s
	printf '{"id":"a"}\n' > in
	dedup -k .id --state s --mark in > /dev/null
	[ -L s ]
	[ "$(wc -l < real/s)" -eq 2 ]
}

@test "write error on stdout: message, exit 2, and the state is left alone" {
	run2 sh -c 'dedup "$1" > /dev/full' sh "$D/seed55/input.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "dedup: <stdout>: write error: No space left on device" ]
	run2 sh -c 'dedup --merge "$1" > /dev/full' sh "$D/seed55/input.jsonl"
	[ "$status" -eq 2 ]
	cd "$TMP"
	printf '%s\n' "$HEADER" > s
	run2 sh -c 'dedup --state s --update "$1" > /dev/full' sh "$D/seed55/input.jsonl"
	[ "$status" -eq 2 ]
	[ "$(cat s)" = "$HEADER" ]
	# and a big output fails as it goes, not only at the end
	records x 200000 > big
	run2 sh -c 'dedup big > /dev/full'
	[ "$status" -eq 2 ]
	[ "$err" = "dedup: <stdout>: write error: No space left on device" ]
}

@test "a closed pipe ends quietly" {
	run2 sh -c 'dedup "$1" | head -n 1 > /dev/null' sh "$D/seed55/input.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
}

@test "--help, --version, usage errors exit 2" {
	run2 dedup --help
	[ "$status" -eq 0 ]
	[[ "$out" == "usage: dedup "* ]]
	[ -z "$err" ]
	run2 dedup --version
	[[ "$out" == "dedup "[0-9]* ]]
	for args in --bogus "--mark" "--update x" "--expire 3" "--state s --mark --update" \
	    "--state s --mark --merge" "--title=0" "--title=1.5" "--title=x" "--expire -1" \
	    "--now yesterday" "-k" "-k .a..b" "-k ."; do
		run2 dedup $args /dev/null
		[ "$status" -eq 2 ] || { echo "status $status for: $args" >&2; return 1; }
		[ -n "$err" ]
		[ -z "$out" ]
	done
	run2 dedup --mark /dev/null
	[[ "$err" == "dedup: --mark needs --state"* ]]
	run2 dedup -k .a..b /dev/null
	[[ "$err" == "dedup: -k '.a..b': column 4: unexpected '.', expected a key"* ]]
}

@test "memory grows with the keys, not the records" {
	command -v /usr/bin/time > /dev/null || skip "no /usr/bin/time"
	# 1,000 keys in 10,000 and in 200,000 records of 1.5 KB
	awk 'BEGIN { s = sprintf("%1500s", ""); for (i = 0; i < 200000; i++) printf "{\"id\":\"k%d\",\"summary\":\"%s\"}\n", i % 1000, s }' > "$TMP/in"
	head -n 10000 "$TMP/in" > "$TMP/small"
	/usr/bin/time -f %M -o "$TMP/rss1" dedup "$TMP/small" > "$TMP/out1"
	/usr/bin/time -f %M -o "$TMP/rss2" dedup "$TMP/in" > "$TMP/out2"
	same "$TMP/out2" "$TMP/out1"
	[ "$(wc -l < "$TMP/out1")" -eq 1000 ]
	# 300 MB more input, under 2 MB more memory
	[ $(($(tail -n 1 "$TMP/rss2") - $(tail -n 1 "$TMP/rss1"))) -lt 2048 ]
}
