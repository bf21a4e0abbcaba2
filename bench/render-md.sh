#!/usr/bin/env bash
# bench/render-md.sh: render-md's list layout against a jq -r template that
# writes the same layout, on N generated arXiv-shaped records. See
# bench/README.md and ../shared/design/performance.md.
set -eu
set -o pipefail

usage() {
	cat <<'EOF'
usage: bench/render-md.sh [N]

Times render-md (list and toc layouts), a jq -r template and a Miller
template writing the list layout on the same N records (default 100000),
made once with ../shared/bench/gen-feed N rss | feed2jsonl and kept in
$BENCH_DIR. Prints a Markdown table (median seconds, MB/s, records/s,
peak RSS, speed relative to jq); progress goes to stderr.

environment:
  N=100000           records (the argument wins over this)
  RUNS=5             timed runs per tool (3 from N=1000000 on), after WARMUP=1
  MLR=1              0: skip Miller
  RENDER_MD=PATH     program to time (default: <repo>/render-md)
  FEED2JSONL=PATH    used to make the records (default: <repo>/feed2jsonl)
  SHARED=DIR         shared tree holding bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR      cache for feeds, records and results (default: /tmp/feedpipe-bench)
  REGEN=1            make the records again
EOF
}

. "$(dirname "$0")/lib.sh"
bench_args 100000 "$@"
MLR=${MLR:-1}
bench_init render-md "$N"
RENDER_MD=${RENDER_MD:-$REPO/render-md}
[ -x "$RENDER_MD" ] || die "render-md is not built ($RENDER_MD): run 'make' in $REPO first"
need jq jq
[ "$MLR" = 0 ] || need mlr miller

recs=$(gen_records "$N")
size=$(filesize "$recs")

# jq: the list layout, without any Markdown escaping (its best case)
JQ_PROG='def rec:
  "# \(.title)\n\n"
  + (if .ai.title then "## \(.ai.title)\n\n" else "" end)
  + (if .link then "Link: \(.link)\n\n" else "" end)
  + (if (.authors | length) > 0 then "**Authors:** \(.authors | join(", "))\n\n" else "" end)
  + (if .summary then "\(.summary)\n\n" else "" end);
(input | rec), (inputs | "\n---\n" + rec)'
# Miller: the same, record by record (no separator before the first)
MLR_PROG='print (NR > 1 ? "\n---\n" : "") . "# " . $title . "\n";
  if (is_present($link)) { print "Link: " . $link . "\n" }
  if (is_present($authors)) { print "**Authors:** " . joinv($authors, ", ") . "\n" }
  if (is_present($summary)) { print $summary . "\n" }'

q() { shq "$1"; }
RMD="$(q "$RENDER_MD") $(q "$recs")"
TOC="$(q "$RENDER_MD") -l toc $(q "$recs")"
JQ_CMD="jq -nj $(q "$JQ_PROG") $(q "$recs")"
MLR_CMD="mlr --ijsonl --from $(q "$recs") put -q $(q "$MLR_PROG")"

# the same layout? (jq does not escape, so compare with the escapes taken out)
log "checking that jq writes the same layout ..."
sh -c "$RMD" >"$TMP/rmd.md"
sh -c "$JQ_CMD" >"$TMP/jq.md"
sed -e 's/\\\([][|~*_#`\\-]\)/\1/g' -e 's/&lt;/</g' -e 's/&amp;/\&/g' "$TMP/rmd.md" >"$TMP/rmd-unescaped.md"
differ=$(diff "$TMP/rmd-unescaped.md" "$TMP/jq.md" | grep -c '^<' || true)
lines=$(wc -l <"$TMP/jq.md" | tr -d ' ')

printf '### render-md: %s records\n\n' "$N"
printf 'Peers: %s and %s writing the list layout without any Markdown escaping (their best case; %s of %s lines differ from render-md once its escapes are undone). ' \
	"$(jq --version)" "$([ "$MLR" = 0 ] && echo 'no mlr' || mlr --version)" "$differ" "$lines"
timing_note
cat "$recs" >/dev/null
row "jq -r template" "$JQ_CMD"
[ "$MLR" = 0 ] || row "mlr template" "$MLR_CMD"
row "render-md (list)" "$RMD"
row "render-md -l toc" "$TOC"
headline "list vs jq" "$(ratio 'render-md (list)' 'jq -r template')"
[ "$MLR" = 0 ] || headline "list vs mlr" "$(ratio 'render-md (list)' 'mlr template')"
table "arXiv-shaped records (\`gen-feed $N rss | feed2jsonl\`)" "$size" "$N" "jq -r template" "mlr template"
printf '\nThe toc layout reads all records before writing (memory grows with the input); the list layout streams. "lines out" counts Markdown lines.\n\n'
