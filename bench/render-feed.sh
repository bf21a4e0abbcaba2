#!/usr/bin/env bash
# bench/render-feed.sh: render-feed (Atom and JSON Feed) against sfeed_atom
# on the same N generated arXiv-shaped items: render-feed reads feed2jsonl's
# records of the feed, sfeed_atom reads sfeed's TSV of the same feed. See
# bench/README.md.
set -eu
set -o pipefail

usage() {
	cat <<'EOF2'
usage: bench/render-feed.sh [N]

Times sfeed_atom on sfeed's TSV and render-feed (Atom, and JSON Feed) on
feed2jsonl's records, both made once from ../shared/bench/gen-feed N rss
(default N 100000) and kept in $BENCH_DIR. Prints a Markdown table (median
seconds, MB/s of the records, records/s, peak RSS, speed relative to
sfeed_atom); progress goes to stderr.

environment:
  N=100000           items (the argument wins over this)
  RUNS=5             timed runs per tool (3 from N=1000000 on), after WARMUP=1
  RENDER_FEED=PATH   program to time (default: <repo>/render-feed)
  FEED2JSONL=PATH    used to make the records (default: <repo>/feed2jsonl)
  SHARED=DIR         shared tree holding bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR      cache for feeds, records and results (default: /tmp/feedpipe-bench)
  REGEN=1            make the inputs again
EOF2
}

. "$(dirname "$0")/lib.sh"
bench_args 100000 "$@"
bench_init render-feed "$N"
RENDER_FEED=${RENDER_FEED:-$REPO/render-feed}
[ -x "$RENDER_FEED" ] || die "render-feed is not built ($RENDER_FEED): run 'make' in $REPO first"
need sfeed sfeed
need sfeed_atom sfeed
need xmllint libxml2-utils

feed=$(gen_feed "$N" rss)
recs=$(gen_records "$N")
tsv=$BENCH_DIR/arxiv-$N.sfeed.tsv
[ "$feed" -nt "$tsv" ] && rm -f "$tsv"
cached "$tsv" sh -c "sfeed < $(shq "$feed")"
size=$(filesize "$recs")

q() { shq "$1"; }
SFEED_CMD="sfeed_atom $(q "$tsv")"
ATOM_CMD="$(q "$RENDER_FEED") $(q "$recs")"
JSON_CMD="$(q "$RENDER_FEED") -f json $(q "$recs")"

# the same entries, and both well-formed
log "checking the outputs ..."
sh -c "$SFEED_CMD" >"$TMP/sfeed.atom"
sh -c "$ATOM_CMD" >"$TMP/rf.atom"
xmllint --noout "$TMP/sfeed.atom" "$TMP/rf.atom" 2>>"$LOG" || die "an output is not well-formed (see $LOG)"
n_sfeed=$(grep -c '<entry>' "$TMP/sfeed.atom" || true)
n_rf=$(grep -c '<entry>' "$TMP/rf.atom" || true)
[ "$n_rf" -eq "$N" ] || die "render-feed wrote $n_rf entries, not $N"

printf '### render-feed: %s items\n\n' "$N"
printf 'Peer: sfeed_atom (sfeed %s) on sfeed'\''s TSV of the same feed (%.1f MB, %s entries; it writes title, link, id, updated, one author line, content and categories), render-feed on feed2jsonl'\''s records (%s entries; also published, one author element per name, summary). ' \
	"$(pkgver sfeed)" "$(filesize "$tsv" | awk '{ print $1 / 1e6 }')" "$n_sfeed" "$n_rf"
timing_note
cat "$recs" "$tsv" >/dev/null
row "sfeed_atom" "$SFEED_CMD"
row "render-feed (Atom)" "$ATOM_CMD"
row "render-feed -f json" "$JSON_CMD"
r=$(ratio 'render-feed (Atom)' 'sfeed_atom')
headline "Atom vs sfeed_atom" "$r"
table "arXiv-shaped items (\`gen-feed $N rss\`; MB/s of the records)" "$size" "$N" "sfeed_atom"
printf '\nrender-feed (Atom) vs sfeed_atom: %s (> 1: render-feed is faster). "lines out" counts output lines.\n\n' "$r"
