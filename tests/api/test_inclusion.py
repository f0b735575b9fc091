"""Inclusion (issue 18): who rated (người dân / doanh nghiệp) and the
"assisted" mark, through every way in, counted by hand.

Nine valid ratings of H21.227 this month (level, requester, assisted):

    F1 form   5 citizen  assisted     K1 kiosk  4 business assisted
    F2 form   2 business              K2 kiosk  4 (an older kiosk: no fields)
    F3 form   4 -                     K5 kiosk  5 citizen
    F4 form   4 - (both fields empty) I1 import 3 citizen  assisted
                                      I2 import 2 business

N = 9, satisfied (4, 5) = F1 F3 F4 K1 K2 K5 = 6.
    citizen     F1 K5 I1: 3 ratings, 2 satisfied: 0.6667
    business    F2 K1 I2: 3 ratings, 1 satisfied: 0.3333
    unspecified F3 F4 K2: 3 ratings, 3 satisfied: 1.0
    assisted    F1 K1 I1: 3 ratings, 2 satisfied: 0.6667
Bad values are refused (the form in Vietnamese, nothing stored; a kiosk
item or an import line rejected on its own).
"""
import csv
import datetime
import json
import os
import re
import tempfile
import unittest
import uuid

from tests.api.hl import ROOT, Browser, Server, form_nonce, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw, item
from tests.api.schemacheck import check

PROC = '1.001193'
RATINGS = '/api/v1/kiosk/ratings'
ICT = datetime.timezone(datetime.timedelta(hours=7))


def bearer(key):
    return {'Authorization': 'Bearer ' + key}


def add_key(s, unit):
    out = run('apikey', 'add', '--db', s.db_path, '--unit', unit).stdout
    return out.strip().splitlines()[-1]


