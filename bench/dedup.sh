#!/usr/bin/env bash
# bench/dedup.sh: throughput and peak memory of dedup against jq, Miller and
# awk on generated arXiv-shaped records; the title index on titles with a
# real-world vocabulary; loading and writing a 1,000,000-key state file;
# memory per key. See bench/README.md and ../shared/design/performance.md.
set -eu
set -o pipefail

usage() {
	cat <<'EOF'
usage: bench/dedup.sh [N]

Times dedup (several modes), jq, Miller and awk on the same N generated
arXiv-shaped records (default 100000; ~10% repeats), then dedup --title on
N records with a Zipf vocabulary, then loading a STATE_KEYS-key state file,
and reports memory per key. Markdown tables go to stdout; progress goes
to stderr.

environment:
  N=100000            records (the argument wins over this)
  RUNS=5              timed runs per command (3 from N=1000000 on), after WARMUP=1
  STATE_KEYS=1000000  keys in the state file
  JQ=auto             auto: skip jq when N > 200000 (it slurps); 1: always; 0: never
  MLR=1               0: skip Miller
  TITLES=1            0: skip the title-index table
  STATE_TABLE=1       0: skip the state-file table
  DEDUP=PATH          program to time (default: <repo>/dedup)
  FEED2JSONL=PATH     converter for the records (default: <repo>/feed2jsonl)
  SHARED=DIR          shared tree holding bench/gen-feed (default: <repo>/../shared)
  BENCH_DIR=DIR       cache for inputs and results (default: /tmp/feedpipe-bench)
  REGEN=1             make the cached inputs again
EOF
}

. "$(dirname "$0")/lib.sh"
case ${1-} in
-h|--help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }

N=${1:-${N:-100000}}
STATE_KEYS=${STATE_KEYS:-1000000}
JQ=${JQ:-auto}
MLR=${MLR:-1}
TITLES=${TITLES:-1}
STATE_TABLE=${STATE_TABLE:-1}
for v in N STATE_KEYS; do
	isint "${!v}" || die "$v must be a positive integer (got '${!v}')"
done
bench_init dedup "$N"
DEDUP=${DEDUP:-$REPO/dedup}
[ -x "$DEDUP" ] || die "dedup is not built ($DEDUP): run 'make' in $REPO, or set DEDUP=/path/to/dedup"
case $JQ in
0|no) use_jq=0 ;;
1|yes) use_jq=1 ;;
auto) if [ "$N" -gt 200000 ]; then use_jq=0; else use_jq=1; fi ;;
*) die "JQ must be auto, 1 or 0 (got '$JQ')" ;;
esac
need jq jq
[ "$MLR" = 0 ] || need mlr miller

# ---- inputs --------------------------------------------------------------

RECS=$(gen_records "$N")
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
STATE=$BENCH_DIR/state-v2-$STATE_KEYS.tsv
if [ ! -s "$STATE" ] || [ "$REGEN" = 1 ]; then
	log "generating $STATE ..."
	awk -v n="$STATE_KEYS" 'BEGIN {
		print "# feedpipe dedup state v2"
		for (i = 0; i < n; i++)
			printf ".id\tarxiv:%02d%02d.%05d\t2025-%02d-%02dT06:00:00Z\n", 10 + int(i / 1200000), i / 100000 % 12 + 1, i % 100000, i / 100000 % 12 + 1, i % 28 + 1
	}' >"$STATE.tmp.$$" && mv "$STATE.tmp.$$" "$STATE"
fi
KEYS=$BENCH_DIR/keys-$STATE_KEYS.jsonl
if [ ! -s "$KEYS" ] || [ "$REGEN" = 1 ]; then
	awk -v n="$STATE_KEYS" 'BEGIN { for (i = 0; i < n; i++) printf "{\"id\":\"arxiv:%02d%02d.%05d\"}\n", 10 + int(i / 1200000), i / 100000 % 12 + 1, i % 100000 }' >"$KEYS"
fi

q() { shq "$1"; }

printf '### dedup: %s records\n\n' "$N"
printf 'Peers: %s, %s, awk (%s). ' "$(jq --version)" "$([ "$MLR" = 0 ] && echo 'no mlr' || mlr --version)" \
	"$(awk -W version 2>&1 | head -n 1 | cut -d, -f1)"
timing_note

