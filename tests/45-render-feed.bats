#!/usr/bin/env bats
# render-feed: records to Atom 1.0 and JSON Feed 1.1; the round trip through
# feed2jsonl on the real corpus, feedparser without a bozo flag, hostile
# records, entry ids, the feed's own elements, errors and memory.

load helper

RF="$FIX/render-feed"
CORPUS="$SHARED/corpus/real"
PY=/usr/bin/python3

# feedparser on the Atom file $1: "bozo N entries" ($PY has no feedparser: skip)
feedparser_says() {
	"$PY" -c 'import feedparser' 2>/dev/null || skip "python3-feedparser not installed"
	"$PY" -c '
import sys, feedparser
d = feedparser.parse(sys.argv[1])
print(int(bool(d.bozo)), len(d.entries), d.get("bozo_exception") or "")' "$1"
}

# What the round trip compares: the fields feed2jsonl gives back.
keys() { jq -c '{title, link, authors, categories}' "$@"; }

@test "--help, --version and usage errors" {
	run2 render-feed --help
	[ "$status" -eq 0 ]
	[[ "$out" == "usage: render-feed "* ]]
	[ -z "$err" ]
	run2 render-feed --version
	[ "$status" -eq 0 ]
	[[ "$out" == "render-feed "[0-9]* ]]
	run2 render-feed --format rss /dev/null
	[ "$status" -eq 2 ]
	[ -z "$out" ]
	[ "$err" = "render-feed: --format rss: unknown (atom or json)" ]
	run2 render-feed --updated tomorrow /dev/null
	[ "$status" -eq 2 ]
	[ "$err" = "render-feed: --updated tomorrow: want a date such as 2025-01-16T05:00:00Z" ]
	run2 render-feed --bogus
	[ "$status" -eq 2 ]
	[[ "$err" == *"usage: render-feed "* ]]
}

@test "hostile records: the exact Atom, bad lines reported, the rest written, exit 1" {
	cd "$RF/hostile"
	run2 render-feed input.jsonl
	cd - > /dev/null
	[ "$status" -eq 1 ]
	same "$TMP/out" "$RF/hostile/expected.atom"
	[ "$err" = "render-feed: input.jsonl:5: column 13: invalid token near 'tru'
render-feed: input.jsonl:6: not a JSON object (array)" ]
	xmllint --noout "$TMP/out"
	# controls dropped, bad UTF-8 and lone surrogates U+FFFD, "]]>" escaped
	! grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f]' "$TMP/out"
	! grep -q ']]>' "$TMP/out"
	grep -qF '<summary type="text">lone � high, � low, pair 😀, nul  end</summary>' "$TMP/out"
	# no javascript: link
	! grep -q 'javascript' "$TMP/out"
	[ "$(feedparser_says "$TMP/out")" = "0 4 " ]
}

@test "hostile records: the exact JSON Feed, valid for jq, with the same ids" {
	cd "$RF/hostile"
	run2 render-feed --format json input.jsonl
	cd - > /dev/null
	[ "$status" -eq 1 ]
	same "$TMP/out" "$RF/hostile/expected.json"
	jq -e '.version == "https://jsonfeed.org/version/1.1" and (.items | length) == 4 and
	    all(.items[]; (.id | type) == "string" and (.title | type) == "string" and
	    (has("content_html") or has("content_text")))' "$TMP/out" > /dev/null
	[ "$(jq -r '.items[].id' "$TMP/out")" = "$(grep -o '<id>[^<]*</id>' "$RF/hostile/expected.atom" |
	    sed -n '2,$s/<[^>]*>//gp')" ]
}

