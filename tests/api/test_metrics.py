"""The dossier feed, imported ratings and GET /api/v1/metrics, end to end.

One hand-computed month (October 2025, H21.227) goes in through the APIs
exactly as the one-stop system and another rating system would send it;
the figures that come out are checked against the arithmetic written
beside each expectation.
"""
import json
import os
import unittest

from tests.api.hl import ROOT, Server
from tests.api.schemacheck import check

AS_OF = '2025-11-05T00:00:00+07:00'
P1, P2 = '1.001193', '1.003583'

HEADER = ('code,procedure,unit,channel,received_at,due_at,finished_at,'
          'supplement_requests,supplement_seconds,corrections,full_online,'
          'digitized,complaint,updated_at')
DOSSIERS = [
    # D1: online, on time, full online, digitised (rated 1 in November)
    'H21.227-251001-0001,1.001193,H21.227,2,2025-10-01T08:00:00+07:00,'
    '2025-10-10T17:00:00+07:00,2025-10-09T10:00:00+07:00,0,0,0,1,1,0,'
    '2025-10-09T10:00:00+07:00',
    # D2: 2 days late but waited 172800 s on the citizen: on time
    'H21.227-251002-0002,1.001193,H21.227,1,2025-10-02T08:00:00+07:00,'
    '2025-10-10T17:00:00+07:00,2025-10-12T17:00:00+07:00,1,172800,0,0,1,0,'
    '2025-10-12T17:00:00+07:00',
    # D3: finished early, but two supplement requests: late
    'H21.227-251003-0003,1.001193,H21.227,2,2025-10-03T08:00:00+07:00,'
    '2025-10-10T17:00:00+07:00,2025-10-05T08:00:00+07:00,2,3600,0,0,0,0,'
    '2025-10-05T08:00:00+07:00',
    # D4: no due_at (not judged), a correction, a complaint
    'H21.227-251004-0004,1.001193,H21.227,1,2025-10-04T08:00:00+07:00,,,'
    '0,0,1,0,0,1,2025-10-04T08:00:00+07:00',
    # D5: by post at 23:30 on 31/10 (October), open, due 3/11: judged
    # at the month's end, 1/11 00:00 <= due: on time
    'H21.227-251031-0005,1.003583,H21.227,3,2025-10-31T23:30:00+07:00,'
    '2025-11-03T17:00:00+07:00,,0,0,0,0,1,0,2025-10-31T23:30:00+07:00',
    # D6: 17:30Z on 31/10 is 1/11 00:30 in Vietnam: November
    'H21.227-251101-0006,1.001193,H21.227,2,2025-10-31T17:30:00Z,,,'
    '0,0,0,0,0,0,2025-10-31T17:30:00Z',
]
RATINGS = [
    {'id': 'R1', 'unit': 'H21.227', 'counter': 1, 'officer': 'VC01',
     'procedure': P1, 'level': 5, **{f'c{i}': 2 for i in range(1, 10)},
     'supplement_reported': 0, 'online_error_reported': 0,
     'rated_at': '2025-10-06T09:00:00+07:00'},
    {'id': 'R2', 'unit': 'H21.227', 'counter': 1, 'officer': 'VC01',
     'procedure': P1, 'level': 4, 'c1': 2, 'c2': 1, 'c3': 2, 'c4': 1,
     'c7': 2, 'supplement_reported': True,
     'rated_at': '2025-10-07T09:00:00+07:00'},
    {'id': 'R3', 'unit': 'H21.227', 'counter': 2, 'officer': 'VC02',
     'procedure': P2, 'level': 2, 'online_error_reported': 1,
     'rated_at': '2025-10-08T09:00:00+07:00', 'comment': 'Chờ lâu'},
    {'id': 'R4', 'unit': 'H21.227', 'level': 3,
     'rated_at': '2025-10-31T23:30:00+07:00'},
    # November: D1 rated 1 (makes D1 bad as of 5/11), and the boundary
    {'id': 'R5', 'unit': 'H21.227', 'level': 1,
     'dossier': 'H21.227-251001-0001', 'rated_at': '2025-11-02T09:00:00+07:00'},
    {'id': 'R6', 'unit': 'H21.227', 'level': 5,
     'rated_at': '2025-10-31T17:30:00Z'},
]


def add_key(s, unit, label=None):
    args = ['apikey', 'add', '--db', s.db_path, '--unit', unit]
    if label:
        args += ['--label', label]
    return s.hailong(*args).stdout.strip().splitlines()[-1]


