#!/usr/bin/env python3
"""A deterministic OpenAI-compatible chat-completions server for the tests,
on 127.0.0.1 (standard library only). Prints the port it listens on, then
serves until killed.

  POST .../chat/completions   answers the fields the request asks for (the
        json_schema's properties, else the '"key": ...' or '"key" (a
        number): ...' lines of the system prompt) by type: a string as
        "LANG:KEY:TITLE" (LANG the tag the prompt names), a number 0.75, an
        integer 7, a boolean true, a list ["LANG:KEY:1", "LANG:KEY:2"];
        [KEY=JSON] in the title answers KEY with that JSON instead; model as
        asked; usage.total_tokens as --tokens.
  GET /stats   {"requests": N, "by_title": {TITLE: N}, "formats": {...},
        "auth": the last Authorization header, "last": the last request
        body, "max_active": most requests in progress at once}

Markers in a paper's title make that paper's requests fail on demand:
  [429]       the first request: 429, Retry-After: 1 (seconds)
  [429date]   the first request: 429, Retry-After as an HTTP date 2 s ahead
  [500x2]     the first two requests: 500; then an answer
  [500]       always 500
  [401]       always 401
  [slow]      the first request: answered after 3 s; later ones at once
  [slowalways] always answered after 3 s
  [sleep=MS]  answered after MS milliseconds
  [malformed] the model's JSON is cut off half-way, always
  [prose]     the JSON inside prose and a ```json code fence
  [latex]     LaTeX with lone backslashes (\\alpha, \\(, \\frac, \\nabla)
  [missing]   only the title; tldr empty; the rest left out
  [nonstring] title a string, tldr a number, method a list
  [wrap]      the object wrapped: {"summary": {...}}
  [notjson]   a 200 whose body is HTML
  [echo]      a 400 whose body quotes the request's Authorization header
Hostile servers (AUTH is the request's Authorization header):
  [echo-content] a 200 whose every field ends " said AUTH"; model "MODEL AUTH"
  [echo-escaped] the same with every character of AUTH a JSON \\u escape
  [echo-long] a 400 whose message is 185 x's, " AUTH ", 100 y's: the key
              runs across byte 200
  [echo-b64]  a 500 whose body is not JSON: <html>base64(AUTH)</html>
  [tokens=N]  usage.total_tokens is N (any JSON number)

Options: --delay MS (every answer), --tokens N (default 100), --no-schema
(400 to response_format json_schema), --no-json-mode (400 to json_object
too), --die-after N (exit, the port closed, right after the Nth answer
of 200 is sent: a server that dies mid-run).
"""
import argparse, base64, email.utils, http.server, json, os, re, socket, socketserver, sys, threading, time

ap = argparse.ArgumentParser()
ap.add_argument('--delay', type=int, default=0)
ap.add_argument('--tokens', type=int, default=100)
ap.add_argument('--no-schema', action='store_true')
ap.add_argument('--no-json-mode', action='store_true')
ap.add_argument('--die-after', type=int, default=0)
opts = ap.parse_args()

lock = threading.Lock()
stats = {'requests': 0, 'by_title': {}, 'formats': {}, 'auth': None,
         'max_active': 0}
active = 0
answers = 0


HELP_TYPES = {'a string': 'string', 'a number': 'number',
              'an integer': 'integer', 'true or false': 'boolean',
              'a list of strings': 'array'}


def fields_asked(req, system):
    """{name: type} of the fields a request asks for, in its order."""
    rf = req.get('response_format') or {}
    if rf.get('type') == 'json_schema':
        props = rf['json_schema']['schema']['properties']
        out = {}
        for k, v in props.items():
            t = v.get('type', 'string')
            out[k] = [x for x in t if x != 'null'][0] if isinstance(t, list) else t
        return out
    return {k: HELP_TYPES.get(h, 'string') for k, h in
            re.findall(r'^"(\w+)"(?: \(([^)]*)\))?: ', system, re.M)}


def typed_answer(kind, lang, key, title):
    if kind == 'number':
        return 0.75
    if kind == 'integer':
        return 7
    if kind == 'boolean':
        return True
    if kind == 'array':
        return ['%s:%s:%d' % (lang, key, i) for i in (1, 2)]
    return '%s:%s:%s' % (lang, key, title)


