#!/usr/bin/env bats
# render-md against hostile records (issue 11): each value escaped for the
# place it lands in a template, whatever the field, and the whole output
# inert as HTML; group anchors unique in near-linear time.

load helper

RFIX="$FIX/render-md"
CTX="$RFIX/hostile-contexts"

# The HTML on stdin has no script, no on* or style attribute, no
# javascript:, data: or vbscript: URL, and no attribute but a few.
inert() {
	python3 -c '
import html.parser, re, sys
src = sys.stdin.read()
bad = []
if re.search(r"<script", src, re.I):
    bad.append("<script")
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "iframe", "object", "embed", "svg", "math", "base", "meta", "form"):
            bad.append("<" + tag)
        for k, v in attrs:
            if k not in ("href", "src", "title", "alt", "id", "x"):
                bad.append("%s=%r" % (k, v))
            u = re.sub(r"[\t\n\r]", "", v or "").lstrip("".join(map(chr, range(33))))
            if k in ("href", "src") and re.match(r"(javascript|data|vbscript):", u, re.I):
                bad.append("%s=%r" % (k, v))
    handle_startendtag = handle_starttag
P(convert_charrefs=True).feed(src)
if bad:
    sys.exit("live markup: " + ", ".join(bad[:10]))
'
}

# A record per line: {"v": hostile value, "w": the value after it, ...}.
@test "every context of a template: the exact Markdown for hostile values" {
	run2 render-md -t "$CTX/template.mustache" "$CTX/input.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	same "$TMP/out" "$CTX/expected"
}

@test "every context of a template stays inert in cmark --unsafe" {
	command -v cmark >/dev/null || skip "cmark not installed (Debian package cmark)"
	render-md -t "$CTX/template.mustache" "$CTX/input.jsonl" | cmark --unsafe > "$TMP/html"
	inert < "$TMP/html"
	# and the safe URLs are still links
	grep -qF '<a href="https://example.org/a%20b?c=1&amp;d=%282%29">' "$TMP/html"
	grep -qF '<a href="mailto:a@example.org">' "$TMP/html"
	grep -qF '<a href="/relative/path#frag">' "$TMP/html"
}

@test "every context of a template stays inert in cmark-gfm --unsafe" {
	command -v cmark-gfm >/dev/null || skip "cmark-gfm not installed (Debian package cmark-gfm)"
	render-md -t "$CTX/template.mustache" "$CTX/input.jsonl" |
		cmark-gfm --unsafe -e table -e strikethrough -e autolink > "$TMP/html"
	inert < "$TMP/html"
}

@test "the built-in layouts with hostile values in every field stay inert" {
	command -v cmark >/dev/null || skip "cmark not installed (Debian package cmark)"
	jq -c '{title: .v, summary: (.v + .w), link: .v, authors: [.v, {name: .w, url: .v}],
		ai: {title: .w, tldr: .v, motivation: (.v + .w), method: .w},
		arxiv: {primary: .v}}' "$CTX/input.jsonl" > "$TMP/in"
	for l in list toc; do
		render-md -l $l "$TMP/in" > "$TMP/md"
		cmark --unsafe "$TMP/md" | inert
		! command -v cmark-gfm >/dev/null || cmark-gfm --unsafe -e autolink "$TMP/md" | inert
	done
}

