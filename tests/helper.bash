# Shared by every bats file: paths, a temp dir, and fixture comparison.
export LC_ALL=C
TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
FIX="$TOP/tests/fixtures"
SHARED="$TOP/../shared"
# Where the tests run the programs from: the build, or under
# tests/valgrind-check a directory of wrappers of the same names that run
# them under valgrind. A test names a program alone (found in PATH) or, where
# it needs a path, as "$BINDIR/prog"; "$TOP/prog" is the build itself, for
# "is it built?" checks.
BINDIR=${FEEDPIPE_WRAP:-$TOP}
PATH="$BINDIR:$PATH"

# For a test that measures time or memory, which valgrind changes, not the
# program: skip it under tests/valgrind-check, saying why.
not_under_valgrind() {
	[ -z "${FEEDPIPE_WRAP-}" ] || skip "$1; not run under valgrind"
}

setup() {
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
}

teardown() {
	rm -rf "$TMP"
}

# Run a command with stdout and stderr kept apart: $status, $out, $err.
run2() {
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
	set -e
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}

# Compare a file with the expected one; show a diff on failure.
same() {
	diff -u "$2" "$1" >&2
}

# Run feed2jsonl in DIR/NAME (DIR: fixtures/feed2jsonl unless given) on its
# input and compare stdout, stderr (none if there is no stderr file) and status.
check_feed_case() {
	local dir="${2:-$FIX/feed2jsonl}/$1"
	cd "$dir"
	run2 feed2jsonl input
	cd - >/dev/null
	same "$TMP/out" "$dir/expected"
	if [ -f "$dir/stderr" ]; then same "$TMP/err" "$dir/stderr"; else [ ! -s "$TMP/err" ]; fi
	[ "$status" -eq "$(cat "$dir/status")" ]
}

# The ids and tags of what classify ARGS... writes for $C/records.jsonl, in
# $got: "t:1=ML t:4=ML,DFT"
tags_of() {
	run2 classify "$@" "$C/records.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	got=$(printf '%s\n' "$out" | jq -r 'select(.tags) | "\(.id)=\(.tags | join(","))"' | tr '\n' ' ')
	got=${got% }
}

# start_server SCRIPT [ARG...]: tests/SCRIPT (a server on 127.0.0.1) in the
# background as $SERVER, once it has said its port, in $PORT
start_server() {
	local script=$1
	shift
	python3 "$TOP/tests/$script" "$@" > "$TMP/port" &
	SERVER=$!
	for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
	PORT=$(cat "$TMP/port")
}
