"""rel.py -- load generators and probes for the reliability tests.

    s = Server('--rate-limit-per-min', '0').start()
    load = Load(s, forms=2, kiosks=1)          # threads posting for real
    load.start(); ...; load.stop()
    load.acked_forms()                         # ids answered 2xx
    load.acked_kiosk()                         # ids answered 'accepted'

A rating counts as acknowledged only when the server answered 2xx (the
form: 200 "thanks"; a kiosk batch: 200 with the item 'accepted' or
'duplicate').  Anything else -- a refused connection, a reset, a 503 --
is "not acknowledged": the client keeps it and may send it again, which
the loaders do, so the test also proves that a retry is stored once.

HL_REL_FULL=1 (`make reliability`) selects the long versions; without it
(`make test`) every test runs its short version.
"""
import base64
import http.client
import json
import os
import random
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import uuid

from tests.api.hl import BIN, Server, request, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw, item

FULL = os.environ.get('HL_REL_FULL') == '1'
RATINGS = '/api/v1/kiosk/ratings'


def pick(short, full):
    return full if FULL else short


def form_nonce():
    """A nonce as the form page makes them: base64url of 16 bytes."""
    return base64.urlsafe_b64encode(os.urandom(16)).rstrip(b'=').decode()


def enrolled_signer(s, counter=1):
    _, code, _ = add_kiosk(s, counter=counter)
    r = enrol_raw(s, code)
    assert r.status == 201, r
    b = r.json()
    return Signer(b['kiosk'], b['secret'])


def rss_kb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def fd_count(pid):
    return len(os.listdir(f'/proc/{pid}/fd'))


def integrity(db_path):
    return run('verify-chain', '--db', db_path, check=False)


