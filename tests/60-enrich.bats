#!/usr/bin/env bats
# enrich against tests/llmserver.py on 127.0.0.1: the ai object, order,
# splicing, the cache, retries, fallbacks, budgets, failures passed
# through, the key kept secret, --dry-run, bad input, options.

load helper
load enrich

E="$FIX/enrich"
KEY='sk-feedpipe-TEST-7f3a91c2-never-print-me'


# jq FILTER over the server's /stats
stats() {
	if command -v curl >/dev/null; then
		curl -s "http://127.0.0.1:$PORT/stats"
	else
		python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' \
			"http://127.0.0.1:$PORT/stats"
	fi | jq -r "$1"
}

# N records "Paper I TAG" with ids r:I
recs() {
	awk -v n="$1" -v tag="${2-}" 'BEGIN { for (i = 1; i <= n; i++)
		printf "{\"id\":\"r:%d\",\"title\":\"Paper %d%s\",\"summary\":\"About %d.\"}\n", i, i, tag, i }'
}

# fail if the string is in any of the files (or under the directories)
absent() {
	if grep -rqF -- "$1" "${@:2}"; then
		echo "found '$1' in: $(grep -rlF -- "$1" "${@:2}")" >&2
		return 1
	fi
}

clock() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(clock)" 'BEGIN { printf "%.2f", b - a }'; }

@test "every record gets ai; the rest of each line is the bytes that came in" {
	serve
	cd "$E/basic"
	run2 enrich --no-cache input.jsonl
	cd - >/dev/null
	same "$TMP/out" "$E/basic/expected"
	[ -z "$err" ]
	[ "$status" -eq 0 ]
	[ "$(stats .requests)" -eq 4 ]
	# each output line is its input line, less the closing brace, then ai
	while IFS= read -r a && IFS= read -r b <&3; do
		[[ "$b" == "${a%\}},\"ai\":{\"lang\":\"zh\",\"title\":\"zh:title:"*'"model":"test-model"}}' ]]
	done < "$E/basic/input.jsonl" 3< "$TMP/out"
	[ "$(jq -c '.ai | keys_unsorted' "$TMP/out" | sort -u)" = '["lang","title","tldr","motivation","method","result","conclusion","model"]' ]
}

@test "the request: system and user messages, a strict JSON schema of the fields, the language" {
	serve
	head -n 1 "$E/basic/input.jsonl" | enrich --no-cache > /dev/null
	[ "$(stats '.last.model')" = test-model ]
	[ "$(stats '.last.messages | map(.role) | join(",")')" = system,user ]
	[ "$(stats '.last.response_format.type')" = json_schema ]
	[ "$(stats '.last.response_format.json_schema.strict')" = true ]
	[ "$(stats '.last.response_format.json_schema.schema.required | join(",")')" = title,tldr,motivation,method,result,conclusion ]
	[ "$(stats '.last.response_format.json_schema.schema.additionalProperties')" = false ]
	stats '.last.messages[0].content' | grep -q 'Simplified Chinese (language tag zh)'
	stats '.last.messages[1].content' | grep -q '^Title: Spectral Preconditioning'
	stats '.last.messages[1].content' | grep -q '^Abstract: Physics-informed'
}

@test "--fields and --lang: only the fields asked for, in that language" {
	serve
	run2 enrich --no-cache --fields title --lang en "$E/basic/input.jsonl"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -c '.ai | keys_unsorted' | sort -u)" = '["lang","title","model"]' ]
	[ "$(printf '%s\n' "$out" | jq -r '.ai.lang' | sort -u)" = en ]
	[ "$(stats '.last.response_format.json_schema.schema.required | join(",")')" = title ]
	stats '.last.messages[0].content' | grep -q 'English (language tag en)'
}

