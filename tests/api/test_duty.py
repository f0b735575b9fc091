"""The duty log: `hailong duty`, POST /api/v1/counters/{unit}/{number}/duty,
and the officer a rating counts for (METRICS.md "Which procedure and
officer"): its own, else the one on duty at its counter when it was given,
else its kiosk's registered officer, else none -- settled when it arrives.
"""
import datetime
import json
import re
import time
import unittest
import uuid

from tests.api.hl import Server, form_nonce, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw, item

U = 'H21.227'
ICT = datetime.timezone(datetime.timedelta(hours=7))
RATINGS = '/api/v1/kiosk/ratings'
PROC = '1.001193'


def rfc(t):
    return datetime.datetime.fromtimestamp(int(t), ICT).isoformat()


def duty(s, *args, check=True):
    return run('duty', *args, '--db', s.db_path, check=check)


def api_key(s, unit, *scope):
    args = ['apikey', 'add', '--db', s.db_path, '--unit', unit]
    if scope:
        args += ['--scope', ','.join(scope)]
    out = run(*args).stdout.strip().splitlines()
    kid = int(out[0].split()[2])
    return kid, {'Authorization': 'Bearer ' + out[-1]}


def snapshot(s):
    """What a refused change must leave as it was."""
    with s.db() as c:
        return (c.execute('SELECT * FROM duty ORDER BY id').fetchall(),
                c.execute('SELECT count(*) FROM audit').fetchone()[0])


