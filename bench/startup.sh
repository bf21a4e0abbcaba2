#!/usr/bin/env bash
# bench/startup.sh: the cost of one small feed, which is mostly start-up:
# feed2jsonl against sfeed and python3-feedparser on a 50-item RSS feed,
# with two floors that show where the time goes (an empty C program, and
# the same program linked against libxml2, whose dependencies -- ICU,
# libstdc++, liblzma, zlib -- every feed2jsonl run loads).
set -eu
set -o pipefail

usage() {
	cat <<'EOF'
usage: bench/startup.sh [N]

Mean wall time of feed2jsonl, sfeed and python3-feedparser (/usr/bin/python3)
on a generated N-item RSS feed (default 50), plus an empty C program with and
without libxml2 linked in. A Markdown table goes to stdout.

environment:
  RUNS=300            timed runs per command (feedparser: RUNS/10), after warm-up
  FEED2JSONL=PATH     program to time (default: <repo>/feed2jsonl)
  SHARED=DIR          shared tree holding bench/gen-feed (default: <repo>/../shared)
EOF
}

case ${1-} in
-h|--help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }
N=${1:-50}
case $N in ''|*[!0-9]*|0) echo "startup.sh: N must be a positive integer" >&2; exit 2 ;; esac
RUNS=${RUNS:-300}

top=$(cd "$(dirname "$0")/.." && pwd)
FEED2JSONL=${FEED2JSONL:-$top/feed2jsonl}
SHARED=${SHARED:-$top/../shared}
PY=/usr/bin/python3
for c in hyperfine sfeed jq cc; do
	command -v $c >/dev/null || { echo "startup.sh: $c not found" >&2; exit 1; }
done
[ -x "$FEED2JSONL" ] || { echo "startup.sh: $FEED2JSONL: not built (make)" >&2; exit 1; }
$PY -c 'import feedparser' 2>/dev/null ||
	{ echo "startup.sh: $PY cannot import feedparser (python3-feedparser)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$SHARED/bench/gen-feed" "$N" rss >"$tmp/feed.xml"
echo 'int main(void) { return 0; }' >"$tmp/empty.c"
cc -O2 -o "$tmp/empty" "$tmp/empty.c"
cc -O2 -o "$tmp/empty-libxml2" "$tmp/empty.c" -Wl,--no-as-needed -lxml2
cat >"$tmp/fp.py" <<'EOF'
import feedparser, sys
for e in feedparser.parse(sys.argv[1]).entries:
    sys.stdout.write(e.get("title", "") + "\n")
EOF

# time LABEL RUNS COMMAND: one table row; hyperfine runs COMMAND through sh
# and takes the shell's own start-up off, so stdin redirection is fair
time_it() {
	hyperfine -S sh -w $(($2 / 10 + 1)) -r "$2" --export-json "$tmp/r.json" \
		"$3" >/dev/null 2>&1 || { echo "startup.sh: $1 failed" >&2; exit 1; }
	jq -r --arg l "$1" '.results[0] |
		"| \($l) | \(.mean * 1000 * 100 | round / 100) | \(.stddev * 1000 * 100 | round / 100) | \(.median * 1000 * 100 | round / 100) |"' "$tmp/r.json"
}

echo "Small feed: RSS 2.0, $N items ($(wc -c <"$tmp/feed.xml") bytes), $RUNS runs"
echo
echo "| command | mean ms | σ ms | median ms |"
echo "|---|--:|--:|--:|"
time_it "feed2jsonl" "$RUNS" "'$FEED2JSONL' '$tmp/feed.xml' >/dev/null"
time_it "sfeed" "$RUNS" "sfeed <'$tmp/feed.xml' >/dev/null"
time_it "python3-feedparser" $((RUNS / 10 + 1)) "$PY '$tmp/fp.py' '$tmp/feed.xml' >/dev/null"
time_it "floor: empty C program" "$RUNS" "'$tmp/empty'"
time_it "floor: empty C program + libxml2" "$RUNS" "'$tmp/empty-libxml2'"
time_it "feed2jsonl --version" "$RUNS" "'$FEED2JSONL' --version >/dev/null"
