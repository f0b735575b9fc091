"""Upgrades: a database at every earlier schema version is migrated and
keeps its data; a database newer than the binary is refused."""
import glob
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import unittest

from tests.api.hl import Server, run
from tests.api.opslib import ROOT

SCHEMAS = sorted(glob.glob(os.path.join(ROOT, 'schemas', '[0-9][0-9][0-9]_*.sql')))
# the migrations' numbers; one may be missing while the branches that
# reserved it are apart (store.c applies those present, in order)
NUMS = [int(os.path.basename(f)[:3]) for f in SCHEMAS]


def after(k, n):
    return [str(v) for v in NUMS if k < v <= n]


def current():
    return int(re.search(r'\(schema (\d+),', run('--version').stdout).group(1))


def columns(c, schema, table):
    return [r[1] for r in c.execute(f'PRAGMA {schema}.table_info({table})')]


def build_at(path, k, seed=None):
    """A database at schema version k, made by hand as that release's
    hailong would have: migrations 001..k, then data.  With `seed` (a
    database made by today's 'hailong init'), the rows a server needs --
    token keys, the instrument, consent texts, the reference data -- are
    copied into the tables and columns version k has."""
    c = sqlite3.connect(path)
    for f in (f for f, v in zip(SCHEMAS, NUMS) if v <= k):
        with open(f, encoding='utf-8') as sql:
            c.executescript(sql.read())
    c.execute(f'PRAGMA user_version = {k}')
    if k >= 1 and seed is not None:
        c.execute('ATTACH DATABASE ? AS seed', (seed,))
        for t in ('token_keys', 'instruments', 'consent_texts', 'units',
                  'unit_tree', 'procedures'):
            have = set(columns(c, 'seed', t))
            cols = ', '.join(x for x in columns(c, 'main', t)
                             if x in have)
            c.execute(f'INSERT INTO main.{t}({cols}) '
                      f'SELECT {cols} FROM seed.{t}')
        c.commit()
        c.execute('DETACH DATABASE seed')
    if k >= 1:
        c.execute("INSERT INTO meta(key, value) VALUES ('made_by', "
                  "'test_upgrade')")
        c.execute("INSERT INTO units(code, name, level) VALUES "
                  "('H99', 'Tỉnh Thử', 'province')")
        c.execute("INSERT INTO unit_tree VALUES ('H99', 'H99', 0)")
        c.execute("INSERT INTO counters(unit, number, name) VALUES "
                  "('H99', 1, 'Quầy 1')")
        add_old_rating(c)
    if k >= 3:
        # an API key made before keys had scopes (010)
        c.execute("INSERT INTO api_keys(unit, label, prefix, hash, "
                  "created_at, created_by) VALUES ('H99', 'old', "
                  "'hlk_oldoldol', zeroblob(32), 0, 'test_upgrade')")
    c.commit()
    c.close()


# A rating of January 2024 stored by hand at every version, with the
# chain value hailong computes (rating_canonical() in rating.h): after the
# upgrade it still verifies, and migration 009 lets it be folded, and
# nothing else delete it.
OLD_RATED_AT = 1704852000     # 2024-01-10T09:00:00+07:00
# It names a dossier of H21.227, not of its own unit: 010 marks it.
OLD_DOSSIER = 'H21.227-240110-0001'
OLD_RATING = ('hailong-rating-v1\nseq=1\nid=U1\nunit=H99\ncounter=1\n'
              f'officer=\nprocedure=\ndossier={OLD_DOSSIER}\n'
              'channel=import\nlevel=4\n'
              'criteria=,,,,,,,,\nsupplement_reported=\n'
              'online_error_reported=\nvisits=\nreasons=\n'
              f'rated_at={OLD_RATED_AT}\nreceived_at={OLD_RATED_AT}\n'
              'status=valid\nsource=test_upgrade\n')


def add_old_rating(c):
    chain = hashlib.sha256(bytes(32) + OLD_RATING.encode()).digest()
    c.execute("INSERT INTO ratings(seq, id, unit, counter, dossier, channel, "
              "level, rated_at, received_at, status, initial_status, source, "
              "chain) VALUES (1, 'U1', 'H99', 1, ?, 'import', 4, ?, ?, "
              "'valid', 'valid', 'test_upgrade', ?)",
              (OLD_DOSSIER, OLD_RATED_AT, OLD_RATED_AT, chain))
    c.execute("INSERT INTO dossiers(code, procedure, unit, channel, "
              "received_at, updated_at) VALUES (?, '1.001193', 'H21.227', 1, "
              "?, ?)", (OLD_DOSSIER, OLD_RATED_AT - 3600, OLD_RATED_AT))


