#!/usr/bin/env python3
"""A chat webhook server for the tests, on 127.0.0.1 (standard library only).

Usage: hookserver.py DIR

Every POST is recorded: its body in DIR/N.body and its path in DIR/N.path
(N = 1, 2, ...), then answered by what the path holds:
  .../fail...       403 with a body that echoes the path (a server that
                    quotes the secret back must not get it shown)
  .../refuse...     200 and an error in the body, as Feishu, WeCom and
                    Telegram give it: {"ok":false,"code":19021,"errcode":93000,...}
  anything else     200 {"ok":true,"code":0,"errcode":0}
Prints the port it listens on, then serves until killed.
"""
import http.server, json, os, socketserver, sys

DIR = sys.argv[1]
n = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, code, body):
        body = body.encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        global n
        n += 1
        size = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(size)
        with open(os.path.join(DIR, '%d.body' % n), 'wb') as f:
            f.write(body)
        with open(os.path.join(DIR, '%d.path' % n), 'w') as f:
            f.write(self.path + '\n')
        if 'fail' in self.path:
            return self.send(403, json.dumps({'message': 'invalid token for ' + self.path}))
        if 'refuse' in self.path:
            return self.send(200, json.dumps({'ok': False, 'code': 19021, 'errcode': 93000,
                                              'msg': 'refused ' + self.path}))
        self.send(200, json.dumps({'ok': True, 'code': 0, 'errcode': 0}))


class Server(socketserver.TCPServer):
    allow_reuse_address = True


with Server(('127.0.0.1', 0), Handler) as httpd:
    print(httpd.server_address[1], flush=True)
    httpd.serve_forever()
