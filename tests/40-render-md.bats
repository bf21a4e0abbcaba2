#!/usr/bin/env bats
# render-md: the two layouts against the target digests, Mustache, escaping
# for CommonMark, grouping, errors.

load helper

RFIX="$FIX/render-md"

# A record for a test; $1 is JSON members after the title.
rec() { printf '{"title":"%s"%s}\n' "$1" "${2:+,$2}"; }

# The same records with a first member whose key has an escape: jscan
# leaves such lines to jansson, so this takes the other path through
# render-md (the member itself is used by no layout).
via_jansson() { sed 's/^{/{"x\\u002dnote":1,/' "$1"; }

@test "--layout toc reproduces the arXiv daily digest byte for byte" {
	[ -f "$SHARED/seeds/arxiv-daily-digest.md" ] || skip "no ../shared/seeds"
	run2 render-md --layout toc "$RFIX/arxiv-seed/input.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	cmp "$TMP/out" "$SHARED/seeds/arxiv-daily-digest.md"
}

@test "the jansson path gives the same bytes as the scanner path" {
	for l in toc list; do
		render-md -l $l "$RFIX/arxiv-seed/input.jsonl" "$RFIX/publishers/input.jsonl" \
			"$RFIX/hostile/input.jsonl" > "$TMP/scan"
		{ via_jansson "$RFIX/arxiv-seed/input.jsonl"; via_jansson "$RFIX/publishers/input.jsonl"
		  via_jansson "$RFIX/hostile/input.jsonl"; } | render-md -l $l > "$TMP/jansson"
		same "$TMP/jansson" "$TMP/scan"
	done
}

@test "--layout list: the multi-publisher digest's shape, without its defects" {
	run2 render-md "$RFIX/publishers/input.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	same "$TMP/out" "$RFIX/publishers/expected"
	# authors on one line, joined by ", "; no markup or entities from feeds
	! grep -n '^[A-Z][a-z]*[a-z],$' "$TMP/out"
	! grep -n -i '<p>\|<br\|</\|&amp;\|&lt;\|&#' "$TMP/out"
	[ "$(grep -c '^---$' "$TMP/out")" -eq 14 ]
	[ "$(grep -c '^# ' "$TMP/out")" -eq 15 ]
	[ "$(grep -c '^## ' "$TMP/out")" -eq 7 ]
	grep -qx '\*\*Authors:\*\* Wen‐Jie Liu, Björn Åström, Priyanka Sharma, Matthias Wolf' "$TMP/out"
}

@test "--layout toc with --title and --date; records without ai get no empty TL;DR or filler" {
	run2 render-md -l toc --title "Daily digest" --date 2025-01-16 "$RFIX/publishers/input.jsonl"
	[ "$status" -eq 0 ]
	same "$TMP/out" "$RFIX/publishers/expected-toc"
	! grep -n 'TL;DR\|Motivation\|Method\|Result\|Conclusion\|failed\|: *$' "$TMP/out"
}

@test "the list layout streams: memory stays flat on many records" {
	# under valgrind, time measures valgrind's memory, and memcheck holds
	# freed blocks back (--freelist-vol) so that later reads of them are caught
	not_under_valgrind "measures memory"
	awk 'BEGIN { for (i = 0; i < 40000; i++) printf "{\"title\":\"Paper %d\",\"link\":\"https://example.org/%d\",\"authors\":[\"A. One\",\"B. Two\"],\"summary\":\"%0800d\"}\n", i, i, i }' > "$TMP/many.jsonl"
	head -n 4000 "$TMP/many.jsonl" > "$TMP/few.jsonl"
	# under ASan, freed memory is held back unless told otherwise
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0
	run2 /usr/bin/time -f '%M' render-md "$TMP/few.jsonl"
	few=$(tail -n 1 "$TMP/err")
	run2 /usr/bin/time -f '%M' render-md "$TMP/many.jsonl"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^# Paper' "$TMP/out")" -eq 40000 ]
	[ "$(tail -n 1 "$TMP/err")" -lt $((few + 4000)) ]
}

