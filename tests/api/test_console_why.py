"""What staff see of "why" (issue 17, item 4): reasons, visits,
channels, coverage and exclusions on the procedure, counters, officers
and public pages.

The month is the current one (the questionnaire's version with markup in
a label is added for it); everything goes in through the CLI and the API:
dossiers and ratings by API key, one rating by a kiosk, spam marked on
the comments page.
"""
import datetime
import json
import os
import re
import tempfile
import time
import unittest

from tests.api.hl import Browser, Server, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw, item

PW = 'mật khẩu rất dài 1'
UNIT = 'H21.227'
P1 = '1.001193'
KRATINGS = '/api/v1/kiosk/ratings'
LABEL_VI = '<b>Chờ</b> "lâu" & <script>x</script>'
LABEL_EN = '<i>Long</i> wait'


def value(fragment, key):
    m = re.search(r'data-k="%s" data-v="([^"]*)"' % re.escape(key), fragment)
    assert m, f'no figure {key} in {fragment[:300]}'
    return m.group(1)


def part(html, start_attr, end='</tr>'):
    i = html.index(start_attr)
    return html[i:html.index(end, i)]


def iso(t):
    return datetime.datetime.fromtimestamp(
        t, datetime.timezone(datetime.timedelta(hours=7))).isoformat()


