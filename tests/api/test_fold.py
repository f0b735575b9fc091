"""hailong retention --fold-months: old months folded into counts while a
server runs; figures, chain and signed anchors kept; late ratings refused
on every channel."""
import calendar
import json
import os
import re
import sqlite3
import time
import unittest
import uuid

from tests.api.hl import Browser, Server, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw, item

RATINGS = '/api/v1/kiosk/ratings'
P1 = '1.001193'
PW = 'mật-khẩu-đủ-dài-2026'
VN = 7 * 3600


def month_add(ym, k):
    y, m = divmod(ym[0] * 12 + ym[1] - 1 + k, 12)
    return (y, m + 1)


def ym_s(ym):
    return f'{ym[0]:04d}-{ym[1]:02d}'


def now_month():
    t = time.gmtime(time.time() + VN)
    return (t.tm_year, t.tm_mon)


def day(ym, d, hour=9):
    return f'{ym_s(ym)}-{d:02d}T{hour:02d}:00:00+07:00'


def start_of(ym):
    return f'{ym_s(ym)}-01T00:00:00+07:00'


KEYS = ['id', 'unit', 'level', 'procedure', 'counter', 'dossier', 'comment',
        'rated_at']


def csv_file(path, rows):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(','.join(KEYS) + '\n')
        for r in rows:
            f.write(','.join(str(r.get(k, '')) for k in KEYS) + '\n')
    return path


def bearer(key):
    return {'Authorization': 'Bearer ' + key}