def lang_asked(system):
    m = re.search(r'language tag ([\w-]+)\)', system) or \
        re.search(r'BCP 47 tag ([\w-]+)\.', system)
    return m.group(1) if m else '?'


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def setup(self):
        super().setup()
        # one answer is several writes: no Nagle delay between them
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def send(self, code, body, headers=()):
        if not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == '/stats':
            with lock:
                return self.send(200, stats)
        self.send(404, {'error': {'message': 'not found'}})

    def do_POST(self):
        global active
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        if not self.path.endswith('/chat/completions'):
            return self.send(404, {'error': {'message': 'not found'}})
        with lock:
            active += 1
            stats['max_active'] = max(stats['max_active'], active)
        try:
            self.answer(body)
        finally:
            with lock:
                active -= 1

    def answer(self, body):
        req = json.loads(body)
        system = req['messages'][0]['content']
        user = req['messages'][1]['content']
        title = re.match(r'Title: (.*)', user).group(1)
        fmt = (req.get('response_format') or {}).get('type', 'none')
        with lock:
            stats['requests'] += 1
            n = stats['by_title'][title] = stats['by_title'].get(title, 0) + 1
            stats['formats'][fmt] = stats['formats'].get(fmt, 0) + 1
            stats['auth'] = self.headers.get('Authorization')
            stats['last'] = req
        if opts.no_schema and fmt == 'json_schema' or \
                opts.no_json_mode and fmt == 'json_object':
            return self.send(400, {'error': {'message':
                'response_format type %s is not supported by this model' % fmt,
                'type': 'invalid_request_error'}})
        auth = str(self.headers.get('Authorization'))
        if '[echo-long]' in title:
            return self.send(400, {'error': {'message':
                'x' * 185 + ' ' + auth + ' ' + 'y' * 100}})
        if '[echo-b64]' in title:
            return self.send(500, b'<html>' +
                             base64.b64encode(auth.encode()) + b'</html>')
        if '[echo]' in title:
            return self.send(400, {'error': {'message': 'bad request from '
                + str(self.headers.get('Authorization'))}})
        if '[401]' in title:
            return self.send(401, {'error': {'message': 'Incorrect API key'}})
        if '[500]' in title or '[500x2]' in title and n <= 2:
            return self.send(500, {'error': {'message': 'internal error'}})
        if '[429]' in title and n == 1:
            return self.send(429, {'error': {'message': 'rate limited'}},
                             [('Retry-After', '1')])
        if '[429date]' in title and n == 1:
            when = email.utils.formatdate(time.time() + 2, usegmt=True)
            return self.send(429, {'error': {'message': 'rate limited'}},
                             [('Retry-After', when)])
        delay = opts.delay / 1000
        m = re.search(r'\[sleep=(\d+)\]', title)
        if m:
            delay = int(m.group(1)) / 1000
        if '[slow]' in title and n == 1 or '[slowalways]' in title:
            delay = 3
        if delay:
            time.sleep(delay)
        if '[notjson]' in title:
            return self.send(200, b'<html>oops</html>')
        lang = lang_asked(system)
        asked = fields_asked(req, system)
        ans = {k: typed_answer(t, lang, k, title) for k, t in asked.items()}
        for k, v in re.findall(r'\[(\w+)=([^\]]*)\]', title):
            if k in asked:          # [relevance=3], [score="high"]
                ans[k] = json.loads(v)
        content = json.dumps(ans, ensure_ascii=False)
        if '[malformed]' in title:
            content = content[:len(content) // 2]
        elif '[prose]' in title:
            content = 'Sure! Here is the summary {as asked}:\n```json\n' + \
                json.dumps(ans, ensure_ascii=False, indent=2) + '\n```\nHope this helps.'
        elif '[latex]' in title:
            content = ('{"title": "%s", "tldr": "We bound $\\alpha$ by \\(\\frac{1}{2}\\) '
                       'and \\nabla f; ratio \\theta \\rho \\beta \\{x\\}.", '
                       '"method": "line one\\n\\nline two"}' % ans.get('title', ''))
        elif '[missing]' in title:
            content = json.dumps({'title': ans.get('title'), 'tldr': '  '},
                                 ensure_ascii=False)
        elif '[nonstring]' in title:
            content = json.dumps({'title': ans.get('title'), 'tldr': 42,
                                  'method': ['a', 'b']}, ensure_ascii=False)
        elif '[wrap]' in title:
            content = json.dumps({'summary': ans}, ensure_ascii=False)
        model = req.get('model')
        esc = ''.join('\\u%04x' % ord(c) for c in auth)
        if '[echo-content]' in title or '[echo-escaped]' in title:
            model += ' ' + auth
            content = json.dumps({k: v + ' said ' + auth for k, v in ans.items()},
                                 ensure_ascii=False)
            if '[echo-escaped]' in title:
                content = content.replace(auth, esc)
        tokens = opts.tokens
        m = re.search(r'\[tokens=([^\]]*)\]', title)
        if m:
            tokens = json.loads(m.group(1))
        body = json.dumps({
            'id': 'chatcmpl-test', 'object': 'chat.completion',
            'model': model,
            'choices': [{'index': 0, 'finish_reason': 'stop',
                         'message': {'role': 'assistant', 'content': content}}],
            'usage': {'prompt_tokens': opts.tokens - 20,
                      'completion_tokens': 20, 'total_tokens': tokens}},
            ensure_ascii=False)
        if '[echo-escaped]' in title:
            # the key's characters only as \\u escapes: in the model, and in
            # the content's JSON (so doubled in the body)
            body = body.replace(auth, esc)
        if opts.die_after:
            return self.send_last(body.encode())
        self.send(200, body.encode())

    def send_last(self, body):
        # under the lock: no answer goes out after the Nth
        global answers
        with lock:
            answers += 1
            self.send(200, body)
            if answers >= opts.die_after:
                os._exit(0)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 128


srv = Server(('127.0.0.1', 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
