"""The staff console's figures, reviews and the public page (issue 5, A).

A small month (October 2026, H21.227) goes in with `hailong import`; every
figure the pages show is checked against the arithmetic written beside it.
Then what an attacker or a careless user would try: other units' URLs,
roles short of the page, POSTs without CSRF, SQL and HTML in every query
parameter and in review notes, review steps out of order.
"""
import datetime
import math
import os
import re
import unittest
import urllib.parse

from tests.api.hl import Browser, Server, run

PW = 'mật khẩu rất dài 1'
UNIT = 'H21.227'
P1, P2 = '1.001193', '1.003583'
MONTH = '2026-10'

# P1: 12 ratings at counter 1 / officer VC01, levels 5,5,5,4,4,4,3,3,2,2,1,1;
# the first four answer all nine criteria (2,2,1,1 points each) and
# supplement_reported (yes, yes, yes, no).  P2: 4 ratings of 5 at counter
# 2 / officer VC02 (below n_min = 10).  September: P1 rated 5, 5, 1.
NINE = {2: ','.join(['2'] * 9), 1: ','.join(['1'] * 9)}
EMPTY9 = ','.join([''] * 9)
COMMENT = ('Gọi tôi 0912 345 678 <script>alert(1)</script> '
           '"onerror=alert(2) javascript:alert(3)')
RATINGS = ['id,unit,counter,officer,procedure,level,' +
           ','.join(f'c{i}' for i in range(1, 10)) +
           ',supplement_reported,comment,rated_at']
for i, lvl in enumerate([5, 5, 5, 4, 4, 4, 3, 3, 2, 2, 1, 1]):
    crit = NINE[2] if i < 2 else NINE[1] if i < 4 else EMPTY9
    sup = ['1', '1', '1', '0'][i] if i < 4 else ''
    com = '"' + COMMENT.replace('"', '""') + '"' if i == 8 else ''
    RATINGS.append(f'A{i},{UNIT},1,VC01,{P1},{lvl},{crit},{sup},{com},'
                   f'2026-10-{5 + i // 2:02d}T{9 + i % 2:02d}:00:00+07:00')
for i in range(4):
    RATINGS.append(f'B{i},{UNIT},2,VC02,{P2},5,{EMPTY9},,,'
                   f'2026-10-{11 + i // 2:02d}T{9 + i % 2:02d}:00:00+07:00')
for i, lvl in enumerate([5, 5, 1]):
    RATINGS.append(f'S{i},{UNIT},1,VC01,{P1},{lvl},{EMPTY9},,,'
                   f'2026-09-0{5 + i}T09:00:00+07:00')

# 10 dossiers of P1 received 1/10, due 20/10: D1 online, fully online;
# D2-D4 one supplement request each, D5 one correction; D1-D5
# digitised; D9, D10 finished after the due date (late).
DOSSIERS = ['code,procedure,unit,channel,received_at,due_at,finished_at,'
            'supplement_requests,supplement_seconds,corrections,full_online,'
            'digitized,complaint,updated_at']
for i in range(1, 11):
    fin = '2026-10-25T09:00:00+07:00' if i >= 9 else '2026-10-15T09:00:00+07:00'
    DOSSIERS.append(
        f'{UNIT}-261001-{i:04d},{P1},{UNIT},{2 if i == 1 else 1},'
        f'2026-10-01T08:00:00+07:00,2026-10-20T17:00:00+07:00,{fin},'
        f'{1 if i in (2, 3, 4) else 0},0,{1 if i == 5 else 0},'
        f'{1 if i == 1 else 0},{1 if i <= 5 else 0},0,{fin}')

USERS = (('adm', UNIT, 'admin'), ('mgr', UNIT, 'manager'),
         ('rep', UNIT, 'reporter'), ('view', UNIT, 'viewer'),
         ('tinh', 'H21', 'manager'), ('hue', 'H57', 'manager'))
ROLES = ('adm', 'mgr', 'rep', 'view')


def wilson(k, n, z=1.96):
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    m = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return c - m, c + m


def r(v, places=4):
    """Half away from zero, as METRICS.md rounds."""
    f = 10 ** places
    return math.floor(v * f + 0.5) / f


def fmt(v, places=4):
    return f'{r(v, places):.{places}f}'


def shown_rate(v, lang='vi'):
    s = f'{math.floor(v * 1000 + 0.5) / 10:.1f}%'
    return s.replace('.', ',') if lang == 'vi' else s


