"""Secrets: key files are private, and no secret ever reaches a log.

1. Files that hold keys are created mode 0600 (the database, backups, the
   demo signing keys, the kiosk's identity) and a key file that group or
   others may read is refused (TLS key, report signing key, the kiosk's
   identity), with a message that says how to fix it.
2. A full run at log level debug -- logins (a right and a wrong
   password), form posts with a phone number and consent, API keys
   (valid and forged), a kiosk enrolled and sending -- and then every
   line the server, the kiosk and the commands logged is searched for
   each password, session cookie, CSRF token, API key, enrolment code,
   kiosk secret, signature and phone number used.
"""
import base64
import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

from tests.api.hl import BIN, Browser, Server, run
from tests.api.kioskhl import (Kiosk, add_kiosk, wait_kiosk_config,
                               wait_until)
from tests.api.opslib import rate


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class KeyFiles(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='hailong-keys-')
        self.addCleanup(shutil.rmtree, self.dir, True)

    def test_created_private(self):
        db = os.path.join(self.dir, 'h.db')
        run('init', '--db', db, '--demo')
        self.assertEqual(mode(db), 0o600)
        out = os.path.join(self.dir, 'copy.db')
        run('backup', '--db', db, '--out', out)
        self.assertEqual(mode(out), 0o600)
        keys = os.path.join(self.dir, 'pki')
        run('keys', 'demo', '--unit', 'H21.227', '--out', keys)
        private = [f for f in os.listdir(keys) if f.endswith('.key.pem')]
        self.assertTrue(private)
        for f in private:
            self.assertEqual(mode(os.path.join(keys, f)), 0o600, f)

    def test_readable_key_refused(self):
        keys = os.path.join(self.dir, 'pki')
        run('keys', 'demo', '--unit', 'H21.227', '--out', keys)
        key = os.path.join(keys, 'H21.227.key.pem')
        cert = os.path.join(keys, 'H21.227.cert.pem')
        rep = os.path.join(self.dir, 'report')
        os.mkdir(rep)
        with open(os.path.join(rep, 'report.json'), 'w') as f:
            f.write('{}')
        for bad in (0o640, 0o604, 0o644, 0o660):
            os.chmod(key, bad)
            # the report signing key
            p = run('report', 'sign', '--key', key, '--cert', cert, rep,
                    check=False)
            self.assertNotEqual(p.returncode, 0, oct(bad))
            self.assertIn('chmod 600', p.stderr, oct(bad))
            self.assertFalse(os.path.exists(
                os.path.join(rep, 'report.json.p7s')))
            # the TLS key: the server does not start
            db = os.path.join(self.dir, 'h.db')
            if not os.path.exists(db):
                run('init', '--db', db)
            p = subprocess.run([BIN, 'serve', '--db', db, '--listen',
                                '127.0.0.1:0', '--tls-cert', cert,
                                '--tls-key', key], capture_output=True,
                               text=True, timeout=30)
            self.assertNotEqual(p.returncode, 0, oct(bad))
            self.assertIn('chmod 600', p.stderr + p.stdout, oct(bad))
        os.chmod(key, 0o600)
        p = run('report', 'sign', '--key', key, '--cert', cert, rep)
        self.assertTrue(os.path.exists(os.path.join(rep, 'report.json.p7s')))

    def test_kiosk_identity_private(self):
        with Server(name='kiosk-keys') as s:
            _, code, _ = add_kiosk(s, counter=1)
            k = Kiosk.enrolled(s, code)
            try:
                ident = os.path.join(k.data, 'kiosk.json')
                self.assertEqual(mode(ident), 0o600)
                self.assertEqual(mode(k.data) & 0o077, 0)
                os.chmod(ident, 0o644)
                rc, line, logs = k.start(expect_fail=True)
                self.assertNotEqual(rc, 0)
                self.assertIn('chmod 600', logs)
                os.chmod(ident, 0o600)
                k.start()
            finally:
                k.cleanup()