class Cli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='duty-cli')
        run('counter', 'add', '--db', cls.s.db_path, '--unit', U,
            '--number', '4', '--name', 'Quầy 4 — Tư pháp')
        run('officer', 'add', '--db', cls.s.db_path, '--unit', 'H21.228',
            '--id', 'VN01', '--name', 'Cán bộ xã khác')

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_a_day_at_the_counters(self):
        day = datetime.datetime.now(ICT).replace(
            hour=0, minute=0, second=0, microsecond=0)
        t0 = day.timestamp() + 60
        if time.time() < t0 + 120:
            self.skipTest('too close to midnight in +07:00')
        p = duty(self.s, 'start', '--unit', U, '--counter', '4',
                 '--officer', 'VC01', '--at', rfc(t0))
        self.assertEqual(p.stdout, f'counter 4 of {U}: VC01 on duty since '
                         f'{rfc(t0)}\n')
        # VC02 takes over; VC01 moves to counter 2
        duty(self.s, 'start', '--unit', U, '--counter', '4', '--officer',
             'VC02', '--at', rfc(t0 + 30))
        duty(self.s, 'start', '--unit', U, '--counter', '2', '--officer',
             'VC01', '--at', rfc(t0 + 40))
        p = duty(self.s, 'end', '--unit', U, '--counter', '4', '--at',
                 rfc(t0 + 50))
        self.assertEqual(p.stdout, f'counter 4 of {U}: VC02 off duty at '
                         f'{rfc(t0 + 50)}\n')
        # the same officer again where they are: nothing changes
        before = snapshot(self.s)
        p = duty(self.s, 'start', '--unit', U, '--counter', '2',
                 '--officer', 'VC01')
        self.assertIn(f'VC01 on duty since {rfc(t0 + 40)}', p.stdout)
        self.assertEqual(snapshot(self.s), before)
        for date in (day.strftime('%d/%m/%Y'), day.strftime('%Y-%m-%d'),
                     None):
            args = ['list', '--unit', U, '--json']
            if date:
                args += ['--date', date]
            got = json.loads(duty(self.s, *args).stdout)
            mine = [(d['counter'], d['officer'], d['started_at'],
                     d['ended_at']) for d in got
                    if d['started_at'] >= rfc(t0)]
            self.assertEqual(mine, [
                (2, 'VC01', rfc(t0 + 40), None),
                (4, 'VC02', rfc(t0 + 30), rfc(t0 + 50)),
                (4, 'VC01', rfc(t0), rfc(t0 + 30)),
            ], date)
            self.assertTrue(all(d['started_by'].startswith('cli:')
                                for d in got))
        text = duty(self.s, 'list', '--unit', U).stdout
        self.assertRegex(text, rf'2 +VC01 +{re.escape(rfc(t0 + 40))} +on duty')
        # yesterday: none of today's spans
        y = (day - datetime.timedelta(days=1)).strftime('%d/%m/%Y')
        got = json.loads(duty(self.s, 'list', '--unit', U, '--date', y,
                              '--json').stdout)
        self.assertEqual([d for d in got if d['started_at'] >= rfc(t0)], [])
        with self.s.db() as c:
            rows = c.execute(
                "SELECT action, target, detail FROM audit WHERE action "
                "LIKE 'duty.%' AND actor LIKE 'cli:%' ORDER BY seq"
            ).fetchall()
        self.assertEqual([(r[0], r[1]) for r in rows], [
            ('duty.start', f'{U}/4'), ('duty.end', f'{U}/4'),
            ('duty.start', f'{U}/4'), ('duty.start', f'{U}/2'),
            ('duty.end', f'{U}/4')])
        self.assertEqual(json.loads(rows[-1][2]), {
            'officer': 'VC02', 'started_at': rfc(t0 + 30),
            'ended_at': rfc(t0 + 50)})

    def test_bad_input_changes_nothing(self):
        past = rfc(time.time() - 600)
        duty(self.s, 'start', '--unit', U, '--counter', '3', '--officer',
             'VC03', '--at', past)
        cases = [
            (['start', '--counter', '1', '--officer', 'VC09'],
             "no officer 'VC09'"),
            (['start', '--counter', '1', '--officer', 'VN01'],
             "officer 'VN01' is of unit H21.228, not H21.227"),
            (['start', '--counter', '9', '--officer', 'VC02'],
             'unit H21.227 has no counter 9'),
            (['start', '--counter', '1', '--officer', 'VC02', '--at',
              rfc(time.time() + 3600)], 'is in the future'),
            (['start', '--counter', '3', '--officer', 'VC04', '--at',
              rfc(time.time() - 3600)],
             'is before the last change at counter 3'),
            (['start', '--counter', '1', '--officer', 'VC03', '--at',
              rfc(time.time() - 3600)],
             "is before the last change of officer 'VC03'"),
            (['end', '--counter', '1'], 'nobody is on duty at counter 1'),
            (['start', '--counter', '3', '--officer', 'VC04', '--at', past],
             'that very second'),
        ]
        for args, says in cases:
            with self.subTest(args=args):
                before = snapshot(self.s)
                p = duty(self.s, args[0], '--unit', U, *args[1:],
                         check=False)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertIn(says, p.stderr)
                self.assertTrue(p.stderr.startswith('hailong duty: '))
                self.assertEqual(snapshot(self.s), before)
        p = duty(self.s, 'start', '--unit', 'H99', '--counter', '1',
                 '--officer', 'VC01', check=False)
        self.assertEqual((p.returncode, p.stderr.strip()),
                         (1, "hailong duty: no unit 'H99'"))

    def test_usage(self):
        p = run('duty', '--help')
        self.assertIn('hailong duty start --db FILE --unit CODE', p.stdout)
        for args, says in [
                (['start', '--unit', U, '--counter', '1'], '--officer ID'),
                (['end', '--unit', U], '--counter N'),
                (['start', '--unit', U, '--counter', '0', '--officer',
                  'VC01'], '--counter must be 1-999'),
                (['start', '--unit', U, '--counter', '1', '--officer',
                  'VC01', '--at', '2026-10-31 07:30'], '--at'),
                (['list', '--unit', U, '--date', '31/02/2026'], '--date'),
                (['list', '--unit', 'not a unit'], '--unit'),
                (['list', '--unit', U, '--counter', '1'], 'list takes'),
                (['pause', '--unit', U], 'start|end|list')]:
            with self.subTest(args=args):
                p = duty(self.s, *args, check=False)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(says, p.stderr)


