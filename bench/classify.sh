#!/usr/bin/env bash
# bench/classify.sh: classify against jq on generated arXiv-shaped records
# (speed), and the naive Bayes model on labelled real data (quality).
# See bench/README.md and ../shared/design/performance.md.
set -eu
set -o pipefail
export LC_ALL=C

usage() {
	cat <<'EOF'
usage: bench/classify.sh [N]        speed: jq vs classify on N records
       bench/classify.sh eval       quality: precision, recall, F1 of models

Speed: N records (default 100000) from "gen-feed N rss | feed2jsonl",
cached. Times jq 'select(.title|test("neural|learning";"i"))' against
classify with the same 2 patterns, with 10 topic rules, and with those 10
plus 990 generated keyword rules (title and summary, and title only), and
a naive Bayes model. Prints median seconds, MB/s, records/s, peak RSS and
the ratios the goals are about: 1,000 rules at least 3x faster than jq
with 2 patterns, and 1,000 rules less than 1.5x the time of 10.

Eval: trains on 4/5 and evaluates on the other 1/5 of
  - the arXiv items of ../shared/corpus/real (the primary category, from
    title and abstract), if that directory exists;
  - Debian's package descriptions (the section, from the short and long
    description), from apt-cache dumpavail, if apt-cache is there;
and prints classify --eval's table for each.

environment:
  RUNS=5              timed runs per command (after 1 warm-up)
  CLASSIFY=PATH       program to time (default: <repo>/classify)
  SHARED=DIR          shared tree with bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR       cache for inputs and results (default: /tmp/feedpipe-bench)
  REGEN=1             make the cached records again
EOF
}

prog=${0##*/}
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$prog" "$*" >&2; }
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

mode=speed
case ${1-} in
-h|--help) usage; exit 0 ;;
eval) mode=eval; shift ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }
N=${1:-100000}
case $N in ''|*[!0-9]*|0) die "N must be a positive integer (got '$N')" ;; esac
RUNS=${RUNS:-5}
REGEN=${REGEN:-0}

here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
BENCH_DIR=${BENCH_DIR:-/tmp/feedpipe-bench}
CLASSIFY=${CLASSIFY:-$REPO/classify}
FEED2JSONL=$REPO/feed2jsonl
[ -x "$CLASSIFY" ] || die "classify is not built ($CLASSIFY): run 'make' in $REPO"
[ -x "$FEED2JSONL" ] || die "feed2jsonl is not built ($FEED2JSONL): run 'make' in $REPO"
command -v jq >/dev/null || die "jq not found: install the Debian package 'jq'"
[ -x /usr/bin/time ] || die "/usr/bin/time not found: install the Debian package 'time'"

mkdir -p "$BENCH_DIR/results" || die "cannot create $BENCH_DIR"
TMP=$BENCH_DIR/classify-tmp.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# ---- quality -------------------------------------------------------------

# evaluate NAME FILE LABELS: train on lines not divisible by 5, test on the rest
evaluate() {
	local name=$1 file=$2 labels=$3 n
	n=$(wc -l <"$file")
	awk 'NR % 5' "$file" >"$TMP/train"
	awk '!(NR % 5)' "$file" >"$TMP/test"
	"$CLASSIFY" --train "$TMP/model" --labels "$labels" "$TMP/train"
	printf '\n%s: %d records, trained on %d, evaluated on %d\n' "$name" "$n" \
		"$(wc -l <"$TMP/train")" "$(wc -l <"$TMP/test")"
	printf -- '-- threshold 0.5 (the default):\n'
	"$CLASSIFY" --eval -m "$TMP/model" --labels "$labels" "$TMP/test"
	printf -- '-- the most probable tag, always (-t 0 -1):\n'
	"$CLASSIFY" --eval -m "$TMP/model" --labels "$labels" -t 0 -1 "$TMP/test" |
		grep -E '^(micro|macro)'
}

