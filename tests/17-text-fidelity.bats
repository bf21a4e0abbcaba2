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

@test "links: tracking parameters removed (PubMed's fc, ff, v only on PubMed), the rest byte for byte" {
	check tracking
}

@test "Atom: an enclosure, self, edit or replies link is never the item's link" {
	check atom-links
	! grep -q 'mp3\|/api/\|comments' "$TMP/out"
}
