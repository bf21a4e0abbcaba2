#!/usr/bin/env bash
# bench/feed2jsonl.sh: throughput, peak memory and small-feed latency of
# feed2jsonl against sfeed and python3-feedparser on generated arXiv-shaped
# feeds. See bench/README.md and ../shared/design/performance.md.
set -eu
set -o pipefail
export LC_ALL=C

usage() {
	cat <<'EOF'
usage: bench/feed2jsonl.sh [N]

Times feed2jsonl, sfeed and python3-feedparser on the same generated
arXiv-shaped RSS and Atom feeds of N items (default 100000), then the
median wall time of feed2jsonl and sfeed on a 50-item feed.
Tables go to stdout (and to $BENCH_DIR/results-N.txt); progress goes to stderr.

environment:
  N=100000            items per feed (the argument wins over this)
  RUNS=5              timed runs per tool on the big feeds (after 1 warm-up)
  FP_RUNS=2           timed runs for feedparser (it is ~50x slower)
  FEEDPARSER=auto     auto: skip feedparser when N > 200000; 1: always; 0: never
  SMALL_N=50          items in the small feed
  SMALL_RUNS=300      timed runs per tool on the small feed
  FORMATS="rss atom"  which big feeds to time
  FEED2JSONL=PATH     program to time (default: <repo>/feed2jsonl)
  FEED2JSONL_STDIN=1  run "feed2jsonl < FILE" instead of "feed2jsonl FILE"
  SHARED=DIR          shared tree holding bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR       cache for feeds and results (default: /tmp/feedpipe-bench)
  REGEN=1             regenerate the cached feeds
EOF
}

