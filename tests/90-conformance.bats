#!/usr/bin/env bats
# feedparser's own test feeds, through ../shared/tools/feedparser-conformance.
# The known differences are documented in tests/conformance.md; the floor is
# raised as feed2jsonl improves.

load helper

FLOOR_PASSED=1336

@test "feedparser conformance: at least $FLOOR_PASSED checks pass" {
	tool="$SHARED/tools/feedparser-conformance"
	[ -x "$tool" ] || skip "no ../shared/tools/feedparser-conformance"
	python3 "$tool" "$BINDIR/feed2jsonl" > "$TMP/report"
	last=$(tail -n 1 "$TMP/report")
	echo "# conformance: $last" >&3
	passed=${last%% passed*}
	[ "$passed" -ge "$FLOOR_PASSED" ]
}
