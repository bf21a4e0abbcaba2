#!/usr/bin/env bats
# examples/push: the chat push recipes against tests/hookserver.py on
# 127.0.0.1: each service's payload shape, and a failing webhook that gives
# a clear message and a non-zero exit without ever showing the secret.

load helper

PUSH="$TOP/examples/push"
SECRET=SECRETabc123xyz

setup() {
	command -v curl >/dev/null || skip "curl not installed"
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	mkdir "$TMP/posts"
	start_server hookserver.py "$TMP/posts"
	BASE="http://127.0.0.1:$PORT"
	# curl as the recipes run it, its arguments recorded
	mkdir "$TMP/bin"
	printf '#!/bin/sh\nprintf "%%s\\n" "$*" >> "%s/curl-args"\nexec %s "$@"\n' "$TMP" "$(command -v curl)" > "$TMP/bin/curl"
	chmod +x "$TMP/bin/curl"
	PATH="$TMP/bin:$PATH"
	export PUSH_TITLE="feedpipe 2025-01-16" PUSH_TOP=3
	unset SLACK_WEBHOOK_URL DISCORD_WEBHOOK_URL FEISHU_WEBHOOK_URL WECOM_WEBHOOK_URL \
		TELEGRAM_BOT_TOKEN TELEGRAM_CHAT_ID TELEGRAM_API PUSH_DRY_RUN
	# four papers, three with a score; one link that is no web link
	printf '%s\n' '{"title":"Low","link":"https://e.org/1","score":1}' \
	    '{"title":"High <b> & [x] *y* @everyone","link":"https://e.org/2?a=1&b=(2)","score":5}' \
	    '{"title":"No link"}' '{"title":"JS","link":"javascript:alert(1)","score":3}' > "$TMP/day.jsonl"
}

teardown() {
	kill "$SERVER" 2>/dev/null || true
	rm -rf "$TMP"
}

# the body of the only POST since the last "rm posts/*"; and no secret on
# any curl command line
body() {
	[ "$(ls "$TMP/posts" | grep -c '\.body$')" -eq 1 ]
	! grep -q "$SECRET" "$TMP/curl-args"
	cat "$TMP/posts"/*.body
}

# the secret in no output
no_secret() {
	[[ "$out$err" != *"$SECRET"* ]] || { echo "secret shown: $out$err" >&2; return 1; }
}

@test "slack: mrkdwn text, the top titles by score with links, & < > escaped" {
	SLACK_WEBHOOK_URL="$BASE/services/T0/B0/$SECRET" run2 "$PUSH/slack" "$TMP/day.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$out$err" ]
	[ "$(cat "$TMP/posts/1.path")" = "/services/T0/B0/$SECRET" ]
	[ "$(body | jq -r .text)" = '*feedpipe 2025-01-16*: 4 new papers
• <https://e.org/2?a=1&amp;b=(2)|High &lt;b&gt; &amp; [x] *y* @everyone>
• JS
• <https://e.org/1|Low>' ]
	body | jq -e '.unfurl_links == false and (keys | sort) == ["text", "unfurl_links", "unfurl_media"]' > /dev/null
}

@test "discord: Markdown content escaped, links without previews, no mentions" {
	DISCORD_WEBHOOK_URL="$BASE/api/webhooks/1/$SECRET" run2 "$PUSH/discord" < "$TMP/day.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$out$err" ]
	[ "$(body | jq -r .content)" = '**feedpipe 2025-01-16**: 4 new papers
- [High \<b\> & \[x\] \*y\* @everyone](<https://e.org/2?a=1&b=%282%29>)
- JS
- [Low](<https://e.org/1>)' ]
	body | jq -e '.allowed_mentions == {parse: []} and .flags == 4 and (.content | length) <= 2000' > /dev/null
}

@test "telegram: sendMessage with HTML text and the chat id; the token only in the path" {
	TELEGRAM_API=$BASE TELEGRAM_BOT_TOKEN="123456:$SECRET" TELEGRAM_CHAT_ID=-1001 \
		run2 "$PUSH/telegram" "$TMP/day.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$out$err" ]
	[ "$(cat "$TMP/posts/1.path")" = "/bot123456:$SECRET/sendMessage" ]
	body | jq -e '.chat_id == "-1001" and .parse_mode == "HTML" and .disable_web_page_preview == true' > /dev/null
	[ "$(body | jq -r .text)" = '<b>feedpipe 2025-01-16</b>: 4 new papers
• <a href="https://e.org/2?a=1&amp;b=(2)">High &lt;b&gt; &amp; [x] *y* @everyone</a>
• JS
• <a href="https://e.org/1">Low</a>' ]
}

@test "feishu: a rich-text post, a line per paper, links as a tags" {
	FEISHU_WEBHOOK_URL="$BASE/open-apis/bot/v2/hook/$SECRET" run2 "$PUSH/feishu" "$TMP/day.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$out$err" ]
	[ "$(body | jq -c '.msg_type, .content.post.zh_cn.title, .content.post.zh_cn.content')" = '"post"
"feedpipe 2025-01-16: 4 new papers"
[[{"tag":"a","text":"High <b> & [x] *y* @everyone","href":"https://e.org/2?a=1&b=(2)"}],[{"tag":"text","text":"JS"}],[{"tag":"a","text":"Low","href":"https://e.org/1"}]]' ]
}

@test "wecom: Markdown, brackets made full-width, within 4096 bytes" {
	WECOM_WEBHOOK_URL="$BASE/cgi-bin/webhook/send?key=$SECRET" run2 "$PUSH/wecom" "$TMP/day.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$out$err" ]
	body | jq -e '.msgtype == "markdown" and (.markdown.content | utf8bytelength) <= 4096' > /dev/null
	[ "$(body | jq -r .markdown.content)" = '**feedpipe 2025-01-16**: 4 new papers
> [High  b  & ［x］  y  @everyone](https://e.org/2?a=1&b=%282%29)
> JS
> [Low](https://e.org/1)' ]
}

@test "the count of all records, PUSH_TOP titles, and no records at all" {
	for i in $(seq 30); do printf '{"title":"paper %s","link":"https://e.org/%s"}\n' $i $i; done > "$TMP/many.jsonl"
	PUSH_TOP=5 SLACK_WEBHOOK_URL="$BASE/s/$SECRET" run2 "$PUSH/slack" "$TMP/many.jsonl"
	[ "$status" -eq 0 ]
	[ "$(body | jq -r .text | head -n 1)" = "*feedpipe 2025-01-16*: 30 new papers" ]
	[ "$(body | jq -r .text | sed 1d | cut -d'|' -f2 | tr '\n' ' ')" = "paper 1> paper 2> paper 3> paper 4> paper 5> " ]
	rm "$TMP/posts"/*
	DISCORD_WEBHOOK_URL="$BASE/d/$SECRET" run2 "$PUSH/discord" < /dev/null
	[ "$status" -eq 0 ]
	[ "$(body | jq -r .content)" = "**feedpipe 2025-01-16**: 0 new papers" ]
}

@test "PUSH_DRY_RUN prints the payload and posts nothing, without a secret" {
	PUSH_DRY_RUN=1 run2 "$PUSH/feishu" "$TMP/day.jsonl"
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | jq -r .content.post.zh_cn.title)" = "feedpipe 2025-01-16: 4 new papers" ]
	[ -z "$(ls "$TMP/posts")" ]
}

@test "a webhook that answers 403: the reason, the secret taken out, exit 1" {
	SLACK_WEBHOOK_URL="$BASE/services/fail/$SECRET" run2 "$PUSH/slack" "$TMP/day.jsonl"
	[ "$status" -eq 1 ]
	[ -z "$out" ]
	[ "$err" = "push-slack: the server refused the message: HTTP 403 (invalid token for /***/fail/***)" ]
	no_secret
	TELEGRAM_API=$BASE TELEGRAM_BOT_TOKEN="123456:$SECRET-fail" TELEGRAM_CHAT_ID=1 \
		run2 "$PUSH/telegram" "$TMP/day.jsonl"
	[ "$status" -eq 1 ]
	[ "$err" = "push-telegram: the server refused the message: HTTP 403 (invalid token for /***:***/***)" ]
	no_secret
}