@test "splicing: odd spacing and escapes kept, an old ai replaced in place, done and empty records untouched" {
	serve
	cd "$E/splice"
	run2 enrich --no-cache -f title,tldr input.jsonl
	cd - >/dev/null
	same "$TMP/out" "$E/splice/expected-title-tldr"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	# s3 (done in zh), s5 (nothing to ask about) and {} cost no request
	[ "$(stats .requests)" -eq 5 ]
	[ "$(stats '.by_title.Done // 0')" -eq 0 ]
	for n in 3 5 6; do
		[ "$(sed -n "${n}p" "$TMP/out")" = "$(sed -n "${n}p" "$E/splice/input.jsonl")" ]
	done
	# appended before the closing brace, trailing blanks kept
	in1=$(head -n 1 "$E/splice/input.jsonl")
	[[ "$(head -n 1 "$TMP/out")" == "${in1%\}*}"',"ai":{"lang":"zh","title":"zh:title:Spaced out",'*'}}  ' ]]
	# replaced where it stood
	[[ "$(sed -n 2p "$TMP/out")" == '{"id":"s2","title":"Has old ai","ai":{"lang":"zh",'*'},"tail":[1, 2]}' ]]
	# merged with what the record had in zh
	[ "$(sed -n 4p "$TMP/out" | jq -r .ai.note)" = keep ]
	# a record jscan leaves to jansson (an escaped key) is spliced too, its
	# text kept (fixed: it was written anew, the key unescaped)
	[ "$(sed -n 7p "$TMP/out")" = '{"id":"s7","ti\u0074le2":"y","title":"Escaped key","ai":{"lang":"zh","title":"zh:title:Escaped key","tldr":"zh:tldr:Escaped key","model":"test-model"}}' ]
}

@test "a record with ai given twice: the new ai takes the first one's place, the other goes (fixed: the last was replaced, the first kept)" {
	serve
	printf '%s\n' '{"id":"d1","ai":{"lang":"en"},"title":"Twice","ai":{"lang":"de"},"z":1}' > "$TMP/in"
	run2 enrich --no-cache -f title "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$out" = '{"id":"d1","ai":{"lang":"zh","title":"zh:title:Twice","model":"test-model"},"title":"Twice","z":1}' ]
}

@test "output is in input order when answers come back out of order (-j 8)" {
	serve
	awk 'BEGIN { for (i = 1; i <= 16; i++)
		printf "{\"id\":\"o:%d\",\"title\":\"Paper %d [sleep=%d]\"}\n", i, i, (16 - i) * 40 }' > "$TMP/in"
	run2 enrich --no-cache -j 8 "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "$(seq -f 'o:%g' 16 | tr '\n' ' ')" ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai.title) | .id' | wc -l)" -eq 16 ]
	[ "$(stats .max_active)" -ge 4 ]
	[ "$(stats .max_active)" -le 8 ]
}

@test "records stream: the first comes out before the input ends" {
	serve
	t0=$(clock)
	first=$({ recs 1; sleep 4; recs 2 | tail -n 1; } | enrich --no-cache | { IFS= read -r l; printf '%s\n' "$l"; elapsed "$t0"; cat >/dev/null; })
	[ "$(printf '%s\n' "$first" | head -n 1 | jq -r .ai.title)" = "zh:title:Paper 1" ]
	awk -v t="$(printf '%s\n' "$first" | tail -n 1)" 'BEGIN { exit !(t < 3) }'
}

