#!/usr/bin/env bats
# Fixes found by running feedparser's test feeds again (issue 13); each case
# a fixture directory in fixtures/conformance-fixes (input, expected,
# stderr if any, status).

load helper

check_fix_case() {
	check_feed_case "$1" "$FIX/conformance-fixes"
}

@test "JSON Feed attachments: the first url is the item's enclosure, as in RSS, never its link" {
	check_fix_case attachments
}

@test "an RSS enclosure and the same JSON Feed attachment give an item without title or link the same id" {
	check_fix_case rss-enclosure
	rss=$(head -n 1 "$FIX/conformance-fixes/rss-enclosure/expected")
	json=$(head -n 1 "$FIX/conformance-fixes/attachments/expected")
	[ "${rss%%,*}" = "${json%%,*}" ]
	sum=$(printf 'enclosure https://e.org/ep1.mp3\n' | sha1sum)
	[ "${rss%%,*}" = "{\"id\":\"sha1:${sum%% *}\"" ]
}
