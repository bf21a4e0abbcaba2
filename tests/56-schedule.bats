#!/usr/bin/env bats
# examples/schedule/: the publish script against a scratch digest
# repository with a local bare remote (a stand-in make writes the day, no
# network); the GitHub Actions workflow, the systemd units and the crontab
# line as written.

load helper

SCHED="$TOP/examples/schedule"
KEY=sk-test-56schedule-Zq7xWv3

setup() {
	TMP=$(mktemp -d "${BATS_TMPDIR:-/tmp}/feedpipe.XXXXXX")
	# git as a fresh user would have it: no global or system settings
	export HOME="$TMP/home" GIT_CONFIG_NOSYSTEM=1
	mkdir -p "$HOME" "$TMP/bin"
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
	unset DATE MAKE PUBLISH_NAME PUBLISH_EMAIL PUBLISH_REMOTE PUBLISH_BRANCH
	unset FEEDPIPE_API_KEY OPENAI_API_KEY FAKE_MAKE_FAIL FAKE_MAKE_PUSH
	git config --global user.name "Digest Owner"
	git config --global user.email owner@example.org
	git config --global init.defaultBranch main
	cp "$FIX/schedule/make" "$TMP/bin/make"
	PATH="$TMP/bin:$PATH"
	export FAKE_MAKE_LOG="$TMP/make.log"
	# the published digest repository and a checkout of it
	git init -q --bare "$TMP/remote.git"
	git init -q "$TMP/digest"
	printf 'include feedpipe/daily.mk\n' > "$TMP/digest/Makefile"
	printf 'good\thttp://example.org/feed.xml\n' > "$TMP/digest/feeds.tsv"
	printf 'ML: learning\n' > "$TMP/digest/rules"
	git -C "$TMP/digest" add .
	git -C "$TMP/digest" commit -qm "a digest directory"
	git -C "$TMP/digest" remote add origin "$TMP/remote.git"
	git -C "$TMP/digest" push -qu origin main
	cd "$TMP/digest"
}

# the remote's commit count, and the files its last commit changed
commits() { git -C "$TMP/remote.git" rev-list --count main; }
changed() { git -C "$TMP/remote.git" diff-tree --no-commit-id --name-only -r main; }

