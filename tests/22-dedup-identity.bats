#!/usr/bin/env bats
# dedup's default identity (issue 15): one paper, one entry, across feeds,
# versions and from preprint to journal. Day 1 shows two preprints; day 2
# brings their journal versions (one found by title alone, one by DOI), a
# new arXiv version, and generic journal titles that must never match.

load helper

I="$FIX/dedup-identity"

# day1: the first day's run and its --mark, in $TMP
day1() {
	cd "$TMP"
	dedup --state s --merge "$I/day1.jsonl" > new1
	dedup --state s --mark --now 2024-08-01T06:00:00Z new1 > /dev/null
}

@test "preprint on day 1, journal on day 2: matched by title (case and punctuation differ) and by DOI, marked with preprint" {
	day1
	run2 dedup --state s --merge "$I/day2.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(jq -c '[.id, .preprint]' "$TMP/out")" = "$(printf '%s\n' \
		'["doi:10.1103/physrevlett.133.000001",{"id":"arxiv:2408.00001","link":"https://arxiv.org/abs/2408.00001","first_seen":"2024-08-01"}]' \
		'["doi:10.1038/s41567-024-00002-x",{"id":"arxiv:2408.00002","link":"https://arxiv.org/abs/2408.00002","first_seen":"2024-08-01"}]' \
		'["doi:10.1000/editorial-2",null]' \
		'["doi:10.1000/issue-2",null]')" ]
	# the record is otherwise as it came: the member is added at the end
	head -n 1 "$I/day2.jsonl" | sed 's/}$//' > "$TMP/want"
	[ "$(head -n 1 "$TMP/out")" = "$(cat "$TMP/want"),\"preprint\":{\"id\":\"arxiv:2408.00001\",\"link\":\"https://arxiv.org/abs/2408.00001\",\"first_seen\":\"2024-08-01\"}}" ]
}

@test "a journal version shown as published is not shown again the next day" {
	day1
	dedup --state s --merge "$I/day2.jsonl" > "$TMP/new2"
	dedup --state s --mark --now 2024-08-02T06:00:00Z "$TMP/new2" > /dev/null
	run2 dedup --state s "$I/day2.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$out" ]
}

@test "a new arXiv version the next day is not shown; --versions shows it marked" {
	day1
	run2 dedup --state s "$I/day2.jsonl"
	! grep -q '"arxiv:2408.00001","title"' "$TMP/out"
	run2 dedup --state s --versions "$I/day2.jsonl"
	[ "$status" -eq 0 ]
	[ "$(grep '"version":2' "$TMP/out" | jq -c '[.id, .new_version]')" = '["arxiv:2408.00001",{"version":2,"first_seen":"2024-08-01"}]' ]
}

@test "two feeds one day, one DOI (or one PMID): one record carrying the arXiv id, the DOI and the journal" {
	run2 dedup --merge "$I/two-feeds.jsonl"
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.id, .arxiv.id, .doi, .journal, .also]' "$TMP/out")" = "$(printf '%s\n' \
		'["arxiv:2501.00404","2501.00404","10.1103/PhysRevB.111.000404","Phys. Rev. B 111, 000404",["prb"]]' \
		'["pmid:39000001",null,null,"Coral Reefs",["coral"]]')" ]
}

@test "generic or short titles never match: Editorial, Issue Information, Correction to ..." {
	printf '%s\n' \
		'{"id":"a","title":"Editorial"}' '{"id":"b","title":"Editorial"}' \
		'{"id":"c","title":"Issue Information - Table of Contents"}' \
		'{"id":"d","title":"Issue Information — Table of Contents"}' \
		'{"id":"e","title":"Correction to: Spin waves in thin magnetic films"}' \
		'{"id":"f","title":"Correction to: Spin Waves in Thin Magnetic Films"}' \
		'{"id":"g","title":"Front Cover: A Picture of Many Things Here"}' \
		'{"id":"h","title":"Front cover: a picture of many things here"}' \
		'{"id":"i","title":"Spin waves in thin magnetic films"}' \
		'{"id":"j","title":"Spin Waves in Thin Magnetic Films."}' > "$TMP/in"
	run2 dedup "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(jq -r .id "$TMP/out" | tr '\n' ' ')" = "a b c d e f g h i " ]
}

