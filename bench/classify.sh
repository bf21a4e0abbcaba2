#!/usr/bin/env bash
# bench/classify.sh: classify against jq on generated arXiv-shaped records
# (speed), and the naive Bayes model on labelled real data (quality).
# See bench/README.md and ../shared/design/performance.md.
set -eu
set -o pipefail

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
  RUNS=5              timed runs per command (3 from N=1000000 on), after WARMUP=1
  MLR=1               0: skip Miller
  CLASSIFY=PATH       program to time (default: <repo>/classify)
  SHARED=DIR          shared tree with bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR       cache for inputs and results (default: /tmp/feedpipe-bench)
  REGEN=1             make the cached records again
EOF
}

. "$(dirname "$0")/lib.sh"
mode=speed
case ${1-} in
-h|--help) usage; exit 0 ;;
eval) mode=eval; shift ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }
N=${1:-${N:-100000}}
isint "$N" || die "N must be a positive integer (got '$N')"
MLR=${MLR:-1}
bench_init classify "$N"
CLASSIFY=${CLASSIFY:-$REPO/classify}
[ -x "$CLASSIFY" ] || die "classify is not built ($CLASSIFY): run 'make' in $REPO"
need jq jq
[ "$MLR" = 0 ] || need mlr miller

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

RECS=$(gen_records "$N")
size=$(filesize "$RECS")

# 10 topic rules, as a reader writes them; they match the generated text
cp "$BENCH_LIB_DIR/rules10" "$TMP/rules10"
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
JQ_CMD="jq -c 'select(.title|test(\"neural|learning\";\"i\"))' $R"
TWO="$C -e 'x in title: *neural* *learning*' --keep x $R"
MLR_CMD="mlr --ijsonl --ojsonl filter '\$title =~ \"(neural|learning)\"i' $R"

# the ways of asking for the same records must agree
a=$(sh -c "$JQ_CMD" | wc -l)
b=$(sh -c "$TWO" | wc -l)
[ "$a" = "$b" ] || warn "jq selected $a records, classify $b"

printf '### classify: %s records\n\n' "$N"
printf 'Peers: %s, %s. The 10 rules are bench/classify.sh'"'"'s topic rules; the 1,000 add 990 generated keyword rules that seldom match. ' \
	"$(jq --version)" "$([ "$MLR" = 0 ] && echo 'no mlr' || mlr --version)"
timing_note
cat "$RECS" >/dev/null
row "jq, 2 patterns" "$JQ_CMD"
[ "$MLR" = 0 ] || row "mlr, 2 patterns" "$MLR_CMD"
row "classify, 2 patterns" "$TWO"
row "classify -r rules10" "$C -r $TMP/rules10 $R"
row "classify -r rules1000" "$C -r $TMP/rules1000 $R"
row "classify -r rules1000 (title only)" "$C -r $TMP/rules1000t $R"
row "classify -m model (naive Bayes, 12 tags)" "$C -m $TMP/model $R"
headline "same job vs jq" "$(ratio 'classify, 2 patterns' 'jq, 2 patterns')"
headline "1000 rules vs jq (goal 3×)" "$(ratio 'classify -r rules1000' 'jq, 2 patterns')"
r=$(ratio 'classify -r rules1000' 'classify -r rules10')
headline "time of 1000 rules / 10 (goal < 1.5)" "$(awk -v r="${r%×}" 'BEGIN { printf "%.2f\n", (r > 0 ? 1 / r : 0) }')"
table "arXiv-shaped records (\`gen-feed $N rss | feed2jsonl\`)" "$size" "$N" "jq, 2 patterns" "mlr, 2 patterns"
printf '\njq: `%s`; mlr: `%s`.\n\n' "jq -c 'select(.title|test(\"neural|learning\";\"i\"))'" \
	"mlr --ijsonl --ojsonl filter '\$title =~ \"(neural|learning)\"i'"
