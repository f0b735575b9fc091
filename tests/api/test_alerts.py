"""Alerts with real parts: an SMTP server and an HTTPS webhook receiver on
127.0.0.1 (written here with the standard library: smtpd is deprecated and
gone from Python 3.12, aiosmtpd is not installed), a real hailong server
killed with SIGKILL between an event and its delivery.

Every interval the server waits is an option set small here; the tests
never sleep for a time, they wait for a condition with a generous bound.
"""
import base64
import email
import email.header
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import re
import socket
import socketserver
import subprocess
import ssl
import tempfile
import threading
import time
import unittest
from datetime import datetime, timedelta, timezone

from tests.api.hl import BIN, Browser, DEMO_UNIT, Server, run, stable_port
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw
from tests.api.opslib import PROC, make_cert, rate

PHONE = '0912345678'
SECRET = 'webhook-secret-of-the-office-0123'
BOUND = 120     # seconds: generous, never a measure of speed


def wait_for(cond, what, bound=BOUND):
    """Poll cond() until it is true; fail naming what was awaited."""
    end = time.monotonic() + bound
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.02)
    raise AssertionError(f'not within {bound} s: {what}')


# --- a small SMTP server ----------------------------------------------------

class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b'\r\n')
        self.wfile.flush()

    def handle(self):
        srv = self.server
        if srv.implicit_tls is not None:     # smtps://: TLS from the start
            try:
                conn = srv.implicit_tls.wrap_socket(self.connection,
                                                    server_side=True)
            except ssl.SSLError:
                return          # the client refused our certificate
            self.connection = self.request = conn
            self.rfile = conn.makefile('rb')
            self.wfile = conn.makefile('wb')
            srv.tls_used = True
        self.reply('220 test.local ESMTP ready')
        mail_from, rcpts, authed = None, [], False
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode('utf-8', 'replace').rstrip('\r\n')
            verb = cmd.split(' ', 1)[0].upper()
            if verb in ('EHLO', 'HELO'):
                caps = ['test.local']
                if srv.tls_ctx is not None and not isinstance(
                        self.connection, ssl.SSLSocket):
                    caps.append('STARTTLS')
                caps += ['AUTH PLAIN LOGIN', '8BITMIME']
                for c in caps[:-1]:
                    self.reply('250-' + c)
                self.reply('250 ' + caps[-1])
            elif verb == 'STARTTLS':
                self.reply('220 go ahead')
                conn = srv.tls_ctx.wrap_socket(self.connection,
                                               server_side=True)
                self.connection = self.request = conn
                self.rfile = conn.makefile('rb')
                self.wfile = conn.makefile('wb')
                srv.tls_used = True
            elif verb == 'AUTH':
                parts = cmd.split(' ')
                if parts[1].upper() == 'PLAIN':
                    if len(parts) > 2:
                        blob = parts[2]
                    else:
                        self.reply('334 ')
                        blob = self.rfile.readline().decode().strip()
                    _, user, pw = base64.b64decode(blob).decode().split(
                        '\0')
                else:
                    self.reply('334 VXNlcm5hbWU6')
                    user = base64.b64decode(self.rfile.readline()).decode()
                    self.reply('334 UGFzc3dvcmQ6')
                    pw = base64.b64decode(self.rfile.readline()).decode()
                srv.auths.append((user, pw))
                if (user, pw) == srv.credentials:
                    authed = True
                    self.reply('235 2.7.0 accepted')
                else:
                    self.reply('535 5.7.8 bad credentials')
            elif verb == 'MAIL':
                if srv.credentials and not authed:
                    self.reply('530 5.7.0 authentication required')
                    continue
                mail_from = cmd.split(':', 1)[1].strip()
                rcpts = []
                self.reply('250 ok')
            elif verb == 'RCPT':
                to = cmd.split(':', 1)[1].strip().strip('<>')
                if to in srv.reject:
                    self.reply('550 5.1.1 <%s>: no such mailbox here' % to)
                else:
                    rcpts.append(to)
                    self.reply('250 ok')
            elif verb == 'DATA':
                self.reply('354 end with .')
                data = []
                while True:
                    ln = self.rfile.readline()
                    if ln in (b'.\r\n', b'.\n', b''):
                        break
                    if ln.startswith(b'..'):
                        ln = ln[1:]
                    data.append(ln)
                with srv.lock:
                    srv.messages.append((mail_from, list(rcpts),
                                         b''.join(data)))
                self.reply('250 2.0.0 queued')
            elif verb == 'QUIT':
                self.reply('221 bye')
                return
            elif verb in ('RSET', 'NOOP'):
                self.reply('250 ok')
            else:
                self.reply('502 not here')


    def finish(self):
        try:
            super().finish()
        finally:
            if isinstance(self.connection, ssl.SSLSocket):
                self.connection.close()