def bearer(key):
    return {'Authorization': 'Bearer ' + key}


class Metrics(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='metrics').start()
        cls.key = add_key(cls.s, 'H21.227', 'one-stop feed')
        cls.province = add_key(cls.s, 'H21')
        body = HEADER + '\r\n' + '\r\n'.join(DOSSIERS) + '\r\n'
        r = cls.s.post('/api/v1/dossiers', body,
                       {**bearer(cls.key), 'Content-Type': 'text/csv'})
        assert r.status == 200, r
        assert r.json()['accepted'] == 6, r.json()
        r = cls.s.post_json('/api/v1/ratings', RATINGS, bearer(cls.key))
        assert r.status == 200, r
        assert r.json()['accepted'] == 6, r.json()
        with open(os.path.join(ROOT, 'schemas', 'metrics.schema.json')) as f:
            cls.schema = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def get(self, unit='H21.227', month='2025-10', as_of=AS_OF, key=None):
        q = f'/api/v1/metrics?unit={unit}&month={month}'
        if as_of:
            q += '&as_of=' + as_of.replace('+', '%2B')
        return self.s.get(q, bearer(key or self.key))

    def test_october_figures(self):
        r = self.get()
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers['content-type'], 'application/json')
        doc = r.json()
        self.assertEqual(doc['definition_version'], 3)
        self.assertEqual(doc['unit'], 'H21.227')
        self.assertEqual(doc['month'], '2025-10')
        self.assertEqual(doc['as_of'], AS_OF)
        t = doc['total']
        # ratings R1..R4 (R5, R6 are November's)
        self.assertEqual(t['ratings'], 4)
        self.assertEqual(t['by_level'], [0, 1, 1, 1, 1])
        self.assertEqual(t['satisfied_rate'], 0.5)        # (4, 5): 2/4
        self.assertEqual(t['satisfied_rate_ci'], [0.15, 0.85])  # Wilson 2/4
        self.assertEqual(t['dissatisfied_rate'], 0.25)    # 1/4
        self.assertEqual(t['mean_level'], 3.5)            # 14/4
        self.assertEqual(t['ballot_score'], 18.0)         # only R1: 18
        # c1 (2+2)/2, c2 (2+1)/2, c3 2, c4 (2+1)/2, c5, c6 2 (R1), c7 2
        self.assertEqual(t['criteria_mean'],
                         [2.0, 1.5, 2.0, 1.5, 2.0, 2.0, 2.0, 2.0, 2.0])
        self.assertEqual(t['officer_score'], 9.0)         # (10 + 8) / 2
        self.assertEqual(t['reported_supplement_rate'], 0.5)    # R2 of R1, R2
        self.assertEqual(t['reported_online_error_rate'], 0.5)  # R3 of R1, R3
        # dossiers D1..D5
        self.assertEqual(t['dossiers'], 5)
        self.assertEqual(t['online_rate'], 0.4)           # D1, D3
        self.assertEqual(t['full_online_rate'], 0.2)      # D1
        self.assertEqual(t['on_time_rate'], 0.75)         # D1 D2 D5 of 4
        self.assertEqual(t['supplement_rate'], 0.4)       # D2, D3
        self.assertEqual(t['multi_supplement_rate'], 0.2)  # D3
        self.assertEqual(t['correction_rate'], 0.2)       # D4
        self.assertEqual(t['supplement_or_correction_rate'], 0.6)  # D2-4
        self.assertEqual(t['digitized_rate'], 0.6)        # D1 D2 D5
        # bad: D3 late, D4 complaint, D1 rated 1 on 2/11 (< as_of)
        self.assertEqual(t['handling_satisfaction_rate'], 0.4)  # 2/5
        # 2.1: 20 x .75; 3.3: 6 x .4/.5; 4.2: 4 x .6; 5.4: 6 x .4/.9
        self.assertEqual(t['points'],
                         {'2.1': 15.0, '3.3': 4.8, '4.2': 2.4, '5.4': 2.67})
        self.assertEqual(t['flags'], [])  # nothing reaches n_min = 10
        self.assertEqual(t['counts']['judged'], 4)
        self.assertEqual(t['counts']['bad'], 3)
        # per procedure, counter, officer
        procs = {p['code']: p for p in doc['procedures']}
        self.assertEqual(set(procs), {P1, P2})
        self.assertEqual(procs[P1]['ratings'], 2)
        self.assertEqual(procs[P1]['dossiers'], 4)
        self.assertEqual(procs[P1]['name'], 'Thủ tục đăng ký khai sinh')
        self.assertEqual(procs[P2]['ratings'], 1)
        self.assertEqual(procs[P2]['on_time_rate'], 1.0)  # D5
        self.assertEqual([(c['unit'], c['counter'], c['ratings'])
                          for c in doc['counters']],
                         [('H21.227', 1, 2), ('H21.227', 2, 1)])
        self.assertIsNone(doc['counters'][0]['online_rate'])
        off = {o['id']: o for o in doc['officers']}
        self.assertEqual(off['VC01']['ratings'], 2)
        # below n_min: no figure, no counts, "not enough data"
        self.assertFalse(off['VC01']['enough_data'])
        self.assertIsNone(off['VC01']['satisfied_rate'])
        self.assertIsNone(off['VC01']['by_level'])
        self.assertNotIn('counts', off['VC01'])

    def test_document_matches_the_schema(self):
        for unit, month in (('H21.227', '2025-10'), ('H21', '2025-11'),
                            ('H21.228', '2025-10')):
            doc = self.get(unit, month, key=self.province).json()
            self.assertEqual(check(doc, self.schema), [], (unit, month))
        # and the checker does catch a broken document
        doc['total']['satisfied_rate'] = 1.5
        del doc['total']['flags']
        self.assertEqual(len(check(doc, self.schema)), 2)

    def test_as_of_the_month_end(self):
        # D1's low rating came on 2/11: as of 1/11 it is not yet bad
        doc = self.get(as_of='2025-11-01T00:00:00+07:00').json()
        self.assertEqual(doc['total']['handling_satisfaction_rate'], 0.6)
        # as of 20/10: D5 not received, D1..D4 known; R4 not yet
        doc = self.get(as_of='2025-10-20T00:00:00+07:00').json()
        self.assertEqual(doc['total']['dossiers'], 4)
        self.assertEqual(doc['total']['ratings'], 3)

    def test_november_and_the_time_zone(self):
        doc = self.get(month='2025-11', as_of='2025-12-01T00:00:00+07:00')
        t = doc.json()['total']
        self.assertEqual(t['ratings'], 2)   # R5, R6 (17:30Z on 31/10)
        self.assertEqual(t['dossiers'], 1)  # D6
        self.assertEqual(t['by_level'], [1, 0, 0, 0, 1])

    def test_province_rolls_up(self):
        a = self.get('H21', key=self.province).json()
        b = self.get('H21.227', key=self.province).json()
        self.assertEqual(a['subordinates'], True)
        self.assertEqual(a['unit_name'], 'UBND tỉnh Gia Lai')
        self.assertEqual(a['total'], b['total'])

    def test_scope_404_for_units_outside(self):
        for unit in ('H21', 'H21.228', 'H01', 'H99.999'):
            r = self.get(unit)
            self.assertEqual(r.status, 404, unit)
            self.assertEqual(r.json(), {'error': 'not_found',
                                        'message': 'no such unit'})
        self.assertEqual(self.get('H21.228', key=self.province).status, 200)

    def test_bad_requests(self):
        self.assertEqual(self.get(month='2025-13').status, 400)
        self.assertEqual(self.get(month='10/2025').status, 400)
        self.assertEqual(self.get(as_of='2025-11-05').status, 400)
        r = self.s.get('/api/v1/metrics?month=2025-10', bearer(self.key))
        self.assertEqual(r.status, 400)
        r = self.s.get('/api/v1/metrics?unit=H21.227&month=2025-10')
        self.assertEqual(r.status, 401)

    def test_cli_gives_the_same_document(self):
        api = self.get().json()
        out = self.s.hailong('metrics', '--db', self.s.db_path, '--unit',
                             'H21.227', '--month', '2025-10', '--as-of',
                             AS_OF, '--json').stdout
        self.assertEqual(json.loads(out), api)
        out = self.s.hailong('metrics', '--db', self.s.db_path, '--unit',
                             'H21.227', '--month', '2025-10', '--as-of',
                             AS_OF, '--json', '--recompute').stdout
        self.assertEqual(json.loads(out), api)

    def test_cli_table_is_vietnamese(self):
        out = self.s.hailong('metrics', '--db', self.s.db_path, '--unit',
                             'H21.227', '--month', '2025-10', '--as-of',
                             AS_OF).stdout
        self.assertIn('CHỈ SỐ THÁNG 10/2025 — UBND xã Vân Canh (H21.227)',
                      out)
        self.assertIn('Tính đến 05/11/2025 00:00', out)
        self.assertRegex(out, r'Tỷ lệ hài lòng \(mức 4–5\) +50,00%')
        self.assertRegex(out, r'Giải quyết đúng hạn +75,00% +\(3/4\)')
        self.assertIn('2.1: 15,00/20  3.3: 4,80/6  4.2: 2,40/4  5.4: 2,67/6',
                      out)
        self.assertRegex(out, r'VC01 +Nguyễn Thị Lan +2  chưa đủ dữ liệu')
        r = self.s.hailong('metrics', '--db', self.s.db_path, '--unit',
                           'H99', '--month', '2025-10', check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("unknown unit 'H99'", r.stderr)

    def test_imported_ratings_are_chained_and_audited(self):
        with self.s.db() as c:
            rows = c.execute("SELECT channel, source FROM ratings "
                             "WHERE id IN ('R1', 'R6')").fetchall()
            audit = c.execute("SELECT actor, detail FROM audit WHERE "
                              "action = 'import.ratings'").fetchall()
        self.assertEqual({tuple(r) for r in rows},
                         {('import', 'import:apikey:1')})
        self.assertTrue(any(a['actor'] == 'apikey:1' and
                            '"accepted":6' in a['detail'] for a in audit))
        out = self.s.hailong('verify-chain', '--db', self.s.db_path).stdout
        self.assertIn('chain intact', out)


class Rules(unittest.TestCase):
    """The thresholds are data: a new version changes later months only."""

    def test_new_version_from_a_month(self):
        s = Server(name='rules')
        try:
            shown = s.hailong('rules', 'show', '--db', s.db_path, '--month',
                              '2025-10')
            rules = json.loads(shown.stdout)
            self.assertIn('rules version 1, effective from 2000-01',
                          shown.stderr)
            self.assertEqual(rules, {
                'n_min': 10, 'z': 1.96,
                'flags': {'LOW_SATISFACTION': 0.9, 'HIGH_SUPPLEMENT': 0.2,
                          'LOW_ONLINE': 0.5, 'LATE': 0.9},
                'points': {'2.1': {'max': 20},
                           '3.3': {'max': 6, 'target': 0.5},
                           '4.2': {'max': 4},
                           '5.4': {'max': 6, 'full_at': 0.9}}})
            rules['n_min'] = 3
            path = os.path.join(s.dir, 'rules.json')
            with open(path, 'w') as f:
                json.dump(rules, f)
            out = s.hailong('rules', 'add', '--db', s.db_path,
                            '--effective', '2025-11', path).stdout
            self.assertIn('rules version 2 effective from 2025-11', out)
            # three dissatisfied ratings in October and in November
            rows = ['id,unit,level,rated_at'] + [
                f'X-{m}-{i},H21.227,1,2025-{m}-05T09:00:00+07:00'
                for m in (10, 11) for i in range(3)]
            with open(os.path.join(s.dir, 'r.csv'), 'w') as f:
                f.write('\n'.join(rows) + '\n')
            s.hailong('import', 'ratings', '--db', s.db_path,
                      os.path.join(s.dir, 'r.csv'))
            docs = {m: json.loads(s.hailong(
                'metrics', '--db', s.db_path, '--unit', 'H21.227', '--month',
                m, '--as-of', '2026-01-01T00:00:00+07:00', '--json').stdout)
                for m in ('2025-10', '2025-11')}
            # October under version 1 (n_min 10): 3 ratings are no flag
            self.assertEqual(docs['2025-10']['rules_version'], 1)
            self.assertEqual(docs['2025-10']['total']['flags'], [])
            # November under version 2 (n_min 3): 0 of 3, upper .5615
            self.assertEqual(docs['2025-11']['rules_version'], 2)
            self.assertEqual(docs['2025-11']['rules']['n_min'], 3)
            self.assertEqual(docs['2025-11']['total']['flags'],
                             ['LOW_SATISFACTION'])
            # a bad body is refused and names the key
            with open(path, 'w') as f:
                f.write('{"n_min": 10, "z": 1.96}')
            r = s.hailong('rules', 'add', '--db', s.db_path, '--effective',
                          '2026-01', path, check=False)
            self.assertEqual(r.returncode, 1)
            self.assertIn('flags.LOW_SATISFACTION', r.stderr)
            with s.db() as c:
                self.assertEqual(c.execute(
                    "SELECT count(*) FROM audit WHERE action = 'rules.add'"
                ).fetchone()[0], 1)
        finally:
            s.__exit__(None, None, None)


class Feeds(unittest.TestCase):
    """Per-item answers of POST /api/v1/dossiers and /api/v1/ratings."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='feeds').start()
        cls.key = add_key(cls.s, 'H21.227')

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def post(self, path, doc):
        return self.s.post_json(path, doc, bearer(self.key))

    def test_dossier_statuses(self):
        d = {'code': 'H21.227-251010-0100', 'procedure': P1,
             'unit': 'H21.227', 'channel': 2,
             'received_at': '2025-10-10T08:00:00+07:00',
             'supplement_requests': 0,
             'updated_at': '2025-10-10T08:00:00+07:00'}
        newer = {**d, 'supplement_requests': 1,
                 'updated_at': '2025-10-11T08:00:00+07:00'}
        same_time = {**d, 'corrections': 2}
        r = self.post('/api/v1/dossiers', [d])
        self.assertEqual(r.json()['items'][0]['status'], 'accepted')
        r = self.post('/api/v1/dossiers', [d, newer, d, same_time,
                                           {**d, 'unit': 'H21.228'},
                                           {**d, 'channel': 4}])
        self.assertEqual(r.status, 200, r)
        got = r.json()
        self.assertEqual([i['status'] for i in got['items']],
                         ['duplicate', 'accepted', 'stale', 'stale',
                          'rejected', 'rejected'])
        self.assertEqual(got['items'][4]['errors'],
                         [{'column': 'unit', 'message':
                           "'H21.228' is not a unit this key may write to"}])
        self.assertEqual(got['items'][5]['errors'][0]['column'], 'channel')
        self.assertEqual((got['accepted'], got['duplicate'], got['stale'],
                          got['rejected']), (1, 1, 2, 2))
        with self.s.db() as c:
            row = c.execute('SELECT supplement_requests FROM dossiers '
                            'WHERE code = ?', (d['code'],)).fetchone()
        self.assertEqual(row[0], 1)  # the newer version won
        # the same updated_at with other content: refused, says why
        r = self.post('/api/v1/dossiers', [{**newer, 'digitized': 1}])
        item = r.json()['items'][0]
        self.assertEqual(item['status'], 'rejected')
        self.assertIn('same updated_at is stored', item['errors'][0]['message'])

    def test_rating_statuses(self):
        a = {'id': 'F-1', 'unit': 'H21.227', 'level': 4,
             'rated_at': '2025-10-10T08:00:00+07:00'}
        r = self.post('/api/v1/ratings', [a, {**a, 'id': 'F-2', 'level': 9}])
        self.assertEqual([i['status'] for i in r.json()['items']],
                         ['accepted', 'rejected'])
        r = self.post('/api/v1/ratings', [a, {**a, 'level': 1},
                                          {**a, 'id': 'F-3', 'unit': 'H21'}])
        items = r.json()['items']
        self.assertEqual([i['status'] for i in items],
                         ['duplicate', 'conflict', 'rejected'])
        self.assertEqual(items[1]['errors'][0]['column'], 'id')
        self.assertEqual(self.s.count("SELECT count(*) FROM ratings WHERE "
                                      "id LIKE 'F-%'"), 1)

    def test_bad_bodies(self):
        h = {**bearer(self.key), 'Content-Type': 'text/plain'}
        self.assertEqual(self.s.post('/api/v1/ratings', '[]', h).status, 415)
        r = self.post('/api/v1/dossiers', {'code': 'x'})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()['message'],
                         'line 1: the input must be a JSON array of objects')
        h = {**bearer(self.key), 'Content-Type': 'application/json'}
        r = self.s.post('/api/v1/ratings', '[{"id": "x"} {}]', h)
        self.assertEqual(r.status, 400)
        r = self.post('/api/v1/ratings', [{}] * 10001)
        self.assertEqual(r.status, 413)
        self.assertIn('more than 10000 items', r.json()['message'])
        # a key is required; a wrong one is refused
        r = self.s.post_json('/api/v1/dossiers', [])
        self.assertEqual(r.status, 401)
        self.assertEqual(r.headers.get('www-authenticate'), 'Bearer')
        r = self.s.post_json('/api/v1/dossiers', [],
                             bearer('hlk_' + 'A' * 43))
        self.assertEqual(r.status, 401)


if __name__ == '__main__':
    unittest.main()
