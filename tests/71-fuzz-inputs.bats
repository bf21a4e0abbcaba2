#!/usr/bin/env bats
# Every input a fuzzer found a bug with, rerun through its target's entry
# point (fuzz/replay-TARGET, built by make check with the normal compiler or
# SANITIZE=1). A file is named TARGET-WHAT in tests/fixtures/fuzz/.

load helper

@test "every fuzz crash input runs through its target without a crash" {
	local f t n=0
	for f in "$FIX"/fuzz/*; do
		t=${f##*/}
		t=${t%%-*}
		[ -x "$TOP/fuzz/replay-$t" ] || { echo "no fuzz/replay-$t for $f" >&2; return 1; }
		run2 "$TOP/fuzz/replay-$t" "$f"
		[ "$status" -eq 0 ] || { echo "$f: exit $status: $err" >&2; return 1; }
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}
