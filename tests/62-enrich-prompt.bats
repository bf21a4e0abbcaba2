#!/usr/bin/env bats
# enrich --prompt and --interest against tests/llmserver.py: the reader's
# own instructions and typed fields, validation, the cache, the requests
# without a prompt unchanged.

load helper
load enrich

P="$FIX/enrich-prompt"

stats() {
	curl -s "http://127.0.0.1:$PORT/stats" | jq -r "$1"
}

@test "--prompt: the reader's fields typed in ai, in the order declared; the instructions in the request" {
	serve
	head -n 1 "$P/papers.jsonl" > "$TMP/one.jsonl"
	run2 enrich --no-cache --prompt "$TOP/examples/lab.prompt" "$TMP/one.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$out" = '{"id":"p:1","title":"Perovskite stability","summary":"We study degradation.","ai":{"lang":"zh","score":0.75,"keywords":["zh:keywords:1","zh:keywords:2"],"experimental":true,"year":7,"model":"test-model"}}' ]
	stats '.last.messages[0].content' > "$TMP/system"
	grep -qx 'You screen papers for a lab that studies perovskite solar cells.' "$TMP/system"
	grep -qx 'Be brief.' "$TMP/system"
	grep -qx '"score" (a number): how useful the paper is to the lab, from 0 to 1' "$TMP/system"
	grep -qx '"keywords" (a list of strings): up to five keywords' "$TMP/system"
	! grep -q '^field ' "$TMP/system"
	# no built-in field unless --fields asks: only the declared ones
	[ "$(stats '.last.response_format.json_schema.schema.required | join(",")')" = score,keywords,experimental,year ]
	[ "$(stats '.last.response_format.json_schema.schema.properties.score.type | join(",")')" = number,null ]
	[ "$(stats '.last.response_format.json_schema.schema.properties.keywords.items.type')" = string ]
}

@test "--prompt with --fields: the built-in fields asked too, before the reader's" {
	serve
	head -n 1 "$P/papers.jsonl" | enrich --no-cache --prompt "$TOP/examples/lab.prompt" -f tldr > "$TMP/out"
	[ "$(jq -c '.ai | keys_unsorted' "$TMP/out")" = '["lang","tldr","score","keywords","experimental","year","model"]' ]
	[ "$(jq -r .ai.tldr "$TMP/out")" = 'zh:tldr:Perovskite stability' ]
}

@test "an answer of the wrong type: reported with its line and id, the field left out, exit 1, asked again next run" {
	serve
	cd "$P"
	run2 enrich -j 1 --prompt "$TOP/examples/lab.prompt" papers.jsonl
	cd - >/dev/null
	[ "$status" -eq 1 ]
	[ "$err" = "enrich: papers.jsonl:2: p:2: field 'score': want a number, got a string; left out" ]
	[ "$(sed -n 2p "$TMP/out" | jq -c .ai)" = '{"lang":"zh","keywords":["zh:keywords:1","zh:keywords:2"],"experimental":true,"year":7,"model":"test-model"}' ]
	[ "$(stats .requests)" -eq 2 ]
	# the good answer came from the cache; the wrong one was not kept
	cd "$P"
	run2 enrich -j 1 --prompt "$TOP/examples/lab.prompt" papers.jsonl
	cd - >/dev/null
	[ "$status" -eq 1 ]
	[ "$(stats .requests)" -eq 3 ]
	[ "$(stats '.by_title["Perovskite stability"]')" -eq 1 ]
}