class Why(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = s = Server(name='why')
        run('user', 'add', '--db', s.db_path, '--unit', UNIT, '--role',
            'manager', '--name', 'mgr', '--password-stdin', input=PW + '\n')
        # a version of the questionnaire for this month, markup in a label
        doc = json.loads(run('instrument', 'show', '--db', s.db_path,
                             '--json').stdout)
        cls.code0 = doc['reasons'][0]['code']
        cls.code1 = doc['reasons'][1]['code']
        doc['reasons'][0]['vi'] = LABEL_VI
        doc['reasons'][0]['en'] = LABEL_EN
        path = os.path.join(tempfile.mkdtemp(prefix='hailong-why-'), 'v.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(doc, f, ensure_ascii=False)
        now = time.time() - 120
        cls.month = datetime.datetime.fromtimestamp(
            now, datetime.timezone(datetime.timedelta(hours=7))
        ).strftime('%Y-%m')
        cls.dcode = UNIT + '-' + datetime.datetime.fromtimestamp(
            now, datetime.timezone(datetime.timedelta(hours=7))
        ).strftime('%y%m%d') + '-9'
        run('instrument', 'add', '--db', s.db_path, '--effective', cls.month,
            path)
        key = run('apikey', 'add', '--db', s.db_path, '--unit',
                  UNIT).stdout.strip().splitlines()[-1]
        s.start()
        auth = {'Authorization': 'Bearer ' + key}
        # four dossiers of P1, received a minute before the ratings
        rec = iso(now - 60)
        rows = ['code,procedure,unit,channel,received_at,due_at,'
                'finished_at,supplement_requests,supplement_seconds,'
                'corrections,full_online,digitized,complaint,updated_at']
        for i in range(1, 5):
            rows.append(f'{cls.dcode}{i:04d},{P1},{UNIT},1,{rec},,,0,0,0,0,0,'
                        f'0,{rec}')
        r = s.post('/api/v1/dossiers', '\r\n'.join(rows) + '\r\n',
                   {**auth, 'Content-Type': 'text/csv'})
        assert r.status == 200 and r.json()['accepted'] == 4, r.text
        at = iso(now)
        ratings = [
            {'id': 'R1', 'unit': UNIT, 'procedure': P1, 'level': 5,
             'visits': 1, 'reasons': f'{cls.code0};{cls.code1}',
             'dossier': f'{cls.dcode}0001', 'rated_at': at},
            # no procedure: P1's through its dossier
            {'id': 'R2', 'unit': UNIT, 'level': 2,
             'visits': 3, 'reasons': cls.code0,
             'comment': 'Qua hồ sơ <em>thủ tục</em>',
             'dossier': f'{cls.dcode}0002', 'rated_at': at},
            {'id': 'R3', 'unit': UNIT, 'procedure': P1, 'level': 4,
             'comment': 'Mua hàng giá rẻ tại đây', 'rated_at': at},
            # an officer with one rating: below n_min
            {'id': 'R4', 'unit': UNIT, 'officer': 'VC09', 'level': 1,
             'reasons': cls.code1, 'rated_at': at},
        ]
        # counter 2 / officer VC02: ten ratings, enough to show
        for i in range(10):
            ratings.append({'id': f'C{i}', 'unit': UNIT, 'counter': 2,
                            'officer': 'VC02', 'level': 5, 'visits': 1,
                            'reasons': cls.code1 if i < 3 else '',
                            'rated_at': at})
        r = s.post_json('/api/v1/ratings', ratings, auth)
        assert r.status == 200 and r.json()['accepted'] == 14, r.text
        # a kiosk rating naming dossier 3: the procedure through it
        _, code, _ = add_kiosk(s, counter=1)
        r = enrol_raw(s, code)
        assert r.status == 201, r
        k = Signer(r.json()['kiosk'], r.json()['secret'])
        r = k.post(s, KRATINGS, {'ratings': [
            item('7d0c2f4e-8a55-4c1e-9a0e-000000000001', 5,
                 seq=k.nonce() % 1000000, dossier=f'{cls.dcode}0003',
                 rated_at=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(now)))]})
        assert r.status == 200, r
        cls.b = Browser(s).logged_in('mgr', PW)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def page(self, path, lang=''):
        r = self.b.get(f'{path}?month={self.month}{lang}')
        self.assertEqual(r.status, 200, r)
        return r.text

    def proc(self, lang=''):
        return self.page(f'/admin/units/{UNIT}/procedures/{P1}', lang)

    def test_1_procedure_page(self):
        h = self.proc()
        why = part(h, 'id="why"', '</section>')
        # R1 names both reasons, R2 the first: 2 and 1 bars
        self.assertEqual(value(why, f'reason_{self.code0}'), '2')
        self.assertEqual(value(why, f'reason_{self.code1}'), '1')
        self.assertEqual(value(why, 'reasons_given'), '2')
        row = part(why, f'data-reason="{self.code0}"')
        self.assertIn('width="160.0"', row)          # the longest bar
        self.assertIn('width="80.0"',
                      part(why, f'data-reason="{self.code1}"'))
        # the label is the version's, escaped
        self.assertIn('&lt;b&gt;Chờ&lt;/b&gt; &quot;lâu&quot; &amp; '
                      '&lt;script&gt;x&lt;/script&gt;', row)
        self.assertNotIn('<b>Chờ', h)
        self.assertNotIn('<script>x', h)
        # one visit: R1 of R1, R2
        self.assertEqual(value(why, 'visits_answered'), '2')
        self.assertEqual(value(why, 'one_visit_rate'), '0.5000')
        self.assertIn('50,0\u00a0%', part(why, 'data-k="one_visit_rate"', '</td>'))
        # channels: 3 by the API (import), 1 by the kiosk
        self.assertEqual(value(why, 'ratings_import'), '3')
        self.assertEqual(value(why, 'ratings_kiosk'), '1')
        self.assertEqual(value(why, 'satisfied_rate_kiosk'), '1.0000')
        self.assertIn('Ki-ốt', why)
        self.assertIn('Phiếu giấy/nhập', why)
        # coverage: D1, D2 (API), D3 (kiosk) of 4
        self.assertEqual(value(why, 'coverage_rate'), '0.7500')
        self.assertIn('75,0\u00a0% hồ sơ được đánh giá', why)
        self.assertEqual(value(why, 'excluded_spam'), '0')
        self.assertIn('class="legend"', why)
        e = self.proc('&lang=en')
        self.assertIn('&lt;i&gt;Long&lt;/i&gt; wait', e)
        self.assertIn('Kiosk', part(e, 'id="why"', '</section>'))
        self.assertIn('75.0% of dossiers rated', e)

    def test_1_comments_through_the_dossier(self):
        com = part(self.proc(), 'id="comments"', '</ul>')
        self.assertIn('Qua hồ sơ &lt;em&gt;thủ tục&lt;/em&gt;', com)
        self.assertIn('Mua hàng', com)
        h = self.b.get(f'/admin/units/{UNIT}/comments?procedure={P1}').text
        self.assertIn('Qua hồ sơ &lt;em&gt;thủ tục&lt;/em&gt;', h)
        self.assertIn('Mua hàng', h)
        h = self.b.get(f'/admin/units/{UNIT}/comments?procedure=1.003583'
                       ).text
        self.assertNotIn('Qua hồ sơ', h)

    def test_2_officer_below_n_min_and_counters(self):
        h = self.page(f'/admin/units/{UNIT}/officers')
        low = part(h, 'data-officer="VC09"')
        self.assertEqual(value(low, 'ratings'), '1')
        self.assertIn('chưa đủ dữ liệu', low)
        for k in ('one_visit_rate', 'excluded'):
            self.assertNotRegex(low, r'data-k="%s" data-v' % k)
        self.assertNotIn('data-reason', low)
        self.assertNotIn('%', low)
        for page, attr in (('counters', f'data-unit="{UNIT}" '
                                         'data-counter="2"'),
                           ('officers', 'data-officer="VC02"')):
            row = part(self.page(f'/admin/units/{UNIT}/{page}'), attr)
            self.assertEqual(value(row, 'ratings'), '10')
            self.assertEqual(value(row, 'one_visit_rate'), '1.0000')
            self.assertIn(f'data-reason="{self.code1}" data-v="3"', row)
            self.assertIn('data-channel="import" data-v="10"', row)
            self.assertIn('Phiếu giấy/nhập 10', row)
            self.assertEqual(value(row, 'excluded'), '0')
        # the kiosk's one rating at counter 1: masked like the rest
        low = part(self.page(f'/admin/units/{UNIT}/counters'),
                   f'data-unit="{UNIT}" data-counter="1"')
        self.assertNotIn('data-channel', low)

    def test_3_spam_is_excluded_and_public_page(self):
        h = self.page(f'/admin/units/{UNIT}/comments')
        seq = re.search(r'/comments/(\d+)/status',
                        h[h.index('Mua hàng'):]).group(1)
        r = self.b.post_form(f'/admin/units/{UNIT}/comments/{seq}/status',
                             {'csrf': self.b.csrf(), 'status': 'spam'})
        self.assertIn(r.status, (200, 303), r)
        why = part(self.proc(), 'id="why"', '</section>')
        self.assertEqual(value(why, 'excluded_spam'), '1')
        self.assertEqual(value(why, 'ratings_import'), '2')
        # the public page: aggregates of coverage and exclusions
        r = self.s.get(f'/cong-khai/{UNIT}?month={self.month}')
        self.assertEqual(r.status, 200)
        ex = part(r.text, 'id="excluded"', '</table>')
        self.assertEqual(value(ex, 'excluded_spam'), '1')
        row = part(r.text, f'<tr data-unit="{UNIT}"')
        self.assertEqual(value(row, 'excluded'), '1')
        # 4 dossiers < n_min: coverage is not published as a number
        self.assertNotRegex(ex, r'data-k="coverage_rate" data-v')
        self.assertIn('chưa đủ dữ liệu', ex)
        self.assertNotIn('Mua hàng', r.text)


if __name__ == '__main__':
    unittest.main()