class Load:
    """Threads that post form ratings and kiosk batches until stopped.

    The server may die and come back on another port: set `load.port`;
    the loaders pick it up on their next request.  `pace` seconds between
    two posts of one thread (0: as fast as the server answers).
    """

    def __init__(self, server, forms=2, kiosks=1, pace=0.0, batch=5,
                 counter_base=1, phone=False):
        self.s = server
        self.port = server.port
        self.pace = pace
        self.batch = batch
        self.phone = phone
        self.stop_ev = threading.Event()
        self.lock = threading.Lock()
        self.acked = {'form': set(), 'kiosk': set()}
        self.sent = {'form': set(), 'kiosk': set()}
        self.statuses = {}
        self.errors = []        # (kind, what) of unexpected answers
        # called by the thread that got an acknowledgement, right after it
        # (test_crash kills the server there)
        self.on_ack = None
        self.threads = []
        self.tokens = [server.token(counter=counter_base + i)
                       for i in range(max(forms, 1))]
        self.signers = [enrolled_signer(server, counter=counter_base + i)
                        for i in range(kiosks)]
        for i in range(forms):
            self.threads.append(threading.Thread(
                target=self._forms, args=(self.tokens[i],), daemon=True))
        for sg in self.signers:
            self.threads.append(threading.Thread(
                target=self._kiosk, args=(sg,), daemon=True))

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stop_ev.set()
        for t in self.threads:
            t.join(timeout=60)

    def _note(self, kind, status):
        with self.lock:
            k = (kind, status)
            self.statuses[k] = self.statuses.get(k, 0) + 1

    def _acked(self):
        fn = self.on_ack
        if fn is not None:
            fn()

    def _forms(self, tok):
        pending = None      # a post not acknowledged: sent again, same nonce
        while not self.stop_ev.is_set():
            if pending is None:
                fields = {'nonce': form_nonce(),
                          'level': str(random.randint(1, 5)),
                          'procedure': '1.001193', 'c1': '2'}
                if self.phone:
                    fields.update({'consent': '1', 'phone': '0912345678'})
            else:
                fields = pending
            nonce = fields['nonce']
            with self.lock:
                self.sent['form'].add(nonce)
            try:
                body = urllib.parse.urlencode(fields).encode()
                r = request(self.port, 'POST', '/q/' + tok, body=body,
                            headers={'Content-Type':
                                     'application/x-www-form-urlencoded'},
                            timeout=20)
                status = r.status
            except (OSError, http.client.HTTPException):
                status = 'conn'
            self._note('form', status)
            if status == 200:
                with self.lock:
                    self.acked['form'].add(nonce)
                pending = None
                self._acked()
            else:
                pending = fields
                if status not in ('conn', 503):
                    with self.lock:
                        self.errors.append(('form', status))
                time.sleep(0.05)
            if self.pace:
                time.sleep(self.pace)

    def _kiosk(self, sg):
        seq = 0
        pending = []
        while not self.stop_ev.is_set():
            if not pending:
                for _ in range(self.batch):
                    seq += 1
                    pending.append(item(str(uuid.uuid4()),
                                        random.randint(1, 5), seq=seq))
            with self.lock:
                self.sent['kiosk'].update(x['id'] for x in pending)
            try:
                body = {'ratings': pending}
                raw = json.dumps(body).encode()
                auth, _ = sg.header('POST', RATINGS, raw)
                r = request(self.port, 'POST', RATINGS, body=raw, headers={
                    'Authorization': auth,
                    'Content-Type': 'application/json'}, timeout=20)
                status = r.status
            except (OSError, http.client.HTTPException):
                status = 'conn'
            self._note('kiosk', status)
            if status == 200:
                res = r.json()['results']
                keep = []
                for x, want in zip(res, pending):
                    if x['status'] in ('accepted', 'duplicate'):
                        with self.lock:
                            self.acked['kiosk'].add(want['id'])
                    elif x['status'] == 'unavailable':
                        keep.append(want)
                    else:
                        with self.lock:
                            self.errors.append(('kiosk-item', x))
                pending = keep
                self._acked()
            else:
                if status not in ('conn', 503):
                    with self.lock:
                        self.errors.append(('kiosk', status))
                time.sleep(0.05)
            if self.pace:
                time.sleep(self.pace)

    def acked_forms(self):
        with self.lock:
            return set(self.acked['form'])

    def acked_kiosk(self):
        with self.lock:
            return set(self.acked['kiosk'])

    def total_acked(self):
        with self.lock:
            return len(self.acked['form']) + len(self.acked['kiosk'])


SHIM_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'powercut.c')


def build_shim(into):
    """powercut.so (tests/reliability/powercut.c) built into `into`."""
    so = os.path.join(into, 'powercut.so')
    subprocess.run(['cc', '-shared', '-fPIC', '-O1', '-o', so, SHIM_SRC,
                    '-ldl', '-lpthread'], check=True)
    return so


def sanitized():
    """Whether the server is an ASan build (no LD_PRELOAD for it)."""
    out = subprocess.run(['ldd', BIN], capture_output=True, text=True)
    return 'libasan' in out.stdout


def with_shim(server, so, watch_dir, delay_us=None):
    """Run the server's process with powercut.so preloaded on watch_dir."""
    env = dict(os.environ, LD_PRELOAD=so, HL_POWERCUT_DIR=watch_dir)
    if delay_us is not None:
        env['HL_POWERCUT_DELAY_US'] = str(delay_us)
    server.env = env
    return server


def stored_counts(db_path, ids, channel):
    """{id: number of rows} for the given ids of one channel."""
    c = sqlite3.connect(db_path, timeout=30)
    try:
        out = {}
        rows = c.execute('SELECT id, count(*) FROM ratings WHERE channel = ? '
                         'GROUP BY id', (channel,)).fetchall()
        have = dict(rows)
        for i in ids:
            out[i] = have.get(i, 0)
        return out
    finally:
        c.close()


__all__ = ['FULL', 'Load', 'Server', 'build_shim', 'enrolled_signer',
           'fd_count', 'form_nonce', 'integrity', 'pick', 'request', 'rss_kb',
           'run', 'sanitized', 'stored_counts', 'with_shim']
