#!/usr/bin/env bats
# feed2jsonl: publisher shapes, hostile input, options, exit codes.

load helper

# The sample feeds in examples/ imitate each publisher's quirks.
check_example() {
	run2 feed2jsonl "examples/feeds/$1"
	same "$TMP/out" "$FIX/feed2jsonl/examples/$1.jsonl"
	[ ! -s "$TMP/err" ]
	[ "$status" -eq 0 ]
}

setup_file() {
	cd "$BATS_TEST_DIRNAME/.."
}

@test "arXiv RSS: announce types, versions, TeX accents in authors, primary first" { cd "$TOP"; check_example arxiv-cs.LG.rss.xml; }
@test "arXiv Atom (rss.arxiv.org): microsecond dates, Announce Type prefix removed" { cd "$TOP"; check_example arxiv-physics.comp-ph.atom.xml; }
@test "arXiv API Atom: primary_category, versioned ids, wrapped text, journal_ref" { cd "$TOP"; check_example arxiv-api.atom.xml; }
@test "APS: Author(s) and [citation] Published removed from the description" { cd "$TOP"; check_example aps-prl.rdf.xml; }
@test "Nature: several dc:creator, citation line removed, prism:doi" { cd "$TOP"; check_example nature-natmachintell.rdf.xml; }
@test "Wiley: abstract from dc:description, authors split over lines" { cd "$TOP"; check_example wiley-advmat.rdf.xml; }
@test "ChemRxiv: titles over lines, DOI behind dx.doi.org?rft_dat" { cd "$TOP"; check_example chemrxiv.rss.xml; }
@test "Research Square: double-escaped entities decoded" { cd "$TOP"; check_example researchsquare.rss.xml; }
@test "bioRxiv: surname-initial pairs are one author each" { cd "$TOP"; check_example biorxiv.rdf.xml; }
@test "blog Atom: xml:base, script removed, xhtml content" { cd "$TOP"; check_example blog.atom.xml; }
@test "JSON Feed 1.1" { cd "$TOP"; check_example blog.json; }

@test "author lists: and, Oxford comma, lines, pairs, TeX, RSS e-mail form" { check_feed_case authors; }
@test "dates: named zones, no seconds, fractions, date only, prism zone, garbage" { check_feed_case dates; }
@test "RSS 0.91" { check_feed_case rss091; }
@test "RSS 0.90 (Netscape namespace)" { check_feed_case rss090; }
@test "Atom 0.3: issued, modified, escaped content" { check_feed_case atom03; }
@test "Atom text types: text is literal, html and xhtml become text" { check_feed_case atom-text-types; }
@test "xml:base resolves relative links per element" { check_feed_case xml-base; }
@test "CDF (Microsoft, 1997): HREF and LASTMOD attributes" { check_feed_case cdf; }
@test "Windows-1252 C1 controls and double-encoded UTF-8 are repaired" { check_feed_case mojibake; }
@test "a bare & is a literal &; &#X41; is A; CDATA and comments untouched" { check_feed_case bare-ampersand; }

@test "undeclared HTML entities decode and do not lose the feed" { check_feed_case undeclared-entity; }
@test "truncated feed: complete items before the break, exit 1" { check_feed_case truncated; }
@test "external entities are never read" { check_feed_case xxe; }
@test "entity-expansion bomb stops fast" { check_feed_case entity-bomb; }
@test "invalid UTF-8: replaced, rest of the item kept" { check_feed_case invalid-utf8; }
@test "declared ISO-8859-1 becomes UTF-8" { check_feed_case wrong-encoding; }
@test "HTML error page: not a feed" { check_feed_case html-page; }
@test "plain text: not a feed" { check_feed_case not-xml; }
@test "empty input" { check_feed_case empty; }
@test "broken JSON Feed" { check_feed_case json-broken; }
@test "JSON that is not a JSON Feed" { check_feed_case json-not-feed; }

@test "100,000-deep nesting ends fast with a message" {
	awk 'BEGIN { printf "<rss><channel>"; for (i = 0; i < 100000; i++) printf "<x>"; }' > "$TMP/deep.xml"
	run2 timeout 10 feed2jsonl "$TMP/deep.xml"
	[ "$status" -eq 1 ]
	[ "$err" = "feed2jsonl: $TMP/deep.xml:1: elements nested more than 256 deep; the rest is skipped" ]
}

@test "a huge text node is cut, not kept whole, and memory stays bounded" {
	# under valgrind, time measures valgrind's memory too (about 100 MB here)
	not_under_valgrind "measures memory"
	{ printf '<rss><channel><item><title>big</title><description>'; head -c 30000000 /dev/zero | tr '\0' a; printf '</description></item></channel></rss>'; } > "$TMP/big.xml"
	run2 /usr/bin/time -f '%M' feed2jsonl "$TMP/big.xml"
	rss=$(tail -n 1 "$TMP/err")
	[ "$rss" -lt 100000 ]
}

@test "stdin and - read standard input; names show as <stdin>" {
	run2 sh -c 'printf "<rss><channel><item><title>a</title></item>" | feed2jsonl -'
	[ "$status" -eq 1 ]
	[ "$out" = '{"id":"sha1:86f7e437faa5a7fce15d1ddcb9eaeaea377667b8","title":"a"}' ]
	[ "$err" = "feed2jsonl: <stdin>:1: premature end of document inside <channel>; complete items kept" ]
}

