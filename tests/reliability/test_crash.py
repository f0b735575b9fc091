"""kill -9 under load: every acknowledged rating is stored, exactly once.

Form posts and signed kiosk batches run in threads against a real server;
the server is killed with SIGKILL at random moments and started again on
the same database.  A rating counts when the server answered 2xx; those
must all be in the database once, the file must pass
PRAGMA integrity_check and both hash chains must verify.

The kills at random moments rarely land between an answer and its COMMIT,
so a server that answered before committing would pass them: the second
test kills the server from the client thread itself, the instant it
receives a 2xx, many times, with several clients posting (some answer is
then always the newest).  A rating answered before its COMMIT reached the
file is lost to that kill.
"""
import os
import random
import shutil
import signal
import sqlite3
import tempfile
import threading
import time
import unittest

from tests.api.kioskhl import wait_until
from tests.reliability.rel import (Load, Server, build_shim, integrity, pick,
                                   sanitized, stored_counts, with_shim)

KILLS = pick(3, 20)
KILLS_AT_ANSWER = pick(15, 100)


class CrashUnderLoad(unittest.TestCase):
    def check_stored(self, s, load):
        """Every acknowledged rating stored once; file and chains sound."""
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
        return forms, kiosk, total

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
            forms, kiosk, total = self.check_stored(s, load)
            print(f'\n# crash: {KILLS} kill -9 survived, '
                  f'{len(forms)} form + {len(kiosk)} kiosk ratings '
                  f'acknowledged, {total} stored, 0 lost, 0 twice; '
                  f'answers {sorted(load.statuses.items(), key=str)}')
        finally:
            if load is not None:
                load.stop()
            s.__exit__(None, None, None)

    def test_kill_9_the_instant_an_answer_arrives(self):
        s = Server('--rate-limit-per-min', '0', name='crash-answer')
        work = tempfile.mkdtemp(prefix='hailong-crash-')
        if not sanitized():
            # a slow disk: 1 ms before each write to the database files,
            # so that an answer given before its COMMIT's writes would
            # leave the kill time to land before them
            with_shim(s, build_shim(work), s.dir, delay_us=1000)
        s.start()
        load = None
        armed = threading.Event()
        killed = threading.Event()
        gate = threading.Lock()

        def kill_now():
            # the first client thread to hear a 2xx once armed kills
            with gate:
                if armed.is_set() and s.proc is not None:
                    os.kill(s.proc.pid, signal.SIGKILL)
                    armed.clear()
                    killed.set()

        try:
            load = Load(s, forms=3, kiosks=1, batch=3).start()
            load.on_ack = kill_now
            rng = random.Random()
            for n in range(KILLS_AT_ANSWER):
                before = load.total_acked()
                want = before + rng.randint(1, 12)
                wait_until('ratings acknowledged after a restart',
                           lambda: load.total_acked() >= want, 120,
                           every=0.002)
                killed.clear()
                armed.set()
                wait_until('a kill at an answer', killed.is_set, 120,
                           every=0.002)
                with gate:
                    s.kill()
                s.start()
                load.port = s.port
            wait_until('ratings acknowledged after the last restart',
                       lambda: load.total_acked() >= before + 10, 120)
            load.on_ack = None
            load.stop()
            self.assertEqual(s.stop(), 0)
            forms, kiosk, total = self.check_stored(s, load)
            print(f'\n# crash: {KILLS_AT_ANSWER} kill -9 the instant a 2xx '
                  f'arrived, {len(forms)} form + {len(kiosk)} kiosk '
                  f'ratings acknowledged, {total} stored, 0 lost, 0 twice')
        finally:
            if load is not None:
                load.on_ack = None
                load.stop()
            s.__exit__(None, None, None)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    unittest.main()
