"""An online backup while ratings pour in, restored into a fresh server.

Every rating acknowledged before `hailong backup` started is in the copy;
the copy's ratings and audit rows are exactly a prefix of the source's
(same seq, id and chain hash: the copy is the source at one moment); the
restored database passes integrity_check and both chains; a server on it
takes new ratings.
"""
import os
import sqlite3
import unittest

from tests.api.kioskhl import wait_until
from tests.reliability.rel import (Load, Server, integrity, pick, run,
                                   stored_counts)

ROUNDS = pick(1, 3)


def rows(path, sql):
    c = sqlite3.connect(path, timeout=30)
    try:
        return c.execute(sql).fetchall()
    finally:
        c.close()


class BackupUnderLoad(unittest.TestCase):
    def test_backup_while_posting_then_restore(self):
        s = Server('--rate-limit-per-min', '0', name='backup-load').start()
        load = None
        try:
            load = Load(s, forms=2, kiosks=1, batch=5).start()
            copies = []
            for i in range(ROUNDS):
                wait_until('load before the backup',
                           lambda: load.total_acked() >= 50 * (i + 1), 120)
                forms, kiosk = load.acked_forms(), load.acked_kiosk()
                out = os.path.join(s.dir, f'copy{i}.db')
                run('backup', '--db', s.db_path, '--out', out)
                after = load.total_acked()
                copies.append((out, forms, kiosk))
                self.assertEqual(oct(os.stat(out).st_mode & 0o777), '0o600')
            # the load went on during the backups
            wait_until('load after the backups',
                       lambda: load.total_acked() > after, 120)
            load.stop()
            self.assertEqual(load.errors, [], load.statuses)
            self.assertEqual(s.stop(), 0)
            src_r = rows(s.db_path, 'SELECT seq, channel, id, chain FROM '
                         'ratings ORDER BY seq')
            src_a = rows(s.db_path, 'SELECT seq, action, chain FROM audit '
                         'ORDER BY seq')
            for out, forms, kiosk in copies:
                got_r = rows(out, 'SELECT seq, channel, id, chain FROM '
                             'ratings ORDER BY seq')
                got_a = rows(out, 'SELECT seq, action, chain FROM audit '
                             'ORDER BY seq')
                # the copy is the source at one moment
                self.assertEqual(got_r, src_r[:len(got_r)])
                self.assertEqual(got_a, src_a[:len(got_a)])
                self.assertEqual(
                    [i for i, n in stored_counts(out, forms, 'qr').items()
                     if n != 1], [])
                self.assertEqual(
                    [i for i, n in stored_counts(out, kiosk, 'kiosk').items()
                     if n != 1], [])
            # restore the last copy into a fresh server
            out, forms, kiosk = copies[-1]
            n_copy = len(rows(out, 'SELECT seq FROM ratings'))
            fresh = Server('--rate-limit-per-min', '0', init=False,
                           name='restored')
            fresh.db_path = os.path.join(fresh.dir, 'hailong.db')
            p = run('restore', '--db', fresh.db_path, '--from', out)
            v = integrity(fresh.db_path)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
            self.assertIn(f'ratings: {n_copy} rows, 0 folded, chain intact',
                          v.stdout)
            self.assertEqual(rows(fresh.db_path, 'PRAGMA integrity_check'),
                             [('ok',)])
            self.assertEqual(rows(fresh.db_path, 'SELECT seq, channel, id, '
                                  'chain FROM ratings ORDER BY seq'),
                             src_r[:n_copy])
            fresh.start()
            try:
                again = Load(fresh, forms=1, kiosks=0).start()
                wait_until('ratings on the restored server',
                           lambda: again.total_acked() >= 10, 120)
                again.stop()
                self.assertEqual(again.errors, [])
            finally:
                fresh.__exit__(None, None, None)
            print(f'\n# backup: {ROUNDS} online backup(s) under load, '
                  f'{len(forms) + len(kiosk)} acknowledged before the last '
                  f'one, all in it; copy {n_copy} of {len(src_r)} source rows '
                  f'(an exact prefix); restored and serving '
                  f'({p.stdout.strip().splitlines()[0]})')
        finally:
            if load is not None:
                load.stop()
            s.__exit__(None, None, None)


if __name__ == '__main__':
    unittest.main()
