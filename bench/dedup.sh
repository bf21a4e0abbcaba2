#!/usr/bin/env bash
# bench/dedup.sh: throughput and peak memory of dedup against jq, Miller and
# awk on generated arXiv-shaped records; the title index on titles with a
# real-world vocabulary; loading and writing a 1,000,000-key state file;
# memory per key. See bench/README.md and ../shared/design/performance.md.
set -eu
set -o pipefail
export LC_ALL=C

usage() {
	cat <<'EOF'
usage: bench/dedup.sh [N]

Times dedup (several modes), jq, Miller and awk on the same N generated
arXiv-shaped records (default 100000; ~10% repeats), then dedup --title on
N records with a Zipf vocabulary, then loading a STATE_KEYS-key state file,
and reports memory per key. Tables go to stdout (and to
$BENCH_DIR/dedup-results-N.txt); progress goes to stderr.

environment:
  N=100000            records (the argument wins over this)
  RUNS=3              timed runs per command (after 1 warm-up)
  STATE_KEYS=1000000  keys in the state file
  JQ=auto             auto: skip jq when N > 200000 (it slurps); 1: always; 0: never
  MLR=1               0: skip Miller
  TITLES=1            0: skip the title-index table
  DEDUP=PATH          program to time (default: <repo>/dedup)
  FEED2JSONL=PATH     converter for the records (default: <repo>/feed2jsonl)
  SHARED=DIR          shared tree holding bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR       cache for inputs and results (default: /tmp/feedpipe-bench)
  REGEN=1             make the cached inputs again
EOF
}

prog=${0##*/}
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
isint() { case $1 in ''|*[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac; }
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

case ${1-} in
-h|--help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }

N=${1:-${N:-100000}}
RUNS=${RUNS:-3}
STATE_KEYS=${STATE_KEYS:-1000000}
JQ=${JQ:-auto}
MLR=${MLR:-1}
TITLES=${TITLES:-1}
REGEN=${REGEN:-0}
for v in N RUNS STATE_KEYS; do
	isint "${!v}" || die "$v must be a positive integer (got '${!v}')"
done

here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
BENCH_DIR=${BENCH_DIR:-/tmp/feedpipe-bench}
GEN=$SHARED/bench/gen-feed
DEDUP=${DEDUP:-$REPO/dedup}
FEED2JSONL=${FEED2JSONL:-$REPO/feed2jsonl}

[ -x "$DEDUP" ] || die "dedup is not built ($DEDUP): run 'make' in $REPO, or set DEDUP=/path/to/dedup"
[ -x "$FEED2JSONL" ] || die "feed2jsonl is not built ($FEED2JSONL): run 'make' in $REPO"
[ -x "$GEN" ] || die "feed generator $GEN not found (set SHARED=/path/to/shared)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found: install the Debian package 'time'"
command -v awk >/dev/null || die "awk not found"
case $JQ in
0|no) use_jq=0 ;;
1|yes) use_jq=1 ;;
auto) if [ "$N" -gt 200000 ]; then use_jq=0; else use_jq=1; fi ;;
*) die "JQ must be auto, 1 or 0 (got '$JQ')" ;;
esac
[ $use_jq = 0 ] || command -v jq >/dev/null || die "jq not found: install the Debian package 'jq' (or JQ=0)"
if [ "$MLR" = 1 ] && ! command -v mlr >/dev/null; then
	die "mlr not found: install the Debian package 'miller' (apt-get install miller), or MLR=0"
fi
HYPERFINE=0
command -v hyperfine >/dev/null && HYPERFINE=1

mkdir -p "$BENCH_DIR/results" || die "cannot create $BENCH_DIR"
LOG=$BENCH_DIR/results/dedup-log-$N.txt
: >"$LOG"
TMP=$BENCH_DIR/dedup-tmp.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# ---- inputs --------------------------------------------------------------