@test "the cache: a second run makes no request; entries are named by SHA-1 and written whole" {
	serve
	recs 20 > "$TMP/in"
	run2 enrich -j 4 --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 0 ]
	cp "$TMP/out" "$TMP/first"
	[ "$(stats .requests)" -eq 20 ]
	run2 enrich -j 4 --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(stats .requests)" -eq 20 ]
	same "$TMP/out" "$TMP/first"
	[ "$(find "$TMP/c" -type f | wc -l)" -eq 20 ]
	[ "$(find "$TMP/c" -type f | grep -Ec '/([0-9a-f]{2})/\1[0-9a-f]{38}$')" -eq 20 ]
	find "$TMP/c" -type f -exec cat {} + | jq -e -s 'length == 20 and all(.lang == "zh" and .model == "test-model")' > /dev/null
	# the default cache is under $XDG_CACHE_HOME; another language or model is another entry
	enrich "$TMP/in" > /dev/null
	[ "$(find "$XDG_CACHE_HOME/feedpipe/enrich" -type f | wc -l)" -eq 20 ]
	[ "$(stats .requests)" -eq 40 ]
	enrich --cache "$TMP/c" --lang en "$TMP/in" > /dev/null
	enrich --cache "$TMP/c" --model other "$TMP/in" > /dev/null
	[ "$(stats .requests)" -eq 80 ]
	enrich --cache "$TMP/c" --lang en "$TMP/in" > /dev/null
	[ "$(stats .requests)" -eq 80 ]
}

@test "the same record twice in one run: one request, the second waits for the first's answer" {
	serve --delay 200
	{ recs 1; recs 1; recs 2; recs 1; } > "$TMP/in"
	run2 enrich -j 4 --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(stats .requests)" -eq 2 ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai.title) | .id' | tr '\n' ' ')" = "r:1 r:1 r:1 r:2 r:1 " ]
	enrich -j 4 --no-cache "$TMP/in" > /dev/null
	[ "$(stats .requests)" -eq 7 ]
}

@test "a bad cache entry (empty, cut short, another language) is a miss and is replaced" {
	serve
	recs 2 > "$TMP/in"
	enrich --cache "$TMP/c" "$TMP/in" > "$TMP/first"
	files=($(find "$TMP/c" -type f | sort))
	: > "${files[0]}"
	printf '{"lang":"en","title":"x"}\n' > "${files[1]}"
	run2 enrich --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 0 ]
	same "$TMP/out" "$TMP/first"
	[ "$(stats .requests)" -eq 4 ]
	run2 enrich --cache "$TMP/c" "$TMP/in"
	[ "$(stats .requests)" -eq 4 ]
}

@test "records that already have the fields in the language pass through with no request" {
	serve
	enrich --no-cache "$E/basic/input.jsonl" > "$TMP/once"
	run2 enrich --no-cache "$TMP/once"
	[ "$status" -eq 0 ]
	same "$TMP/out" "$TMP/once"
	[ "$(stats .requests)" -eq 4 ]
	# fewer fields asked for: still done; another language: asked again
	enrich --no-cache -f title,tldr "$TMP/once" | cmp -s - "$TMP/once"
	[ "$(stats .requests)" -eq 4 ]
	run2 enrich --no-cache --lang ja "$TMP/once"
	[ "$(stats .requests)" -eq 8 ]
	[ "$(printf '%s\n' "$out" | jq -r .ai.lang | sort -u)" = ja ]
}

@test "a killed run resumes: what it finished is not asked again" {
	serve --delay 300
	recs 30 > "$TMP/in"
	enrich -j 2 --cache "$TMP/c" "$TMP/in" > /dev/null 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ "$(stats .requests)" -ge 8 ] && break; sleep 0.1; done
	kill -9 "$pid"
	wait "$pid" || true
	done1=$(find "$TMP/c" -type f ! -name '*.tmp.*' | wc -l)
	[ "$done1" -ge 4 ]
	[ "$done1" -lt 30 ]
	before=$(stats .requests)
	run2 enrich -j 8 --cache "$TMP/c" "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(stats .requests)" -eq $((before + 30 - done1)) ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai.title) | .id' | wc -l)" -eq 30 ]
}

@test "429 with Retry-After in seconds: the request waits, then succeeds" {
	serve
	printf '%s\n' '{"id":"x","title":"Busy [429]"}' > "$TMP/in"
	t0=$(clock)
	run2 enrich --no-cache --retry-delay 0.05 "$TMP/in"
	t=$(elapsed "$t0")
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | jq -r .ai.title)" = "zh:title:Busy [429]" ]
	[ "$(stats .requests)" -eq 2 ]
	awk -v t="$t" 'BEGIN { exit !(t >= 0.95) }'
}