@test "the cache: the same prompt answered from it (wherever the file is), a changed prompt asked again" {
	serve
	head -n 1 "$P/papers.jsonl" > "$TMP/one.jsonl"
	cp "$TOP/examples/lab.prompt" "$TMP/a.prompt"
	enrich --prompt "$TMP/a.prompt" "$TMP/one.jsonl" > "$TMP/1"
	cp "$TMP/a.prompt" "$TMP/moved.prompt"
	enrich --prompt "$TMP/moved.prompt" "$TMP/one.jsonl" > "$TMP/2"
	[ "$(stats .requests)" -eq 1 ]
	cmp "$TMP/1" "$TMP/2"
	sed -i 's/Be brief./Be very brief./' "$TMP/a.prompt"
	enrich --prompt "$TMP/a.prompt" "$TMP/one.jsonl" > /dev/null
	[ "$(stats .requests)" -eq 2 ]
	stats '.last.messages[0].content' | grep -qx 'Be very brief.'
	# the built-in prompt's answers are not the prompt's
	enrich "$TMP/one.jsonl" > "$TMP/3"
	[ "$(stats .requests)" -eq 3 ]
	[ "$(jq -c '.ai | keys_unsorted' "$TMP/3")" = '["lang","title","tldr","motivation","method","result","conclusion","model"]' ]
}

@test "--interest: ai.relevance (an integer 0-10) and ai.reason, alone or with the usual fields" {
	serve
	head -n 1 "$P/papers.jsonl" > "$TMP/one.jsonl"
	run2 enrich --no-cache --interest 'halide perovskites; not silicon' "$TMP/one.jsonl"
	[ "$status" -eq 0 ]
	[ "$(jq -c .ai "$TMP/out")" = '{"lang":"zh","relevance":7,"reason":"zh:reason:Perovskite stability","model":"test-model"}' ]
	stats '.last.messages[0].content' | grep -qx 'halide perovskites; not silicon'
	[ "$(stats '.last.response_format.json_schema.schema.required | join(",")')" = relevance,reason ]
	enrich --no-cache --interest 'halide perovskites' -f title,tldr "$TMP/one.jsonl" > "$TMP/out"
	[ "$(jq -c '.ai | keys_unsorted' "$TMP/out")" = '["lang","title","tldr","relevance","reason","model"]' ]
	printf 'solar cells\nand their stability\n' > "$TMP/interests"
	enrich --no-cache --interest-file "$TMP/interests" "$TMP/one.jsonl" > /dev/null
	stats '.last.messages[0].content' | grep -qx 'solar cells and their stability'
}