RECS=$BENCH_DIR/arxiv-$N.jsonl
if [ ! -s "$RECS" ] || [ "$REGEN" = 1 ]; then
	log "generating $RECS ($GEN $N rss | feed2jsonl) ..."
	"$GEN" "$N" rss 2>>"$LOG" | "$FEED2JSONL" >"$RECS.tmp.$$" 2>>"$LOG" ||
		{ rm -f "$RECS.tmp.$$"; die "generating records failed (see $LOG)"; }
	mv "$RECS.tmp.$$" "$RECS"
fi
[ "$(wc -l <"$RECS")" -eq "$N" ] ||
	die "$RECS has $(wc -l <"$RECS") records, not $N: REGEN=1 (is $FEED2JSONL a working build?)"
# awk's pre-cut key: the id in front of each line, tab-separated
KEYED=$BENCH_DIR/arxiv-$N.keyed
if [ ! -s "$KEYED" ] || [ "$RECS" -nt "$KEYED" ]; then
	sed -E 's/^\{"id":"([^"]*)",/\1\t&/' "$RECS" >"$KEYED.tmp.$$" && mv "$KEYED.tmp.$$" "$KEYED"
fi
# titles from a Zipf vocabulary of 30,000 words, 10% of them near repeats
# (a word changed, added or dropped), as real feeds have
ZIPF=$BENCH_DIR/zipf-titles-$N.jsonl
if [ ! -s "$ZIPF" ] || [ "$REGEN" = 1 ]; then
	log "generating $ZIPF ..."
	awk -v n="$N" 'BEGIN {
		srand(2501); V = 30000
		for (k = 1; k <= V; k++) { c += 1 / k ^ 1.07; cum[k] = c }
		for (i = 0; i < n; i++) {
			if (i > 0 && rand() < 0.1) {
				split(t[int(rand() * i)], w, " "); m = length(w); r = rand()
				s = ""
				for (j = 1; j <= m; j++) {
					if (r < 0.33 && j == m) continue
					x = (r >= 0.33 && r < 0.66 && j == 1) ? word() : w[j]
					s = s (s == "" ? "" : " ") x
				}
				if (r >= 0.66) s = s " " word()
			} else {
				m = 6 + int(rand() * 9); s = ""
				for (j = 0; j < m; j++) s = s (j ? " " : "") word()
			}
			t[i] = s
			printf "{\"id\":\"z:%d\",\"title\":\"%s\"}\n", i, s
		}
	}
	function word(   u, lo, hi, mid) {
		u = rand() * c; lo = 1; hi = V
		while (lo < hi) { mid = int((lo + hi) / 2); if (cum[mid] < u) lo = mid + 1; else hi = mid }
		return "w" lo
	}' >"$ZIPF.tmp.$$" && mv "$ZIPF.tmp.$$" "$ZIPF"
fi
STATE=$BENCH_DIR/state-$STATE_KEYS.tsv
if [ ! -s "$STATE" ] || [ "$REGEN" = 1 ]; then
	log "generating $STATE ..."
	awk -v n="$STATE_KEYS" 'BEGIN {
		print "# feedpipe dedup state v1"
		for (i = 0; i < n; i++)
			printf ".id\tarxiv:%02d%02d.%05d\t2025-%02d-%02dT06:00:00Z\n", 10 + int(i / 1200000), i / 100000 % 12 + 1, i % 100000, i / 100000 % 12 + 1, i % 28 + 1
	}' >"$STATE.tmp.$$" && mv "$STATE.tmp.$$" "$STATE"
fi
KEYS=$BENCH_DIR/keys-$STATE_KEYS.jsonl
if [ ! -s "$KEYS" ] || [ "$REGEN" = 1 ]; then
	awk -v n="$STATE_KEYS" 'BEGIN { for (i = 0; i < n; i++) printf "{\"id\":\"arxiv:%02d%02d.%05d\"}\n", 10 + int(i / 1200000), i / 100000 % 12 + 1, i % 100000 }' >"$KEYS"
fi

