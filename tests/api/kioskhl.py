"""kioskhl.py -- kiosks for black-box tests: the real hailong-kiosk, and a signer.

    code = add_kiosk(server, counter=1)          # `hailong kiosk add`
    k = Kiosk.enrolled(server, code)             # `hailong-kiosk enroll`
    k.start()                                    # `hailong-kiosk run`
    r = k.rate(level=4)                          # POST /api/local/ratings
    k.kill(); k.start()                          # SIGKILL and restart

    signer = Signer(kiosk_id, secret)            # a kiosk written in Python
    r = signer.post(server, '/api/v1/kiosk/ratings', {...})

The signer is written from include/hailong/kiosksig.h alone, so it checks
the contract, not the C code against itself.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time

from tests.api.hl import ROOT, Response, request, run

KIOSK_BIN = os.environ.get('HAILONG_KIOSK_BIN',
                           os.path.join(ROOT, 'build', 'bin', 'hailong-kiosk'))
CODE_RE = re.compile(r'^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$')


def wait_until(what, fn, timeout=90, every=0.05):
    """Poll fn() until it returns something true; fail after `timeout` s."""
    end = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > end:
            raise AssertionError(f'timed out after {timeout}s waiting for {what}')
        time.sleep(every)


def add_kiosk(server, counter=1, officer=None, faces=None, unit='H21.227'):
    """`hailong kiosk add`; returns (kiosk id, code, whole output)."""
    args = ['kiosk', 'add', '--db', server.db_path, '--unit', unit,
            '--counter', str(counter)]
    if officer:
        args += ['--officer', officer]
    if faces:
        args += ['--faces', str(faces)]
    out = run(*args).stdout
    lines = out.rstrip('\n').split('\n')
    kid = re.search(r'kiosk (k[0-9a-f]{10}) registered', out).group(1)
    return kid, lines[-1], out


def enrol_raw(server, code):
    """POST the code as a kiosk would; returns the Response."""
    return server.post_json('/api/v1/kiosk/enroll', {'code': code})


def kiosk_cli(*args, check=True, timeout=60):
    p = subprocess.run([KIOSK_BIN, *args], capture_output=True, text=True,
                       timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f'hailong-kiosk {" ".join(args)} exited '
                             f'{p.returncode}:\n{p.stdout}\n{p.stderr}')
    return p


class Signer:
    """Signs requests as include/hailong/kiosksig.h describes."""

    def __init__(self, kiosk, secret):
        self.kiosk = kiosk
        self.secret = secret if isinstance(secret, bytes) else \
            base64.urlsafe_b64decode(secret + '=' * (-len(secret) % 4))
        self.last_nonce = 0

    def nonce(self):
        n = max(time.time_ns() // 1000, self.last_nonce + 1)
        self.last_nonce = n
        return n

    def header(self, method, path, body=b'', query='', t=None, nonce=None,
               key=None):
        t = int(time.time()) if t is None else t
        nonce = self.nonce() if nonce is None else nonce
        text = '\n'.join(['hailong-kiosk-v1', method, path, query,
                          self.kiosk, str(t), str(nonce),
                          hashlib.sha256(body).hexdigest()])
        sig = hmac.new(key or self.secret, text.encode(),
                       hashlib.sha256).hexdigest()
        return (f'HL1-HMAC-SHA256 kiosk={self.kiosk}, time={t}, '
                f'nonce={nonce}, sig={sig}'), nonce

    def response_ok(self, r, nonce):
        text = '\n'.join(['hailong-kiosk-response-v1', str(r.status),
                          str(nonce), hashlib.sha256(r.body).hexdigest()])
        want = hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(want, r.headers.get('x-hailong-signature', ''))

    def call(self, server, method, path, doc=None, body=None, **kw):
        """A signed request; returns (Response, nonce used)."""
        if body is None:
            body = b'' if doc is None else json.dumps(doc).encode()
        auth, nonce = self.header(method, path, body, **kw)
        headers = {'Authorization': auth}
        if method == 'POST':
            headers['Content-Type'] = 'application/json'
        r = request(server.port, method, path, body=body if method == 'POST'
                    else None, headers=headers)
        return r, nonce

    def post(self, server, path, doc=None, **kw):
        return self.call(server, 'POST', path, doc, **kw)[0]


def item(id, level, seq=1, reasons=None, dossier=None, rated_at=None,
         burst=False):
    """One rating of a batch."""
    if rated_at is None:
        rated_at = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
    d = {'id': id, 'seq': seq, 'level': level, 'reasons': reasons or [],
         'rated_at': rated_at, 'burst': burst}
    if dossier:
        d['dossier'] = dossier
    return d


class Kiosk:
    """A hailong-kiosk process with its own data directory."""

    def __init__(self, data=None, name='kiosk'):
        self.dir = tempfile.mkdtemp(prefix='hailong-kiosk-')
        self.data = data or os.path.join(self.dir, 'data')
        self.proc = None
        self.port = None
        self.name = name
        self.log_path = os.path.join(self.dir, 'kiosk.log')

    @classmethod
    def enrolled(cls, server, code, **kw):
        k = cls(**kw)
        kiosk_cli('enroll', '--server', server.base, '--code', code,
                  '--data', k.data)
        return k

    def identity(self):
        with open(os.path.join(self.data, 'kiosk.json')) as f:
            return json.load(f)

    def signer(self):
        ident = self.identity()
        return Signer(ident['kiosk'], ident['secret'])

    def start(self, *args, expect_fail=False):
        """Run the kiosk; returns self, or the CompletedProcess-like
        (returncode, stdout, stderr) when expect_fail."""
        log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(
            [KIOSK_BIN, 'run', '--data', self.data, '--listen', '127.0.0.1:0',
             '--retry-max-ms', '1000', *args],
            stdout=subprocess.PIPE, stderr=log)
        log.close()
        line = self.proc.stdout.readline().decode()
        m = re.match(r'listening on http://127\.0\.0\.1:(\d+)', line)
        if not m:
            rc = self.proc.wait(timeout=30)
            self.proc.stdout.close()
            self.proc = None
            if expect_fail:
                return rc, line, self.logs()
            raise AssertionError(f'kiosk did not start: {line!r}\n' + self.logs())
        if expect_fail:
            self.stop()
            raise AssertionError('kiosk started but was expected to fail')
        self.port = int(m.group(1))
        self.base = f'http://127.0.0.1:{self.port}'
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stdout.close()
        self.proc = None
        return rc

    def kill(self):
        return self.stop(signal.SIGKILL)

    def cleanup(self):
        """Stop with SIGTERM (it must exit 0: a crash or a sanitizer report
        at shutdown fails the test) and remove the data."""
        rc = self.stop()
        logs = self.logs()
        shutil.rmtree(self.dir, ignore_errors=True)
        if rc not in (0, None):
            raise AssertionError(f'hailong-kiosk exited with status {rc}:\n'
                                 + logs[-3000:])

    def logs(self):
        try:
            with open(self.log_path, encoding='utf-8', errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    # -- the local API -------------------------------------------------------

    def post(self, path, doc=None, body=None, headers=None):
        h = {'Content-Type': 'application/json'}
        h.update(headers or {})
        if body is None:
            body = json.dumps(doc).encode()
        return request(self.port, 'POST', path, body=body, headers=h)

    def get(self, path, headers=None):
        return request(self.port, 'GET', path, headers=headers)

    def rate(self, level, **fields):
        """POST /api/local/ratings; returns the new rating's id."""
        r = self.post('/api/local/ratings', dict(level=level, **fields))
        if r.status != 201:
            raise AssertionError(f'rating refused: {r}')
        return r.json()['id']

    # -- the outbox, read directly -------------------------------------------

    def outbox(self, sql, *params):
        c = sqlite3.connect(os.path.join(self.data, 'outbox.db'), timeout=10)
        try:
            return c.execute(sql, params).fetchall()
        finally:
            c.close()

    def states(self):
        return dict(self.outbox('SELECT state, count(*) FROM outbox '
                                'GROUP BY state'))

    def status(self, *args):
        return kiosk_cli('status', '--data', self.data, *args).stdout


def wait_kiosk_config(k, timeout=60):
    """Until the kiosk has its configuration from the server."""
    return wait_until('the kiosk configuration',
                      lambda: (k.get('/api/local/config').json()
                               if k.get('/api/local/config').json()
                               .get('configured') else None), timeout)


__all__ = ['Kiosk', 'Signer', 'add_kiosk', 'enrol_raw', 'item', 'kiosk_cli',
           'wait_until', 'wait_kiosk_config', 'CODE_RE', 'Response']
