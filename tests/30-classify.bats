#!/usr/bin/env bats
# classify: match modes, fields, folding, negative terms, weights and
# thresholds, filters, --explain, dates, owned fields, the fast path against
# the jansson path, training and evaluation, errors and exit codes.

load helper

C="$FIX/classify"
NOW=2025-01-16T12:00:00Z

@test "a word matches whole words only, in any case" {
	tags_of -e 'w: learning'
	[ "$got" = "t:1=w t:2=w" ]
}

@test "prefix*, *suffix and *infix*" {
	tags_of -e 'p: ferroelec*'
	[ "$got" = "t:3=p" ]
	tags_of -e 's: *learning'
	[ "$got" = "t:1=s t:2=s" ]
	tags_of -e 'i: *magnet*'
	[ "$got" = "t:9=i t:10=i" ]
}

@test "a phrase: words in order across spaces, hyphens and U+2010, not reversed" {
	tags_of -e 'ph: "neural network"'
	[ "$got" = "t:1=ph t:4=ph" ]
	tags_of -e 'ph: "network neural"'
	[ "$got" = "t:5=ph" ]
	tags_of -e 'ph: "neural net*"'
	[ "$got" = "t:1=ph t:4=ph" ]
}

@test "a regex is case-sensitive unless /i, and sees the text unfolded" {
	tags_of -e 're: /\bDFT\b/'
	[ "$got" = "t:4=re t:10=re" ]
	tags_of -e 're: /\bdft\b/'
	[ "$got" = "" ]
	tags_of -e 're: /\bdft\b/i'
	[ "$got" = "t:4=re t:10=re" ]
	tags_of -e 're: /CO₂/'
	[ "$got" = "t:10=re" ]
}

@test "folding: accents, Greek and Cyrillic case, ß, TeX accents, CO₂" {
	tags_of -e 'g: συστημα*'
	[ "$got" = "t:7=g" ]
	tags_of -e 'c: "НЕЙРОННАЯ сеть"'
	[ "$got" = "t:8=c" ]
	tags_of -e 'de: strasse'
	[ "$got" = "t:9=de" ]
	tags_of -e 'tex: lowen'
	[ "$got" = "t:6=tex" ]
	tags_of -e 'co2: co2'
	[ "$got" = "t:10=co2" ]
}

@test "fields: .authors, .categories, .feed.name, .journal; strings of arrays one by one" {
	tags_of -e 'a in .authors: "hartmut lowen"'
	[ "$got" = "t:6=a" ]
	tags_of -e 'a in .authors: gross'
	[ "$got" = "t:9=a" ]
	tags_of -e 'a in .authors: "lowen benno"'
	[ "$got" = "" ]
	tags_of -e 'c in .categories: cs.LG'
	[ "$got" = "t:1=c" ]
	tags_of -e 'c in .categories: cond-mat*'
	[ "$got" = "t:2=c t:3=c" ]
	tags_of -e 'f in .feed.name: soft'
	[ "$got" = "t:6=f" ]
	tags_of -e 'f in .feed: "cond-mat.soft"'
	[ "$got" = "t:6=f" ]
	tags_of -e 'j in .journal: "Phys. Rev. Lett*"'
	[ "$got" = "t:3=j" ]
	tags_of -e 'first in .categories[0]: cs*'
	[ "$got" = "t:1=first" ]
	tags_of -e 'only in title: density'
	[ "$got" = "" ]
}

@test "a negative term vetoes its tag only" {
	tags_of -e 'm: *magnet* -survey' -e 'n: pedestrian'
	[ "$got" = "t:9=n t:10=m" ]
}

@test "weights and thresholds: >= N, field weights, negative weights, -t" {
	tags_of -e 'x >= 2: ferroelec* hbn'
	[ "$got" = "t:3=x" ]
	tags_of -e 'x >= 3: ferroelec* hbn'
	[ "$got" = "" ]
	tags_of -e 'x in title^3, summary >= 3: ferroelectric*'
	[ "$got" = "t:3=x" ]
	tags_of -e 'x: ferroelec*^2 antiferroelectric^-2'
	[ "$got" = "" ]
	tags_of -t 2 -e 'x: neural* learning*' -e 'y >= 1: neural*'
	[ "$got" = "t:1=x,y t:4=y t:5=y" ]
	run2 classify -e 'x: ferroelec*^0.1 hbn^0.2' "$C/records.jsonl"
	[ "$(printf '%s\n' "$out" | jq -c 'select(.tags) | .score')" = "0.3" ]
}

