"""Console part B: comments, callbacks, spam, kiosks, QR, ballots, audit, users.

Everything runs against the real server and a real SQLite file; figures
are compared with values computed by hand from the ratings put in.
"""
import json
import os
import re
import sqlite3
import time
import unittest
import urllib.parse

from tests.api.hl import Browser, Server, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw

PW = 'mật khẩu rất dài 1'
UNIT = 'H21.227'
P1 = '1.001193'
HEARTBEAT = '/api/v1/kiosk/heartbeat'

# The SQL and markup an attacker would try in every filter.
NASTY = ["' OR '1'='1", "1; DROP TABLE ratings; --", '1 UNION SELECT 1',
         '"><script>alert(1)</script>', '%', '_', "1' --", '2026-10\'--']


def add_user(s, name, unit, role):
    run('user', 'add', '--db', s.db_path, '--unit', unit, '--role', role,
        '--name', name, '--password-stdin', input=PW + '\n')


def q(v):
    return urllib.parse.quote(v, safe='')


def import_ratings(s, rows, name='r.csv'):
    """`hailong import ratings` of CSV rows (dicts); the CLI's own path."""
    keys = ['id', 'unit', 'level', 'procedure', 'counter', 'comment',
            'rated_at']
    path = os.path.join(s.dir, name)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(','.join(keys) + '\n')
        for r in rows:
            vals = []
            for k in keys:
                v = str(r.get(k, ''))
                if any(ch in v for ch in ',"\n'):
                    v = '"' + v.replace('"', '""') + '"'
                vals.append(v)
            f.write(','.join(vals) + '\n')
    run('import', 'ratings', '--db', s.db_path, path)


def seq_of(s, rid):
    with s.db() as c:
        return c.execute("SELECT seq FROM ratings WHERE id = ? AND "
                         "channel = 'import'", (rid,)).fetchone()[0]


def metrics(b, unit, month):
    r = b.get(f'/api/v1/metrics?unit={unit}&month={month}')
    assert r.status == 200, r
    return r.json()['total']