# ---- measuring -----------------------------------------------------------

# median_s CMD -> median wall seconds of CMD (stdout to /dev/null)
median_s() {
	local i t0 t1
	if [ $HYPERFINE = 1 ]; then
		printf '\n## %s\n' "$1" >>"$LOG"
		hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$TMP/hf.json" \
			--output null "$1" >>"$LOG" 2>&1 || die "failed: $1 (see $LOG)"
		awk -F: '/"median"/ { gsub(/[ ,]/, "", $2); print $2; exit }' "$TMP/hf.json"
		return
	fi
	sh -c "$1" >/dev/null 2>>"$LOG" || die "failed: $1"
	: >"$TMP/times"
	for i in $(seq "$RUNS"); do
		t0=${EPOCHREALTIME:-$(date +%s.%N)}
		sh -c "$1" >/dev/null 2>>"$LOG" || die "failed: $1"
		t1=${EPOCHREALTIME:-$(date +%s.%N)}
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$TMP/times"
	done
	sort -g "$TMP/times" | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}

# peak CMD -> "KB LINES": peak RSS of one run, and the lines it wrote
peak() {
	local lines
	lines=$(/usr/bin/time -f %M -o "$TMP/rss" sh -c "exec $1" 2>>"$LOG" </dev/null | wc -l) ||
		die "failed: $1"
	printf '%s %s\n' "$(tail -n 1 "$TMP/rss")" "$lines"
}

# row NAME CMD: time, memory and output lines into $TMP/rows
row() {
	local med kb lines
	log "timing $1 ..."
	med=$(median_s "$2")
	read -r kb lines <<<"$(peak "$2")"
	printf '%s\t%s\t%s\t%s\n' "$1" "$med" "$kb" "$lines" >>"$TMP/rows"
}

# table TITLE FILE RECORDS BASE: print $TMP/rows; ratios against row BASE
table() {
	awk -F'\t' -v title="$1" -v size="$(wc -c <"$2")" -v n="$3" -v base="$4" '
	{ name[NR] = $1; t[NR] = $2; kb[NR] = $3; out[NR] = $4; if ($1 == base) b = $2 }
	END {
		printf "\n%s: %d records, %.1f MB\n", title, n, size / 1e6
		printf "%-34s %9s %8s %10s %9s %9s %8s\n", "command", "median s", "MB/s", "records/s", "RSS MB", "records", "vs " base
		for (i = 1; i <= NR; i++)
			printf "%-34s %9.3f %8.1f %10.0f %9.1f %9d %7s\n", name[i], t[i], size / 1e6 / t[i], n / t[i], kb[i] * 1024 / 1e6, out[i], b ? sprintf("%.2fx", b / t[i]) : "-"
	}' "$TMP/rows"
	: >"$TMP/rows"
}

q() { shq "$1"; }

RESULTS=$BENCH_DIR/dedup-results-$N.txt
{
printf 'dedup benchmark, %s, %s CPUs, %s\n' "$(date '+%Y-%m-%d %H:%M')" "$(nproc 2>/dev/null || echo '?')" "$(uname -sr)"
printf 'dedup: %s\n' "$DEDUP"
printf 'jq %s, %s, %s\n' "$(jq --version 2>/dev/null || echo -)" "$(mlr --version 2>/dev/null || echo 'no mlr')" "$(awk -W version 2>&1 | head -n 1 | cut -c 1-40)"
printf 'timing: %s, median of %s runs after 1 warm-up; peak RSS from one more run\n' \
	"$( [ $HYPERFINE = 1 ] && echo hyperfine || echo 'shell loop')" "$RUNS"
} | tee "$RESULTS"

