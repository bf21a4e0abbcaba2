# Shared by every bats file: paths, a temp dir, and fixture comparison.
export LC_ALL=C
TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
FIX="$TOP/tests/fixtures"
SHARED="$TOP/../shared"
PATH="$TOP:$PATH"

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
