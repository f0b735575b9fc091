"""Disk full: 503 with Retry-After, nothing half-written, nothing lost.

The database lives on a tmpfs with a size limit (we mount it: the test is
skipped, with the reason printed, where mounting is not permitted).  A
ballast file fills the rest.  Form posts then get 503, Retry-After and the
Vietnamese "busy" page; a real hailong-kiosk keeps its ratings in its
outbox.  The ballast is removed and, without restarting anything, the
posts are accepted again, the kiosk's outbox drains and every rating
acknowledged at any time is in the database once.
"""
import errno
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
import urllib.parse

from tests.api.hl import Server, request
from tests.api.kioskhl import Kiosk, add_kiosk, wait_kiosk_config, wait_until
from tests.reliability.rel import form_nonce, integrity, stored_counts

SIZE_MB = 16


def try_mount(path):
    p = subprocess.run(['mount', '-t', 'tmpfs', '-o',
                        f'size={SIZE_MB}m,mode=0700', 'tmpfs', path],
                       capture_output=True, text=True)
    return p.returncode == 0, (p.stderr or p.stdout).strip()


def fill(path):
    """Write a ballast file until the filesystem says ENOSPC."""
    chunk = b'\0' * 65536
    with open(path, 'wb', buffering=0) as f:
        while True:
            try:
                f.write(chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                break
        # small writes until the last block is gone too
        while True:
            try:
                f.write(b'\0' * 512)
            except OSError:
                break


class DiskFull(unittest.TestCase):
    def setUp(self):
        self.mnt = tempfile.mkdtemp(prefix='hailong-full-')
        ok, why = try_mount(self.mnt)
        if not ok:
            os.rmdir(self.mnt)
            print(f'\n# diskfull SKIPPED: cannot mount a tmpfs ({why})')
            self.skipTest(f'mount -t tmpfs not permitted: {why}')
        self.addCleanup(self.unmount)

    def unmount(self):
        subprocess.run(['umount', '-l', self.mnt], capture_output=True)
        shutil.rmtree(self.mnt, ignore_errors=True)

    def post(self, s, tok, nonce, level=4, comment=None):
        f = {'nonce': nonce, 'level': str(level), 'procedure': '1.001193'}
        if comment:
            f['comment'] = comment
        return request(s.port, 'POST', '/q/' + tok,
                       body=urllib.parse.urlencode(f).encode(),
                       headers={'Content-Type':
                                'application/x-www-form-urlencoded'})

    def test_disk_full_then_freed(self):
        db = os.path.join(self.mnt, 'hailong.db')
        s = Server('--rate-limit-per-min', '0', db=db, name='diskfull')
        s.start()
        k = None
        try:
            tok = s.token(counter=1)
            _, code, _ = add_kiosk(s, counter=2)
            k = Kiosk.enrolled(s, code).start('--burst-seconds', '0')
            wait_kiosk_config(k)
            pid = s.proc.pid
            acked = set()
            for _ in range(20):
                n = form_nonce()
                r = self.post(s, tok, n, comment='trước khi đầy')
                self.assertEqual(r.status, 200, r)
                acked.add(n)
            kiosk_ids = [k.rate(3) for _ in range(5)]
            wait_until('the first kiosk ratings sent',
                       lambda: k.states() == {'sent': 5}, 60)

            # an empty WAL first: with the slack of a WAL that once grew,
            # a small transaction could still fit in the full disk
            def truncated():
                c = sqlite3.connect(db, timeout=10)
                try:
                    return c.execute('PRAGMA wal_checkpoint(TRUNCATE)'
                                     ).fetchone()[0] == 0
                finally:
                    c.close()
            wait_until('the WAL truncated', truncated, 60, every=0.1)
            ballast = os.path.join(self.mnt, 'ballast')
            fill(ballast)
            # posts until the disk refuses (a few may still fit in pages
            # SQLite had already); every answer is 200 or 503, nothing else
            full_answers = 0
            r503 = None
            for i in range(3000):
                n = form_nonce()
                r = self.post(s, tok, n, comment='khi đĩa đầy ' * 20)
                self.assertIn(r.status, (200, 503), r)
                if r.status == 200:
                    acked.add(n)
                else:
                    r503 = r
                    full_answers += 1
                    if full_answers >= 20:
                        break
            self.assertIsNotNone(r503, 'the disk never filled up')
            self.assertTrue(r503.headers.get('retry-after', '').isdigit(),
                            r503.headers)
            self.assertIn('text/html', r503.headers['content-type'])
            self.assertIn('Hệ thống tạm thời bận', r503.text)
            self.assertIn('lang="vi"', r503.text)
            # the kiosk takes ratings and keeps them
            def sends():
                with open(s.log_path, errors='replace') as f:
                    return f.read().count('route=/api/v1/kiosk/ratings ')
            before = sends()
            during = [k.rate(5) for _ in range(5)]
            # a few sends tried (and refused) meanwhile
            wait_until('the kiosk to try sending on the full disk',
                       lambda: sends() >= before + 2, 120, every=0.1)
            st = k.states()
            self.assertEqual(st.get('sent'), 5, st)
            self.assertEqual(st.get('pending'), 5, st)
            self.assertEqual(s.proc.poll(), None, 'the server died')
            # the server still answers what needs no disk
            self.assertEqual(s.get('/healthz').status in (200, 503), True)

            os.unlink(ballast)
            # no restart: the same process takes posts again
            def accepted():
                n = form_nonce()
                r = self.post(s, tok, n)
                self.assertIn(r.status, (200, 503), r)
                if r.status == 200:
                    acked.add(n)
                    return True
                return False
            wait_until('a form post accepted after the space is freed',
                       accepted, 120, every=0.5)
            for _ in range(10):
                n = form_nonce()
                r = self.post(s, tok, n)
                self.assertEqual(r.status, 200, r)
                acked.add(n)
            wait_until('the kiosk outbox to drain',
                       lambda: k.states() == {'sent': 10}, 120)
            self.assertEqual(s.proc.pid, pid)
            self.assertIsNone(s.proc.poll())
            k.cleanup()
            k = None
            self.assertEqual(s.stop(), 0)
            counts = stored_counts(db, acked, 'qr')
            self.assertEqual([i for i, c in counts.items() if c != 1], [])
            counts = stored_counts(db, kiosk_ids + during, 'kiosk')
            self.assertEqual([i for i, c in counts.items() if c != 1], [])
            c = sqlite3.connect(db)
            try:
                self.assertEqual(c.execute('PRAGMA integrity_check')
                                 .fetchone()[0], 'ok')
                # nothing half-written: every rating with a comment has
                # its text, no text without its rating
                orphans = c.execute(
                    'SELECT count(*) FROM rating_texts t WHERE NOT EXISTS '
                    '(SELECT 1 FROM ratings r WHERE r.seq = t.seq)'
                ).fetchone()[0]
                stored = c.execute("SELECT count(*) FROM ratings "
                                   "WHERE channel = 'qr'").fetchone()[0]
            finally:
                c.close()
            self.assertEqual(orphans, 0)
            # the 503s were the full disk, seen and logged as such
            self.assertIn('full', s.logs())
            v = integrity(db)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
            print(f'\n# diskfull: {len(acked)} form ratings acknowledged, '
                  f'{stored} stored, {full_answers} answered 503 while full, '
                  f'10 kiosk ratings kept and delivered, 0 lost')
        finally:
            if k is not None:
                k.cleanup()
            s.__exit__(None, None, None)


if __name__ == '__main__':
    unittest.main()