class Smtp(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port=0, tls_ctx=None, credentials=None,
                 implicit_tls=None):
        super().__init__(('127.0.0.1', port), SmtpHandler)
        self.tls_ctx = tls_ctx
        self.implicit_tls = implicit_tls
        self.tls_used = False
        self.credentials = credentials
        self.auths = []
        self.reject = set()
        self.messages = []
        self.lock = threading.Lock()
        self.port = self.server_address[1]
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self):
        self.shutdown()
        self.server_close()

    def parsed(self):
        with self.lock:
            return [email.message_from_bytes(m[2], policy=email.policy.default)
                    for m in self.messages]

    def to(self, address):
        with self.lock:
            msgs = [m for m in self.messages if address in m[1]]
        return [email.message_from_bytes(m[2], policy=email.policy.default)
                for m in msgs]


# --- an HTTPS webhook receiver ------------------------------------------------

class HookHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):
        srv = self.server
        body = self.rfile.read(int(self.headers['Content-Length']))
        want = 'sha256=' + hmac.new(SECRET.encode(), body,
                                    hashlib.sha256).hexdigest()
        got = self.headers.get('X-Hailong-Signature', '')
        rec = {'key': self.headers.get('X-Hailong-Idempotency-Key'),
               'ts': self.headers.get('X-Hailong-Timestamp'),
               'signed': hmac.compare_digest(want, got),
               'doc': json.loads(body), 'body': body}
        with srv.lock:
            srv.requests.append(rec)
        srv.arrived.set()
        srv.hold.wait(BOUND)
        status = 200 if rec['signed'] else 401
        try:
            self.send_response(status)
            self.send_header('Content-Length', '0')
            self.end_headers()
        except OSError:
            pass    # the sender was killed while we held its request


class Hooks(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, cert, key, port=0):
        super().__init__(('127.0.0.1', port), HookHandler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.socket = ctx.wrap_socket(self.socket, server_side=True)
        self.requests = []
        self.lock = threading.Lock()
        self.arrived = threading.Event()
        self.hold = threading.Event()
        self.hold.set()
        self.port = self.server_address[1]
        self.url = f'https://127.0.0.1:{self.port}/hook'
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self):
        self.hold.set()
        self.shutdown()
        self.server_close()

    def keys(self):
        with self.lock:
            return [r['key'] for r in self.requests]


# --- the server under test ---------------------------------------------------

def hanoi_hour():
    return (datetime.now(timezone.utc) + timedelta(hours=7)).hour


def fast(smtp_port, *extra):
    """The flags of a server whose every wait is short and explicit."""
    return ('--smtp-url', f'smtp://127.0.0.1:{smtp_port}',
            '--smtp-from', 'Hài lòng Vân Canh <hailong@vancanh.example.vn>',
            '--smtp-starttls', 'no', '--alert-poll-ms', '20',
            '--alert-retry-ms', '50', '--alert-retry-max-ms', '200',
            '--alert-check-seconds', '1', '--alert-disk-percent', '100',
            '--base-url', 'https://hailong.example.vn', *extra)


def decoded_body(msg):
    return msg.get_body(preferencelist=('plain',)).get_content()


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='hailong-alerts-')
        self.cert, self.key = make_cert(self.tmp)
        self.smtp = None
        self.hooks = None
        self.s = None

    def tearDown(self):
        if self.s is not None and self.s.proc is not None:
            self.assertEqual(self.s.stop(), 0, 'a clean stop')
        if self.smtp is not None:
            self.smtp.close()
        if self.hooks is not None:
            self.hooks.close()

    def alert(self, *args, check=True):
        return run('alert', *args[:1], '--db', self.s.db_path, *args[1:],
                   check=check)

    def secret_file(self):
        p = os.path.join(self.tmp, 'secret')
        with open(p, 'w') as f:
            f.write(SECRET + '\n')
        return p

    def deliveries(self, state=None):
        with self.s.db() as c:
            q = 'SELECT * FROM alert_deliveries'
            rows = c.execute(q).fetchall()
        return [r for r in rows if state is None or r['state'] == state]


