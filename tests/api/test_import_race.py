"""Two dossier imports at once: the newest version of each dossier wins.

`hailong import dossiers` checks the file against the database in one
transaction and writes in another, so another import can write the same
dossiers in between; then only dossier_upsert()'s guard (`WHERE
excluded.updated_at > dossiers.updated_at`) keeps an older version from
replacing a newer one.  Each round runs two import processes at once on
the same codes, an older and a newer version (the newer one's rows in
reverse order, so the two meet in the middle), started in a random
order; after both, every dossier must hold the newer version, and the
figures from the rollups must equal those recomputed from the rows.
15 rounds here; `make reliability` runs 40 (test_import_race_long.py).
"""
import os
import random
import subprocess
import unittest

from tests.api.hl import BIN, Server, run
from tests.api.test_import import HEADER

CODES = 1500


def dossier(i, version):
    """Dossier i as of version v (updated_at and supplement_seconds say v)."""
    return ','.join([
        f'H21.227-251001-{i:04d}', '1.001193', 'H21.227', '2',
        '2025-10-01T08:00:00+07:00', '2025-10-10T17:00:00+07:00',
        # odd versions finished, even ones open: the rollups see the change
        '2025-10-09T17:00:00+07:00' if version % 2 else '',
        '1', str(version), '0', '0', '1', '0',
        f'2025-10-{1 + version // 1440:02d}T'
        f'{version % 1440 // 60:02d}:{version % 60:02d}:00+07:00'])


class ImportRace(unittest.TestCase):
    rounds = 15     # 40 in make reliability (tests/reliability/)

    def setUp(self):
        self.s = Server(name='import-race')   # a database, no server

    def tearDown(self):
        self.s.__exit__(None, None, None)

    def file(self, name, rows):
        path = os.path.join(self.s.dir, name)
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write(HEADER + '\n' + '\n'.join(rows) + '\n')
        return path

    def test_an_older_import_never_overwrites_a_newer(self):
        rng = random.Random()
        first = self.file('v0.csv', [dossier(i, 0) for i in range(CODES)])
        run('import', 'dossiers', '--db', self.s.db_path, first)
        for r in range(self.rounds):
            old, new = 2 * r + 1, 2 * r + 2
            files = {
                old: self.file('old.csv',
                               [dossier(i, old) for i in range(CODES)]),
                new: self.file('new.csv', [dossier(i, new)
                                           for i in reversed(range(CODES))]),
            }
            order = [old, new]
            rng.shuffle(order)
            procs = [subprocess.Popen(
                [BIN, 'import', 'dossiers', '--db', self.s.db_path,
                 files[v]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True) for v in order]
            for p in procs:
                out, err = p.communicate(timeout=300)
                self.assertEqual(p.returncode, 0, out + err)
            with self.s.db() as c:
                wrong = c.execute(
                    'SELECT count(*) FROM dossiers WHERE supplement_seconds '
                    '!= ?', (new,)).fetchone()[0]
            self.assertEqual(wrong, 0, f'round {r + 1}: {wrong} of {CODES} '
                             'dossiers hold the older version')
        args = ('metrics', '--db', self.s.db_path, '--unit', 'H21.227',
                '--month', '2025-10', '--as-of', '2025-11-05T00:00:00+07:00',
                '--json')
        self.assertEqual(run(*args).stdout,
                         run(*args, '--recompute').stdout)
        print(f'\n# import race: {self.rounds} rounds of two imports of '
              f'{CODES} dossiers at once: the newer version held every time')


if __name__ == '__main__':
    unittest.main()