@test "a version 1 state file is still read: its ids and titles still drop what they recorded" {
	cp "$I/v1-state" "$TMP/s"
	run2 dedup --state "$TMP/s" "$I/day1.jsonl"
	[ "$status" -eq 0 ]
	[ "$(jq -r .id "$TMP/out" | tr '\n' ' ')" = "doi:10.1000/editorial-1 doi:10.1000/issue-1 " ]
	# written back as version 2, the old lines kept
	dedup --state "$TMP/s" --mark --now 2024-08-03T06:00:00Z "$TMP/out" > /dev/null
	[ "$(head -n 3 "$TMP/s")" = "$(printf '# feedpipe dedup state v2\n.id\tarxiv:2408.00001\t2024-08-01T06:00:00Z\n~title\tmachine learned potentials for molten salts at scale\t2024-08-01T06:00:00Z')" ]
}

@test "-k .id keys live in their own namespace: a state written by the identity does not drop them" {
	day1
	run2 dedup -k .id --state s "$I/day2.jsonl"
	[ "$(jq -r .id "$TMP/out" | wc -l)" -eq 5 ]
}

@test "a malformed preprint field in the state file is refused with its line" {
	printf '# feedpipe dedup state v2\n~paper\tdoi:10.1/x\t2024-08-01T06:00:00Z\tarxiv:1\n' > "$TMP/s"
	run2 dedup --state "$TMP/s" "$I/day1.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "dedup: $TMP/s:2: not a state line (want PATH<TAB>KEY<TAB>TIME[<TAB>ID<TAB>LINK]); refusing to read or overwrite it" ]
}

@test "titles fold ø, ł, æ as classify's words do: 'Søren' and 'Soren' are one title" {
	printf '%s\n' \
		'{"id":"a","title":"Søren Kierkegaard and the ethics of Łódź encyclopædias"}' \
		'{"id":"b","title":"Soren Kierkegaard and the Ethics of Lodz Encyclopaedias"}' > "$TMP/in"
	run2 dedup "$TMP/in"
	[ "$(jq -r .id "$TMP/out")" = "a" ]
	# classify folds them alike: one rule term matches both
	run2 classify -e 'k: soren lodz encyclopaedias' "$TMP/in"
	[ "$(jq -r '.tags // [] | join(",")' "$TMP/out" | tr '\n' ' ')" = "k k " ]
}

@test "a journal record that already has a preprint member: replaced where it stood (fixed: a second \"preprint\" key was added at the end)" {
	day1
	head -n 1 "$I/day2.jsonl" | sed 's/^{/{"preprint":{"id":"stale"},/' > "$TMP/had"
	run2 dedup --state s "$TMP/had"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	head -n 1 "$I/day2.jsonl" | sed 's/^{/{"preprint":{"id":"arxiv:2408.00001","link":"https:\/\/arxiv.org\/abs\/2408.00001","first_seen":"2024-08-01"},/' > "$TMP/want"
	[ "$out" = "$(cat "$TMP/want")" ]
}

@test "a paper id that is a number beyond a double: keyed by its text (fixed: the key was a NUL byte and the text)" {
	cd "$TMP"
	printf '%s\n' '{"id":123456789012345678901234,"title":"q"}' > in
	dedup --state s --mark --now 2024-08-01T06:00:00Z in > /dev/null
	grep -q "$(printf '^~paper\t123456789012345678901234\t')" s
	run2 dedup --state s in
	[ "$status" -eq 0 ]
	[ -z "$out" ]
}
