#!/usr/bin/env bats
# classify: words and phrases match their inflections (Snowball stems),
# =word and ="a phrase" only as written, %language chooses the stemmer.

load helper

C="$FIX/classify-stem"

# classify -r FILE on a rules file written from $1, from inside $TMP, so
# that messages name it "rules"
rules_err() {
	printf '%s\n' "$1" > "$TMP/rules"
	cd "$TMP"
	run2 classify -r rules "$C/records.jsonl"
	cd - >/dev/null
	[ "$status" -eq 2 ]
	[ -z "$out" ]
}

@test "a word matches its plural and other inflections" {
	tags_of -e 'w: network'
	[ "$got" = "s:1=w s:2=w s:3=w s:6=w" ]
	tags_of -e 'w: networks'
	[ "$got" = "s:1=w s:2=w s:3=w s:6=w" ]
	tags_of -e 'w: learning'
	[ "$got" = "s:1=w s:2=w" ]
	tags_of -e 'w: learned'
	[ "$got" = "s:1=w s:2=w" ]
}

@test "=word matches only as written (folded: case and accents still do not matter)" {
	tags_of -e 'x: =network'
	[ "$got" = "s:1=x s:2=x" ]
	tags_of -e 'x: =networks'
	[ "$got" = "s:1=x s:6=x" ]
	tags_of -e 'x: =learning'
	[ "$got" = "s:1=x" ]
	tags_of -e 'x: =university'
	[ "$got" = "s:5=x" ]
	tags_of -e 'x: university'
	[ "$got" = "s:5=x" ]
	tags_of -e 'x: =universe'
	[ "$got" = "s:5=x" ]
	tags_of -e 'x: -=networks =network'
	[ "$got" = "s:2=x" ]
}

@test "phrases are stemmed word by word; =\"a phrase\" and starred phrases are not" {
	tags_of -e 'p: "neural network"'
	[ "$got" = "s:1=p s:2=p" ]
	tags_of -e 'p: "neural networks"'
	[ "$got" = "s:1=p s:2=p" ]
	tags_of -e 'p: "network neural"'
	[ "$got" = "" ]
	tags_of -e 'p: ="neural network"'
	[ "$got" = "s:2=p" ]
	tags_of -e 'p: ="neural networks"'
	[ "$got" = "s:1=p" ]
	tags_of -e 'p: "neural networks*"'
	[ "$got" = "s:1=p" ]
	tags_of -e 'p: "graph neural network"'
	[ "$got" = "s:1=p" ]
}

@test "prefixes, suffixes, infixes and regexes keep their meaning" {
	tags_of -e 'x: learn*'
	[ "$got" = "s:1=x s:2=x" ]
	tags_of -e 'x: *learning'
	[ "$got" = "s:1=x s:3=x" ]
	tags_of -e 'x: *work*'
	[ "$got" = "s:1=x s:2=x s:3=x s:6=x" ]
	tags_of -e 'x: /\bnetworks\b/'
	[ "$got" = "" ]
	tags_of -e 'x: /\bnetworks\b/i'
	[ "$got" = "s:1=x s:6=x" ]
}

@test "%language: German and Russian stems, ISO codes, case; English again in the next -e" {
	tags_of -e $'%language german\nde: "neuronales netz"'
	[ "$got" = "s:4=de" ]
	tags_of -e $'%language de\nde: haus'
	[ "$got" = "s:4=de" ]
	tags_of -e $'%language German\nde: haus'
	[ "$got" = "s:4=de" ]
	tags_of -e 'en: haus'
	[ "$got" = "" ]
	tags_of -e $'%language russian\nru: "нейронная сеть"'
	[ "$got" = "s:6=ru" ]
	tags_of -e $'%language german' -e 'en: haus'
	[ "$got" = "" ]
}

@test "%language in a file holds until the next one; none turns stemming off" {
	printf '%s\n' 'en: learning' '%language german  # the papers from Berlin' \
		'de: haus' '%language none' 'off: networks' '%language english' \
		'en2: networking' > "$TMP/rules"
	tags_of -r "$TMP/rules"
	[ "$got" = "s:1=en,off,en2 s:2=en,en2 s:3=en2 s:4=de s:6=off,en2" ]
}

@test "a tag may still be called %language" {
	tags_of -e '%language: =universe'
	[ "$got" = "s:5=%language" ]
}

@test "--explain names the terms as written" {
	run2 classify -x -r "$C/explain.rules" "$C/records.jsonl"
	[ "$status" -eq 0 ]
	same "$TMP/out" "$C/explain.expected"
	classify -x --full-parse -r "$C/explain.rules" "$C/records.jsonl" > "$TMP/slow"
	same "$TMP/slow" "$C/explain.expected"
}

@test "an unknown language: file, line and column, the languages there are, exit 2" {
	rules_err $'ML: learning\n%language klingon'
	[ "${err%% (there are *}" = "classify: rules:2: column 11: unknown language 'klingon'" ]
	case "$err" in *" english, "*" german, "*" and none)") ;; *) return 1;; esac
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ]
	run2 classify -e 'x: a' -e '%language xx' "$C/records.jsonl"
	[ "$status" -eq 2 ]
	[ "${err%% (there are *}" = "classify: -e#2:1: column 11: unknown language 'xx'" ]
}

@test "other %language and = errors" {
	rules_err '%language'
	[ "${err%%language: *}" = "classify: rules:1: column 10: %language wants a " ]
	case "$err" in *" english, "*" or none") ;; *) return 1;; esac
	rules_err '%language german french'
	[ "$err" = "classify: rules:1: column 18: expected the end of the line after the language" ]
	rules_err $'ML: learning\n%language german\n\tnetz'
	[ "$err" = "classify: rules:3: column 2: an indented line continues a rule, but no rule came before" ]
	rules_err 'ML: =/net/'
	[ "$err" = "classify: rules:1: column 5: '=' is for words and phrases (a /regex/ is never stemmed)" ]
	rules_err 'ML: =++'
	[ "$err" = "classify: rules:1: column 5: '=++' has no letters or digits (use a /regex/)" ]
}
