"""The callback queue, confirmations before what cannot be undone, and
re-enabling an account (issue 18, console part B).

Real server, real SQLite file.  Callbacks are asked through the citizen's
form itself; a request is made old by moving its consent's time back in
the database, the one thing a test cannot wait for.
"""
import datetime
import json
import re
import unittest

from tests.api.hl import Browser, Server, run
from tests.api.kioskhl import add_kiosk

PW = 'mật khẩu rất dài 1'
UNIT = 'H21.227'
P1 = '1.001193'
PHONE = '0912345678'
VN = datetime.timezone(datetime.timedelta(hours=7))


def add_user(s, name, unit, role):
    run('user', 'add', '--db', s.db_path, '--unit', unit, '--role', role,
        '--name', name, '--password-stdin', input=PW + '\n')


def due_day(requested_at):
    """The rule, written again: the 2nd working day (Mon-Fri) after the
    day of the request in Hà Nội; the request is due by its end."""
    day = datetime.datetime.fromtimestamp(requested_at, VN).date()
    left = 2
    while left:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day.strftime('%d/%m/%Y')


def ask_callback(s, unit=UNIT, comment='Xin gọi lại số 0912345678'):
    """A citizen's rating with a consented callback; its callback id."""
    tok = s.token(unit=unit, procedure=P1)
    r = s.get('/q/' + tok)
    nonce = re.search(r'name="nonce" value="([^"]+)"', r.text).group(1)
    r = s.post_form('/q/' + tok, {
        'nonce': nonce, 'level': '2', 'comment': comment,
        'phone': '0912 345 678', 'consent': '1'})
    assert r.status == 200, r
    with s.db() as c:
        return c.execute('SELECT cb.id FROM callbacks cb JOIN ratings r ON '
                         'r.seq = cb.rating_seq WHERE r.id = ?',
                         (nonce,)).fetchone()[0]


def age(s, cid, days):
    """Move request cid's consent `days` back in time."""
    with s.db() as c:
        c.execute('UPDATE consents SET given_at = given_at - ? WHERE id = '
                  '(SELECT consent_id FROM callbacks WHERE id = ?)',
                  (days * 86400, cid))


def state_of(s, cid):
    with s.db() as c:
        return c.execute('SELECT status FROM callbacks WHERE id = ?',
                         (cid,)).fetchone()[0]


