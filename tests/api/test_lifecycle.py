"""Serving and stopping: nothing answered 2xx is ever lost."""
import base64
import os
import random
import threading
import time
import unittest

from tests.api.hl import Server, run
from tests.api.kioskhl import wait_until

PROC = '1.001193'


def nonce():
    return base64.urlsafe_b64encode(os.urandom(16)).decode().rstrip('=')


class Sigterm(unittest.TestCase):
    def test_sigterm_in_flight_loses_nothing_answered(self):
        s = Server('--rate-limit-per-min', '0', name='sigterm').start()
        tok = s.token(counter=1, procedure=PROC)
        answered, lock = [], threading.Lock()
        stop = threading.Event()

        def client():
            while not stop.is_set():
                n = nonce()
                try:
                    r = s.post_form('/q/' + tok, {'nonce': n,
                                                  'level': str(random.randint(1, 5))})
                except OSError:
                    return      # the server has gone: connection refused
                with lock:
                    answered.append((n, r.status))

        threads = [threading.Thread(target=client) for _ in range(8)]
        for t in threads:
            t.start()
        # let a few hundred through, then stop the server under load (a
        # count, not a time: a slow machine takes longer to get there)
        wait_until('200 answers before SIGTERM',
                   lambda: len(answered) >= 200, 300, every=0.01)
        rc = s.stop()
        stop.set()
        for t in threads:
            t.join()
        try:
            self.assertEqual(rc, 0, 'SIGTERM must end with status 0')
            ok = {n for n, st in answered if st == 200}
            self.assertGreater(len(ok), 100, 'the load never ran')
            self.assertTrue(all(st in (200, 503) for _, st in answered),
                            {st for _, st in answered})
            with s.db() as c:
                stored = {r[0] for r in c.execute('SELECT id FROM ratings')}
            self.assertEqual(ok - stored, set(), 'answered 200 but not stored')
            # nothing was stored that was not asked for
            self.assertTrue(stored <= {n for n, _ in answered} | ok)
            out = run('verify-chain', '--db', s.db_path).stdout
            self.assertIn('chain intact', out)
            with open(s.log_path) as f:
                self.assertIn('event=stopped', f.read())
        finally:
            s.__exit__(None, None, None)

    def test_restart_keeps_everything(self):
        s = Server('--rate-limit-per-min', '0', name='restart').start()
        tok = s.token(counter=3, procedure=PROC)
        ids = []
        for level in (1, 2, 3):
            n = nonce()
            self.assertEqual(s.post_form('/q/' + tok, {
                'nonce': n, 'level': str(level)}).status, 200)
            ids.append(n)
        self.assertEqual(s.stop(), 0)
        s.start()
        n = nonce()
        self.assertEqual(s.post_form('/q/' + tok, {'nonce': n,
                                                   'level': '5'}).status, 200)
        with s.db() as c:
            got = [tuple(r) for r in c.execute(
                'SELECT id, level FROM ratings ORDER BY seq')]
        self.assertEqual(got, list(zip(ids + [n], [1, 2, 3, 5])))
        s.__exit__(None, None, None)


class Cli(unittest.TestCase):
    def test_init_twice_changes_nothing_but_the_audit(self):
        s = Server(name='init', demo=True)
        try:
            before = [s.count(f'SELECT count(*) FROM {t}') for t in
                      ('units', 'procedures', 'counters', 'officers', 'users',
                       'token_keys', 'instruments')]
            out = run('init', '--db', s.db_path, '--demo').stdout
            self.assertIn('password set when the demo was made', out)
            after = [s.count(f'SELECT count(*) FROM {t}') for t in
                     ('units', 'procedures', 'counters', 'officers', 'users',
                      'token_keys', 'instruments')]
            self.assertEqual(before, after)
            self.assertEqual(after[:4], [85, 106, 3, 4])
            self.assertEqual(s.count('SELECT count(*) FROM audit'), 2)
            self.assertIn('chain intact',
                          run('verify-chain', '--db', s.db_path).stdout)
        finally:
            s.__exit__(None, None, None)

    def test_newer_database_is_refused(self):
        s = Server(name='newer')
        try:
            with s.db() as c:
                c.execute('PRAGMA user_version = 99')
            for args in (['serve', '--db', s.db_path, '--listen',
                          '127.0.0.1:0'], ['init', '--db', s.db_path],
                         ['verify-chain', '--db', s.db_path]):
                p = run(*args, check=False)
                self.assertNotEqual(p.returncode, 0, args)
                self.assertIn('schema version 99', p.stderr)
        finally:
            s.__exit__(None, None, None)

    def test_missing_database_is_named(self):
        p = run('serve', '--db', '/nonexistent/x.db', '--listen',
                '127.0.0.1:0', check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot open database '/nonexistent/x.db'", p.stderr)
        self.assertIn('hailong init', p.stderr)

    def test_bad_flags_say_what_is_wrong(self):
        cases = [
            (['serve', '--listen', 'nowhere'], 'listen'),
            (['serve', '--rate-limit-per-min', 'many'], 'not a whole number'),
            (['serve', '--bogus'], "unknown option '--bogus'"),
            (['qr', '--db', 'x'], '--unit CODE are required'),
            (['qr', '--db', 'x', '--unit', 'H21.227', '--counter', '0'],
             '--counter must be 1-999'),
            (['qr', '--db', 'x', '--unit', 'H21.227'],
             'give --counter, --procedure or --dossier'),
            (['qr', '--db', 'x', '--unit', 'H21.227', '--dossier', 'H21-1'],
             'is not a mã hồ sơ'),
            (['frobnicate'], "unknown command 'frobnicate'"),
        ]
        for args, want in cases:
            with self.subTest(args=args):
                p = run(*args, check=False)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(want, p.stderr)

    def test_qr_for_unknown_things_is_refused(self):
        s = Server(name='qrcli')
        try:
            for extra, want in ((['--unit', 'H99.999', '--counter', '1'],
                                 "no unit 'H99.999'"),
                                (['--unit', 'H21.227', '--counter', '9'],
                                 'has no counter 9'),
                                (['--unit', 'H21.227', '--procedure',
                                  '9.999999'], "no procedure '9.999999'")):
                p = run('qr', '--db', s.db_path, '--format', 'url', *extra,
                        check=False)
                self.assertEqual(p.returncode, 1)
                self.assertIn(want, p.stderr)
        finally:
            s.__exit__(None, None, None)

    def test_version_names_the_schema(self):
        out = run('--version').stdout
        self.assertRegex(out, r'^hailong \d+\.\d+\.\d+ \(schema \d+, SQLite ')


if __name__ == '__main__':
    unittest.main()