@test "several files: each in order; a missing one is reported, the rest still done" {
	cd "$FIX/feed2jsonl"
	run2 feed2jsonl rss091/input nosuchfile rss090/input
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "$out" | jq -r .title)" = "$(printf 'First post\nAn item')" ]
	[ "$err" = "feed2jsonl: nosuchfile: No such file or directory" ]
}

@test "--source sets feed.name" {
	run2 feed2jsonl --source cs.LG "$FIX/feed2jsonl/rss091/input"
	[ "$(printf '%s' "$out" | jq -c .feed)" = '{"title":"Old School","link":"http://example.org/","name":"cs.LG"}' ]
}

@test "--keep-html adds summary_html as the feed gave it" {
	run2 feed2jsonl -k "$FIX/feed2jsonl/atom-text-types/input"
	[ "$(printf '%s\n' "$out" | head -n 1 | jq -r .summary_html)" = '<p>One</p><p>Two <script>alert(1)</script>three</p>' ]
}

@test "--channel prints one object per feed" {
	cd "$TOP"
	run2 feed2jsonl --channel examples/feeds/arxiv-cs.LG.rss.xml "$FIX/feed2jsonl/rss091/input"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | sed -n 2p)" = '{"feed":{"title":"Old School","link":"http://example.org/","description":"An RSS 0.91 feed","language":"en-us"}}' ]
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]
}

@test "--help goes to stdout and exits 0; a bad option exits 2" {
	run2 feed2jsonl --help
	[ "$status" -eq 0 ]
	[[ "$out" == "usage: feed2jsonl [-ck] [-s name] [file ...]"* ]]
	run2 feed2jsonl --bogus
	[ "$status" -eq 2 ]
	[[ "$err" == *"usage: feed2jsonl"* ]]
	run2 feed2jsonl --version
	[[ "$out" == "feed2jsonl "[0-9]* ]]
}

@test "write error on stdout: message and exit 2" {
	run2 sh -c 'feed2jsonl "$1" > /dev/full' sh "$TOP/examples/feeds/arxiv-cs.LG.rss.xml"
	[ "$status" -eq 2 ]
	[[ "$err" == "feed2jsonl: <stdout>: write error: No space left on device" ]]
}

@test "a closed pipe ends quietly" {
	run2 sh -c 'feed2jsonl "$1" | head -n 1 >/dev/null' sh "$TOP/examples/feeds/arxiv-cs.LG.rss.xml"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
}

@test "every output line is valid JSON with a title and an id" {
	cd "$TOP"
	feed2jsonl examples/feeds/* 2>/dev/null | jq -e 'select((.id|type) != "string" or (.title|type) != "string")' > "$TMP/bad" || true
	[ ! -s "$TMP/bad" ]
}

# An item whose <description> is N bytes of "é" (two bytes each) after "a",
# between two small items.
long_item_feed() {
	printf '<rss version="2.0"><channel><title>t</title>\n<item><title>one</title></item>\n<item><title>two</title><description>a'
	head -c "$(($1 / 2))" /dev/zero | tr '\0' x | sed 's/x/é/g'
	printf '</description></item>\n<item><title>three</title></item>\n</channel></rss>\n'
}

@test "text over 8 MiB: cut at a character boundary, never spliced; said; exit 1" {
	long_item_feed 9000000 > "$TMP/long.xml"
	run2 feed2jsonl "$TMP/long.xml"
	[ "$status" -eq 1 ]
	[ "$err" = "feed2jsonl: $TMP/long.xml:3: <description> longer than 8 MiB: the rest of it is left out" ]
	[ "$(printf '%s\n' "$out" | jq -r .title | tr '\n' ' ')" = "one two three " ]
	# "a" and 4194303 whole "é": 8388607 bytes, the most that fits
	[ "$(printf '%s\n' "$out" | jq 'select(.title == "two") | .summary | length')" -eq 4194304 ]
	summary=$(printf '%s\n' "$out" | jq -r 'select(.title == "two") | .summary')
	[ "${#summary}" -eq 8388607 ]	# bytes: LC_ALL=C
	[ -z "$(printf '%s' "$summary" | sed 's/é//g; s/^a//')" ]
}

@test "text of exactly 8 MiB is kept whole, without a message" {
	long_item_feed 8388606 > "$TMP/long.xml"
	run2 feed2jsonl "$TMP/long.xml"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.title == "two") | .summary' | wc -c)" -eq 8388608 ]
}

@test "empty attributes (href=\"\", term=\"\") give no stray bytes" {
	for i in 1 2 3 4 5 6 7 8; do
		printf '<entry><title>e%d</title><id>i%d</id><link href=""/><category term=""/></entry>\n' "$i" "$i"
	done > "$TMP/entries"
	{ printf '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>\n'; cat "$TMP/entries"
	  printf '<entry xml:base="http://example.org/a/"><title>b</title><id>b</id><link href=""/></entry>\n</feed>\n'; } > "$TMP/empty.xml"
	run2 feed2jsonl "$TMP/empty.xml"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	# nothing but what the feed said: no link or category from nowhere
	[ "$(printf '%s\n' "$out" | jq -c 'select(.title != "b") | [.link, .categories]' | sort -u)" = '[null,null]' ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.title == "b") | .link')" = "http://example.org/a/" ]
}