@test "a template that needs all records first gives the same as streaming" {
	printf '{{> list}}\n' > "$TMP/all.mustache"
	render-md "$RFIX/publishers/input.jsonl" > "$TMP/stream"
	render-md -t "$TMP/all.mustache" "$RFIX/publishers/input.jsonl" > "$TMP/buffered"
	same "$TMP/buffered" "$TMP/stream"
}

@test "Mustache: cases modelled on the specification's" {
	command -v cmp >/dev/null
	n=0 failed=
	for d in "$RFIX"/mustache/*/; do
		cd "$d"
		render-md -t template.mustache input.jsonl > "$TMP/out" 2> "$TMP/err" || failed="$failed ${d%/}(status)"
		cmp -s "$TMP/out" expected || failed="$failed ${d%/}"
		if [ -f stderr ]; then cmp -s "$TMP/err" stderr || failed="$failed ${d%/}(stderr)"
		else [ ! -s "$TMP/err" ] || failed="$failed ${d%/}(stderr)"; fi
		n=$((n + 1))
	done
	[ -z "$failed" ] || { echo "failed:$failed" >&2; return 1; }
	[ "$n" -ge 100 ]
}

@test "Mustache: template errors name the file and line, exit 2" {
	cd "$TMP"
	printf 'a\n{{#s}}\nx\n' > t1.mustache
	run2 render-md -t t1.mustache /dev/null
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: t1.mustache:2: section 's' is not closed" ]
	printf '{{#a}}\n{{/b}}\n' > t2.mustache
	run2 render-md -t t2.mustache /dev/null
	[ "$err" = "render-md: t2.mustache:2: closing tag 'b' in section 'a' (line 1)" ]
	printf 'x {{y\n' > t3.mustache
	run2 render-md -t t3.mustache /dev/null
	[ "$err" = "render-md: t3.mustache:1: unclosed tag '{{y'" ]
	printf '{{=a=}}\n' > t4.mustache
	run2 render-md -t t4.mustache /dev/null
	[ "$err" = "render-md: t4.mustache:1: bad set-delimiter tag" ]
	printf '{{> p}}\n' > t5.mustache
	printf '{{#x}}\n' > p.mustache
	run2 render-md -t t5.mustache /dev/null
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: p.mustache:1: section 'x' is not closed" ]
	run2 render-md -t nosuch.mustache /dev/null
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: nosuch.mustache: No such file or directory" ]
}

@test "Mustache: partials beside the template win over the built-in ones" {
	mkdir "$TMP/t"
	printf '{{#records}}{{> list-record}}{{/records}}' > "$TMP/t/main.mustache"
	printf -- '- {{title}}\n' > "$TMP/t/list-record.mustache"
	rec 'One' > "$TMP/in"
	rec 'Two' >> "$TMP/in"
	run2 render-md -t "$TMP/t/main.mustache" "$TMP/in"
	[ "$out" = "$(printf -- '- One\n- Two')" ]
	rm "$TMP/t/list-record.mustache"
	run2 render-md -t "$TMP/t/main.mustache" "$TMP/in"
	[ "$out" = "$(printf '# One\n\n# Two')" ]
}

@test "the view: digest and record variables, as documented" {
	printf '%s\n' '{"title":" A\n title ","link":"https://e.org/x","authors":["A","B"],"arxiv":{"primary":"cs.LG"},"ai":{"title":"T","tldr":"x"},"summary":"S","doi":"10.1/x"}' > "$TMP/in"
	rec 'Second' '"feed":{"name":"blog"}' >> "$TMP/in"
	run2 render-md --view --title T --date D "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$out" | jq -c '[.title,.date,.heading,.count,.ngroups]')" = '["T","D","T (D)",2,2]' ]
	[ "$(printf '%s' "$out" | jq -c '.records[0] | [.title,.link,.authors_text,.authors[1].name,.category,.group,.anchor,.n,.has_details,.doi]')" = '["A title","https://e.org/x","A, B","B","cs.LG","cs.LG","cs.LG",1,true,"10.1/x"]' ]
	[ "$(printf '%s' "$out" | jq -c '.groups[1] | [.name,.anchor,.count,.records[0].n,.records[0].title]')" = '["blog","blog",1,2,"Second"]' ]
	cat > "$TMP/v.mustache" <<-'EOF'
	{{heading}}|{{count}}|{{ngroups}}|{{#groups}}{{name}}:{{count}}{{#records}}[{{n}} {{title}}]{{/records}}{{/groups}}
	EOF
	run2 render-md -t "$TMP/v.mustache" --title T "$TMP/in"
	[ "$out" = "T|2|2|cs.LG:1[1 A title]blog:1[2 Second]" ]
}

@test "authors: names, and links only to http, https and mailto" {
	printf '%s\n' '{"title":"t","authors":[{"name":"Ann","url":"https://ann.example/"},{"name":"Bob","url":"javascript:alert(1)"},{"name":"Cy","email":"cy@example.org"},"Dee",{"url":"https://nameless.example/"},"  "]}' > "$TMP/in"
	printf '{{#records}}{{#authors}}{{#url}}[{{name}}]({{url}}){{/url}}{{^url}}{{name}}{{/url}}{{^@last}}, {{/@last}}{{/authors}}|{{authors_text}}{{/records}}\n' > "$TMP/a.mustache"
	run2 render-md -t "$TMP/a.mustache" "$TMP/in"
	[ "$out" = '[Ann](https://ann.example/), Bob, [Cy](mailto:cy@example.org), Dee|Ann, Bob, Cy, Dee' ]
}

@test "links: only http and https, made safe for a link destination" {
	rec 'a' '"link":"javascript:alert(1)"' > "$TMP/in"
	rec 'b' '"link":"data:text/html,x"' >> "$TMP/in"
	rec 'c' '"link":"HTTPS://Example.org/Up"' >> "$TMP/in"
	rec 'd' '"link":" https://e.org/a b)(c)<d>`e`|\"f\" "' >> "$TMP/in"
	rec 'e' '"link":"mailto:x@y.z"' >> "$TMP/in"
	run2 render-md -l toc "$TMP/in"
	[ "$(grep '^###' "$TMP/out")" = "$(printf '%s\n' '### [1] a' '### [2] b' \
		'### [3] [c](HTTPS://Example.org/Up)' \
		'### [4] [d](https://e.org/a%20b%29%28c%29%3Cd%3E%60e%60%7C%22f%22)' '### [5] e')" ]
}

@test "hostile titles and summaries render as their literal text in CommonMark" {
	command -v cmark >/dev/null || skip "cmark not installed (Debian package cmark)"
	for l in list toc; do
		render-md -l $l "$RFIX/hostile/input.jsonl" > "$TMP/md"
		cmark --unsafe "$TMP/md" > "$TMP/html"
		! grep -n -i '<script\|<img\|<svg\|<div onclick\|<!--\|<?php\|<!\[CDATA\|<b>' "$TMP/html"
		! grep -n -i 'href="\(javascript\|data\|vbscript\):\|src=' "$TMP/html"
		! grep -n '<em>\|<strong>bold\|<code>\|<del>\|<table\|<blockquote\|<ol\|<h1>Heading' "$TMP/html"
		grep -qF '[click](javascript:alert(1)) &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; *bold* _it_ `code` | pipe #' "$TMP/html"
		grep -qF '# Heading' "$TMP/html"
		grep -qF '&lt;div onclick=alert(3)&gt;hi&lt;/div&gt;' "$TMP/html"
		grep -qF '[ref]: javascript:alert(4)' "$TMP/html"
		grep -qF 'Inline `code` and `` `ticks` `` and a lone ` tick; &amp;amp; is text, &amp;lt;script&amp;gt; too; \* and a trailing backslash\' "$TMP/html"
		grep -qF '&lt;javascript:alert(12)&gt; &lt;mailto:a@b.c&gt; &lt;a@b.c&gt;' "$TMP/html"
		grep -qF '|a|b|' "$TMP/html"
		grep -qF 'data:text/html,&lt;script&gt;alert(13)&lt;/script&gt;' "$TMP/html"
	done
	# the Motivation line of the toc layout sits in an HTML block
	grep -qF 'Motivation: a&lt;/details&gt;&lt;script&gt;alert(8)&lt;/script&gt;  &#91;x&#93;(javascript:alert(9)) " '"'"' &amp; &lt;' "$TMP/md"
}

@test "hostile text stays inert in GitHub's Markdown (cmark-gfm) too" {
	command -v cmark-gfm >/dev/null || skip "cmark-gfm not installed (Debian package cmark-gfm)"
	for l in list toc; do
		render-md -l $l "$RFIX/hostile/input.jsonl" |
			cmark-gfm --unsafe -e table -e strikethrough -e autolink > "$TMP/html"
		! grep -n -i '<script\|<img\|<svg\|<div onclick\|<!--\|<?php\|<!\[CDATA\|<b>\|src=' "$TMP/html"
		! grep -n -i 'href="\(javascript\|data\|vbscript\):' "$TMP/html"
		! grep -n '<table\|<del>\|<code>\|<blockquote\|<ol\|<h1>Heading' "$TMP/html"
		grep -qF '[click](javascript:alert(1)) &lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/html"
	done
}

@test "escaping: the exact escapes, inline and at the start of a line" {
	cd "$RFIX/escape"
	run2 render-md -t template.mustache input.jsonl
	[ "$status" -eq 0 ]
	same "$TMP/out" expected
}

@test "escaping: every escaped value reads back as itself through cmark" {
	command -v cmark >/dev/null || skip "cmark not installed (Debian package cmark)"
	cd "$RFIX/escape"
	render-md -t roundtrip.mustache input.jsonl | cmark > "$TMP/html"
	python3 - "$TMP/html" input.jsonl <<-'EOF'
	import html.parser, json, sys
	class Blocks(html.parser.HTMLParser):
	    def __init__(self):
	        super().__init__(convert_charrefs=True)
	        self.blocks, self.depth, self.cur = [], 0, []
	    def handle_starttag(self, tag, attrs):
	        if self.depth == 0:
	            self.cur = []
	        self.depth += 1
	    def handle_endtag(self, tag):
	        self.depth -= 1
	        if self.depth == 0:
	            self.blocks.append("".join(self.cur).strip())
	    def handle_data(self, d):
	        if self.depth:
	            self.cur.append(d)
	b = Blocks()
	b.feed(open(sys.argv[1]).read())
	rec = json.loads(open(sys.argv[2]).readline())
	want = [v.replace("\r\n", "\n").strip() for v in rec["inline"] + rec["bol"]]
	bad = [(w, g) for w, g in zip(want, b.blocks) if w != g]
	if len(want) != len(b.blocks) or bad:
	    sys.exit("%d values, %d blocks; differ: %r" % (len(want), len(b.blocks), bad))
	EOF
}

@test "TeX passes untouched" {
	rec 'Bounds of $10^{-14}$ and $x_{ij}$' '"summary":"With $\\ell_2$, $\\mathbb{R}^d$, $O(n \\log n)$, $$\\int_0^1 f(x)\\,dx$$ and $p > 0.5$; costs $5 and $10."' > "$TMP/in"
	run2 render-md "$TMP/in"
	[ "$out" = "$(printf '%s\n' '# Bounds of $10^{-14}$ and $x_{ij}$' '' \
		'With $\ell_2$, $\mathbb{R}^d$, $O(n \log n)$, $$\int_0^1 f(x)\,dx$$ and $p > 0.5$; costs $5 and $10.')" ]
}

@test "groups: .arxiv.primary, then .feed.name, then .feed.title; first appearance; one numbering" {
	rec 'a' '"arxiv":{"primary":"cs.LG"},"categories":["x"]' > "$TMP/in"
	rec 'b' '"categories":["math.OC"],"feed":{"name":"f"}' >> "$TMP/in"
	rec 'c' '"feed":{"name":"blog"}' >> "$TMP/in"
	rec 'd' >> "$TMP/in"
	rec 'e' '"arxiv":{"primary":"cs.LG"}' >> "$TMP/in"
	run2 render-md -l toc "$TMP/in"
	[ "$(grep '^- \|^###' "$TMP/out")" = "$(printf '%s\n' \
		'- [cs.LG](#cs.LG) [Total: 2]' '- [f](#f) [Total: 1]' \
		'- [blog](#blog) [Total: 1]' '- [Other](#Other) [Total: 1]' \
		'### [1] a' '### [2] e' '### [3] b' '### [4] c' '### [5] d')" ]
	run2 render-md -l toc --order blog,nosuch,Other "$TMP/in"
	[ "$(grep '^###' "$TMP/out" | tr '\n' ' ')" = '### [1] c ### [2] d ### [3] a ### [4] e ### [5] b ' ]
	run2 render-md -l toc -g .feed.name -g '.categories[-1]' "$TMP/in"
	[ "$(grep '^- ' "$TMP/out" | cut -d']' -f1 | tr '\n' ' ')" = '- [x - [f - [blog - [Other ' ]
}

@test "group anchors are unique and safe in an HTML attribute" {
	rec 'a' '"feed":{"name":"a b"}' > "$TMP/in"
	rec 'b' '"feed":{"name":"a-b"}' >> "$TMP/in"
	rec 'c' '"feed":{"name":"toc"}' >> "$TMP/in"
	rec 'd' '"feed":{"name":"x'"'"'><script>"}' >> "$TMP/in"
	run2 render-md -l toc "$TMP/in"
	[ "$(grep '^<div' "$TMP/out")" = "$(printf '%s\n' "<div id=toc></div>" "<div id='a-b'></div>" \
		"<div id='a-b-2'></div>" "<div id='toc-2'></div>" "<div id='x---script-'></div>")" ]
}

@test "bad lines: FILE:LINE: message, the rest rendered, exit 1" {
	{ rec 'one'; printf 'not json\n[1]\n{"title":"x",\n\n'; rec 'two'; } > "$TMP/in"
	run2 render-md "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$out" = "$(printf '# one\n\n\n---\n# two')" ]
	[ "$err" = "$(printf '%s\n' "render-md: $TMP/in:2: column 3: invalid token near 'not'" \
		"render-md: $TMP/in:3: not a JSON object (array)" \
		"render-md: $TMP/in:4: column 13: string or '}' expected near end of line")" ]
	run2 sh -c "printf 'x\n' | render-md - '$TMP/nosuch'"
	[ "$status" -eq 1 ]
	[ "$err" = "$(printf '%s\n' "render-md: <stdin>:1: column 1: invalid token near 'x'" "render-md: $TMP/nosuch: No such file or directory")" ]
}

@test "output is deterministic" {
	render-md -l toc "$RFIX/publishers/input.jsonl" "$RFIX/hostile/input.jsonl" > "$TMP/a"
	render-md -l toc "$RFIX/publishers/input.jsonl" "$RFIX/hostile/input.jsonl" > "$TMP/b"
	cmp "$TMP/a" "$TMP/b"
}

@test "--help, --version, usage errors" {
	run2 render-md --help
	[ "$status" -eq 0 ]
	[[ "$out" == "usage: render-md "* ]]
	run2 render-md --version
	[[ "$out" == "render-md "[0-9]* ]]
	run2 render-md --bogus
	[ "$status" -eq 2 ]
	[[ "$err" == *"usage: render-md"* ]]
	run2 render-md -l nosuch /dev/null
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: --layout nosuch: unknown (toc or list)" ]
	run2 render-md -g '.a[' /dev/null
	[ "$status" -eq 2 ]
	[[ "$err" == "render-md: --group-by .a[: column 4: "* ]]
}

@test "a write error is fatal: exit 2" {
	run2 sh -c "render-md -l toc '$RFIX/arxiv-seed/input.jsonl' > /dev/full"
	[ "$status" -eq 2 ]
	[[ "$err" == "render-md: <stdout>: write error"* ]]
}

@test "the compiled-in layouts are the cmd/render-md/layouts/ sources" {
	sh "$TOP/cmd/render-md/layouts/mklayouts" "$TOP"/cmd/render-md/layouts/*.mustache > "$TMP/layouts.h"
	same "$TMP/layouts.h" "$TOP/cmd/render-md/layouts.h"
}

@test "a real is written one way, as records write it: as a group name (-g) and as {{k}} alike" {
	printf '{"id":"a","k":1.0}\n{"id":"b","k":2.5e20}\n{"id":"c","k":0.1}\n' > "$TMP/in"
	printf '{{#groups}}group={{name}}{{#records}} k={{k}}{{/records}}\n{{/groups}}' > "$TMP/t.mustache"
	run2 render-md -t "$TMP/t.mustache" -g .k "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$out" = "$(printf 'group=1.0 k=1.0\ngroup=2.5e20 k=2.5e20\ngroup=0.1 k=0.1')" ]
}