@test "429 with Retry-After as an HTTP date" {
	serve
	printf '%s\n' '{"id":"x","title":"Busy [429date]"}' > "$TMP/in"
	t0=$(clock)
	run2 enrich --no-cache --retry-delay 0.05 "$TMP/in"
	t=$(elapsed "$t0")
	[ "$status" -eq 0 ]
	[ "$(stats .requests)" -eq 2 ]
	awk -v t="$t" 'BEGIN { exit !(t >= 0.9) }'
}

@test "5xx: retried with backoff; a record that never succeeds passes through unchanged, exit 1" {
	serve
	printf '%s\n' '{"id":"a","title":"Flaky [500x2]"}' '{"id":"b","title":"Broken [500]"}' \
		'{"id":"c","title":"Fine"}' > "$TMP/in"
	run2 enrich --no-cache --retries 2 --retry-delay 0.05 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$(stats '.by_title["Flaky [500x2]"]')" -eq 3 ]
	[ "$(stats '.by_title["Broken [500]"]')" -eq 3 ]
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "a b c " ]
	[ "$(printf '%s\n' "$out" | sed -n 2p)" = '{"id":"b","title":"Broken [500]"}' ]
	[ "$(printf '%s\n' "$out" | jq -r '.ai.title // "-"' | tr '\n' '|')" = "zh:title:Flaky [500x2]|-|zh:title:Fine|" ]
	[ "$err" = "enrich: $TMP/in:2: b: HTTP 500: internal error (gave up after 3 attempts)" ]
}

@test "an answer slower than --timeout is abandoned and asked again" {
	serve
	printf '%s\n' '{"id":"s","title":"Slow [slow]"}' > "$TMP/in"
	run2 enrich --no-cache --timeout 1 --retry-delay 0.05 "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -r .ai.title)" = "zh:title:Slow [slow]" ]
	[ "$(stats .requests)" -eq 2 ]
	printf '%s\n' '{"id":"s","title":"Slower [slowalways]"}' > "$TMP/in"
	run2 enrich --no-cache --timeout 0.5 --retries 1 --retry-delay 0.05 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$err" = "enrich: $TMP/in:1: s: no answer within 0.5 s (gave up after 2 attempts)" ]
}

@test "no server there: retried, then passed through with a message" {
	printf '%s\n' '{"id":"n","title":"Nobody"}' > "$TMP/in"
	run2 enrich --no-cache -m m --api-base http://127.0.0.1:9/v1 --retries 1 --retry-delay 0.05 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$out" = '{"id":"n","title":"Nobody"}' ]
	[[ "$err" == "enrich: $TMP/in:1: n: "*"(gave up after 2 attempts)" ]]
}

@test "answers read robustly: prose and code fences, LaTeX backslashes, missing and empty fields, non-strings" {
	serve
	printf '%s\n' '{"id":"p","title":"P [prose]"}' '{"id":"l","title":"L [latex]"}' \
		'{"id":"m","title":"M [missing]"}' '{"id":"n","title":"N [nonstring]"}' \
		'{"id":"w","title":"W [wrap]"}' > "$TMP/in"
	run2 enrich --no-cache "$TMP/in"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(stats .requests)" -eq 5 ]
	r() { printf '%s\n' "$out" | jq -r "select(.id == \"$1\") | $2"; }
	[ "$(r p .ai.title)" = "zh:title:P [prose]" ]
	[ "$(r p .ai.conclusion)" = "zh:conclusion:P [prose]" ]
	[ "$(r l .ai.tldr)" = 'We bound $\alpha$ by \(\frac{1}{2}\) and \nabla f; ratio \theta \rho \beta \{x\}.' ]
	[ "$(r l '.ai.method | @json')" = '"line one\n\nline two"' ]
	[ "$(r m '.ai | keys_unsorted | join(",")')" = lang,title,model ]
	[ "$(r n '.ai | keys_unsorted | join(",")')" = lang,title,model ]
	[ "$(r w .ai.result)" = "zh:result:W [wrap]" ]
}