@test "--interest: a relevance out of 0-10 or not a whole number is reported and left out" {
	serve
	printf '%s\n' '{"id":"q:1","title":"Far off [relevance=12]"}' '{"id":"q:2","title":"Halfway [relevance=6.5]"}' \
		'{"id":"q:3","title":"Whole [relevance=4.0]"}' > "$TMP/in.jsonl"
	cd "$TMP"
	run2 enrich -j 1 --no-cache --interest 'anything' in.jsonl
	cd - >/dev/null
	[ "$status" -eq 1 ]
	[ "$err" = "enrich: in.jsonl:1: q:1: field 'relevance': want an integer from 0 to 10, got 12; left out
enrich: in.jsonl:2: q:2: field 'relevance': want an integer, got a number; left out" ]
	[ "$(jq -c '.ai.relevance' "$TMP/out" | paste -sd,)" = null,null,4 ]
	# the cascade's filter keeps what is relevant enough
	[ "$(jq -c 'select(.ai.relevance >= 4) | .id' "$TMP/out")" = '"q:3"' ]
}

@test "a server without structured output: the typed fields read from the prompt's lines" {
	serve --no-schema --no-json-mode
	head -n 1 "$P/papers.jsonl" | enrich --no-cache --prompt "$TOP/examples/lab.prompt" > "$TMP/out"
	[ "$(jq -c .ai "$TMP/out")" = '{"lang":"zh","score":0.75,"keywords":["zh:keywords:1","zh:keywords:2"],"experimental":true,"year":7,"model":"test-model"}' ]
}

@test "an ai the record had in the language: its other members kept, the prompt's fields added" {
	serve
	echo '{"id":"p:1","title":"Perovskite stability","ai":{"lang":"zh","tldr":"old","note":{"x":0.1}}}' |
		enrich --no-cache --prompt "$TOP/examples/lab.prompt" -f tldr > "$TMP/out"
	[ "$(jq -c .ai "$TMP/out")" = '{"lang":"zh","tldr":"zh:tldr:Perovskite stability","score":0.75,"keywords":["zh:keywords:1","zh:keywords:2"],"experimental":true,"year":7,"model":"test-model","note":{"x":0.1}}' ]
	# a record that has every field asked is not asked again
	enrich --no-cache --prompt "$TOP/examples/lab.prompt" -f tldr "$TMP/out" > "$TMP/again"
	cmp "$TMP/out" "$TMP/again"
	[ "$(stats .requests)" -eq 1 ]
}

@test "without --prompt the requests are byte for byte those of before" {
	cd "$FIX/enrich/basic"
	FEEDPIPE_MODEL=m run2 enrich -n input.jsonl
	cd - >/dev/null
	same "$TMP/out" "$P/builtin-requests.jsonl"
	[ "$status" -eq 0 ]
}

@test "a prompt file that does not parse: its line and what is wrong, exit 2, no request" {
	export FEEDPIPE_MODEL=m
	cd "$P"
	run2 enrich -n --prompt bad-type.prompt /dev/null
	[ "$status" -eq 2 ]
	[ "$err" = "enrich: bad-type.prompt:2: field 'score': unknown type 'float' (want string, number, integer, boolean or list)" ]
	run2 enrich -n --prompt bad-name.prompt /dev/null
	[ "$err" = "enrich: bad-name.prompt:1: field 'tldr': a name enrich writes itself" ]
	run2 enrich -n --prompt twice.prompt /dev/null
	[ "$err" = "enrich: twice.prompt:2: field 'a': declared twice" ]
	run2 enrich -n --prompt empty.prompt /dev/null
	[ "$err" = "enrich: empty.prompt:2: neither instructions nor fields" ]
	run2 enrich -n --prompt missing.prompt /dev/null
	[ "$err" = "enrich: missing.prompt: No such file or directory" ]
	[ "$status" -eq 2 ]
	run2 enrich -n --interest '  ' /dev/null
	[ "$err" = "enrich: --interest: no words" ]
	[ "$status" -eq 2 ]
	cd - >/dev/null
}

@test "examples/cascade: rated by one model, the relevant summarised by another, the rest after them unchanged" {
	serve
	printf '%s\n' '{"id":"c:1","title":"Dull [relevance=2]","n":1.0}' '{"id":"c:2","title":"Keen [relevance=9]","n":2.50}' \
		'{"id":"c:3","title":"Fair"}' > "$TMP/in.jsonl"
	echo 'perovskites' > "$TMP/interests"
	INTEREST_FILE="$TMP/interests" RATE_MODEL=small SUMMARY_MODEL=big ENRICH="$TOP/enrich" MIN_RELEVANCE=6 \
		run2 "$TOP/examples/cascade" "$TMP/in.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(jq -r '[.id, .ai.relevance, (.ai.tldr // "-"), .ai.model] | join(" ")' "$TMP/out")" = "c:2 9 zh:tldr:Keen [relevance=9] big
c:3 7 zh:tldr:Fair big
c:1 2 - small" ]
	# the lines not summarised are the bytes the first step wrote
	grep -qxF '{"id":"c:1","title":"Dull [relevance=2]","n":1.0,"ai":{"lang":"zh","relevance":2,"reason":"zh:reason:Dull [relevance=2]","model":"small"}}' "$TMP/out"
	[ "$(stats .requests)" -eq 5 ]
	INTEREST_FILE="$TMP/none" FEEDPIPE_MODEL=m run2 "$TOP/examples/cascade" "$TMP/in.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "cascade: $TMP/none: no interests to rate against (set INTEREST_FILE)" ]
}