def check_kept(test, db, n, k):
    c = sqlite3.connect(db)
    try:
        test.assertEqual(c.execute('PRAGMA user_version').fetchone()[0], n)
        test.assertEqual(c.execute('PRAGMA integrity_check').fetchone()[0],
                         'ok')
        if k >= 1:
            test.assertEqual(c.execute(
                "SELECT value FROM meta WHERE key = 'made_by'")
                .fetchone()[0], 'test_upgrade')
            test.assertEqual(c.execute(
                "SELECT name FROM units WHERE code = 'H99'").fetchone()[0],
                'Tỉnh Thử')
            test.assertEqual(c.execute(
                "SELECT count(*) FROM counters WHERE unit = 'H99'")
                .fetchone()[0], 1)
            test.assertEqual(c.execute(
                "SELECT count(*) FROM ratings WHERE id = 'U1'")
                .fetchone()[0], 1)
        if 1 <= k < 10 <= n:
            # 010: a rating naming another unit's dossier is marked
            test.assertEqual(c.execute(
                "SELECT dossier_unit FROM ratings_foreign_dossier "
                "WHERE seq = 1").fetchone()[0], 'H21.227')
        if n >= 10:
            # 010: a rating's key is unique per channel and unit
            test.assertIn('UNIQUE (channel, unit, id)', c.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'ratings'")
                .fetchone()[0])
            test.assertEqual(c.execute(
                "SELECT count(*) FROM sqlite_master WHERE tbl_name = "
                "'ratings' AND type IN ('index', 'trigger') AND sql IS NOT "
                "NULL").fetchone()[0], 3)
        if k >= 3 and n >= 10:
            # 010: a key made before scopes may do all it could before
            test.assertEqual(c.execute(
                "SELECT scopes FROM api_keys WHERE label = 'old'")
                .fetchone()[0], 7)
        if k >= 1 and n >= 9:
            # 009: the old trigger is replaced, and still refuses
            with test.assertRaises(sqlite3.DatabaseError):
                c.execute('DELETE FROM ratings')
            c.rollback()
    finally:
        c.close()
    p = run('verify-chain', '--db', db)
    if k >= 1:
        test.assertIn('ratings: 1 rows, 0 folded, chain intact', p.stdout)
    if k >= 1 and n >= 9:
        # the upgraded database folds like a new one
        p = run('retention', '--db', db, '--fold-months', '13')
        test.assertIn('folded into counts: 1 ratings (1 valid) in 1 months, '
                      '2024-01 to 2024-01', p.stdout)
        p = run('verify-chain', '--db', db)
        test.assertIn('ratings: 0 rows, 1 folded, chain intact', p.stdout)
        p = run('metrics', '--db', db, '--unit', 'H99', '--month', '2024-01',
                '--json', '--recompute')
        test.assertEqual(json.loads(p.stdout)['total']['ratings'], 1)


class Upgrade(unittest.TestCase):
    def test_the_binary_knows_every_migration_file(self):
        self.assertEqual(current(), NUMS[-1])
        # numbered from 1, each number once, in order
        self.assertEqual(NUMS[0], 1)
        self.assertEqual(NUMS, sorted(set(NUMS)))

    def serve_migrates(self, db, k, n):
        """Start a server on db (at version k): it migrates at start, logs
        each migration, and answers."""
        s = Server(init=False, db=db, name=f'upgrade-{k}')
        try:
            s.start()
            self.assertEqual(s.get('/healthz').status, 200)
            self.assertEqual(s.stop(), 0)
            self.assertEqual(
                re.findall(r'event=migrate version=(\d+)', s.logs()),
                after(k, n))
        finally:
            s.__exit__(None, None, None)

    def test_every_earlier_version_migrates_and_keeps_its_data(self):
        n = current()
        with tempfile.TemporaryDirectory() as d:
            seed = os.path.join(d, 'seed.db')
            run('init', '--db', seed)
            for k in range(0, n):
                with self.subTest(from_version=k):
                    db = os.path.join(d, f'v{k}.db')
                    build_at(db, k, seed)
                    if k == 0:
                        # nothing but a file: 'init' makes it whole
                        p = run('init', '--db', db)
                        self.assertIn(f'(schema {n})', p.stdout)
                        self.assertEqual(
                            re.findall(r'event=migrate version=(\d+)',
                                       p.stderr),
                            after(0, n))
                    else:
                        self.serve_migrates(db, k, n)
                    check_kept(self, db, n, k)

    def test_the_hand_built_database_serves(self):
        """The way this test builds old versions makes a database a server
        runs on (checked at today's version, where nothing migrates), so
        the loop above is sound once there are older versions."""
        n = current()
        with tempfile.TemporaryDirectory() as d:
            seed = os.path.join(d, 'seed.db')
            run('init', '--db', seed)
            db = os.path.join(d, 'now.db')
            build_at(db, n, seed)
            self.serve_migrates(db, n, n)
            check_kept(self, db, n, n)

    def test_a_newer_database_is_refused(self):
        n = current()
        with Server(name='newer') as s:
            with s.db() as c:
                c.execute(f'PRAGMA user_version = {n + 1}')
            want = (f"has schema version {n + 1} but this hailong knows "
                    f"only up to {n}; use a newer hailong (downgrades are "
                    f"not supported)")
            for args in (['init', '--db', s.db_path],
                         ['serve', '--db', s.db_path, '--listen',
                          '127.0.0.1:0']):
                p = run(*args, check=False)
                self.assertEqual(p.returncode, 1, args)
                self.assertIn(want, p.stderr)
                self.assertNotIn('listening', p.stdout)
            # untouched
            with s.db() as c:
                self.assertEqual(
                    c.execute('PRAGMA user_version').fetchone()[0], n + 1)
            # and a backup of it cannot be restored by this binary
            backup = os.path.join(s.dir, 'newer-backup.db')
            run('backup', '--db', s.db_path, '--out', backup)
            target = os.path.join(s.dir, 'target.db')
            p = run('restore', '--db', target, '--from', backup,
                    check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn(want.split(';')[0].split("' ")[-1], p.stderr)
            self.assertFalse(os.path.exists(target))


if __name__ == '__main__':
    unittest.main()
