"""Periods: a quarter's and a year's figures from the sums of the months'
counts (METRICS.md "Periods"), the errors of a bad period, the roll-up of
subordinates' monthly reports into a parent's quarter, and who has not
reported (the console page, GET /api/v1/reports/status, the gauge).

Every expectation is written beside its arithmetic.
"""
import base64
import datetime
import json
import os
import re
import shutil
import tempfile
import unittest

from tests.api.hl import ROOT, Browser, Server, run
from tests.api.schemacheck import check

PW = 'mật khẩu đủ dài 2026'
ICT = datetime.timezone(datetime.timedelta(hours=7))
AFTER = '2026-01-10T00:00:00+07:00'   # after the year 2025: rollups hold


def bearer(key):
    return {'Authorization': 'Bearer ' + key}


def add_key(s, unit):
    return s.hailong('apikey', 'add', '--db', s.db_path, '--unit',
                     unit).stdout.strip().splitlines()[-1]


def rating(rid, unit, level, when):
    return {'id': rid, 'unit': unit, 'level': level, 'rated_at': when}


# H21.227 in 2025: March 3, 2; October 5, 5, 4, 2; November 5, 1, 1;
# December 4, 4, 4, 4, 3.
LEVELS = {'2025-03': [3, 2], '2025-10': [5, 5, 4, 2], '2025-11': [5, 1, 1],
          '2025-12': [4, 4, 4, 4, 3]}


def ratings_of(unit, levels, prefix):
    out = []
    for month, ls in levels.items():
        for i, lv in enumerate(ls):
            out.append(rating(f'{prefix}{month}-{i}', unit, lv,
                              f'{month}-{10 + i:02d}T09:00:00+07:00'))
    return out