cat "$RECS" "$KEYED" >/dev/null	# into the page cache
D=$(q "$DEDUP")
row "dedup -k .id" "$D -k .id $(q "$RECS")"
row "dedup (identity: id, DOI, arXiv id, PMID, title)" "$D $(q "$RECS")"
row "dedup -k .id,.guid,.link" "$D -k .id,.guid,.link $(q "$RECS")"
row "dedup --title" "$D --title $(q "$RECS")"
row "dedup --title=0.9 (125-word vocab.)" "$D --title=0.9 $(q "$RECS")"
row "dedup --merge" "$D --merge $(q "$RECS")"
row "dedup --merge < pipe" "cat $(q "$RECS") | $D --merge"
row "dedup --state ($STATE_KEYS keys)" "$D --state $(q "$STATE") $(q "$RECS")"
JQPROG='[inputs] | to_entries | unique_by(.value.id) | sort_by(.key) | .[].value'
if [ $use_jq = 1 ]; then
	row "jq" "jq -cn $(q "$JQPROG") $(q "$RECS")"
else
	skipped jq "N > 200000: it holds every record (JQ=1 to run it)"
fi
[ "$MLR" = 0 ] || row "mlr" "mlr --ijsonl --ojsonl head -n 1 -g id $(q "$RECS")"
row "awk" "awk -F $(q '\t') $(q '!seen[$1]++') $(q "$KEYED")"
[ $use_jq = 0 ] || headline "vs jq" "$(ratio 'dedup -k .id' jq)"
[ "$MLR" = 0 ] || headline "vs mlr" "$(ratio 'dedup -k .id' mlr)"
headline "vs awk" "$(ratio 'dedup -k .id' awk)"
table "arXiv-shaped records (\`gen-feed $N rss | feed2jsonl\`, ~10% repeats)" "$(filesize "$RECS")" "$N" jq mlr awk
printf '\njq: `jq -cn %s` (jq 1.6 copies a reduce/foreach state on every update, which makes those forms quadratic; this one scales, and holds all records).\n' "'$JQPROG'"
[ "$MLR" = 0 ] || printf 'mlr: `mlr --ijsonl --ojsonl head -n 1 -g id`.\n'
printf "awk: \`awk -F'\\\\t' '!seen[\$1]++'\` on the records with the id cut out in front (not JSON-aware: its best case).\n"

if [ "$TITLES" = 1 ]; then
	cat "$ZIPF" >/dev/null
	row "dedup" "$D $(q "$ZIPF")"
	row "dedup --title" "$D --title $(q "$ZIPF")"
	row "dedup --title=0.9" "$D --title=0.9 $(q "$ZIPF")"
	row "dedup --title=0.8" "$D --title=0.8 $(q "$ZIPF")"
	table "Titles from a Zipf vocabulary of 30,000 words, 10% near repeats" "$(filesize "$ZIPF")" "$N" dedup
fi

# ---- the state file and memory per key -------------------------------------

[ "$STATE_TABLE" = 1 ] || exit 0
log "timing the state file ..."
cp "$STATE" "$TMP/state"
load=$(median_s "state load" "$D --state $(q "$STATE") /dev/null")
mark=$(median_s "state rewrite" "$D --state $(q "$TMP/state") --mark /dev/null")
read -r kb0 _ <<<"$(peak "$D /dev/null")"
read -r kbs _ <<<"$(peak "$D --state $(q "$STATE") /dev/null")"
read -r kbk _ <<<"$(peak "$D $(q "$KEYS")")"
cmp -s "$STATE" "$TMP/state" || die "--mark on no input changed the state file"
awk -v k="$STATE_KEYS" -v size="$(filesize "$STATE")" -v load="$load" -v mark="$mark" \
    -v kb0="$kb0" -v kbs="$kbs" -v kbk="$kbk" 'BEGIN {
	printf "\nThe state file: %d keys, %.1f MB (%.1f bytes a line)\n\n", k, size / 1e6, size / k
	printf "| | |\n|---|--:|\n"
	printf "| load (`dedup --state FILE /dev/null`) | %.3f s, %.0f keys/s |\n", load, k / load
	printf "| load and write again (`--mark /dev/null`) | %.3f s |\n", mark
	printf "| memory with the state / without | %.1f MB / %.1f MB: %.0f bytes a key |\n", kbs / 1024, kb0 / 1024, (kbs - kb0) * 1024 / k
	printf "| memory of %d distinct keys met in the input | %.0f bytes a key |\n", k, (kbk - kb0) * 1024 / k
}'
echo