class NoSecretInLogs(unittest.TestCase):
    def test_full_run_logs_no_secret(self):
        cli_logs = []

        def cli(*args, **kw):
            p = run(*args, **kw)
            cli_logs.append(p.stderr)
            return p

        phone = '0912345678'
        secrets = {}
        with Server('--rate-limit-per-min', '0', '--log-level', 'debug',
                    name='secrets') as s:
            user, password = s.login
            secrets['admin password'] = password
            # a wrong password, then the right one
            b = Browser(s)
            wrong = 'Sai-mat-khau-' + base64.b32encode(os.urandom(5)).decode()
            secrets['wrong password'] = wrong
            r = b.login(user, wrong)
            self.assertNotEqual(r.status, 303)
            b.logged_in(user, password)
            r = b.get('/admin/units/H21.227')
            self.assertEqual(r.status, 200)
            for name, value in b.cookies.items():
                secrets[f'cookie {name}'] = value
            secrets['csrf token'] = b.csrf()
            # citizens who leave their number
            for ph in (phone, '+84 912 345 679', '0987-654-321'):
                r, _ = rate(s, level=2, comment='gọi lại cho tôi',
                            phone=ph)
                self.assertEqual(r.status, 200, r)
                secrets[f'phone {ph}'] = re.sub(r'\D', '', ph)[-9:]
            # the form's token is in request paths: never logged either
            secrets['form token'] = s.token(counter=2, procedure='1.001193')
            r = s.get('/q/' + secrets['form token'] + 'x')
            self.assertEqual(r.status, 404)
            # API keys, a real one and a forged one
            key = cli('apikey', 'add', '--db', s.db_path, '--unit',
                      'H21.227', '--label', 'one-stop').stdout \
                .strip().splitlines()[-1]
            secrets['api key'] = key
            r = s.get('/api/v1/metrics?unit=H21.227&month=2026-01',
                      {'Authorization': 'Bearer ' + key})
            self.assertEqual(r.status, 200, r)
            forged = key[:-6] + ('AAAAAA' if not key.endswith('AAAAAA')
                                 else 'BBBBBB')
            secrets['forged api key'] = forged
            r = s.get('/api/v1/metrics?unit=H21.227&month=2026-01',
                      {'Authorization': 'Bearer ' + forged})
            self.assertEqual(r.status, 401)
            # a kiosk: enrolment code, secret, signed batches
            _, code, out = add_kiosk(s, counter=3)
            secrets['enrolment code'] = code
            secrets['enrolment code (no dashes)'] = code.replace('-', '')
            k = Kiosk.enrolled(s, code)
            try:
                ident = k.identity()
                secrets['kiosk secret'] = ident['secret']
                k.start('--burst-seconds', '0')
                wait_kiosk_config(k)
                for lv in (1, 5, 3):
                    k.rate(lv)
                wait_until('kiosk ratings sent',
                           lambda: k.states() == {'sent': 3}, 60)
                # a used code, tried again
                r = s.post_json('/api/v1/kiosk/enroll', {'code': code})
                self.assertNotEqual(r.status, 201)
                klog = k.logs()
            finally:
                k.cleanup()
            # logout
            b.post_form('/logout', {'csrf': secrets['csrf token']})
            slog = s.logs()
        logs = {'server': slog, 'kiosk': klog, 'cli': '\n'.join(cli_logs)}
        self.assertGreater(len(slog.splitlines()), 10, 'the server logged')
        found = []
        for where, text in logs.items():
            low = text.lower()
            for what, value in secrets.items():
                if value and value.lower() in low:
                    found.append((where, what))
        self.assertEqual(found, [], 'secrets in the logs')
        # and no line that looks like a Vietnamese mobile number at all
        self.assertEqual(re.findall(r'(?<![0-9a-f])(?:0|84)[35789]\d{8}'
                                    r'(?![0-9a-f])', slog + klog), [])
        print(f'\n# secrets: {len(secrets)} secrets searched for in '
              f'{sum(len(t.splitlines()) for t in logs.values())} log lines: '
              f'none found')


if __name__ == '__main__':
    unittest.main()