class Queue(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='callbacks').start()
        for name, unit, role in (('lan', UNIT, 'manager'),
                                 ('xem', UNIT, 'viewer'),
                                 ('bao', UNIT, 'reporter'),
                                 ('tinh', 'H21', 'manager'),
                                 ('hueadm', 'H57', 'admin')):
            add_user(cls.s, name, unit, role)
        cls.b = {n: Browser(cls.s).logged_in(n, PW)
                 for n in ('lan', 'xem', 'bao', 'tinh', 'hueadm')}
        # the oldest, ten days back (overdue); a fresh one; one of H57
        cls.old = ask_callback(cls.s, comment='Cũ: gọi 0912345678')
        age(cls.s, cls.old, 10)
        cls.new = ask_callback(cls.s, comment='Mới: gọi tôi nhé')
        cls.foreign = ask_callback(cls.s, unit='H57',
                                   comment='Của Huế 0912345678')

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def get(self, who, path, status=200):
        r = self.b[who].get(path)
        self.assertEqual(r.status, status, (who, path, r.text[:400]))
        return r.text

    def requested_at(self, cid):
        with self.s.db() as c:
            return c.execute('SELECT co.given_at FROM callbacks cb JOIN '
                             'consents co ON co.id = cb.consent_id WHERE '
                             'cb.id = ?', (cid,)).fetchone()[0]

    def test_queue_is_oldest_first_with_due_times_and_no_numbers(self):
        t = self.get('lan', f'/admin/units/{UNIT}/callbacks')
        rows = re.findall(r'<tr id="cb(\d+)" class="(\w+)">', t)
        ids = [int(i) for i, _ in rows]
        self.assertLess(ids.index(self.old), ids.index(self.new))
        self.assertNotIn(self.foreign, ids)
        cls = dict((int(i), c) for i, c in rows)
        self.assertEqual(cls[self.old], 'overdue')
        self.assertEqual(cls[self.new], 'due')
        row = re.search(rf'<tr id="cb{self.old}".*?</tr>', t).group(0)
        self.assertIn('Quá hạn', row)
        self.assertIn('10 ngày', row)                   # waited
        self.assertIn('hết ngày ' + due_day(self.requested_at(self.old)),
                      row)
        row = re.search(rf'<tr id="cb{self.new}".*?</tr>', t).group(0)
        self.assertIn('hết ngày ' + due_day(self.requested_at(self.new)),
                      row)
        self.assertIn('Trong hạn', row)
        # the comment masked, the number only behind the audited page
        self.assertIn('Cũ: gọi **********', t)
        self.assertNotIn(PHONE, t)
        self.assertNotIn('0912 345 678', t)
        self.assertIn(f'href="/admin/units/{UNIT}/callbacks/{self.old}"', t)
        # the tab counts what is due, marked late when some are overdue
        badge = re.search(r'/callbacks"[^>]*>Gọi lại <span class="badge '
                          r'late"[^>]*>(\d+)</span>', t)
        self.assertIsNotNone(badge, t[:3000])
        with self.s.db() as c:
            open_here = c.execute(
                "SELECT count(*) FROM callbacks cb JOIN ratings r ON r.seq "
                "= cb.rating_seq WHERE cb.status = 'open' AND r.unit = ?",
                (UNIT,)).fetchone()[0]
        self.assertEqual(int(badge.group(1)), open_here)
        # the rule is written on the page
        self.assertIn('hết ngày làm việc thứ hai', t)
        # the province above sees the commune's requests
        t = self.get('tinh', '/admin/units/H21/callbacks')
        self.assertIn(f'id="cb{self.old}"', t)
        # English
        t = self.get('lan', f'/admin/units/{UNIT}/callbacks?lang=en')
        self.assertIn('Overdue', t)
        self.assertIn('end of ' + due_day(self.requested_at(self.old)), t)

    def test_viewer_and_reporter_see_the_queue_but_no_number(self):
        for who in ('xem', 'bao'):
            with self.subTest(who=who):
                t = self.get(who, f'/admin/units/{UNIT}/callbacks')
                self.assertIn(f'id="cb{self.old}"', t)
                self.assertNotIn(PHONE, t)
                self.assertNotIn('**********', t)      # no comment either
                self.assertNotIn('Cũ: gọi', t)
                self.assertNotIn(f'/callbacks/{self.old}"', t)
                self.get(who, f'/admin/units/{UNIT}/callbacks/{self.old}',
                         403)
                # the tab is theirs, the comments tab is not
                self.assertIn(f'href="/admin/units/{UNIT}/callbacks"', t)
                self.assertNotIn(f'href="/admin/units/{UNIT}/comments"', t)
        # a manager sees the number on the request's page, audited
        t = self.get('lan', f'/admin/units/{UNIT}/callbacks/{self.new}')
        self.assertIn(f'<dd class="phone">{PHONE}</dd>', t)
        with self.s.db() as c:
            n = c.execute("SELECT count(*) FROM audit WHERE action = "
                          "'callback.open' AND actor = 'user:lan' AND "
                          "target = ?", (f'callback:{self.new}',)
                          ).fetchone()[0]
        self.assertGreaterEqual(n, 1)

    def test_another_units_admin_can_neither_see_nor_act(self):
        b = self.b['hueadm']
        self.get('hueadm', f'/admin/units/{UNIT}/callbacks', 404)
        self.get('hueadm', f'/admin/units/{UNIT}/callbacks/{self.old}', 404)
        # through its own unit's URL
        self.get('hueadm', f'/admin/units/H57/callbacks/{self.old}', 404)
        t = self.get('hueadm', '/admin/units/H57/callbacks')
        self.assertIn(f'id="cb{self.foreign}"', t)
        self.assertNotIn(f'id="cb{self.old}"', t)
        csrf = b.csrf(t)
        for path in (f'/admin/units/H57/callbacks/{self.old}',
                     f'/admin/units/{UNIT}/callbacks/{self.old}'):
            r = b.post_form(path, {'action': 'closed', 'note': 'x',
                                   'csrf': csrf})
            self.assertEqual(r.status, 404, path)
        self.assertEqual(state_of(self.s, self.old), 'open')

    def test_done_needs_csrf_and_a_note_and_is_audited(self):
        cid = ask_callback(self.s, comment='Đóng thử')
        age(self.s, cid, 20)
        b = self.b['lan']
        path = f'/admin/units/{UNIT}/callbacks/{cid}'
        t = self.get('lan', path)
        csrf = b.csrf(t)
        self.assertIn('name="note"', t)
        # no CSRF: refused; no note: refused, the form comes back
        r = b.post_form(path, {'action': 'closed', 'note': 'x'})
        self.assertEqual(r.status, 403)
        r = b.post_form(path, {'action': 'closed', 'note': '  ',
                               'csrf': csrf})
        self.assertEqual(r.status, 400)
        self.assertIn('Ghi lại kết quả trước khi đóng', r.text)
        r = b.post_form(path, {'action': 'closed', 'note': 'x' * 501,
                               'csrf': csrf})
        self.assertEqual(r.status, 400)
        self.assertEqual(state_of(self.s, cid), 'open')
        # contacted first (a note is optional), then done
        r = b.post_form(path, {'action': 'contacted', 'csrf': csrf})
        self.assertEqual(r.status, 303)
        self.assertEqual(state_of(self.s, cid), 'open')
        note = 'Đã gọi 0912 345 678 lúc 9 giờ, đã hướng dẫn nộp lại'
        r = b.post_form(path, {'action': 'closed', 'note': note,
                               'csrf': csrf})
        self.assertEqual(r.status, 303, r.text[:300])
        self.assertEqual(r.headers['location'],
                         f'/admin/units/{UNIT}/callbacks?done={cid}')
        self.assertEqual(state_of(self.s, cid), 'closed')
        with self.s.db() as c:
            rows = [tuple(x) for x in c.execute(
                "SELECT actor, action, detail FROM audit WHERE target = ? "
                "AND action != 'callback.open' ORDER BY seq",
                (f'callback:{cid}',))]
        self.assertEqual([r[:2] for r in rows],
                         [('user:lan', 'callback.contacted'),
                          ('user:lan', 'callback.closed')])
        kept = json.loads(rows[1][2])['note']
        self.assertNotIn('0912', kept)                  # masked
        self.assertIn('đã hướng dẫn nộp lại', kept)
        # closed: out of the waiting list, in the done list, late
        t = self.get('lan', f'/admin/units/{UNIT}/callbacks?done={cid}')
        self.assertIn(f'Đã đóng đề nghị gọi lại #{cid}', t)
        self.assertNotIn(f'id="cb{cid}"', t)
        t = self.get('lan', f'/admin/units/{UNIT}/callbacks?state=closed')
        row = re.search(rf'<tr id="cb{cid}" class="was-late">.*?</tr>',
                        t).group(0)
        self.assertIn('Trễ hạn', row)
        # its page shows the history with the note, and no form
        t = self.get('lan', path)
        self.assertIn('đã hướng dẫn nộp lại', t)
        self.assertNotIn('name="note"', t)
        r = b.post_form(path, {'action': 'closed', 'note': 'again',
                               'csrf': csrf})
        self.assertEqual(r.status, 409)
        # a viewer cannot act
        xb = self.b['xem']
        xt = self.get('xem', f'/admin/units/{UNIT}/callbacks')
        r = xb.post_form(f'/admin/units/{UNIT}/callbacks/{self.new}',
                         {'action': 'closed', 'note': 'x',
                          'csrf': xb.csrf(xt)})
        self.assertEqual(r.status, 403)
        self.assertEqual(state_of(self.s, self.new), 'open')

    def test_withdrawn_consent_is_not_due(self):
        cid = ask_callback(self.s, comment='Rút lại')
        t = self.get('lan', f'/admin/units/{UNIT}/callbacks')
        before = re.search(r'Cần gọi lại: (\d+)', t).group(1)
        with self.s.db() as c:
            c.execute('UPDATE consents SET withdrawn_at = given_at + 1 '
                      'WHERE id = (SELECT consent_id FROM callbacks WHERE '
                      'id = ?)', (cid,))
        t = self.get('lan', f'/admin/units/{UNIT}/callbacks')
        self.assertEqual(int(re.search(r'Cần gọi lại: (\d+)', t).group(1)),
                         int(before) - 1)
        row = re.search(rf'<tr id="cb{cid}" class="gone">.*?</tr>',
                        t).group(0)
        self.assertIn('rút lại sự đồng ý', row)

    def test_the_spam_mark_is_chosen_never_preset(self):
        t = self.get('lan', f'/admin/units/{UNIT}/comments')
        forms = re.findall(r'<form class="mark".*?</form>', t, re.S)
        self.assertTrue(forms)
        for f in forms:
            self.assertNotIn('checked', f)
            self.assertNotIn('selected', f)
            self.assertNotIn('<select', f)
            self.assertIn('<details>', f)          # folded until opened
        seq = re.search(r'comments/(\d+)/status', forms[0]).group(1)
        b = self.b['lan']
        r = b.post_form(f'/admin/units/{UNIT}/comments/{seq}/status',
                        {'csrf': b.csrf(t), 'reason': 'x'})
        self.assertEqual(r.status, 400)
        self.assertIn('Chưa chọn', r.text)
        with self.s.db() as c:
            self.assertEqual(c.execute('SELECT status FROM ratings WHERE '
                                       'seq = ?', (seq,)).fetchone()[0],
                             'valid')

    def test_bad_queries_are_400(self):
        self.get('lan', f'/admin/units/{UNIT}/callbacks?state=x', 400)
        self.get('lan', f'/admin/units/{UNIT}/callbacks?page=0', 400)
        t = self.get('lan', f'/admin/units/{UNIT}/callbacks?done=abc')
        self.assertNotIn('Đã đóng đề nghị', t)


