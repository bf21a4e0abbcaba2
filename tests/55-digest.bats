#!/usr/bin/env bats
# The daily digest as a user runs it: a copy of examples/ and `make` on
# several days, against a feed server on 127.0.0.1 whose feeds change, fail
# and go away between runs.

load helper

setup() {
	command -v curl >/dev/null || skip "curl not installed"
	for p in feed2jsonl dedup classify render-md; do [ -x "$TOP/$p" ] || skip "$p not built"; done
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	mkdir "$TMP/srv"
	start_server feedserver.py "$TMP/srv"
	BASE="http://127.0.0.1:$PORT"
	cp -r "$TOP/examples" "$TMP/daily"
	D=$TMP/daily
	rm -rf "$D/out" "$D/cache" "$D/work" "$D/state" "$D/records" "$D/reports" "$D/digests"
	sources journal arxiv-cs
	export FETCH_RETRIES=0 FETCH_RETRY_DELAY=1 FETCH_CONNECT_TIMEOUT=2
	unset FEEDPIPE_API_BASE OPENAI_BASE_URL FEEDPIPE_MODEL STRICT
	STAMP=1736985600
}

teardown() {
	kill "$SERVER" 2>/dev/null || true
	rm -rf "$TMP"
}

# sources NAME...: feeds.tsv lists these feeds of the server
sources() {
	{ printf '# name\turl\n'; for n; do printf '%s\t%s/d/%s.xml\n' "$n" "$BASE" "$n"; done; } > "$D/feeds.tsv"
}

# serve NAME TITLE...: the server's feed NAME holds these papers from now on
serve() {
	local name=$1 t
	shift
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>%s</title><link>http://127.0.0.1/</link>\n' "$name"
		for t; do
			printf '<item><title>%s</title><link>http://example.org/%s</link><description>On %s.</description></item>\n' \
				"$t" "${t// /-}" "$t"
		done
		printf '</channel></rss>\n'
	} > "$TMP/srv/$name.xml"
	STAMP=$((STAMP + 60))
	touch -d "@$STAMP" "$TMP/srv/$name.xml"
}

# day DATE [make arguments]: the run of that day
day() {
	local date=$1
	shift
	run2 make -s -C "$D" BIN="$BINDIR" CLASSES=ML DATE="$date" "$@"
}

# the Sources section of a day's digest
sources_of() {
	sed -n '/^# Sources$/,$p' "$D/digests/$1.md"
}

@test "a day's run: digests, index, report and state written; papers marked seen only at the end" {
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	day 2025-01-16
	[ "$status" -eq 0 ]
	[ "$out" = "digest: digests/2025-01-16.md digests/2025-01-16-ML.md" ]
	[ "$(tail -n 1 "$TMP/err")" = "feedpipe: 2025-01-16: 2 sources: 2 fetched, 0 not modified, 0 failed; 2 new papers, 2 in the day's digest" ]
	[[ "$err" == *"enrich: skipped"* ]]
	grep -q '\[Magnetic order\](http://example.org/Magnetic-order)' "$D/digests/2025-01-16.md"
	grep -qx '# Deep learning one' "$D/digests/2025-01-16-ML.md"
	[ "$(cat "$D/digests/index.md")" = "$(printf '# Digests\n\n- [2025-01-16](2025-01-16.md): 2 papers · [ML](2025-01-16-ML.md)')" ]
	[ "$(sources_of 2025-01-16)" = "$(printf '# Sources\n\n- journal: 1 new paper (1 item in the feed)\n- arxiv-cs: 1 new paper (1 item in the feed)')" ]
	grep -q 'url:http://example.org/Deep-learning-one' "$D/state/seen.tsv"
	[ "$(wc -l < "$D/records/2025-01-16.jsonl")" -eq 2 ]
	[ ! -e "$D/work/2025-01-16" ] || [ -z "$(ls "$D/work/2025-01-16")" ]
	# the run report, for jq
	jq -se 'length == 2 and .[0].source == "journal" and .[0].fetch == "fetched" and .[0].http == 200
		and .[0].items == 1 and .[0].new == 1 and .[0].problems == 0 and .[0].error == null
		and (.[0].copy | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))
		and .[1].date == "2025-01-16" and (.[1].run | length) > 0' "$D"/reports/2025-01-16/*.jsonl
}

