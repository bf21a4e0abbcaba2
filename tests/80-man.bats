#!/usr/bin/env bats
# Man pages: lint clean, and every EXAMPLES command that can run offline does.

load helper

@test "man pages are lint clean (mandoc -Tlint)" {
	command -v mandoc >/dev/null || skip "mandoc not installed"
	run2 sh -c 'mandoc -Tlint -Wwarning "$@"' sh "$TOP"/man/man[157]/*.[157]
	[ -z "$out$err" ]
}

@test "every EXAMPLES command runs (those needing the network or later programs are skipped)" {
	cd "$TOP"
	n=0
	while IFS= read -r -d '' cmd; do
		case "$cmd" in *curl*|*seen.tsv*|"{"*|"#"*) continue;; esac
		for prog in dedup classify enrich render-md render-feed; do
			case "$cmd" in *"$prog "*) [ -x "$TOP/$prog" ] || continue 2;; esac
		done
		run2 bash -o pipefail -c "$cmd"
		if [ "$status" -ne 0 ] || [ -z "$out" ]; then
			printf 'example failed (%s): %s\n%s\n' "$status" "$cmd" "$err" >&2
			return 1
		fi
		n=$((n + 1))
	done < <(tests/man-examples man/man[157]/*.[157])
	[ "$n" -ge 4 ]
}