class Delivery(Base):
    def test_callback_reaches_mail_and_webhook_phone_only_for_managers(self):
        self.smtp = Smtp()
        self.hooks = Hooks(self.cert, self.key)
        self.s = Server(*fast(self.smtp.port, '--alert-ca-file', self.cert),
                        name='alerts-callback')
        self.alert('add', '--unit', DEMO_UNIT, '--email',
                   'truong@vancanh.example.vn', '--role', 'manager',
                   '--events', 'callback')
        self.alert('add', '--unit', DEMO_UNIT, '--email',
                   'xem@vancanh.example.vn', '--events', 'callback')
        self.alert('add', '--unit', DEMO_UNIT, '--webhook', self.hooks.url,
                   '--secret-file', self.secret_file())
        self.s.start()
        r, _ = rate(self.s, level=1, comment='Chờ lâu quá', phone=PHONE)
        self.assertIn(r.status, (200, 303))
        rate(self.s, level=5, phone='0987654321')   # not low: no alert
        wait_for(lambda: len(self.smtp.to('truong@vancanh.example.vn')) and
                 len(self.smtp.to('xem@vancanh.example.vn')) and
                 self.hooks.keys(), 'the callback alert everywhere')
        boss = self.smtp.to('truong@vancanh.example.vn')
        viewer = self.smtp.to('xem@vancanh.example.vn')
        self.assertEqual(len(boss), 1)
        self.assertEqual(len(viewer), 1)
        m = boss[0]
        self.assertIn('gọi lại', str(m['subject']))
        self.assertEqual(m.get_content_charset(), 'utf-8')
        self.assertEqual(m['Content-Transfer-Encoding'], 'base64')
        raw = self.smtp.messages[0][2].decode('ascii')
        self.assertRegex(raw, r'Subject: =\?UTF-8\?B\?')
        self.assertIn(PHONE, decoded_body(m))
        self.assertIn('https://hailong.example.vn/admin/units/H21.227/'
                      'callbacks/', decoded_body(m))
        self.assertNotIn('Chờ lâu', decoded_body(m))
        # a viewer never sees the phone
        self.assertNotIn(PHONE, decoded_body(viewer[0]))
        self.assertNotIn(PHONE.encode(), viewer[0].as_bytes())
        # the webhook: signed, keyed, the event as JSON, no phone (viewer)
        rec = self.hooks.requests[0]
        self.assertTrue(rec['signed'])
        self.assertEqual(rec['doc']['kind'], 'callback')
        self.assertEqual(rec['doc']['idempotency_key'], rec['key'])
        self.assertRegex(rec['ts'], r'^\d+$')
        self.assertNotIn(PHONE.encode(), rec['body'])
        self.assertNotIn('Chờ lâu'.encode(), rec['body'])
        # every send logged, without its content
        wait_for(lambda: len(self.deliveries('sent')) == 3, 'all marked sent')
        wait_for(lambda: self.s.logs().count('event=alert_send') == 3,
                 'each send logged')
        metrics = self.s.get('/metrics').text
        self.assertIn('hailong_alert_deliveries{state="sent"} 3\n', metrics)
        self.assertIn('hailong_alert_deliveries{state="failed"} 0\n',
                      metrics)
        logs = self.s.logs()
        self.assertNotIn(PHONE, logs)
        self.assertNotIn('vancanh.example.vn', logs)

    def test_mail_server_down_for_a_while_then_delivered(self):
        port = stable_port()
        self.s = Server(*fast(port), name='alerts-down')
        self.alert('add', '--unit', DEMO_UNIT, '--email',
                   'truong@vancanh.example.vn', '--role', 'manager')
        self.s.start()
        rate(self.s, level=2, phone=PHONE)
        # refused, again and again, each time written down
        wait_for(lambda: any(d['attempts'] >= 3 and d['state'] == 'pending'
                             and d['last_error']
                             for d in self.deliveries()),
                 'three refused attempts')
        self.smtp = Smtp(port)
        wait_for(lambda: self.smtp.to('truong@vancanh.example.vn'),
                 'the mail once the server is up')
        wait_for(lambda: self.deliveries('sent'), 'marked sent')
        d = self.deliveries('sent')[0]
        self.assertGreaterEqual(d['attempts'], 4)
        self.assertEqual(len(self.smtp.to('truong@vancanh.example.vn')), 1)


