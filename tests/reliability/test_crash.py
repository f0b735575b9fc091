"""kill -9 under load: every acknowledged rating is stored, exactly once.

Form posts and signed kiosk batches run in threads against a real server;
the server is killed with SIGKILL at random moments and started again on
the same database.  A rating counts when the server answered 2xx; those
must all be in the database once, the file must pass
PRAGMA integrity_check and both hash chains must verify.
"""
import random
import sqlite3
import time
import unittest

from tests.api.kioskhl import wait_until
from tests.reliability.rel import (Load, Server, integrity, pick,
                                   stored_counts)

KILLS = pick(3, 20)


class CrashUnderLoad(unittest.TestCase):
    def test_kill_9_loses_nothing_acknowledged(self):
        s = Server('--rate-limit-per-min', '0', name='crash').start()
        load = None
        try:
            load = Load(s, forms=2, kiosks=1, batch=5).start()
            rng = random.Random()
            for n in range(KILLS):
                before = load.total_acked()
                # wait for some traffic to have been acknowledged since the
                # last start, then kill at a random moment after that
                wait_until('ratings acknowledged after a restart',
                           lambda: load.total_acked() >= before + 10, 120,
                           every=0.01)
                time.sleep(rng.uniform(0.0, pick(0.5, 1.5)))
                s.kill()
                s.start()
                load.port = s.port
            wait_until('ratings acknowledged after the last restart',
                       lambda: load.total_acked() >= before + 10, 120)
            load.stop()
            rc = s.stop()
            self.assertEqual(rc, 0)
            forms, kiosk = load.acked_forms(), load.acked_kiosk()
            self.assertEqual(load.errors, [], load.statuses)
            lost = [i for i, n in stored_counts(s.db_path, forms, 'qr')
                    .items() if n != 1]
            lost += [i for i, n in stored_counts(s.db_path, kiosk, 'kiosk')
                     .items() if n != 1]
            self.assertEqual(lost, [], 'acknowledged ratings not stored once')
            c = sqlite3.connect(s.db_path)
            try:
                dup = c.execute('SELECT count(*) FROM (SELECT 1 FROM ratings '
                                'GROUP BY channel, id HAVING count(*) > 1)'
                                ).fetchone()[0]
                ok = c.execute('PRAGMA integrity_check').fetchone()[0]
                total = c.execute('SELECT count(*) FROM ratings').fetchone()[0]
            finally:
                c.close()
            self.assertEqual(dup, 0)
            self.assertEqual(ok, 'ok')
            v = integrity(s.db_path)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
            # acknowledged <= stored <= sent: an answer lost in a crash may
            # leave a stored rating the client did not hear about
            self.assertGreaterEqual(total, len(forms) + len(kiosk))
            print(f'\n# crash: {KILLS} kill -9 survived, '
                  f'{len(forms)} form + {len(kiosk)} kiosk ratings '
                  f'acknowledged, {total} stored, 0 lost, 0 twice; '
                  f'answers {sorted(load.statuses.items(), key=str)}')
        finally:
            if load is not None:
                load.stop()
            s.__exit__(None, None, None)


if __name__ == '__main__':
    unittest.main()