@test "answers that cannot be read: retried, then passed through" {
	serve
	printf '%s\n' '{"id":"b","title":"B [malformed]"}' '{"id":"h","title":"H [notjson]"}' > "$TMP/in"
	run2 enrich --no-cache -j 1 --retries 1 --retry-delay 0.05 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$out" = "$(cat "$TMP/in")" ]
	[ "$(stats .requests)" -eq 4 ]
	# while one record waits to retry another goes: the messages come in either order
	[ "$(printf '%s\n' "$err" | sort | sed -n 1p)" = "enrich: $TMP/in:1: b: the answer holds no JSON object that parses: \"{\"title\": \"zh:title:B [malformed]\", \"tldr\": \"zh:tldr:B [malf...\" (gave up after 2 attempts)" ]
	[ "$(printf '%s\n' "$err" | sort | sed -n 2p)" = "enrich: $TMP/in:2: h: the response is not a JSON object (gave up after 2 attempts)" ]
}

@test "a server without json_schema: JSON mode instead, remembered for the run" {
	serve --no-schema
	recs 6 > "$TMP/in"
	run2 enrich --no-cache -j 1 "$TMP/in"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai.tldr) | .id' | wc -l)" -eq 6 ]
	[ "$(stats .formats.json_schema)" -eq 1 ]
	[ "$(stats .formats.json_object)" -eq 6 ]
}

@test "a server with neither json_schema nor JSON mode: the prompt alone" {
	serve --no-schema --no-json-mode
	recs 6 > "$TMP/in"
	run2 enrich --no-cache -j 3 "$TMP/in"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai.tldr) | .id' | wc -l)" -eq 6 ]
	[ "$(stats .formats.json_schema)" -le 3 ]
	[ "$(stats .formats.none)" -eq 6 ]
	stats '.last.messages[0].content' | grep -q '^"tldr": '
}

@test "--max-requests: the rest pass through unchanged, in order, with a message; exit 1" {
	serve
	recs 6 > "$TMP/in"
	run2 enrich --no-cache -j 1 --max-requests 3 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$(stats .requests)" -eq 3 ]
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "r:1 r:2 r:3 r:4 r:5 r:6 " ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai) | .id' | tr '\n' ' ')" = "r:1 r:2 r:3 " ]
	[ "$(printf '%s\n' "$out" | tail -n 3)" = "$(tail -n 3 "$TMP/in")" ]
	[ "$err" = "enrich: --max-requests 3 reached: no more requests; the records still to do pass through unchanged
enrich: 3 records passed through without a request: --max-requests 3 reached" ]
}

@test "--max-tokens: no request once the answers used that many tokens" {
	serve --tokens 100
	recs 6 > "$TMP/in"
	run2 enrich --cache "$TMP/c" -j 1 --max-tokens 250 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$(stats .requests)" -eq 3 ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai) | .id' | wc -l)" -eq 3 ]
	[[ "$err" == *"--max-tokens 250 reached (300 used)"* ]]
	# answers from the cache cost nothing: with no budget at all they still come
	run2 enrich --cache "$TMP/c" --max-requests 0 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$(stats .requests)" -eq 3 ]
	[ "$(printf '%s\n' "$out" | jq -r 'select(.ai) | .id' | tr '\n' ' ')" = "r:1 r:2 r:3 " ]
}

