"""hl.py -- a real hailong server on 127.0.0.1 for black-box tests.

    with Server() as s:                     # temp dir, `hailong init --demo`
        tok = s.token(counter=1)             # `hailong qr --format url`
        r = s.get('/q/' + tok)               # -> Response(status, headers, body)
        r = s.post_form('/q/' + tok, {'level': '5', ...})
        s.db().execute('SELECT count(*) FROM ratings')

The binary is $HAILONG_BIN (build/bin/hailong by default), so the same
tests run against the sanitizer build.  Nothing here is mocked: the server
is the real program on a free port, the database a real SQLite file.
"""
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get('HAILONG_BIN', os.path.join(ROOT, 'build', 'bin', 'hailong'))
OUT = os.environ.get('HAILONG_TEST_OUT', os.path.join(ROOT, 'tests', 'out'))
DEMO_UNIT = 'H21.227'

# Every limit a client can meet, off unless the test sets it.  How many
# requests fit in a limit's minute depends on the machine: a fast one met
# the form limit of a test that never meant to test it.  A test of a limit
# names it with the value it tests (Server('--rate-limit-per-min', '3')).
# With --config the file's values stand (flags would override them).
LIMITS = ('--rate-limit-per-min', '--login-attempts-per-min',
          '--kiosk-enrolments-per-min', '--apikey-failure-limit',
          '--report-submissions-per-hour', '--login-failures',
          '--login-failures-global')


def limits_off(args):
    """args with '0' for every limit of LIMITS they do not set."""
    if '--config' in args:
        return list(args)
    given = {a.split('=', 1)[0] for a in args if a.startswith('--')}
    return list(args) + [x for o in LIMITS if o not in given
                         for x in (o, '0')]


class Response:
    def __init__(self, status, headers, body, set_cookies=()):
        self.status = status
        self.headers = headers          # dict, lower-case names
        self.body = body                # bytes
        self.set_cookies = list(set_cookies)    # every Set-Cookie value

    @property
    def text(self):
        return self.body.decode('utf-8')

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f'<Response {self.status} {self.body[:120]!r}>'


