#!/usr/bin/env bash
# bench/profile.sh: where feed2jsonl's instructions go, against sfeed's, on
# the same feed (valgrind --tool=callgrind: counts, not times, so it holds
# on a busy machine). See bench/README.md.
set -eu
set -o pipefail

usage() {
	cat <<'EOF'
usage: bench/profile.sh [N]

Runs feed2jsonl and sfeed under callgrind on a generated arXiv-shaped RSS
feed of N items (default 5000) and prints, as Markdown: instructions per
item for each, feed2jsonl's split between its own code, libxml2, libc and
the rest, and its 12 costliest functions (self cost). The callgrind files
are kept in $BENCH_DIR/results/ for callgrind_annotate.

environment:
  FORMAT=rss          rss or atom
  FEED2JSONL=PATH     program to profile (default: <repo>/feed2jsonl)
  SHARED, BENCH_DIR, REGEN: as for the other scripts
EOF
}

. "$(dirname "$0")/lib.sh"
case ${1-} in
-h|--help) usage; exit 0 ;;
-*) usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { usage >&2; exit 2; }
N=${1:-${N:-5000}}
FORMAT=${FORMAT:-rss}
isint "$N" || die "N must be a positive integer (got '$N')"
bench_init profile "$N"
need valgrind valgrind
need callgrind_annotate valgrind
need sfeed sfeed

feed=$(gen_feed "$N" "$FORMAT")
ours=$BENCH_DIR/results/callgrind.feed2jsonl.$FORMAT.$N
theirs=$BENCH_DIR/results/callgrind.sfeed.$FORMAT.$N
log "callgrind: feed2jsonl ..."
valgrind --tool=callgrind --callgrind-out-file="$ours" "$FEED2JSONL" "$feed" >/dev/null 2>>"$LOG" ||
	die "valgrind failed on feed2jsonl (see $LOG)"
log "callgrind: sfeed ..."
valgrind --tool=callgrind --callgrind-out-file="$theirs" sfeed <"$feed" >/dev/null 2>>"$LOG" ||
	die "valgrind failed on sfeed (see $LOG)"

total() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ && !t { gsub(",", "", $1); t = $1 } END { print t }'; }
# self cost of each function line: "COST<TAB>OBJECT<TAB>FUNCTION"
selfcost() {
	callgrind_annotate --auto=no --threshold=100 "$1" 2>/dev/null | awk '
	/^ *[0-9,]+ \([ 0-9.]+%\)  .*\]$/ && !/PROGRAM TOTALS/ {
		n = $1; gsub(",", "", n)
		obj = $NF; sub(/^\[/, "", obj); sub(/\]$/, "", obj); sub(/.*\//, "", obj)
		fn = $0; sub(/^ *[0-9,]+ \([ 0-9.]+%\)  /, "", fn); sub(/ \[[^]]*\]$/, "", fn)
		sub(/.*:/, "", fn)
		printf "%s\t%s\t%s\n", n, obj, fn
	}'
}
to=$(total "$ours")
tt=$(total "$theirs")
selfcost "$ours" >"$TMP/self"

printf '### Where feed2jsonl'"'"'s time goes: callgrind, `gen-feed %s %s` (%.1f MB)\n\n' "$N" "$FORMAT" \
	"$(awk -v s="$(filesize "$feed")" 'BEGIN { print s / 1e6 }')"
awk -v to="$to" -v tt="$tt" -v n="$N" 'BEGIN {
	printf "| program | instructions | per item | sfeed / this |\n|---|--:|--:|--:|\n"
	printf "| feed2jsonl | %.1f M | %.0f | %.2f× |\n", to / 1e6, to / n, tt / to
	printf "| sfeed | %.1f M | %.0f | 1 |\n\n", tt / 1e6, tt / n
}'
awk -F'\t' -v to="$to" '
{ o = $2; if (o ~ /^feed2jsonl/) o = "feed2jsonl (our code)"; else if (o ~ /^libxml2/) o = "libxml2"; else if (o ~ /^libc[.-]/) o = "libc (memcpy, malloc, string functions)"; else o = "other (loader, ICU, libm ...)"; s[o] += $1; all += $1 }
END {
	print "| feed2jsonl, by object | instructions | share |\n|---|--:|--:|"
	s["other (loader, ICU, libm ...)"] += to - all
	for (k in s) printf "| %s | %.1f M | %.1f%% |\n", k, s[k] / 1e6, 100 * s[k] / to
}' "$TMP/self" | { IFS= read -r h; IFS= read -r sep; printf '%s\n%s\n' "$h" "$sep"; sort -t'|' -k3 -rn; }
# (no head(1) after sort: with pipefail, sort's SIGPIPE would end the script)
awk -F'\t' -v to="$to" -v tt="$tt" '$2 ~ /^feed2jsonl/ { own += $1 } END {
	printf "\nWith its own code costing nothing, feed2jsonl would run %.0f M instructions: %.2f× sfeed'"'"'s count. That bounds what tuning our code can give with libxml2 doing the parsing.\n", (to - own) / 1e6, tt / (to - own) }' "$TMP/self"
printf '\n| costliest functions (self)  | object | instructions | share |\n|---|---|--:|--:|\n'
sort -t"$(printf '\t')" -k1,1 -rn "$TMP/self" |
	awk -F'\t' -v to="$to" 'NR <= 12 { printf "| %s | %s | %.1f M | %.1f%% |\n", $3, $2, $1 / 1e6, 100 * $1 / to }'
echo
