# push.sh: what the chat push recipes share; each of them sources it.
#
# The day's records in (files, or standard input), a short JSON summary
# made with jq (the count and the top titles with their links), the
# service's payload made from it with jq, one POST with curl. The secret (a
# webhook URL or a bot token) comes from the environment only: curl reads
# the URL on its standard input, so it is on no command line, and no
# message ever shows it (a reason the server gives is shown with every
# part of the secret taken out).
#
# environment: PUSH_TOP=5 (titles), PUSH_TITLE (default "feedpipe DATE"),
# PUSH_TIMEOUT=30 (seconds), PUSH_DRY_RUN=1 (print the payload, post nothing)

prog=${0##*/}
PUSH_TOP=${PUSH_TOP:-5}
PUSH_TITLE=${PUSH_TITLE:-feedpipe $(date -u +%Y-%m-%d)}
PUSH_TIMEOUT=${PUSH_TIMEOUT:-30}

fail() {
	printf 'push-%s: %s\n' "$prog" "$1" >&2
	exit "${2:-1}"
}

case $PUSH_TOP in ''|*[!0-9]*) fail "PUSH_TOP=$PUSH_TOP: want a number" 2 ;; esac
case $PUSH_TIMEOUT in ''|*[!0-9]*) fail "PUSH_TIMEOUT=$PUSH_TIMEOUT: want seconds" 2 ;; esac
command -v jq >/dev/null 2>&1 || fail "jq not found (Debian package jq)" 2
command -v curl >/dev/null 2>&1 || fail "curl not found (Debian package curl)" 2
work=$(mktemp -d "${TMPDIR:-/tmp}/push.XXXXXX") || fail "cannot make a temporary directory" 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# secret VAR: VAR must be set and exported; its value is never shown
secret() {
	[ -n "${PUSH_DRY_RUN-}" ] && return 0
	eval "[ -n \"\${$1-}\" ]" || fail "set $1 in the environment (it is never shown)" 2
	export "$1"
}

# build JQ-PROGRAM [file ...]: the payload, from the summary
# {title, count, items: [{title, link}]} of the records: the top PUSH_TOP by
# score (classify's), else in their order; links only to http(s) URLs
build() {
	jqprog=$1
	shift
	jq -n --arg title "$PUSH_TITLE" --argjson top "$PUSH_TOP" '
		def num: if type == "number" then . else 0 end;
		[inputs | select(type == "object")] as $r
		| {title: $title, count: ($r | length),
		   items: [$r | to_entries | sort_by(-(.value.score | num), .key) | .[:$top][] | .value
		     | {title: ((.title // "") | tostring | gsub("[\\s\\p{Cc}]+"; " ") | .[:200]),
		        link: (.link | if type == "string" and test("^https?://[^\\s]+$"; "i") then . else null end)}]}
	' "$@" > "$work/summary" || fail "cannot read the records"
	jq -c "$jqprog" "$work/summary" > "$work/payload" || fail "cannot make the payload"
}

# reason: what the server said, in a line, with the parts of the secret in
# $secretvar (its pieces between / ? = & : . of 8 bytes or more) taken out
reason() {
	jq -Rrs --arg var "$secretvar" '
		. as $raw
		| ((try (fromjson | .description // .msg // .errmsg // .message // .error // .StatusMessage)
		    catch null) // $raw | tostring) as $r
		| ($ENV[$var] // "" | [splits("[/?=&:.]")] | map(select(length >= 8))) as $parts
		| reduce $parts[] as $p ($r | gsub("[\\p{Cc}]+"; " "); split($p) | join("***"))
		| .[:200]
	' "$work/response" 2>/dev/null
}

# post VAR [JQ-TEST]: POST the payload to the URL in $VAR; success is a
# 2xx answer whose body passes JQ-TEST (if given)
post() {
	secretvar=$1
	if [ -n "${PUSH_DRY_RUN-}" ]; then
		cat "$work/payload"
		return 0
	fi
	: > "$work/response"
	code=$(eval "printf '%s' \"\$$secretvar\"" | sed 's/[\\"]/\\&/g; s/.*/url = "&"/' |
		curl -s -K - -o "$work/response" -w '%{http_code}' --max-time "$PUSH_TIMEOUT" \
			-H 'Content-Type: application/json' --data-binary @"$work/payload")
	rc=$?
	case $rc in
	0) ;;
	6) fail "cannot post: the host of $secretvar is not known (curl exit 6)" ;;
	7) fail "cannot post: no connection to the host of $secretvar (curl exit 7)" ;;
	28) fail "cannot post: no answer within $PUSH_TIMEOUT s (curl exit 28)" ;;
	*) fail "cannot post to the URL in $secretvar (curl exit $rc)" ;;
	esac
	case $code in
	2??) ;;
	*) r=$(reason); fail "the server refused the message: HTTP $code${r:+ ($r)}" ;;
	esac
	if [ -n "${2-}" ] && ! jq -e "$2" "$work/response" >/dev/null 2>&1; then
		fail "the server refused the message: $(reason)"
	fi
}
