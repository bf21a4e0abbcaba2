#!/usr/bin/env bats
# feed2jsonl: superscripts, subscripts and MathML keep their meaning in
# titles and summaries (feedpipe(5), "Superscripts, subscripts and formulas").

load helper

# A feed in tests/fixtures/text-scripts gives exactly its .jsonl.
check_scripts_case() {
	run2 feed2jsonl "$FIX/text-scripts/$1.xml"
	same "$TMP/out" "$FIX/text-scripts/$1.jsonl"
	[ ! -s "$TMP/err" ]
	[ "$status" -eq 0 ]
}

# The record of the feed $1 titled $2, field $3.
field_of() {
	feed2jsonl "$FIX/text-scripts/$1.xml" | jq -r --arg t "$2" "select(.title == \$t) | .$3"
}

@test "RSS description with escaped HTML and MathML, and MathML as XML children" { check_scripts_case rss-escaped; }
@test "Atom type=html: sup, sub and prefixed MathML in title and summary" { check_scripts_case atom-html; }
@test "Atom type=xhtml: real XHTML sup/sub and MathML child elements" { check_scripts_case atom-xhtml; }

@test "powers and units: 10⁴, cm⁻², d⁻¹ (ASCII hyphen too), H₂O" {
	s=$(field_of rss-escaped "Nb₃Sn wires at 10⁵ A cm⁻²" summary)
	[ "$s" = "Films reach 2.1 × 10⁴ cells and 3 µC Gy⁻¹ cm⁻²; H₂O splits; 0.254 d⁻¹." ]
}

@test "a script with a character that has no Unicode form is written _{...} or ^{...}" {
	s=$(field_of rss-escaped "Critical temperature T_{c} of La_{0.2}Sr_{0.8}" summary)
	case "$s" in "Strain YIM S02567^{T} has anteiso-C_{15:0} and MK-9(H₄);"*) ;; *) false ;; esac
}

@test "nested markup inside a script is kept: 2ⁿ, x^{a+1}, a script in a script e^{i²}" {
	s=$(field_of rss-escaped "Critical temperature T_{c} of La_{0.2}Sr_{0.8}" summary)
	case "$s" in *"2ⁿ networks, x^{a+1}, mₜ and vₜ₊₁, e^{i²}."*) ;; *) false ;; esac
}

@test "a footnote number in sup is a superscript; an empty sup is nothing" {
	s=$(field_of rss-escaped "Critical temperature T_{c} of La_{0.2}Sr_{0.8}" summary)
	case "$s" in *"As shown before¹ and since^{2,3}, an empty script and a spaced ₁₂ one."*) ;; *) false ;; esac
}

@test "MathML: msup, msubsup, mfrac, msqrt, mroot, annotation dropped, invisible times dropped" {
	s=$(field_of rss-escaped "Escaped MathML" summary)
	[ "$s" = "Tracking more than 10⁵ cells; x_{i}²=(a+b)/2√(y+1), ³√(z) and T_{c}=18 K; bases: (a+b)², (a+b)₁, x (one child)." ]
}

@test "escaped <mml:math> alone is read as markup" {
	[ "$(field_of rss-escaped "Only MathML, no other tag" summary)" = "Tracking 10⁵ cells" ]
}

@test "titles: Nb₃Sn and T_{c} from escaped HTML, Atom html and Atom xhtml alike" {
	[ "$(feed2jsonl "$FIX/text-scripts/atom-html.xml" | jq -r .title)" = "Nb₃Sn and T_{c}" ]
	[ "$(feed2jsonl "$FIX/text-scripts/atom-xhtml.xml" | jq -r .title)" = "Nb₃Sn at T_{c}" ]
}

@test "a plain-text title (Atom type=text) keeps its tags as text" {
	printf '%s\n' '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:t</id><title type="text">H&lt;sub&gt;2&lt;/sub&gt;O</title></entry></feed>' > "$TMP/t.xml"
	[ "$(feed2jsonl "$TMP/t.xml" | jq -r .title)" = "H<sub>2</sub>O" ]
}

@test "sup nested past the parser's depth limit: no crash, the text kept (flat)" {
	{
		printf '<rss version="2.0"><channel><item><title>deep</title><link>http://x/</link><description>x'
		for i in $(seq 300); do printf '&lt;sup&gt;%d' "$((i % 10))"; done
		printf '</description></item></channel></rss>\n'
	} > "$TMP/deep.xml"
	run2 feed2jsonl "$TMP/deep.xml"
	[ "$status" -eq 0 ]
	s=$(printf '%s' "$out" | jq -r .summary | tr -d ' ')
	[ "$s" = "x$(for i in $(seq 30); do printf 1234567890; done)" ]
}