@test "two runs on one day with a feed that changed in between: the digest holds both runs' papers" {
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	day 2025-01-16
	[ "$status" -eq 0 ]
	# arXiv replaces its feed: the morning's paper is no longer in it
	serve arxiv-cs "Deep learning two"
	day 2025-01-16
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$TMP/err")" = "feedpipe: 2025-01-16: 2 sources: 1 fetched, 1 not modified, 0 failed; 1 new paper, 3 in the day's digest" ]
	for t in "Magnetic order" "Deep learning one" "Deep learning two"; do
		grep -q "\[$t\]" "$D/digests/2025-01-16.md"
	done
	[ "$(grep -c '^# Deep learning' "$D/digests/2025-01-16-ML.md")" -eq 2 ]
	[ "$(sources_of 2025-01-16)" = "$(printf '# Sources\n\n- journal: 1 new paper (1 item in the feed)\n- arxiv-cs: 2 new papers (1 item in the feed)')" ]
	[ "$(ls "$D/reports/2025-01-16" | wc -l)" -eq 2 ]
}

@test "a re-run with nothing new changes nothing, byte for byte and time for time" {
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	day 2025-01-16
	mkdir "$TMP/before"
	cp -rp "$D/digests" "$D/records" "$TMP/before/"
	touch "$TMP/mark"
	sleep 1
	day 2025-01-16
	[ "$status" -eq 0 ]
	[ "$(tail -n 1 "$TMP/err")" = "feedpipe: 2025-01-16: 2 sources: 0 fetched, 2 not modified, 0 failed; 0 new papers, 2 in the day's digest" ]
	diff -r "$TMP/before/digests" "$D/digests"
	diff -r "$TMP/before/records" "$D/records"
	[ -z "$(find "$D/digests" "$D/records" -type f -newer "$TMP/mark")" ]
}

@test "a run after two missed days shows every paper not shown before" {
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	day 2025-01-16
	serve journal "Magnetic order" "Spin waves" "Domain walls"
	serve arxiv-cs "Deep learning three"
	day 2025-01-19
	[ "$status" -eq 0 ]
	for t in "Spin waves" "Domain walls" "Deep learning three"; do
		grep -q "\[$t\]" "$D/digests/2025-01-19.md"
	done
	! grep -q 'Magnetic order\|Deep learning one' "$D/digests/2025-01-19.md"
	[ "$(sed -n 3,4p "$D/digests/index.md")" = "$(printf -- '- [2025-01-19](2025-01-19.md): 3 papers · [ML](2025-01-19-ML.md)\n- [2025-01-16](2025-01-16.md): 2 papers · [ML](2025-01-16-ML.md)')" ]
}

