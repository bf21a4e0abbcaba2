#!/usr/bin/env bash
# bench/feed2jsonl.sh: throughput, peak memory and small-feed latency of
# feed2jsonl against sfeed and python3-feedparser on generated arXiv-shaped
# feeds. See bench/README.md and ../shared/design/performance.md.
set -eu
set -o pipefail

usage() {
	cat <<'EOF'
usage: bench/feed2jsonl.sh [N]

Times feed2jsonl, sfeed and python3-feedparser on the same generated
arXiv-shaped RSS and Atom feeds of N items (default 100000), then the
median wall time of each on a 50-item feed. Markdown tables go to stdout;
progress goes to stderr.

environment:
  N=100000            items per feed (the argument wins over this)
  RUNS=5              timed runs per tool (3 from N=1000000 on), after WARMUP=1
  FP_RUNS=2           timed runs for feedparser (it is ~50x slower)
  FEEDPARSER=auto     auto: skip feedparser on the big feeds when N > 200000
                      (it takes ~8 GB and minutes there); 1: always; 0: never
  SMALL_N=50          items in the small feed
  SMALL_RUNS=200      timed runs per tool on the small feed
  FORMATS="rss atom"  which big feeds to time
  FEED2JSONL=PATH     program to time (default: <repo>/feed2jsonl)
  SHARED=DIR          shared tree holding bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR       cache for feeds and results (default: /tmp/feedpipe-bench)
  REGEN=1             regenerate the cached feeds
EOF
}

. "$(dirname "$0")/lib.sh"
case ${1-} in
-h|--help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }

N=${1:-${N:-100000}}
isint "$N" || die "N must be a positive integer (got '$N')"
FP_RUNS=${FP_RUNS:-2}
FEEDPARSER=${FEEDPARSER:-auto}
SMALL_N=${SMALL_N:-50}
SMALL_RUNS=${SMALL_RUNS:-200}
FORMATS=${FORMATS:-rss atom}
for v in FP_RUNS SMALL_N SMALL_RUNS; do
	isint "${!v}" || die "$v must be a positive integer (got '${!v}')"
done
for f in $FORMATS; do
	case $f in rss|atom) ;; *) die "FORMATS: unknown format '$f' (rss, atom)" ;; esac
done
bench_init feed2jsonl "$N"
need sfeed sfeed
need jq jq

PY=/usr/bin/python3
case $FEEDPARSER in
0|no) fp_big=0 fp_small=0 ;;
1|yes) fp_big=1 fp_small=1 ;;
auto) fp_small=1; if [ "$N" -gt 200000 ]; then fp_big=0; else fp_big=1; fi ;;
*) die "FEEDPARSER must be auto, 1 or 0 (got '$FEEDPARSER')" ;;
esac
if [ $fp_small = 1 ]; then
	[ -x $PY ] && $PY -c 'import feedparser' 2>/dev/null ||
		die "$PY cannot import feedparser: install the Debian package 'python3-feedparser' (or FEEDPARSER=0)"
fi

# feedparser, writing roughly the fields feed2jsonl writes
FP_SCRIPT=$TMP/feedparser2jsonl.py
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

F=$(shq "$FEED2JSONL")
small=$(gen_feed "$SMALL_N" rss)
nl=$("$FEED2JSONL" "$small" | wc -l)
[ "$nl" = "$SMALL_N" ] || warn "feed2jsonl wrote $nl lines for the $SMALL_N-item feed"

printf '### feed2jsonl: %s items\n\n' "$N"
printf 'Peers: sfeed %s (writes TSV, does no text clean-up), python3-feedparser %s (a script writing the same fields as JSON Lines). ' \
	"$(pkgver sfeed)" "$(pkgver python3-feedparser)"
timing_note

for fmt in $FORMATS; do
	file=$(gen_feed "$N" "$fmt")
	cat "$file" >/dev/null
	row feed2jsonl "$F $(shq "$file")"
	row sfeed "sfeed < $(shq "$file")"
	if [ $fp_big = 1 ]; then
		RUNS=$FP_RUNS row feedparser "$PY $(shq "$FP_SCRIPT") $(shq "$file")"
	else
		skipped feedparser "N > 200000 (FEEDPARSER=1 to run it)"
	fi
	headline "$fmt vs sfeed" "$(ratio feed2jsonl sfeed)"
	[ $fp_big = 0 ] || headline "$fmt vs feedparser" "$(ratio feed2jsonl feedparser)"
	table "$([ "$fmt" = rss ] && echo 'RSS 2.0' || echo 'Atom 1.0'), \`gen-feed $N $fmt\`" \
		"$(filesize "$file")" "$N" sfeed feedparser
done

# the small feed: start-up and per-feed cost. hyperfine runs each command
# through sh -c and takes the shell's own start-up off.
RUNS=$SMALL_RUNS WARMUP=10 row feed2jsonl "$F $(shq "$small")"
RUNS=$SMALL_RUNS WARMUP=10 row sfeed "sfeed < $(shq "$small")"
[ $fp_small = 0 ] || RUNS=10 WARMUP=1 row feedparser "$PY $(shq "$FP_SCRIPT") $(shq "$small")"
headline "small feed ($SMALL_N items) vs sfeed" "$(ratio feed2jsonl sfeed)"
awk -F'\t' -v n="$SMALL_N" -v runs="$SMALL_RUNS" '
BEGIN {
	printf "\nSmall feed, RSS 2.0, %d items (median of %d runs; feedparser 10):\n\n", n, runs
	print "| command | median ms | peak RSS MB |\n|---|--:|--:|"
}
{ printf "| %s | %.2f | %.1f |\n", $1, $2 * 1000, $3 * 1024 / 1e6 }' "$TMP/rows"
: >"$TMP/rows"
echo
