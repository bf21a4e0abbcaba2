#!/usr/bin/env bash
# bench/like.sh: classify --like on N generated records against a library
# of 5,000 papers made from the real corpus (../shared/corpus/real).
# On 2026-12-04, 2 shared cores, RUNS=3: 100,000 records (172.5 MB) in
# 7.7 s, 13,000 records/s, 12.6 MB peak RSS (-m with 12 tags: 2.0 s).
set -eu
set -o pipefail

usage() {
	cat <<'EOF2'
usage: bench/like.sh [N]     classify --like on N records (default 100000)

Records: "gen-feed N rss | feed2jsonl", cached. Library: the records of
every feed in ../shared/corpus/real that have a title or summary, repeated
(with new ids) up to LIB=5000 papers. Prints median seconds, records/s and
peak RSS for --nearest 5 (the default), 1 and 50, and for a model
(classify -m) on the same records as a yardstick.

environment: LIB=5000, RUNS, WARMUP, CLASSIFY, SHARED, BENCH_DIR, REGEN
EOF2
}

. "$(dirname "$0")/lib.sh"
bench_args 100000 "$@"
LIB=${LIB:-5000}
bench_init like "$N"
CLASSIFY=${CLASSIFY:-$REPO/classify}
[ -x "$CLASSIFY" ] || die "classify is not built ($CLASSIFY): run 'make' in $REPO"
need jq jq
[ -d "$SHARED/corpus/real" ] || die "no $SHARED/corpus/real: the library comes from it"

RECS=$(gen_records "$N")
size=$(filesize "$RECS")
for f in "$SHARED"/corpus/real/*/*; do
	"$FEED2JSONL" "$f" 2>/dev/null || true
done | jq -c 'select(.summary or .title) | {id, title, summary}' >"$TMP/real"
real=$(wc -l <"$TMP/real")
[ "$real" -gt 0 ] || die "no records from $SHARED/corpus/real"
awk -v lib="$LIB" -v n="$real" '{ r[NR] = $0 }
	END { for (i = 0; i < lib; i++) { s = r[i % n + 1]; sub(/"id":"/, "\"id\":\"" int(i / n) "/", s); print s } }' \
	"$TMP/real" >"$TMP/library"
head -n 10000 "$RECS" >"$TMP/train"
"$CLASSIFY" --train "$TMP/model" --labels .arxiv.primary "$TMP/train"

C=$(shq "$CLASSIFY")
R=$(shq "$RECS")
printf '### classify --like: %s records, a library of %s papers (%s real ones, repeated)\n\n' "$N" "$LIB" "$real"
timing_note
cat "$RECS" >/dev/null
row "classify --like (nearest 5)" "$C --like $TMP/library $R"
row "classify --like --nearest 1" "$C --like $TMP/library --nearest 1 $R"
row "classify --like --nearest 50" "$C --like $TMP/library --nearest 50 $R"
row "classify -m model (naive Bayes, 12 tags)" "$C -m $TMP/model $R"
headline "--like records/s" "$(awk -F'\t' 'NR == 1 { printf "%.0f\n", '"$N"' / $2 }' "$TMP/rows")"
table "arXiv-shaped records (\`gen-feed $N rss | feed2jsonl\`)" "$size" "$N" "classify -m model (naive Bayes, 12 tags)"
