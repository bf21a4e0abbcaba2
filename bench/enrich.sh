#!/usr/bin/env bash
# bench/enrich.sh: enrich against tests/llmserver.py answering in DELAY ms:
# records/s with -j JOBS and nothing cached (the goal: >= 50/s at -j 16 and
# 200 ms), then the same records again, all from the cache (the goal:
# >= 20,000/s). See bench/README.md.
set -eu
set -o pipefail
export LC_ALL=C

usage() {
	cat <<'EOF'
usage: bench/enrich.sh [N]

Makes N arXiv-shaped records (default 2000; gen-feed N rss | feed2jsonl),
starts tests/llmserver.py on 127.0.0.1 with --delay DELAY, and times enrich
over them: once with an empty cache (every record one request), then RUNS
times with every answer in the cache. Tables go to stdout (and to
$BENCH_DIR/enrich-results-N.txt); progress goes to stderr.

environment:
  N=2000              records (the argument wins over this)
  JOBS=16             enrich -j for the uncached run
  MORE_JOBS="4 64"    also time these -j values uncached (on N/4 records); "" to skip
  DELAY=200           the server's answer time in ms
  RUNS=5              timed cached runs (after 1 warm-up)
  ENRICH=PATH         program to time (default: <repo>/enrich)
  FEED2JSONL=PATH     converter for the records (default: <repo>/feed2jsonl)
  SHARED=DIR          shared tree holding bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR       cache for inputs and results (default: /tmp/feedpipe-bench)
  REGEN=1             make the records again
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

N=${1:-${N:-2000}}
JOBS=${JOBS:-16}
MORE_JOBS=${MORE_JOBS-4 64}
DELAY=${DELAY:-200}
RUNS=${RUNS:-5}
REGEN=${REGEN:-0}
for v in N JOBS DELAY RUNS; do
	isint "${!v}" || die "$v must be a positive integer (got '${!v}')"
done

here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
BENCH_DIR=${BENCH_DIR:-/tmp/feedpipe-bench}
GEN=$SHARED/bench/gen-feed
ENRICH=${ENRICH:-$REPO/enrich}
FEED2JSONL=${FEED2JSONL:-$REPO/feed2jsonl}
SERVER_PY=$REPO/tests/llmserver.py

[ -x "$ENRICH" ] || die "enrich is not built ($ENRICH): run 'make' in $REPO, or set ENRICH=/path/to/enrich"
[ -x "$FEED2JSONL" ] || die "feed2jsonl is not built ($FEED2JSONL): run 'make' in $REPO"
[ -x "$GEN" ] || die "feed generator $GEN not found (set SHARED=/path/to/shared)"
command -v python3 >/dev/null || die "python3 not found (it runs the test server)"
command -v jq >/dev/null || die "jq not found: install the Debian package 'jq'"
[ -x /usr/bin/time ] || die "/usr/bin/time not found: install the Debian package 'time'"

mkdir -p "$BENCH_DIR/results" || die "cannot create $BENCH_DIR"
LOG=$BENCH_DIR/results/enrich-log-$N.txt
: >"$LOG"
TMP=$BENCH_DIR/enrich-tmp.$$
mkdir -p "$TMP"
SERVER=
cleanup() {
	[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

RECS=$BENCH_DIR/arxiv-$N.jsonl
if [ ! -s "$RECS" ] || [ "$REGEN" = 1 ]; then
	log "generating $RECS ($GEN $N rss | feed2jsonl) ..."
	"$GEN" "$N" rss 2>>"$LOG" | "$FEED2JSONL" >"$RECS.tmp.$$" 2>>"$LOG" ||
		{ rm -f "$RECS.tmp.$$"; die "generating records failed (see $LOG)"; }
	mv "$RECS.tmp.$$" "$RECS"
fi
[ "$(wc -l <"$RECS")" -eq "$N" ] || die "$RECS has $(wc -l <"$RECS") records, not $N: REGEN=1"

python3 "$SERVER_PY" --delay "$DELAY" >"$TMP/port" 2>>"$LOG" &
SERVER=$!
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || die "the test server did not start (see $LOG)"
PORT=$(cat "$TMP/port")
export FEEDPIPE_API_BASE="http://127.0.0.1:$PORT/v1" FEEDPIPE_MODEL=bench-model
unset FEEDPIPE_API_KEY OPENAI_API_KEY

requests() {
	python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["requests"])' \
		"http://127.0.0.1:$PORT/stats"
}

now() { printf '%s\n' "${EPOCHREALTIME:-$(date +%s.%N)}"; }

# timed CMD...: wall seconds appended to $TMP/times, peak RSS (KB) in
# $TMP/rss, the output in $TMP/out
timed() {
	local t0 t1
	t0=$(now)
	"$@" >"$TMP/out" 2>>"$LOG" || die "failed: $* (see $LOG)"
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' >>"$TMP/times"
	/usr/bin/time -f %M -o "$TMP/rss" "$@" >/dev/null 2>>"$LOG" </dev/null || true
}

# uncached RECORDS JOBS: a row of the table, after checking that every
# record got ai; identical records share one request
uncached() {
	local recs=$1 j=$2 n before keys
	n=$(wc -l <"$recs")
	keys=$(jq -c '[.id, .title, .summary]' "$recs" | sort -u | wc -l)
	rm -rf "$TMP/cache"
	before=$(requests)
	log "enrich -j $j over $n records ($keys distinct), nothing cached ..."
	: >"$TMP/times"
	t0=$(now)
	/usr/bin/time -f %M -o "$TMP/rss" "$ENRICH" -j "$j" --cache "$TMP/cache" "$recs" >"$TMP/out" 2>>"$LOG" ||
		die "failed: enrich -j $j (see $LOG)"
	t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.4f\n", b - a }')
	[ "$(jq -r 'select(.ai.tldr) | .id' "$TMP/out" | wc -l)" -eq "$n" ] || die "-j $j: not every record got ai"
	[ "$(($(requests) - before))" -eq "$keys" ] || die "-j $j: expected $keys requests, not $(($(requests) - before))"
	printf 'uncached -j %s\t%s\t%s\t%s\t%s\n' "$j" "$n" "$t" "$(tail -n 1 "$TMP/rss")" "$keys" >>"$TMP/rows"
}

RESULTS=$BENCH_DIR/enrich-results-$N.txt
{
printf 'enrich benchmark, %s, %s CPUs, %s\n' "$(date '+%Y-%m-%d %H:%M')" "$(nproc 2>/dev/null || echo '?')" "$(uname -sr)"
printf 'enrich: %s\n' "$ENRICH"
printf 'server: tests/llmserver.py --delay %s (Python %s), 127.0.0.1\n' "$DELAY" "$(python3 -c 'import platform; print(platform.python_version())')"
printf 'records: %s (%s, %.1f MB)\n' "$N" "$RECS" "$(awk -v s="$(wc -c <"$RECS")" 'BEGIN { print s / 1e6 }')"
} | tee "$RESULTS"

cat "$RECS" >/dev/null
: >"$TMP/rows"
uncached "$RECS" "$JOBS"
cp -r "$TMP/cache" "$TMP/full-cache"
if [ -n "$MORE_JOBS" ]; then
	head -n "$(( (N + 3) / 4 ))" "$RECS" >"$TMP/quarter"
	for j in $MORE_JOBS; do
		uncached "$TMP/quarter" "$j"
	done
fi

log "enrich over $N records, all from the cache ($RUNS runs) ..."
before=$(requests)
: >"$TMP/times"
timed "$ENRICH" --cache "$TMP/full-cache" "$RECS"
: >"$TMP/times"
for _ in $(seq "$RUNS"); do
	timed "$ENRICH" --cache "$TMP/full-cache" "$RECS"
done
[ "$(requests)" -eq "$before" ] || die "the cached runs made requests"
[ "$(jq -r 'select(.ai.tldr) | .id' "$TMP/out" | wc -l)" -eq "$N" ] || die "cached: not every record got ai"
med=$(sort -g "$TMP/times" | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
printf 'cached (median of %s)\t%s\t%s\t%s\t0\n' "$RUNS" "$N" "$med" "$(tail -n 1 "$TMP/rss")" >>"$TMP/rows"
# the same, less the cost of starting: enrich on no input
: >"$TMP/times"
for _ in $(seq "$RUNS"); do
	timed "$ENRICH" --cache "$TMP/full-cache" /dev/null
done
start=$(sort -g "$TMP/times" | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')

{
printf '\n%-26s %8s %9s %10s %11s %8s\n' "run" "records" "requests" "seconds" "records/s" "RSS MB"
awk -F'\t' '{ printf "%-26s %8d %9d %10.3f %11.1f %8.1f\n", $1, $2, $5, $3, $2 / $3, $4 / 1024 }' "$TMP/rows"
awk -v s="$start" -v m="$med" -v n="$N" 'BEGIN {
	printf "\nstarting enrich on no input: %.1f ms; cached, less that: %.0f records/s\n", s * 1000, n / (m - s) }'
awk -F'\t' -v d="$DELAY" 'NR == 1 { split($1, a, " "); j = a[3]
	printf "\nceiling for -j %d at %d ms an answer: %.1f records/s\n", j, d, j * 1000 / d }' "$TMP/rows"
printf 'goals: uncached -j 16 >= 50 records/s; cached >= 20000 records/s\n'
} | tee -a "$RESULTS"
log "results in $RESULTS; log in $LOG"