class Crash(Base):
    def test_kill_9_between_event_and_delivery_nothing_lost_or_doubled(self):
        hook_port = stable_port()
        url = f'https://127.0.0.1:{hook_port}/hook'
        self.s = Server(*fast(stable_port(), '--alert-ca-file', self.cert),
                        name='alerts-crash')
        self.alert('add', '--unit', DEMO_UNIT, '--webhook', url,
                   '--secret-file', self.secret_file(), '--events',
                   'callback')
        self.s.start()
        for _ in range(3):
            rate(self.s, level=1, phone=PHONE)
        # the receiver is down: the three wait in the outbox
        wait_for(lambda: len([d for d in self.deliveries()
                              if d['attempts'] >= 1]) == 3,
                 'three deliveries tried')
        self.s.kill()
        with self.s.db() as c:
            want = {r[0] for r in c.execute(
                'SELECT idempotency_key FROM alert_deliveries')}
        self.assertEqual(len(want), 3)
        self.hooks = Hooks(self.cert, self.key, hook_port)
        self.s.start()
        wait_for(lambda: len(self.deliveries('sent')) == 3, 'all sent')
        keys = self.hooks.keys()
        self.assertEqual(sorted(keys), sorted(want))   # each exactly once
        self.assertTrue(all(r['signed'] for r in self.hooks.requests))

    def test_kill_9_in_the_middle_of_a_send_resends_the_same_key(self):
        self.hooks = Hooks(self.cert, self.key)
        self.s = Server(*fast(stable_port(), '--alert-ca-file', self.cert),
                        name='alerts-midsend')
        self.alert('add', '--unit', DEMO_UNIT, '--webhook', self.hooks.url,
                   '--secret-file', self.secret_file(), '--events',
                   'callback')
        self.hooks.hold.clear()          # the receiver keeps the request
        self.s.start()
        rate(self.s, level=1, phone=PHONE)
        self.assertTrue(self.hooks.arrived.wait(BOUND))
        self.s.kill()                    # sent, not yet marked
        self.hooks.hold.set()
        self.s.start()
        wait_for(lambda: self.deliveries('sent'), 'sent after the restart')
        keys = self.hooks.keys()
        self.assertEqual(len(keys), 2)
        # the same delivery again, recognisable: one key, one event
        self.assertEqual(keys[0], keys[1])
        docs = [r['doc'] for r in self.hooks.requests]
        self.assertEqual(docs[0]['event'], docs[1]['event'])
        self.assertEqual(len(self.deliveries()), 1)


class Digest(Base):
    def test_daily_digest_of_a_flagged_procedure_in_vietnamese(self):
        self.smtp = Smtp()
        self.s = Server(*fast(self.smtp.port), name='alerts-digest')
        run('alert', 'email', '--db', self.s.db_path, '--user', 'admin',
            '--email', 'admin@vancanh.example.vn')
        self.s.start()
        for _ in range(12):
            rate(self.s, level=1)
        # subscribed while the server runs, for the hour it is now
        self.alert('add', '--unit', DEMO_UNIT, '--user', 'admin',
                   '--digest', str(hanoi_hour()))
        # the flag is raised by the periodic check, then the digest
        m = wait_for(lambda: self.smtp.to('admin@vancanh.example.vn'),
                     'the digest')[0]
        raw = self.smtp.messages[0][2].decode('ascii')
        self.assertRegex(raw, r'Subject: =\?UTF-8\?B\?')
        self.assertIn('Content-Transfer-Encoding: base64', raw)
        self.assertRegex(raw, r'Message-ID: <hl-digest-\d+-\d{4}-\d\d-\d\d-')
        self.assertIn('Bản tin hài lòng', str(m['subject']))
        body = decoded_body(m)
        self.assertIn('THAY ĐỔI TỪ HÔM QUA', body)
        self.assertIn('THỦ TỤC CẦN CHÚ Ý', body)
        self.assertIn(PROC, body)
        self.assertIn('Tỷ lệ hài lòng thấp', body)
        self.assertIn('0,0\u00a0%', body)
        self.assertIn('https://hailong.example.vn/admin/units/H21.227/'
                      'procedures/' + PROC, body)
        self.assertIn('CẦN XỬ LÝ', body)
        self.assertIn('KI-ỐT', body)
        self.assertNotIn('LOW_SATISFACTION', body)
        # one a day
        with self.s.db() as c:
            n = c.execute("SELECT count(*) FROM alert_deliveries WHERE "
                          "digest_day IS NOT NULL").fetchone()[0]
        self.assertEqual(n, 1)


