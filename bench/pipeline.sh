#!/usr/bin/env bash
# bench/pipeline.sh: the whole pipeline, feed to Markdown, against the same
# job done by sfeed, awk and jq. See bench/README.md.
set -eu
set -o pipefail

usage() {
	cat <<'EOF'
usage: bench/pipeline.sh [N]

Times, on a generated arXiv-shaped RSS feed of N items (default 100000):

  feedpipe (same job)  feed2jsonl | dedup | classify -e RULE --keep x | render-md
  sfeed + awk + jq     sfeed | awk '!seen[$6]++' | jq -Rr 'split("\t") | select(..) | template'
  feedpipe (daily)     feed2jsonl | dedup --merge | classify -r examples/rules
                       | render-md -l toc -g .arxiv.primary   (what the daily digest runs)

The first two keep the same records (titles matching neural or learning,
first of each id) and write the same list layout; sfeed's side does no
text clean-up and no Markdown escaping. A Markdown table goes to stdout,
progress to stderr.

environment:
  N=100000            items (the argument wins over this)
  RUNS=5              timed runs (3 from N=1000000 on), after WARMUP=1
  SHARED=DIR          shared tree holding bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR       cache for feeds and results (default: /tmp/feedpipe-bench)
  REGEN=1             regenerate the cached feed
EOF
}

. "$(dirname "$0")/lib.sh"
bench_args 100000 "$@"
bench_init pipeline "$N"
for p in dedup classify render-md; do
	[ -x "$REPO/$p" ] || die "$p is not built: run 'make' in $REPO first"
done
need sfeed sfeed
need jq jq

feed=$(gen_feed "$N" rss)
q() { shq "$1"; }
B=$(q "$REPO")
OURS="$B/feed2jsonl $(q "$feed") | $B/dedup | $B/classify -e 'x in title: *neural* *learning*' --keep x | $B/render-md"
JQ_TEMPLATE='split("\t") | select(.[1] | test("neural|learning"; "i"))
  | "# \(.[1])\n\nLink: \(.[2])\n\n**Authors:** \(.[6])\n\n\(.[3])\n\n---\n"'
PEER="sfeed < $(q "$feed") | awk -F '\t' '!seen[\$6]++' | jq -Rr $(q "$JQ_TEMPLATE")"
DAILY="$B/feed2jsonl $(q "$feed") | $B/dedup --merge | $B/classify -r $B/examples/rules | $B/render-md -l toc -g .arxiv.primary"

# the same records on both sides?
a=$(sh -c "$B/feed2jsonl $(q "$feed") | $B/dedup | $B/classify -e 'x in title: *neural* *learning*' --keep x" | wc -l)
b=$(sh -c "sfeed < $(q "$feed") | awk -F '\t' '!seen[\$6]++' | jq -Rc 'split(\"\t\") | select(.[1] | test(\"neural|learning\"; \"i\"))'" | wc -l)
[ "$a" = "$b" ] || warn "feedpipe keeps $a records, sfeed + awk + jq $b"

printf '### The whole pipeline: %s items\n\n' "$N"
printf 'Both sides keep the same %s records (first of each id, title matching neural or learning) and write the list layout; the peer does no text clean-up and no Markdown escaping. Peak RSS is that of the largest process of the pipeline. ' "$a"
timing_note
printf '\n- feedpipe (same job): `feed2jsonl FEED | dedup | classify -e '"'"'x in title: *neural* *learning*'"'"' --keep x | render-md`\n'
printf -- '- sfeed + awk + jq: `sfeed < FEED | awk -F'"'"'\\t'"'"' '"'"'!seen[$6]++'"'"' | jq -Rr '"'"'split("\\t") | select(.[1] | test("neural|learning"; "i")) | "# \\(.[1])\\n\\n..."'"'"'`\n'
printf -- '- feedpipe (daily): `feed2jsonl FEED | dedup --merge | classify -r examples/rules | render-md -l toc -g .arxiv.primary`\n'
cat "$feed" >/dev/null
row "feedpipe (same job)" "$OURS"
row "sfeed + awk + jq" "$PEER"
row "feedpipe (daily)" "$DAILY"
headline "vs sfeed + awk + jq" "$(ratio 'feedpipe (same job)' 'sfeed + awk + jq')"
table "RSS 2.0, \`gen-feed $N rss\`" "$(filesize "$feed")" "$N" "sfeed + awk + jq"
echo
