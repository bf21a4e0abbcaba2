#!/usr/bin/env bats
# bench/ab's interface (the timing itself is never tested: see bench/README.md).
load helper

@test "bench/ab --help: the usage on stdout, exit 0" {
	run2 "$TOP/bench/ab" --help
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(sed -n 1p "$TMP/out")" = 'usage: bench/ab [REV [N]]' ]
}

@test "bench/ab: three operands or an unknown option is a usage error, exit 2" {
	run2 "$TOP/bench/ab" a b c
	[ "$status" -eq 2 ]
	[ -z "$out" ]
	[ "$(sed -n 1p "$TMP/err")" = 'usage: bench/ab [REV [N]]' ]
	run2 "$TOP/bench/ab" -x
	[ "$status" -eq 2 ]
}

@test "bench/ab: N that is no positive integer is said before anything is built, exit 1" {
	run2 "$TOP/bench/ab" HEAD 0
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[ "$err" = "ab: N must be a positive integer (got '0')" ]
}