class Cli(Base):
    def conf(self, port, *lines):
        p = os.path.join(self.tmp, 'hailong.conf')
        with open(p, 'w') as f:
            f.write(f'db = {self.tmp}/x.db\nbackup_dir = {self.tmp}\n'
                    f'smtp_url = smtp://127.0.0.1:{port}\n'
                    'smtp_from = Hài lòng <hailong@example.vn>\n')
            for ln in lines:
                f.write(ln + '\n')
        return p

    def test_alert_test_exits_0_only_when_accepted(self):
        self.smtp = Smtp()
        conf = self.conf(self.smtp.port, 'smtp_starttls = no')
        p = run('alert', 'test', '--config', conf, '--to', 'a@example.vn')
        self.assertIn('accepted', p.stdout)
        m = self.smtp.to('a@example.vn')[0]
        self.assertIn('Thư thử', str(m['subject']))
        self.assertIn('máy chủ thư đã được cấu hình', decoded_body(m))
        self.smtp.reject.add('nobody@example.vn')
        p = run('alert', 'test', '--config', conf, '--to',
                'nobody@example.vn', check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('550', p.stderr)
        self.assertIn('no such mailbox', p.stderr)

    def test_password_file_must_be_private_and_auth_is_used(self):
        self.smtp = Smtp(credentials=('hailong', 'mật-khẩu-thư'))
        pw = os.path.join(self.tmp, 'smtp.pw')
        with open(pw, 'w') as f:
            f.write('mật-khẩu-thư\n')
        os.chmod(pw, 0o644)
        conf = self.conf(self.smtp.port, 'smtp_user = hailong',
                         f'smtp_password_file = {pw}', 'smtp_starttls = no')
        p = run('config', 'check', '--config', conf, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('smtp_password_file', p.stderr)
        os.chmod(pw, 0o600)
        run('config', 'check', '--config', conf)
        run('alert', 'test', '--config', conf, '--to', 'a@example.vn')
        self.assertEqual(self.smtp.auths[-1], ('hailong', 'mật-khẩu-thư'))

    def test_serve_refuses_a_password_file_others_may_read(self):
        pw = os.path.join(self.tmp, 'smtp.pw')
        with open(pw, 'w') as f:
            f.write('secret-pw')
        os.chmod(pw, 0o640)
        db = os.path.join(self.tmp, 'x.db')
        run('init', '--db', db)
        p = subprocess.run([BIN, 'serve', '--db', db, '--listen',
                            '127.0.0.1:0', '--smtp-url', 'smtp://127.0.0.1:1',
                            '--smtp-from', 'h@example.vn', '--smtp-user', 'h',
                            '--smtp-password-file', pw],
                           capture_output=True, text=True, timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('chmod 600', p.stderr)
        self.assertNotIn('secret-pw', p.stdout + p.stderr)

    def test_starttls_is_required_with_a_user(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        self.smtp = Smtp(tls_ctx=ctx, credentials=('hailong', 'pw-123'))
        pw = os.path.join(self.tmp, 'smtp.pw')
        with open(pw, 'w') as f:
            f.write('pw-123')
        os.chmod(pw, 0o600)
        conf = self.conf(self.smtp.port, 'smtp_user = hailong',
                         f'smtp_password_file = {pw}',
                         f'alert_ca_file = {self.cert}')
        run('alert', 'test', '--config', conf, '--to', 'a@example.vn')
        self.assertTrue(self.smtp.tls_used)
        self.assertEqual(len(self.smtp.to('a@example.vn')), 1)

    def test_smtps_speaks_tls_from_the_first_byte(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        self.smtp = Smtp(implicit_tls=ctx, credentials=('hailong', 'pw-123'))
        pw = os.path.join(self.tmp, 'smtp.pw')
        with open(pw, 'w') as f:
            f.write('pw-123')
        os.chmod(pw, 0o600)
        conf = self.conf(self.smtp.port, 'smtp_user = hailong',
                         f'smtp_password_file = {pw}',
                         f'alert_ca_file = {self.cert}')
        with open(conf) as f:
            text = f.read().replace('smtp://', 'smtps://')
        with open(conf, 'w') as f:
            f.write(text)
        run('alert', 'test', '--config', conf, '--to', 'a@example.vn')
        self.assertTrue(self.smtp.tls_used)
        m = self.smtp.to('a@example.vn')[0]
        self.assertEqual(str(m['from']), 'Hài lòng <hailong@example.vn>')
        # a certificate nobody vouched for: refused, said why, exit 1
        os.remove(conf)
        conf = self.conf(self.smtp.port, 'smtp_user = hailong',
                         f'smtp_password_file = {pw}')
        with open(conf) as f:
            text = f.read().replace('smtp://', 'smtps://')
        with open(conf, 'w') as f:
            f.write(text)
        p = run('alert', 'test', '--config', conf, '--to', 'a@example.vn',
                check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('certificate', p.stderr)
        self.assertEqual(len(self.smtp.to('a@example.vn')), 1)

    def test_subscriptions_are_checked_and_listed(self):
        self.s = Server(name='alerts-cli')
        p = self.alert('add', '--unit', 'H01', '--user', 'admin',
                       check=False)
        # the demo admin is of H21.227's province? it must cover H01
        with self.s.db() as c:
            admin_unit = c.execute("SELECT unit FROM users WHERE "
                                   "username = 'admin'").fetchone()[0]
        if admin_unit != 'H01':
            self.assertEqual(p.returncode, 1)
            self.assertIn('outside', p.stderr)
        p = self.alert('add', '--unit', DEMO_UNIT, '--email', 'not-an-address',
                       check=False)
        self.assertEqual(p.returncode, 1)
        p = self.alert('add', '--unit', DEMO_UNIT, '--events', 'callbak',
                       '--email', 'a@example.vn', check=False)
        self.assertEqual(p.returncode, 1)
        p = self.alert('add', '--unit', DEMO_UNIT, '--webhook',
                       'http://example.vn/x', '--secret-file',
                       self.secret_file(), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('https://', p.stderr)
        p = self.alert('add', '--unit', DEMO_UNIT, '--email', 'a@example.vn',
                       '--digest', '7')
        sid = re.search(r'subscription (\d+) added', p.stdout).group(1)
        self.assertIn('07:00', self.alert('list').stdout)
        self.alert('remove', sid)
        self.assertNotIn('a@example.vn', self.alert('list').stdout)
        with self.s.db() as c:
            acts = [r[0] for r in c.execute(
                "SELECT action FROM audit WHERE action LIKE 'alert.%'")]
        self.assertEqual(acts, ['alert.add', 'alert.remove'])


PW = 'mật khẩu rất dài 1'


class Console(Base):
    def user(self, name, unit, role):
        run('user', 'add', '--db', self.s.db_path, '--unit', unit, '--role',
            role, '--name', name, '--password-stdin', input=PW + '\n')
        return Browser(self.s).logged_in(name, PW)

    def test_a_manager_manages_the_subscriptions_of_their_units(self):
        self.smtp = Smtp()
        self.s = Server(*fast(self.smtp.port), name='alerts-console')
        self.s.start()
        lan = self.user('lan', DEMO_UNIT, 'manager')
        xem = self.user('xem', DEMO_UNIT, 'viewer')
        page = f'/admin/units/{DEMO_UNIT}/alerts'
        r = lan.get(page)
        self.assertEqual(r.status, 200)
        self.assertIn('Nhận cảnh báo', r.text)
        self.assertIn('Chưa có đăng ký nào.', r.text)
        self.assertNotIn('callback', re.sub(r'<[^>]*>', '', r.text))
        # the manager's own address, then a digest for the manager
        r = lan.post_form(page, {'csrf': lan.csrf(), 'action': 'email',
                                 'email': 'lan@vancanh.example.vn'})
        self.assertEqual(r.status, 303, r.text[:400])
        lan.get(page)
        r = lan.post_form(page, {'csrf': lan.csrf(), 'action': 'add',
                                 'to': 'me', 'mode': 'digest', 'hour': '6',
                                 'ev_callback': '1', 'ev_flag_raised': '1'})
        self.assertEqual(r.status, 303, r.text[:400])
        r = lan.get(page)
        self.assertIn('Bản tin hằng ngày lúc 06:00', r.text)
        self.assertIn('Yêu cầu gọi lại sau đánh giá thấp', r.text)
        self.assertIn('value="lan@vancanh.example.vn"', r.text)
        # an address may not read more than the manager's own role
        r = lan.post_form(page, {'csrf': lan.csrf(), 'action': 'add',
                                 'to': 'email', 'email': 'x@example.vn',
                                 'role': 'admin'})
        self.assertEqual(r.status, 400)
        # no CSRF token: refused, nothing added
        r = lan.post_form(page, {'action': 'add', 'to': 'email',
                                 'email': 'y@example.vn'})
        self.assertEqual(r.status, 403)
        # the parent unit is out of the manager's scope; viewers see nothing
        token = lan.csrf(lan.get(page).text)
        self.assertEqual(lan.get('/admin/units/H21/alerts').status, 404)
        self.assertEqual(lan.post_form('/admin/units/H21/alerts', {
            'csrf': token, 'action': 'add', 'to': 'me'}).status, 404)
        self.assertEqual(xem.get(page).status, 403)
        with self.s.db() as c:
            subs = c.execute('SELECT username, email, unit, events, mode, '
                             'digest_hour FROM alert_subscriptions').fetchall()
            acts = [r[0] for r in c.execute(
                "SELECT action FROM audit WHERE actor = 'user:lan' AND "
                "action <> 'login' "
                "ORDER BY seq")]
        self.assertEqual([tuple(x) for x in subs], [
            ('lan', None, DEMO_UNIT, 'callback,flag_raised', 'digest', 6)])
        self.assertEqual(acts, ['user.email', 'alert.add'])
        # removed from the page
        sid = re.search(r'name="id" value="(\d+)"', lan.get(page).text)[1]
        r = lan.post_form(page, {'csrf': lan.csrf(), 'action': 'remove',
                                 'id': sid})
        self.assertEqual(r.status, 303)
        self.assertIn('Chưa có đăng ký nào.', lan.get(page).text)


class Periodic(Base):
    def test_flags_and_kiosks_each_change_is_one_event(self):
        self.hooks = Hooks(self.cert, self.key)
        self.s = Server(*fast(stable_port(), '--alert-ca-file', self.cert,
                              '--alert-kiosk-offline-minutes', '5',
                              '--alert-kiosk-backlog', '100'),
                        name='alerts-periodic')
        with self.s.db() as c:   # raised at an earlier check, not now
            c.execute("INSERT INTO alert_state VALUES ('flag:H21.227:"
                      "procedure:2.000001:LATE', 1, 0)")
            c.commit()
        self.s.start()
        kid, code, _ = add_kiosk(self.s, counter=1)
        r = enrol_raw(self.s, code)
        self.assertEqual(r.status, 201, r)
        k = Signer(kid, r.json()['secret'])

        def heartbeat(outbox):
            r, _ = k.call(self.s, 'POST', '/api/v1/kiosk/heartbeat', {
                'version': '0.1.0', 'outbox': outbox,
                'oldest_unsent': None, 'problems': 0})
            self.assertEqual(r.status, 200, r)

        def kinds():
            return [r['doc']['kind'] for r in self.hooks.requests]

        heartbeat(0)
        for _ in range(12):
            rate(self.s, level=1)
        # subscribed once the ratings are in: the flags of one round
        self.alert('add', '--unit', DEMO_UNIT, '--webhook', self.hooks.url,
                   '--secret-file', self.secret_file(), '--events',
                   'flag_raised,flag_cleared,kiosk_offline,kiosk_online,'
                   'kiosk_backlog')
        got = wait_for(lambda: [r['doc'] for r in self.hooks.requests
                                if r['doc']['kind'] == 'flag_raised' and
                                r['doc']['detail']['scope'] == 'procedure'],
                       'the procedure flagged')
        d = got[0]
        self.assertEqual(d['detail']['code'], PROC)
        self.assertEqual(d['detail']['flag'], 'LOW_SATISFACTION')
        self.assertIn('Tỷ lệ hài lòng thấp', d['text'])
        self.assertIn('hài lòng 0,0\u00a0% trên 12 đánh giá', d['text'])
        self.assertTrue(d['link'].endswith(
            f'/admin/units/{DEMO_UNIT}/procedures/{PROC}'))
        # the kiosk: a full outbox, then silent, then heard again
        heartbeat(150)
        wait_for(lambda: 'kiosk_backlog' in kinds(), 'the backlog alert')
        with self.s.db() as c:
            c.execute('UPDATE kiosks SET last_seen = last_seen - 3600')
            c.commit()
        wait_for(lambda: 'kiosk_offline' in kinds(), 'the kiosk offline')
        heartbeat(0)
        wait_for(lambda: 'kiosk_online' in kinds(), 'the kiosk back')
        off = [r['doc'] for r in self.hooks.requests
               if r['doc']['kind'] == 'kiosk_offline'][0]
        self.assertEqual(off['detail']['kiosk'], kid)
        self.assertIn('không liên lạc từ', off['text'])
        # rounds ran since: no flag raised twice, each kiosk change once
        k2 = kinds()
        raised = [(r['doc']['detail']['scope'], r['doc']['detail']['code'],
                   r['doc']['detail']['flag']) for r in self.hooks.requests
                  if r['doc']['kind'] == 'flag_raised']
        self.assertEqual(len(raised), len(set(raised)))
        cleared = [r['doc'] for r in self.hooks.requests
                   if r['doc']['kind'] == 'flag_cleared']
        self.assertEqual(len(cleared), 1)
        self.assertEqual(cleared[0]['detail'], {
            'scope': 'procedure', 'code': '2.000001', 'flag': 'LATE'})
        self.assertIn('Hết cảnh báo: Nhiều hồ sơ trễ hạn', cleared[0]['text'])
        self.assertEqual(k2.count('kiosk_offline'), 1)
        self.assertEqual(k2.count('kiosk_backlog'), 1)
        self.assertEqual(len(set(self.hooks.keys())), len(k2))


class FailedChecks(Base):
    def test_a_broken_chain_is_an_event_for_admins(self):
        self.s = Server(name='alerts-chain')
        self.alert('add', '--unit', DEMO_UNIT, '--email', 'a@example.vn',
                   '--role', 'admin', '--events', 'check_failed')
        self.alert('add', '--unit', DEMO_UNIT, '--email', 'v@example.vn',
                   '--events', 'check_failed')     # a viewer: not told
        run('verify-chain', '--db', self.s.db_path)
        with self.s.db() as c:
            self.assertEqual(c.execute(
                'SELECT count(*) FROM alert_events').fetchone()[0], 0)
            c.execute('INSERT INTO audit(seq, at, actor, action, target, '
                      'detail, chain) SELECT seq + 1000, at, actor, action, '
                      'target, detail, chain FROM audit LIMIT 1')
            c.commit()
        p = run('verify-chain', '--db', self.s.db_path, check=False)
        self.assertEqual(p.returncode, 1)
        with self.s.db() as c:
            ev = c.execute('SELECT id, kind, unit, detail FROM '
                           'alert_events').fetchall()
            to = c.execute('SELECT s.email FROM alert_deliveries d JOIN '
                           'alert_subscriptions s ON s.id = '
                           'd.subscription_id').fetchall()
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0]['kind'], 'check_failed')
        self.assertIsNone(ev[0]['unit'])
        self.assertEqual(json.loads(ev[0]['detail'])['check'], 'chain')
        self.assertEqual([r[0] for r in to], ['a@example.vn'])


class Reports(Base):
    def test_a_subordinate_report_past_its_deadline_is_one_event(self):
        self.hooks = Hooks(self.cert, self.key)
        self.s = Server(*fast(stable_port(), '--alert-ca-file', self.cert),
                        name='alerts-reports')
        with self.s.db() as c:   # due at the month's end: overdue now
            c.execute("INSERT INTO report_deadline_rules(version, "
                      "effective_month, days, created_at, actor) VALUES "
                      "(2, 200001, 0, 0, 'test')")
            c.commit()
        self.alert('add', '--unit', 'H21', '--webhook', self.hooks.url,
                   '--secret-file', self.secret_file(), '--events',
                   'report_missing')
        self.s.start()
        got = wait_for(lambda: [r['doc'] for r in self.hooks.requests
                                if r['doc']['unit'] == DEMO_UNIT],
                       "the commune's missing report")
        d = got[0]
        self.assertEqual(d['kind'], 'report_missing')
        self.assertEqual(d['detail']['parent'], 'H21')
        self.assertRegex(d['detail']['period'], r'^\d{4}-\d\d$')
        self.assertIn('chưa gửi báo cáo kỳ ' + d['detail']['period'],
                      d['text'])
        self.assertTrue(d['link'].endswith('/admin/units/H21/reports/'
                                           'status'))
        with self.s.db() as c:
            n = c.execute("SELECT count(*) FROM alert_state WHERE key "
                          "LIKE 'report_missing:%'").fetchone()[0]
        wait_for(lambda: len(self.hooks.requests) == n, 'all of them')
        subjects = [r['doc']['subject'] for r in self.hooks.requests]
        self.assertEqual(len(subjects), len(set(subjects)))


class Checks(Base):
    def test_disk_and_failed_backup_reach_admins(self):
        self.hooks = Hooks(self.cert, self.key)
        self.s = Server(*fast(stable_port(), '--alert-ca-file', self.cert,
                              '--alert-disk-percent', '1'),
                        name='alerts-checks')
        self.alert('add', '--unit', DEMO_UNIT, '--webhook', self.hooks.url,
                   '--secret-file', self.secret_file(), '--role', 'admin',
                   '--events', 'disk_full,check_failed,review_overdue')
        with self.s.db() as c:
            c.execute(
                "INSERT INTO reviews(unit, procedure, month, owner, "
                "due_date, created_at, created_by, updated_at) VALUES "
                "(?, ?, 202601, 'admin', '2026-01-15', 0, 'test', 0)",
                (DEMO_UNIT, PROC))
            c.commit()
        self.s.start()
        # a backup to where nothing can be written
        p = run('backup', '--db', self.s.db_path, '--out',
                '/nonexistent-hailong/x.db', check=False)
        self.assertNotEqual(p.returncode, 0)
        got = wait_for(lambda: {r['doc']['kind'] for r in self.hooks.requests}
                       >= {'disk_full', 'check_failed', 'review_overdue'}
                       and self.hooks.requests, 'the three events')
        kinds = [r['doc']['kind'] for r in got]
        self.assertEqual(kinds.count('disk_full'), 1)
        self.assertEqual(kinds.count('review_overdue'), 1)
        failed = [r['doc'] for r in got if r['doc']['kind'] == 'check_failed']
        self.assertEqual(failed[0]['detail']['check'], 'backup', failed)
        self.assertIn('Sao lưu thất bại', failed[0]['text'])


if __name__ == '__main__':
    unittest.main()