class Confirmations(unittest.TestCase):
    """What cannot be undone is asked first: a GET shows, a POST acts."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='confirm').start()
        add_user(cls.s, 'lan', UNIT, 'manager')
        add_user(cls.s, 'xem', UNIT, 'viewer')
        add_user(cls.s, 'hueadm', 'H57', 'admin')
        cls.admin = Browser(cls.s).logged_in(*cls.s.login)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def revoked(self, kid):
        with self.s.db() as c:
            return c.execute('SELECT revoked_at IS NOT NULL FROM kiosks '
                             'WHERE id = ?', (kid,)).fetchone()[0] == 1

    def audits(self, action, target):
        with self.s.db() as c:
            return [tuple(x) for x in c.execute(
                'SELECT actor, action FROM audit WHERE action = ? AND '
                'target = ? ORDER BY seq', (action, target))]

    def test_revoke_asks_first(self):
        kid = add_kiosk(self.s, counter=1)[0]
        lan = Browser(self.s).logged_in('lan', PW)
        t = lan.get(f'/admin/units/{UNIT}/kiosks').text
        # the list links to the question; it holds no form that revokes
        self.assertIn(f'href="/admin/units/{UNIT}/kiosks/{kid}/revoke"', t)
        self.assertNotIn('method="post" action="/admin/units/'
                         f'{UNIT}/kiosks/{kid}/revoke', t)
        path = f'/admin/units/{UNIT}/kiosks/{kid}/revoke'
        for _ in range(2):
            r = lan.get(path)
            self.assertEqual(r.status, 200)
            self.assertFalse(self.revoked(kid))
        self.assertIn('Không thể hoàn tác', r.text)
        self.assertIn('name="confirm" value="1"', r.text)
        self.assertIn(kid, r.text)
        csrf = lan.csrf(r.text)
        # without CSRF, or without the confirmation: nothing happens
        self.assertEqual(lan.post_form(path, {'confirm': '1'}).status, 403)
        self.assertEqual(lan.post_form(path, {'confirm': '1', 'csrf': 'A' * 43})
                         .status, 403)
        r = lan.post_form(path, {'csrf': csrf})
        self.assertEqual(r.status, 400)
        self.assertIn('Hãy xác nhận trước khi thu hồi', r.text)
        self.assertFalse(self.revoked(kid))
        self.assertEqual(self.audits('kiosk.revoke', kid), [])
        # others: a viewer, another unit's admin
        xem = Browser(self.s).logged_in('xem', PW)
        self.assertEqual(xem.get(path).status, 403)
        hue = Browser(self.s).logged_in('hueadm', PW)
        self.assertEqual(hue.get(path).status, 404)
        self.assertEqual(hue.get(f'/admin/units/H57/kiosks/{kid}/revoke')
                         .status, 404)
        # confirmed: revoked, audited; asked again: already done
        r = lan.post_form(path, {'csrf': csrf, 'confirm': '1'})
        self.assertEqual(r.status, 303)
        self.assertTrue(self.revoked(kid))
        self.assertEqual(self.audits('kiosk.revoke', kid),
                         [('user:lan', 'kiosk.revoke')])
        self.assertEqual(lan.get(path).status, 409)

    def test_lock_asks_first_and_unlock_lets_the_user_in_again(self):
        add_user(self.s, 'nga', UNIT, 'viewer')
        b = self.admin
        base = f'/admin/units/{UNIT}/users/nga'
        t = b.get(f'/admin/units/{UNIT}/users').text
        self.assertIn(f'href="{base}/disable"', t)
        self.assertNotIn(f'action="{base}/disable"', t)
        nga = Browser(self.s).logged_in('nga', PW)
        r = b.get(base + '/disable')
        self.assertEqual(r.status, 200)
        self.assertIn('Người này sẽ bị đăng xuất ngay', r.text)
        self.assertIn('Người xem', r.text)            # the role, in words
        self.assertEqual(nga.get(f'/admin/units/{UNIT}').status, 200)
        csrf = b.csrf(r.text)
        self.assertEqual(b.post_form(base + '/disable', {'confirm': '1'})
                         .status, 403)
        r = b.post_form(base + '/disable', {'csrf': csrf})
        self.assertEqual(r.status, 400)
        self.assertEqual(nga.get(f'/admin/units/{UNIT}').status, 200)
        r = b.post_form(base + '/disable', {'csrf': csrf, 'confirm': '1'})
        self.assertEqual(r.status, 303)
        # the session ended, no login
        self.assertEqual(nga.get(f'/admin/units/{UNIT}').status, 303)
        self.assertEqual(Browser(self.s).login('nga', PW).status, 401)
        self.assertEqual(b.get(base + '/disable').status, 409)
        # the list offers "Mở khóa"; its page acts only on POST
        t = b.get(f'/admin/units/{UNIT}/users').text
        self.assertIn(f'href="{base}/enable"', t)
        self.assertIn('Mở khóa…', t)
        r = b.get(base + '/enable')
        self.assertEqual(r.status, 200)
        self.assertEqual(Browser(self.s).login('nga', PW).status, 401)
        self.assertEqual(b.post_form(base + '/enable', {'confirm': '1'})
                         .status, 403)
        self.assertEqual(b.post_form(base + '/enable', {'csrf': csrf})
                         .status, 400)
        self.assertEqual(Browser(self.s).login('nga', PW).status, 401)
        r = b.post_form(base + '/enable', {'csrf': csrf, 'confirm': '1'})
        self.assertEqual(r.status, 303)
        self.assertEqual(Browser(self.s).login('nga', PW).status, 303)
        self.assertEqual(b.get(base + '/enable').status, 409)
        self.assertEqual(b.post_form(base + '/enable', {
            'csrf': csrf, 'confirm': '1'}).status, 409)
        self.assertEqual(self.audits('user.disable', 'nga'),
                         [('user:admin', 'user.disable')])
        self.assertEqual(self.audits('user.enable', 'nga'),
                         [('user:admin', 'user.enable')])
        # not oneself; not another unit's user; not below admin
        self.assertEqual(b.get(f'/admin/units/{UNIT}/users/admin/disable')
                         .status, 400)
        hue = Browser(self.s).logged_in('hueadm', PW)
        self.assertEqual(hue.get(f'/admin/units/H57/users/nga/enable')
                         .status, 404)
        lan = Browser(self.s).logged_in('lan', PW)
        self.assertEqual(lan.get(base + '/enable').status, 403)

    def test_users_page_says_roles_in_words(self):
        t = self.admin.get(f'/admin/units/{UNIT}/users').text
        for code in ('admin', 'manager', 'viewer'):
            self.assertNotIn(f'data-label="Vai trò">{code}</td>', t)
            self.assertNotIn(f'>{code}</option>', t)
        self.assertIn('data-label="Vai trò">Người quản lý</td>', t)
        self.assertIn('<option value="manager">', t)
        self.assertIn('(Quản trị viên)', t)            # the bar
        self.assertNotIn('>Kiosk<', t)                # the tab: Ki-ốt
        self.assertIn('>Ki-ốt</a>', t)


class EnableCli(unittest.TestCase):
    def test_user_enable(self):
        with Server(name='user-enable') as s:
            add_user(s, 'tam', UNIT, 'manager')
            db = ['--db', s.db_path]
            p = run('user', 'disable', *db, 'tam')
            self.assertIn('user tam disabled', p.stdout)
            self.assertEqual(Browser(s).login('tam', PW).status, 401)
            # failed logins pile up meanwhile; enabling clears them
            with s.db() as c:
                c.execute("UPDATE users SET failed_logins = 9, "
                          "locked_until = 4102444800 WHERE username = 'tam'")
            p = run('user', 'enable', *db, 'tam')
            self.assertEqual(p.returncode, 0)
            self.assertIn('user tam enabled', p.stdout)
            with s.db() as c:
                row = c.execute("SELECT active, failed_logins, locked_until "
                                "FROM users WHERE username = 'tam'"
                                ).fetchone()
            self.assertEqual(tuple(row), (1, 0, 0))
            self.assertEqual(Browser(s).login('tam', PW).status, 303)
            # --name works too; twice is nothing to do, still 0
            p = run('user', 'enable', *db, '--name', 'tam')
            self.assertEqual(p.returncode, 0)
            self.assertIn('already', p.stdout)
            with s.db() as c:
                acts = [tuple(x) for x in c.execute(
                    "SELECT actor LIKE 'cli:%', action FROM audit WHERE "
                    "target = 'tam' AND action IN ('user.disable', "
                    "'user.enable') ORDER BY seq")]
            self.assertEqual(acts, [(1, 'user.disable'), (1, 'user.enable')])
            # the other user commands' exit codes
            p = run('user', 'enable', *db, 'nobody', check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn("no user 'nobody'", p.stderr)
            p = run('user', 'enable', *db, check=False)
            self.assertEqual(p.returncode, 2)
            p = run('user', 'enable', *db, 'tam', '--name', 'other',
                    check=False)
            self.assertEqual(p.returncode, 2)
            p = run('user', 'passwd', *db, 'tam', check=False)
            self.assertEqual(p.returncode, 2)
            p = run('user', '--help')
            self.assertIn('hailong user enable', p.stdout)


if __name__ == '__main__':
    unittest.main()
