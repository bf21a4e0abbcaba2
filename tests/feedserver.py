#!/usr/bin/env python3
"""A feed server for the tests, on 127.0.0.1 (standard library only).

  /feed.xml    a small RSS feed with an ETag and Last-Modified; answers 304
               to If-None-Match / If-Modified-Since that match
  /fail        always 500
  /flaky       503 for the first two requests, then the feed
  /stats       the number of requests per path, as JSON
  /d/NAME      with a directory argument, the file NAME in it, with an ETag
               from its content and Last-Modified from its time; 304 to an
               If-None-Match or If-Modified-Since that match; 404 when the
               file is not there (the tests change and remove files between
               runs)
  /headers     the headers of the last request to each path, as JSON
Prints the port it listens on, then serves until killed.
"""
import email.utils, hashlib, http.server, json, os, socketserver, sys

FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Test feed</title><link>http://127.0.0.1/</link>
<item><title>One</title><link>http://example.org/1</link><guid>1</guid></item>
</channel></rss>
"""
ETAG = '"v1"'
MODIFIED = email.utils.formatdate(1736985600, usegmt=True)  # 2025-01-16
counts = {}
headers = {}
DIR = sys.argv[1] if len(sys.argv) > 1 else None


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, code, body=b'', headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def serve_file(self, name):
        path = os.path.join(DIR, name)
        if '/' in name or not os.path.isfile(path):
            return self.send(404, b'not found')
        with open(path, 'rb') as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        modified = email.utils.formatdate(int(os.path.getmtime(path)), usegmt=True)
        inm, ims = self.headers.get('If-None-Match'), self.headers.get('If-Modified-Since')
        if (inm == etag) if inm is not None else (ims == modified):
            return self.send(304)
        self.send(200, body, [('ETag', etag), ('Last-Modified', modified),
                              ('Content-Type', 'application/rss+xml')])

    def do_GET(self):
        counts[self.path] = counts.get(self.path, 0) + 1
        if self.path == '/stats':
            return self.send(200, json.dumps(counts).encode())
        if self.path == '/headers':
            return self.send(200, json.dumps(headers).encode())
        headers[self.path] = dict(self.headers.items())
        if DIR and self.path.startswith('/d/'):
            return self.serve_file(self.path[3:])
        if self.path == '/fail':
            return self.send(500, b'broken')
        if self.path == '/flaky' and counts[self.path] <= 2:
            return self.send(503, b'busy', [('Retry-After', '1')])
        if self.path in ('/feed.xml', '/flaky'):
            if self.headers.get('If-None-Match') == ETAG:
                return self.send(304)
            return self.send(200, FEED, [('ETag', ETAG), ('Last-Modified', MODIFIED),
                                         ('Content-Type', 'application/rss+xml')])
        self.send(404, b'not found')


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = Server(('127.0.0.1', 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
