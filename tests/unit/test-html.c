/* test-html: superscripts, subscripts and MathML in html_to_text. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "script.h"

/* An empty buf may have no memory at all: memcmp must not see its NULL. */
static int same_text(const struct buf *got, const char *want)
{
	return got->len == strlen(want) && (!got->len || !memcmp(got->s, want, got->len));
}

static int check_html(const char *in, const char *want)
{
	struct buf got = { 0 };
	int ok;

	html_to_text(&got, in, strlen(in), 1);
	ok = same_text(&got, want);
	if (!ok)
		printf("test-html: %s: got \"%s\", want \"%s\"\n", in, buf_str(&got), want);
	buf_free(&got);
	return ok;
}

static int check_script(const char *in, enum script kind, const char *want)
{
	struct buf got = { 0 };
	int ok;

	script_append(&got, in, strlen(in), kind);
	ok = same_text(&got, want);
	if (!ok)
		printf("test-html: script \"%s\": got \"%s\", want \"%s\"\n", in, buf_str(&got), want);
	buf_free(&got);
	return ok;
}

int main(void)
{
	static const char *const cases[][2] = {
		{ "2.1 \xC3\x97 10<sup>4</sup> cells", "2.1 \xC3\x97 10\xE2\x81\xB4 cells" },
		{ "cm<sup>\xE2\x88\x92" "2</sup> and d<sup>-1</sup>", "cm\xE2\x81\xBB\xC2\xB2 and d\xE2\x81\xBB\xC2\xB9" },
		{ "H<sub>2</sub>O", "H\xE2\x82\x82O" },
		{ "<i>T</i><sub>c</sub>", "T_{c}" },
		{ "<SUP>n</SUP> and <sub>ox</sub>", "\xE2\x81\xBF and \xE2\x82\x92\xE2\x82\x93" },
		{ "La<sub>0.2</sub>", "La_{0.2}" },
		{ "2<sup><i>n</i></sup>", "2\xE2\x81\xBF" },
		{ "x<sup>a<b>+</b>1</sup>", "x^{a+1}" },
		{ "e<sup>i<sup>2</sup></sup>", "e^{i\xC2\xB2}" },
		{ "ref<sup><a href=\"#r1\">1</a></sup>", "ref\xC2\xB9" },
		{ "a<sup> 2 </sup>b, c<sup></sup>d, e<sup> </sup>f", "a \xC2\xB2 b, cd, e f" },
		{ "10<sup>4", "10\xE2\x81\xB4" },
		{ "<mml:math><mml:msup><mml:mn>10</mml:mn>\n <mml:mn>5</mml:mn></mml:msup></mml:math>", "10\xE2\x81\xB5" },
		{ "<math><msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup></math>", "x_{i}\xC2\xB2" },
		{ "<math><mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mn>2</mn></mfrac></math>", "(a+b)/2" },
		{ "<math><mfrac><mn>1</mn><mi>n</mi></mfrac></math>", "1/n" },
		{ "<math><msqrt><mi>x</mi></msqrt>, <mroot><mi>y</mi><mn>3</mn></mroot></math>", "\xE2\x88\x9A(x), \xC2\xB3\xE2\x88\x9A(y)" },
		{ "<math><mi>f</mi><mo>\xE2\x81\xA1</mo><mi>x</mi><annotation>f(x)</annotation></math>", "fx" },
		{ "<math><msup><mi>x</mi></msup></math>", "x" },
		{ "<math><mtext>a  b</mtext></math>", "a b" },
	};
	size_t i;
	int fails = 0;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		fails += !check_html(cases[i][0], cases[i][1]);
	fails += !check_script("", SCRIPT_SUPER, "");
	fails += !check_script("  ", SCRIPT_SUB, " ");
	fails += !check_script("(n+1)", SCRIPT_SUPER, "\xE2\x81\xBD\xE2\x81\xBF\xE2\x81\xBA\xC2\xB9\xE2\x81\xBE");
	fails += !check_script("hklmnpst", SCRIPT_SUB, "\xE2\x82\x95\xE2\x82\x96\xE2\x82\x97\xE2\x82\x98\xE2\x82\x99\xE2\x82\x9A\xE2\x82\x9B\xE2\x82\x9C");
	fails += !check_script("T", SCRIPT_SUPER, "^{T}");
	fails += !check_script("a\n\tb", SCRIPT_SUB, "_{a b}");
	fails += !check_script("\xFF", SCRIPT_SUPER, "^{\xFF}");
	fails += !check_script("\xE2\x81\xB4", SCRIPT_SUPER, "^{\xE2\x81\xB4}");
	if (fails)
		printf("test-html: %d failed\n", fails);
	return fails != 0;
}
