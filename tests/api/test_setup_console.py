"""The console's setup tab (issue 16): every POST route, and attempts to
break it.

Each change works for the role allowed to make it and lands in the
database and the audit log; then the same route is tried by the roles and
units that may not (a viewer or reporter: 403; a manager on a sub-unit:
403; an admin of another unit: 404), without or with a forged CSRF token
(403), and with bad input: the form comes back (400) with a Vietnamese
message and the values typed, escaped, and nothing changed.  Names with
HTML in them are shown escaped.  Setup data is made through the console
or the command line, never with SQL; the database is only read.
"""
import json
import re
import time
import unittest
import urllib.parse

from tests.api.hl import Browser, Server, run

PW = 'mật khẩu rất dài 1'
C = 'H21.227'          # the demo commune: counters 1-3, officers VC01-VC04
P = 'H21'              # its province, a top unit
X = 'H57'              # another province
P1 = '1.001193'        # a procedure of the field "Hộ tịch"
XSS = '<script>alert(1)</script><b>'


def wait_until(cond, bound=120):
    end = time.monotonic() + bound
    while not cond():
        assert time.monotonic() < end, 'condition not met in time'
        time.sleep(0.05)


def setup(unit, sub=''):
    return f'/admin/units/{unit}/setup{sub}'


def alert(r):
    """The page's error messages (role=alert), unescaped for reading."""
    import html
    return ' '.join(html.unescape(m) for m in re.findall(
        r'role="alert">(.*?)</(?:p|span)>', r.text, re.S))