@test "FEED_DAYS=N: digests/feed.atom holds the papers of the last N days, newest first; unchanged by a re-run" {
	[ -x "$TOP/render-feed" ] || skip "render-feed not built"
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	day 2025-01-16 FEED_DAYS=3 FEED_TITLE="My papers"
	[ "$status" -eq 0 ]
	serve arxiv-cs "Deep learning two"
	day 2025-01-17 FEED_DAYS=3 FEED_TITLE="My papers"
	[ "$status" -eq 0 ]
	xmllint --noout "$D/digests/feed.atom"
	feed2jsonl "$D/digests/feed.atom" > "$TMP/back"
	[ "$(jq -r .title "$TMP/back" | tr '\n' '|')" = "Deep learning two|Magnetic order|Deep learning one|" ]
	grep -q '<title type="text">My papers</title>' "$D/digests/feed.atom"
	cp -p "$D/digests/feed.atom" "$TMP/feed.before"
	day 2025-01-17 FEED_DAYS=3 FEED_TITLE="My papers"
	[ "$status" -eq 0 ]
	cmp "$TMP/feed.before" "$D/digests/feed.atom"
	[ ! "$D/digests/feed.atom" -nt "$TMP/feed.before" ]
	# four days on, 2025-01-16 has left the window of 3 days
	day 2025-01-19 FEED_DAYS=3 FEED_TITLE="My papers"
	[ "$status" -eq 0 ]
	[ "$(feed2jsonl "$D/digests/feed.atom" | jq -r .title)" = "Deep learning two" ]
	day 2025-01-19 FEED_DAYS=x
	[ "$status" -ne 0 ]
	[[ "$err" == *"FEED_DAYS=x: a number of days, 1 or more"* ]]
}

@test "HTML=1: each digest and the index also as a page, linking pages; MAIL_TO mails the day's digest when a run changes it" {
	[ -x "$TOP/render-md" ] || skip "render-md not built"
	printf '#!/bin/sh\ncat >> "%s/sent"\necho --- >> "%s/sent"\n' "$TMP" "$TMP" > "$TMP/sendmail"
	chmod +x "$TMP/sendmail"
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	day 2025-01-16 HTML=1 MAIL_TO=reader@example.org SENDMAIL="$TMP/sendmail -t"
	[ "$status" -eq 0 ]
	for f in 2025-01-16 2025-01-16-ML index; do
		grep -q '^<!DOCTYPE html>$' "$D/digests/$f.html"
	done
	grep -q '<a href="2025-01-16.html">2025-01-16</a>' "$D/digests/index.html"
	grep -q '<a href="2025-01-16-ML.html">ML</a>' "$D/digests/index.html"
	grep -q "<div id='sources'></div>" "$D/digests/2025-01-16.html"
	grep -q '>Magnetic order</a>' "$D/digests/2025-01-16.html"
	[ "$(grep -c '^To: reader@example.org$' "$TMP/sent")" -eq 1 ]
	grep -qx 'Subject: feedpipe digest 2025-01-16' "$TMP/sent"
	# nothing new: no page rewritten, no second mail
	touch "$TMP/mark"
	sleep 1
	day 2025-01-16 HTML=1 MAIL_TO=reader@example.org SENDMAIL="$TMP/sendmail -t"
	[ "$status" -eq 0 ]
	[ -z "$(find "$D/digests" -type f -newer "$TMP/mark")" ]
	[ "$(grep -c '^To: ' "$TMP/sent")" -eq 1 ]
	# new papers: the updated digest is mailed again; a failing sender is said, exit 1
	serve arxiv-cs "Deep learning two"
	day 2025-01-16 HTML=1 MAIL_TO=reader@example.org SENDMAIL=false
	[ "$status" -ne 0 ]
	[[ "$err" == *"feedpipe: 2025-01-16: the digest is written but could not be mailed (false failed)"* ]]
	grep -q 'Deep learning two' "$D/digests/2025-01-16.html"
}

@test "one source 404s: named first in the digest's Sources, the run succeeds; STRICT=1 fails it" {
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	sources journal gone arxiv-cs
	day 2025-01-16
	[ "$status" -eq 0 ]
	[[ "$err" == *"fetch: gone: HTTP 404 (no earlier copy)"* ]]
	[[ "$err" == *"feedpipe: 2025-01-16: 3 sources: 2 fetched, 0 not modified, 1 failed; 2 new papers, 2 in the day's digest"$'\n'"  failed  gone: HTTP 404 (no earlier copy)" ]]
	[ "$(sources_of 2025-01-16)" = "$(printf '# Sources\n\n- **gone: failed**: HTTP 404; no earlier copy\n- journal: 1 new paper (1 item in the feed)\n- arxiv-cs: 1 new paper (1 item in the feed)')" ]
	serve arxiv-cs "Deep learning two"
	day 2025-01-17 STRICT=1
	[ "$status" -ne 0 ]
	[[ "$err" == *"feedpipe: 2025-01-17: a source failed (STRICT is set)"* ]]
	grep -q '\[Deep learning two\]' "$D/digests/2025-01-17.md"
	grep -q 'url:http://example.org/Deep-learning-two' "$D/state/seen.tsv"
}