prog=${0##*/}
die()  { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
log()  { printf '%s: %s\n' "$prog" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
# shq WORD: WORD quoted for sh (and for hyperfine -N, which splits like a shell)
shq()  { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
isint() { case $1 in ''|*[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac; }

case ${1-} in
-h|--help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }

N=${1:-${N:-100000}}
RUNS=${RUNS:-5}
FP_RUNS=${FP_RUNS:-2}
FEEDPARSER=${FEEDPARSER:-auto}
SMALL_N=${SMALL_N:-50}
SMALL_RUNS=${SMALL_RUNS:-300}
FORMATS=${FORMATS:-rss atom}
FEED2JSONL_STDIN=${FEED2JSONL_STDIN:-0}
REGEN=${REGEN:-0}
for v in N RUNS FP_RUNS SMALL_N SMALL_RUNS; do
	isint "${!v}" || die "$v must be a positive integer (got '${!v}')"
done
for f in $FORMATS; do
	case $f in rss|atom) ;; *) die "FORMATS: unknown format '$f' (rss, atom)" ;; esac
done

here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
BENCH_DIR=${BENCH_DIR:-/tmp/feedpipe-bench}
GEN=$SHARED/bench/gen-feed
PY=/usr/bin/python3

# ---- tools ---------------------------------------------------------------

FEED2JSONL=${FEED2JSONL:-$REPO/feed2jsonl}
case $FEED2JSONL in
*/*) ;;
*) FEED2JSONL=$(command -v "$FEED2JSONL" || printf '%s' "$FEED2JSONL") ;;
esac
if [ ! -f "$FEED2JSONL" ] || [ ! -x "$FEED2JSONL" ]; then
	die "feed2jsonl is not built ($FEED2JSONL missing): run 'make' in $REPO first, or set FEED2JSONL=/path/to/feed2jsonl"
fi

need() { # need COMMAND DEBIAN-PACKAGE
	command -v "$1" >/dev/null 2>&1 ||
		die "$1 not found: install the Debian package '$2' (apt-get install $2)"
}
need sfeed sfeed
need awk mawk
[ -x /usr/bin/time ] || die "/usr/bin/time not found: install the Debian package 'time' (apt-get install time)"
[ -x "$GEN" ] || die "feed generator $GEN not found or not executable (set SHARED=/path/to/shared)"

hf_noshell=0 hf_input=0
if command -v hyperfine >/dev/null 2>&1; then
	HYPERFINE=1
	need jq jq
	hf_version=$(hyperfine --version | awk '{print $2}')
	hf_help=$(hyperfine --help 2>&1)
	case $hf_help in *--shell*) hf_noshell=1 ;; *) hf_noshell=0 ;; esac
	case $hf_help in *--input*) hf_input=1 ;; *) hf_input=0 ;; esac
else
	HYPERFINE=0
	warn "hyperfine not found (Debian package 'hyperfine'): falling back to a shell timing loop"
fi

case $FEEDPARSER in
0|no) fp_big=0 ;;
1|yes) fp_big=1 ;;
auto) if [ "$N" -gt 200000 ]; then fp_big=0; else fp_big=1; fi ;;
*) die "FEEDPARSER must be auto, 1 or 0 (got '$FEEDPARSER')" ;;
esac
fp_small=1
[ "$FEEDPARSER" = 0 ] || [ "$FEEDPARSER" = no ] && fp_small=0
if [ $fp_big = 1 ] || [ $fp_small = 1 ]; then
	[ -x $PY ] || die "$PY not found: install the Debian package 'python3' (or FEEDPARSER=0 to skip feedparser)"
	$PY -c 'import feedparser' 2>/dev/null ||
		die "$PY cannot import feedparser: install the Debian package 'python3-feedparser' (or FEEDPARSER=0 to skip it)"
fi

pkgver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || printf '?'; }

# ---- work dir, feeds -----------------------------------------------------

mkdir -p "$BENCH_DIR/results" || die "cannot create $BENCH_DIR"
LOG=$BENCH_DIR/results/log-$N.txt
: >"$LOG"
TMP=$BENCH_DIR/tmp.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

gen() { # gen N FORMAT -> prints the cached file's path
	out=$BENCH_DIR/arxiv-$1.$2
	if [ ! -s "$out" ] || [ "$REGEN" = 1 ]; then
		log "generating $out ..."
		"$GEN" "$1" "$2" >"$out.tmp.$$" 2>>"$LOG" || { rm -f "$out.tmp.$$"; die "$GEN $1 $2 failed (see $LOG)"; }
		mv "$out.tmp.$$" "$out"
	fi
	printf '%s\n' "$out"
}

# feedparser, writing roughly the fields feed2jsonl writes
FP_SCRIPT=$BENCH_DIR/feedparser2jsonl.py
cat >"$FP_SCRIPT" <<'EOF'
import feedparser, sys, json
d = feedparser.parse(sys.argv[1])
feed = {k: v for k, v in (("title", d.feed.get("title")),
                          ("link", d.feed.get("link"))) if v}
w = sys.stdout.write
for e in d.entries:
    r = {"id": e.get("id"), "title": e.get("title", ""), "link": e.get("link"),
         "authors": [a.get("name") for a in e.get("authors", []) if a.get("name")],
         "summary": e.get("summary"), "published": e.get("published"),
         "updated": e.get("updated"),
         "categories": [t.get("term") for t in e.get("tags", []) if t.get("term")],
         "guid": e.get("id"), "feed": feed}
    w(json.dumps({k: v for k, v in r.items() if v or k == "title"},
                 ensure_ascii=False) + "\n")
EOF

# cmd_for TOOL FILE -> a sh command line (stdout is redirected by the caller)
cmd_for() {
	case $1 in
	feed2jsonl)
		if [ "$FEED2JSONL_STDIN" = 1 ]; then
			printf '%s < %s' "$(shq "$FEED2JSONL")" "$(shq "$2")"
		else
			printf '%s %s' "$(shq "$FEED2JSONL")" "$(shq "$2")"
		fi ;;
	sfeed) printf 'sfeed < %s' "$(shq "$2")" ;;
	feedparser) printf '%s %s %s' $PY "$(shq "$FP_SCRIPT")" "$(shq "$2")" ;;
	esac
}

# ---- measuring -----------------------------------------------------------

# median_s NAME RUNS WARMUP CMD [HYPERFINE-OPTION...] -> median wall seconds
median_s() {
	local name=$1 runs=$2 warm=$3 cmd=$4 json i t0 t1
	shift 4
	if [ $HYPERFINE = 1 ]; then
		json=$TMP/hf.json
		printf '\n## %s: %s\n' "$name" "$cmd" >>"$LOG"
		hyperfine --style basic --warmup "$warm" --runs "$runs" "$@" \
			--export-json "$json" -n "$name" "$cmd" >>"$LOG" 2>&1 ||
			die "hyperfine failed on: $cmd (see $LOG)"
		cp "$json" "$BENCH_DIR/results/$name.json"
		jq -r '.results[0].median' "$json"
	else
		loop_median "$cmd" "$runs" "$warm" |
			awk -v o="$LOOP_OVERHEAD" '{ t = $1 - o; printf "%.9f\n", (t > 1e-6 ? t : 1e-6) }'
	fi
}

# loop_median CMD RUNS WARMUP -> median wall seconds of "sh -c CMD" (the
# fallback without hyperfine)
loop_median() {
	local i=0 t0 t1
	: >"$TMP/times"
	while [ $i -lt "$3" ]; do
		sh -c "$1" >/dev/null </dev/null || die "failed: $1"
		i=$((i + 1))
	done
	i=0
	while [ $i -lt "$2" ]; do
		# bash's $EPOCHREALTIME, where there is one, saves forking date(1)
		t0=${EPOCHREALTIME:-$(date +%s.%N)}
		sh -c "$1" >/dev/null </dev/null || die "failed: $1"
		t1=${EPOCHREALTIME:-$(date +%s.%N)}
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.9f\n", b - a }' >>"$TMP/times"
		i=$((i + 1))
	done
	sort -g "$TMP/times" | awk '{ t[NR] = $1 }
		END { if (NR % 2) print t[(NR + 1) / 2]; else print (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}

# peak_kb CMD -> "KB LINES": peak RSS of one run, and lines it wrote
peak_kb() {
	local lines
	lines=$(/usr/bin/time -f %M -o "$TMP/rss" sh -c "exec $1" </dev/null | wc -l) ||
		die "failed: $1"
	printf '%s %s\n' "$(tail -n 1 "$TMP/rss")" "$lines"
}

filesize() { wc -c <"$1" | tr -d ' '; }

# ---- run -----------------------------------------------------------------

log "feed2jsonl: $FEED2JSONL; work dir: $BENCH_DIR; log: $LOG"
small=$(gen "$SMALL_N" rss)
for f in $FORMATS; do gen "$N" "$f" >/dev/null; done

LOOP_OVERHEAD=0
if [ $HYPERFINE = 0 ]; then
	log "measuring the timing loop's own overhead ..."
	LOOP_OVERHEAD=$(loop_median : 31 3)
fi

# sanity check before timing anything
out=$(sh -c "$(cmd_for feed2jsonl "$small")" </dev/null) ||
	die "$FEED2JSONL failed on $small"
nl=$(printf '%s' "$out" | grep -c '' || true)
[ "$nl" -gt 0 ] || die "$FEED2JSONL wrote nothing for $small (if it only reads stdin, try FEED2JSONL_STDIN=1)"
[ "$nl" = "$SMALL_N" ] || warn "feed2jsonl wrote $nl lines for the $SMALL_N-item feed"
case $out in '{'*) ;; *) warn "feed2jsonl output does not look like JSON Lines (stand-in?)" ;; esac

RESULTS=$BENCH_DIR/results-$N.txt
{
printf 'feed2jsonl benchmark, %s, %s CPUs, %s\n' "$(date '+%Y-%m-%d %H:%M')" \
	"$(nproc 2>/dev/null || echo '?')" "$(uname -sr)"
printf 'feed2jsonl: %s\n' "$FEED2JSONL"
printf 'sfeed %s' "$(pkgver sfeed)"
[ $fp_small = 1 ] && printf ', python3-feedparser %s' "$(pkgver python3-feedparser)"
if [ $HYPERFINE = 1 ]; then
	printf ', hyperfine %s\ntiming: hyperfine' "$hf_version"
else
	printf '\ntiming: date loop (no hyperfine; %.1f ms loop overhead subtracted)' \
		"$(awk -v o="$LOOP_OVERHEAD" 'BEGIN { print o * 1e3 }')"
fi
printf ', median of %s runs after 1 warm-up' "$RUNS"
[ $fp_big = 1 ] && printf ' (feedparser: %s runs)' "$FP_RUNS"
printf '; peak RSS from one more run\n'
} | tee "$RESULTS"

for fmt in $FORMATS; do
	file=$BENCH_DIR/arxiv-$N.$fmt
	size=$(filesize "$file")
	: >"$TMP/rows"
	for tool in feed2jsonl sfeed feedparser; do
		runs=$RUNS
		if [ $tool = feedparser ]; then
			if [ $fp_big = 0 ]; then
				printf '%s skipped\n' $tool >>"$TMP/rows"
				continue
			fi
			runs=$FP_RUNS
		fi
		cmd=$(cmd_for $tool "$file")
		log "$fmt: timing $tool ($runs runs) ..."
		med=$(median_s "$tool-$fmt-$N" "$runs" 1 "$cmd")
		log "$fmt: peak RSS of $tool ..."
		read -r kb lines <<<"$(peak_kb "$cmd")"
		[ "$lines" = "$N" ] || warn "$tool wrote $lines lines for the $N-item $fmt feed"
		printf '%s %s %s\n' $tool "$med" "$kb" >>"$TMP/rows"
	done
	awk -v fmt="$fmt" -v n="$N" -v size="$size" -v file="$file" -v fpn="$FEEDPARSER" '
	{ tool[NR] = $1; t[NR] = $2; kb[NR] = $3; if ($1 == "sfeed") base = $2 }
	END {
		printf "\n%s, %d items, %.1f MB (%s)\n", (fmt == "rss" ? "RSS 2.0" : "Atom 1.0"), n, size / 1e6, file
		printf "%-12s %10s %9s %11s %13s %9s\n", "tool", "median s", "MB/s", "items/s", "peak RSS MB", "vs sfeed"
		for (i = 1; i <= NR; i++) {
			if (t[i] == "skipped") {
				printf "%-12s %s\n", tool[i], (fpn == "auto" ? "skipped (N > 200000; FEEDPARSER=1 to run it)" : "skipped (FEEDPARSER=0)")
				continue
			}
			printf "%-12s %10.3f %9.1f %11.0f %13.1f %8.2fx\n", tool[i], t[i], size / 1e6 / t[i], n / t[i], kb[i] * 1024 / 1e6, base / t[i]
		}
	}' "$TMP/rows" | tee -a "$RESULTS"
done

# small feed: process start-up and per-feed overhead
ssize=$(filesize "$small")
if [ $HYPERFINE = 1 ] && [ "$hf_noshell" = 1 ] && [ "$hf_input" = 1 ]; then
	how="hyperfine -N (no shell); programs that read stdin get the feed through --input"
	small_cmd() { # prints CMD then hyperfine options, one per line
		case $1 in
		feed2jsonl)
			if [ "$FEED2JSONL_STDIN" = 1 ]; then
				printf '%s\n-N\n--input\n%s\n' "$(shq "$FEED2JSONL")" "$small"
			else
				printf '%s\n-N\n' "$(cmd_for feed2jsonl "$small")"
			fi ;;
		sfeed) printf 'sfeed\n-N\n--input\n%s\n' "$small" ;;
		feedparser) printf '%s\n-N\n' "$(cmd_for feedparser "$small")" ;;
		esac
	}
elif [ $HYPERFINE = 1 ]; then
	how="hyperfine via sh -c, shell start-up subtracted"
	[ "$hf_noshell" = 1 ] &&
		how="$how (hyperfine $hf_version has -N, but no --input to feed sfeed's stdin)"
	small_cmd() { cmd_for "$1" "$small"; }
else
	how="date loop via sh -c, loop overhead subtracted (rough: install hyperfine)"
	small_cmd() { cmd_for "$1" "$small"; }
fi
: >"$TMP/rows"
for tool in feed2jsonl sfeed feedparser; do
	runs=$SMALL_RUNS warm=20
	if [ $tool = feedparser ]; then
		[ $fp_small = 1 ] || continue
		runs=10 warm=1
	fi
	mapfile -t a < <(small_cmd $tool)
	log "small feed: timing $tool ($runs runs) ..."
	med=$(median_s "$tool-small-$SMALL_N" "$runs" "$warm" "${a[@]}")
	printf '%s %s %s\n' $tool "$med" "$runs" >>"$TMP/rows"
done
awk -v n="$SMALL_N" -v size="$ssize" -v how="$how" '
{ tool[NR] = $1; t[NR] = $2; r[NR] = $3; if ($1 == "sfeed") base = $2 }
END {
	printf "\nSmall feed (RSS 2.0), %d items, %.1f KB\ntiming: %s\n", n, size / 1e3, how
	printf "%-12s %10s %6s %9s\n", "tool", "median ms", "runs", "vs sfeed"
	for (i = 1; i <= NR; i++)
		printf "%-12s %10.2f %6d %8.2fx\n", tool[i], t[i] * 1e3, r[i], base / t[i]
	printf "\nMB = 10^6 bytes. vs sfeed = sfeed median / tool median (>1: faster than sfeed).\n"
}' "$TMP/rows" | tee -a "$RESULTS"
log "results in $RESULTS; hyperfine JSON and log in $BENCH_DIR/results/"