def part(html, start_attr, end='</tr>'):
    """The fragment from the element carrying start_attr to its end."""
    i = html.index(start_attr)
    return html[i:html.index(end, i)]


def value(fragment, key):
    m = re.search(r'data-k="%s" data-v="([^"]*)"' % re.escape(key), fragment)
    assert m, f'no figure {key} in {fragment[:300]}'
    return m.group(1)


def today_vn():
    return (datetime.datetime.now(datetime.timezone.utc)
            + datetime.timedelta(hours=7)).date()


class Console(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = s = Server(name='console')
        for name, rows in (('ratings', RATINGS), ('dossiers', DOSSIERS)):
            path = os.path.join(s.dir, name + '.csv')
            with open(path, 'w', encoding='utf-8') as f:
                f.write('\n'.join(rows) + '\n')
            out = run('import', name, '--db', s.db_path, path).stdout
            assert f'{len(rows) - 1} accepted' in out, out
        for name, unit, role in USERS:
            run('user', 'add', '--db', s.db_path, '--unit', unit, '--role',
                role, '--name', name, '--password-stdin', input=PW + '\n')
        s.start()
        cls.b = {name: Browser(s).logged_in(name, PW) for name, _, _ in USERS}

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def get(self, who, path):
        return self.b[who].get(path)

    def open_review(self, who='mgr', **fields):
        b = self.b[who]
        b.get(f'/admin/units/{UNIT}/procedures/{P1}?month={MONTH}')
        f = {'csrf': b.csrf(), 'procedure': P1, 'month': MONTH,
             'owner': 'mgr',
             'due': (today_vn() + datetime.timedelta(days=7)).isoformat(),
             'notes': ''}
        f.update(fields)
        f = {k: v for k, v in f.items() if v is not None}
        return b.post_form(f'/admin/units/{UNIT}/reviews', f)

    # -- figures -----------------------------------------------------------

    def test_overview_figures_are_the_hand_computed_ones(self):
        r_ = self.get('view', f'/admin/units/{UNIT}?month={MONTH}')
        self.assertEqual(r_.status, 200, r_)
        h = r_.text
        fig = part(h, 'id="figures"', '</table>')
        lo, hi = wilson(10, 16)         # (n4 + n5) = 6 + 4 of 16
        expect = {
            'ratings': '16',
            'satisfied_rate': '0.6250',
            'dissatisfied_rate': '0.2500',              # 4 / 16
            'mean_level': fmt(59 / 16),                 # 15+12+6+4+2+20
            'ballot_score': '13.5000',                  # (18+18+9+9) / 4
            'reported_supplement_rate': '0.7500',       # 3 yes of 4
            'dossiers': '10',
            'on_time_rate': '0.8000',                   # D9, D10 late
            'online_rate': '0.1000',
            'full_online_rate': '0.1000',
            'digitized_rate': '0.5000',
            'handling_satisfaction_rate': '0.8000',     # 2 bad of 10
            'supplement_or_correction_rate': '0.4000',  # D2-D5
            'points_2.1': '16.00',                      # 20 x .8
            'points_3.3': '1.20',                       # 6 x .1/.5
            'points_4.2': '2.00',                       # 4 x .5
            'points_5.4': fmt(6 * 0.8 / 0.9, 2),        # 5.33
            'points_total': '24.53',
        }
        for k, v in expect.items():
            with self.subTest(figure=k):
                self.assertEqual(value(fig, k), v)
        sat = part(fig, 'data-row="satisfied_rate"')
        self.assertIn(f'data-lo="{fmt(lo)}" data-hi="{fmt(hi)}"', sat)
        self.assertIn('62,5\u00a0%', sat)
        # the trend of the satisfied rate: September 2 of 3, October 10/16
        trend = part(fig, 'data-k="satisfied_rate" role', '</figure>') \
            if 'data-k="satisfied_rate" role' in fig else \
            part(fig, '<figure class="trend" data-k="satisfied_rate"',
                 '</figure>')
        self.assertIn('<title>tháng 09/2026: 66,7\u00a0%</title>', trend)
        self.assertIn('<title>tháng 10/2026: 62,5\u00a0%</title>', trend)
        self.assertNotIn('<title>tháng 08/2026', trend)      # no data: a gap
        # no inline style or script anywhere (the CSP forbids them)
        self.assertNotRegex(h, r'(?i)<script|style=|\son\w+=')
        self.assertIn("default-src 'none'",
                      r_.headers['content-security-policy'])

    def test_overview_flags_by_severity_and_roles(self):
        up = wilson(6, 12)[1]           # P1, counter 1, VC01: 6 of 12
        h = self.get('mgr', f'/admin/units/{UNIT}?month={MONTH}').text
        flags = part(h, 'id="flags"', '</table>')
        self.assertIn(f'{P1}', flags)
        self.assertIn('data-flag="LOW_SATISFACTION"', flags)
        self.assertIn('data-flag="LOW_ONLINE"', flags)  # 1/10 online
        self.assertIn('/counters', flags)
        self.assertIn('VC01', flags)
        self.assertIn(f'{0.9 - up:.4f}', flags)
        # a viewer sees the procedure, not the counter or the officer
        h = self.get('view', f'/admin/units/{UNIT}?month={MONTH}').text
        flags = part(h, 'id="flags"', '</table>')
        self.assertIn(P1, flags)
        self.assertNotIn('VC01', flags)
        self.assertNotIn('/counters', flags)
        self.assertNotIn('/counters"', h)              # no tab either
        # the kiosks section is there (none registered: none offline)
        self.assertIn('id="kiosks"', h)

    def test_kiosk_offline_is_listed(self):
        out = run('kiosk', 'add', '--db', self.s.db_path, '--unit', UNIT,
                  '--counter', '3').stdout
        code = out.strip().splitlines()[-1]
        self.assertTrue(code)
        with self.s.db() as c:
            # enrolled long ago and silent since: offline
            c.execute("UPDATE kiosks SET enrolled_at = 1, last_seen = 1, "
                      "secret = zeroblob(32) WHERE counter = 3")
        h = self.get('view', f'/admin/units/{UNIT}').text
        k = part(h, 'id="kiosks"', '</table>')
        self.assertIn('class="offline"', k)
        self.assertIn('01/01/1970', k)

    def test_procedures_table_sorts_and_filters(self):
        base = f'/admin/units/{UNIT}/procedures?month={MONTH}'

        def order(q=''):
            r_ = self.get('rep', base + q)
            self.assertEqual(r_.status, 200, r_)
            return re.findall(r'<tr data-procedure="([^"]+)"', r_.text)

        self.assertEqual(order(), [P1, P2])            # flagged first
        self.assertEqual(order('&sort=ratings&dir=asc'), [P2, P1])
        self.assertEqual(order('&sort=ratings&dir=desc'), [P1, P2])
        self.assertEqual(order('&sort=satisfied&dir=desc'), [P2, P1])
        self.assertEqual(order('&sort=code&dir=desc'), [P2, P1])
        # P2 has no dossiers: its rate is null and goes last either way
        self.assertEqual(order('&sort=online&dir=asc'), [P1, P2])
        self.assertEqual(order('&sort=online&dir=desc'), [P1, P2])
        self.assertEqual(order('&flag=LOW_ONLINE'), [P1])
        self.assertEqual(order('&flag=any'), [P1])
        self.assertEqual(order('&flag=LATE'), [])
        self.assertEqual(order('&field=' + urllib.parse.quote('Hộ tịch')),
                         [P1, P2])
        with self.s.db() as c:
            other = c.execute("SELECT field FROM procedures WHERE field <> "
                              "'Hộ tịch' AND field <> '' LIMIT 1").fetchone()[0]
        self.assertEqual(order('&field=' + urllib.parse.quote(other)), [])
        h = self.get('rep', base).text
        row = part(h, f'<tr data-procedure="{P1}"')
        lo, hi = wilson(6, 12)
        self.assertEqual(value(row, 'ratings'), '12')
        self.assertEqual(value(row, 'satisfied_rate'), '0.5000')
        self.assertIn(f'data-lo="{fmt(lo)}" data-hi="{fmt(hi)}"', row)
        self.assertEqual(value(row, 'supplement_or_correction_rate'),
                         '0.4000')
        self.assertEqual(value(row, 'reported_supplement_rate'), '0.7500')
        self.assertEqual(value(row, 'online_rate'), '0.1000')
        self.assertEqual(value(row, 'on_time_rate'), '0.8000')
        row = part(h, f'<tr data-procedure="{P2}"')
        self.assertEqual(value(row, 'ratings'), '4')
        self.assertEqual(value(row, 'online_rate'), 'null')
        # the sort links keep the month and the filters
        self.assertIn(f'href="/admin/units/{UNIT}/procedures?month={MONTH}'
                      '&amp;sort=ratings&amp;dir=asc"', h)

    def test_procedure_page(self):
        url = f'/admin/units/{UNIT}/procedures/{P1}?month={MONTH}'
        h = self.get('mgr', url).text
        lv = part(h, 'id="levels"', '</table>')
        for level, n in ((5, 3), (4, 3), (3, 2), (2, 2), (1, 2)):
            self.assertEqual(value(lv, f'n{level}'), str(n))
            self.assertEqual(value(lv, f'share{level}'), fmt(n / 12))
        cr = part(h, 'id="criteria"', '</table>')
        for i in range(1, 10):
            self.assertEqual(value(cr, f'criteria_n_{i}'), '4')
            self.assertEqual(value(cr, f'criteria_mean_{i}'), '1.5000')
        self.assertEqual(value(cr, 'ballot_score'), '13.5000')
        sup = part(h, 'id="supplement"', '</table>')
        self.assertEqual(value(sup, 'reported_supplement_rate'), '0.7500')
        self.assertEqual(value(sup, 'supplement_rate'), '0.3000')  # D2-D4
        self.assertEqual(value(sup, 'supplement_or_correction_rate'),
                         '0.4000')
        d = part(h, 'id="dossiers"', '</table>')
        self.assertEqual(value(d, 'dossiers'), '10')
        self.assertEqual(value(d, 'judged'), '10')
        self.assertEqual(value(d, 'correction_rate'), '0.1000')
        self.assertEqual(value(d, 'multi_supplement_rate'), '0.0000')
        self.assertEqual(value(d, 'points_2.1'), '16.00')
        # the trends: September's 3 ratings
        self.assertIn('<title>tháng 09/2026: 3</title>', h)
        # a manager reads the comment: numbers masked, markup inert
        com = part(h, 'id="comments"', '</ul>')
        self.assertNotIn('345 678', com)
        self.assertNotIn('0912', com)
        self.assertIn('&lt;script&gt;alert(1)&lt;/script&gt;', com)
        self.assertIn('&quot;onerror=alert(2) javascript:alert(3)', com)
        self.assertNotIn('<script', h)
        # a viewer or reporter does not
        for who in ('view', 'rep'):
            h = self.get(who, url).text
            self.assertNotIn('alert(1)', h)
            self.assertIn('id="comments"', h)
        # unknown and malformed procedure codes: 404
        for code in ('9.999999', '1.00119', 'x', '1.001193%27'):
            self.assertEqual(self.get('mgr', f'/admin/units/{UNIT}/procedures/'
                                      f'{code}').status, 404, code)

    # -- counters and officers: managers; n_min ----------------------------

    def test_counters_and_officers_mask_below_n_min(self):
        for page, attr_ok, attr_low in (
                ('counters', f'data-unit="{UNIT}" data-counter="1"',
                 f'data-unit="{UNIT}" data-counter="2"'),
                ('officers', 'data-officer="VC01"', 'data-officer="VC02"')):
            h = self.get('mgr', f'/admin/units/{UNIT}/{page}?month={MONTH}').text
            ok = part(h, attr_ok)
            self.assertEqual(value(ok, 'ratings'), '12')
            self.assertEqual(value(ok, 'satisfied_rate'), '0.5000')
            self.assertEqual(value(ok, 'mean_level'), fmt(39 / 12))  # 15+12+6+4+2 of 12
            # officer score: c1+c2+c3+c4+c7 of the 4 that answered them
            self.assertEqual(value(ok, 'officer_score'), '7.5000')
            self.assertIn('LOW_SATISFACTION', ok)
            low = part(h, attr_low)
            self.assertEqual(value(low, 'ratings'), '4')
            self.assertIn('chưa đủ dữ liệu', low)
            for k in ('satisfied_rate', 'mean_level', 'officer_score',
                      'dissatisfied_rate'):
                self.assertNotRegex(low, r'data-k="%s" data-v' % k)
            self.assertNotIn('%', low)                   # no rate at all
            h = self.get('adm', f'/admin/units/{UNIT}/{page}?month={MONTH}'
                         '&lang=en').text
            self.assertIn('not enough data', part(h, attr_low))

    def test_counters_and_officers_are_for_managers(self):
        for page in ('counters', 'officers'):
            for who, status in (('adm', 200), ('mgr', 200), ('rep', 403),
                                ('view', 403), ('tinh', 200)):
                with self.subTest(page=page, who=who):
                    r_ = self.get(who, f'/admin/units/{UNIT}/{page}')
                    self.assertEqual(r_.status, status)
                    if status == 403:
                        self.assertIn('Không có quyền', r_.text)

    # -- scope: another unit's URLs are 404 for every role ---------------------

    def routes(self, unit, review_id):
        return [('GET', f'/admin/units/{unit}'),
                ('GET', f'/admin/units/{unit}?month={MONTH}'),
                ('GET', f'/admin/units/{unit}/procedures?month={MONTH}'),
                ('GET', f'/admin/units/{unit}/procedures/{P1}'),
                ('GET', f'/admin/units/{unit}/counters'),
                ('GET', f'/admin/units/{unit}/officers'),
                ('GET', f'/admin/units/{unit}/reviews'),
                ('GET', f'/admin/units/{unit}/reviews/new?procedure={P1}'),
                ('GET', f'/admin/units/{unit}/reviews/{review_id}'),
                ('POST', f'/admin/units/{unit}/reviews'),
                ('POST', f'/admin/units/{unit}/reviews/{review_id}')]

    def test_foreign_unit_is_404_for_every_route_and_role(self):
        # a review in H57, by its own manager, on that unit's own data
        with self.s.db() as c:
            c.execute("INSERT INTO reviews(unit, procedure, month, owner, "
                      "due_date, created_at, created_by, updated_at) VALUES "
                      "('H57', ?, 202610, 'hue', '2030-01-01', 0, 'test', 0)",
                      (P1,))
            rid = c.execute('SELECT max(id) FROM reviews').fetchone()[0]
        for who in ROLES:
            b = self.b[who]
            b.get(f'/admin/units/{UNIT}')
            token = b.csrf()
            for unit in ('H57', 'H21', 'H99'):
                for method, path in self.routes(unit, rid):
                    with self.subTest(who=who, method=method, path=path):
                        if method == 'GET':
                            r_ = b.get(path)
                        else:
                            r_ = b.post_form(path, {'csrf': token,
                                                    'to': 'in_progress',
                                                    'procedure': P1,
                                                    'month': MONTH})
                        self.assertEqual(r_.status, 404)
            # H57's review through our own unit's URL: 404 as well
            for method, path in self.routes(UNIT, rid)[-3:]:
                if '/new' in path:
                    continue
                with self.subTest(who=who, method=method, path=path):
                    r_ = (b.get(path) if method == 'GET' else
                          b.post_form(path, {'csrf': token,
                                             'to': 'in_progress'}))
                    if path.endswith(f'/reviews/{rid}'):
                        self.assertEqual(r_.status, 404)
        with self.s.db() as c:
            self.assertEqual(c.execute('SELECT status FROM reviews WHERE '
                                       'id = ?', (rid,)).fetchone()[0],
                             'open')
        # the province's manager sees the commune (a subordinate unit)
        self.assertEqual(self.get('tinh', f'/admin/units/{UNIT}/procedures/'
                                  f'{P1}?month={MONTH}').status, 200)
        # logged out: the login page, never the figures
        r_ = self.s.get(f'/admin/units/{UNIT}/procedures')
        self.assertEqual(r_.status, 303)

    # -- CSRF --------------------------------------------------------------

    def test_review_posts_without_csrf_are_refused(self):
        b = self.b['mgr']
        before = self.s.count('SELECT count(*) FROM reviews')
        r_ = self.open_review(csrf=None)
        self.assertEqual(r_.status, 403)
        r_ = self.open_review(csrf='A' * 43)
        self.assertEqual(r_.status, 403)
        # another user's token does not fit this session
        self.b['adm'].get(f'/admin/units/{UNIT}')
        r_ = self.open_review(csrf=self.b['adm'].csrf())
        self.assertEqual(r_.status, 403)
        self.assertEqual(self.s.count('SELECT count(*) FROM reviews'), before)
        r_ = self.open_review()
        self.assertEqual(r_.status, 303, r_.text[:500])
        rid = int(r_.headers['location'].rsplit('/', 1)[1])
        r_ = b.post_form(f'/admin/units/{UNIT}/reviews/{rid}',
                         {'to': 'in_progress'})
        self.assertEqual(r_.status, 403)
        self.assertEqual(self.s.count(
            'SELECT count(*) FROM reviews WHERE id = ? AND status = ?',
            rid, 'open'), 1)

    # -- hostile input -----------------------------------------------------

    PAYLOADS = ["' OR '1'='1", "1; DROP TABLE reviews; --",
                '"><script>alert(1)</script>', "2026-10' --",
                '<img src=x onerror=alert(1)>', 'ü' * 200]

    def test_sql_and_markup_in_every_query_parameter(self):
        pages = {f'/admin/units/{UNIT}': ('month',),
                 f'/admin/units/{UNIT}/procedures': ('month', 'sort', 'dir',
                                                     'flag', 'field'),
                 f'/admin/units/{UNIT}/procedures/{P1}': ('month',),
                 f'/admin/units/{UNIT}/counters': ('month',),
                 f'/admin/units/{UNIT}/officers': ('month',),
                 f'/admin/units/{UNIT}/reviews': ('status',),
                 '/cong-khai': ('month',),
                 f'/cong-khai/{UNIT}': ('month',)}
        for path, params in pages.items():
            for p in params + ('bogus',):
                for bad in self.PAYLOADS:
                    with self.subTest(path=path, param=p, value=bad):
                        q = urllib.parse.urlencode({p: bad})
                        r_ = self.get('mgr', f'{path}?{q}')
                        self.assertEqual(r_.status, 400)
                        t = r_.text
                        self.assertIn('Yêu cầu không hợp lệ', t)
                        self.assertNotIn('<script>', t)
                        self.assertNotIn('<img', t)
                        self.assertIn("default-src 'none'",
                                      r_.headers['content-security-policy'])
            # a parameter given twice
            r_ = self.get('mgr', f'{path}?month=2026-10&month=2026-09')
            self.assertEqual(r_.status, 400)
        r_ = self.get('mgr', f'/admin/units/{UNIT}/procedures?sort=x&lang=en')
        self.assertEqual(r_.status, 400)
        self.assertIn('Cannot sort by that', r_.text)
        self.assertIn('<code>x</code>', r_.text)
        # the database is whole
        self.assertGreaterEqual(self.s.count('SELECT count(*) FROM ratings'), 19)
        self.s.count('SELECT count(*) FROM reviews')

    # -- reviews -------------------------------------------------------------

    def test_review_runs_open_in_progress_resolved(self):
        b = self.b['mgr']
        notes = "Xem lại quầy 1'); DROP TABLE reviews; -- <script>x()</script>"
        r_ = self.open_review(notes=notes)
        self.assertEqual(r_.status, 303, r_.text[:500])
        loc = r_.headers['location']
        rid = int(loc.rsplit('/', 1)[1])
        with self.s.db() as c:
            row = c.execute('SELECT status, notes, flags, month, owner FROM '
                            'reviews WHERE id = ?', (rid,)).fetchone()
        self.assertEqual(tuple(row), ('open', notes,
                                      'LOW_SATISFACTION,LOW_ONLINE', 202610,
                                      'mgr'))
        h = b.get(loc).text
        self.assertIn('&lt;script&gt;x()&lt;/script&gt;', h)
        self.assertNotIn('<script', h)
        path = f'/admin/units/{UNIT}/reviews/{rid}'

        def move(to, **extra):
            b.get(path)
            return b.post_form(path, {'csrf': b.csrf(), 'to': to, **extra})

        # no skipping, no going back, no resolving without an action
        self.assertEqual(move('resolved', action='Đã sửa').status, 409)
        self.assertEqual(move('open').status, 409)
        self.assertEqual(move('bogus').status, 400)
        self.assertEqual(move('in_progress', note='Bắt đầu').status, 303)
        self.assertEqual(move('in_progress').status, 409)
        self.assertEqual(move('resolved').status, 400)
        self.assertEqual(move('resolved', action='   ').status, 400)
        # a viewer may read but not move it
        v = self.b['view']
        self.assertEqual(v.get(path).status, 200)
        self.assertNotIn('name="to"', v.last_html)
        self.assertEqual(v.post_form(path, {'csrf': v.csrf(),
                                            'to': 'resolved',
                                            'action': 'x'}).status, 403)
        action = 'Niêm yết lại thủ tục; tập huấn cán bộ <b>quầy 1</b>'
        self.assertEqual(move('resolved', action=action).status, 303)
        self.assertEqual(move('in_progress').status, 409)
        with self.s.db() as c:
            st = c.execute('SELECT status, action, resolved_at IS NOT NULL '
                           'FROM reviews WHERE id = ?', (rid,)).fetchone()
            ev = c.execute('SELECT from_status, to_status, actor FROM '
                           'review_events WHERE review = ? ORDER BY id',
                           (rid,)).fetchall()
            au = c.execute("SELECT action, actor, detail FROM audit WHERE "
                           "target = ? ORDER BY seq",
                           (f'review:{rid}',)).fetchall()
        self.assertEqual(tuple(st), ('resolved', action, 1))
        self.assertEqual([tuple(e) for e in ev],
                         [('', 'open', 'user:mgr'),
                          ('open', 'in_progress', 'user:mgr'),
                          ('in_progress', 'resolved', 'user:mgr')])
        self.assertEqual([(a[0], a[1]) for a in au],
                         [('review.open', 'user:mgr'),
                          ('review.move', 'user:mgr'),
                          ('review.move', 'user:mgr')])
        self.assertIn('"to":"resolved"', au[2][2])
        run('verify-chain', '--db', self.s.db_path)
        # the history on the procedure page
        h = b.get(f'/admin/units/{UNIT}/procedures/{P1}?month={MONTH}').text
        hist = part(h, f'<li class="review resolved" data-review="{rid}"',
                    '</ol>')
        self.assertIn('Bắt đầu', hist)
        self.assertIn('&lt;b&gt;quầy 1&lt;/b&gt;', hist)
        self.assertIn('data-to="resolved"', hist)

    def test_opening_a_review_is_checked(self):
        due = (today_vn() + datetime.timedelta(days=3)).isoformat()
        bad = [
            {'procedure': P2},                      # not flagged
            {'month': '2026-09'},                   # P1 not flagged then
            {'month': '2026-13'},
            {'procedure': '9.999999'},
            {'procedure': "1.001193' OR 1=1"},
            {'owner': 'hue'},                       # cannot see the unit
            {'owner': 'nobody'},
            {'due': '2026-02-30'},
            {'due': (today_vn() - datetime.timedelta(days=1)).isoformat()},
            {'due': (today_vn() + datetime.timedelta(days=400)).isoformat()},
            {'due': '2026/12/31'},
            {'due': '30/02/2027'},
            {'due': (today_vn() - datetime.timedelta(days=1))
             .strftime('%d/%m/%Y')},            # typed, but in the past
            {'notes': 'x' * 2001},
            {'notes': 'a\x01b'},
            {'counter': '1'},                       # and a procedure: two
            {'procedure': None},                    # neither
            {'extra': '1'},
        ]
        before = self.s.count('SELECT count(*) FROM reviews')
        for fields in bad:
            with self.subTest(fields=fields):
                r_ = self.open_review(due=fields.pop('due', due), **fields)
                self.assertEqual(r_.status, 400, r_.text[:300])
                self.assertIn('Yêu cầu không hợp lệ', r_.text)
        for who in ('rep', 'view'):
            self.assertEqual(self.open_review(who).status, 403)
        self.assertEqual(self.s.count('SELECT count(*) FROM reviews'), before)
        # a flagged counter of the unit; the unflagged one is refused
        r_ = self.open_review(procedure=None, counter='1', owner='tinh')
        self.assertEqual(r_.status, 303, r_.text[:300])
        self.assertEqual(self.open_review(procedure=None,
                                          counter='2').status, 400)
        self.assertEqual(self.open_review(procedure=None,
                                          counter='7').status, 400)
        with self.s.db() as c:
            self.assertEqual(c.execute(
                'SELECT counter, procedure, owner FROM reviews ORDER BY id '
                'DESC LIMIT 1').fetchone()[:], (1, None, 'tinh'))
        h = self.get('mgr', f'/admin/units/{UNIT}/reviews/new?counter=1'
                     f'&month={MONTH}').text
        self.assertIn('name="counter" value="1"', h)
        # the counters page shows the counter's review and its history;
        # procedure reviews are not counters'
        self.assertEqual(self.open_review().status, 303)
        with self.s.db() as c:
            cid = c.execute('SELECT max(id) FROM reviews WHERE counter = 1'
                            ).fetchone()[0]
            pids = [x[0] for x in c.execute(
                'SELECT id FROM reviews WHERE counter IS NULL')]
        h = self.get('mgr', f'/admin/units/{UNIT}/counters?month={MONTH}').text
        item = part(h, f'<li class="review open" data-review="{cid}"',
                    '</li>')
        self.assertIn('Quầy 1', item)
        self.assertIn('tinh', item)
        self.assertIn(f'<ol class="history" data-review="{cid}"', item)
        self.assertTrue(pids)
        for pid in pids:
            self.assertNotIn(f'data-review="{pid}"', h)

    def test_overdue_reviews_are_highlighted(self):
        r_ = self.open_review()
        rid = int(r_.headers['location'].rsplit('/', 1)[1])
        with self.s.db() as c:
            c.execute("UPDATE reviews SET due_date = '2026-01-02' "
                      "WHERE id = ?", (rid,))
        h = self.get('view', f'/admin/units/{UNIT}/reviews').text
        row = part(h, f'<tr data-review="{rid}"')
        self.assertIn('class="overdue"', row)
        self.assertIn('Quá hạn', row)
        self.assertIn('02/01/2026', row)
        h = self.get('view', f'/admin/units/{UNIT}/reviews?status=resolved').text
        self.assertNotIn(f'data-review="{rid}"', h)
        h = self.get('view', f'/admin/units/{UNIT}/reviews?lang=en').text
        self.assertIn('Overdue', part(h, f'<tr data-review="{rid}"'))

    # -- the public page -----------------------------------------------------

    def test_public_page(self):
        r_ = self.s.get(f'/cong-khai/{UNIT}?month={MONTH}')     # no login
        self.assertEqual(r_.status, 200)
        h = r_.text
        row = part(h, f'<tr data-unit="{UNIT}"')
        self.assertEqual(value(row, 'ratings'), '16')
        self.assertEqual(value(row, 'satisfied_rate'), '0.6250')
        self.assertEqual(value(row, 'on_time_rate'), '0.8000')
        self.assertEqual(value(row, 'points_total'), '24.53')
        self.assertIn('62,5\u00a0%', row)
        for secret in ('alert', 'VC01', 'Nguyễn Thị Lan', 'Quầy 1',
                       'data-counter', 'data-officer', '0912'):
            self.assertNotIn(secret, h)
        self.assertIn('/static/public.css', h)
        # by procedure: P1 has 12 ratings (6 of level >= 4) and 10
        # dossiers (8 on time); P2's 4 ratings are below n_min = 10, so
        # it is counted, not named
        row = part(h, f'<tr data-procedure="{P1}"')
        self.assertEqual(value(row, 'ratings'), '12')
        self.assertEqual(value(row, 'satisfied_rate'), '0.5000')
        self.assertEqual(value(row, 'dossiers'), '10')
        self.assertEqual(value(row, 'on_time_rate'), '0.8000')
        self.assertNotIn(P2, h)
        self.assertIn('data-k="procedures_hidden" data-v="1"', h)
        # printable: the stylesheet has print rules
        css = self.s.get('/static/public.css').text
        self.assertIn('@media print', css)
        # September: 3 ratings, no dossiers: nothing below n_min is shown
        h = self.s.get(f'/cong-khai/{UNIT}?month=2026-09').text
        row = part(h, f'<tr data-unit="{UNIT}"')
        for k in ('ratings', 'satisfied_rate', 'dossiers', 'on_time_rate',
                  'online_rate', 'points_total'):
            self.assertNotRegex(row, r'data-k="%s" data-v' % k)
        self.assertIn('chưa đủ dữ liệu', row)
        self.assertNotIn('66,7', h)
        self.assertNotIn('data-procedure=', h)
        self.assertIn('data-k="procedures_hidden" data-v="1"', h)
        self.assertNotIn('>3<', row)
        self.assertIn('data-k="n_min">10<', h)
        # the list of provinces: Gia Lai rolls up its commune
        h = self.s.get(f'/cong-khai?month={MONTH}').text
        row = part(h, '<tr data-unit="H21"')
        self.assertEqual(value(row, 'ratings'), '16')
        self.assertIn(f'href="/cong-khai/H21?month={MONTH}"', row)
        self.assertEqual(self.s.get('/cong-khai/H99').status, 404)
        self.assertEqual(self.s.get('/cong-khai/x').status, 404)
        h = self.s.get(f'/cong-khai/{UNIT}?month={MONTH}&lang=en').text
        self.assertIn('62.5%', h)
        self.assertIn('not enough data', self.s.get(
            f'/cong-khai/{UNIT}?month=2026-09&lang=en').text)

    def test_english_switch(self):
        h = self.get('mgr', f'/admin/units/{UNIT}?month={MONTH}&lang=en').text
        self.assertIn('<html lang="en">', h)
        self.assertIn('Satisfied', h)
        self.assertIn('62.5%', h)
        self.assertIn('Flags by severity', h)
        # the switch back keeps the month
        self.assertIn(f'href="?month={MONTH}&amp;lang=vi"', h)
        h = self.get('mgr', f'/admin/units/{UNIT}/procedures/{P1}'
                     f'?month={MONTH}&lang=en').text
        self.assertIn('Distribution of levels', h)
        self.assertIn('The nine criteria', h)


if __name__ == '__main__':
    unittest.main()