class SetupConsole(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = s = Server(name='setup').start()
        users = [('padmin', P, 'admin'), ('pman', P, 'manager'),
                 ('cadmin', C, 'admin'), ('cman', C, 'manager'),
                 ('crep', C, 'reporter'), ('cview', C, 'viewer'),
                 ('xadmin', X, 'admin')]
        for name, unit, role in users:
            run('user', 'add', '--db', s.db_path, '--unit', unit, '--role',
                role, '--name', name, '--password-stdin', input=PW + '\n')
        cls.b = {name: Browser(s).logged_in(name, PW) for name, _, _ in users}

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    # -- helpers ------------------------------------------------------------

    def post(self, who, path, fields, csrf=True):
        b = self.b[who]
        if csrf is True:
            b.get('/account/password')
            fields = dict(fields, csrf=b.csrf())
        elif csrf:
            fields = dict(fields, csrf=csrf)
        return b.post_form(path, fields)

    def one(self, sql, *params):
        with self.s.db() as c:
            row = c.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def audit_count(self, action):
        return self.one('SELECT count(*) FROM audit WHERE action = ?', action)

    def assert_done(self, r, sub, key):
        self.assertEqual(r.status, 303, alert(r) or r.text[:300])
        self.assertIn(f'/setup{sub}?done={key}', r.headers['location'])

    def assert_bad(self, r, *words):
        self.assertEqual(r.status, 400, r.text[:300])
        msg = alert(r)
        for w in words:
            self.assertIn(w, msg)
        # the form is shown again, with the page's CSRF field
        self.assertIn('name="csrf"', r.text)
        self.assertNotIn('<script>alert(1)', r.text)

    # -- units (admins) -------------------------------------------------------

    def test_unit_add_rename_disable(self):
        units = self.one('SELECT count(*) FROM units')
        r = self.post('padmin', setup(P, '/units'), {
            'code': 'H21.301', 'name': 'Xã Thử Nghiệm', 'level': 'commune',
            'stat_code': '25432'})
        self.assert_done(r, '', 'unit.add')
        row = self.one("SELECT name || '|' || level || '|' || parent || '|' "
                       "|| stat_code FROM units WHERE code = 'H21.301'")
        self.assertEqual(row, 'Xã Thử Nghiệm|commune|H21|25432')
        self.assertGreaterEqual(self.audit_count('unit.add'), 1)
        # the message after the redirect, in Vietnamese
        r = self.b['padmin'].get(r.headers['location'])
        self.assertIn('Đã thêm đơn vị', r.text)
        self.assertIn('H21.301', r.text)
        # the new unit is in the admin's scope at once
        r = self.b['padmin'].get(setup('H21.301'))
        self.assertEqual(r.status, 200)
        units += 1

        bad = [
            ({'code': 'X21.9', 'name': 'A', 'level': 'commune'},
             'không đúng dạng'),
            ({'code': 'H21.301', 'name': 'Trùng ' + XSS, 'level': 'commune'},
             'đã có'),
            ({'code': 'H21.302', 'name': 'ă' * 151, 'level': 'commune'},
             'dài quá 300 byte'),
            ({'code': 'H21.302', 'name': '', 'level': 'commune'}, 'trống'),
            ({'code': 'H21.302', 'name': 'A', 'level': 'village'},
             'province'),
            ({'code': 'H21.302', 'name': 'A', 'level': 'commune',
              'stat_code': '12a'}, 'chữ số'),
        ]
        for fields, words in bad:
            with self.subTest(fields=fields):
                r = self.post('padmin', setup(P, '/units'), fields)
                self.assert_bad(r, words)
                # the values typed come back, escaped
                self.assertIn('value="' + fields['code'] + '"', r.text)
                if XSS in fields['name']:
                    self.assertIn('value="Trùng &lt;script&gt;', r.text)
        self.assertEqual(self.one('SELECT count(*) FROM units'), units)

        # rename, with HTML in the name: stored as typed, shown escaped
        r = self.post('padmin', setup('H21.301', '/rename'),
                      {'name': 'Xã ' + XSS})
        self.assert_done(r, '', 'unit.rename')
        self.assertEqual(self.one(
            "SELECT name FROM units WHERE code = 'H21.301'"), 'Xã ' + XSS)
        for path in (setup('H21.301'), setup(P), '/admin/units/H21.301'):
            r = self.b['padmin'].get(path)
            self.assertEqual(r.status, 200, path)
            self.assertNotIn('<script>alert(1)', r.text, path)
            self.assertIn('&lt;script&gt;', r.text, path)
        r = self.post('padmin', setup('H21.301', '/rename'), {'name': ''})
        self.assert_bad(r, 'trống')
        # the unit's audit tab shows the changes made to it from above,
        # another commune's does not
        r = self.b['padmin'].get('/admin/units/H21.301/audit')
        self.assertEqual(r.status, 200)
        self.assertIn('unit.rename', r.text)
        self.assertIn('user:padmin', r.text)
        r = self.b['cadmin'].get(f'/admin/units/{C}/audit')
        self.assertNotIn('H21.301', r.text)

        # disabling asks first; without the confirmation nothing happens
        r = self.b['padmin'].get(setup('H21.301', '/disable'))
        self.assertEqual(r.status, 200)
        self.assertIn('name="confirm" value="1"', r.text)
        r = self.post('padmin', setup('H21.301', '/disable'), {})
        self.assert_bad(r, 'xác nhận')
        self.assertEqual(self.one(
            "SELECT active FROM units WHERE code = 'H21.301'"), 1)
        # a unit with an active unit below it
        r = self.post('padmin', setup('H21.301', '/units'), {
            'code': 'H21.301.1', 'name': 'Tổ một cửa', 'level': 'centre'})
        self.assert_done(r, '', 'unit.add')
        r = self.post('padmin', setup('H21.301', '/disable'),
                      {'confirm': '1'})
        self.assert_bad(r, 'còn đơn vị trực thuộc')
        r = self.post('padmin', setup('H21.301.1', '/disable'),
                      {'confirm': '1'})
        self.assert_done(r, '', 'unit.disable')
        self.assertIn(setup('H21.301'), r.headers['location'])
        r = self.post('padmin', setup('H21.301', '/disable'),
                      {'confirm': '1'})
        self.assert_done(r, '', 'unit.disable')
        self.assertEqual(self.one(
            "SELECT active FROM units WHERE code = 'H21.301'"), 0)
        # under a disabled parent nothing new
        r = self.post('padmin', setup('H21.301', '/units'), {
            'code': 'H21.301.2', 'name': 'Mới', 'level': 'centre'})
        self.assert_bad(r, 'đã ngừng hoạt động')
        self.assertIsNone(self.one(
            "SELECT 1 FROM units WHERE code = 'H21.301.2'"))
        # one's own unit, or a top one, is not disabled from here
        r = self.post('cadmin', setup(C, '/disable'), {'confirm': '1'})
        self.assert_bad(r, 'chính mình')
        r = self.post('padmin', setup(P, '/disable'), {'confirm': '1'})
        self.assert_bad(r, 'chính mình')
        self.assertEqual(self.one(
            f"SELECT active FROM units WHERE code = '{C}'"), 1)

    # -- counters -------------------------------------------------------------

    def test_counters(self):
        r = self.post('cman', setup(C, '/counters'),
                      {'number': '7', 'name': 'Quầy 7 ' + XSS})
        self.assert_done(r, '/counters', 'counter.add')
        self.assertEqual(self.one(
            f"SELECT name FROM counters WHERE unit = '{C}' AND number = 7"),
            'Quầy 7 ' + XSS)
        r = self.b['cman'].get(setup(C, '/counters'))
        self.assertNotIn('<script>alert(1)', r.text)
        self.assertIn('id="counter-7"', r.text)
        # a name that already says "Quầy 7" is not prefixed again; one
        # that says "Quầy 70" is
        self.assertNotIn('Quầy 7 — Quầy 7', r.text)
        self.assertIn('<h3>Quầy 7 ', r.text)
        r = self.post('cman', setup(C, '/counters'),
                      {'number': '9', 'name': 'Quầy 90'})
        self.assert_done(r, '/counters', 'counter.add')
        r = self.b['cman'].get(setup(C, '/counters'))
        self.assertIn('<h3>Quầy 9 — Quầy 90</h3>', r.text)
        # each counter shows its poster
        self.assertRegex(r.text, r'href="/poster/[A-Za-z0-9_.-]+"')
        # and its kiosks: one registered at counter 7 is linked there, a
        # revoked one is not
        self.assertNotIn('/kiosks#k', r.text)
        ids = []
        for _ in range(2):
            run('kiosk', 'add', '--db', self.s.db_path, '--unit', C,
                '--counter', '7')
            ids = [k['id'] for k in json.loads(run(
                'kiosk', 'list', '--db', self.s.db_path, '--unit', C,
                '--json').stdout)['kiosks'] if k.get('counter') == 7]
        self.assertEqual(len(ids), 2)
        run('kiosk', 'revoke', '--db', self.s.db_path, ids[1])
        card = self.b['cman'].get(setup(C, '/counters')).text
        card = card[card.index('id="counter-7"'):]
        card = card[:card.index('</li>')]
        self.assertIn(f'/kiosks#{ids[0]}">{ids[0]}</a>', card)
        self.assertNotIn(ids[1], card)
        n = self.one('SELECT count(*) FROM counters')
        for number, name, words in [
                ('1', 'Trùng', 'đã có quầy 1'), ('0', 'A', '1 đến 999'),
                ('1000', 'A', '1 đến 999'), ('abc', 'A', '1 đến 999'),
                ('10', 'ă' * 51, 'dài quá 100 byte'), ('10', '', 'trống')]:
            with self.subTest(number=number, name=name):
                r = self.post('cman', setup(C, '/counters'),
                              {'number': number, 'name': name})
                self.assert_bad(r, words)
                self.assertIn(f'value="{number}"', r.text)
        self.assertEqual(self.one('SELECT count(*) FROM counters'), n)

        r = self.post('cman', setup(C, '/counters/7/rename'),
                      {'name': 'Quầy bảy'})
        self.assert_done(r, '/counters', 'counter.rename')
        r = self.post('cman', setup(C, '/counters/7/rename'), {'name': ''})
        self.assert_bad(r, 'trống')
        r = self.post('cman', setup(C, '/counters/99/rename'), {'name': 'A'})
        self.assertEqual(r.status, 404)

        # disabling: a confirmation page first, then the counter stops
        r = self.b['cman'].get(setup(C, '/counters/7/disable'))
        self.assertEqual(r.status, 200)
        self.assertIn('ngừng nhận đánh giá', r.text)
        r = self.post('cman', setup(C, '/counters/7/disable'), {})
        self.assert_bad(r, 'xác nhận')
        self.assertEqual(self.one(f"SELECT active FROM counters WHERE unit = "
                                  f"'{C}' AND number = 7"), 1)
        r = self.post('cman', setup(C, '/counters/7/disable'),
                      {'confirm': '1'})
        self.assert_done(r, '/counters', 'counter.disable')
        self.assertEqual(self.one(f"SELECT active FROM counters WHERE unit = "
                                  f"'{C}' AND number = 7"), 0)
        r = self.post('cman', setup(C, '/counters/7/disable'),
                      {'confirm': '1'})
        self.assert_bad(r, 'đã ngừng')
        self.assertGreaterEqual(self.audit_count('counter.disable'), 1)

    # -- officers -------------------------------------------------------------

    def test_officers(self):
        r = self.post('cman', setup(C, '/officers'),
                      {'id': 'VC90', 'name': 'Cán bộ ' + XSS, 'counter': '2'})
        self.assert_done(r, '/officers', 'officer.add')
        self.assertEqual(self.one(
            "SELECT unit || '|' || counter FROM officers WHERE id = 'VC90'"),
            f'{C}|2')
        r = self.b['cman'].get(setup(C, '/officers'))
        self.assertNotIn('<script>alert(1)', r.text)
        self.assertIn('data-officer="VC90"', r.text)
        n = self.one('SELECT count(*) FROM officers')
        for fields, words in [
                ({'id': 'VC01', 'name': 'Trùng'}, 'đã có'),
                ({'id': 'bad id!', 'name': 'A'}, 'không đúng dạng'),
                ({'id': 'VC91', 'name': 'A', 'counter': '55'},
                 'không có quầy 55'),
                ({'id': 'VC91', 'name': 'A', 'counter': 'x'}, 'Chọn quầy'),
                ({'id': 'VC91', 'name': 'ă' * 51}, 'dài quá 100 byte')]:
            with self.subTest(fields=fields):
                r = self.post('cman', setup(C, '/officers'), fields)
                self.assert_bad(r, words)
        self.assertEqual(self.one('SELECT count(*) FROM officers'), n)

        r = self.b['cman'].get(setup(C, '/officers/VC90/disable'))
        self.assertEqual(r.status, 200)
        r = self.post('cman', setup(C, '/officers/VC90/disable'), {})
        self.assert_bad(r, 'xác nhận')
        r = self.post('cman', setup(C, '/officers/VC90/disable'),
                      {'confirm': '1'})
        self.assert_done(r, '/officers', 'officer.disable')
        self.assertEqual(self.one(
            "SELECT active FROM officers WHERE id = 'VC90'"), 0)
        # an officer of another unit is not found from this one
        r = self.post('padmin', setup(P, '/officers'),
                      {'id': 'GL01', 'name': 'Cán bộ tỉnh'})
        self.assert_done(r, '/officers', 'officer.add')
        r = self.b['cman'].get(setup(C, '/officers/GL01/disable'))
        self.assertEqual(r.status, 404)
        r = self.post('cman', setup(C, '/officers/GL01/disable'),
                      {'confirm': '1'})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.one(
            "SELECT active FROM officers WHERE id = 'GL01'"), 1)

    # -- procedures -----------------------------------------------------------

    def test_procedures(self):
        r = self.post('cadmin', setup(C, '/counters'),
                      {'number': '8', 'name': 'Quầy tám'})
        self.assert_done(r, '/counters', 'counter.add')
        before = self.one('SELECT count(*) FROM unit_procedures')
        # an unknown code among good ones: nothing at all changes
        for codes, words in [(['9.999999'], '9.999999'),
                             (['1.001193', 'abc'], 'abc')]:
            with self.subTest(codes=codes):
                self.b['cadmin'].get(setup(C, '/procedures'))
                # one field per code, as the checkboxes send them
                r = self.b['cadmin'].post_form(
                    setup(C, '/procedures'),
                    [('csrf', self.b['cadmin'].csrf()),
                     ('action', 'unassign'), ('counter', '0')] +
                    [('code', c) for c in codes])
                self.assert_bad(r, words)
        self.assertEqual(self.one('SELECT count(*) FROM unit_procedures'),
                         before)
        r = self.post('cadmin', setup(C, '/procedures'),
                      {'action': 'assign', 'counter': '0'})
        self.assert_bad(r, 'ít nhất một')
        r = self.post('cadmin', setup(C, '/procedures'),
                      {'action': 'assign', 'counter': '0',
                       'field': 'Không có lĩnh vực này'})
        self.assert_bad(r, 'lĩnh vực')
        r = self.post('cadmin', setup(C, '/procedures'),
                      {'action': 'steal', 'counter': '0', 'code': P1})
        self.assert_bad(r, 'Gán')
        self.assertEqual(self.one('SELECT count(*) FROM unit_procedures'),
                         before)

        # a whole field to counter 8, then one procedure off it
        r = self.post('cadmin', setup(C, '/procedures'),
                      {'action': 'assign', 'counter': '8',
                       'field': 'Hộ tịch', 'q': 'khai sinh'})
        self.assert_done(r, '/procedures', 'procedure.assign')
        self.assertIn('counter=8', r.headers['location'])
        self.assertIn('q=khai%20sinh', r.headers['location'])
        got = self.one(f"SELECT count(*) FROM counter_procedures WHERE unit = "
                       f"'{C}' AND counter = 8")
        self.assertGreater(got, 5)
        r = self.post('cadmin', setup(C, '/procedures'),
                      {'action': 'unassign', 'counter': '8', 'code': P1})
        self.assert_done(r, '/procedures', 'procedure.unassign')
        self.assertEqual(self.one(
            f"SELECT count(*) FROM counter_procedures WHERE unit = '{C}' AND "
            f"counter = 8"), got - 1)
        r = self.b['cadmin'].get(setup(C, '/procedures?counter=8'))
        self.assertEqual(r.status, 200)
        self.assertNotIn(f'value="{P1}"', r.text.split('id="assigned"')[1])
        # the search: by code, by words, by field
        for q, want in [(P1, P1), ('khai sinh', P1), ('hộ tịch', P1)]:
            r = self.b['cadmin'].get(setup(C, '/procedures?q=' +
                                           urllib.parse.quote(q)))
            self.assertEqual(r.status, 200)
            self.assertIn(f'value="{want}"', r.text.split('id="found"')[1])
        for bad in ('?counter=abc', '?counter=1000', '?q=' + 'a' * 101):
            r = self.b['cadmin'].get(setup(C, '/procedures' + bad))
            self.assertEqual(r.status, 400, bad)
        self.assertGreaterEqual(self.audit_count('procedure.assign'), 1)

    # -- duty -----------------------------------------------------------------

    def test_duty(self):
        r = self.post('cman', setup(C, '/duty'),
                      {'action': 'start', 'counter': '3', 'officer': 'VC03'})
        self.assert_done(r, '/duty', 'duty.start')
        self.assertEqual(self.one(
            f"SELECT officer FROM duty WHERE unit = '{C}' AND counter = 3 "
            "AND ended_at IS NULL"), 'VC03')
        r = self.b['cman'].get(r.headers['location'])
        self.assertIn('Đã ghi nhận cán bộ vào trực', r.text)
        self.assertRegex(r.text.split('class="dutylog"')[1],
                         r'\d\d/\d\d/\d{4} \d\d:\d\d')
        n = self.one('SELECT count(*) FROM duty')
        for fields, words in [
                ({'action': 'start', 'counter': '3', 'officer': 'NOBODY'},
                 'NOBODY'),
                ({'action': 'start', 'counter': '55', 'officer': 'VC03'},
                 'quầy 55'),
                ({'action': 'start', 'counter': 'x', 'officer': 'VC03'},
                 '1 đến 999'),
                ({'action': 'nap', 'counter': '3'}, 'Vào trực'),
                ({'action': 'end', 'counter': '2'}, '')]:
            with self.subTest(fields=fields):
                r = self.post('cman', setup(C, '/duty'), fields)
                self.assert_bad(r, words)
        self.assertEqual(self.one('SELECT count(*) FROM duty'), n)
        # a duty ends after it started: the log counts in seconds
        started = self.one(f"SELECT started_at FROM duty WHERE unit = '{C}' "
                           "AND counter = 3 AND ended_at IS NULL")
        wait_until(lambda: time.time() >= started + 1)
        r = self.post('cman', setup(C, '/duty'),
                      {'action': 'end', 'counter': '3'})
        self.assert_done(r, '/duty', 'duty.end')
        self.assertIsNone(self.one(
            f"SELECT officer FROM duty WHERE unit = '{C}' AND counter = 3 "
            "AND ended_at IS NULL"))

    # -- the questionnaire (admins of a top unit) ------------------------------

    def instrument_fields(self, who='padmin'):
        r = self.b[who].get(setup(P, '/instrument'))
        self.assertEqual(r.status, 200)
        fields = dict(re.findall(r'<input name="([^"]+)" id="[^"]+" '
                                 r'maxlength="\d+"(?: required)? '
                                 r'value="([^"]*)"', r.text))
        import html
        fields = {k: html.unescape(v) for k, v in fields.items()}
        for m in re.finditer(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>',
                             r.text, re.S):
            fields[m.group(1)] = html.unescape(m.group(2))
        self.assertIn('level5_vi', fields)
        self.assertIn('reason1_code', fields)
        return fields

    def test_instrument(self):
        versions = self.one('SELECT count(*) FROM instruments')
        now = time.gmtime(time.time() + 7 * 3600)
        month = f'{now.tm_year + 1}-01'
        f = self.instrument_fields()
        f.update(effective=month,
                 question_vi='Ông/Bà hài lòng với việc giải quyết hôm nay '
                 'không? ' + XSS,
                 reason6_code='', reason6_vi='', reason6_en='')
        bad = [
            (dict(f, effective='2020-01'), 'đã qua'),
            (dict(f, effective='tháng sau'), 'YYYY-MM'),
            (dict(f, level3_vi=''), ''),
            (dict(f, reason5_code='Mã Sai!'), ''),
        ]
        for fields, words in bad:
            with self.subTest(change=[k for k in fields if fields[k] != f.get(
                    k)]):
                r = self.post('padmin', setup(P, '/instrument'), fields)
                self.assert_bad(r, words)
                self.assertTrue(alert(r))
        self.assertEqual(self.one('SELECT count(*) FROM instruments'),
                         versions)
        r = self.post('padmin', setup(P, '/instrument'), f)
        self.assert_done(r, '/instrument', 'instrument.add')
        self.assertEqual(self.one('SELECT count(*) FROM instruments'),
                         versions + 1)
        body = self.one('SELECT body FROM instruments ORDER BY version DESC')
        self.assertIn('hài lòng với việc giải quyết hôm nay', body)
        self.assertNotIn('"facilities"', body)
        self.assertIn('"criteria"', body)
        r = self.b['padmin'].get(setup(P, '/instrument'))
        self.assertIn('Sắp áp dụng', r.text)
        self.assertNotIn('<script>alert(1)', r.text)
        # not for a commune's admin, nor a province's manager
        self.assertEqual(self.b['cadmin'].get(
            setup(C, '/instrument')).status, 403)
        self.assertEqual(self.b['padmin'].get(
            setup(C, '/instrument')).status, 403)
        self.assertEqual(self.post('cadmin', setup(C, '/instrument'),
                                   f).status, 403)
        self.assertEqual(self.post('pman', setup(P, '/instrument'),
                                   f).status, 403)
        self.assertEqual(self.one('SELECT count(*) FROM instruments'),
                         versions + 1)

    def test_instrument_this_month_reaches_the_form(self):
        now = time.gmtime(time.time() + 7 * 3600)
        f = self.instrument_fields()
        f.update(effective=f'{now.tm_year}-{now.tm_mon:02d}',
                 question_vi='Câu hỏi mới của tỉnh: Ông/Bà có hài lòng?',
                 level5_vi='Rất hài lòng (mới)')
        r = self.post('padmin', setup(P, '/instrument'), f)
        self.assert_done(r, '/instrument', 'instrument.add')
        # the running server's form asks the new question at once
        r = self.s.get('/q/' + self.s.token(counter=1))
        self.assertEqual(r.status, 200)
        self.assertIn('Câu hỏi mới của tỉnh', r.text)
        self.assertIn('Rất hài lòng (mới)', r.text)
        r = self.b['padmin'].get(setup(P, '/instrument'))
        self.assertIn('Câu hỏi mới của tỉnh', r.text)

    # -- who may -------------------------------------------------------------

    ROUTES = [
        ('GET', ''), ('POST', '/units'), ('POST', '/rename'),
        ('GET', '/disable'), ('POST', '/disable'),
        ('GET', '/counters'), ('POST', '/counters'),
        ('POST', '/counters/1/rename'), ('GET', '/counters/1/disable'),
        ('POST', '/counters/1/disable'), ('GET', '/officers'),
        ('POST', '/officers'), ('GET', '/officers/VC01/disable'),
        ('POST', '/officers/VC01/disable'), ('GET', '/procedures'),
        ('POST', '/procedures'), ('GET', '/duty'), ('POST', '/duty'),
        ('GET', '/instrument'), ('POST', '/instrument'),
    ]
    # routes whose least role is admin: 403 to a manager before any unit
    ADMIN_ONLY = ('/units', '/rename', '/disable', '/instrument')

    def call(self, who, method, path, csrf=True):
        if method == 'GET':
            return self.b[who].get(path)
        # harmless bodies: nothing confirmed, nothing valid
        return self.post(who, path, {'name': '', 'number': 'x'}, csrf=csrf)

    def test_roles_and_scope(self):
        audit = self.one('SELECT count(*) FROM audit')
        for method, sub in self.ROUTES:
            path = setup(C, sub)
            with self.subTest(route=f'{method} {sub}'):
                # viewers and reporters: no setup at all
                for who in ('cview', 'crep'):
                    self.assertEqual(self.call(who, method, path).status,
                                     403, who)
                # an admin of another province: the unit does not exist
                self.assertEqual(self.call('xadmin', method, path).status,
                                 404)
                # a manager of the unit above: not the manager's own unit
                self.assertEqual(self.call('pman', method, path).status,
                                 403, 'pman')
                # the commune's manager: its own unit, but not the unit's
                # own settings or the questionnaire
                r = self.call('cman', method, path)
                admin = sub in self.ADMIN_ONLY
                self.assertEqual(r.status, 403 if admin else
                                 200 if method == 'GET' else 400, 'cman')
                # the commune's manager asks about the province: 404,
                # unless the route's role already refused (403)
                self.assertEqual(self.call('cman', method,
                                           setup(P, sub)).status,
                                 403 if admin else 404)
        # nothing above changed anything that is audited
        self.assertEqual(self.one('SELECT count(*) FROM audit'), audit)

    def test_csrf(self):
        n = self.one('SELECT count(*) FROM counters')
        for method, sub in self.ROUTES:
            if method != 'POST':
                continue
            for token in (False, 'A' * 43):
                with self.subTest(route=sub, csrf=token):
                    r = self.post('padmin', setup(C, sub), {
                        'number': '9', 'name': 'Quầy chín', 'confirm': '1'},
                        csrf=token)
                    self.assertEqual(r.status, 403, r.text[:200])
        self.assertEqual(self.one('SELECT count(*) FROM counters'), n)

    def test_tab_shown_to_whom(self):
        def has_tab(who, unit):
            r = self.b[who].get(f'/admin/units/{unit}')
            self.assertEqual(r.status, 200)
            return f'href="/admin/units/{unit}/setup"' in r.text
        self.assertTrue(has_tab('padmin', P))
        self.assertTrue(has_tab('padmin', C))
        self.assertTrue(has_tab('cman', C))
        self.assertTrue(has_tab('pman', P))
        self.assertFalse(has_tab('pman', C))
        self.assertFalse(has_tab('cview', C))
        self.assertFalse(has_tab('crep', C))
        # a manager's setup starts at the counters, without the unit part
        r = self.b['cman'].get(setup(C))
        self.assertEqual(r.status, 200)
        self.assertIn('id="counter-number"', r.text)
        self.assertNotIn(f'href="{setup(C)}"', r.text.split('subnav')[1]
                         .split('</nav>')[0])

    def test_english(self):
        r = self.post('cman', setup(C, '/counters') + '?lang=en',
                      {'number': '1', 'name': 'Again'})
        self.assertEqual(r.status, 400)
        self.assertIn('has a counter 1 already', alert(r))
        r = self.b['cman'].get(setup(C, '/duty') + '?lang=en')
        self.assertIn('Duty log of', r.text)
        self.assertIn('Setup — Duty', r.text)


if __name__ == '__main__':
    unittest.main()