class Api(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = s = Server(name='duty-api').start()
        run('officer', 'add', '--db', s.db_path, '--unit', 'H21.228',
            '--id', 'VN01', '--name', 'Cán bộ xã khác')
        run('counter', 'add', '--db', s.db_path, '--unit', 'H21.228',
            '--number', '1', '--name', 'Quầy 1')
        cls.kid, cls.key = api_key(s, U, 'duty')
        cls.province = api_key(s, 'H21')[1]         # "all": duty too
        cls.noduty = api_key(s, U, 'metrics', 'import', 'reports')[1]

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def post(self, counter, doc, key=None, unit=U):
        return self.s.post_json(f'/api/v1/counters/{unit}/{counter}/duty',
                                doc, key or self.key)

    def test_start_and_end(self):
        t = time.time()
        r = self.post(1, {'action': 'start', 'officer': 'VC01',
                          'at': rfc(t - 300)})
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(r.json(), {'unit': U, 'counter': 1,
                                    'officer': 'VC01',
                                    'started_at': rfc(t - 300)})
        # again: nothing changes, the span keeps its start
        r = self.post(1, {'action': 'start', 'officer': 'VC01'})
        self.assertEqual(r.json()['started_at'], rfc(t - 300))
        # a province key sees the commune's counters
        r = self.post(1, {'action': 'start', 'officer': 'VC04',
                          'at': rfc(t - 200)}, self.province)
        self.assertEqual(r.status, 200, r.body)
        r = self.post(1, {'action': 'end', 'at': rfc(t - 100)})
        self.assertEqual((r.status, r.json()), (200, {
            'unit': U, 'counter': 1, 'ended_at': rfc(t - 100)}))
        with self.s.db() as c:
            rows = c.execute(
                "SELECT actor, action, target FROM audit WHERE action "
                "LIKE 'duty.%' AND target = ? ORDER BY seq",
                (f'{U}/1',)).fetchall()
        self.assertEqual([tuple(x) for x in rows], [
            (f'apikey:{self.kid}', 'duty.start', f'{U}/1'),
            (f'apikey:{self.kid + 1}', 'duty.end', f'{U}/1'),
            (f'apikey:{self.kid + 1}', 'duty.start', f'{U}/1'),
            (f'apikey:{self.kid}', 'duty.end', f'{U}/1')])
        # the default time is now
        r = self.post(1, {'action': 'start', 'officer': 'VC02'})
        self.assertEqual(r.status, 200, r.body)
        got = datetime.datetime.fromisoformat(r.json()['started_at'])
        self.assertLess(abs(got.timestamp() - time.time()), 60)

    def test_errors(self):
        t = time.time()
        self.assertEqual(self.post(3, {'action': 'start', 'officer': 'VC03',
                                       'at': rfc(t - 50)}).status, 200)
        cases = [
            (400, 'action', {'action': 'pause'}),
            (400, 'action', {'officer': 'VC01'}),
            (400, 'officer', {'action': 'start'}),
            (400, 'officer', {'action': 'start', 'officer': 'bad id!'}),
            (400, 'officer', {'action': 'start', 'officer': 'VC09'}),
            (400, 'officer', {'action': 'start', 'officer': 'VN01'}),
            (400, 'officer', {'action': 'end', 'officer': 'VC01'}),
            (400, 'at', {'action': 'start', 'officer': 'VC02',
                         'at': '31/10/2026 07:30'}),
            (400, 'at', {'action': 'start', 'officer': 'VC02',
                         'at': rfc(t + 3600)}),
            (400, 'at', {'action': 'start', 'officer': 'VC02', 'at': 5}),
            (400, 'when', {'action': 'end', 'when': 'now'}),
            (409, None, {'action': 'end', 'at': rfc(t - 100)}),
            (409, None, {'action': 'start', 'officer': 'VC04',
                         'at': rfc(t - 50)}),
        ]
        for status, field, doc in cases:
            with self.subTest(doc=doc):
                before = snapshot(self.s)
                r = self.post(3, doc)
                self.assertEqual(r.status, status, r.body)
                body = r.json()
                if field:
                    self.assertEqual(body['error'], 'bad_request')
                    self.assertEqual(body['field'], field)
                    self.assertTrue(body['message'].startswith(field + ':'),
                                    body)
                else:
                    self.assertEqual(body['error'], 'conflict')
                self.assertEqual(snapshot(self.s), before)
        r = self.post(2, {'action': 'end'})
        self.assertEqual((r.status, r.json()['message']),
                         (409, f'nobody is on duty at counter 2 of {U}'))
        r = self.s.post(f'/api/v1/counters/{U}/3/duty', 'not json',
                        {'Content-Type': 'application/json', **self.key})
        self.assertEqual(r.status, 400)
        r = self.s.post(f'/api/v1/counters/{U}/3/duty', '[]',
                        {'Content-Type': 'application/json', **self.key})
        self.assertEqual(r.status, 400)

    def test_what_the_key_does_not_see_is_not_there(self):
        before = snapshot(self.s)
        for unit, counter in (('H21.228', 1), ('H21', 1), ('H57', 1),
                              (U, 9), (U, 0), (U, 'x'), ('h21.227', 1)):
            with self.subTest(unit=unit, counter=counter):
                r = self.post(counter, {'action': 'start',
                                        'officer': 'VN01'}, unit=unit)
                self.assertEqual((r.status, r.json()), (404, {
                    'error': 'not_found', 'message': 'no such counter'}))
        self.assertEqual(snapshot(self.s), before)

    def test_scope_and_credentials(self):
        r = self.post(1, {'action': 'end'}, self.noduty)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.json()['error'], 'insufficient_scope')
        self.assertIn("--scope duty", r.json()['message'])
        r = self.s.post_json(f'/api/v1/counters/{U}/1/duty',
                             {'action': 'end'})
        self.assertEqual(r.status, 401)
        out = run('apikey', 'list', '--db', self.s.db_path).stdout
        self.assertRegex(out, r'metrics,import,reports,duty')


