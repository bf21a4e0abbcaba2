# bench/lib.sh: what every benchmark script shares. Sourced, not run:
#
#	. "$(dirname "$0")/lib.sh"
#	bench_init NAME N		# paths, work dir, log, timing method
#	recs=$(gen_records N)		# cached inputs
#	row "label" "shell command"	# time it: median of $RUNS, peak RSS, lines
#	table "title" SIZE RECORDS BASE...	# the rows as a Markdown table
#
# Tables are Markdown, on stdout; progress goes to stderr; hyperfine's log
# and JSON go to $BENCH_DIR/results/.

export LC_ALL=C
prog=${0##*/}
die()  { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
log()  { printf '%s: %s\n' "$prog" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
# shq WORD: WORD quoted for sh (and for hyperfine, which splits like a shell)
shq()  { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
isint() { case $1 in ''|*[!0-9]*) return 1 ;; *) [ "$1" -gt 0 ] ;; esac; }
need() { # need COMMAND DEBIAN-PACKAGE
	command -v "$1" >/dev/null 2>&1 ||
		die "$1 not found: install the Debian package '$2' (apt-get install $2)"
}
pkgver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || printf '?'; }
filesize() { wc -c <"$1" | tr -d ' '; }

# bench_args DEFAULT-N "$@": --help, or one optional N (else $N, else
# DEFAULT-N); sets N. The script defines usage.
bench_args() {
	local def=$1
	shift
	case ${1-} in
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	esac
	[ $# -le 1 ] || { usage >&2; exit 2; }
	N=${1:-${N:-$def}}
	isint "$N" || die "N must be a positive integer (got '$N')"
}

# Default runs: medians of 5 on small inputs, 3 from a million records on,
# where one run takes tens of seconds for the slower peers.
default_runs() { if [ "$1" -ge 1000000 ]; then echo 3; else echo 5; fi; }

# bench_init NAME N: checks and paths common to every script
bench_init() {
	local name=$1 n=$2
	BENCH_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	REPO=$(cd "$BENCH_LIB_DIR/.." && pwd)
	SHARED=${SHARED:-$REPO/../shared}
	BENCH_DIR=${BENCH_DIR:-/tmp/feedpipe-bench}
	GEN=$SHARED/bench/gen-feed
	REGEN=${REGEN:-0}
	RUNS=${RUNS:-$(default_runs "$n")}
	WARMUP=${WARMUP:-1}
	isint "$RUNS" || die "RUNS must be a positive integer (got '$RUNS')"
	case $WARMUP in ''|*[!0-9]*) die "WARMUP must be a number (got '$WARMUP')" ;; esac
	FEED2JSONL=${FEED2JSONL:-$REPO/feed2jsonl}
	[ -x "$FEED2JSONL" ] ||
		die "feed2jsonl is not built ($FEED2JSONL): run 'make' in $REPO first"
	[ -x /usr/bin/time ] ||
		die "/usr/bin/time not found: install the Debian package 'time'"
	[ -x "$GEN" ] || die "feed generator $GEN not found (set SHARED=/path/to/shared)"
	HYPERFINE=0
	if command -v hyperfine >/dev/null 2>&1; then
		HYPERFINE=1
	else
		warn "hyperfine not found (Debian package 'hyperfine'): timing with a shell loop"
	fi
	mkdir -p "$BENCH_DIR/results" || die "cannot create $BENCH_DIR"
	LOG=$BENCH_DIR/results/$name-log-$n.txt
	: >"$LOG"
	TMP=$(mktemp -d "$BENCH_DIR/$name-tmp.XXXXXX") || die "cannot create a work dir"
	trap 'bench_cleanup' EXIT
	trap 'exit 130' INT TERM
	: >"$TMP/rows"
}

# Scripts that start something (a server) add to this with their own trap.
bench_cleanup() { rm -rf "$TMP"; }

# timing_note: one line saying how the figures were taken
timing_note() {
	printf 'Timing: %s, median of %s runs after %s warm-up; peak RSS from one more run under `/usr/bin/time -f %%M`. MB = 10^6 bytes of input.\n' \
		"$([ $HYPERFINE = 1 ] && echo "hyperfine $(hyperfine --version | awk '{print $2}')" || echo 'a shell loop')" \
		"$RUNS" "$WARMUP"
}

# ---- inputs ---------------------------------------------------------------

# cached CACHE-PATH CMD: run CMD into CACHE-PATH unless it is there already
cached() {
	local out=$1
	shift
	if [ ! -s "$out" ] || [ "$REGEN" = 1 ]; then
		log "generating $out ..."
		"$@" >"$out.tmp.$$" 2>>"$LOG" || { rm -f "$out.tmp.$$"; die "generating $out failed (see $LOG)"; }
		mv "$out.tmp.$$" "$out"
	fi
}

# gen_feed N rss|atom -> the path of a cached arXiv-shaped feed of N items
gen_feed() {
	cached "$BENCH_DIR/arxiv-$1.$2" "$GEN" "$1" "$2"
	printf '%s\n' "$BENCH_DIR/arxiv-$1.$2"
}

# gen_records N -> the path of the feed's records (feed2jsonl's output)
gen_records() {
	local feed out=$BENCH_DIR/arxiv-$1.jsonl
	feed=$(gen_feed "$1" rss)
	if [ "$feed" -nt "$out" ]; then
		REGEN=1 cached "$out" "$FEED2JSONL" "$feed"
	else
		cached "$out" "$FEED2JSONL" "$feed"
	fi
	[ "$(wc -l <"$out")" -eq "$1" ] ||
		die "$out has $(wc -l <"$out") records, not $1: REGEN=1 (is $FEED2JSONL a working build?)"
	printf '%s\n' "$out"
}

# ---- measuring ------------------------------------------------------------

median() { # median of the numbers on stdin
	sort -g | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}

# median_s LABEL CMD -> median wall seconds of "sh -c CMD", stdout discarded
median_s() {
	local label=$1 cmd=$2 i t0 t1 json
	printf '\n## %s\n%s\n' "$label" "$cmd" >>"$LOG"
	if [ $HYPERFINE = 1 ]; then
		json=$TMP/hf.json
		hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" \
			-n "$label" "$cmd" >>"$LOG" 2>&1 </dev/null || die "failed: $cmd (see $LOG)"
		cp "$json" "$BENCH_DIR/results/$(printf '%s' "$label" | tr -c 'A-Za-z0-9.-' _).json"
		jq -r '.results[0].median' "$json"
		return
	fi
	for ((i = 0; i < WARMUP; i++)); do
		sh -c "$cmd" >/dev/null 2>>"$LOG" </dev/null || die "failed: $cmd (see $LOG)"
	done
	for ((i = 0; i < RUNS; i++)); do
		t0=${EPOCHREALTIME:-$(date +%s.%N)}
		sh -c "$cmd" >/dev/null 2>>"$LOG" </dev/null || die "failed: $cmd (see $LOG)"
		t1=${EPOCHREALTIME:-$(date +%s.%N)}
		awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
	done | median
}

# peak CMD -> "KB LINES": peak RSS of one run (the largest process of a
# pipeline is what /usr/bin/time sees only for "exec CMD"; a pipeline is
# timed as a whole shell, so its RSS is that of its largest member at best)
peak() {
	local lines
	lines=$(/usr/bin/time -f %M -o "$TMP/rss" sh -c "exec $1" 2>>"$LOG" </dev/null | wc -l) ||
		die "failed: $1"
	printf '%s %s\n' "$(tail -n 1 "$TMP/rss")" "$lines"
}

# row LABEL CMD: time CMD and add a row to the current table
row() {
	local med kb lines
	log "timing $1 ($RUNS runs) ..."
	med=$(median_s "$1" "$2")
	read -r kb lines <<<"$(peak "$2")"
	printf '%s\t%s\t%s\t%s\n' "$1" "$med" "$kb" "$lines" >>"$TMP/rows"
}

# skipped LABEL WHY: a row that says why it was not timed
skipped() { printf '%s\tskipped\t%s\t-\n' "$1" "$2" >>"$TMP/rows"; }

# table TITLE SIZE RECORDS BASE...: the rows so far as a Markdown table,
# with a column "vs BASE" (BASE's median / this median: > 1 is faster than
# BASE) for each BASE that is a row label; then the rows are cleared
table() {
	local title=$1 size=$2 n=$3
	shift 3
	awk -F'\t' -v title="$title" -v size="$size" -v n="$n" -v bases="$(printf '%s\t' "$@")" '
	{ name[NR] = $1; t[NR] = $2; kb[NR] = $3; out[NR] = $4 }
	END {
		nb = split(bases, b, "\t") - 1
		for (j = 1; j <= nb; j++)
			for (i = 1; i <= NR; i++)
				if (name[i] == b[j] && t[i] != "skipped") bt[j] = t[i]
		printf "\n%s: %d records, %.1f MB\n\n", title, n, size / 1e6
		printf "| command | median s | MB/s | records/s | peak RSS MB | lines out |"
		for (j = 1; j <= nb; j++) if (bt[j] != "") printf " vs %s |", b[j]
		printf "\n|---|--:|--:|--:|--:|--:|"
		for (j = 1; j <= nb; j++) if (bt[j] != "") printf "--:|"
		printf "\n"
		for (i = 1; i <= NR; i++) {
			if (t[i] == "skipped") {
				printf "| %s | skipped: %s | | | | |", name[i], kb[i]
				for (j = 1; j <= nb; j++) if (bt[j] != "") printf " |"
				printf "\n"
				continue
			}
			printf "| %s | %.3f | %.1f | %.0f | %.1f | %s |", name[i], t[i],
			    size / 1e6 / t[i], n / t[i], kb[i] * 1024 / 1e6, out[i]
			for (j = 1; j <= nb; j++)
				if (bt[j] != "")
					printf " %s |", name[i] == b[j] ? "1" : sprintf("%.2f×", bt[j] / t[i])
			printf "\n"
		}
	}' "$TMP/rows"
	: >"$TMP/rows"
}

# headline KEY VALUE: a figure for bench/run's summary table
headline() {
	[ -z "${BENCH_HEADLINES-}" ] || printf '%s\t%s\t%s\n' "$prog" "$1" "$2" >>"$BENCH_HEADLINES"
}

# ratio LABEL-A LABEL-B -> median(B) / median(A) from the last table's rows
# (call before table, which clears them)
ratio() {
	awk -F'\t' -v a="$1" -v b="$2" '$1 == a { ta = $2 } $1 == b { tb = $2 }
		END { if (ta > 0 && tb > 0) printf "%.2f×\n", tb / ta; else print "-" }' "$TMP/rows"
}