@test "comments: whole lines, and after a term; blank lines and comments do not end a rule" {
	printf '# topics\nML: learning # the usual\n\n  # more\n\t"neural network"\t# after a blank line\n' > "$TMP/rules"
	tags_of -r "$TMP/rules"
	[ "$got" = "t:1=ML t:2=ML t:4=ML" ]
}

@test "the whole record as a field: every string in it" {
	tags_of -e 'x in .: soft'
	[ "$got" = "t:6=x" ]
}

@test "several rules for one tag: their terms count together, each with its fields" {
	tags_of -e 'x in .authors: benno' -e 'y: ferro*' -e 'x in .journal: nature'
	[ "$got" = "t:3=y t:6=x t:10=x" ]
}

@test "tags in rule order, score the sum; --first keeps the first tag" {
	tags_of -e 'b: density' -e 'a: "neural network"'
	[ "$got" = "t:1=a t:4=b,a" ]
	tags_of --first -e 'b: density' -e 'a: "neural network"'
	[ "$got" = "t:1=a t:4=b" ]
}

@test "--keep, --drop, --untagged filter records" {
	tags_of -e 'ml: learning* "neural network"' -e 'mag: *magnet*' --keep mag
	[ "$got" = "t:9=mag t:10=mag" ]
	tags_of -e 'ml: learning* "neural network"' -e 'mag: *magnet*' -k ml,mag -d mag
	[ "$got" = "t:1=ml t:2=ml t:4=ml" ]
	run2 classify -e 'ml: learning* "neural network"' -e 'mag: *magnet*' --untagged "$C/records.jsonl"
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "t:3 t:5 t:6 t:7 t:8 " ]
}

@test "--explain: scores, thresholds, vetoes and hits with their fields" {
	run2 classify -x -r "$C/explain.rules" "$C/records.jsonl"
	same "$TMP/out" "$C/explain.expected"
	[ "$status" -eq 0 ]
}

@test "records pass through byte for byte; tags and score go before the closing brace" {
	run2 classify -x -r "$C/explain.rules" "$C/records.jsonl"
	paste -d '\n' "$C/records.jsonl" "$TMP/out" | while IFS= read -r a && IFS= read -r b; do
		case "$b" in
		"$a") ;;
		"${a%\}},\"tags\":"*|"${a%\}},\"explain\":"*) ;;
		*) echo "changed: $a -> $b" >&2; return 1 ;;
		esac
	done
}

@test "tags, score and explain already there are replaced, or removed when no tag is given" {
	run2 classify -e 'ml: learning "neural network"' "$C/owned.jsonl"
	[ "$status" -eq 0 ]
	[ "$out" = '{"id":"o:1","title":"Learning rates","summary":"x","tags":["ml"],"score":1}
{"id":"o:2","title":"Nothing here"}
{"id":"o:3","title":"Learning","tags":["ml"],"score":1}
{"title":"neural network","tags":["ml"],"score":1}' ]
}

@test "--since and --until: dates and durations before --now; undated records go" {
	run2 classify -e 'x: zzz' --now "$NOW" --since 2d "$C/records.jsonl"
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "t:1 t:2 " ]
	run2 classify -e 'x: zzz' --now "$NOW" --since 3d12h --until 1d12h "$C/records.jsonl"
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "t:3 t:4 " ]
	run2 classify -e 'x: zzz' --since 2025-01-15 --until 2025-01-16T05:00:00Z "$C/records.jsonl"
	[ "$(printf '%s\n' "$out" | jq -r .id)" = "t:2" ]
	printf '{"title":"a"}\n{"title":"b","published":"yesterday"}\n' > "$TMP/undated"
	run2 classify -e 'x: a' --since 1w "$TMP/undated"
	[ -z "$out" ]
	[ "$status" -eq 0 ]
	run2 classify -e 'x: a' --since 1y "$TMP/undated"
	[ "$status" -eq 2 ]
	[ "${err%%$'\n'*}" = "classify: --since 1y: want a date (2025-01-16, 2025-01-16T05:00:00Z) or a duration (1d, 12h, 2w)" ]
}

