#!/usr/bin/env bats
# render-md's loop over its inputs (jsonl_each, one call per record): a
# streamed template is rendered as the records come, and every input is
# read and reported whatever the template uses.

load helper

rec() { printf '{"title":"%s"}\n' "$1"; }

@test "streaming: text before and after the records, @index and @last, bad lines and a missing file reported" {
	{ rec a; printf 'not json\n'; rec b; printf '[1]\n\n'; rec c; } > "$TMP/in"
	printf 'head\n{{#records}}{{@index}} {{title}}{{#@last}} last{{/@last}}\n{{/records}}tail\n' > "$TMP/t.mustache"
	run2 render-md -t "$TMP/t.mustache" "$TMP/in" "$TMP/nosuch"
	[ "$status" -eq 1 ]
	[ "$out" = "$(printf 'head\n0 a\n1 b\n2 c last\ntail')" ]
	[ "$err" = "$(printf '%s\n' "render-md: $TMP/in:2: column 3: invalid token near 'not'" \
		"render-md: $TMP/in:4: not a JSON object (array)" \
		"render-md: $TMP/nosuch: No such file or directory")" ]
}

@test "streaming: no records, the template around them still written" {
	printf 'head\n{{#records}}{{title}}\n{{/records}}tail\n' > "$TMP/t.mustache"
	run2 render-md -t "$TMP/t.mustache" /dev/null
	[ "$status" -eq 0 ]
	[ "$out" = "$(printf 'head\ntail')" ]
	[ -z "$err" ]
}

@test "streaming: a partial in the records that does not compile stops the run" {
	{ rec a; rec b; } > "$TMP/in"
	printf 'head\n{{#records}}{{>bad}}{{/records}}tail\n' > "$TMP/t.mustache"
	printf '{{#x}}\n' > "$TMP/bad.mustache"
	run2 render-md -t "$TMP/t.mustache" "$TMP/in"
	[ "$status" -eq 2 ]
	[ "$err" = "render-md: $TMP/bad.mustache:1: section 'x' is not closed" ]
}

# Regression: with a template whose only records section was {{#records.x}},
# render-md read none of its input (no bad line or missing file reported,
# exit 0).
@test "a template with {{#records.x}}: the input is still read and its problems reported" {
	{ rec a; printf 'not json\n'; } > "$TMP/in"
	printf '{{#records.x}}{{title}}{{/records.x}}end\n' > "$TMP/t.mustache"
	run2 render-md -t "$TMP/t.mustache" "$TMP/in" "$TMP/nosuch"
	[ "$status" -eq 1 ]
	[ "$out" = "end" ]
	[ "$err" = "$(printf '%s\n' "render-md: $TMP/in:2: column 3: invalid token near 'not'" \
		"render-md: $TMP/nosuch: No such file or directory")" ]
}

# As dedup and classify say it (jsonl_each): render-md said "dir: Is a
# directory".
@test "an input that cannot be read: 'read error', the rest rendered" {
	mkdir "$TMP/dir"
	rec a > "$TMP/in"
	run2 render-md "$TMP/dir" "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$out" = "# a" ]
	[ "$err" = "render-md: $TMP/dir: read error: Is a directory" ]
}