class Inclusion(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server('--rate-limit-per-min', '0', name='inclusion').start()
        cls.tok = cls.s.token(counter=1, procedure=PROC)
        cls.key = add_key(cls.s, 'H21.227')
        kid, code, _ = add_kiosk(cls.s, counter=1)
        r = enrol_raw(cls.s, code)
        assert r.status == 201, r
        cls.kiosk = Signer(r.json()['kiosk'], r.json()['secret'])
        now = datetime.datetime.now(ICT)
        cls.month = now.strftime('%Y-%m')
        # a minute ago: the same month unless the test runs at midnight
        # of the first (then the figures below are split; rerun)
        cls.when = (now - datetime.timedelta(minutes=1)).isoformat(
            timespec='seconds')
        cls.results = {}
        cls._rate_all()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    # -- the ratings ---------------------------------------------------

    @classmethod
    def form(cls, fields):
        r = cls.s.get('/q/' + cls.tok)
        assert r.status == 200, r
        nonce = form_nonce(r.text)
        r = cls.s.post_form('/q/' + cls.tok, {'nonce': nonce, **fields})
        return r, nonce

    @classmethod
    def _rate_all(cls):
        res = cls.results
        res['F1'] = cls.form({'level': '5', 'requester': 'citizen',
                              'assisted': '1'})
        res['F2'] = cls.form({'level': '2', 'requester': 'business'})
        res['F3'] = cls.form({'level': '4'})
        res['F4'] = cls.form({'level': '4', 'requester': '',
                              'assisted': ''})
        k1 = item('k-' + uuid.uuid4().hex, 4, seq=1)
        k1.update(requester='business', assisted=True)
        k2 = item('k-' + uuid.uuid4().hex, 4, seq=2)  # as an old kiosk
        del k2['reasons']
        k3 = item('k-' + uuid.uuid4().hex, 5, seq=3)
        k3['requester'] = 'doanh nghiệp'
        k4 = item('k-' + uuid.uuid4().hex, 5, seq=4)
        k4['assisted'] = 'yes'
        k5 = item('k-' + uuid.uuid4().hex, 5, seq=5)
        k5.update(requester='citizen', assisted=False)
        cls.kiosk_items = [k1, k2, k3, k4, k5]
        res['K'] = cls.kiosk.post(cls.s, RATINGS,
                                  {'ratings': cls.kiosk_items})
        res['I'] = cls.s.post_json('/api/v1/ratings', [
            {'id': 'I1', 'unit': 'H21.227', 'level': 3,
             'requester': 'citizen', 'assisted': True,
             'rated_at': cls.when},
            {'id': 'I2', 'unit': 'H21.227', 'level': 2,
             'requester': 'business', 'rated_at': cls.when},
            {'id': 'I3', 'unit': 'H21.227', 'level': 5,
             'requester': 'dn', 'rated_at': cls.when},
            {'id': 'I4', 'unit': 'H21.227', 'level': 5,
             'assisted': 2, 'rated_at': cls.when}], bearer(cls.key))

    def row(self, where, *params):
        with self.s.db() as c:
            return c.execute('SELECT * FROM ratings WHERE ' + where,
                             params).fetchone()

    # -- storage ---------------------------------------------------------

    def test_form_stores_requester_and_assisted(self):
        for name, want in [('F1', (1, 1)), ('F2', (2, 0)), ('F3', (None, 0)),
                           ('F4', (None, 0))]:
            r, nonce = self.results[name]
            self.assertEqual(r.status, 200, (name, r.text))
            row = self.row('id = ?', nonce)
            self.assertIsNotNone(row, name)
            self.assertEqual((row['requester'], row['assisted']), want, name)

    def test_form_refuses_bad_values_in_vietnamese_and_stores_nothing(self):
        before = self.s.count()
        for fields, words in [
                ({'requester': 'người dân'},
                 'Mục “Người đánh giá” không hợp lệ'),
                ({'requester': 'citizen&requester=business'}, None),
                ({'assisted': 'yes'},
                 'Ô “Có người hỗ trợ nhập đánh giá” không hợp lệ'),
                ({'assisted': '2'},
                 'Ô “Có người hỗ trợ nhập đánh giá” không hợp lệ')]:
            r = self.s.get('/q/' + self.tok)
            nonce = form_nonce(r.text)
            if fields.get('requester', '').startswith('citizen&'):
                # the field twice
                body = (f'nonce={nonce}&level=4&requester=citizen&'
                        'requester=business')
                r = self.s.post('/q/' + self.tok, body, {
                    'Content-Type': 'application/x-www-form-urlencoded'})
                words = 'Mục “Người đánh giá” không hợp lệ'
            else:
                r = self.s.post_form('/q/' + self.tok,
                                     {'nonce': nonce, 'level': '4',
                                      **fields})
            self.assertEqual(r.status, 400, (fields, r.text[:300]))
            self.assertIn(words, r.text)
            self.assertIsNone(self.row('id = ?', nonce))
        self.assertEqual(self.s.count(), before)

    def test_kiosk_items_old_and_new(self):
        r = self.results['K']
        self.assertEqual(r.status, 200, r)
        got = [(x['status'], x.get('reason')) for x in r.json()['results']]
        self.assertEqual(got, [('accepted', None), ('accepted', None),
                               ('rejected', 'requester'),
                               ('rejected', 'assisted'),
                               ('accepted', None)])
        want = [(2, 1), (None, 0), None, None, (1, 0)]
        for it, w in zip(self.kiosk_items, want):
            row = self.row("channel = 'kiosk' AND id = ?", it['id'])
            if w is None:
                self.assertIsNone(row, it)
            else:
                self.assertEqual((row['requester'], row['assisted']), w, it)

    def test_import_columns(self):
        r = self.results['I']
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual((doc['accepted'], doc['rejected']), (2, 2), doc)
        errors = [e for x in doc['items'] for e in x.get('errors', [])]
        self.assertIn('requester', [e['column'] for e in errors])
        self.assertIn('assisted', [e['column'] for e in errors])
        self.assertEqual(
            tuple(self.row("channel = 'import' AND id = 'I1'")[k]
                  for k in ('requester', 'assisted')), (1, 1))
        self.assertEqual(
            tuple(self.row("channel = 'import' AND id = 'I2'")[k]
                  for k in ('requester', 'assisted')), (2, 0))

    def test_the_chain_still_verifies(self):
        p = run('verify-chain', '--db', self.s.db_path)
        self.assertEqual(p.returncode, 0, p.stderr)

    # -- figures -----------------------------------------------------------

    def test_metrics_by_requester_and_assisted(self):
        r = self.s.get(f'/api/v1/metrics?unit=H21.227&month={self.month}',
                       bearer(self.key))
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        with open(os.path.join(ROOT, 'schemas', 'metrics.schema.json')) as f:
            check(doc, json.load(f))
        t = doc['total']
        self.assertEqual(t['ratings'], 9)
        self.assertEqual(t['satisfied_rate'], 0.6667)           # 6 / 9
        self.assertEqual(t['by_requester'], {
            'citizen': {'ratings': 3, 'satisfied_rate': 0.6667},      # 2/3
            'business': {'ratings': 3, 'satisfied_rate': 0.3333},     # 1/3
            'unspecified': {'ratings': 3, 'satisfied_rate': 1.0}})   # 3/3
        self.assertEqual(t['assisted'],
                         {'ratings': 3, 'satisfied_rate': 0.6667})   # 2/3
        self.assertEqual(t['counts']['requester_ratings'], [3, 3])
        self.assertEqual(t['counts']['requester_satisfied'], [2, 1])
        self.assertEqual(t['counts']['assisted_ratings'], 3)
        self.assertEqual(t['counts']['assisted_satisfied'], 2)
        # counter 1: the form's and the kiosk's (F1-F4, K1, K2, K5)
        c1 = [c for c in doc['counters'] if c['counter'] == 1][0]
        self.assertEqual(c1['by_requester']['citizen'],
                         {'ratings': 2, 'satisfied_rate': 1.0})  # F1 K5
        self.assertEqual(c1['by_requester']['business'],
                         {'ratings': 2, 'satisfied_rate': 0.5})  # F2 K1
        self.assertEqual(c1['by_requester']['unspecified'],
                         {'ratings': 3, 'satisfied_rate': 1.0})  # F3 F4 K2
        self.assertEqual(c1['assisted'],
                         {'ratings': 2, 'satisfied_rate': 1.0})  # F1 K1

    def test_report_carries_them(self):
        d = tempfile.mkdtemp(dir=self.s.dir)
        run('report', 'build', '--db', self.s.db_path, '--unit', 'H21.227',
            '--month', self.month, '--out', d)
        with open(os.path.join(d, 'report.json')) as f:
            doc = json.load(f)
        self.assertEqual((doc['definition_version'], doc['report_version']),
                         (3, 3))
        t = doc['total']
        self.assertEqual(t['by_requester']['business'],
                         {'ratings': 3, 'satisfied_rate': 0.3333})
        self.assertEqual(t['assisted'],
                         {'ratings': 3, 'satisfied_rate': 0.6667})
        with open(os.path.join(d, 'report.csv'), encoding='utf-8-sig',
                  newline='') as f:
            next(f)     # the row of Vietnamese words (report_files.c)
            total = list(csv.DictReader(f))[0]
        self.assertEqual(total['by_requester.citizen.ratings'], '3')
        self.assertEqual(total['by_requester.unspecified.satisfied_rate'],
                         '1.0')
        self.assertEqual(total['assisted.ratings'], '3')

    def test_staff_page_shows_the_table(self):
        b = Browser(self.s)
        r = b.login(*self.s.login)
        self.assertIn(r.status, (200, 303), r)
        r = b.get(f'/admin/units/H21.227/procedures/{PROC}'
                  f'?month={self.month}')
        self.assertEqual(r.status, 200, r)
        html = r.text
        # the procedure's rating that named it: F1-F4 (the token's), and
        # none of the kiosk's or imports (no procedure)
        rows = {}
        for key in ('citizen', 'business', 'unspecified', 'assisted'):
            m = re.search(r'data-k="ratings_%s" data-v="(\d+)">([^<]*)<'
                          r'/td><td class="num" data-k="satisfied_rate_%s" '
                          r'data-v="([^"]+)">([^<]*)<' % (key, key), html)
            self.assertIsNotNone(m, key)
            rows[key] = m.groups()
        self.assertEqual(rows['citizen'], ('1', '1', '1.0000', '100,0\u00a0%'))
        self.assertEqual(rows['business'], ('1', '1', '0.0000', '0,0\u00a0%'))
        self.assertEqual(rows['unspecified'], ('2', '2', '1.0000',
                                               '100,0\u00a0%'))
        self.assertEqual(rows['assisted'], ('1', '1', '1.0000', '100,0\u00a0%'))
        for words in ('Người dân', 'Doanh nghiệp', 'Không cho biết',
                      'Có người hỗ trợ', 'tổ công nghệ số cộng đồng'):
            self.assertIn(words, html)


if __name__ == '__main__':
    unittest.main()