@test "Feishu, WeCom and Telegram refusing in a 200 answer's body: exit 1" {
	FEISHU_WEBHOOK_URL="$BASE/hook/refuse/$SECRET" run2 "$PUSH/feishu" "$TMP/day.jsonl"
	[ "$status" -eq 1 ]
	[ "$err" = "push-feishu: the server refused the message: refused /hook/refuse/***" ]
	no_secret
	WECOM_WEBHOOK_URL="$BASE/cgi-bin/webhook/send?key=refuse$SECRET" run2 "$PUSH/wecom" "$TMP/day.jsonl"
	[ "$status" -eq 1 ]
	[ "$err" = "push-wecom: the server refused the message: refused /cgi-bin/webhook/send?key=***" ]
	no_secret
	TELEGRAM_API=$BASE TELEGRAM_BOT_TOKEN="refuse:$SECRET" TELEGRAM_CHAT_ID=1 run2 "$PUSH/telegram" "$TMP/day.jsonl"
	[ "$status" -eq 1 ]
	[[ "$err" == "push-telegram: the server refused the message: refused /"* ]]
	no_secret
}

@test "no server, no secret set, records that are not JSON: a message, no secret" {
	kill "$SERVER"
	wait "$SERVER" 2> /dev/null || true
	DISCORD_WEBHOOK_URL="$BASE/api/webhooks/1/$SECRET" run2 "$PUSH/discord" "$TMP/day.jsonl"
	[ "$status" -eq 1 ]
	[ "$err" = "push-discord: cannot post: no connection to the host of DISCORD_WEBHOOK_URL (curl exit 7)" ]
	no_secret
	run2 "$PUSH/wecom" "$TMP/day.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "push-wecom: set WECOM_WEBHOOK_URL in the environment (it is never shown)" ]
	TELEGRAM_BOT_TOKEN=1:x run2 "$PUSH/telegram" "$TMP/day.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "push-telegram: set TELEGRAM_CHAT_ID in the environment (the chat to write to)" ]
	printf '{"title": tru\n' > "$TMP/bad.jsonl"
	SLACK_WEBHOOK_URL="$BASE/$SECRET" run2 "$PUSH/slack" "$TMP/bad.jsonl"
	[ "$status" -eq 1 ]
	[[ "$err" == *"push-slack: cannot read the records" ]]
	no_secret
	PUSH_TOP=x SLACK_WEBHOOK_URL="$BASE/$SECRET" run2 "$PUSH/slack" "$TMP/day.jsonl"
	[ "$status" -eq 2 ]
	[ "$err" = "push-slack: PUSH_TOP=x: want a number" ]
}
