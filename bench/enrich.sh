#!/usr/bin/env bash
# bench/enrich.sh: enrich against tests/llmserver.py answering in DELAY ms:
# records/s with -j JOBS and nothing cached (the goal: >= 50/s at -j 16 and
# 200 ms), then the same records again, all from the cache (the goal:
# >= 20,000/s). See bench/README.md.
set -eu
set -o pipefail

usage() {
	cat <<'EOF'
usage: bench/enrich.sh [N]

Makes N arXiv-shaped records (default 2000; gen-feed N rss | feed2jsonl),
starts tests/llmserver.py on 127.0.0.1 with --delay DELAY, and times enrich
over them: once with an empty cache (every record one request), the same
requests sent by xargs -P JOBS curl, then RUNS
times with every answer in the cache. A Markdown table goes to stdout;
progress goes to stderr.

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


. "$(dirname "$0")/lib.sh"
case ${1-} in
-h|--help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }

N=${1:-${N:-2000}}
JOBS=${JOBS:-16}
MORE_JOBS=${MORE_JOBS-4 64}
DELAY=${DELAY:-200}
for v in N JOBS DELAY; do
	isint "${!v}" || die "$v must be a positive integer (got '${!v}')"
done
bench_init enrich "$N"
ENRICH=${ENRICH:-$REPO/enrich}
SERVER_PY=$REPO/tests/llmserver.py
[ -x "$ENRICH" ] || die "enrich is not built ($ENRICH): run 'make' in $REPO, or set ENRICH=/path/to/enrich"
need python3 python3
need jq jq
need curl curl

SERVER=
bench_cleanup() {
	[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
	rm -rf "$TMP"
}

RECS=$(gen_records "$N")

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
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.4f\n", b - a }'; }

# uncached RECORDS JOBS: a row, after checking that every record got ai;
# identical records share one request
uncached() {
	local recs=$1 j=$2 n before keys t0 t
	n=$(wc -l <"$recs")
	keys=$(jq -c '[.id, .title, .summary]' "$recs" | sort -u | wc -l)
	rm -rf "$TMP/cache"
	before=$(requests)
	log "enrich -j $j over $n records ($keys distinct), nothing cached ..."
	t0=$(now)
	/usr/bin/time -f %M -o "$TMP/rss" "$ENRICH" -j "$j" --cache "$TMP/cache" "$recs" >"$TMP/out" 2>>"$LOG" ||
		die "failed: enrich -j $j (see $LOG)"
	t=$(since "$t0")
	[ "$(jq -r 'select(.ai.tldr) | .id' "$TMP/out" | wc -l)" -eq "$n" ] || die "-j $j: not every record got ai"
	[ "$(($(requests) - before))" -eq "$keys" ] || die "-j $j: expected $keys requests, not $(($(requests) - before))"
	printf 'enrich -j %s, nothing cached\t%s\t%s\t%s\t%s\n' "$j" "$n" "$keys" "$t" "$(tail -n 1 "$TMP/rss")" >>"$TMP/rows"
}

# curl_peer RECORDS JOBS: the same requests from xargs -P JOBS curl, bodies
# made beforehand by enrich --dry-run: the floor of a shell pipeline (it
# neither parses the answers nor writes records)
curl_peer() {
	local recs=$1 j=$2 n t0 t before
	n=$(wc -l <"$recs")
	"$ENRICH" --dry-run --cache "$TMP/nocache" "$recs" | jq -c .body >"$TMP/bodies"
	before=$(requests)
	log "xargs -P $j curl over $n requests ..."
	t0=$(now)
	xargs -P "$j" -d '\n' -n 1 curl -sf -o /dev/null -H 'Content-Type: application/json' -H 'Expect:' \
		"$FEEDPIPE_API_BASE/chat/completions" -d <"$TMP/bodies" || die "curl failed"
	t=$(since "$t0")
	[ "$(($(requests) - before))" -eq "$n" ] || die "curl: expected $n requests, not $(($(requests) - before))"
	printf 'xargs -P %s curl (requests only)\t%s\t%s\t%s\t-\n' "$j" "$n" "$n" "$t" >>"$TMP/rows"
}

printf '### enrich: %s records\n\n' "$N"
printf 'Server: tests/llmserver.py on 127.0.0.1 answering every request in %s ms (Python %s). Peer: the same requests sent by `xargs -P J curl` (%s), which neither parses answers nor writes records. Cached runs: median of %s after 1 warm-up.\n' \
	"$DELAY" "$(python3 -c 'import platform; print(platform.python_version())')" \
	"$(curl --version | head -n 1 | cut -d' ' -f1,2)" "$RUNS"

cat "$RECS" >/dev/null
uncached "$RECS" "$JOBS"
cp -r "$TMP/cache" "$TMP/full-cache"
curl_peer "$RECS" "$JOBS"
if [ -n "$MORE_JOBS" ]; then
	head -n "$(( (N + 3) / 4 ))" "$RECS" >"$TMP/quarter"
	for j in $MORE_JOBS; do
		uncached "$TMP/quarter" "$j"
	done
fi

log "enrich over $N records, all from the cache ($RUNS runs) ..."
before=$(requests)
E=$(shq "$ENRICH")
med=$(median_s "enrich cached" "$E --cache $(shq "$TMP/full-cache") $(shq "$RECS")")
start=$(median_s "enrich start" "$E --cache $(shq "$TMP/full-cache") /dev/null")
read -r kb lines <<<"$(peak "$E --cache $(shq "$TMP/full-cache") $(shq "$RECS")")"
[ "$(requests)" -eq "$before" ] || die "the cached runs made requests"
[ "$lines" -eq "$N" ] || die "cached: $lines records out of $N"
printf 'enrich, all cached\t%s\t0\t%s\t%s\n' "$N" "$med" "$kb" >>"$TMP/rows"

awk -F'\t' -v j="$JOBS" -v d="$DELAY" '
BEGIN { print "\n| run | records | requests | seconds | records/s | peak RSS MB |\n|---|--:|--:|--:|--:|--:|" }
{ printf "| %s | %d | %d | %.3f | %.1f | %s |\n", $1, $2, $3, $4, $2 / $4, $5 == "-" ? "-" : sprintf("%.1f", $5 / 1024) }
END { printf "\nCeiling for -j %d at %d ms an answer: %.1f requests/s.\n", j, d, j * 1000 / d }' "$TMP/rows"
awk -v s="$start" -v m="$med" -v n="$N" 'BEGIN {
	printf "Starting enrich on no input: %.1f ms; cached, less that: %.0f records/s.\n", s * 1000, n / (m - s) }'
printf 'Goals (issue 6): -j 16 with nothing cached >= 50 records/s; all cached >= 20,000 records/s.\n\n'
awk -F"\t" -v p="$prog" -v j="$JOBS" 'NR == 1 { a = $2 / $4 } NR == 2 { b = $2 / $4 } $1 == "enrich, all cached" { c = $2 / $4 }
	END { printf "%s\t%s\t%.1f records/s (curl: %.1f requests/s)\n", p, "-j " j " nothing cached", a, b
	      printf "%s\t%s\t%.0f records/s\n", p, "all cached", c }' "$TMP/rows" >"$TMP/head"
[ -z "${BENCH_HEADLINES-}" ] || cat "$TMP/head" >>"$BENCH_HEADLINES"
