#!/usr/bin/env bash
# bench/like-eval.sh: does classify --like rank held-out papers of the
# library's field above papers of other fields? ROC AUC on the real corpus
# (../shared/corpus/real), for --like and for naive Bayes on the same split.
# Offline; needs jq and a built feed2jsonl and classify.
#
# Each field's papers split in two: one half is the library, the other is
# held out; the other fields' papers split in two as well: naive Bayes
# learns 'like' from the library and "no tag" from one half (--like needs
# no negatives), and both rank the held-out papers against the other half.
# There is no feed of algae alone in the corpus: PubMed's new-species
# search (dinoflagellates, streptophyte algae, insects) stands for it.
# On 2026-12-04 (ROC AUC):
#   field           library held-out   others  like k=5  like k=1  naive B.
#   cs.AI                43       43      115     0.962     0.951     0.968
#   botany               64       64       94     0.916     0.902     0.972
#   bioinformatics       37       36      122     0.775     0.762     0.937
set -eu
set -o pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$here/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
C=$SHARED/corpus/real
[ -d "$C" ] || { echo "like-eval.sh: no $C" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# fields: NAME FEEDS...; a record is kept once (by id), with its field
field() {
	local name=$1
	shift
	{ "$REPO/feed2jsonl" "$@" 2>/dev/null || true; } |
		jq -c --arg f "$name" 'select(.title) | {id, title, summary, field: $f}'
}
{
	field cs.AI "$C"/arxiv-new/rss.arxiv.org_atom_cs.AI_2025-08-20_truncated-not-wellformed.xml
	field botany "$C"/wiley/*TAXON*.xml "$C"/biorxiv/connect.biorxiv.org_plant-biology_2019-08_rdf.xml
	field algae+taxonomy "$C"/pubmed/*.xml
	field bioinformatics "$C"/biorxiv/connect.biorxiv.org_bioinformatics_2025-04-13_rdf.xml \
		"$C"/other-scholarly/*bioinformatics*.xml "$C"/other-scholarly/plos_*.xml \
		"$C"/nature/*.xml
} | jq -sc 'unique_by(.id) | sort_by(.id) | .[]' >"$TMP/all"

# auc: lines "LABEL SCORE" (1 positive, 0 negative) -> ROC AUC, ties half
auc() {
	sort -k2,2g | awk '
	{ lab[NR] = $1; s[NR] = $2 }
	END {
		i = 1; rank = 0
		while (i <= NR) {	# a run of equal scores shares its mean rank
			j = i
			while (j < NR && s[j + 1] == s[i]) j++
			r = (i + j) / 2
			for (k = i; k <= j; k++) if (lab[k]) { sum += r; np++ } else nn++
			i = j + 1
		}
		if (np && nn) printf "%.3f\n", (sum - np * (np + 1) / 2) / (np * nn); else print "-"
	}'
}

printf '%-15s %7s %8s %8s %9s %9s %9s\n' field library held-out others "like k=5" "like k=1" "naive B."
for f in cs.AI botany bioinformatics; do
	# the field: every other paper to the library, the rest held out;
	# other fields: every other paper to naive Bayes' negatives, the rest tested
	jq -c --arg f "$f" 'select(.field == $f)' "$TMP/all" | awk 'NR % 2' >"$TMP/lib"
	jq -c --arg f "$f" 'select(.field == $f)' "$TMP/all" | awk '!(NR % 2)' >"$TMP/pos"
	jq -c --arg f "$f" 'select(.field != $f)' "$TMP/all" | awk 'NR % 2' >"$TMP/negtrain"
	jq -c --arg f "$f" 'select(.field != $f)' "$TMP/all" | awk '!(NR % 2)' >"$TMP/neg"
	jq -c '. + {tags: ["like"]}' "$TMP/lib" | cat - "$TMP/negtrain" >"$TMP/train"
	"$REPO/classify" --train "$TMP/model" "$TMP/train"
	cat "$TMP/pos" "$TMP/neg" >"$TMP/test"
	score() { # label (1 for the field) and score of each test record
		jq -r --arg f "$f" '"\(if .field == $f then 1 else 0 end) \(.score // 0)"'
	}
	a5=$("$REPO/classify" --like "$TMP/lib" "$TMP/test" | score | auc)
	a1=$("$REPO/classify" --like "$TMP/lib" --nearest 1 "$TMP/test" | score | auc)
	# P(like): -t 0 gives every record the tag and its probability
	nb=$("$REPO/classify" -m "$TMP/model" -t 0 "$TMP/test" |
		jq -c 'if (.tags | index("like")) then . else .score = 0 end' | score | auc)
	printf '%-15s %7d %8d %8d %9s %9s %9s\n' "$f" "$(wc -l <"$TMP/lib")" "$(wc -l <"$TMP/pos")" \
		"$(wc -l <"$TMP/neg")" "$a5" "$a1" "$nb"
done
