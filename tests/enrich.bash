# Shared by the enrich test files: a fresh cache and environment for each
# test, and the test server (tests/llmserver.py) on 127.0.0.1.
setup() {
	[ -x "$TOP/enrich" ] || skip "enrich is not built"
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	unset OPENAI_API_KEY OPENAI_BASE_URL FEEDPIPE_API_KEY FEEDPIPE_API_BASE FEEDPIPE_MODEL
	export XDG_CACHE_HOME="$TMP/xdg"
	SERVER=
}

teardown() {
	[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
	rm -rf "$TMP"
}

# Start the test server with these options; point enrich at it.
serve() {
	serve_plain "$@"
}

serve_plain() {
	python3 "$TOP/tests/llmserver.py" "$@" > "$TMP/port" &
	SERVER=$!
	for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
	PORT=$(cat "$TMP/port")
	export FEEDPIPE_API_BASE="http://127.0.0.1:$PORT/v1" FEEDPIPE_MODEL=test-model
}