def run(*args, input=None, check=True, env=None):
    """Run the hailong binary; returns CompletedProcess (text)."""
    p = subprocess.run([BIN, *args], input=input, capture_output=True,
                       text=True, env=env, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError(f'hailong {" ".join(args)} exited {p.returncode}:'
                             f'\n{p.stdout}\n{p.stderr}')
    return p


def request(port, method, path, body=None, headers=None, timeout=120):
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        pairs = r.getheaders()
        return Response(r.status, {k.lower(): v for k, v in pairs}, r.read(),
                        [v for k, v in pairs if k.lower() == 'set-cookie'])
    finally:
        conn.close()


def stable_port():
    """A free port for a server that must come back on the same address
    (a kiosk knows it by its URL).

    Port 0 gives a port of the kernel's ephemeral range, from which it
    also picks the source port of every outgoing connection: while the
    server is down, a kiosk retrying could be given that very port and
    connect to itself, or another test's listener could take it.  Below
    that range the kernel hands out nothing by itself."""
    with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
        low = int(f.read().split()[0])
    rng = random.Random()
    for _ in range(1000):
        port = rng.randrange(max(1024, low - 10000), low)
        with socket.socket() as s:
            try:
                s.bind(('127.0.0.1', port))
            except OSError:
                continue
        return port
    raise AssertionError('no free port below the ephemeral range')


class Server:
    """A hailong server with its own database in a temporary directory."""

    scheme = 'http'

    def __init__(self, *serve_args, demo=True, init=True, db=None, name=None,
                 port=0):
        self.want_port = port
        self.dir = tempfile.mkdtemp(prefix='hailong-api-')
        self.db_path = db or os.path.join(self.dir, 'hailong.db')
        self.serve_args = list(serve_args)
        self.proc = None
        self.port = None
        self.name = name or 'server'
        self.login = None
        self.env = None     # the server's environment; None: ours
        if init:
            args = ['init', '--db', self.db_path]
            if demo:
                args.append('--demo')
            out = run(*args).stdout
            m = re.search(r'admin login: admin / (\S+)', out)
            self.login = ('admin', m.group(1)) if m else None

    def start(self, *extra, port=None):
        """Serve on port (by default the constructor's: 0, any free one;
        stable_port() for a server that must come back on the same
        address)."""
        port = self.want_port if port is None else port
        self.log_path = os.path.join(self.dir, 'serve.log')
        # a port just left may still be held a moment (an earlier
        # process's last connections): try it again, within a bound
        end = time.monotonic() + 60
        while True:
            self.log = open(self.log_path, 'ab')
            self.proc = subprocess.Popen(
                [BIN, 'serve', '--db', self.db_path, '--listen',
                 f'127.0.0.1:{port}',
                 *limits_off([*self.serve_args, *extra])],
                stdout=subprocess.PIPE, stderr=self.log, env=self.env)
            line = self.proc.stdout.readline().decode()
            m = re.match(
                rf'listening on {self.scheme}://127\.0\.0\.1:(\d+)', line)
            if m:
                break
            self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
            self.log.close()
            self.proc = None
            with open(self.log_path) as f:
                log = f.read()
            if port == 0 or 'in use' not in log or \
                    time.monotonic() > end:
                raise AssertionError(f'server did not start: {line!r}\n'
                                     + log)
            time.sleep(0.2)
        self.port = int(m.group(1))
        self.base = f'{self.scheme}://127.0.0.1:{self.port}'
        return self

    def stop(self, sig=signal.SIGTERM, timeout=120):
        """Stop the server; returns its exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
        self.proc = None
        return rc

    def kill(self):
        return self.stop(signal.SIGKILL)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        rc = self.stop()
        kept = None
        # keep the log of a failing test for reading
        if exc[0] is not None or rc not in (0, None):
            os.makedirs(OUT, exist_ok=True)
            kept = os.path.join(
                OUT, f'api-{self.name}-{os.getpid()}-{int(time.time())}.log')
            shutil.copy(self.log_path, kept)
        shutil.rmtree(self.dir, ignore_errors=True)
        # a server stopped with SIGTERM must exit 0: a crash or a sanitizer
        # report at shutdown (leaks under make asan) fails the test
        if exc[0] is None and rc not in (0, None):
            raise AssertionError(f'server exited with status {rc}; log: {kept}')

    def logs(self):
        with open(self.log_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    # -- HTTP --------------------------------------------------------------

    def get(self, path, headers=None):
        return request(self.port, 'GET', path, headers=headers)

    def post(self, path, body, headers=None):
        if isinstance(body, str):
            body = body.encode('utf-8')
        return request(self.port, 'POST', path, body=body, headers=headers)

    def post_form(self, path, fields, headers=None):
        body = urllib.parse.urlencode(fields, encoding='utf-8')
        h = {'Content-Type': 'application/x-www-form-urlencoded'}
        h.update(headers or {})
        return self.post(path, body, h)

    def post_json(self, path, doc, headers=None):
        h = {'Content-Type': 'application/json'}
        h.update(headers or {})
        return self.post(path, json.dumps(doc), h)

    # -- the database and the CLI -------------------------------------------

    def db(self):
        c = sqlite3.connect(self.db_path, timeout=10)
        c.row_factory = sqlite3.Row
        return c

    def count(self, sql='SELECT count(*) FROM ratings', *params):
        with self.db() as c:
            return c.execute(sql, params).fetchone()[0]

    def hailong(self, *args, **kw):
        return run(*args, **kw)

    def token(self, unit=DEMO_UNIT, counter=None, procedure=None,
              dossier=None):
        args = ['qr', '--db', self.db_path, '--unit', unit, '--format', 'url']
        if counter is not None:
            args += ['--counter', str(counter)]
        if procedure is not None:
            args += ['--procedure', procedure]
        if dossier is not None:
            args += ['--dossier', dossier]
        url = run(*args).stdout.strip()
        return url.rsplit('/q/', 1)[1]


class Browser:
    """A staff member's browser: keeps cookies, finds CSRF tokens.

        b = Browser(server)
        b.login('admin', password)          # -> the 303 response
        r = b.get('/admin/units/H21.227')
        b.post_form('/logout', {'csrf': b.csrf()})
    """

    def __init__(self, server, client_ip=None):
        self.s = server
        self.cookies = {}
        self.last_html = ''
        self.extra = {'X-Forwarded-For': client_ip} if client_ip else {}

    def _headers(self, extra):
        h = dict(self.extra)
        h.update(extra or {})
        if self.cookies:
            h['Cookie'] = '; '.join(f'{k}={v}' for k, v in self.cookies.items())
        return h

    def _take(self, r):
        for sc in r.set_cookies:
            name, _, rest = sc.partition('=')
            value = rest.split(';', 1)[0]
            if 'Max-Age=0' in sc:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if r.headers.get('content-type', '').startswith('text/html'):
            self.last_html = r.text
        return r

    def get(self, path, headers=None):
        return self._take(self.s.get(path, self._headers(headers)))

    def post(self, path, body, headers=None):
        return self._take(self.s.post(path, body, self._headers(headers)))

    def post_form(self, path, fields, headers=None):
        h = {'Content-Type': 'application/x-www-form-urlencoded'}
        h.update(headers or {})
        return self.post(path, urllib.parse.urlencode(fields), h)

    def csrf(self, html=None):
        m = re.search(r'name="csrf" value="([^"]+)"', html or self.last_html)
        assert m, 'no csrf field on the page'
        return m.group(1)

    def login(self, username, password, next_path=None):
        self.get('/login' + (f'?next={next_path}' if next_path else ''))
        f = {'username': username, 'password': password, 'csrf': self.csrf()}
        if next_path:
            f['next'] = next_path
        return self.post_form('/login', f)

    def logged_in(self, username, password):
        r = self.login(username, password)
        assert r.status == 303, (r.status, r.text[:300])
        return self


def form_nonce(html):
    m = re.search(r'name="nonce" value="([^"]+)"', html)
    assert m, 'no nonce in the form'
    return m.group(1)