if [ $mode = eval ]; then
	RESULTS=$BENCH_DIR/classify-eval.txt
	{
	printf 'classify model evaluation, %s\n' "$(date '+%Y-%m-%d %H:%M')"
	if [ -d "$SHARED/corpus/real/arxiv-new" ]; then
		"$FEED2JSONL" "$SHARED"/corpus/real/arxiv-*/*.xml >"$TMP/arxiv.jsonl" 2>/dev/null || true
		evaluate "arXiv primary category (../shared/corpus/real)" "$TMP/arxiv.jsonl" .arxiv.primary
		jq -c '{title, summary, archive: (.arxiv.primary | split(".")[0])}' \
			"$TMP/arxiv.jsonl" >"$TMP/archive.jsonl"
		evaluate "arXiv archive of the primary category" "$TMP/archive.jsonl" .archive
	else
		log "no $SHARED/corpus/real: arXiv evaluation skipped"
	fi
	if command -v apt-cache >/dev/null && command -v python3 >/dev/null; then
		# short description as title, long one as summary; sections
		# that say what a program is about, not what it is written in
		apt-cache dumpavail | python3 -c '
import sys, json
keep = set(sys.argv[1].split(","))
seen, p, last = set(), {}, None
def emit(p):
    sec = p.get("Section", "").split("/")[-1]
    d = p.get("Description", "").split("\n")
    if sec not in keep or not d[0]:
        return
    body = " ".join(l.strip() for l in d[1:] if l.strip() != ".")
    if (d[0], body) in seen:
        return
    seen.add((d[0], body))
    print(json.dumps({"title": d[0].strip(), "summary": body, "section": sec}, ensure_ascii=False))
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line:
        if p:
            emit(p)
        p, last = {}, None
    elif line[0] in " \t" and last:
        p[last] += "\n" + line
    else:
        k, _, v = line.partition(":")
        p[k], last = v.strip(), k
if p:
    emit(p)
' science,math,games,sound,graphics,net,mail,editors,database,video,web,text,fonts,electronics,hamradio,admin >"$TMP/debian.jsonl"
		if [ -s "$TMP/debian.jsonl" ]; then
			evaluate "Debian package section (apt-cache dumpavail)" "$TMP/debian.jsonl" .section
		else
			log "apt-cache dumpavail gave nothing (run apt-get update): Debian evaluation skipped"
		fi
	fi
	} | tee "$RESULTS"
	log "results in $RESULTS"
	exit 0
fi

# ---- speed ---------------------------------------------------------------

command -v hyperfine >/dev/null || log "hyperfine not found (Debian package 'hyperfine'): timing with a shell loop"
GEN=$SHARED/bench/gen-feed
RECS=$BENCH_DIR/arxiv-$N.jsonl
if [ ! -s "$RECS" ] || [ "$REGEN" = 1 ]; then
	[ -x "$GEN" ] || die "feed generator $GEN not found (set SHARED=/path/to/shared)"
	log "generating $RECS ($GEN $N rss | feed2jsonl) ..."
	"$GEN" "$N" rss 2>/dev/null | "$FEED2JSONL" >"$RECS.tmp.$$" || { rm -f "$RECS.tmp.$$"; die "generating failed"; }
	mv "$RECS.tmp.$$" "$RECS"
fi
size=$(wc -c <"$RECS" | tr -d ' ')
nrec=$(wc -l <"$RECS" | tr -d ' ')

# 10 topic rules, as a reader writes them; they match the generated text
cat >"$TMP/rules10" <<'EOF'
ML: "neural network*" "deep learning" "reinforcement learning" learning*^0.5
LLM >= 2: "large language model*"^2 "language model*" transformer*
graph: "graph neural" graph* -"graph theory"
diffusion: "diffusion model*" diffusion
bayes: bayesian* "variational inference" variational
quantum in title^2, summary >= 2: quantum* "many body" lattice
optim: optimi* "gradient descent" convergence
privacy: privacy "differential privacy" federated*
kernel: "kernel method*" kernel* /\bRKHS\b/
vision: "image classification" image* convolution*
EOF
# those 10 and 990 keyword rules, each a word, a prefix and a phrase, as a
# reader with many narrow topics writes them: most never match; the phrase
# of one rule in thirty starts with a word of the generated text, so that
# now and then one does (a third of the records get one tag more)
awk 'BEGIN {
	srand(42)
	n = split("attention sampling spectrum manifold operator robustness " \
	    "efficiency scaling estimator autoencoders transport matrices", v, " ")
	for (r = 1; r <= 990; r++) {
		line = "kw" r ":"
		for (k = 0; k < 3; k++) {
			w = ""
			if (k == 2 && rand() < 0.03)
				w = v[int(rand() * n) + 1]
			else
				for (i = 0; i < 5 + int(rand() * 7); i++)
					w = w sprintf("%c", 97 + int(rand() * 26))
			if (k == 1) w = w "*"
			if (k == 2) w = "\"" w " of\""
			line = line " " w
		}
		print line
	}
}' >"$TMP/kw990"
cat "$TMP/rules10" "$TMP/kw990" >"$TMP/rules1000"
sed 's/^\([^: ]*\)\( in [^:>]*\)\{0,1\}/\1 in title /' "$TMP/rules1000" >"$TMP/rules1000t"
# a model: 12 classes (the primary category) learnt from 10,000 records
head -n 10000 "$RECS" >"$TMP/train"
"$CLASSIFY" --train "$TMP/model" --labels .arxiv.primary "$TMP/train"

C=$(shq "$CLASSIFY")
R=$(shq "$RECS")
names=(jq classify-2 classify-10 classify-1000 classify-1000-title classify-model)
labels=("jq 'select(.title|test(\"neural|learning\";\"i\"))'"
	"classify -e 'x in title: *neural* *learning*' --keep x"
	"classify -r rules10 (title, summary)"
	"classify -r rules1000 (title, summary)"
	"classify -r rules1000 (title only)"
	"classify -m model (naive Bayes, 12 tags)")
cmds=("jq -c 'select(.title|test(\"neural|learning\";\"i\"))' $R"
	"$C -e 'x in title: *neural* *learning*' --keep x $R"
	"$C -r $TMP/rules10 $R"
	"$C -r $TMP/rules1000 $R"
	"$C -r $TMP/rules1000t $R"
	"$C -m $TMP/model $R")

# the two ways of asking for the same records must agree
a=$(sh -c "${cmds[0]}" | wc -l)
b=$(sh -c "${cmds[1]}" | wc -l)
[ "$a" = "$b" ] || log "warning: jq selected $a records, classify $b"

median_s() { # NAME CMD -> median seconds
	local json=$TMP/hf.json i t0 t1
	if command -v hyperfine >/dev/null; then
		hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$json" \
			-n "$1" "$2 >/dev/null" >>"$BENCH_DIR/results/classify-log.txt" 2>&1 ||
			die "hyperfine failed on: $2"
		jq -r '.results[0].median' "$json"
	else
		sh -c "$2" >/dev/null
		: >"$TMP/times"
		for ((i = 0; i < RUNS; i++)); do
			t0=$EPOCHREALTIME
			sh -c "$2" >/dev/null
			t1=$EPOCHREALTIME
			awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$TMP/times"
		done
		sort -g "$TMP/times" | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'
	fi
}

RESULTS=$BENCH_DIR/classify-results-$N.txt
: >"$TMP/rows"
for i in "${!cmds[@]}"; do
	log "timing ${names[$i]} ($RUNS runs) ..."
	med=$(median_s "${names[$i]}" "${cmds[$i]}")
	/usr/bin/time -f %M -o "$TMP/rss" sh -c "exec ${cmds[$i]}" >/dev/null
	printf '%s\t%s\t%s\n' "${labels[$i]}" "$med" "$(tail -n 1 "$TMP/rss")" >>"$TMP/rows"
done
{
printf 'classify benchmark, %s, %s CPUs, %s; median of %s runs\n' "$(date '+%Y-%m-%d %H:%M')" \
	"$(nproc 2>/dev/null || echo '?')" "$(jq --version)" "$RUNS"
printf '%d records, %.1f MB (gen-feed %d rss | feed2jsonl): %s\n' "$nrec" \
	"$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$N" "$RECS"
awk -F'\t' -v size="$size" -v n="$nrec" '
{ what[NR] = $1; t[NR] = $2; kb[NR] = $3 }
END {
	printf "%-52s %8s %8s %10s %8s %7s\n", "", "median s", "MB/s", "records/s", "RSS MB", "vs jq"
	for (i = 1; i <= NR; i++)
		printf "%-52s %8.3f %8.1f %10.0f %8.1f %6.2fx\n", what[i], t[i], size / 1e6 / t[i],
		    n / t[i], kb[i] * 1024 / 1e6, t[1] / t[i]
	printf "\n1,000 rules (title, summary) vs jq, 2 patterns: %.2fx faster (goal: 3x or more)\n", t[1] / t[4]
	printf "1,000 rules vs 10 rules: %.2fx the time (goal: under 1.5x)\n", t[4] / t[3]
	printf "same job as jq (title, 2 patterns, filter): %.2fx faster\n", t[1] / t[2]
}' "$TMP/rows"
} | tee "$RESULTS"
log "results in $RESULTS; hyperfine log in $BENCH_DIR/results/classify-log.txt"
