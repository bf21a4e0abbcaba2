#!/usr/bin/env bats
# render-md --format html: one standalone page, checked as a browser builds
# it (headless chromium): every title there, every #anchor resolving, and
# no script, event handler or javascript: link whatever the feeds hold.

load helper

H="$FIX/render-html"

# dom PAGE: the DOM chromium builds from PAGE, into $TMP/dom
dom() {
	command -v chromium >/dev/null || skip "chromium not installed"
	timeout 120 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$1" \
		> "$TMP/dom" 2>/dev/null
	[ -s "$TMP/dom" ]
}

# check_page RECORDS [render-md options]: the page of RECORDS in chromium
check_page() {
	local in=$1
	shift
	run2 render-md -f html "$@" "$in"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	cp "$TMP/out" "$TMP/page.html"
	dom "$TMP/page.html"
	jq -r '.title // empty' "$in" > "$TMP/titles"
	/usr/bin/python3 "$TOP/tests/dom-check.py" "$TMP/dom" "$TMP/titles"
}

setup_file() {
	feed2jsonl "$BATS_TEST_DIRNAME"/../examples/feeds/*.xml > "$BATS_FILE_TMPDIR/all.jsonl" 2>/dev/null || true
}

@test "the toc layout as a page: every title present, every anchor resolves, no script" {
	check_page "$BATS_FILE_TMPDIR/all.jsonl" --layout toc
	[ "$(grep -c '<a href="#toc">\[Back\]</a>' "$TMP/page.html")" -ge 5 ]
	grep -q '^<div id=toc></div>$' "$TMP/page.html"
	grep -q '^<details>$' "$TMP/page.html"
}

@test "the list layout as a page, in chromium" {
	check_page "$BATS_FILE_TMPDIR/all.jsonl" --layout list
}

@test "the page is the Markdown through cmark-gfm, in a shell: charset, title, style, no-script policy" {
	run2 render-md -f html --layout toc -T "Daily" -d 2025-01-16 "$H/inject.jsonl"
	[ "$status" -eq 0 ]
	[ "$(head -n 7 "$TMP/out")" = "$(printf '%s\n' '<!DOCTYPE html>' '<html>' '<head>' '<meta charset="utf-8">' \
		'<meta name="viewport" content="width=device-width, initial-scale=1">' \
		"<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'; object-src 'none'; base-uri 'none'\">" \
		'<title>Daily (2025-01-16)</title>')" ]
	grep -q '^<h1>Daily (2025-01-16)</h1>$' "$TMP/out"
	[ "$(tail -n 3 "$TMP/out")" = "$(printf '</main>\n</body>\n</html>')" ]
	# the Markdown itself is what --format md writes
	render-md --layout toc -T "Daily" -d 2025-01-16 "$H/inject.jsonl" > "$TMP/md"
	render-md -f html --markdown "$TMP/md" -T "Daily (2025-01-16)" > "$TMP/again"
	same "$TMP/again" "$TMP/out"
}

@test "hostile feed text never becomes markup, in either layout (chromium)" {
	for l in toc list; do
		check_page "$H/inject.jsonl" --layout "$l"
		! grep -qi '<script\|<iframe\|<img\|<svg\|<form\|<[a-z][^>]* on[a-z]*=\|href="javascript' "$TMP/page.html"
	done
}

@test "raw HTML in a template is kept only when harmless: a handler, a javascript: link, an <img> are shown as text" {
	run2 render-md -f html -T T -t "$H/template.mustache" "$H/inject.jsonl"
	[ "$status" -eq 0 ]
	grep -qx '<div id="top" class="x"></div>' "$TMP/out"
	grep -q '^<p>&lt;div id=bad onclick=&quot;alert(14)&quot;&gt;raw HTML with a handler: shown as text&lt;/div&gt;$' "$TMP/out"
	grep -q '&lt;a href=&quot;javascript:alert(15)&quot;&gt;raw link&lt;/a&gt; and &lt;img src=x onerror=alert(16)&gt;' "$TMP/out"
	cp "$TMP/out" "$TMP/page.html"
	dom "$TMP/page.html"
	/usr/bin/python3 "$TOP/tests/dom-check.py" "$TMP/dom"
	# [back](#top) resolves to the template's own anchor
	grep -q '<a href="#top">back</a>' "$TMP/dom"
}

@test "--head FILE: the user's head lines (MathJax) go in, and the no-script policy goes" {
	printf '<script defer src="https://cdn.example.org/mathjax/tex-chtml.js"></script>\n' > "$TMP/head"
	run2 render-md -f html --head "$TMP/head" --layout list "$H/inject.jsonl"
	[ "$status" -eq 0 ]
	grep -qx '<script defer src="https://cdn.example.org/mathjax/tex-chtml.js"></script>' "$TMP/out"
	! grep -q 'Content-Security-Policy' "$TMP/out"
	[ "$(grep -n '</head>' "$TMP/out" | cut -d: -f1)" -gt "$(grep -n 'mathjax' "$TMP/out" | cut -d: -f1)" ]
}

@test "--markdown FILE turns a composed digest into the page; - is stdin; the title is its first heading" {
	printf '# 2025-01-16\n\nNo new papers today.\n\n<div id='"'"'sources'"'"'></div>\n\n# Sources\n\n- a: 1 new paper\n' > "$TMP/day.md"
	run2 render-md -f html --markdown "$TMP/day.md"
	[ "$status" -eq 0 ]
	grep -qx '<title>2025-01-16</title>' "$TMP/out"
	grep -qx "<div id='sources'></div>" "$TMP/out"
	render-md -f html --markdown - < "$TMP/day.md" > "$TMP/stdin"
	same "$TMP/stdin" "$TMP/out"
}

@test "usage errors: an unknown format, --markdown without html or mail, or with records" {
	run2 render-md -f pdf /dev/null
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: --format pdf: unknown (md, html or mail)" ]
	run2 render-md --markdown /dev/null
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: --markdown: only with --format html or mail" ]
	run2 render-md -f html --markdown /dev/null "$H/inject.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: --markdown: no records, template or --view with it" ]
	run2 render-md -f html --markdown "$TMP/none.md"
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: $TMP/none.md: No such file or directory" ]
}