class Figures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='periods').start()
        cls.key = add_key(cls.s, 'H21.227')
        data = ratings_of('H21.227', LEVELS, 'F')
        # inclusion (helper INCL's counts): who asked, and assisted
        marks = {'F2025-10-0': ('business', True),
                 'F2025-12-0': ('business', False),
                 'F2025-11-1': ('citizen', True)}
        for x in data:
            if x['id'] in marks:
                x['requester'], x['assisted'] = marks[x['id']]
        r = cls.s.post_json('/api/v1/ratings', data, bearer(cls.key))
        assert r.status == 200 and r.json()['accepted'] == 14, r
        with open(os.path.join(ROOT, 'schemas', 'metrics.schema.json')) as f:
            cls.schema = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def get(self, period, as_of=AFTER, unit='H21.227'):
        q = f'/api/v1/metrics?unit={unit}&period={period}'
        if as_of:
            q += '&as_of=' + as_of.replace('+', '%2B')
        return self.s.get(q, bearer(self.key))

    def cli(self, *args):
        return run('metrics', '--db', self.s.db_path, '--unit', 'H21.227',
                   *args, check=False)

    def test_quarter_from_the_sums_of_the_months(self):
        r = self.get('2025-Q4')
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(doc['month'], '2025-Q4')
        self.assertEqual(check(doc, self.schema), [])
        t = doc['total']
        # 4 + 3 + 5 ratings; n1 = 2 (Nov), n2 = 1 (Oct), n3 = 1 (Dec),
        # n4 = 1 + 4, n5 = 2 + 1
        self.assertEqual(t['ratings'], 12)
        self.assertEqual(t['by_level'], [2, 1, 1, 5, 3])
        # (5 + 3) / 12 = 0.66666... -> 0.6667; the mean of the monthly
        # rates (3/4 + 1/3 + 4/5) / 3 = 0.6278 would be wrong
        self.assertEqual(t['satisfied_rate'], 0.6667)
        self.assertEqual(t['dissatisfied_rate'], 0.25)       # 3 / 12
        # (2*1 + 1*2 + 1*3 + 5*4 + 3*5) / 12 = 42 / 12
        self.assertEqual(t['mean_level'], 3.5)
        # by requester and assisted, summed like every count: business
        # levels 5 (Oct) and 4 (Dec); citizen 1 (Nov); the 9 others 6
        # satisfied; assisted 5 (Oct) and 1 (Nov)
        self.assertEqual(t['by_requester'], {
            'business': {'ratings': 2, 'satisfied_rate': 1.0},
            'citizen': {'ratings': 1, 'satisfied_rate': 0.0},
            'unspecified': {'ratings': 9, 'satisfied_rate': 0.6667}})
        self.assertEqual(t['assisted'], {'ratings': 2,
                                         'satisfied_rate': 0.5})
        # the quarter is the sum of its months, month by month
        months = [self.get(m).json()['total'] for m in
                  ('2025-10', '2025-11', '2025-12')]
        self.assertEqual([m['ratings'] for m in months], [4, 3, 5])
        self.assertEqual(t['counts']['by_level'],
                         [sum(m['counts']['by_level'][i] for m in months)
                          for i in range(5)])

    def test_year(self):
        t = self.get('2025').json()['total']
        # 14 ratings: n1 2, n2 2, n3 2, n4 5, n5 3
        self.assertEqual(t['ratings'], 14)
        self.assertEqual(t['by_level'], [2, 2, 2, 5, 3])
        self.assertEqual(t['satisfied_rate'], 0.5714)        # 8 / 14
        self.assertEqual(t['dissatisfied_rate'], 0.2857)     # 4 / 14
        self.assertEqual(t['mean_level'], 3.3571)            # 47 / 14
        # Q1 holds March only: 3 and 2
        q1 = self.get('2025-Q1').json()['total']
        self.assertEqual((q1['ratings'], q1['satisfied_rate']), (2, 0.0))

    def test_cli_gives_the_same_document(self):
        api = self.get('2025-Q4').json()
        p = self.cli('--period', '2025-Q4', '--as-of', AFTER, '--json')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout), api)
        # from the raw rows, the same figures
        p = self.cli('--period', '2025-Q4', '--as-of', AFTER, '--json',
                     '--recompute')
        self.assertEqual(json.loads(p.stdout)['total'], api['total'])
        p = self.cli('--period', '2025', '--as-of', AFTER, '--json')
        self.assertEqual(json.loads(p.stdout), self.get('2025').json())
        # a month given as a period is the month
        p = self.cli('--period', '2025-10', '--as-of', AFTER, '--json')
        q = self.cli('--month', '2025-10', '--as-of', AFTER, '--json')
        self.assertEqual(p.stdout, q.stdout)
        # the table names the period
        p = self.cli('--period', '2025-Q4', '--as-of', AFTER)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith('CHỈ SỐ QUÝ 4/2025 — '), p.stdout)
        p = self.cli('--period', '2025', '--as-of', AFTER)
        self.assertTrue(p.stdout.startswith('CHỈ SỐ NĂM 2025 — '), p.stdout)

    def test_bad_periods_api(self):
        cases = {
            '2025-Q5': "period '2025-Q5': a quarter is Q1 to Q4, not Q5",
            '2025-13': "period '2025-13': a month is 01 to 12, not 13",
            '25-Q1': "period '25-Q1': a period is a month YYYY-MM, a "
                     "quarter YYYY-Qn (n 1 to 4) or a year YYYY",
            '1999': "period '1999': the year 1999 is outside 2000 to 2199",
        }
        for p, msg in cases.items():
            r = self.get(p)
            self.assertEqual(r.status, 400, p)
            self.assertEqual(r.json(), {'error': 'bad_period',
                                        'message': msg}, p)
        # the database's first month is 2025-03 (the first rating)
        r = self.get('2024')
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json(), {
            'error': 'bad_period',
            'message': "the period 2024 ends before the database's first "
                       "month 2025-03: it holds no data of 2024"})
        r = self.get('2024-Q4')
        self.assertEqual(r.status, 400)
        self.assertIn('2024-Q4 ends before', r.json()['message'])
        # a year that begins before it and ends after it is fine
        self.assertEqual(self.get('2025').status, 200)
        # month and period together: which one?
        r = self.s.get('/api/v1/metrics?unit=H21.227&month=2025-10&'
                       'period=2025-Q4', bearer(self.key))
        self.assertEqual(r.status, 400)

    def test_bad_periods_cli(self):
        cases = {
            '2025-Q5': "--period '2025-Q5': a quarter is Q1 to Q4, not Q5",
            '2025-13': "--period '2025-13': a month is 01 to 12, not 13",
            '2025-Q': "--period '2025-Q': a period is a month YYYY-MM",
            '2025-1': "--period '2025-1': a period is a month YYYY-MM",
        }
        for p, msg in cases.items():
            r = self.cli('--period', p)
            self.assertEqual(r.returncode, 2, p)
            self.assertIn(msg, r.stderr, p)
        r = self.cli('--period', '2024')
        self.assertEqual(r.returncode, 2)
        self.assertIn("the period 2024 ends before the database's first "
                      "month 2025-03", r.stderr)
        r = self.cli('--period', '2025-Q4', '--month', '2025-10')
        self.assertEqual(r.returncode, 2)
        # report build: the same checks, the same exit
        d = tempfile.mkdtemp(dir=self.s.dir)
        r = run('report', 'build', '--db', self.s.db_path, '--unit',
                'H21.227', '--period', '2025-Q0', '--out', d, check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn('a quarter is Q1 to Q4, not Q0', r.stderr)
        r = run('report', 'build', '--db', self.s.db_path, '--unit',
                'H21.227', '--period', '2024', '--out', d, check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("ends before the database's first month", r.stderr)

    def test_deadline_rule_versions(self):
        s = self.s
        p = run('report', 'deadline', '--db', s.db_path)
        self.assertEqual(p.stdout, 'version 1  effective 2000-01  5 days\n')
        p = run('report', 'deadline', '--db', s.db_path, '--days', '12',
                '--effective', '2025-11')
        self.assertEqual(p.stdout,
                         'report deadline version 2: 12 days, effective '
                         '2025-11\n')
        for bad in (('--days', '400', '--effective', '2025-11'),
                    ('--days', '3', '--effective', '2025-13'),
                    ('--days', '3')):
            p = run('report', 'deadline', '--db', s.db_path, *bad,
                    check=False)
            self.assertEqual(p.returncode, 2, bad)
        with s.db() as c:
            self.assertEqual(c.execute(
                "SELECT count(*) FROM audit WHERE action = "
                "'rules.report_deadline'").fetchone()[0], 1)
        # October 2025 keeps 5 days, November on takes 12
        doc = self.s.get('/api/v1/reports/status?period=2025-Q4',
                         bearer(self.key)).json()
        self.assertEqual([(x['period'], x['deadline_days'], x['deadline'])
                          for x in doc['periods']], [
            ('2025-10', 5, '2025-11-06T00:00:00+07:00'),
            ('2025-11', 12, '2025-12-13T00:00:00+07:00'),
            ('2025-12', 12, '2026-01-13T00:00:00+07:00'),
            ('2025-Q4', 12, '2026-01-13T00:00:00+07:00')])

    def test_public_page(self):
        for q, n, label in (('2025-Q4', 12, 'Quý 4/2025'),
                            ('2025', 14, 'Năm 2025')):
            r = self.s.get(f'/cong-khai/H21.227?month={q}')
            self.assertEqual(r.status, 200, q)
            self.assertIn(f'data-k="ratings" data-v="{n}"', r.text, q)
            self.assertIn(f'<option value="{q}" selected>{label}</option>',
                          r.text)
            # the heading names the period, not its last month
            self.assertIn(f'data-k="month" data-v="{q}">{label.lower()}'
                          '</span>', r.text, q)
        r = self.s.get('/cong-khai/H21.227?month=2025-Q5')
        self.assertEqual(r.status, 400)
        self.assertIn('Quý phải từ 1 đến 4', r.text)

    def test_report_of_a_quarter(self):
        d = tempfile.mkdtemp(dir=self.s.dir)
        run('report', 'build', '--db', self.s.db_path, '--unit', 'H21.227',
            '--period', '2025-Q4', '--as-of', AFTER, '--out', d)
        with open(f'{d}/report.json') as f:
            doc = json.load(f)
        self.assertEqual(doc['month'], '2025-Q4')
        self.assertEqual(doc['period'], {
            'start': '2025-10-01T00:00:00+07:00',
            'end': '2026-01-01T00:00:00+07:00'})
        self.assertEqual(doc['total']['ratings'], 12)
        with open(os.path.join(ROOT, 'schemas', 'report.schema.json')) as f:
            self.assertEqual(check(doc, json.load(f)), [])

    def test_console_period_picker_and_errors(self):
        b = Browser(self.s)
        b.login(*self.s.login)
        r = b.get('/admin/units/H21.227/procedures?month=2025-Q4')
        self.assertEqual(r.status, 200, r)
        html = r.text
        self.assertIn('<option value="2025-Q4" selected>Quý 4/2025</option>',
                      html)
        self.assertIn('<optgroup label="Năm">', html)
        self.assertNotIn('type="text"', html.split('class="month"')[1]
                         .split('</form>')[0])
        # the figures' headings name the quarter, on the overview and on
        # a procedure's page
        self.assertIn('name="month" value="2025-Q4"', html)
        r = b.get('/admin/units/H21.227?month=2025-Q4')
        self.assertIn('data-k="month" data-v="2025-Q4">quý 4/2025</span>',
                      r.text)
        self.assertNotIn('tháng 12/2025</span></h2>', r.text)
        # (a procedure the unit offers: its page shows the period even
        # when it has no ratings in it)
        r = b.get('/admin/units/H21.227/procedures/1.001193?month=2025-Q4')
        self.assertEqual(r.status, 200)
        self.assertIn('data-k="month" data-v="2025-Q4">Quý 4/2025</span>',
                      r.text)
        for q, msg in (('2025-Q5', 'Quý phải từ 1 đến 4'),
                       ('2025-13', 'Tháng phải từ 01 đến 12'),
                       ('10/2025', 'Kỳ không hợp lệ'),
                       ('2024', 'kết thúc trước tháng đầu tiên có dữ '
                                'liệu (tháng 03/2025)')):
            r = b.get(f'/admin/units/H21.227/procedures?month={q}')
            self.assertEqual(r.status, 400, q)
            self.assertIn(msg, r.text, q)
        # the reports page: a select, no text box for the month
        r = b.get('/admin/units/H21.227/reports?month=2025-Q4')
        self.assertEqual(r.status, 200)
        self.assertIn('<select id="month" name="month">', r.text)
        self.assertNotIn('pattern="[0-9]{4}-[0-9]{2}"', r.text)
        self.assertIn('Báo cáo Quý 4/2025'.lower(), r.text.lower())
        r = b.get('/admin/units/H21.227/reports?month=2025-Q9')
        self.assertEqual(r.status, 400)
        self.assertIn('Quý phải từ 1 đến 4', r.text)
        # the console builds the quarter's report
        b.get('/admin/units/H21.227/reports?month=2025-Q4')
        r = b.post_form('/admin/units/H21.227/reports', {
            'action': 'build', 'month': '2025-Q4', 'csrf': b.csrf()})
        self.assertEqual(r.status, 200, r)
        self.assertIn('Đã lập báo cáo.', r.text)
        with self.s.db() as c:
            kind, month, js = c.execute(
                'SELECT kind, month, json FROM reports_made ORDER BY id '
                'DESC LIMIT 1').fetchone()
        self.assertEqual((kind, month), ('q', 202510))
        doc = json.loads(js)
        self.assertEqual((doc['month'], doc['total']['ratings']),
                         ('2025-Q4', 12))
        # listed under the quarter, not under October
        self.assertIn('reports/', b.get(
            '/admin/units/H21.227/reports?month=2025-Q4').text.split(
            'class="reports"')[1])
        self.assertNotIn('class="reports"', b.get(
            '/admin/units/H21.227/reports?month=2025-10').text)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


class Rollup(unittest.TestCase):
    """Three communes' signed reports into the province's quarter."""

    CHILDREN = ('H21.101', 'H21.227', 'H21.228')

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='hailong-periods-')
        keys = cls.keys = os.path.join(cls.tmp, 'keys')
        for unit in cls.CHILDREN + ('H21', 'H21.104'):
            run('keys', 'demo', '--unit', unit, '--out', keys)
        cls.s = Server('--report-ca', os.path.join(keys, 'ca.pem'),
                       '--report-submissions-per-hour', '100',
                       name='rollup').start()
        cls.pkey = add_key(cls.s, 'H21')
        data = []
        for n, unit in enumerate(cls.CHILDREN):
            # each child its own levels, shifted so the rates differ
            lv = {m: [(x + n) % 5 + 1 for x in ls]
                  for m, ls in LEVELS.items() if m != '2025-03'}
            data += ratings_of(unit, lv, f'K{n}')
        data += [rating('P1', 'H21', 5, '2025-11-20T09:00:00+07:00'),
                 rating('P2', 'H21', 2, '2025-12-20T09:00:00+07:00')]
        r = cls.s.post_json('/api/v1/ratings', data, bearer(cls.pkey))
        assert r.status == 200 and r.json()['accepted'] == len(data), r
        cls.up = {u: add_key(cls.s, u) for u in cls.CHILDREN + ('H21.104',)}

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def send(self, unit, *period):
        d = tempfile.mkdtemp(dir=self.tmp)
        run('report', 'build', '--db', self.s.db_path, '--unit', unit,
            *period, '--as-of', AFTER, '--out', d)
        run('report', 'sign', '--key', f'{self.keys}/{unit}.key.pem',
            '--cert', f'{self.keys}/{unit}.cert.pem', d)
        with open(f'{d}/report.json', 'rb') as f:
            js = f.read()
        with open(f'{d}/report.json.p7s', 'rb') as f:
            sig = f.read()
        r = self.s.post_json('/api/v1/reports', {
            'report_json': b64(js), 'report_p7s': b64(sig)},
            bearer(self.up[unit]))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def quarter(self):
        r = self.s.get('/api/v1/metrics?unit=H21&period=2025-Q4',
                       bearer(self.pkey))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def test_three_childrens_months_equal_the_parent_computing(self):
        # the parent computing the quarter from its own rows
        def raw_now():
            return json.loads(run('metrics', '--db', self.s.db_path,
                                  '--unit', 'H21', '--period', '2025-Q4',
                                  '--json', '--recompute').stdout)
        raw = raw_now()
        # 3 children x 12 ratings + the province's 2
        self.assertEqual(raw['total']['ratings'], 38)
        before = self.quarter()
        self.assertEqual(before['total'], raw['total'])
        # two communes send their months, the third its quarter
        for unit in ('H21.227', 'H21.228'):
            for m in ('2025-10', '2025-11', '2025-12'):
                self.assertEqual(self.send(unit, '--month', m)['month'], m)
        self.assertEqual(self.send('H21.101', '--period', '2025-Q4')['month'],
                         '2025-Q4')
        after = self.quarter()
        # the reports' counts summed: the same figures, nothing twice
        self.assertEqual(after['total'], raw['total'])
        self.assertEqual(after['total']['ratings'], 38)
        # and the province's quarterly report names the 7 reports used
        d = tempfile.mkdtemp(dir=self.tmp)
        run('report', 'build', '--db', self.s.db_path, '--unit', 'H21',
            '--period', '2025-Q4', '--out', d)
        with open(f'{d}/report.json') as f:
            doc = json.load(f)
        used = sorted((x['unit'], x['month']) for x in
                      doc['included_reports'])
        self.assertEqual(used, [
            ('H21.101', '2025-Q4'),
            ('H21.227', '2025-10'), ('H21.227', '2025-11'),
            ('H21.227', '2025-12'),
            ('H21.228', '2025-10'), ('H21.228', '2025-11'),
            ('H21.228', '2025-12')])
        self.assertEqual(doc['total'], raw['total'])
        # the 51 direct subordinates less the three that reported all of
        # the quarter
        missing = {x['unit'] for x in doc['missing_reports']}
        self.assertEqual(len(missing), 48)
        self.assertFalse(missing & set(self.CHILDREN))
        # a signed report's counts stand for the child: a rating added
        # here afterwards for H21.227 in November does not count
        r = self.s.post_json('/api/v1/ratings', [
            rating('LATE1', 'H21.227', 1, '2025-11-25T09:00:00+07:00')],
            bearer(self.pkey))
        self.assertEqual(r.status, 200)
        self.assertEqual(raw_now()['total']['ratings'], 39)
        self.assertEqual(self.quarter()['total']['ratings'], 38)
        self.assertEqual(self.quarter()['total'], raw['total'])
        # one month of three is not the quarter: H21.104 is still missing
        self.send('H21.104', '--month', '2025-10')
        d = tempfile.mkdtemp(dir=self.tmp)
        run('report', 'build', '--db', self.s.db_path, '--unit', 'H21',
            '--period', '2025-Q4', '--out', d)
        with open(f'{d}/report.json') as f:
            doc = json.load(f)
        self.assertIn('H21.104', {x['unit'] for x in doc['missing_reports']})
        self.assertIn(('H21.104', '2025-10'), {
            (x['unit'], x['month']) for x in doc['included_reports']})


def month_add(ym, k):
    y, m = ym
    i = y * 12 + m - 1 + k
    return (i // 12, i % 12 + 1)


def ym_s(ym):
    return f'{ym[0]:04d}-{ym[1]:02d}'


class Status(unittest.TestCase):
    """A child that sent on time, one that sent late, one that did not."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='hailong-status-')
        keys = cls.keys = os.path.join(cls.tmp, 'keys')
        for unit in ('H21.227', 'H21.228'):
            run('keys', 'demo', '--unit', unit, '--out', keys)
        cls.s = Server('--report-ca', os.path.join(keys, 'ca.pem'),
                       name='status').start()
        cls.pkey = add_key(cls.s, 'H21')
        cls.ckey = add_key(cls.s, 'H21.227')
        cls.dkey = add_key(cls.s, 'H21.228')
        now = datetime.datetime.now(ICT)
        cls.cur = (now.year, now.month)
        cls.last = month_add(cls.cur, -1)        # the latest closed month
        cls.before = month_add(cls.cur, -2)
        # H21.227 sends the last month now: the deadline is 5 days after
        # its end, so on time while today is before the 6th
        cls.deadline = datetime.datetime(cls.cur[0], cls.cur[1], 6,
                                         tzinfo=ICT)
        cls.on_time = now < cls.deadline
        run('user', 'add', '--db', cls.s.db_path, '--unit', 'H21', '--role',
            'reporter', '--name', 'tinh', '--password-stdin',
            input=PW + '\n')
        run('user', 'add', '--db', cls.s.db_path, '--unit', 'H21.227',
            '--role', 'admin', '--name', 'xavc', '--password-stdin',
            input=PW + '\n')
        cls.sent = cls.send(cls, 'H21.227', cls.last, cls.ckey)
        # H21.228 sends the month before: a month late
        cls.send(cls, 'H21.228', cls.before, cls.dkey)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def send(self, unit, ym, key):
        d = tempfile.mkdtemp(dir=self.tmp)
        run('report', 'build', '--db', self.s.db_path, '--unit', unit,
            '--month', ym_s(ym), '--out', d)
        run('report', 'sign', '--key', f'{self.keys}/{unit}.key.pem',
            '--cert', f'{self.keys}/{unit}.cert.pem', d)
        with open(f'{d}/report.json', 'rb') as f:
            js = f.read()
        with open(f'{d}/report.json.p7s', 'rb') as f:
            sig = f.read()
        r = self.s.post_json('/api/v1/reports', {
            'report_json': b64(js), 'report_p7s': b64(sig)}, bearer(key))
        assert r.status == 200, r
        return r.json()

    def status(self, query, key=None):
        return self.s.get('/api/v1/reports/status?' + query,
                          bearer(key or self.pkey))

    def test_api(self):
        r = self.status('last=2')
        self.assertEqual(r.status, 200, r)
        doc = r.json()
        self.assertEqual(doc['unit'], 'H21')
        self.assertEqual([p['period'] for p in doc['periods']],
                         [ym_s(self.before), ym_s(self.last)])
        self.assertEqual([p['deadline_days'] for p in doc['periods']], [5, 5])
        self.assertEqual(doc['periods'][1]['deadline'],
                         self.deadline.isoformat())
        rows = {u['unit']: u['periods'] for u in doc['units']}
        self.assertEqual(len(rows), 51)          # H21's active children
        sent = rows['H21.227'][1]
        self.assertEqual(sent['status'],
                         'verified' if self.on_time else 'late')
        self.assertEqual(sent['received_at'], self.sent['received_at'])
        self.assertEqual(sent['signer'], self.sent['signer'])
        self.assertEqual(rows['H21.227'][0]['status'], 'missing')
        self.assertTrue(rows['H21.227'][0]['overdue'])
        late = rows['H21.228'][0]
        self.assertEqual(late['status'], 'late')
        self.assertRegex(late['received_at'], r'\+07:00$')
        self.assertIn('H21.228', late['signer'])
        none = rows['H21.101']
        self.assertEqual([c['status'] for c in none], ['missing', 'missing'])
        self.assertEqual([c['overdue'] for c in none],
                         [True, not self.on_time])
        self.assertIsNone(none[0]['received_at'])
        self.assertIsNone(none[0]['signer'])
        # overdue and missing: 51 - 1 of the month before (H21.228 sent,
        # late) and, once due, 51 - 1 of the last month
        self.assertEqual(doc['missing'], 50 + (0 if self.on_time else 50))
        self.assertEqual(doc['late'], 1 + (0 if self.on_time else 1))

    def test_a_quarter_and_bad_queries(self):
        y, m = self.last
        q = (m - 1) // 3 + 1
        doc = self.status(f'period={y}-Q{q}').json()
        self.assertEqual(len(doc['periods']), 4)  # 3 months and the quarter
        self.assertEqual(doc['periods'][3]['period'], f'{y}-Q{q}')
        r = self.status('period=2026-Q5')
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()['message'],
                         "period '2026-Q5': a quarter is Q1 to Q4, not Q5")
        self.assertEqual(self.status('last=25').status, 400)
        self.assertEqual(self.status('').status, 400)

    def test_scoping(self):
        # a commune's key sees no status of the province
        r = self.status('last=2&unit=H21', self.ckey)
        self.assertEqual(r.status, 404)
        r = self.status('last=2&unit=H21.227', self.dkey)
        self.assertEqual(r.status, 404)
        # its own (no subordinates): an empty list
        doc = self.status('last=2', self.ckey).json()
        self.assertEqual((doc['unit'], doc['units']), ('H21.227', []))
        r = self.s.get('/api/v1/reports/status?last=2')
        self.assertEqual(r.status, 401)

    def test_console_page(self):
        # a commune's admin cannot open its province's page
        b = Browser(self.s)
        b.login('xavc', PW)
        r = b.get('/admin/units/H21/reports/status?last=2')
        self.assertEqual(r.status, 404)
        b = Browser(self.s)
        b.login('tinh', PW)
        # the reports tab links to it where there are subordinates
        self.assertIn('href="/admin/units/H21/reports/status"',
                      b.get('/admin/units/H21/reports').text)
        self.assertNotIn('/reports/status',
                         b.get('/admin/units/H21.227/reports').text)
        r = b.get('/admin/units/H21/reports/status?last=2')
        self.assertEqual(r.status, 200, r)
        html = r.text
        row = re.search(r'<tr data-unit="H21.228">.*?</tr>', html).group(0)
        self.assertIn('data-status="late"', row)
        self.assertIn('Nộp muộn', row)
        row = re.search(r'<tr data-unit="H21.101">.*?</tr>', html).group(0)
        self.assertIn('Chưa nộp', row)
        row = re.search(r'<tr data-unit="H21.227">.*?</tr>', html).group(0)
        self.assertIn('Đã nhận, đã xác minh' if self.on_time else 'Nộp muộn',
                      row)
        # the receipt time as people read it, never RFC 3339
        self.assertRegex(row, r'\d\d/\d\d/\d{4} \d\d:\d\d')
        self.assertNotRegex(html, r'\d{4}-\d\d-\d\dT')
        self.assertIn(f'Tháng {self.last[1]:02d}/{self.last[0]}', html)
        r = b.get('/admin/units/H21/reports/status?period=2026-Q7')
        self.assertEqual(r.status, 400)
        self.assertIn('Quý phải từ 1 đến 4', r.text)
        r = b.get('/admin/units/H21/reports/status?last=99')
        self.assertEqual(r.status, 400)
        self.assertIn('Số tháng gần nhất phải từ 1 đến 24', r.text)

    def test_gauge(self):
        r = self.s.get('/metrics')
        self.assertEqual(r.status, 200)
        line = (f'hailong_reports_missing{{unit="H21",period='
                f'"{ym_s(self.last)}",overdue="'
                f'{0 if self.on_time else 1}"}} 50')
        self.assertIn('\n' + line + '\n', r.text)


class Folded(unittest.TestCase):
    """A quarter of folded months: as of its end or later, from the folded
    counts; as of a time inside a folded month, an error naming it."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='folded').start()
        key = add_key(cls.s, 'H21.227')
        now = datetime.datetime.now(ICT)
        cur = (now.year, now.month)
        # the quarter that ended at least 15 months ago: folded with N=13
        last = month_add(cur, -15)
        while last[1] % 3 != 0:
            last = month_add(last, -1)
        cls.months = [month_add(last, -2), month_add(last, -1), last]
        cls.q = f'{last[0]}-Q{last[1] // 3}'
        levels = {ym_s(m): ls for m, ls in
                  zip(cls.months, ([5, 4], [1], [4, 3, 5]))}
        r = cls.s.post_json('/api/v1/ratings',
                            ratings_of('H21.227', levels, 'Z'), bearer(key))
        assert r.status == 200 and r.json()['accepted'] == 6, r
        conf = os.path.join(cls.s.dir, 'h.conf')
        with open(conf, 'w') as f:
            f.write(f'db = {cls.s.db_path}\nretention_fold_months = 13\n')
        run('retention', '--config', conf)
        cls.key = key

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_after_the_quarter_from_the_folded_counts(self):
        self.assertEqual(self.s.count(), 0)        # the rows are gone
        p = run('metrics', '--db', self.s.db_path, '--unit', 'H21.227',
                '--period', self.q, '--json')
        t = json.loads(p.stdout)['total']
        # 6 ratings: 5, 4 | 1 | 4, 3, 5 -> satisfied 4 / 6
        self.assertEqual(t['ratings'], 6)
        self.assertEqual(t['satisfied_rate'], 0.6667)

    def test_inside_a_folded_month(self):
        mid = self.months[1]
        as_of = f'{ym_s(mid)}-15T00:00:00+07:00'
        end = ym_s(self.months[2]) + '-01T00:00:00+07:00'
        p = run('metrics', '--db', self.s.db_path, '--unit', 'H21.227',
                '--period', self.q, '--as-of', as_of, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn(
            f'the ratings of {ym_s(mid)} are folded into monthly counts '
            f'and their raw rows are gone: the rating figures of '
            f'{self.q} (satisfied_rate and every figure of the ratings) '
            f'as of a time inside {ym_s(mid)} need them; ask as of {end} '
            'or later', p.stderr)
        r = self.s.get(f'/api/v1/metrics?unit=H21.227&period={self.q}&'
                       f'as_of={as_of.replace("+", "%2B")}',
                       bearer(self.key))
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()['error'], 'folded')
        self.assertIn(f'the ratings of {ym_s(mid)} are folded',
                      r.json()['message'])


class FoldedAndRaw(unittest.TestCase):
    """Quarters across the fold's horizon (folded months beside raw ones):
    each quarter's total, counters and officers are the sums of its three
    month documents, those read from the folded counts and those from the
    rollups alike.  The counters and officers are summed in C from the
    rollups' rows (rollup.c read_staff()): a wrong group shows here."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='foldraw').start()
        key = add_key(cls.s, 'H21.227')
        now = datetime.datetime.now(ICT)
        cur = (now.year, now.month)
        # with the fold at N months (13 to 15: the one that puts the
        # horizon inside a quarter), month -(N + 1) is the newest folded
        # one: made the first month of a quarter, that quarter holds a
        # folded month and two raw ones; the quarter before it is folded
        for fold in (13, 14, 15):
            first = month_add(cur, -(fold + 1))
            if first[1] % 3 == 1:
                break
        months = [month_add(first, k) for k in range(-3, 3)]
        cls.quarters = []
        for q in (months[:3], months[3:]):
            cls.quarters.append((f'{q[0][0]}-Q{(q[0][1] + 2) // 3}',
                                 [ym_s(m) for m in q]))
        # counters 1 and 2, officers VC01 (at both counters) and VC02,
        # ratings naming neither, one of them, or both; levels vary
        staff = [(1, 'VC01'), (2, 'VC01'), (2, 'VC02'), (1, None),
                 (None, 'VC02'), (None, None), (2, None)]
        data = []
        for mi, m in enumerate(months):
            for i in range(3 + mi):
                counter, officer = staff[(i + mi) % len(staff)]
                x = rating(f'FR{ym_s(m)}-{i}', 'H21.227',
                           1 + (i * 2 + mi) % 5,
                           f'{ym_s(m)}-{10 + i:02d}T09:00:00+07:00')
                if counter:
                    x['counter'] = counter
                if officer:
                    x['officer'] = officer
                data.append(x)
        r = cls.s.post_json('/api/v1/ratings', data, bearer(key))
        assert r.status == 200 and r.json()['accepted'] == len(data), r
        conf = os.path.join(cls.s.dir, 'h.conf')
        with open(conf, 'w') as f:
            f.write(f'db = {cls.s.db_path}\n'
                    f'retention_fold_months = {fold}\n')
        run('retention', '--config', conf)
        cls.folded = {f'{m // 100:04d}-{m % 100:02d}' for (m,) in
                      cls.s.db().execute(
                          'SELECT DISTINCT month FROM folded_procedure')}
        cls.key = key

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def get(self, period):
        r = self.s.get(f'/api/v1/metrics?unit=H21.227&period={period}',
                       bearer(self.key))
        self.assertEqual(r.status, 200, r)
        return r.json()

    @staticmethod
    def sums(docs):
        total, counters, officers = 0, {}, {}
        by_level = [0] * 5
        for d in docs:
            total += d['total']['ratings']
            by_level = [a + b for a, b in
                        zip(by_level, d['total']['counts']['by_level'])]
            for c in d['counters']:
                k = (c['unit'], c['counter'])
                counters[k] = counters.get(k, 0) + c['ratings']
            for o in d['officers']:
                officers[o['id']] = officers.get(o['id'], 0) + o['ratings']
        return total, by_level, counters, officers

    def test_quarters_are_the_sums_of_their_months(self):
        # some months folded, some raw: the fixture spans the horizon
        # the first quarter folded; the second its first month only
        months = [m for _, ms in self.quarters for m in ms]
        self.assertEqual(sorted(self.folded & set(months)), months[:4])
        for q, ms in self.quarters:
            with self.subTest(quarter=q, folded=sorted(self.folded)):
                got = self.sums([self.get(q)])
                want = self.sums([self.get(m) for m in ms])
                self.assertEqual(got, want)
                # every staff scope is there, with its ratings
                self.assertEqual(set(got[2]), {('H21.227', 1),
                                               ('H21.227', 2)})
                self.assertEqual(set(got[3]), {'VC01', 'VC02'})
                self.assertEqual(got[0], sum(got[1]))


if __name__ == '__main__':
    unittest.main()