@test "the seed's classes: examples/rules --first gives each paper the digest's class" {
	run2 classify -r "$TOP/examples/rules" --first "$C/seed.jsonl"
	[ "$status" -eq 0 ]
	printf '%s\n' "$out" | jq -r '[.id, (.tags[0] // "-")] | @tsv' > "$TMP/got"
	same "$TMP/got" "$C/seed.expected"
	# and the seed's own rule, lower-case substrings in class order, agrees
	jq -r '[.id, ((.title + " " + (.summary // "")) | ascii_downcase |
		if test("neural network|learning") then "ML"
		elif test("ferroelec|ferromag|magnetic") then "ferro"
		elif test("density functional|tddft") then "DFT" else "-" end)] | @tsv' \
		"$C/seed.jsonl" > "$TMP/seed"
	paste "$TMP/seed" "$TMP/got" | awk -F'\t' '$2 != "-" && $2 != $4 { print; bad = 1 } END { exit bad }'
	[ "$(grep -c '	ML$' "$TMP/got")" -eq 8 ]
	run2 classify -r "$TOP/examples/rules" --first --keep ML "$C/seed.jsonl"
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 8 ]
}

@test "the fast path and the jansson path write the same bytes" {
	for f in "$C"/*.jsonl "$FIX"/feed2jsonl/examples/*.jsonl; do
		for opts in "-r $TOP/examples/rules" "-x -r $TOP/examples/rules" "-x -r $C/explain.rules" "--first -r $C/explain.rules"; do
			classify $opts "$f" > "$TMP/fast"
			classify --full-parse $opts "$f" > "$TMP/slow"
			cmp "$TMP/fast" "$TMP/slow" || { echo "differ: $opts $f" >&2; return 1; }
		done
	done
	classify --train "$TMP/m" "$C/labelled.jsonl"
	for f in "$C/heldout.jsonl" "$C/records.jsonl"; do
		classify -x -m "$TMP/m" "$f" > "$TMP/fast"
		classify -x -m "$TMP/m" --full-parse "$f" > "$TMP/slow"
		cmp "$TMP/fast" "$TMP/slow"
	done
}

@test "records jscan leaves to jansson (escaped keys, huge numbers) still pass through as they came" {
	printf '%s\n' '{"ti\u0074le":"learning","n":1234567890123456789}' '{"\u0074itle":"nothing"}' > "$TMP/odd"
	run2 classify -e 'ml: learning' "$TMP/odd"
	[ "$status" -eq 0 ]
	[ "$out" = '{"ti\u0074le":"learning","n":1234567890123456789,"tags":["ml"],"score":1}
{"\u0074itle":"nothing"}' ]
}

@test "bad lines: FILE:LINE: message, the rest processed, exit 1" {
	printf '{"title":"learning"}\n{"title":"x"\n\n[1]\n{"title":"learning"}\n' > "$TMP/bad"
	run2 classify -e 'ml: learning' "$TMP/bad"
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
	[ "$err" = "classify: $TMP/bad:2: column 12: '}' expected near end of line
classify: $TMP/bad:4: not a JSON object (array)" ]
	run2 sh -c 'printf "{\"title\":\"a\"}\n{" | classify -e "x: a" - missing.jsonl'
	[ "$status" -eq 1 ]
	[ "$err" = "classify: <stdin>:2: column 1: string or '}' expected near end of line
classify: missing.jsonl: No such file or directory" ]
}

@test "rules errors: RULES:LINE: column: message, exit 2, nothing read" {
	cd "$C/bad-rules"
	for f in *; do
		case "$f" in *.err) continue;; esac
		run2 classify -r "$f" "$C/records.jsonl"
		[ "$status" -eq 2 ] || { echo "$f: status $status" >&2; return 1; }
		[ -z "$out" ]
		same "$TMP/err" "$f.err"
	done
	run2 classify -e 'ok: a' -e 'bad: "x'
	[ "$status" -eq 2 ]
	[ "$err" = 'classify: -e#2:1: column 6: unterminated "phrase"' ]
	run2 classify -r "$C/nonexistent"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: $C/nonexistent: No such file or directory" ]
}

@test "usage errors exit 2: no rules, unknown tag in --keep, conflicting options" {
	run2 classify "$C/records.jsonl"
	[ "$status" -eq 2 ]
	[ "${err%%$'\n'*}" = "classify: rules (-r, -e), a model (-m) or --train is needed" ]
	run2 classify -e 'ml: learning' --keep ML "$C/records.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: --keep ML: no rule gives this tag" ]
	run2 classify -e 'ml: learning' --keep ml --untagged "$C/records.jsonl"
	[ "$status" -eq 2 ]
	run2 classify -e 'ml: learning' -m "$C/model.expected"
	[ "$status" -eq 2 ]
	run2 classify --train "$TMP/m" --eval
	[ "$status" -eq 2 ]
	run2 classify --bogus
	[ "$status" -eq 2 ]
}

@test "--train writes a versioned text model, atomically; the same input, the same bytes" {
	run2 classify --train "$TMP/model" "$C/labelled.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$out$err" ]
	same "$TMP/model" "$C/model.expected"
	[ "$(head -n 1 "$TMP/model")" = "feedpipe-classify-model 1" ]
	[ "$(ls "$TMP")" = "$(printf 'err\nmodel\nout')" ]	# no temporary file left
	# labels from another field
	jq -c '{label: .tags, summary, title}' "$C/labelled.jsonl" > "$TMP/relabelled"
	classify --train "$TMP/model2" --labels .label "$TMP/relabelled"
	cmp "$TMP/model2" "$C/model.expected"
	# a directory that cannot be written: exit 2, the old model kept
	run2 classify --train /nonexistent/dir/model "$C/labelled.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: /nonexistent/dir/model: No such file or directory" ]
}

@test "-m tags by probability, score the first tag's; --explain names the words" {
	run2 classify -m "$C/model.expected" -x "$C/heldout.jsonl"
	[ "$status" -eq 0 ]
	same "$TMP/out" "$C/heldout.expected"
	run2 classify -m "$C/model.expected" -t 0 -1 "$C/heldout.jsonl"
	[ "$(printf '%s\n' "$out" | jq -r '.tags[0]' | tr '\n' ' ')" = "ml bio astro bio " ]
	run2 classify -m "$C/model.expected" -t 0.01 --keep bio "$C/heldout.jsonl"
	[ "$(printf '%s\n' "$out" | jq -c .tags | tr '\n' ' ')" = '["ml","bio","astro"] ["bio","astro","ml"] ["astro","ml","bio"] ["bio","astro","ml"] ' ]
}

@test "--eval prints precision, recall and F1 per tag, for a model and for rules" {
	run2 classify --eval -m "$C/model.expected" "$C/heldout.jsonl"
	[ "$status" -eq 0 ]
	same "$TMP/out" "$C/eval.expected"
	run2 classify --eval -e 'ml: network* transformer* learning' -e 'bio: gene* cell* protein*' "$C/labelled.jsonl"
	[ "$status" -eq 0 ]
	[ "$out" = "tag   support   given precision    recall        F1
astro       8       0         -     0.000     0.000
bio         9       6     1.000     0.667     0.800
ml          9       8     0.875     0.778     0.824
micro      26      14     0.929     0.500     0.650
macro                     0.625     0.481     0.541
27 records" ]
}

@test "model files: wrong version, truncated, not a model: MODEL:LINE: message, exit 2" {
	sed '1s/ 1$/ 2/' "$C/model.expected" > "$TMP/v2"
	run2 classify -m "$TMP/v2" "$C/heldout.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: $TMP/v2:1: model version 2; this classify reads version 1" ]
	head -n 20 "$C/model.expected" > "$TMP/cut"
	run2 classify -m "$TMP/cut" "$C/heldout.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: $TMP/cut:20: truncated: no 'end' line" ]
	run2 classify -m "$C/records.jsonl" "$C/heldout.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: $C/records.jsonl:1: not a classify model (no 'feedpipe-classify-model VERSION' line)" ]
	sed 's/^absorption 0:1$/absorption 9:1/' "$C/model.expected" > "$TMP/badclass"
	run2 classify -m "$TMP/badclass" "$C/heldout.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: $TMP/badclass:11: expected CLASS:COUNT pairs after the word (class < 4)" ]
}

@test "--help to stdout with exit 0; --version; a write error exits 2" {
	run2 classify --help
	[ "$status" -eq 0 ]
	[ "${out%%$'\n'*}" = "usage: classify -r rules | -e rule | -m model [-1ux] [-k tags] [-d tags]" ]
	[ -z "$err" ]
	run2 classify --version
	[ "$out" = "classify 0.1.0" ]
	run2 sh -c "classify -r '$TOP/examples/rules' '$C/records.jsonl' > /dev/full"
	[ "$status" -eq 2 ]
	[ "$err" = "classify: <stdout>: write error: No space left on device" ]
}

@test "a thousand rules: all found in one pass, each tag in its place" {
	awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "t%d: w%dx \"p%d q%d\" pre%dz*\n", i, i, i, i, i }' > "$TMP/rules"
	awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "{\"id\":\"%d\",\"title\":\"w%dx and P%d-Q%d, pre%dzfix\"}\n", i, i, i, i, i }' > "$TMP/recs"
	run2 classify -r "$TMP/rules" "$TMP/recs"
	[ "$status" -eq 0 ]
	printf '%s\n' "$out" | jq -e -s 'length == 1000 and all(.[]; .tags == ["t" + .id] and .score == 3)'
}

@test "real arXiv feeds (../shared/corpus): train on 4/5, evaluate on 1/5, fast path = jansson path" {
	[ -d "$SHARED/corpus/real/arxiv-new" ] || skip "no ../shared/corpus"
	feed2jsonl "$SHARED"/corpus/real/arxiv-*/*.xml > "$TMP/arxiv" 2>/dev/null || true
	[ "$(wc -l < "$TMP/arxiv")" -ge 100 ]
	awk 'NR % 5' "$TMP/arxiv" > "$TMP/train"
	awk '!(NR % 5)' "$TMP/arxiv" > "$TMP/test"
	classify --train "$TMP/m" --labels .arxiv.primary "$TMP/train"
	run2 classify --eval -m "$TMP/m" --labels .arxiv.primary -t 0 -1 "$TMP/test"
	[ "$status" -eq 0 ]
	echo "# arXiv primary category, 1/5 held out: $(printf '%s\n' "$out" | grep '^micro')" >&3
	classify -x -r "$TOP/examples/rules" "$TMP/arxiv" > "$TMP/fast"
	classify -x -r "$TOP/examples/rules" --full-parse "$TMP/arxiv" > "$TMP/slow"
	cmp "$TMP/fast" "$TMP/slow"
}

@test "a record line that starts with white space is tagged (fixed: its members were not found, and it went out untagged)" {
	printf '%s\n' ' {"title":"learning"}' '	{"title":"x"}' > "$TMP/ws.jsonl"
	run2 classify -e 'ml: learning' "$TMP/ws.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$out" = ' {"title":"learning","tags":["ml"],"score":1}
	{"title":"x"}' ]
}

@test "a record with white space that had classify's members: the others keep their bytes (fixed: the line was written compact, blanks after it dropped)" {
	printf '%s\n' '{ "title" : "learning" , "tags" : ["old"] , "b" : 1 }  ' > "$TMP/ws.jsonl"
	run2 classify -e 'ml: learning' "$TMP/ws.jsonl"
	[ "$status" -eq 0 ]
	[ "$out" = '{ "title" : "learning" , "b" : 1 ,"tags":["ml"],"score":1}  ' ]
}