@test "publish: the day's four directories committed as \"digest DATE\" and pushed, nothing else" {
	run2 "$SCHED/publish" -d 2025-01-16
	[ "$status" -eq 0 ]
	[[ "$out" == *"digest: digests/2025-01-16.md digests/2025-01-16-ML.md"* ]]
	[[ "$out" == *"publish: 2025-01-16: committed "*"pushed to origin main"* ]]
	grep -qx 'fake make: DATE=2025-01-16' "$FAKE_MAKE_LOG"
	[ "$(commits)" -eq 2 ]
	[ "$(git -C "$TMP/remote.git" log -1 --format=%s main)" = "digest 2025-01-16" ]
	[ "$(changed)" = "digests/2025-01-16-ML.md
digests/2025-01-16.md
digests/index.md
records/2025-01-16.jsonl
reports/2025-01-16/run.jsonl
state/seen.tsv" ]
	# cache/ and work/ stay here, untracked
	[ -f cache/good.etag ] && [ -f work/2025-01-16/new.jsonl ]
	[ -z "$(git ls-files cache work)" ]
	[ "$(git rev-parse HEAD)" = "$(git -C "$TMP/remote.git" rev-parse main)" ]
}

@test "publish: a second run that changes nothing makes no commit and exits 0" {
	"$SCHED/publish" -d 2025-01-16 >/dev/null
	head=$(git -C "$TMP/remote.git" rev-parse main)
	run2 "$SCHED/publish" -d 2025-01-16
	[ "$status" -eq 0 ]
	[[ "$out" == *"publish: 2025-01-16: nothing changed; no commit"* ]]
	[ "$(git -C "$TMP/remote.git" rev-parse main)" = "$head" ]
	[ "$(git rev-parse HEAD)" = "$head" ]
	[ -z "$(git status --porcelain --untracked-files=no)" ]
}

@test "publish: the next day is a commit of its own; DATE from the environment, make's arguments passed on" {
	"$SCHED/publish" -d 2025-01-16 >/dev/null
	DATE=2025-01-17 run2 "$SCHED/publish" -- -j8 BIN=/opt/feedpipe/bin
	[ "$status" -eq 0 ]
	grep -qx 'fake make: DATE=2025-01-17 -j8 BIN=/opt/feedpipe/bin' "$FAKE_MAKE_LOG"
	[ "$(commits)" -eq 3 ]
	[ "$(git -C "$TMP/remote.git" log -1 --format=%s main)" = "digest 2025-01-17" ]
	changed | grep -qx digests/2025-01-17.md
	changed | grep -qx state/seen.tsv
	! changed | grep -q 2025-01-16 || false
}

@test "publish: a failed make fails visibly, and nothing is committed, staged or pushed" {
	head=$(git rev-parse HEAD)
	FAKE_MAKE_FAIL=2 run2 "$SCHED/publish" -d 2025-01-16
	[ "$status" -eq 2 ]
	[[ "$err" == *"classify: rules:1: broken rule"* ]]
	[[ "$err" == *"publish: 2025-01-16: make failed with status 2; nothing committed or pushed"* ]]
	[ "$(git rev-parse HEAD)" = "$head" ]
	[ "$(commits)" -eq 1 ]
	[ -z "$(git diff --cached --name-only)" ]
	# and the next run, once make works, publishes the day
	run2 "$SCHED/publish" -d 2025-01-16
	[ "$status" -eq 0 ]
	[ "$(commits)" -eq 2 ]
}

@test "publish: enrich's key reaches make but is in no commit, no object and no output" {
	FEEDPIPE_API_KEY=$KEY run2 "$SCHED/publish" -d 2025-01-16
	[ "$status" -eq 0 ]
	[[ "$out" == *"enrich: key given"* ]]
	[[ "$out$err" != *"$KEY"* ]]
	FEEDPIPE_API_KEY=$KEY FAKE_MAKE_FAIL=2 run2 "$SCHED/publish" -d 2025-01-17
	[ "$status" -eq 2 ]
	[[ "$out$err" != *"$KEY"* ]]
	! git -C "$TMP/remote.git" cat-file --batch-all-objects --batch | grep -qF "$KEY" || false
	! git cat-file --batch-all-objects --batch | grep -qF "$KEY" || false
	! grep -rqF "$KEY" "$TMP/digest" "$TMP/remote.git" || false
}

@test "publish: the bot's name and address from PUBLISH_NAME and PUBLISH_EMAIL" {
	PUBLISH_NAME='github-actions[bot]' PUBLISH_EMAIL='41898282+github-actions[bot]@users.noreply.github.com' \
		run2 "$SCHED/publish" -d 2025-01-16
	[ "$status" -eq 0 ]
	[ "$(git -C "$TMP/remote.git" log -1 --format='%an <%ae>|%cn <%ce>' main)" = \
		"github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>" ]
	# and git's own setting otherwise
	run2 "$SCHED/publish" -d 2025-01-17
	[ "$(git -C "$TMP/remote.git" log -1 --format='%an <%ae>' main)" = "Digest Owner <owner@example.org>" ]
}

@test "publish -n commits and does not push; the next run pushes both days" {
	run2 "$SCHED/publish" -n -d 2025-01-16
	[ "$status" -eq 0 ]
	[ "$(git log -1 --format=%s)" = "digest 2025-01-16" ]
	[ "$(commits)" -eq 1 ]
	[[ "$out" != *pushed* ]]
	run2 "$SCHED/publish" -d 2025-01-16
	[ "$status" -eq 0 ]
	[ "$(commits)" -eq 2 ]
}

@test "publish: a remote that moved on meanwhile is rebased onto, and both commits are kept" {
	git clone -q "$TMP/remote.git" "$TMP/other"
	FAKE_MAKE_PUSH="$TMP/other" run2 "$SCHED/publish" -d 2025-01-16
	[ "$status" -eq 0 ]
	[[ "$err" == *"push refused; rebasing onto origin/main"* ]]
	[ "$(git -C "$TMP/remote.git" log --format=%s main)" = "digest 2025-01-16
feeds: other
a digest directory" ]
	[ "$(git rev-parse HEAD)" = "$(git -C "$TMP/remote.git" rev-parse main)" ]
}

@test "publish: outside a git repository, or with a bad date, it stops before make" {
	mkdir "$TMP/plain"
	run2 "$SCHED/publish" -C "$TMP/plain" -d 2025-01-16
	[ "$status" -ne 0 ]
	[[ "$err" == *"publish: $TMP/plain: not in a git repository"* ]]
	run2 "$SCHED/publish" -d 16.01.2025
	[ "$status" -ne 0 ]
	[[ "$err" == *"publish: 16.01.2025: want a date as YYYY-MM-DD"* ]]
	run2 "$SCHED/publish" -x
	[ "$status" -eq 2 ]
	[[ "$err" == *"usage: publish"* ]]
	[ ! -e "$FAKE_MAKE_LOG" ]
}

@test "publish: with no one to commit as, it says so before make" {
	git config --global user.useConfigOnly true
	git config --global --unset user.name
	git config --global --unset user.email
	run2 env -u EMAIL "$SCHED/publish" -d 2025-01-16
	[ "$status" -ne 0 ]
	[[ "$err" == *"publish: who commits? set PUBLISH_NAME and PUBLISH_EMAIL, or git's user.name and user.email"* ]]
	[ ! -e "$FAKE_MAKE_LOG" ]
	PUBLISH_NAME=bot PUBLISH_EMAIL=bot@example.org run2 env -u EMAIL "$SCHED/publish" -d 2025-01-16
	[ "$status" -eq 0 ]
	[ "$(git -C "$TMP/remote.git" log -1 --format='%an <%ae>' main)" = "bot <bot@example.org>" ]
}

@test "publish and the stand-in make are POSIX sh and shellcheck-clean" {
	command -v shellcheck >/dev/null || skip "shellcheck not installed"
	shellcheck -s sh "$SCHED/publish" "$FIX/schedule/make"
}

@test "the workflow parses; its run steps call only publish from examples/schedule/ and standard commands" {
	/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"
	run2 /usr/bin/python3 - "$SCHED/feedpipe-digest.yml" "$SCHED" <<'PY'
import os, re, shlex, sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
sched = sys.argv[2]
on = wf.get("on", wf.get(True))   # YAML 1.1 reads a bare on as true
assert on["schedule"][0]["cron"] == "30 7 * * *", on
assert "workflow_dispatch" in on
assert wf["permissions"] == {"contents": "write"}
steps = wf["jobs"]["digest"]["steps"]
standard = {"sudo", "apt-get", "git", "make"}
uses, secrets = [], []
for st in steps:
    if "uses" in st:
        uses.append(st["uses"].split("@")[0])
    for k, v in (st.get("env") or {}).items():
        if "secrets." in str(v):
            secrets.append(k)
    if "run" not in st:
        continue
    run = st["run"]
    assert "secrets." not in run, run       # the key only through env:
    assert "\n" not in run.strip(), run     # one-liners
    for cmd in re.split(r"&&|\|\||;|\|", run):
        words = shlex.split(cmd)
        if words[0] == "sudo":
            words = words[1:]
        w = words[0]
        m = re.fullmatch(r"\$RUNNER_TEMP/feedpipe/examples/schedule/([\w.-]+)", w)
        if m:
            f = os.path.join(sched, m.group(1))
            assert os.access(f, os.X_OK), f + ": not in examples/schedule/"
        else:
            assert w in standard, w + ": not a standard command"
assert uses == ["actions/checkout", "actions/cache"], uses
assert secrets == ["FEEDPIPE_API_KEY"], secrets
cache = [s for s in steps if s.get("uses", "").startswith("actions/cache")][0]["with"]
assert cache["path"].split() == ["cache", "~/.cache/feedpipe"], cache
print("ok")
PY
	echo "$err" >&2
	[ "$status" -eq 0 ]
	[ "$out" = ok ]
}

@test "the systemd user service and timer pass systemd-analyze verify" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed"
	mkdir -p "$TMP/run" && chmod 700 "$TMP/run"
	XDG_RUNTIME_DIR="$TMP/run" run2 systemd-analyze --user --man=no verify \
		"$SCHED/feedpipe-digest.service" "$SCHED/feedpipe-digest.timer"
	echo "$err" >&2
	[ "$status" -eq 0 ]
	[ -z "$err" ]
	grep -qx 'OnCalendar=\*-\*-\* 07:30:00' "$SCHED/feedpipe-digest.timer"
	grep -qx 'Persistent=true' "$SCHED/feedpipe-digest.timer"
	grep -qx 'WorkingDirectory=%h/digest' "$SCHED/feedpipe-digest.service"
	grep -qx 'EnvironmentFile=-%h/.config/feedpipe/env' "$SCHED/feedpipe-digest.service"
}

# the crontab's one job line, and its command (the line after the five
# time fields)
cron_line() { grep -v '^#' "$SCHED/crontab" | grep -Ev '^[A-Z_]+=|^$'; }
cron_command() { cron_line | sed 's/^\([^ ]* \)\{5\}//'; }

@test "the crontab: at 07:30 every day, the same line the README shows, settings cron reads" {
	[ "$(cron_line | wc -l)" -eq 1 ]
	[ "$(cron_line | cut -d' ' -f1-5)" = "30 7 * * *" ]
	sed 's/^ *//' "$SCHED/README.md" | grep -qxF "$(cron_line)"
	grep -qx 'MAILTO=.*' "$SCHED/crontab"
	grep -qx 'PATH=/[^$]*' "$SCHED/crontab"
	# cron treats % in a command as a newline
	! cron_command | grep -q % || false
}

@test "the crontab's command as cron runs it: quiet and logged on success, one line (mailed) with the status on failure" {
	mkdir "$HOME/digest"
	run2 env PATH="$TMP/bin:/usr/bin:/bin" HOME="$HOME" sh -c "$(cron_command)"
	[ "$status" -eq 0 ]
	[ -z "$out$err" ]
	grep -q '^digest: digests/' "$HOME/digest/cron.log"
	[ -f "$HOME/digest/digests/$(date -u +%Y-%m-%d).md" ]
	FAKE_MAKE_FAIL=2 run2 env PATH="$TMP/bin:/usr/bin:/bin" HOME="$HOME" sh -c "$(cron_command)"
	[ -z "$err" ]
	[ "$out" = "feedpipe digest: make in $HOME/digest failed with status 2; see $HOME/digest/cron.log" ]
	grep -q 'classify: rules:1: broken rule' "$HOME/digest/cron.log"
}
