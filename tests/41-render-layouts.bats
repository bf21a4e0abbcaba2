#!/usr/bin/env bats
# render-md's built-in layouts (issue 12): the translated title in toc,
# TL;DR and details in list, toc's default grouping, untitled records,
# Link lines. Each case renders fixtures/render-layouts/CASE/input.jsonl
# and compares the exact Markdown.

load helper
# (no "! cmd" before a test's last line: bash's set -e ignores its status)

LFIX="$FIX/render-layouts"
SEED="$SHARED/seeds/arxiv-daily-digest.md"

# render-md ARGS... on a case's input; the output must be the file $2.
# $1: the case; $2: the expected file's name in it; the rest: options.
check_layout() {
	local dir="$LFIX/$1" want="$2"
	shift 2
	run2 render-md "$@" "$dir/input.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	same "$TMP/out" "$dir/$want"
}

need_cmark() {
	command -v "$1" >/dev/null || skip "$1 not installed (Debian package $1)"
}

@test "toc: ai.title is a #### heading under the title, escaped; empty or blank ones are left out" {
	check_layout toc-ai-title expected.md -l toc
	[ "$(grep -c '^#### ' "$TMP/out")" -eq 2 ]
	grep -qx '#### 剖析一个小型人工神经网络' "$TMP/out"
	grep -qx '#### \\# Not a heading &lt;b&gt;nor HTML&lt;/b&gt;' "$TMP/out"
}

@test "toc: without ai.title the output is what it was (the same records, and the arXiv seed)" {
	jq -c 'del(.ai.title)' "$LFIX/toc-ai-title/input.jsonl" > "$TMP/in"
	run2 render-md -l toc "$TMP/in"
	grep -v '^#### ' "$LFIX/toc-ai-title/expected.md" > "$TMP/want"
	same "$TMP/out" "$TMP/want"
	[ -f "$SEED" ] || skip "no ../shared/seeds"
	# the seed's records with a translated title: the seed plus one line each
	jq -c '.ai.title = "译文 " + (.id // .title)' "$FIX/render-md/arxiv-seed/input.jsonl" > "$TMP/seed-ai"
	render-md -l toc "$TMP/seed-ai" > "$TMP/with"
	[ "$(grep -c '^#### 译文 ' "$TMP/with")" -eq 6 ]
	[ "$(grep -A1 '^### \[' "$TMP/with" | grep -c '^#### ')" -eq 6 ]
	grep -v '^#### 译文 ' "$TMP/with" > "$TMP/without"
	cmp "$TMP/without" "$SEED"
}