class Fold(unittest.TestCase):
    """One server; the fold runs beside it, as the timer would."""

    def setUp(self):
        self.s = Server('--rate-limit-per-min', '0', name='fold')
        self.s.start()
        s = self.s
        cur = now_month()
        # with N = 13, months up to cur - 14 are folded
        self.a = month_add(cur, -20)
        self.b = month_add(cur, -14)
        self.c = month_add(cur, -13)    # the oldest month kept raw
        self.cutoff = self.b
        a, b, c = self.a, self.b, self.c
        run('import', 'ratings', '--db', s.db_path, csv_file(
            os.path.join(s.dir, 'old.csv'), [
                {'id': 'O1', 'unit': 'H21.227', 'level': 5,
                 'procedure': P1, 'comment': 'tốt lắm 0912 345 678',
                 'rated_at': day(a, 3)},
                {'id': 'O2', 'unit': 'H21.227', 'level': 4, 'counter': 1,
                 'rated_at': day(a, 4)},
                {'id': 'O3', 'unit': 'H21.227', 'level': 1,
                 'dossier': 'H21.227-240101-0001', 'comment': 'chậm',
                 'rated_at': day(a, 5)},
                {'id': 'O4', 'unit': 'H21.227', 'level': 2,
                 'comment': 'không hài lòng', 'rated_at': day(a, 6)},
                {'id': 'O5', 'unit': 'H21.227', 'level': 3, 'procedure': P1,
                 'rated_at': day(b, 28, 23)},
                {'id': 'O6', 'unit': 'H21.227', 'level': 5, 'counter': 2,
                 'rated_at': day(b, 2)},
                {'id': 'R1', 'unit': 'H21.227', 'level': 4, 'procedure': P1,
                 'comment': 'vẫn giữ', 'rated_at': day(c, 1, 0)},
                {'id': 'R2', 'unit': 'H21.227', 'level': 2,
                 'rated_at': day(month_add(cur, -1), 10)},
            ]))
        # a kiosk's rating of the oldest month, through the signed API
        _, code, _ = add_kiosk(s, counter=3)
        body = enrol_raw(s, code).json()
        self.k = Signer(body['kiosk'], body['secret'])
        self.k1 = str(uuid.uuid4())
        r = self.batch([item(self.k1, 4, seq=1, rated_at=day(a, 7))])
        self.assertEqual(r.json()['results'][0]['status'], 'accepted')
        self.conf = os.path.join(s.dir, 'h.conf')
        with open(self.conf, 'w') as f:
            f.write(f'db = {s.db_path}\nretention_fold_months = 13\n')

    def tearDown(self):
        self.s.__exit__(None, None, None)

    def batch(self, items):
        r, nonce = self.k.call(self.s, 'POST', RATINGS, {'ratings': items})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(self.k.response_ok(r, nonce))
        return r

    def figures(self, ym, *extra):
        end = start_of(month_add(ym, 1))
        p = run('metrics', '--db', self.s.db_path, '--unit', 'H21',
                '--month', ym_s(ym), '--as-of', end, '--json', *extra)
        return json.loads(p.stdout)

    def state(self):
        with self.s.db() as c:
            return {t: c.execute(f'SELECT count(*) FROM {t}').fetchone()[0]
                    for t in ('ratings', 'rating_texts', 'ratings_folded',
                              'rating_folds', 'folded_procedure', 'audit')}

    def report(self, ym, keys):
        d = os.path.join(self.s.dir, f'r-{ym_s(ym)}-{time.time_ns()}')
        run('report', 'build', '--db', self.s.db_path, '--unit', 'H21.227',
            '--month', ym_s(ym), '--as-of', start_of(month_add(ym, 1)),
            '--out', d)
        run('report', 'sign', '--key', f'{keys}/H21.227.key.pem', '--cert',
            f'{keys}/H21.227.cert.pem', d)
        with open(f'{d}/report.json', 'rb') as f:
            return d, f.read()

    def test_dry_run_run_and_what_stays_verifiable(self):
        s = self.s
        keys = os.path.join(s.dir, 'keys')
        run('keys', 'demo', '--unit', 'H21.227', '--out', keys)
        ca = os.path.join(keys, 'ca.pem')
        before = {ym: (self.figures(ym), self.figures(ym, '--recompute'))
                  for ym in (self.a, self.b, self.c)}
        for ym, (x, y) in before.items():
            self.assertEqual(x, y, ym)
        # January's H21 total by hand: O1 5, O2 4, O3 1, O4 2, kiosk 4
        self.assertEqual(before[self.a][0]['total']['ratings'], 5)
        self.assertEqual(before[self.a][0]['total']['by_level'],
                         [1, 1, 0, 2, 1])
        rep_dir, rep = self.report(self.a, keys)
        st0 = self.state()

        # the dry run counts and changes nothing
        p = run('retention', '--config', self.conf, '--dry-run')
        self.assertIn('dry run, nothing changed: folded into counts: 6 '
                      'ratings (6 valid) in 2 months, '
                      f'{ym_s(self.a)} to {ym_s(self.b)}, of the months '
                      f'up to {ym_s(self.cutoff)} (older than 13 months); '
                      'kept raw: 1 low ratings of dossiers, 0 with a '
                      'callback still open; deleted with them: 2 comments',
                      p.stdout)
        self.assertEqual(self.state(), st0)
        self.assertEqual(s.count("SELECT count(*) FROM meta WHERE key = "
                                 "'fold_through'"), 0)
        self.assertIn('\nhailong_ratings_folded_before_timestamp_seconds 0\n',
                      s.get('/metrics').text)

        # the run, while the server runs
        p = run('retention', '--config', self.conf)
        self.assertIn('folded into counts: 6 ratings (6 valid) in 2 '
                      'months', p.stdout)
        self.assertIn(f'ratings rated in {ym_s(self.cutoff)} or before are '
                      'refused', p.stdout)
        # the monitoring sees it: the first instant of the month after
        nxt = month_add(self.cutoff, 1)
        t = calendar.timegm((nxt[0], nxt[1], 1, 0, 0, 0)) - VN
        self.assertIn('\nhailong_ratings_folded_before_timestamp_seconds '
                      f'{t}\n', s.get('/metrics').text)
        self.assertRegex(p.stdout, r'database: \d+ pages of \d+ bytes, '
                                   r'\d+ of them free')
        self.assertIn('event=fold months=2 ', p.stderr)
        self.assertIn(' folded=6 valid=6 kept=1 held=0 texts=2 ', p.stderr)
        self.assertNotRegex(p.stderr, r'09\d{8}|0912')
        st1 = self.state()
        self.assertEqual(st1['ratings'], st0['ratings'] - 6)
        self.assertEqual(st1['ratings_folded'], 6)
        self.assertEqual(st1['rating_texts'], st0['rating_texts'] - 2)
        self.assertEqual(st1['rating_folds'], 2)
        with s.db() as c:
            ids = {r[0] for r in c.execute('SELECT id FROM ratings')}
            self.assertEqual(ids & {'O1', 'O2', 'O4', 'O5', 'O6', self.k1},
                             set())
            self.assertTrue({'O3', 'R1', 'R2'} <= ids)
            self.assertEqual(c.execute(
                "SELECT t.comment FROM rating_texts t JOIN ratings r ON "
                "r.seq = t.seq WHERE r.id = 'O3'").fetchone()[0], 'chậm')
            audit = [(r[0], r[1], r[2]) for r in c.execute(
                "SELECT action, target, detail FROM audit WHERE action "
                "LIKE 'ratings.fold%' ORDER BY seq")]
            folds = c.execute('SELECT id, month, folded, valid, kept, '
                              'texts, hex(digest) FROM rating_folds '
                              'ORDER BY id').fetchall()
            horizon = c.execute("SELECT value FROM meta WHERE key = "
                                "'fold_through'").fetchone()[0]
            # an accident is still refused
            with self.assertRaises(sqlite3.DatabaseError) as e:
                c.execute('DELETE FROM ratings')
            self.assertIn('never deleted', str(e.exception))
        self.assertEqual(horizon, ym_s(self.cutoff).replace('-', ''))
        self.assertEqual(audit[0][:2], ('ratings.fold_horizon', 'ratings'))
        self.assertEqual(json.loads(audit[0][2]),
                         {'from': None, 'to': ym_s(self.cutoff),
                          'fold_months': 13})
        self.assertEqual(len(audit), 3)
        for (_, target, detail), f in zip(audit[1:], folds):
            d = json.loads(detail)
            self.assertEqual(target, f'fold:{f[0]}')
            self.assertEqual((d['fold'], d['month'], d['folded'],
                              d['valid'], d['kept'], d['texts']),
                             (f[0], f'{f[1] // 100:04d}-{f[1] % 100:02d}',
                              f[2], f[3], f[4], f[5]))
            self.assertEqual(d['digest'], f[6].lower())
        self.assertEqual([(f[1], f[2], f[4]) for f in folds],
                         [(self.a[0] * 100 + self.a[1], 4, 1),
                          (self.b[0] * 100 + self.b[1], 2, 0)])

        # the chain: rows and folded links
        p = run('verify-chain', '--db', s.db_path)
        self.assertIn(f'ratings: {st1["ratings"]} rows, 6 folded, chain '
                      'intact', p.stdout)
        # the figures, both ways, as before
        for ym, (x, y) in before.items():
            self.assertEqual(self.figures(ym), x, ym)
            self.assertEqual(self.figures(ym, '--recompute'), y, ym)
        # a T inside a folded month cannot be answered any more
        p = run('metrics', '--db', s.db_path, '--unit', 'H21.227',
                '--month', ym_s(self.a), '--as-of', day(self.a, 15),
                check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(f'the ratings of {ym_s(self.a)} are folded into '
                      'monthly counts', p.stderr)
        # the signed report built before: its anchor is still here, and a
        # report built now is the same bytes
        p = run('report', 'verify', rep_dir, '--ca', ca, '--db', s.db_path)
        self.assertIn('ok   anchor: ratings_chain', p.stdout)
        self.assertIn('folded ratings verify', p.stdout)
        _, again = self.report(self.a, keys)
        self.assertEqual(again, rep)
        # a backup of the folded database passes its checks
        run('backup', '--db', s.db_path, '--out',
            os.path.join(s.dir, 'b.db'))

        # a second run finds nothing more to fold
        p = run('retention', '--config', self.conf)
        self.assertIn('folded into counts: 0 ratings', p.stdout)
        self.assertEqual(self.state()['ratings_folded'], 6)

    def test_late_ratings_of_a_folded_month_are_refused_everywhere(self):
        s = self.s
        run('retention', '--config', self.conf)
        n = s.count()
        a, c = self.a, self.c

        # kiosk: the server sees the fold made by another process at once
        fresh = str(uuid.uuid4())
        r = self.batch([item(fresh, 5, seq=2, rated_at=day(a, 20)),
                        item(self.k1, 4, seq=1, rated_at=day(a, 7)),
                        item(str(uuid.uuid4()), 4, seq=3,
                             rated_at=day(c, 2))])
        res = r.json()['results']
        self.assertEqual([x['status'] for x in res],
                         ['rejected', 'rejected', 'accepted'])
        self.assertEqual(res[0]['reason'], 'folded')
        self.assertEqual(res[1]['reason'], 'folded')

        # the import API
        key = run('apikey', 'add', '--db', s.db_path, '--unit',
                  'H21.227').stdout.strip().splitlines()[-1]
        r = s.post_json('/api/v1/ratings', [
            {'id': 'L1', 'unit': 'H21.227', 'level': 4,
             'rated_at': day(a, 21)},
            {'id': 'O3', 'unit': 'H21.227', 'level': 1,
             'dossier': 'H21.227-240101-0001', 'comment': 'chậm',
             'rated_at': day(a, 5)}], bearer(key))
        self.assertEqual(r.status, 200, r)
        items = r.json()['items']
        self.assertEqual(items[0]['status'], 'rejected')
        self.assertEqual(items[0]['errors'][0]['column'], 'rated_at')
        self.assertIn(f'is in {ym_s(a)}: ratings of {ym_s(self.cutoff)} '
                      'and before are folded into monthly counts',
                      items[0]['errors'][0]['message'])
        # O3 was kept raw (a dossier's low rating, sent through the
        # channel import, but via the API this time): a duplicate
        self.assertEqual(items[1]['status'], 'duplicate')
        # figures as of a time inside a folded month: 422, with why; as
        # of its end they are whole
        r = s.get(f'/api/v1/metrics?unit=H21.227&month={ym_s(a)}'
                  f'&as_of={day(a, 15)}'.replace('+', '%2B'), bearer(key))
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()['error'], 'folded')
        r = s.get(f'/api/v1/metrics?unit=H21.227&month={ym_s(a)}'
                  f'&as_of={start_of(month_add(a, 1))}'.replace('+', '%2B'),
                  bearer(key))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()['total']['ratings'], 5)

        # the CLI import: the whole file is refused, the line named
        path = csv_file(os.path.join(s.dir, 'late.csv'), [
            {'id': 'L2', 'unit': 'H21.227', 'level': 3,
             'rated_at': day(self.b, 28, 23)},
            {'id': 'L3', 'unit': 'H21.227', 'level': 3,
             'rated_at': day(c, 3)}])
        p = run('import', 'ratings', '--db', s.db_path, path, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(f'late.csv:2: rated_at: is in {ym_s(self.b)}: ratings '
                      f'of {ym_s(self.cutoff)} and before are folded',
                      p.stderr)
        # O1 again, identical: its key is gone, so it is not a duplicate
        # any more -- refused rather than counted twice
        path = csv_file(os.path.join(s.dir, 'again.csv'), [
            {'id': 'O1', 'unit': 'H21.227', 'level': 5, 'procedure': P1,
             'comment': 'tốt lắm 0912 345 678', 'rated_at': day(a, 3)}])
        p = run('import', 'ratings', '--db', s.db_path, path, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('again.csv:2: rated_at: is in', p.stderr)

        # a paper ballot typed in the console: told in Vietnamese
        run('user', 'add', '--db', s.db_path, '--unit', 'H21.227', '--role',
            'manager', '--name', 'lan', '--password-stdin', input=PW + '\n')
        b = Browser(s).logged_in('lan', PW)
        b.get('/admin/units/H21.227/ballots')
        r = b.post_form('/admin/units/H21.227/ballots', {
            'csrf': b.csrf(), 'id': 'PG-OLD', 'level': '4',
            'rated_at': f'15/{a[1]:02d}/{a[0]}'})
        self.assertEqual(r.status, 400, r.text[:400])
        self.assertIn('Ngày này thuộc một tháng đã được tổng hợp thành số '
                      'liệu', r.text)

        # one rating more in all: the kiosk's of the month kept raw
        self.assertEqual(s.count(), n + 1)
        self.assertIn('chain intact',
                      run('verify-chain', '--db', s.db_path).stdout)

    def test_options_flags_and_the_least_n(self):
        s = self.s
        p = run('retention', '--db', s.db_path, '--fold-months', '12',
                check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--fold-months: '12' is not 0 (never fold) or a number "
                      'from 13 to 1200', p.stderr)
        p = run('retention', '--db', s.db_path, '--fold-months', 'x',
                check=False)
        self.assertEqual(p.returncode, 2)
        bad = os.path.join(s.dir, 'bad.conf')
        with open(bad, 'w') as f:
            f.write(f'db = {s.db_path}\n\nretention_fold_months = 6\n')
        p = run('config', 'check', '--config', bad, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn(f'{bad}:3: retention_fold_months: 6 is less than 13',
                      p.stderr)
        p = run('retention', '--config', bad, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(re.findall(r'retention_fold_months = (\d+)',
                                    run('config', 'show').stdout), ['0'])
        # the default folds nothing; 0 on the command line overrides 13
        for args in (['--db', s.db_path],
                     ['--config', self.conf, '--fold-months', '0']):
            p = run('retention', *args)
            self.assertNotIn('folded', p.stdout)
        self.assertEqual(self.state()['ratings_folded'], 0)
        # the flag overrides the file the other way too: 19 folds one
        # month (the oldest), not two
        p = run('retention', '--config', self.conf, '--fold-months', '19')
        self.assertIn('folded into counts: 4 ratings (4 valid) in 1 months',
                      p.stdout)
        p = run('retention', '--help')
        self.assertIn('--fold-months N', p.stdout)


if __name__ == '__main__':
    unittest.main()