class Attribution(unittest.TestCase):
    """Ratings through a counter's QR code and through kiosks, with the
    duty changing in the day: each counted for the right officer."""

    def setUp(self):
        self.s = Server(name='duty-attr').start()
        self.addCleanup(self.s.__exit__, None, None, None)
        now = time.time()
        month0 = datetime.datetime.now(ICT).replace(
            day=1, hour=0, minute=0, second=0, microsecond=0).timestamp()
        # the whole story within this month (and in the past)
        self.span = min(7200, int(now - month0) - 60)
        if self.span < 600:
            self.skipTest('too close to the start of the month')
        self.t = int(now)
        self.month = datetime.datetime.now(ICT).strftime('%Y-%m')

    def qr_rate(self, counter, level=5):
        tok = self.s.token(counter=counter)
        nonce = form_nonce(self.s.get('/q/' + tok).text)
        r = self.s.post_form('/q/' + tok, {'nonce': nonce,
                                           'level': str(level),
                                           'procedure': PROC})
        self.assertEqual(r.status, 200, r.text[:300])
        return nonce

    def kiosk(self, counter, officer=None):
        kid, code, _ = add_kiosk(self.s, counter=counter, officer=officer)
        body = enrol_raw(self.s, code).json()
        return Signer(body['kiosk'], body['secret'])

    def officer_of(self, rid):
        with self.s.db() as c:
            return c.execute('SELECT officer FROM ratings WHERE id = ?',
                             (rid,)).fetchone()[0]

    def figures(self, *extra):
        # as of a second past every rating: a rating given in the very
        # second of "now" is not yet "before T" for the raw rows
        out = run('metrics', '--db', self.s.db_path, '--unit', U,
                  '--month', self.month, '--as-of', self.as_of, '--json',
                  *extra).stdout
        return json.loads(out)

    def test_ratings_count_for_the_officer_on_duty(self):
        t, d = self.t, self.span
        duty(self.s, 'start', '--unit', U, '--counter', '1', '--officer',
             'VC01', '--at', rfc(t - d))
        # a citizen scans counter 1's poster: VC01 is on duty
        q1 = self.qr_rate(1, 5)
        self.assertEqual(self.officer_of(q1), 'VC01')
        # the shift changes, entered after the fact: the rating stored
        # keeps VC01; ratings arriving from now on follow the log
        key = api_key(self.s, U, 'duty')[1]
        r = self.s.post_json(f'/api/v1/counters/{U}/1/duty', {
            'action': 'start', 'officer': 'VC04', 'at': rfc(t - d // 2)},
            key)
        self.assertEqual(r.status, 200, r.body)
        self.assertEqual(self.officer_of(q1), 'VC01')
        q2 = self.qr_rate(1, 2)
        self.assertEqual(self.officer_of(q2), 'VC04')
        # kiosk 1 at counter 1, registered with VC03: the log wins, by the
        # time each rating was given; VC03 only where nobody was on duty
        k1 = self.kiosk(1, officer='VC03')
        items = {
            'k-before': (t - d - 60, 4, 'VC03'),
            'k-vc01': (t - d, 5, 'VC01'),           # exactly at the start
            'k-vc01b': (t - d // 2 - 1, 4, 'VC01'),
            'k-vc04': (t - d // 2, 1, 'VC04'),      # exactly at the change
        }
        # counter 2: a kiosk with no officer, nobody on duty, then VC02
        k2 = self.kiosk(2)
        duty(self.s, 'start', '--unit', U, '--counter', '2', '--officer',
             'VC02', '--at', rfc(t - d // 4))
        items2 = {'k2-none': (t - d // 3, 3, None),
                  'k2-vc02': (t - d // 4 + 5, 5, 'VC02')}
        for signer, batch in ((k1, items), (k2, items2)):
            r = signer.post(self.s, RATINGS, {'ratings': [
                item(rid, level, seq=i + 1, rated_at=rfc(at))
                for i, (rid, (at, level, _)) in enumerate(batch.items())]})
            self.assertEqual(r.status, 200, r.body)
            self.assertEqual({x['status'] for x in r.json()['results']},
                             {'accepted'})
        # counter 1 closes: its kiosk's officer fills in again
        duty(self.s, 'end', '--unit', U, '--counter', '1')
        r = k1.post(self.s, RATINGS, {'ratings': [
            item('k-after', 3, seq=10)]})
        self.assertEqual(r.status, 200, r.body)
        items['k-after'] = (None, 3, 'VC03')
        q3 = self.qr_rate(1, 4)     # no kiosk behind a QR code: nobody
        for rid, (_, _, want) in {**items, **items2}.items():
            with self.subTest(rating=rid):
                self.assertEqual(self.officer_of(rid), want)
        self.assertIsNone(self.officer_of(q3))
        # a kiosk resending a batch after the log changed: duplicates
        r = k1.post(self.s, RATINGS, {'ratings': [
            item('k-vc04', 1, seq=4, rated_at=rfc(t - d // 2))]})
        self.assertEqual(r.json()['results'][0]['status'], 'duplicate')
        # the figures: per officer, and the rollups equal a recompute
        self.as_of = rfc(time.time() + 2)
        doc = self.figures()
        got = {o['id']: o['ratings'] for o in doc['officers']}
        self.assertEqual(got, {'VC01': 3, 'VC02': 1, 'VC03': 2, 'VC04': 2})
        self.assertEqual(doc, self.figures('--recompute'))
        by_counter = {c['counter']: c['ratings'] for c in doc['counters']}
        self.assertEqual(by_counter, {1: 8, 2: 2})

    def test_imported_ratings_follow_the_log(self):
        t, d = self.t, self.span
        duty(self.s, 'start', '--unit', U, '--counter', '3', '--officer',
             'VC03', '--at', rfc(t - d))
        path = f'{self.s.dir}/r.csv'
        with open(path, 'w') as f:
            f.write('id,unit,level,counter,officer,rated_at\n')
            f.write(f'I1,{U},4,3,,{rfc(t - d + 10)}\n')
            f.write(f'I2,{U},4,3,VC02,{rfc(t - d + 10)}\n')
            f.write(f'I3,{U},4,3,,{rfc(t - d - 10)}\n')
        run('import', 'ratings', '--db', self.s.db_path, path)
        self.assertEqual([self.officer_of(i) for i in ('I1', 'I2', 'I3')],
                         ['VC03', 'VC02', None])
        # the same file again: duplicates, nothing re-attributed
        duty(self.s, 'start', '--unit', U, '--counter', '3', '--officer',
             'VC04', '--at', rfc(t - d + 5))
        out = run('import', 'ratings', '--db', self.s.db_path, path).stdout
        self.assertIn('0 accepted, 3 duplicate', out)
        self.assertEqual(self.officer_of('I1'), 'VC03')
        self.as_of = rfc(time.time() + 2)
        doc = self.figures()
        self.assertEqual({o['id']: o['ratings'] for o in doc['officers']},
                         {'VC02': 1, 'VC03': 1})
        self.assertEqual(doc, self.figures('--recompute'))


if __name__ == '__main__':
    unittest.main()