@test "a refused key (401) stops the requests; every record still comes out" {
	serve
	{ printf '%s\n' '{"id":"k","title":"K [401]"}'; recs 3; } > "$TMP/in"
	run2 enrich --no-cache -j 1 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$(stats .requests)" -eq 1 ]
	[ "$out" = "$(cat "$TMP/in")" ]
	[[ "$err" == "enrich: $TMP/in:1: k: HTTP 401: Incorrect API key"* ]]
	[[ "$err" == *"3 records passed through without a request"* ]]
}

@test "the key is sent, and never printed: output, errors, -v, --dry-run, the cache" {
	serve
	{ recs 2; printf '%s\n' '{"id":"e","title":"E [echo]"}' '{"id":"f","title":"F [500]"}' '{"id":"g","title":"G [malformed]"}'; } > "$TMP/in"
	export FEEDPIPE_API_KEY="$KEY"
	run2 enrich -v --cache "$TMP/c" --retries 1 --retry-delay 0.05 "$TMP/in"
	[ "$status" -eq 1 ]
	[ "$(stats .auth)" = "Bearer $KEY" ]
	[[ "$err" == *"e: HTTP 400: bad request from Bearer [key removed]"* ]]
	absent "$KEY" "$TMP/out" "$TMP/err" "$TMP/c"
	absent never-print "$TMP/out" "$TMP/err" "$TMP/c"
	run2 enrich --dry-run --no-cache "$TMP/in"
	[ "$status" -eq 0 ]
	absent never-print "$TMP/out" "$TMP/err"
	[ "$(printf '%s\n' "$out" | jq -r '.headers.Authorization' | sort -u)" = 'Bearer ***' ]
	# OPENAI_API_KEY when FEEDPIPE_API_KEY is not set
	unset FEEDPIPE_API_KEY
	OPENAI_API_KEY="$KEY-2" enrich --no-cache "$E/basic/input.jsonl" > /dev/null
	[ "$(stats .auth)" = "Bearer $KEY-2" ]
	# no key: no Authorization header at all
	enrich --no-cache "$E/basic/input.jsonl" > /dev/null
	[ "$(stats .auth)" = null ]
}

@test "--dry-run prints the requests it would send, one JSON object a line, and sends none" {
	export FEEDPIPE_API_BASE=http://127.0.0.1:9/v1/ FEEDPIPE_API_KEY="$KEY"
	run2 enrich --dry-run --no-cache -m some-model "$E/basic/input.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ]
	[ "$(printf '%s\n' "$out" | jq -r '[.line, .id, .method, .url] | join(" ")' | head -n 1)" = "1 arxiv:2501.08341 POST http://127.0.0.1:9/v1/chat/completions" ]
	[ "$(printf '%s\n' "$out" | jq -r '.body.model' | sort -u)" = some-model ]
	[ "$(printf '%s\n' "$out" | jq -r '.body.response_format.type' | sort -u)" = json_schema ]
	# what is cached or done already would not be sent
	serve
	enrich --cache "$TMP/c" "$E/basic/input.jsonl" > "$TMP/all"
	head -n 2 "$TMP/all" > "$TMP/two"
	run2 enrich --dry-run --cache "$TMP/c" "$E/basic/input.jsonl"
	[ -z "$out" ]
	cat "$TMP/two" "$E/basic/input.jsonl" | enrich --dry-run --no-cache | jq -r .line | tr '\n' ' ' | grep -qx '3 4 5 6 '
}

@test "bad input lines: enrich: FILE:LINE: message; the records around them are done; exit 1" {
	serve
	cd "$E/bad-lines"
	run2 enrich --no-cache -f title input.jsonl
	cd - >/dev/null
	same "$TMP/out" "$E/bad-lines/expected-title"
	[ "$status" -eq 1 ]
	[ "$err" = "enrich: input.jsonl:2: column 3: invalid token near 'not'
enrich: input.jsonl:3: not a JSON object (array)
enrich: input.jsonl:6: column 25: invalid UTF-8 (byte 0xff)" ]
}

@test "inputs: files in turn, - for stdin; a missing file is reported" {
	serve
	recs 2 > "$TMP/a"
	recs 4 | tail -n 2 > "$TMP/b"
	run2 sh -c 'enrich --no-cache "$1" - "$2" "$1" < "$3"' sh "$TMP/a" "$TMP/missing" "$TMP/b"
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "$out" | jq -r .id | tr '\n' ' ')" = "r:1 r:2 r:3 r:4 r:1 r:2 " ]
	[ "$err" = "enrich: $TMP/missing: No such file or directory" ]
}