@test "issue 11's examples: links by place, not by field; unquoted attributes; adjacent values" {
	printf '%s\n' '{"title":"x onerror=alert(1)<","summary":"script>alert(1)</script>","feed":{"link":"javascript:alert(1)"},"also":["data:text/html,x","https://e.org/"]}' > "$TMP/in"
	cat > "$TMP/t.mustache" <<-'EOT'
	{{#records}}
	[{{title}}]({{feed.link}})
	<a href="{{feed.link}}">x</a>
	{{#also}}[{{.}}]({{.}}) {{/also}}
	<img alt={{title}}>
	{{title}}{{summary}}
	{{/records}}
	EOT
	run2 render-md -t "$TMP/t.mustache" "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$out" = "$(printf '%s\n' '[x onerror=alert(1)&lt;](#invalid)' '<a href="#invalid">x</a>' \
		'[data:text/html,x](#invalid) [https://e.org/](https://e.org/) ' \
		'<img alt=x&#32;onerror&#61;alert(1)&#60;>' \
		'x onerror=alert(1)&lt;script&gt;alert(1)&lt;/script&gt;')" ]
}

@test "code: <script> and <style> contents, on* and style attributes, tag and attribute names are left out" {
	printf '%s\n' '{"v":"alert(1)</script><script>alert(2)"}' > "$TMP/in"
	cat > "$TMP/t.mustache" <<-'EOT'
	{{#records}}
	<script>var v = "{{v}}";</script>
	<STYLE>p { content: "{{v}}" }</STYLE>
	<b onclick="f('{{v}}')" style={{v}}>x</b>
	<b {{v}}>x</b><{{{v}}}>
	<textarea>{{v}}</textarea>
	{{/records}}
	EOT
	run2 render-md -t "$TMP/t.mustache" "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$out" = "$(printf '%s\n' '<script>var v = "";</script>' '<STYLE>p { content: "" }</STYLE>' \
		"<b onclick=\"f('')\" style=>x</b>" '<b >x</b><#invalid>' \
		'<textarea>alert(1)&lt;/script&gt;&lt;script&gt;alert(2)</textarea>')" ]
}

@test "a value after the template's ']' cannot make '](' or ']:' in any context" {
	printf '%s\n' '{"v":"(javascript:alert(1))","w":": javascript:alert(1)"}' > "$TMP/in"
	printf '{{#records}}[x]{{v}}\n\n<div>\n[x]{{v}} <b title="[x]{{v}}">\n</div>\n\n[y]{{w}}\n{{/records}}\n' > "$TMP/t.mustache"
	run2 render-md -t "$TMP/t.mustache" "$TMP/in"
	[ "$out" = "$(printf '%s\n' '[x]\(javascript:alert(1))' '' '<div>' '[x]&#40;javascript:alert(1)) <b title="[x]&#40;javascript:alert(1))">' '</div>' '' '[y]\: javascript:alert(1)')" ]
}

@test "a value cannot begin a scheme that the template's colon ends" {
	printf '%s\n' '{"s":"javascript","t":"https","m":"a@b.c"}' > "$TMP/in"
	printf '{{#records}}[a]({{s}}:x) <a href="{{s}}:x">b</a> [c]({{t}}://e.org) <a href="mailto:{{m}}">d</a> <a href="{{s}}">e: f</a>{{/records}}\n' > "$TMP/t.mustache"
	run2 render-md -t "$TMP/t.mustache" "$TMP/in"
	[ "$out" = '[a](javascript#invalid:x) <a href="javascript#invalid:x">b</a> [c](https://e.org) <a href="mailto:a@b.c">d</a> <a href="javascript">e: f</a>' ]
}

@test "a '<' inside a tag: every later value escaped for anywhere (CommonMark may not take the tag)" {
	printf '%s\n' '{"v":"javascript:alert(1)"}' '{"v":"a b\"c<d"}' > "$TMP/in"
	printf '{{#records}}<span title="x\n<a href={{v}}>y</a> [x]({{v}}) {{v}}\n{{/records}}\n' > "$TMP/t.mustache"
	run2 render-md -t "$TMP/t.mustache" "$TMP/in"
	[ "$out" = "$(printf '%s\n' '<span title="x' '<a href=#invalid>y</a> [x](#invalid) #invalid' \
		'<span title="x' '<a href=a&#32;b&#34;c&#60;d>y</a> [x](a&#32;b&#34;c&#60;d) a&#32;b&#34;c&#60;d')" ]
	command -v cmark >/dev/null || return 0
	cmark --unsafe "$TMP/out" | inert
}

@test "{{{x}}} and {{&x}}: Markdown kept, but no HTML and no links; escaped as usual elsewhere" {
	printf '%s\n' '{"x":"*a* `b` [c](javascript:alert(1)) <i>d</i> & \\"}' > "$TMP/in"
	printf '{{#records}}{{{x}}}|{{&x}}|<b title="{{{x}}}">|[e]({{{x}}})\n{{/records}}\n' > "$TMP/t.mustache"
	run2 render-md -t "$TMP/t.mustache" "$TMP/in"
	[ "$out" = '*a* `b` \[c\](javascript:alert(1)) &lt;i&gt;d&lt;/i&gt; &amp; \\|*a* `b` \[c\](javascript:alert(1)) &lt;i&gt;d&lt;/i&gt; &amp; \\|<b title="*a* &#96;b&#96; &#91;c&#93;(javascript:alert(1)) &lt;i&gt;d&lt;/i&gt; &amp; &#92;">|[e](#invalid)' ]
}

@test "group anchors: unique and the same as before for colliding names" {
	run2 render-md -l toc "$RFIX/hostile-anchors/input.jsonl"
	[ "$status" -eq 0 ]
	[ "$(grep '^<div' "$TMP/out")" = "$(printf '%s\n' "<div id=toc></div>" "<div id='a-b'></div>" \
		"<div id='a-b-2'></div>" "<div id='a-b-2-2'></div>" "<div id='a.b'></div>" \
		"<div id='a-b-3'></div>" "<div id='toc-2'></div>" "<div id='toc-'></div>" \
		"<div id='a-b-4'></div>" "<div id='a-b-3-2'></div>" "<div id='Other'></div>" "<div id='-'></div>")" ]
}

@test "group anchors: 20000 colliding group names in near-linear time" {
	not_under_valgrind "measures time"
	# names g + 15 of ! and ? + 100 digits: one anchor base for all
	awk 'BEGIN { for (i = 0; i < 20000; i++) { s = ""; for (b = 0; b < 15; b++) s = s (int(i / 2^b) % 2 ? "!" : "?");
		printf "{\"title\":\"t%d\",\"feed\":{\"name\":\"g%s%0100d\"}}\n", i, s, 0 } }' > "$TMP/in"
	start=$(date +%s%N)
	render-md -l toc "$TMP/in" > "$TMP/out"
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "$ms ms" >&2
	[ "$ms" -lt 5000 ]
	grep "^<div id='" "$TMP/out" > "$TMP/ids"
	[ "$(wc -l < "$TMP/ids")" -eq 20000 ]
	[ -z "$(sort "$TMP/ids" | uniq -d)" ]
	base=g---------------$(printf '%0100d' 0)
	[ "$(sed -n '1p;2p;20000p' "$TMP/ids")" = "$(printf "<div id='%s'></div>\n" "$base" "$base-2" "$base-20000")" ]
}

@test "fuzz-mustache's finds: links in what looks like code or markup still checked; no use of the line after the buffer moved" {
	command -v cmark >/dev/null || skip "cmark not installed (Debian package cmark)"
	for f in "$FIX"/fuzz/mustache-*; do
		# a template that writes <script itself (a false alarm of the
		# harness, kept so the harness is run on it): not ours to check
		[ "${f##*/}" != mustache-script-across-comment ] || continue
		run2 render-md -t "$f" "$CTX/input.jsonl"
		[ "$status" -eq 0 ]
		! grep -n -i -E '(^|[^\\])\]\((javascript|data|vbscript):|<script' "$TMP/out" || false
		cmark --unsafe "$TMP/out" | inert
	done
}
