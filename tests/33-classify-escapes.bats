#!/usr/bin/env bats
# classify writes the strings it adds (tags, explain, the model file's
# names) with the project's one JSON string writer (jw): control bytes as
# \u001f, lower-case, as feed2jsonl and dedup write them.
load helper

@test "a label with a control byte: \\u001f in the model file and in the tags, on both paths (fixed: was \\u001F)" {
	printf '%s\n' '{"title":"neural x","tags":["a\u001Fb"]}' '{"title":"graph y","tags":["c"]}' > "$TMP/l.jsonl"
	classify --train "$TMP/m" "$TMP/l.jsonl"
	grep -qx 'tag "a\\u001fb" 1 1' "$TMP/m"
	run2 classify -m "$TMP/m" -t 0 -x "$TMP/l.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(sed -n 1p "$TMP/out")" = '{"title":"neural x","tags":["a\u001fb","c"],"score":0.6667,"explain":{"a\u001fb":{"score":0.6667,"words":["neural"]},"c":{"score":0.3333}}}' ]
	classify -m "$TMP/m" -t 0 -x --full-parse "$TMP/l.jsonl" | cmp - "$TMP/out"
}

@test "a library paper named with control bytes: \\u0001 and \\n in --explain's nearest" {
	printf '%s\n' '{"id":"p\u0001\n","title":"neural networks"}' > "$TMP/lib.jsonl"
	printf '%s\n' '{"title":"neural"}' > "$TMP/r.jsonl"
	run2 classify --like "$TMP/lib.jsonl" -x "$TMP/r.jsonl"
	[ "$status" -eq 0 ]
	[ "$out" = '{"title":"neural","score":0.7071,"explain":{"like":{"score":0.7071,"nearest":["p\u0001\n"]}}}' ]
	classify --like "$TMP/lib.jsonl" -x --full-parse "$TMP/r.jsonl" | cmp - "$TMP/out"
}

@test "a record that had classify's members, read by jansson: written anew, the additions after the rest" {
	printf '%s\n' '{"ti\u0074le":"learning","score":3,"n":1,"tags":["old"]}' '{"\u0074ags":[],"score":1}' > "$TMP/had"
	run2 classify -e 'ml: learning' "$TMP/had"
	[ "$status" -eq 0 ]
	[ "$out" = '{"title":"learning","n":1,"tags":["ml"],"score":1}
{}' ]
}