cat "$RECS" "$KEYED" >/dev/null	# into the page cache
: >"$TMP/rows"
D=$(q "$DEDUP")
row "dedup" "$D $(q "$RECS")"
row "dedup -k .id,.guid,.link" "$D -k .id,.guid,.link $(q "$RECS")"
row "dedup --title" "$D --title $(q "$RECS")"
row "dedup --title=0.9 (125-word vocab.)" "$D --title=0.9 $(q "$RECS")"
row "dedup --merge" "$D --merge $(q "$RECS")"
row "dedup --merge < pipe" "cat $(q "$RECS") | $D --merge"
row "dedup --state ($STATE_KEYS keys)" "$D --state $(q "$STATE") $(q "$RECS")"
JQPROG='[inputs] | to_entries | unique_by(.value.id) | sort_by(.key) | .[].value'
[ $use_jq = 1 ] && row "jq" "jq -cn $(q "$JQPROG") $(q "$RECS")"
[ "$MLR" = 1 ] && row "mlr" "mlr --ijsonl --ojsonl head -n 1 -g id $(q "$RECS")"
row "awk (pre-cut key)" "awk -F $(q '\t') $(q '!seen[$1]++') $(q "$KEYED")"
base=dedup
[ $use_jq = 1 ] && base=jq
{
table "arXiv-shaped records (gen-feed $N rss | feed2jsonl)" "$RECS" "$N" "$base"
[ $use_jq = 0 ] || printf 'jq:  jq -cn %s\n     (jq 1.6 copies a reduce/foreach state on every update, which makes\n     those forms quadratic; this one scales, and holds all records)\n' "$(q "$JQPROG")"
[ "$MLR" = 1 ] && printf 'mlr: mlr --ijsonl --ojsonl head -n 1 -g id\n'
printf "awk: awk -F'\\\\t' '!seen[\$1]++' on the records with the id cut out in front (not JSON-aware)\n"
} | tee -a "$RESULTS"

if [ "$TITLES" = 1 ]; then
	cat "$ZIPF" >/dev/null
	row "dedup" "$D $(q "$ZIPF")"
	row "dedup --title" "$D --title $(q "$ZIPF")"
	row "dedup --title=0.9" "$D --title=0.9 $(q "$ZIPF")"
	row "dedup --title=0.8" "$D --title=0.8 $(q "$ZIPF")"
	table "titles from a Zipf vocabulary of 30,000 words, 10% near repeats" "$ZIPF" "$N" dedup | tee -a "$RESULTS"
fi

# ---- the state file and memory per key -------------------------------------

log "timing the state file ..."
cp "$STATE" "$TMP/state"
load=$(median_s "$D --state $(q "$STATE") /dev/null")
mark=$(median_s "$D --state $(q "$TMP/state") --mark /dev/null")
read -r kb0 _ <<<"$(peak "$D /dev/null")"
read -r kbs _ <<<"$(peak "$D --state $(q "$STATE") /dev/null")"
read -r kbk _ <<<"$(peak "$D $(q "$KEYS")")"
cmp -s "$STATE" "$TMP/state" || die "--mark on no input changed the state file"
awk -v k="$STATE_KEYS" -v size="$(wc -c <"$STATE")" -v load="$load" -v mark="$mark" \
    -v kb0="$kb0" -v kbs="$kbs" -v kbk="$kbk" 'BEGIN {
	printf "\nstate file: %d keys, %.1f MB (%.1f bytes a line)\n", k, size / 1e6, size / k
	printf "  load (dedup --state FILE /dev/null)      %8.3f s  %8.0f keys/s\n", load, k / load
	printf "  load and write again (--mark /dev/null)  %8.3f s\n", mark
	printf "  memory: %.1f MB with the state, %.1f MB without: %.0f bytes a key\n", kbs / 1024, kb0 / 1024, (kbs - kb0) * 1024 / k
	printf "  memory of %d distinct keys met in the input (\"arxiv:YYMM.NNNNN\"): %.0f bytes a key\n", k, (kbk - kb0) * 1024 / k
	printf "\nMB = 10^6 bytes. vs = the base median / this median (>1: faster).\n"
}' | tee -a "$RESULTS"
log "results in $RESULTS; log in $LOG"
