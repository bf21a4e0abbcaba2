#!/usr/bin/python3
"""mail-check.py MESSAGE TEXT HTML SUBJECT: parse MESSAGE with Python's email
package and check it: multipart/alternative with a text/plain part equal to
TEXT and a text/html part equal to HTML (byte for byte, decoded), the
decoded subject equal to SUBJECT, every line within 998 octets, CRLF-free
header values. Prints the problems; exit 1 if any."""
import email
import email.policy
import sys

raw = open(sys.argv[1], "rb").read()
want_text = open(sys.argv[2], "rb").read()
want_html = open(sys.argv[3], "rb").read()
subject = sys.argv[4]
problems = []
msg = email.message_from_bytes(raw, policy=email.policy.default)
if msg.get_content_type() != "multipart/alternative":
    problems.append("type " + msg.get_content_type())
parts = list(msg.iter_parts())
types = [p.get_content_type() for p in parts]
if types != ["text/plain", "text/html"]:
    problems.append("parts %s" % types)
else:
    for p, want in zip(parts, (want_text, want_html)):
        if p.get_content_charset() != "utf-8":
            problems.append("%s charset %s" % (p.get_content_type(), p.get_content_charset()))
        if p.get_payload(decode=True) != want:
            problems.append("%s differs" % p.get_content_type())
if str(msg["subject"]) != subject:
    problems.append("subject %r" % str(msg["subject"]))
long_lines = [n for n, l in enumerate(raw.split(b"\n"), 1) if len(l.rstrip(b"\r")) > 998]
if long_lines:
    problems.append("lines over 998 octets: %s" % long_lines[:5])
if msg.defects:
    problems.append("defects %s" % msg.defects)
for m in problems:
    print(m)
sys.exit(1 if problems else 0)
