#!/usr/bin/env bats
# feed2jsonl reading rules (issue 13): each case a fixture directory in
# fixtures/feed-reading (input, expected, stderr if any, status).

load helper

check_reading_case() {
	check_feed_case "$1" "$FIX/feed-reading"
}

@test "undeclared prefixes: atom:link rel=self does not replace the link, dc: read as Dublin Core, an unknown prefix not read, each said once" {
	check_reading_case undeclared-prefix
}

@test "iTunes namespace spelt http://www.itunes.com/DTDs/PodCast-1.0.dtd" { check_reading_case itunes-namespace-case; }

@test "iTunes namespace in capitals, and the spec's example.com URI" {
	for ns in HTTP://WWW.ITUNES.COM/DTDS/PODCAST-1.0.DTD http://example.com/DTDs/Podcast-1.0.dtd; do
		printf '<rss xmlns:itunes="%s"><channel><item><title>t</title><itunes:author>Ada</itunes:author></item></channel></rss>\n' "$ns" > "$TMP/in.xml"
		run2 feed2jsonl "$TMP/in.xml"
		[ "$status" -eq 0 ]
		[ "$(jq -c .authors "$TMP/out")" = '["Ada"]' ]
	done
}

@test "Atom text of a binary type is decoded only when it is base64 of text" { check_reading_case base64-only-when-base64; }

@test "escaped HTML inside an XHTML <div> of type=\"html\" content is HTML" { check_reading_case escaped-html-in-xhtml-div; }

@test "JSON Feed \"version\": \"1.0\" is read as version 1, with a message" { check_reading_case jsonfeed-version-number; }

@test "JSON Feed \"version\": \"1.1\" is read as version 1.1; \"2.0\" is still refused" {
	printf '{"version": "1.1", "items": [{"id": "1", "title": "t"}]}\n' > "$TMP/v.json"
	run2 feed2jsonl "$TMP/v.json"
	[ "$status" -eq 1 ]
	[ "$out" = '{"id":"guid:1","title":"t","guid":"1"}' ]
	[ "$err" = "feed2jsonl: $TMP/v.json:1: JSON Feed \"version\" is \"1.1\", not its URL; read as https://jsonfeed.org/version/1.1" ]
	printf '{"version": "2.0", "items": [{"id": "1", "title": "t"}]}\n' > "$TMP/v.json"
	run2 feed2jsonl "$TMP/v.json"
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[ "$err" = "feed2jsonl: $TMP/v.json:1: not a feed (JSON without a JSON Feed \"version\")" ]
}

@test "an entity bomb is kept as its reference, and the items after it are read" { check_reading_case entity-bomb-items-after; }

@test "RSS elements in another case (<Title>, <PubDate>) are read" { check_reading_case rss-element-case; }
