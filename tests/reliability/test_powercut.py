"""A simulated power cut: every acknowledged rating survives.

kill -9 is not a power cut: the kernel keeps what the process wrote, synced
or not, so test_crash.py passes with synchronous=NORMAL.  Here the server
runs with powercut.so preloaded (tests/reliability/powercut.c), which keeps
for the database and its WAL a copy of each as of its last fsync()/
fdatasync().  Form posts run in threads; right after some acknowledgements
the server is killed with SIGKILL, and its files are replaced by those
copies: what a power cut at that moment would have left.  Every rating
answered 200 must be in that database, which must pass integrity_check;
the server then starts again on it, and at the end verify-chain passes.

With synchronous=NORMAL SQLite syncs the WAL only at checkpoints (the
server's checkpointer, every 200 ms), so the ratings acknowledged since
the last one are lost and this test fails.
"""
import glob
import os
import random
import shutil
import sqlite3
import tempfile
import unittest

from tests.api.kioskhl import wait_until
from tests.reliability.rel import (Load, Server, build_shim, integrity, pick,
                                   sanitized, stored_counts, with_shim)

CUTS = pick(3, 12)


class PowercutServer(Server):
    """A Server whose files can be left as a power cut would leave them."""

    def __init__(self, *args, data_dir, **kw):
        super().__init__(*args, db=os.path.join(data_dir, 'hailong.db'), **kw)
        self.data_dir = data_dir

    def power_cut(self):
        """Kill the server; leave its files as a power cut would."""
        self.kill()
        for f in (self.db_path, self.db_path + '-wal'):
            if os.path.exists(f + '.durable'):
                os.replace(f + '.durable', f)
        for f in glob.glob(os.path.join(self.data_dir, '*.durable*')):
            os.unlink(f)
        if os.path.exists(self.db_path + '-shm'):
            os.unlink(self.db_path + '-shm')


@unittest.skipIf(sanitized(), 'an ASan build cannot take LD_PRELOAD')
class PowerCut(unittest.TestCase):
    def test_power_cut_loses_nothing_acknowledged(self):
        work = tempfile.mkdtemp(prefix='hailong-powercut-')
        data = os.path.join(work, 'data')
        os.mkdir(data)
        s = PowercutServer('--rate-limit-per-min', '0', name='powercut',
                           data_dir=data)
        with_shim(s, build_shim(work), data)
        load = None
        rng = random.Random()
        checked = 0
        try:
            s.start()
            # form posts only: a kiosk enrolment is a write by another
            # process, which the shim in the server would not see
            load = Load(s, forms=3, kiosks=0).start()
            for n in range(CUTS):
                before = load.total_acked()
                # cut right after some acknowledgements
                want = before + rng.randint(5, 40)
                wait_until('ratings acknowledged after a restart',
                           lambda: load.total_acked() >= want, 120,
                           every=0.002)
                s.power_cut()
                acked = load.acked_forms()
                lost = [i for i, k in stored_counts(s.db_path, acked, 'qr')
                        .items() if k != 1]
                self.assertEqual(lost, [], f'cut {n + 1}: acknowledged '
                                 f'ratings lost in a power cut')
                c = sqlite3.connect(s.db_path)
                try:
                    ok = c.execute('PRAGMA integrity_check').fetchone()[0]
                finally:
                    c.close()
                self.assertEqual(ok, 'ok')
                checked = len(acked)
                s.start()
                load.port = s.port
            wait_until('ratings acknowledged after the last restart',
                       lambda: load.total_acked() >= checked + 5, 120)
            load.stop()
            self.assertEqual(s.stop(), 0)
            self.assertEqual(load.errors, [], load.statuses)
            v = integrity(s.db_path)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
            print(f'\n# powercut: {CUTS} simulated power cuts, {checked} '
                  f'form ratings acknowledged before the last, 0 lost')
        finally:
            if load is not None:
                load.stop()
            s.__exit__(None, None, None)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    unittest.main()
