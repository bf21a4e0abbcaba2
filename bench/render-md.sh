#!/usr/bin/env bash
# bench/render-md.sh: render-md's list layout against a jq -r template that
# writes the same layout, on N generated arXiv-shaped records. See
# bench/README.md and ../shared/design/performance.md.
set -eu
set -o pipefail
export LC_ALL=C

usage() {
	cat <<'EOF'
usage: bench/render-md.sh [N]

Times render-md (list and toc layouts) and a jq -r template writing the
list layout on the same N records (default 100000), made once with
../shared/bench/gen-feed N rss | feed2jsonl and kept in $BENCH_DIR.
Prints median wall time, CPU time, MB/s, records/s and peak RSS, and
render-md's speed relative to jq. Progress goes to stderr.

environment:
  N=100000           records (the argument wins over this)
  RUNS=5             timed runs per tool, after one warm-up
  RENDER_MD=PATH     program to time (default: <repo>/render-md)
  FEED2JSONL=PATH    used to make the records (default: <repo>/feed2jsonl)
  SHARED=DIR         shared tree holding bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR      cache for feeds, records and results (default: /tmp/feedpipe-bench)
  REGEN=1            make the records again
EOF
}

prog=${0##*/}
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
isint() { case $1 in ''|*[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac; }

case ${1-} in
-h|--help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }

N=${1:-${N:-100000}}
RUNS=${RUNS:-5}
REGEN=${REGEN:-0}
isint "$N" || die "N must be a positive integer (got '$N')"
isint "$RUNS" || die "RUNS must be a positive integer (got '$RUNS')"

here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
BENCH_DIR=${BENCH_DIR:-/tmp/feedpipe-bench}
RENDER_MD=${RENDER_MD:-$REPO/render-md}
FEED2JSONL=${FEED2JSONL:-$REPO/feed2jsonl}
GEN=$SHARED/bench/gen-feed

[ -x "$RENDER_MD" ] || die "render-md is not built ($RENDER_MD): run 'make' in $REPO first"
[ -x "$FEED2JSONL" ] || die "feed2jsonl is not built ($FEED2JSONL): run 'make' in $REPO first"
[ -x "$GEN" ] || die "feed generator $GEN not found (set SHARED=/path/to/shared)"
command -v jq >/dev/null 2>&1 || die "jq not found: install the Debian package 'jq'"
[ -x /usr/bin/time ] || die "/usr/bin/time not found: install the Debian package 'time'"

mkdir -p "$BENCH_DIR/results" || die "cannot create $BENCH_DIR"
TMP=$BENCH_DIR/tmp.render-md.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# the records, made once
feed=$BENCH_DIR/arxiv-$N.rss
recs=$BENCH_DIR/records-$N.jsonl
if [ ! -s "$feed" ] || [ "$REGEN" = 1 ]; then
	log "generating $feed ..."
	"$GEN" "$N" rss >"$feed.tmp.$$" || { rm -f "$feed.tmp.$$"; die "$GEN failed"; }
	mv "$feed.tmp.$$" "$feed"
fi
if [ ! -s "$recs" ] || [ "$REGEN" = 1 ] || [ "$feed" -nt "$recs" ]; then
	log "making $recs ..."
	"$FEED2JSONL" "$feed" >"$recs.tmp.$$" || { rm -f "$recs.tmp.$$"; die "feed2jsonl failed"; }
	mv "$recs.tmp.$$" "$recs"
fi
size=$(wc -c <"$recs" | tr -d ' ')
nrec=$(wc -l <"$recs" | tr -d ' ')

# jq: the list layout, without any Markdown escaping (its best case)
JQ_PROG='def rec:
  "# \(.title)\n\n"
  + (if .ai.title then "## \(.ai.title)\n\n" else "" end)
  + (if .link then "Link: \(.link)\n\n" else "" end)
  + (if (.authors | length) > 0 then "**Authors:** \(.authors | join(", "))\n\n" else "" end)
  + (if .summary then "\(.summary)\n\n" else "" end);
(input | rec), (inputs | "\n---\n" + rec)'

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
cmd_for() {
	case $1 in
	render-md-list) printf '%s %s' "$(q "$RENDER_MD")" "$(q "$recs")" ;;
	render-md-toc) printf '%s -l toc %s' "$(q "$RENDER_MD")" "$(q "$recs")" ;;
	jq-list) printf 'jq -nj %s %s' "$(q "$JQ_PROG")" "$(q "$recs")" ;;
	esac
}