@test "a source failing days in a row, and one quiet too long, are flagged with the day they last delivered" {
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	day 2025-01-16 STALE_DAYS=2
	rm "$TMP/srv/arxiv-cs.xml"
	day 2025-01-17 STALE_DAYS=2
	day 2025-01-18 STALE_DAYS=2
	[ "$status" -eq 0 ]
	copy=$(date -u -r "$D/cache/arxiv-cs.feed" +%Y-%m-%dT%H:%M:%SZ)
	[ "$(sources_of 2025-01-18)" = "$(printf '# Sources\n\n- **arxiv-cs: failed**: HTTP 404; used the copy of %s; failing since 2025-01-17; last new paper 2025-01-16\n- **journal: nothing new for 2 days** (1 item in the feed); last new paper 2025-01-16' "$copy")" ]
	# the day before, neither was flagged yet
	[ "$(sources_of 2025-01-17)" = "$(printf '# Sources\n\n- **arxiv-cs: failed**: HTTP 404; used the copy of %s; last new paper 2025-01-16\n- journal: nothing new (1 item in the feed); last new paper 2025-01-16' "$copy")" ]
}

@test "a source that answers with what is no feed fails; one read with problems says so" {
	serve journal "Magnetic order"
	printf '<html><body>Please log in</body></html>\n' > "$TMP/srv/arxiv-cs.xml"
	printf '<rss version="2.0"><channel><title>x</title><item><title>Broken &nope; entity</title><link>http://example.org/b</link></item></channel></rss>\n' > "$TMP/srv/partial.xml"
	sources journal arxiv-cs partial
	day 2025-01-16
	[ "$status" -eq 0 ]
	[ "$(sources_of 2025-01-16)" = "$(printf "# Sources\n\n- **arxiv-cs: failed**: unreadable: line 1: not a feed (the root element is &lt;html&gt;)\n- journal: 1 new paper (1 item in the feed)\n- partial: 1 new paper (1 item in the feed); 1 problem reading it, the first: line 1: entity 'nope' not defined (kept as text)")" ]
	[[ "$err" == *"feedpipe: 2025-01-16: 3 sources: 2 fetched, 0 not modified, 1 failed; 2 new papers, 2 in the day's digest"$'\n'"  failed  arxiv-cs: unreadable: line 1: not a feed (the root element is <html>)"$'\n'"  1 problem  partial: line 1: entity 'nope' not defined (kept as text)" ]]
}

@test "no network at all: a clear message, non-zero, and no empty digest written over anything" {
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	day 2025-01-16
	cp "$D/digests/2025-01-16.md" "$TMP/before.md"
	kill "$SERVER"
	wait "$SERVER" 2>/dev/null || true
	day 2025-01-16
	[ "$status" -ne 0 ]
	[[ "$err" == *"feedpipe: 2025-01-16: none of the 2 sources could be fetched and nothing is new; no digest written"* ]]
	[[ "$err" == *"  failed  journal: (7) Failed to connect to 127.0.0.1 port"* ]]
	cmp "$TMP/before.md" "$D/digests/2025-01-16.md"
	day 2025-01-17
	[ "$status" -ne 0 ]
	[ ! -e "$D/digests/2025-01-17.md" ]
	[ ! -e "$D/digests/2025-01-17-ML.md" ]
	[ "$(grep -c '^2025-01-17.*	failed	' "$D/state/sources.tsv")" -eq 2 ]
}

@test "a weekend day: sources fine, nothing new, a digest that says so and why" {
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	day 2025-01-17
	day 2025-01-18
	[ "$status" -eq 0 ]
	[ "$(sed -n '1,/^# Sources/p' "$D/digests/2025-01-18.md")" = "$(printf "# 2025-01-18\n\nNo new papers today, a Saturday: arXiv announces no new papers on Saturdays and Sundays.\n\n\n<div id='sources'></div>\n\n# Sources")" ]
	[ "$(cat "$D/digests/2025-01-18-ML.md")" = "$(printf '# ML (2025-01-18)\n\nNo new papers in ML today.')" ]
	grep -q '^- \[2025-01-18\](2025-01-18.md): 0 papers' "$D/digests/index.md"
	# a weekday with nothing new: the reason is the feeds
	day 2025-01-20
	[ "$(sed -n 3p "$D/digests/2025-01-20.md")" = "No new papers today: no feed changed since it was last read." ]
}

@test "when a later step fails, nothing is marked seen and the next run offers the papers again" {
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	echo 'broken rule without a colon' > "$D/rules"
	day 2025-01-16
	[ "$status" -ne 0 ]
	! grep -q 'example.org' "$D/state/seen.tsv" 2>/dev/null
	cp "$TOP/examples/rules" "$D/rules"
	day 2025-01-16
	[ "$status" -eq 0 ]
	grep -q '\[Deep learning one\]' "$D/digests/2025-01-16.md"
	[ "$(wc -l < "$D/records/2025-01-16.jsonl")" -eq 2 ]
}

@test "a feeds.tsv make cannot use is refused before anything runs" {
	printf 'my feed\thttp://x\n' > "$D/feeds.tsv"
	day 2025-01-16
	[ "$status" -eq 2 ]
	[[ "$err" == *"*** feeds.tsv:1: 'my feed': a name is letters, digits and . _ + -.  Stop." ]]
	printf 'a\thttp://x\nb\n' > "$D/feeds.tsv"
	day 2025-01-16
	[[ "$err" == *"*** feeds.tsv:2: no tab and URL after the name.  Stop." ]]
	printf 'a\thttp://x\na\thttp://y\n' > "$D/feeds.tsv"
	day 2025-01-16
	[[ "$err" == *"*** feeds.tsv:2: 'a' is listed twice.  Stop." ]]
	rm "$D/feeds.tsv"
	day 2025-01-16
	[[ "$err" == *"*** feeds.tsv: not there (a feed a line: a name, a tab, its URL).  Stop." ]]
	[ ! -e "$D/digests" ] && [ ! -e "$D/state" ]
}

@test "installed, not copied: a digest directory of a few lines uses the installed rules" {
	make -s -C "$TOP" install PREFIX="$TMP/inst" MANPREFIX="$TMP/inst/man" > /dev/null
	[ -x "$TMP/inst/share/feedpipe/fetch" ]
	mkdir "$TMP/mine"
	cp "$TMP/inst/share/feedpipe/example/Makefile" "$TMP/inst/share/feedpipe/example/rules" "$TMP/mine/"
	grep -q "^FEEDPIPE = $TMP/inst/share/feedpipe\$" "$TMP/mine/Makefile"
	cp "$D/feeds.tsv" "$TMP/mine/"
	serve journal "Magnetic order"
	serve arxiv-cs "Deep learning one"
	run2 make -s -C "$TMP/mine" DATE=2025-01-16 CLASSES=ML
	[ "$status" -eq 0 ]
	grep -q '\[Deep learning one\]' "$TMP/mine/digests/2025-01-16.md"
	# the installed rules run the installed programs
	grep -q "^BIN ?= $TMP/inst/bin\$" "$TMP/inst/share/feedpipe/daily.mk"
}
