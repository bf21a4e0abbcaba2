#!/usr/bin/env bats
# Real publisher feeds from ../shared/corpus/real (read in place, never copied).

load helper

setup() {
	[ -d "$SHARED/corpus/real" ] || skip "no ../shared/corpus"
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	REAL="$SHARED/corpus/real"
}

@test "every real feed gives valid records, one per complete item, and no messages" {
	bad=0
	for f in "$REAL"/*/*.xml "$REAL"/*/*.json; do
		case "$f" in *truncated*) continue;; esac
		feed2jsonl "$f" > "$TMP/out" 2> "$TMP/err" || { echo "exit $?: $f" >&2; bad=1; }
		[ ! -s "$TMP/err" ] || { echo "stderr: $f: $(head -n 2 "$TMP/err")" >&2; bad=1; }
		jq -e 'select((.id|type) != "string" or (.title|type) != "string")' "$TMP/out" > "$TMP/bad" ||
			true
		[ ! -s "$TMP/bad" ] || { echo "bad record: $f" >&2; bad=1; }
		case "$f" in
		*.json) want=$(jq '.items | length' "$f") ;;
		*) want=$(grep -o '<item[ >]\|<entry[ >]\|<rss:item[ >]' "$f" | wc -l) ;;
		esac
		got=$(wc -l < "$TMP/out")
		[ "$got" -eq "$want" ] || { echo "$got of $want items: $f" >&2; bad=1; }
	done
	[ "$bad" -eq 0 ]
}

@test "the truncated arXiv Atom feed: the 86 complete entries, then exit 1" {
	f=$(ls "$REAL"/arxiv-new/*truncated*)
	run2 feed2jsonl "$f"
	[ "$status" -eq 1 ]
	[ "$(wc -l < "$TMP/out")" -eq 86 ]
	[ "$err" = "feed2jsonl: $f:1233: premature end of document inside <entry>; complete items kept" ]
}

@test "arXiv RSS (rss.arxiv.org): prefix removed, announce type, comma-joined creators" {
	run2 feed2jsonl "$REAL"/arxiv-new/rss.arxiv.org_rss_*.xml
	[ "$status" -eq 0 ]
	printf '%s\n' "$out" | jq -e -s 'all(.[]; (.summary | startswith("arXiv:") | not) and .arxiv.announce_type != null and (.authors | length) >= 1 and .categories[0] == .arxiv.primary)'
}

@test "arXiv API: primary category first, version kept" {
	run2 feed2jsonl "$REAL"/arxiv-api/export.arxiv.org_api_2026_newformat_id_astro-ph-0601001.xml
	printf '%s\n' "$out" | jq -e '.id == "arxiv:astro-ph/0601001" and .arxiv.version >= 1 and .categories[0] == .arxiv.primary'
}

@test "Wiley: the abstract, not the 'Journal, EarlyView' stub; authors split" {
	run2 feed2jsonl "$REAL"/wiley/onlinelibrary.wiley.com_TAXON_2021-11-24.xml
	first=$(printf '%s\n' "$out" | head -n 1)
	[ "$(printf '%s' "$first" | jq -c .authors)" = '["Werner Greuter","Rosa Rankin‐Rodríguez"]' ]
	printf '%s' "$first" | jq -e '(.summary | startswith("Based on recent molecular work")) and .doi == "10.1002/tax.12603" and .journal == "TAXON"'
}

@test "bioRxiv: surname-initial pairs" {
	run2 feed2jsonl "$REAL"/biorxiv/connect.biorxiv.org_genomics_2023-12_rdf_1item.xml
	[ "$(printf '%s' "$out" | jq -c '.authors[0:3]')" = '["LAPALU, N.","SIMON, A.","Lu, A."]' ]
}