@test "list: TL;DR, Motivation, Method, Result, Conclusion before the summary, escaped" {
	check_layout list-ai expected.md
	[ "$(grep -c '^\*\*TL;DR:\*\* ' "$TMP/out")" -eq 2 ]
	grep -qx '\*\*Conclusion:\*\* 方法与模型无关，可推广到多组分体系。' "$TMP/out"
	grep -qx '\*\*TL;DR:\*\* A \\\*scalable\\\* benchmark for \\\[MCMs\\\](javascript:alert(1)).' "$TMP/out"
	need_cmark cmark
	cmark --unsafe "$TMP/out" > "$TMP/html"
	[ "$(grep -ci 'href="javascript\|<em>scalable' "$TMP/html")" -eq 0 ]
	[ "$(grep -c '<strong>Motivation:</strong>' "$TMP/html")" -eq 1 ]
}

@test "list: records without tldr or details are what they were" {
	jq -c 'del(.ai.tldr, .ai.motivation, .ai.method, .ai.result, .ai.conclusion)' \
		"$LFIX/list-ai/input.jsonl" > "$TMP/in"
	run2 render-md "$TMP/in"
	# the expected output without those paragraphs and the blank line after each
	awk '/^\*\*(TL;DR|Motivation|Method|Result|Conclusion):\*\* / { skip = 1; next }
		skip && /^$/ { skip = 0; next } { print }' "$LFIX/list-ai/expected.md" > "$TMP/want"
	same "$TMP/out" "$TMP/want"
	# the publishers' records (some with ai.title only) are unchanged too
	render-md "$FIX/render-md/publishers/input.jsonl" > "$TMP/pub"
	same "$TMP/pub" "$FIX/render-md/publishers/expected"
}

@test "toc groups by default by .arxiv.primary, .feed.name, .feed.title, then Other; not by categories" {
	check_layout grouping expected.md -l toc
	[ "$(grep '^- ' "$TMP/out" | cut -d']' -f1)" = "$(printf '%s\n' \
		'- [Wiley: Advanced Functional Materials: Table of Contents' \
		'- [cond-mat.dis-nn' '- [prb' '- [Other')" ]
	# the old grouping is one option away: a group per journal section
	run2 render-md -l toc -g '.categories[0]' "$LFIX/grouping/input.jsonl"
	[ "$(grep -c '^- ' "$TMP/out")" -eq 5 ]
	grep -q '^- \[Research Article\]' "$TMP/out"
}

@test "--help and the man page give the same default grouping" {
	run2 render-md --help
	[ "$status" -eq 0 ]
	printf '%s\n' "$out" | tr -s ' \n' ' ' | grep -q '(default .arxiv.primary, .feed.name, .feed.title; then "Other")'
	sed -n '/^The default, for the built-in layouts/,/^\.Fl g Li \.feed\.title/p' \
		"$TOP/man/man1/render-md.1" > "$TMP/man"
	[ "$(grep '^\.Fl g Li' "$TMP/man")" = "$(printf '%s\n' '.Fl g Li .arxiv.primary' \
		'.Fl g Li .feed.name' '.Fl g Li .feed.title :')" ]
}

@test "untitled records are (untitled) in both layouts, a link with text in toc" {
	check_layout untitled expected-list.md
	[ "$(grep -c '^# (untitled)$' "$TMP/out")" -eq 3 ]
	check_layout untitled expected-toc.md -l toc
	[ "$(grep -c '\[\]' "$TMP/out")" -eq 0 ]
	need_cmark cmark
	cmark "$TMP/out" > "$TMP/html"
	grep -q '<h3>\[1\] <a href="https://example.org/papers/42">(untitled)</a></h3>' "$TMP/html"
	grep -q '<h3>\[3\] (untitled)</h3>' "$TMP/html"
}

@test "Link lines in the list layout are bare URLs, as the multi-publisher seed writes them" {
	check_layout autolink expected-list.md
	[ "$(grep -c '^Link: https://' "$TMP/out")" -eq 5 ]
	need_cmark cmark-gfm
	# GitHub makes them links; plain CommonMark leaves them text
	[ "$(cmark-gfm -e autolink "$TMP/out" | grep -c '^<p>Link: <a href="https://')" -eq 5 ]
	[ "$(cmark "$TMP/out" | grep -c '<a ')" -eq 0 ]
	seed="$SHARED/seeds/multi-publisher-digest.md"
	[ -f "$seed" ] || skip "no ../shared/seeds"
	[ "$(grep -c '^Link: http' "$seed")" -gt 0 ]
	[ "$(grep -c '^Link: <' "$seed")" -eq 0 ]
}

@test "Link: <{{link}}> in a template is a CommonMark autolink; >, space, control characters stay inside" {
	check_layout autolink expected.md -t "$LFIX/autolink/template.mustache"
	need_cmark cmark
	cmark --unsafe "$TMP/out" > "$TMP/html"
	same "$TMP/html" "$LFIX/autolink/expected.html"
	[ "$(grep -c '^<p>Link: <a href="https://[^" <>]*">https://[^<>]*</a></p>$' "$TMP/html")" -eq 5 ]
	[ "$(grep -ci 'javascript:\|data:\|<script' "$TMP/html")" -eq 0 ]
	need_cmark cmark-gfm
	cmark-gfm --unsafe -e autolink "$TMP/out" > "$TMP/gfm"
	same "$TMP/gfm" "$LFIX/autolink/expected.html"
}

@test "the man page's recipe: {{> list}} with a list-record.mustache that writes Link: <{{link}}>" {
	mkdir "$TMP/t"
	printf '{{> list}}\n' > "$TMP/t/main.mustache"
	sed 's/^Link: {{#autolink}}.*$/Link: <{{link}}>/' "$TOP/cmd/render-md/layouts/list-record.mustache" > "$TMP/t/list-record.mustache"
	run2 render-md -t "$TMP/t/main.mustache" "$LFIX/autolink/input.jsonl"
	[ "$status" -eq 0 ]
	sed 's/^Link: \(.*\)$/Link: <\1>/' "$LFIX/autolink/expected-list.md" > "$TMP/want"
	same "$TMP/out" "$TMP/want"
	need_cmark cmark
	[ "$(cmark "$TMP/out" | grep -c '^<p>Link: <a href="https://')" -eq 5 ]
}

@test "render-md --autolink: the list layout writes Link: <URL>, a link in plain CommonMark" {
	run2 render-md --autolink "$LFIX/autolink/input.jsonl"
	[ "$status" -eq 0 ]
	sed 's/^Link: \(.*\)$/Link: <\1>/' "$LFIX/autolink/expected-list.md" > "$TMP/want"
	same "$TMP/out" "$TMP/want"
	run2 render-md -a "$LFIX/autolink/input.jsonl"
	same "$TMP/out" "$TMP/want"
	need_cmark cmark
	[ "$(cmark "$TMP/out" | grep -c '^<p>Link: <a href="https://')" -eq 5 ]
}