@test "configuration: the environment, and usage errors exit 2" {
	run2 enrich --dry-run --no-cache "$E/basic/input.jsonl"
	[ "$status" -eq 2 ]
	[[ "$err" == "enrich: no model: give --model or set FEEDPIPE_MODEL"* ]]
	OPENAI_BASE_URL=http://o.example/v1 FEEDPIPE_MODEL=fm run2 enrich --dry-run --no-cache "$E/basic/input.jsonl"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$out" | head -n 1 | jq -r '.url + " " + .body.model')" = "http://o.example/v1/chat/completions fm" ]
	FEEDPIPE_API_BASE=http://f.example/v1 OPENAI_BASE_URL=http://o.example/v1 run2 enrich -n --no-cache -m x "$E/basic/input.jsonl"
	[ "$(printf '%s\n' "$out" | head -n 1 | jq -r .url)" = http://f.example/v1/chat/completions ]
	FEEDPIPE_API_BASE=http://f.example/v1 run2 enrich -n --no-cache -m x --api-base http://c.example/x/chat/completions "$E/basic/input.jsonl"
	[ "$(printf '%s\n' "$out" | head -n 1 | jq -r .url)" = http://c.example/x/chat/completions ]
	run2 enrich -n -m x "$E/basic/input.jsonl"
	[ "$(printf '%s\n' "$out" | head -n 1 | jq -r .url)" = https://api.openai.com/v1/chat/completions ]
	for bad in '--fields title,abstract' '--jobs 0' '--jobs x' '--lang z_h' '--timeout 0' '--retries -1' \
		'--api-base ftp://x/v1' '--max-requests -3' '--bogus'; do
		run2 enrich -n -m x $bad "$E/basic/input.jsonl"
		[ "$status" -eq 2 ]
		[ -z "$out" ]
	done
	run2 enrich --help
	[ "$status" -eq 0 ]
	[[ "$out" == "usage: enrich "* ]]
	run2 enrich --version
	[ "$out" = "enrich 0.1.0" ]
}

@test "a write error is fatal (exit 2)" {
	serve
	run2 sh -c 'enrich --no-cache "$1" > /dev/full' sh "$E/basic/input.jsonl"
	[ "$status" -eq 2 ]
	[[ "$err" == *"write error"* ]]
}

@test "small records from a pipe: enrich reads no further ahead than its window" {
	# peak memory, not time; valgrind and ASan have memory of their own
	[ -z "${FEEDPIPE_WRAP-}" ] || skip "memory measured; not run under valgrind"
	! nm "$TOP/enrich" 2>/dev/null | grep -q __asan_init || skip "memory measured; not with ASan"
	[ -x /usr/bin/time ] || skip "needs /usr/bin/time"
	# 1,000,000 records (about 45 MB) with neither title nor summary: no request
	awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "{\"id\":\"r:%d\",\"link\":\"http://x/%d\"}\n", i, i }' > "$TMP/in.jsonl"
	run2 sh -c 'cat "$1" | /usr/bin/time -f %M -o "$2" enrich --no-cache --api-base http://127.0.0.1:9/v1 \
		--model m | cmp - "$1"' sh "$TMP/in.jsonl" "$TMP/rss"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	# it held about 40 MB of them before the fix; a window of 128 records
	# and a 256 KiB read buffer need a few MB
	[ "$(cat "$TMP/rss")" -lt 20000 ]
}
