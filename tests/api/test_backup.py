"""hailong backup and restore: online copies, rotation, and a restore that
refuses a database in use and a backup that does not verify."""
import glob
import os
import sqlite3
import stat
import tempfile
import threading
import unittest

from tests.api.hl import Server, run
from tests.api.opslib import rate


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def ratings(path):
    c = sqlite3.connect(path)
    try:
        return [r[0] for r in c.execute('SELECT id FROM ratings ORDER BY seq')]
    finally:
        c.close()


class Backup(unittest.TestCase):
    def test_online_backup_rotation_and_restore(self):
        with Server('--rate-limit-per-min', '0', name='backup') as s:
            ids = [rate(s, level=l, comment=f'ý kiến {l}')[1]
                   for l in (5, 4, 2)]
            bdir = os.path.join(s.dir, 'backups')
            # while the server runs and holds the database
            p = run('backup', '--db', s.db_path, '--dir', bdir, '--keep',
                    '2')
            made = sorted(glob.glob(os.path.join(bdir, 'hailong-*.db')))
            self.assertEqual(len(made), 1)
            self.assertIn(f'backup: {made[0]} (', p.stdout)
            # one log line for the event, with the file and its size
            lines = [l for l in p.stderr.splitlines()
                     if 'event=backup' in l]
            self.assertEqual(len(lines), 1, p.stderr)
            self.assertIn(f'file={os.path.basename(made[0])} bytes='
                          f'{os.path.getsize(made[0])} ', lines[0])
            st = os.stat(made[0])
            self.assertEqual(stat.S_IMODE(st.st_mode), 0o600)
            # one self-contained file: no -wal beside it, opens read-only
            self.assertEqual(glob.glob(made[0] + '-*'), [])
            self.assertEqual(ratings(made[0]), ids)
            run('verify-chain', '--db', made[0])

            # a restore is refused while the server runs; nothing changes
            p = run('restore', '--db', s.db_path, '--from', made[0],
                    check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn('is in use', p.stderr)
            self.assertIn('stop the server first', p.stderr)
            self.assertEqual(glob.glob(s.db_path + '.pre-restore-*'), [])

            # rotation: the oldest go, only files named like backups
            for old in ('hailong-20200101-030000.db',
                        'hailong-20200102-030000.db'):
                with open(made[0], 'rb') as f, \
                        open(os.path.join(bdir, old), 'wb') as g:
                    g.write(f.read())
            write(os.path.join(bdir, 'notes.txt'), b'mine')
            os.unlink(made[0])
            p = run('backup', '--db', s.db_path, '--dir', bdir, '--keep',
                    '2')
            self.assertIn('rotation: 1 older backup deleted, 2 kept',
                          p.stdout)
            left = sorted(os.listdir(bdir))
            self.assertEqual(len(left), 3, left)
            self.assertEqual(left[0], 'hailong-20200102-030000.db')
            self.assertRegex(left[1], r'^hailong-\d{8}-\d{6}\.db$')
            self.assertEqual(left[2], 'notes.txt')

    def test_backup_while_ratings_arrive(self):
        # whatever the interleaving, each copy is one consistent moment:
        # its chain verifies and its ratings are a prefix of the final ones
        with Server('--rate-limit-per-min', '0', name='backup-busy') as s:
            tok = s.token(counter=1, procedure='1.001193')
            done = threading.Event()
            sent = []

            def post():
                try:
                    while not done.is_set() and len(sent) < 400:
                        sent.append(rate(s, level=1 + len(sent) % 5,
                                         tok=tok)[1])
                finally:
                    done.set()

            t = threading.Thread(target=post)
            t.start()
            copies = []
            try:
                for i in range(3):
                    out = os.path.join(s.dir, f'busy-{i}.db')
                    run('backup', '--db', s.db_path, '--out', out)
                    copies.append(out)
            finally:
                done.set()
                t.join()
            final = ratings(s.db_path)
            self.assertEqual(final, sent)
            for out in copies:
                got = ratings(out)
                self.assertEqual(got, final[:len(got)])
                p = run('verify-chain', '--db', out)
                self.assertIn(f'ratings: {len(got)} rows, 0 folded, chain '
                              'intact', p.stdout)

    def test_restore_replaces_and_keeps_the_old(self):
        s = Server('--rate-limit-per-min', '0', name='restore')
        try:
            s.start()
            first = [rate(s, level=l)[1] for l in (5, 3)]
            backup = os.path.join(s.dir, 'first.db')
            run('backup', '--db', s.db_path, '--out', backup)
            second = rate(s, level=1)[1]
            self.assertEqual(s.stop(), 0)
            self.assertEqual(ratings(s.db_path), first + [second])

            p = run('restore', '--db', s.db_path, '--from', backup)
            self.assertIn(f'restored: {s.db_path} from {backup}', p.stdout)
            self.assertIn('2 ratings', p.stdout)
            lines = [l for l in p.stderr.splitlines()
                     if 'event=restore' in l]
            self.assertEqual(len(lines), 1, p.stderr)
            self.assertRegex(lines[0], r'from=first\.db kept=h(ailong)?\.db'
                             r'\.pre-restore-\d{8}-\d{6} ratings=2 ')
            self.assertIn('chains intact', p.stdout)
            self.assertEqual(ratings(s.db_path), first)
            kept = glob.glob(s.db_path + '.pre-restore-*')
            self.assertEqual(len(kept), 1)
            self.assertIn(f'kept as {kept[0]}', p.stdout)
            self.assertEqual(ratings(kept[0]), first + [second])
            self.assertEqual(stat.S_IMODE(os.stat(kept[0]).st_mode), 0o600)
            # the restore is in the restored database's audit chain
            c = sqlite3.connect(s.db_path)
            actions = [r[0] for r in c.execute(
                'SELECT action FROM audit ORDER BY seq')]
            c.close()
            self.assertEqual(actions[-1], 'restore')
            run('verify-chain', '--db', s.db_path)
            # and the server runs on it and takes ratings again
            s.start()
            self.assertEqual(rate(s, level=4)[0].status, 200)
            self.assertEqual(len(ratings(s.db_path)), 3)
        finally:
            s.__exit__(None, None, None)

    def test_restore_refuses_a_backup_that_does_not_verify(self):
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, 'h.db')
            s = Server('--rate-limit-per-min', '0', db=db, name='tamper')
            s.start()
            ids = [rate(s, level=l)[1] for l in (5, 2)]
            good = os.path.join(d, 'good.db')
            run('backup', '--db', db, '--out', good)
            s.stop()
            before = read(db)

            # a rating edited behind hailong's back (the trigger dropped)
            bad = os.path.join(d, 'bad.db')
            with open(good, 'rb') as f, open(bad, 'wb') as g:
                g.write(f.read())
            c = sqlite3.connect(bad)
            c.execute('DROP TRIGGER ratings_immutable')
            c.execute('UPDATE ratings SET level = 5 WHERE level = 2')
            c.commit()
            c.close()
            p = run('restore', '--db', db, '--from', bad, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn('does not verify: the ratings hash chain is '
                          'broken at seq 2: the row does not hash to its '
                          'chain value', p.stderr)
            self.assertIn('; nothing was changed', p.stderr)

            # not a database at all
            junk = os.path.join(d, 'junk.db')
            with open(junk, 'wb') as f:
                f.write(b'not a database' * 100)
            p = run('restore', '--db', db, '--from', junk, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn('is not a hailong database', p.stderr)

            # a database of another program
            other = os.path.join(d, 'other.db')
            c = sqlite3.connect(other)
            c.execute('CREATE TABLE t(x)')
            c.commit()
            c.close()
            p = run('restore', '--db', db, '--from', other, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn('is not a hailong database', p.stderr)

            # a database some other program holds open
            holder = sqlite3.connect(db)
            holder.execute('SELECT count(*) FROM ratings').fetchone()
            p = run('restore', '--db', db, '--from', good, check=False)
            holder.close()
            self.assertEqual(p.returncode, 1)
            self.assertIn('is in use by another program', p.stderr)

            # none of it touched the database or left files behind
            self.assertEqual(read(db), before)
            self.assertEqual(ratings(db), ids)
            self.assertEqual(sorted(os.listdir(d)),
                             ['bad.db', 'good.db', 'h.db', 'junk.db',
                              'other.db'])
            s.__exit__(None, None, None)

    def test_restore_over_a_damaged_or_missing_database(self):
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, 'h.db')
            s = Server('--rate-limit-per-min', '0', db=db, name='damaged')
            s.start()
            ids = [rate(s, level=4)[1]]
            good = os.path.join(d, 'good.db')
            run('backup', '--db', db, '--out', good)
            s.stop()
            # the disk ate the file
            with open(db, 'r+b') as f:
                f.write(b'\0' * 4096)
            p = run('restore', '--db', db, '--from', good)
            kept = glob.glob(db + '.damaged-*')
            self.assertEqual(len(kept), 1)
            self.assertIn(f'kept as {kept[0]}', p.stdout)
            self.assertEqual(ratings(db), ids)
            # gone altogether
            os.unlink(db)
            p = run('restore', '--db', db, '--from', good)
            self.assertNotIn('kept as', p.stdout)
            self.assertEqual(ratings(db), ids)
            self.assertEqual(stat.S_IMODE(os.stat(db).st_mode), 0o600)
            run('verify-chain', '--db', db)
            s.__exit__(None, None, None)

    def test_out_refuses_to_overwrite(self):
        with Server(name='backup-exists') as s:
            out = os.path.join(s.dir, 'b.db')
            write(out, b'keep me')
            p = run('backup', '--db', s.db_path, '--out', out, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn('exists; refusing to overwrite it', p.stderr)
            self.assertEqual(read(out), b'keep me')
            p = run('backup', '--db', s.db_path, '--out', out, '--keep',
                    '3', check=False)
            self.assertEqual(p.returncode, 2)


if __name__ == '__main__':
    unittest.main()