class ConsoleB(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='console-b').start()
        for name, unit, role in (('lan', UNIT, 'manager'),
                                 ('tinh', 'H21', 'manager'),
                                 ('hue', 'H57', 'manager'),
                                 ('hueadm', 'H57', 'admin'),
                                 ('xem', UNIT, 'viewer'),
                                 ('bao', UNIT, 'reporter')):
            add_user(cls.s, name, unit, role)
        cls.b = {n: Browser(cls.s).logged_in(n, PW)
                 for n in ('lan', 'tinh', 'hue', 'hueadm', 'xem', 'bao')}
        cls.b['admin'] = Browser(cls.s).logged_in(*cls.s.login)
        cls.home = {'lan': UNIT, 'tinh': 'H21', 'hue': 'H57',
                    'hueadm': 'H57', 'xem': UNIT, 'bao': UNIT,
                    'admin': UNIT}
        # October 2026 in H21.227: levels 5, 4, 2, 1 (+ one in H57)
        import_ratings(cls.s, [
            {'id': 'A1', 'unit': UNIT, 'level': 5, 'procedure': P1,
             'comment': 'Rất tốt, cảm ơn', 'rated_at':
             '2026-10-05T09:00:00+07:00'},
            {'id': 'A2', 'unit': UNIT, 'level': 4, 'counter': 1,
             'comment': 'Gọi tôi 0912 345 678 hoặc +84 987.654.321',
             'rated_at': '2026-10-06T09:00:00+07:00'},
            {'id': 'A3', 'unit': UNIT, 'level': 2, 'procedure': P1,
             'comment': 'CCCD 001099012345, CMND 123 456 789, quầy 3',
             'rated_at': '2026-10-07T09:00:00+07:00'},
            {'id': 'A4', 'unit': UNIT, 'level': 1,
             'comment': '<script>alert(1)</script> "onerror=alert(2) x=" '
                        '<a href="javascript:alert(3)">bấm</a>',
             'rated_at': '2026-10-08T09:00:00+07:00'},
            {'id': 'F1', 'unit': 'H57', 'level': 1,
             'comment': 'góp ý của Huế', 'rated_at':
             '2026-10-08T10:00:00+07:00'},
        ])

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def csrf(self, who):
        """The CSRF token of who's session, from a page of their own."""
        b = self.b[who]
        r = b.get(f'/admin/units/{self.home[who]}/kiosks')
        assert r.status == 200, r
        return b.csrf()

    def page(self, who, path, status=200):
        r = self.b[who].get(path)
        self.assertEqual(r.status, status, (who, path, r.text[:600]))
        return r

    # -- comments -------------------------------------------------------

    def test_comments_newest_first_and_masked(self):
        r = self.page('lan', f'/admin/units/{UNIT}/comments?month=2026-10')
        t = r.text
        listed = [int(x) for x in re.findall(r'<li id="r(\d+)"', t)]
        want = [seq_of(self.s, i) for i in ('A4', 'A3', 'A2', 'A1')]
        self.assertEqual([x for x in listed if x in want], want)
        # phones and ID numbers masked, the rest kept
        self.assertIn('Gọi tôi **** *** *** hoặc +** ***.***.***', t)
        self.assertIn('CCCD ************, CMND *** *** ***, quầy 3', t)
        for raw in ('0912', '345 678', '987', '001099012345', '123 456 789'):
            self.assertNotIn(raw, t)
        self.assertNotIn('góp ý của Huế', t)    # a foreign unit's
        self.assertIn('Rất tốt, cảm ơn', t)

    def test_comment_xss_is_inert(self):
        r = self.page('lan', f'/admin/units/{UNIT}/comments')
        t = r.text
        self.assertNotIn('<script', t)
        self.assertIn('&lt;script&gt;alert(1)&lt;/script&gt;', t)
        self.assertNotIn('"onerror', t)
        self.assertIn('&quot;onerror=alert(2) x=&quot;', t)
        self.assertNotIn('href="javascript:', t)
        self.assertIn('&lt;a href=&quot;javascript:alert(3)&quot;&gt;', t)
        self.assertIn("default-src 'none'",
                      r.headers['content-security-policy'])
        self.assertNotIn("'unsafe-inline'",
                         r.headers['content-security-policy'])

    def test_comment_filters(self):
        base = f'/admin/units/{UNIT}/comments?month=2026-10'
        t = self.page('lan', base + f'&procedure={P1}').text
        self.assertIn('Rất tốt', t)
        self.assertIn('CCCD ****', t)
        self.assertNotIn('Gọi tôi', t)
        t = self.page('lan', base + '&level=2').text
        self.assertIn('CCCD ****', t)
        self.assertNotIn('Rất tốt', t)
        t = self.page('tinh', '/admin/units/H21/comments?month=2026-10').text
        self.assertIn('Rất tốt', t)          # the province sees its communes
        self.page('lan', '/admin/units/H21/comments', 404)   # not upward
        t = self.page('lan', base.replace('2026-10', '2026-08')).text
        self.assertIn('Không có góp ý nào.', t)

    def test_comment_pages(self):
        # 51 comments in July 2026, one a day-minute apart: 50 on page 1
        import_ratings(self.s, [
            {'id': f'J{i:02d}', 'unit': UNIT, 'level': 3,
             'comment': f'trang thử {i:02d}',
             'rated_at': f'2026-07-{1 + i // 4:02d}T{8 + i % 4:02d}:00:00'
                         '+07:00'} for i in range(51)], name='july.csv')
        base = f'/admin/units/{UNIT}/comments?month=2026-07&level=3'
        t = self.page('lan', base).text
        items = re.findall(r'<blockquote>trang thử (\d+)</blockquote>', t)
        self.assertEqual(items, [f'{i:02d}' for i in range(50, 0, -1)])
        self.assertIn(f'href="/admin/units/{UNIT}/comments?month=2026-07&amp;'
                      'level=3&amp;page=2"', t)
        self.assertNotIn('rel="prev"', t)
        t = self.page('lan', base + '&page=2').text
        items = re.findall(r'<blockquote>trang thử (\d+)</blockquote>', t)
        self.assertEqual(items, ['00'])
        self.assertIn('rel="prev"', t)
        self.assertNotIn('rel="next"', t)
        t = self.page('lan', base + '&page=3&lang=en').text
        self.assertIn('No comments.', t)

    def test_comment_bad_filters_are_400_in_vietnamese_and_english(self):
        base = f'/admin/units/{UNIT}/comments?'
        cases = [('month=2026-13', 'Tháng không hợp lệ', 'Bad month'),
                 ('month=10%2F2026', 'Tháng không hợp lệ', 'Bad month'),
                 ('procedure=1.00119', 'Mã thủ tục không hợp lệ',
                  'Bad procedure code'),
                 ('level=6', 'Mức độ hài lòng không hợp lệ',
                  'Bad satisfaction level'),
                 ('level=0', 'Mức độ hài lòng không hợp lệ',
                  'Bad satisfaction level'),
                 ('page=0', 'Số trang không hợp lệ', 'Bad page number')]
        for query, vi, en in cases:
            with self.subTest(query=query):
                r = self.page('lan', base + query, 400)
                self.assertIn(vi, r.text)
                r = self.page('lan', base + query + '&lang=en', 400)
                self.assertIn(en, r.text)

    def test_sql_metacharacters_in_every_filter(self):
        with self.s.db() as c:
            before = [c.execute(f'SELECT count(*) FROM {t}').fetchone()[0]
                      for t in ('ratings', 'audit', 'users')]
        paths = {
            f'/admin/units/{UNIT}/comments': ('month', 'procedure', 'level',
                                               'page'),
            f'/admin/units/{UNIT}/audit': ('action', 'page', 'verify'),
            f'/admin/units/{UNIT}/qr': ('counter', 'procedure'),
        }
        for path, params in paths.items():
            for p in params:
                for v in NASTY:
                    with self.subTest(path=path, param=p, value=v):
                        r = self.b['admin'].get(f'{path}?{p}={q(v)}')
                        self.assertEqual(r.status, 400, r.text[:300])
                        self.assertNotIn('<script>alert', r.text)
        # the unit in the path, too
        for v in NASTY:
            r = self.b['admin'].get(f'/admin/units/{q(v)}/comments')
            self.assertEqual(r.status, 404)
        with self.s.db() as c:
            after = [c.execute(f'SELECT count(*) FROM {t}').fetchone()[0]
                     for t in ('ratings', 'audit', 'users')]
        self.assertEqual(after[0], before[0])
        self.assertEqual(after[2], before[2])

    def test_comments_are_for_managers_and_admins_only(self):
        path = f'/admin/units/{UNIT}/comments'
        self.page('xem', path, 403)
        self.page('bao', path, 403)
        self.page('hue', path, 404)       # another province: no such unit
        self.page('tinh', path, 200)      # the province above
        self.page('admin', path, 200)
        # the tab is not offered to those who cannot open it
        t = self.page('xem', f'/admin/units/{UNIT}').text
        self.assertNotIn('/comments', t)
        self.assertIn('/kiosks', t)

    # -- spam -----------------------------------------------------------

    def mark(self, who, seq, status, csrf=True, unit=UNIT, reason='thử'):
        b = self.b[who]
        f = {'status': status, 'reason': reason}
        if csrf:
            f['csrf'] = self.csrf(who)
        return b.post_form(f'/admin/units/{unit}/comments/{seq}/status', f)

    def test_spam_leaves_every_figure_and_stays_visible(self):
        seq = seq_of(self.s, 'A3')
        b = self.b['lan']
        # October: 5, 4, 2, 1 in H21.227; the province adds nothing else
        t = metrics(b, UNIT, '2026-10')
        self.assertEqual(t['ratings'], 4)
        self.assertEqual(t['by_level'], [1, 1, 0, 1, 1])
        self.assertEqual(t['mean_level'], 3.0)          # 12 / 4
        self.assertEqual(t['satisfied_rate'], 0.5)      # 2 / 4
        self.assertEqual(metrics(self.b['tinh'], 'H21', '2026-10')['ratings'], 4)
        r = self.mark('lan', seq, 'spam')
        self.assertEqual(r.status, 303, r.text[:300])
        t = metrics(b, UNIT, '2026-10')
        self.assertEqual(t['ratings'], 3)               # 5, 4, 1
        self.assertEqual(t['by_level'], [1, 0, 0, 1, 1])
        self.assertAlmostEqual(t['mean_level'], 10 / 3, places=3)
        self.assertAlmostEqual(t['satisfied_rate'], 2 / 3, places=3)
        # the province's sum follows (the subtree rollup)
        self.assertEqual(metrics(self.b['tinh'], 'H21', '2026-10')['ratings'], 3)
        # the raw rows agree with the rollups
        out = run('metrics', '--db', self.s.db_path, '--unit', UNIT,
                  '--month', '2026-10', '--json', '--recompute').stdout
        self.assertEqual(json.loads(out)['total']['by_level'],
                         [1, 0, 0, 1, 1])
        # still listed, flagged, without its mark button but with unflag
        t = self.page('lan', f'/admin/units/{UNIT}/comments').text
        li = t[t.index(f'id="r{seq}"'):]
        li = li[:li.index('</li>')]
        self.assertIn('Đã đánh dấu: rác (spam)', li)
        self.assertIn('value="valid"', li)
        # audited, with who and why
        with self.s.db() as c:
            a = c.execute("SELECT actor, detail FROM audit WHERE action = "
                          "'rating.status' AND target = ?",
                          (f'rating:{seq}',)).fetchall()
        self.assertEqual(a[-1][0], 'user:lan')
        self.assertEqual(json.loads(a[-1][1]),
                         {'from': 'valid', 'to': 'spam', 'reason': 'thử'})
        # unflagged: every figure as before
        self.assertEqual(self.mark('lan', seq, 'valid').status, 303)
        t = metrics(b, UNIT, '2026-10')
        self.assertEqual(t['by_level'], [1, 1, 0, 1, 1])
        self.assertEqual(t['mean_level'], 3.0)

    def test_marking_is_refused_without_csrf_role_or_scope(self):
        seq = seq_of(self.s, 'A1')
        foreign = seq_of(self.s, 'F1')

        def status_of(sq):
            with self.s.db() as c:
                return c.execute('SELECT status FROM ratings WHERE seq = ?',
                                 (sq,)).fetchone()[0]
        self.assertEqual(self.mark('lan', seq, 'spam', csrf=False).status, 403)
        self.assertEqual(self.mark('xem', seq, 'spam').status, 403)
        self.assertEqual(self.mark('bao', seq, 'spam').status, 403)
        self.assertEqual(self.mark('hue', seq, 'spam').status, 404)
        # a foreign rating through one's own unit's URL
        self.assertEqual(self.mark('lan', foreign, 'spam').status, 404)
        self.assertEqual(self.mark('lan', 999999, 'spam').status, 404)
        self.assertEqual(self.mark('lan', seq, 'burst').status, 400)
        self.assertEqual(self.mark('lan', seq, "spam' --").status, 400)
        self.assertEqual(self.mark('lan', seq, 'spam',
                                   reason='x' * 501).status, 400)
        self.assertEqual(status_of(seq), 'valid')
        self.assertEqual(status_of(foreign), 'valid')

    # -- callbacks ------------------------------------------------------

    def citizen_callback(self, comment):
        tok = self.s.token(counter=2)
        r = self.s.get('/q/' + tok)
        nonce = re.search(r'name="nonce" value="([^"]+)"', r.text).group(1)
        r = self.s.post_form('/q/' + tok, {
            'nonce': nonce, 'level': '2', 'procedure': P1,
            'comment': comment, 'phone': '0912 345 678', 'consent': '1'})
        self.assertEqual(r.status, 200, r.text[:300])
        with self.s.db() as c:
            return c.execute('SELECT cb.id FROM callbacks cb JOIN ratings r '
                             'ON r.seq = cb.rating_seq WHERE r.id = ?',
                             (nonce,)).fetchone()[0]

    def test_consented_callback_shows_the_number_to_managers(self):
        cid = self.citizen_callback('Xin gọi lại số 0912345678')
        # the list masks it and links to the callback
        t = self.page('lan', f'/admin/units/{UNIT}/comments').text
        self.assertIn('Xin gọi lại số **********', t)
        self.assertIn(f'/admin/units/{UNIT}/callbacks/{cid}', t)
        self.assertNotIn('0912345678', t)
        # the callback page shows it, and the look is audited
        t = self.page('lan', f'/admin/units/{UNIT}/callbacks/{cid}').text
        self.assertIn('<dd class="phone">0912345678</dd>', t)
        self.assertIn('Xin gọi lại số 0912345678', t)
        with self.s.db() as c:
            n = c.execute("SELECT count(*) FROM audit WHERE action = "
                          "'callback.open' AND target = ? AND actor = "
                          "'user:lan'", (f'callback:{cid}',)).fetchone()[0]
        self.assertEqual(n, 1)
        # refused to others
        self.page('xem', f'/admin/units/{UNIT}/callbacks/{cid}', 403)
        self.page('hue', f'/admin/units/{UNIT}/callbacks/{cid}', 404)
        self.page('hueadm', f'/admin/units/H57/callbacks/{cid}', 404)
        self.page('lan', f'/admin/units/{UNIT}/callbacks/99999', 404)
        self.page('lan', f'/admin/units/{UNIT}/callbacks/x1', 404)
        # contacted, then closed; each audited; closed twice is 409
        b = self.b['lan']
        csrf = self.csrf('lan')
        path = f'/admin/units/{UNIT}/callbacks/{cid}'
        self.assertEqual(b.post_form(path, {'action': 'contacted'}).status,
                         403)
        self.assertEqual(b.post_form(path, {'action': 'x', 'csrf': csrf})
                         .status, 400)
        self.assertEqual(b.post_form(path, {'action': 'contacted',
                                            'csrf': csrf}).status, 303)
        self.assertEqual(b.post_form(path, {'action': 'closed', 'note': 'xong',
                                            'csrf': csrf}).status, 303)
        self.assertEqual(b.post_form(path, {'action': 'closed', 'note': 'xong',
                                            'csrf': csrf}).status, 409)
        with self.s.db() as c:
            st = c.execute('SELECT status, closed_at IS NOT NULL FROM '
                           'callbacks WHERE id = ?', (cid,)).fetchone()
            acts = [a for (a,) in c.execute(
                'SELECT action FROM audit WHERE target = ? ORDER BY seq',
                (f'callback:{cid}',))]
        self.assertEqual(tuple(st), ('closed', 1))
        self.assertEqual(acts, ['callback.open', 'callback.contacted',
                                'callback.closed'])
        t = self.page('lan', path).text
        self.assertIn('đã liên hệ', t)
        self.assertIn('Đã đóng', t)

    # -- kiosks ---------------------------------------------------------

    def test_kiosks_status_backlog_and_revoke(self):
        kid, code, _ = add_kiosk(self.s, counter=1)
        r = enrol_raw(self.s, code)
        self.assertEqual(r.status, 201)
        k = Signer(r.json()['kiosk'], r.json()['secret'])
        r = k.post(self.s, HEARTBEAT, {'version': '0.9.1', 'outbox': 7,
                                       'oldest_unsent': None, 'problems': 0})
        self.assertEqual(r.status, 200, r)
        quiet, _, _ = add_kiosk(self.s, counter=2)     # never enrolled
        path = f'/admin/units/{UNIT}/kiosks'
        t = self.page('xem', path).text                 # viewers see it
        row = re.search(rf'<tr id="{kid}" class="online">.*?</tr>', t).group(0)
        self.assertIn('Trực tuyến', row)
        self.assertIn('data-label="Tồn đọng">7</td>', row)
        self.assertIn('0.9.1', row)
        self.assertNotIn('Thu hồi', row)                # not a viewer's
        self.assertNotIn('/revoke', row)
        self.assertIn('Chờ kích hoạt', t)
        t = self.page('lan', path + '?lang=en').text
        self.assertIn('Online', t)
        self.assertIn('Revoke', t)
        # revoke: CSRF, role and scope first
        b = self.b['lan']
        rp = f'/admin/units/{UNIT}/kiosks/{kid}/revoke'
        self.assertEqual(b.post_form(rp, {}).status, 403)
        xb = self.b['xem']
        self.assertEqual(xb.post_form(rp, {'csrf': self.csrf('xem')}).status,
                         403)
        hb = self.b['hue']
        hc = self.csrf('hue')
        self.assertEqual(hb.post_form(rp, {'csrf': hc}).status, 404)
        self.assertEqual(hb.post_form(
            f'/admin/units/H57/kiosks/{kid}/revoke', {'csrf': hc}).status,
            404)
        self.assertEqual(k.post(self.s, HEARTBEAT, {
            'version': '0.9.1', 'outbox': 0, 'oldest_unsent': None,
            'problems': 0}).status, 200)
        lc = self.csrf('lan')
        self.assertEqual(b.post_form(rp, {'csrf': lc, 'confirm': '1'})
                         .status, 303)
        # at once: the kiosk's next request is refused
        r = k.post(self.s, HEARTBEAT, {'version': '0.9.1', 'outbox': 0,
                                       'oldest_unsent': None, 'problems': 0})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(b.post_form(rp, {'csrf': lc, 'confirm': '1'})
                         .status, 409)
        t = self.page('lan', path).text
        self.assertIn(f'<tr id="{kid}" class="revoked">', t)
        with self.s.db() as c:
            a = c.execute("SELECT actor FROM audit WHERE action = "
                          "'kiosk.revoke' AND target = ?", (kid,)).fetchall()
        self.assertEqual([tuple(x) for x in a], [('user:lan',)])
        self.assertTrue(quiet)

    # -- QR -------------------------------------------------------------

    def test_qr_picker_makes_working_posters(self):
        t = self.page('lan', f'/admin/units/{UNIT}/qr').text
        tokens = re.findall(r'href="/poster/([A-Za-z0-9_.-]+)"', t)
        with self.s.db() as c:
            counters = c.execute('SELECT count(*) FROM counters WHERE unit '
                                 '= ?', (UNIT,)).fetchone()[0]
        self.assertEqual(len(tokens), counters)
        for tok in tokens:
            self.assertEqual(self.s.get('/poster/' + tok).status, 200)
            self.assertEqual(self.s.get('/q/' + tok).status, 200)
        t = self.page('lan', f'/admin/units/{UNIT}/qr?counter=1&procedure='
                      f'{P1}').text
        tok = re.search(r'<section class="picked">.*?/poster/([^"?]+)', t,
                        re.S).group(1)
        poster = self.s.get('/poster/' + tok)
        self.assertEqual(poster.status, 200)
        self.assertIn('Thủ tục đăng ký khai sinh', poster.text)
        # the same choice, the same token (nothing is written)
        t2 = self.page('lan', f'/admin/units/{UNIT}/qr?counter=1&procedure='
                       f'{P1}').text
        self.assertIn('/poster/' + tok, t2)
        self.page('lan', f'/admin/units/{UNIT}/qr?counter=998', 400)
        self.page('lan', f'/admin/units/{UNIT}/qr?procedure=9.999999', 400)
        self.page('lan', f'/admin/units/{UNIT}/qr?counter=abc', 400)
        self.page('xem', f'/admin/units/{UNIT}/qr', 403)
        self.page('hue', f'/admin/units/{UNIT}/qr', 404)

    # -- paper ballots --------------------------------------------------

    def ballot(self, who, fields, csrf=True):
        b = self.b[who]
        f = dict(fields)
        if csrf:
            f['csrf'] = self.csrf(who)
        return b.post_form(f'/admin/units/{UNIT}/ballots', f)

    def test_ballot_is_stored_like_an_import(self):
        good = {'id': 'PG-0001', 'rated_at': '12/09/2026', 'level': '4',
                'procedure': P1, 'counter': '1', 'c1': '2', 'c7': '1',
                'supplement_reported': '0', 'visits': '2',
                'comment': 'Phiếu giấy'}
        n = self.s.count()
        r = self.ballot('lan', good)
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertIn('Đã lưu phiếu', r.text)
        self.assertEqual(self.s.count(), n + 1)
        with self.s.db() as c:
            row = c.execute("SELECT * FROM ratings WHERE id = 'PG-0001'"
                            ).fetchone()
            self.assertEqual((row['channel'], row['unit'], row['level'],
                              row['c1'], row['c7'], row['c2'], row['visits'],
                              row['source'], row['status']),
                             ('import', UNIT, 4, 2, 1, None, 2,
                              'import:console:lan', 'valid'))
            a = c.execute("SELECT actor, target FROM audit WHERE action = "
                          "'import.ratings' ORDER BY seq DESC").fetchone()
            self.assertEqual(tuple(a), ('user:lan', f'console:{UNIT}'))
        # 12/09/2026 noon in Hà Nội (September: October's figures stay)
        self.assertEqual(row['rated_at'], 1789189200)
        # the chain still verifies
        self.assertIn('chain intact',
                      run('verify-chain', '--db', self.s.db_path).stdout)
        # the same ballot again: stored once
        r = self.ballot('lan', good)
        self.assertEqual(r.status, 200)
        self.assertIn('đã được nhập trước đó', r.text)
        self.assertEqual(self.s.count(), n + 1)
        # the same number with other content: a conflict
        r = self.ballot('lan', {**good, 'level': '1'})
        self.assertEqual(r.status, 409)
        self.assertIn('Số phiếu này đã dùng cho một phiếu khác.', r.text)
        self.assertEqual(self.s.count(), n + 1)

    def test_ballot_errors_per_field_like_the_importer(self):
        bad = {'id': 'PG-BAD', 'rated_at': '31/02/2026', 'level': '6',
               'c1': '3', 'procedure': '9.999999', 'visits': '0',
               'counter': '1000',
               'comment': '<script>alert(1)</script>'}
        n = self.s.count()
        r = self.ballot('lan', bad)
        self.assertEqual(r.status, 400, r.text[:300])
        self.assertEqual(self.s.count(), n)
        t = r.text
        for key in ('rated_at', 'level', 'c1', 'procedure', 'visits',
                    'counter'):
            with self.subTest(field=key):
                self.assertRegex(t, rf'<p class="field invalid"><label '
                                    rf'for="{key}">')
        self.assertIn('Chọn mức độ hài lòng từ 1 đến 5.', t)
        # the form comes back with the values, escaped
        self.assertIn('value="31/02/2026"', t)
        self.assertIn('&lt;script&gt;alert(1)&lt;/script&gt;</textarea>', t)
        self.assertNotIn('<script>', t)
        # the importer refuses the same record
        path = os.path.join(self.s.dir, 'bad.csv')
        with open(path, 'w') as f:
            f.write('id,unit,level,c1,rated_at\n'
                    f'PG-BAD,{UNIT},6,3,2026-10-12T12:00:00+07:00\n')
        p = run('import', 'ratings', '--db', self.s.db_path, path,
                check=False)
        self.assertNotEqual(p.returncode, 0)
        # required fields
        r = self.ballot('lan', {'comment': 'x'})
        self.assertEqual(r.status, 400)
        for key in ('id', 'level', 'rated_at'):
            self.assertRegex(r.text, rf'field invalid"><label for="{key}">')
        r = self.ballot('lan', {**bad, 'level': '9'}, csrf=False)
        self.assertEqual(r.status, 403)
        # in English, the importer's own words
        b = self.b['lan']
        r = b.post_form(f'/admin/units/{UNIT}/ballots?lang=en',
                        {**bad, 'csrf': self.csrf('lan')})
        self.assertEqual(r.status, 400)
        self.assertIn('&#39;6&#39; must be', r.text)
        self.page('xem', f'/admin/units/{UNIT}/ballots', 403)
        self.page('hue', f'/admin/units/{UNIT}/ballots', 404)

    # -- audit ----------------------------------------------------------

    def test_audit_log_scope_and_chain(self):
        # something of H57's, and a CLI entry of nobody's unit
        hb = self.b['hue']
        hb.get('/admin/units/H57/kiosks')
        run('user', 'add', '--db', self.s.db_path, '--unit', 'H57', '--role',
            'viewer', '--name', 'hue2', '--password-stdin', input=PW + '\n')
        t = self.page('lan', f'/admin/units/{UNIT}/audit').text
        self.assertRegex(t, r'Chuỗi băm nhật ký: nguyên vẹn \(\d+ mục\)')
        self.assertIn('user:lan', t)
        self.assertRegex(t, r'<tr data-action="user.add"[^>]*>.*'
                         r'<td class="target"><code>lan</code></td>')  # lan
        self.assertNotIn('hue2', t)              # H57's user, another scope
        self.assertNotIn('data-action="init"', t)     # system entries: admins
        t = self.page('admin', f'/admin/units/{UNIT}/audit').text
        self.assertIn('data-action="init"', t)
        self.assertNotIn('hue2', t)
        # an admin of the province sees system entries only at home
        t = self.page('hueadm', '/admin/units/H57/audit').text
        self.assertIn('data-action="init"', t)
        self.assertIn('hue2', t)
        self.assertNotIn('user:lan', t)
        # filter, and the ratings chain on request
        t = self.page('lan', f'/admin/units/{UNIT}/audit?action=login').text
        self.assertNotIn('data-action="import.ratings"', t)
        t = self.page('lan', f'/admin/units/{UNIT}/audit?verify=ratings'
                      '&lang=en').text
        self.assertRegex(t, r'Ratings hash chain: intact \(\d+ ratings\)')
        self.page('xem', f'/admin/units/{UNIT}/audit', 403)
        self.page('bao', f'/admin/units/{UNIT}/audit', 403)
        self.page('hue', f'/admin/units/{UNIT}/audit', 404)

    def test_audit_of_a_sibling_shows_neither_keys_nor_strangers(self):
        # issue 22 item 9: the audit page of H21.228 showed H21.227's
        # API-key imports and every failed login with the name typed
        with Server(name='audit-scope') as s:
            add_user(s, 'adm228', 'H21.228', 'admin')
            add_user(s, 'admtinh', 'H21', 'admin')
            key = run('apikey', 'add', '--db', s.db_path, '--unit',
                      'H21.227').stdout.strip().splitlines()[-1]
            r = s.post_json('/api/v1/ratings', [
                {'id': 'K1', 'unit': 'H21.227', 'level': 4,
                 'rated_at': '2026-10-05T09:00:00+07:00'}],
                {'Authorization': 'Bearer ' + key})
            self.assertEqual(r.status, 200, r)
            typed = 'matkhaugonham9'
            self.assertEqual(Browser(s).login(typed, PW).status, 401)

            def audit(who, unit):
                b = Browser(s).logged_in(*((who, PW) if who != 'admin'
                                           else s.login))
                r = b.get(f'/admin/units/{unit}/audit')
                self.assertEqual(r.status, 200)
                return r.text
            t = audit('adm228', 'H21.228')
            self.assertNotIn('import.ratings', t)
            self.assertNotIn('login.failed', t)
            self.assertNotIn(typed, t)
            # the key's imports belong to the key's unit
            t = audit('admin', 'H21.227')
            self.assertIn('data-action="import.ratings"', t)
            self.assertNotIn('login.failed', t)
            # the stranger's failure: a top-level admin, without the name
            t = audit('admtinh', 'H21')
            self.assertIn('data-action="login.failed"', t)
            self.assertNotIn(typed, t)
            with s.db() as c:
                self.assertNotIn(typed, '\n'.join(c.iterdump()))

    # -- users ----------------------------------------------------------

    def test_admin_adds_disables_and_resets_users(self):
        b = self.b['admin']
        path = f'/admin/units/{UNIT}/users'
        t = self.page('admin', path).text
        self.assertIn('<code>lan</code>', t)
        self.assertNotIn('<code>hue</code>', t)         # H57's
        csrf = b.csrf()
        r = b.post_form(path, {'username': 'moi', 'name': 'Người <b>mới</b>',
                               'role': 'manager', 'csrf': csrf})
        self.assertEqual(r.status, 200, r.text[:400])
        otp = re.search(r'<code class="otp">([^<]+)</code>', r.text).group(1)
        with self.s.db() as c:
            row = c.execute("SELECT unit, role, must_change, password FROM "
                            "users WHERE username = 'moi'").fetchone()
        self.assertEqual(tuple(row)[:3], (UNIT, 'manager', 1))
        self.assertNotIn(otp, row[3])            # hashed
        # the one-time password works once, then must be changed
        nb = Browser(self.s)
        r = nb.login('moi', otp)
        self.assertEqual(r.status, 303)
        r = nb.get(f'/admin/units/{UNIT}/comments')
        self.assertEqual((r.status, r.headers['location']),
                         (303, '/account/password'))
        # bad fields come back per field, escaped
        r = b.post_form(path, {'username': 'Bad Name', 'name': '',
                               'role': 'root', 'csrf': csrf})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.text.count('class="field-error"'), 3)
        self.assertIn('value="Bad Name"', r.text)
        r = b.post_form(path, {'username': 'moi', 'name': 'x',
                               'role': 'viewer', 'csrf': csrf})
        self.assertEqual(r.status, 400)
        self.assertIn('đã có người dùng', r.text)
        # out of scope, wrong role, no CSRF
        self.assertEqual(b.post_form('/admin/units/H57/users', {
            'username': 'xa', 'name': 'x', 'role': 'viewer',
            'csrf': csrf}).status, 404)
        lb = self.b['lan']
        lb.get(f'/admin/units/{UNIT}/kiosks')
        self.assertEqual(lb.post_form(path, {
            'username': 'xb', 'name': 'x', 'role': 'viewer',
            'csrf': lb.csrf()}).status, 403)
        self.assertEqual(b.post_form(path, {
            'username': 'xc', 'name': 'x', 'role': 'viewer'}).status, 403)
        with self.s.db() as c:
            self.assertEqual(c.execute(
                "SELECT count(*) FROM users WHERE username IN "
                "('xa', 'xb', 'xc')").fetchone()[0], 0)
        # reset: a new one-time password, the sessions end
        r = b.post_form(f'{path}/moi/reset', {'csrf': csrf})
        self.assertEqual(r.status, 200)
        otp2 = re.search(r'<code class="otp">([^<]+)</code>', r.text).group(1)
        self.assertNotEqual(otp, otp2)
        self.assertEqual(nb.get('/account/password').status, 303)
        self.assertEqual(Browser(self.s).login('moi', otp).status, 401)
        self.assertEqual(Browser(self.s).login('moi', otp2).status, 303)
        # disable: no more logins; not oneself; not another unit's user
        self.assertEqual(b.post_form(f'{path}/moi/disable',
                                     {'csrf': csrf, 'confirm': '1'}).status,
                         303)
        self.assertEqual(Browser(self.s).login('moi', otp2).status, 401)
        self.assertEqual(b.post_form(f'{path}/admin/disable',
                                     {'csrf': csrf}).status, 400)
        self.assertEqual(b.post_form(f'{path}/hue/disable',
                                     {'csrf': csrf}).status, 404)
        self.assertEqual(b.post_form(f'{path}/nobody/reset',
                                     {'csrf': csrf}).status, 404)
        with self.s.db() as c:
            acts = [tuple(a) for a in c.execute(
                "SELECT actor, action FROM audit WHERE target = 'moi' AND "
                "action LIKE 'user.%' ORDER BY seq")]
        self.assertEqual(acts, [('user:admin', 'user.add'),
                                ('user:admin', 'user.passwd'),
                                ('user:admin', 'user.disable')])
        self.page('lan', path, 403)
        self.page('hueadm', path, 404)

    # -- language -------------------------------------------------------

    def test_every_page_has_an_english_switch(self):
        pages = {'comments': ('Góp ý của người dân', "Citizens' comments"),
                 'kiosks': ('Ki-ốt đánh giá', 'Rating kiosks'),
                 'qr': ('Mã QR và áp phích', 'QR codes and posters'),
                 'ballots': ('Nhập phiếu đánh giá giấy',
                             'Enter a paper ballot'),
                 'audit': ('Nhật ký thao tác', 'Audit log'),
                 'users': ('Tài khoản cán bộ', 'Staff accounts')}
        for p, (vi, en) in pages.items():
            with self.subTest(page=p):
                t = self.page('admin', f'/admin/units/{UNIT}/{p}').text
                self.assertIn('<h1>' + vi.replace("'", '&#39;') + '</h1>', t)
                self.assertIn('<html lang="vi">', t)
                t = self.page('admin', f'/admin/units/{UNIT}/{p}?lang=en').text
                self.assertIn('<h1>' + en.replace("'", '&#39;') + '</h1>', t)
                self.assertIn('<html lang="en">', t)


class AuditChainBroken(unittest.TestCase):
    def test_a_tampered_audit_log_shows_as_broken(self):
        with Server(name='console-b-chain') as s:
            b = Browser(s).logged_in(*s.login)
            t = b.get(f'/admin/units/{UNIT}/audit').text
            self.assertIn('nguyên vẹn', t)
            # edit an entry behind hailong's back (past its trigger)
            with sqlite3.connect(s.db_path) as c:
                c.execute('DROP TRIGGER audit_no_update')
                c.execute("UPDATE audit SET actor = 'someone' WHERE seq = 1")
            t = b.get(f'/admin/units/{UNIT}/audit').text
            self.assertIn('BỊ PHÁ VỠ tại mục #1', t)


if __name__ == '__main__':
    unittest.main()
