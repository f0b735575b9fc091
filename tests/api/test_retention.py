"""hailong retention: callback numbers and comments erased when their time
is up, and nothing else."""
import os
import re
import time
import unittest

from tests.api.hl import Server, run
from tests.api.opslib import rate

DAY = 86400


class Retention(unittest.TestCase):
    def setUp(self):
        self.s = Server('--rate-limit-per-min', '0', name='retention')
        self.s.start()
        s = self.s
        now = int(time.time())
        # seq 1..5; the callbacks are closed (or not) by hand: closing is
        # the console's work
        self.seq = {}
        for name, phone, comment in (
                ('closed_long', '0912000001', 'gọi 0912 000 001 giúp tôi'),
                ('closed_recent', '0912000002', 'gọi lại 0912000002'),
                ('open_expired', '0912000003', 'thái độ tốt'),
                ('open_fresh', '0912000004', 'số 0912000004'),
                ('no_callback', None, 'số của tôi 0987 654 321')):
            r, nonce = rate(s, level=2, comment=comment, phone=phone)
            self.assertEqual(r.status, 200, r.text)
            with s.db() as c:
                self.seq[name] = c.execute(
                    'SELECT seq FROM ratings WHERE id = ?',
                    (nonce,)).fetchone()[0]
        s.stop()
        with s.db() as c:
            def close(name, days):
                c.execute("UPDATE callbacks SET status = 'closed', "
                          "closed_at = ? WHERE rating_seq = ?",
                          (now - days * DAY, self.seq[name]))

            def consent_age(name, days):
                c.execute('UPDATE consents SET given_at = ? WHERE '
                          'rating_seq = ?', (now - days * DAY,
                                             self.seq[name]))
            close('closed_long', 8)
            close('closed_recent', 6)
            consent_age('open_expired', 91)
            consent_age('open_fresh', 89)
        self.conf = os.path.join(s.dir, 'h.conf')
        with open(self.conf, 'w') as f:
            f.write(f'db = {s.db_path}\nretention_callback_days = 7\n')

    def tearDown(self):
        self.s.__exit__(None, None, None)

    def state(self):
        with self.s.db() as c:
            phones = {n: c.execute('SELECT phone, erased_at FROM callbacks '
                                   'WHERE rating_seq = ?', (q,)).fetchone()
                      for n, q in self.seq.items()}
            texts = {n: (c.execute('SELECT comment FROM rating_texts WHERE '
                                   'seq = ?', (q,)).fetchone() or [None])[0]
                     for n, q in self.seq.items()}
            audit = [tuple(r) for r in c.execute(
                'SELECT action, target, detail FROM audit ORDER BY seq')]
        return phones, texts, audit

    def test_dry_run_then_run(self):
        before = self.state()
        p = run('retention', '--config', self.conf, '--dry-run')
        self.assertIn('dry run, nothing changed: phone numbers erased: 2 '
                      '(callback closed 7+ days ago: 1; consent\'s '
                      'retention passed: 1)', p.stdout)
        self.assertEqual(self.state(), before)

        p = run('retention', '--config', self.conf)
        self.assertIn('phone numbers erased: 2', p.stdout)
        self.assertIn('comments de-identified: 1', p.stdout)
        # the log has counts, never a number
        self.assertIn('event=retention phones=2 closed=1 expired=1 '
                      'comments=1 mode=redact days=7', p.stderr)
        self.assertNotRegex(p.stderr, r'09\d{8}')
        phones, texts, audit = self.state()
        self.assertIsNone(phones['closed_long']['phone'])
        self.assertIsNotNone(phones['closed_long']['erased_at'])
        self.assertIsNone(phones['open_expired']['phone'])
        self.assertEqual(phones['closed_recent']['phone'], '0912000002')
        self.assertIsNone(phones['closed_recent']['erased_at'])
        self.assertEqual(phones['open_fresh']['phone'], '0912000004')
        self.assertIsNone(phones['no_callback'])
        self.assertEqual(texts['closed_long'], 'gọi **** *** *** giúp tôi')
        self.assertEqual(texts['open_expired'], 'thái độ tốt')
        # others keep theirs, numbers and all (not due)
        self.assertEqual(texts['closed_recent'], 'gọi lại 0912000002')
        self.assertEqual(texts['no_callback'], 'số của tôi 0987 654 321')
        self.assertEqual(audit[-1][:2], ('retention', 'callbacks'))
        self.assertIn('"closed":1,"expired":1,"comments":1', audit[-1][2])
        with self.s.db() as c:
            at = c.execute("SELECT value FROM meta WHERE key = "
                           "'last_retention_at'").fetchone()[0]
        self.assertLessEqual(abs(int(at) - time.time()), 600)
        # the ratings themselves are untouched: the chain still verifies
        run('verify-chain', '--db', self.s.db_path)

        # again: nothing is due, nothing audited
        p = run('retention', '--config', self.conf)
        self.assertIn('phone numbers erased: 0', p.stdout)
        self.assertEqual(self.state()[2], audit)

    def test_flags_override_the_file_and_delete_comments(self):
        # --days 5 makes the recent closure due as well
        p = run('retention', '--config', self.conf, '--days', '5',
                '--comments', 'delete')
        self.assertIn('phone numbers erased: 3', p.stdout)
        self.assertIn('comments deleted: 3', p.stdout)
        phones, texts, audit = self.state()
        self.assertIsNone(phones['closed_recent']['phone'])
        self.assertIsNone(texts['closed_long'])
        self.assertIsNone(texts['closed_recent'])
        self.assertIsNone(texts['open_expired'])
        self.assertEqual(texts['open_fresh'], 'số 0912000004')
        self.assertIn('"comment_mode":"delete"', audit[-1][2])

    def test_bad_flags(self):
        p = run('retention', '--config', self.conf, '--comments', 'shred',
                check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--comments: 'shred' is not", p.stderr)
        p = run('retention', '--db', self.s.db_path, '--days', '-1',
                check=False)
        self.assertEqual(p.returncode, 2)
        p = run('retention', '--db', os.path.join(self.s.dir, 'none.db'),
                check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('no such file', p.stderr)


if __name__ == '__main__':
    unittest.main()