@test "hostile records: what the Atom says reads back through feed2jsonl" {
	render-feed "$RF/hostile/input.jsonl" 2> /dev/null | feed2jsonl > "$TMP/back"
	[ "$(jq -c '[.title, .link, .categories]' "$TMP/back")" = \
'["Bell tab here ]]> <b>bold</b> & \"q\" '"'"'a'"'"'","https://example.org/a?x=1&y=2",["cs.LG","quote\"d & <x>","new\nline"]]
["Enriched","https://doi.org/10.1103/PhysRevLett.134.020602",null]
["No id, no date",null,null]
["Bad �� bytes �( and raw",null,["��"]]' ]
	# arXiv ids and DOIs are recognised again
	[ "$(jq -r .id "$TMP/back" | head -n 2 | tr '\n' ' ')" = "arxiv:2501.00001 doi:10.1103/physrevlett.134.020602 " ]
}

@test "the other programs' hostile records: well-formed, bozo-free, every record an entry" {
	for f in "$FIX/dedup/hostile-records/input.jsonl" "$FIX/render-md/hostile/input.jsonl" \
	    "$FIX/render-md/hostile-contexts/input.jsonl"; do
		n=$(grep -c . "$f")
		run2 render-feed "$f"
		[ "$status" -eq 0 ] || { echo "$f: status $status: $err" >&2; return 1; }
		[ -z "$err" ]
		xmllint --noout "$TMP/out"
		[ "$(feedparser_says "$TMP/out")" = "0 $n " ] || { echo "$f: $(feedparser_says "$TMP/out")" >&2; return 1; }
		! grep -qiE 'href="(javascript|data|vbscript):' "$TMP/out"
		[ "$(feed2jsonl "$TMP/out" | grep -c .)" -eq "$n" ]
		render-feed -f json "$f" > "$TMP/json"
		[ "$(jq '.items | length' "$TMP/json")" -eq "$n" ]
	done
}

@test "real corpus: each feed through feed2jsonl, render-feed and feed2jsonl keeps titles, links, authors, categories" {
	[ -d "$CORPUS" ] || skip "no ../shared/corpus/real"
	n=0
	for f in "$CORPUS"/*/*; do
		case "$f" in *.tsv) continue;; esac
		feed2jsonl "$f" > "$TMP/a.jsonl" 2> /dev/null || true
		[ -s "$TMP/a.jsonl" ] || continue
		for fmt in atom json; do
			run2 render-feed -f $fmt "$TMP/a.jsonl"
			[ "$status" -eq 0 ] || { echo "$f $fmt: $err" >&2; return 1; }
			if [ $fmt = atom ]; then xmllint --noout "$TMP/out"; else jq -e . "$TMP/out" > /dev/null; fi
			feed2jsonl "$TMP/out" > "$TMP/b.jsonl"
			keys "$TMP/a.jsonl" > "$TMP/a.keys"
			keys "$TMP/b.jsonl" > "$TMP/b.keys"
			same "$TMP/b.keys" "$TMP/a.keys" || { echo "round trip ($fmt): $f" >&2; return 1; }
		done
		n=$((n + 1))
	done
	[ "$n" -ge 30 ]
}

@test "real corpus: the whole of it as one Atom feed is bozo-free with every record" {
	[ -d "$CORPUS" ] || skip "no ../shared/corpus/real"
	for f in "$CORPUS"/*/*; do feed2jsonl "$f" 2> /dev/null || true; done > "$TMP/all.jsonl"
	render-feed -T corpus "$TMP/all.jsonl" > "$TMP/all.atom"
	[ "$(feedparser_says "$TMP/all.atom")" = "0 $(grep -c . "$TMP/all.jsonl") " ]
	# feed2jsonl gives the same titles and categories back, in order
	feed2jsonl "$TMP/all.atom" | jq -c '[.title, .categories]' > "$TMP/back"
	jq -c '[.title, .categories]' "$TMP/all.jsonl" | cmp - "$TMP/back"
}

@test "entry ids: arXiv, DOI and PubMed as their URLs, url: as the URL, the rest tag: IRIs" {
	printf '%s\n' '{"id":"arxiv:2501.08341","title":"a"}' '{"id":"arxiv:hep-th/9901001","title":"b"}' \
	    '{"id":"doi:10.1103/physrevlett.134.020602","title":"c"}' '{"id":"pmid:12345","title":"d"}' \
	    '{"id":"url:https://example.org/p?a=1&b=2","title":"e"}' '{"id":"guid:urn:x <y>","title":"f"}' \
	    '{"title":"g","link":"https://example.org/g"}' '{"id":"url:javascript:x","title":"h"}' > "$TMP/ids.jsonl"
	render-feed "$TMP/ids.jsonl" > "$TMP/out"
	[ "$(sed -n 's/^<id>\(.*\)<\/id>$/\1/p' "$TMP/out" | sed 1d)" = "https://arxiv.org/abs/2501.08341
https://arxiv.org/abs/hep-th/9901001
https://doi.org/10.1103/physrevlett.134.020602
https://pubmed.ncbi.nlm.nih.gov/12345/
https://example.org/p?a=1&amp;b=2
tag:feedpipe,2026:guid:urn:x%20%3Cy%3E
tag:feedpipe,2026:sha1:$(printf 'g\nhttps://example.org/g' | sha1sum | cut -c1-40)
tag:feedpipe,2026:url:javascript:x" ]
	# the same ids in the JSON Feed, unescaped
	[ "$(render-feed -f json "$TMP/ids.jsonl" | jq -r '.items[4].id')" = "https://example.org/p?a=1&b=2" ]
	# stable: the same again
	render-feed "$TMP/ids.jsonl" | cmp - "$TMP/out"
}

@test "the feed: --title, --link, --id, and updated from the records, never the clock" {
	printf '%s\n' '{"id":"a:1","title":"old","published":"2025-01-10T00:00:00Z"}' \
	    '{"id":"a:2","title":"new","published":"Fri, 17 Jan 2025 10:00:00 +0100"}' \
	    '{"id":"a:3","title":"mid","updated":"2025-01-12T00:00:00Z"}' > "$TMP/in.jsonl"
	run2 render-feed -T 'Daily <digest> & more' -l 'https://example.org/d?x=1&y=2' "$TMP/in.jsonl"
	[ "$status" -eq 0 ]
	[ "$(head -n 7 "$TMP/out")" = '<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>https://example.org/d?x=1&amp;y=2</id>
<title type="text">Daily &lt;digest&gt; &amp; more</title>
<link rel="alternate" href="https://example.org/d?x=1&amp;y=2"/>
<author><name>Daily &lt;digest&gt; &amp; more</name></author>
<generator version="0.1.0">feedpipe render-feed</generator>' ]
	# the newest date, in UTC, after the entries (RFC 4287 sets no order)
	[ "$(tail -n 2 "$TMP/out")" = '<updated>2025-01-17T09:00:00Z</updated>
</feed>' ]
	[ "$(feedparser_says "$TMP/out")" = "0 3 " ]
	[ "$(grep -c '<updated>' "$TMP/out")" -eq 4 ]
	# --id, and --updated written before the entries instead
	run2 render-feed -i urn:x:y -u 2025-02-01 "$TMP/in.jsonl"
	[ "$(sed -n 3p "$TMP/out")" = "<id>urn:x:y</id>" ]
	[ "$(sed -n 7p "$TMP/out")" = "<updated>2025-02-01T00:00:00Z</updated>" ]
	[ "$(tail -n 1 "$TMP/out")" = "</feed>" ]
	[ "$(grep -c '<updated>' "$TMP/out")" -eq 4 ]
	# the default id is a tag: IRI from the title
	[ "$(render-feed -T 'My feed' /dev/null | sed -n 3p)" = "<id>tag:feedpipe,2026:feed:My%20feed</id>" ]
	# JSON Feed: the title and home page
	[ "$(render-feed -f json -T t -l https://example.org/ "$TMP/in.jsonl" | jq -c '[.title, .home_page_url, [.items[].date_published]]')" = \
	    '["t","https://example.org/",["2025-01-10T00:00:00Z","2025-01-17T09:00:00Z",null]]' ]
}

@test "options that are not UTF-8 or hold controls: still well-formed, still JSON" {
	run2 render-feed -T $'bad \xff title\x01 ]]>' -l $'https://e.org/\xff\xc3\xa9 x' /dev/null
	[ "$status" -eq 0 ]
	xmllint --noout "$TMP/out"
	[ "$(sed -n 3,4p "$TMP/out")" = '<id>https://e.org/%FFé%20x</id>
<title type="text">bad � title ]]&gt;</title>' ]
	render-feed -f json -T $'bad \xff' -l $'https://e.org/\xff' /dev/null | jq -e '.title == "bad �"' > /dev/null
}

@test "no records: a valid empty feed in either format" {
	run2 render-feed /dev/null
	[ "$status" -eq 0 ]
	xmllint --noout "$TMP/out"
	[ "$(tail -n 2 "$TMP/out" | head -n 1)" = "<updated>1970-01-01T00:00:00Z</updated>" ]
	[ "$(render-feed -f json < /dev/null | jq -c .items)" = "[]" ]
}

@test "the enrichment becomes HTML content, each part escaped once" {
	printf '%s\n' '{"id":"x:1","title":"t","summary":"p1 <a>\n\np2","ai":{"title":"T & t","tldr":"short <b>","method":"m"}}' |
		render-feed -f json | jq -j '.items[0].content_html' > "$TMP/html"
	[ "$(cat "$TMP/html")" = '<h2>T &amp; t</h2>
<p><strong>TL;DR:</strong> short &lt;b&gt;</p>
<p><strong>Method:</strong> m</p>
<h3>Abstract</h3>
<p>p1 &lt;a&gt;</p>
<p>p2</p>' ]
	# the same HTML, escaped for XML, in the Atom content
	printf '%s\n' '{"id":"x:1","title":"t","summary":"p1 <a>\n\np2","ai":{"title":"T & t","tldr":"short <b>","method":"m"}}' |
		render-feed > "$TMP/atom"
	"$PY" -c '
import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
c = d.getElementsByTagName("content")[0]
assert c.getAttribute("type") == "html"
sys.stdout.write(c.firstChild.data)' "$TMP/atom" | diff - "$TMP/html"
}

@test "several inputs and a missing one: reported, the rest written, exit 1" {
	printf '%s\n' '{"id":"x:1","title":"one"}' > "$TMP/a.jsonl"
	run2 render-feed -f json "$TMP/a.jsonl" "$TMP/missing" - < "$TMP/a.jsonl"
	[ "$status" -eq 1 ]
	[ "$err" = "render-feed: $TMP/missing: No such file or directory" ]
	[ "$(printf '%s\n' "$out" | jq -r '.items[].title' | tr '\n' ' ')" = "one one " ]
}

@test "a full disk on stdout: says so and exits 2" {
	for _ in $(seq 2000); do printf '{"id":"x:1","title":"a title long enough to fill a buffer or two"}\n'; done > "$TMP/in.jsonl"
	run2 sh -c "render-feed \"$TMP/in.jsonl\" > /dev/full"
	[ "$status" -eq 2 ]
	[[ "$err" == "render-feed: <stdout>"*"No space left on device" ]]
}

@test "streamed: memory does not grow with the number of records" {
	not_under_valgrind "measures memory"
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	# ASan keeps freed memory in quarantine: none, so that RSS means something
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0
	rec='{"id":"arxiv:2501.08341","title":"Dissecting a Small Artificial Neural Network","link":"https://arxiv.org/abs/2501.08341","authors":["Xiguang Yang","Krish Arora"],"summary":"We investigate the loss landscape and backpropagation dynamics.","published":"2025-01-16T05:00:00Z","categories":["cond-mat.dis-nn","cs.LG"],"ai":{"tldr":"short"}}'
	for n in 1000 100000; do
		yes "$rec" | head -n $n > "$TMP/in.jsonl"
		/usr/bin/time -f %M -o "$TMP/rss.$n" render-feed "$TMP/in.jsonl" > /dev/null
	done
	small=$(cat "$TMP/rss.1000") big=$(cat "$TMP/rss.100000")
	echo "# max RSS: $small KiB for 1000 records, $big KiB for 100000" >&3
	[ "$big" -lt $((small + 1024)) ]
}

@test "the jansson path writes the same bytes as the scanner path" {
	# a key with an escape sends a line to jansson (see jscan.h)
	via_jansson() { sed 's/^{/{"x\\u002dnote":1,/' "$@"; }
	f="$RF/hostile/input.jsonl $FIX/render-md/hostile/input.jsonl $FIX/dedup/hostile-records/input.jsonl"
	for fmt in atom json; do
		render-feed -f $fmt $f > "$TMP/scan" 2> /dev/null || true
		via_jansson $f | render-feed -f $fmt > "$TMP/jansson" 2> /dev/null || true
		cmp "$TMP/scan" "$TMP/jansson"
	done
}

@test "a reader that goes away (| head -n 1): ends quietly" {
	yes '{"id":"x:1","title":"a paper"}' | head -n 20000 > "$TMP/in.jsonl"
	for fmt in atom json; do
		run2 bash -o pipefail -c "render-feed -f $fmt \"$TMP/in.jsonl\" | head -n 1 > /dev/null"
		[ "$status" -eq 0 ] || [ "$status" -eq 141 ]
		[ -z "$err" ]
	done
}
