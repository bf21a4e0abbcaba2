#!/usr/bin/python3
"""dom-check.py DOM [TITLES]: check a page as a browser built it (chromium
--dump-dom): no script element, no on* attribute, no javascript:/data:
URL, every #fragment link (percent-decoded, as a browser does) names an
element id, and every line of TITLES
appears in the page's text. Prints the problems; exit 1 if any."""
import sys
from html.parser import HTMLParser
from urllib.parse import unquote


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.frags, self.problems, self.text = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "form", "img", "svg"):
            self.problems.append("element <%s>" % tag)
        for k, v in attrs:
            v = v or ""
            if k.startswith("on"):
                self.problems.append("attribute %s on <%s>" % (k, tag))
            if k == "id":
                self.ids.add(v)
            if k in ("href", "src", "action", "formaction"):
                u = v.strip().lower()
                if u.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append("%s=%s on <%s>" % (k, v, tag))
                if k == "href" and v.startswith("#"):
                    self.frags.append(unquote(v[1:]))  # as a browser matches it

    def handle_data(self, data):
        self.text.append(data)


p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())
text = " ".join(" ".join(p.text).split())
for f in p.frags:
    if f not in p.ids:
        p.problems.append("link #%s names no element" % f)
if len(sys.argv) > 2:
    for t in open(sys.argv[2], encoding="utf-8").read().splitlines():
        if " ".join(t.split()) not in text:
            p.problems.append("title missing: %s" % t)
for m in p.problems:
    print(m)
sys.exit(1 if p.problems else 0)