# runs CMD RUNS -> "median-wall median-cpu" in seconds, one warm-up first
runs() {
	local i
	sh -c "$1" >/dev/null
	: >"$TMP/times"
	for i in $(seq "$2"); do
		/usr/bin/time -f '%e %U %S' -o "$TMP/t" sh -c "$1" >/dev/null ||
			die "failed: $1"
		awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$TMP/t" >>"$TMP/times"
	done
	printf '%s %s\n' "$(median 1)" "$(median 2)"
}

# median of column $1 of $TMP/times
median() {
	cut -d' ' -f"$1" "$TMP/times" | sort -n |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

peak_kb() {
	/usr/bin/time -f %M -o "$TMP/rss" sh -c "$1" >/dev/null || die "failed: $1"
	tail -n 1 "$TMP/rss"
}

# the same layout? (jq does not escape, so compare with the escapes taken out)
log "checking that jq writes the same layout ..."
sh -c "$(cmd_for render-md-list)" >"$TMP/rmd.md"
sh -c "$(cmd_for jq-list)" >"$TMP/jq.md"
sed -e 's/\\\([][|~*_#`\\-]\)/\1/g' -e 's/&lt;/</g' -e 's/&amp;/\&/g' "$TMP/rmd.md" >"$TMP/rmd-unescaped.md"
differ=$(diff "$TMP/rmd-unescaped.md" "$TMP/jq.md" | grep -c '^<' || true)
lines=$(wc -l <"$TMP/jq.md" | tr -d ' ')

RESULTS=$BENCH_DIR/results-render-md-$N.txt
{
printf 'render-md benchmark, %s, %s CPUs, %s\n' "$(date '+%Y-%m-%d %H:%M')" \
	"$(nproc 2>/dev/null || echo '?')" "$(uname -sr)"
printf 'render-md: %s; %s\n' "$RENDER_MD" "$(jq --version)"
printf 'input: %s, %s records, %.1f MB; median of %s runs after 1 warm-up, output to /dev/null\n' \
	"$recs" "$nrec" "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$RUNS"
printf 'same layout: %s of %s jq output lines differ from render-md once its escapes are undone\n\n' \
	"$differ" "$lines"
} | tee "$RESULTS"

: >"$TMP/rows"
for tool in jq-list render-md-list render-md-toc; do
	cmd=$(cmd_for $tool)
	log "timing $tool ($RUNS runs) ..."
	read -r wall cpu <<<"$(runs "$cmd" "$RUNS")"
	kb=$(peak_kb "$cmd")
	printf '%s %s %s %s\n' "$tool" "$wall" "$cpu" "$kb" >>"$TMP/rows"
done
awk -v size="$size" -v n="$nrec" '
{ tool[NR] = $1; w[NR] = $2; c[NR] = $3; kb[NR] = $4; if ($1 == "jq-list") { bw = $2; bc = $3 } }
END {
	printf "%-15s %8s %8s %9s %11s %9s %9s %9s\n", "tool", "wall s", "cpu s", "MB/s", "records/s", "RSS MB", "vs jq", "(cpu)"
	for (i = 1; i <= NR; i++) {
		t = w[i] > 0 ? w[i] : 0.001; u = c[i] > 0 ? c[i] : 0.001
		printf "%-15s %8.2f %8.2f %9.1f %11.0f %9.1f %8.2fx %8.2fx\n", tool[i], w[i], c[i],
			size / 1e6 / t, n / t, kb[i] * 1024 / 1e6, bw / t, bc / u
	}
	printf "\nMB = 10^6 bytes of input. vs jq = jq median / render-md median, by wall time\n"
	printf "and (cpu) by user+system time, which is steadier on a shared machine.\n"
	printf "The toc layout reads all records before writing; the list layout streams.\n"
}' "$TMP/rows" | tee -a "$RESULTS"
log "results in $RESULTS"
