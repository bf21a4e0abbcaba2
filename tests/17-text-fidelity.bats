#!/usr/bin/env bats
# feed2jsonl keeps what a feed says where it belongs (issue 13): PubMed's
# citation and PMID out of the summary, tracking parameters out of links,
# Wiley's citation stub out of the summary, ids for items without title,
# link or guid, and no enclosure as an Atom entry's link.

load helper

T="$FIX/text-fidelity"

# feed2jsonl on CASE/FILE gives CASE/EXPECTED byte for byte, quietly.
check() {
	run2 feed2jsonl "$T/$1/${2:-input.xml}"
	same "$TMP/out" "$T/$1/${3:-expected.jsonl}"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
}

@test "PubMed: citation to journal, PMID to pmid (and the id without a DOI), abstract alone" {
	check pubmed
}

@test "PubMed's real feeds: no citation, ABSTRACT heading or PMID tail left in a summary" {
	[ -d "$SHARED/corpus/real/pubmed" ] || skip "no ../shared/corpus"
	for f in "$SHARED"/corpus/real/pubmed/*.xml; do
		feed2jsonl "$f" >> "$TMP/all"
	done
	jq -e -s 'length == 30 and all(.[];
		(.summary // "" | test("^ABSTRACT|PMID:|doi: 10\\.|^[A-Z][A-Za-z ]+\\. 20[0-9][0-9] ") | not) and
		(.pmid | test("^[0-9]+$")) and (.journal | test("\\. 20[0-9][0-9]")) and
		(.link | test("utm_|[?&](fc|ff|v)=") | not))' "$TMP/all"
}

@test "links: tracking parameters removed (PubMed's fc, ff, v only on PubMed), the rest byte for byte" {
	check tracking
}

@test "Wiley: the abstract in dc:description wins over a citation stub, which may be the journal" {
	check wiley-stub
}

@test "items without title, link or guid: ids from their content, the same on the next day" {
	check untitled
	check untitled next-day.xml next-day.expected.jsonl
	# the three of the first day are among the next day's four, same ids
	jq -r .id "$T/untitled/expected.jsonl" | sort > "$TMP/day1"
	jq -r .id "$T/untitled/next-day.expected.jsonl" | sort > "$TMP/day2"
	[ "$(comm -12 "$TMP/day1" "$TMP/day2" | wc -l)" -eq 3 ]
}

@test "dedup: three untitled distinct items all survive" {
	feed2jsonl "$T/untitled/input.xml" | dedup > "$TMP/out"
	[ "$(wc -l < "$TMP/out")" -eq 3 ]
	[ "$(jq -r .id "$TMP/out" | sort -u | wc -l)" -eq 3 ]
}

@test "Atom: an enclosure, self, edit or replies link is never the item's link" {
	check atom-links
	! grep -q 'mp3\|/api/\|comments' "$TMP/out"
}
