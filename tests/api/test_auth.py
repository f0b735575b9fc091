"""Staff login, sessions and CSRF: what an attacker would try."""
import re
import time
import unittest

from tests.api.hl import Browser, Server, run

PW = 'mật khẩu rất dài 1'


class Auth(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # the lockout test meets login_failures: set, not the default
        cls.s = Server('--login-failures', '5', name='auth').start()
        for name, unit, role in (('lan', 'H21.227', 'manager'),
                                 ('tinh', 'H21', 'viewer'),
                                 ('hue', 'H57', 'admin'),
                                 ('khoa', 'H21.227', 'viewer')):
            run('user', 'add', '--db', cls.s.db_path, '--unit', unit, '--role',
                role, '--name', name, '--password-stdin', input=PW + '\n')

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_login_form_has_csrf_and_sets_its_cookie(self):
        b = Browser(self.s)
        r = b.get('/login')
        self.assertEqual(r.status, 200)
        self.assertRegex(r.text, r'name="csrf" value="[A-Za-z0-9_-]{43}"')
        self.assertIn('hl_login', b.cookies)
        self.assertTrue(any('HttpOnly' in c and 'SameSite=Strict' in c
                            for c in r.set_cookies))

    def test_login_success_sets_a_strict_session_cookie(self):
        b = Browser(self.s)
        r = b.login('lan', PW)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.headers['location'], '/admin')
        sc = [c for c in r.set_cookies if c.startswith('hl_session=')]
        self.assertEqual(len(sc), 1)
        for attr in ('HttpOnly', 'SameSite=Strict', 'Path=/'):
            self.assertIn(attr, sc[0])
        self.assertNotIn('Secure', sc[0])       # plain HTTP here
        token = b.cookies['hl_session']
        self.assertRegex(token, r'^[A-Za-z0-9_-]{43}$')
        # only a hash is stored
        dump = '\n'.join(self.s.db().iterdump())
        self.assertNotIn(token, dump)
        r = b.get('/admin')
        self.assertEqual((r.status, r.headers['location']),
                         (303, '/admin/units/H21.227'))
        r = b.get('/admin/units/H21.227')
        self.assertEqual(r.status, 200)
        self.assertIn('UBND xã Vân Canh', r.text)
        self.assertIn('lan (Người quản lý)', r.text)   # the role in words

    def test_login_without_or_with_forged_csrf_is_refused(self):
        b = Browser(self.s)
        b.get('/login')
        real = b.csrf()
        forged = real[:-1] + ('B' if real.endswith('A') else 'A')
        for token in (None, '', 'A' * 43, forged):
            with self.subTest(csrf=token):
                f = {'username': 'lan', 'password': PW}
                if token is not None:
                    f['csrf'] = token
                r = b.post_form('/login', f)
                self.assertEqual(r.status, 403)
                self.assertNotIn('hl_session', b.cookies)
        # a token from another browser's cookie does not fit this one
        other = Browser(self.s)
        other.get('/login')
        r = b.post_form('/login', {'username': 'lan', 'password': PW,
                                   'csrf': other.csrf()})
        self.assertEqual(r.status, 403)

    def test_wrong_password_locks_after_five_and_says_so(self):
        run('user', 'add', '--db', self.s.db_path, '--unit', 'H21.227',
            '--role', 'viewer', '--name', 'victim', '--password-stdin',
            input=PW + '\n')
        b = Browser(self.s, client_ip=None)
        for i in range(5):
            r = b.login('victim', 'sai mật khẩu ' + str(i))
            self.assertIn(r.status, (401, 403))
        self.assertIn('Tài khoản tạm thời bị khoá', r.text)
        # now even the right password is refused, with the same message
        r = b.login('victim', PW)
        self.assertEqual(r.status, 403)
        self.assertIn('Tài khoản tạm thời bị khoá', r.text)
        self.assertNotIn('hl_session', b.cookies)
        with self.s.db() as c:
            actions = [r[0] for r in c.execute(
                "SELECT action FROM audit WHERE target = 'victim'")]
        self.assertIn('login.lock', actions)
        self.assertIn('login.locked', actions)

    def test_lockout_tells_nothing_and_locks_only_the_stranger(self):
        # issue 22 item 8: before, only real accounts were ever "locked",
        # and a stranger anywhere could lock an officer out
        with Server('--trusted-proxies', '127.0.0.1', '--login-failures',
                    '5', '--login-failures-global', '12',
                    name='lockout') as s:
            run('user', 'add', '--db', s.db_path, '--unit', 'H21.227',
                '--role', 'viewer', '--name', 'canbo', '--password-stdin',
                input=PW + '\n')

            def attempts(name, ip, n):
                b = Browser(s, client_ip=ip)
                out = []
                for i in range(n):
                    r = b.login(name, 'sai mật khẩu ' + str(i))
                    out.append((r.status,
                                'tạm thời bị khoá' in r.text,
                                'không đúng' in r.text))
                return out
            real = attempts('canbo', '198.51.100.9', 6)
            ghost = attempts('khong-co-ai', '198.51.100.10', 6)
            # the same answers for a name that exists and one that does not
            self.assertEqual(real, ghost)
            self.assertEqual(real[4][:2], (401, True))
            self.assertEqual(real[5][:2], (403, True))
            # the officer at their own desk is not locked out by it
            r = Browser(s, client_ip='203.0.113.7').login('canbo', PW)
            self.assertEqual(r.status, 303)
            # but failures from everywhere past the global count rest the
            # name everywhere (5 above, 7 more from two addresses)
            attempts('canbo', '192.0.2.21', 5)
            attempts('canbo', '192.0.2.22', 2)
            r = Browser(s, client_ip='203.0.113.7').login('canbo', PW)
            self.assertEqual(r.status, 403)
            self.assertIn('tạm thời bị khoá', r.text)
            # the unknown name typed is written nowhere in the audit log
            with s.db() as c:
                dump = '\n'.join(c.iterdump())
            self.assertNotIn('khong-co-ai', dump)

    def test_users_page_shows_a_resting_name_and_a_reset_lifts_it(self):
        # the lockout lives in memory now: the users page reads it there
        with Server('--trusted-proxies', '127.0.0.1', '--login-failures',
                    '5', '--login-failures-global', '3',
                    name='lockout-page') as s:
            run('user', 'add', '--db', s.db_path, '--unit', 'H21.227',
                '--role', 'viewer', '--name', 'canbo', '--password-stdin',
                input=PW + '\n')
            admin = Browser(s).logged_in(*s.login)
            path = '/admin/units/H21.227/users'

            def row():
                page = admin.get(path).text
                return page[page.index('>canbo</code>'):].split('</tr>')[0]
            self.assertIn('Hoạt động', row())
            for ip in ('192.0.2.31', '192.0.2.32', '192.0.2.33'):
                Browser(s, client_ip=ip).login('canbo', 'sai mật khẩu')
            self.assertIn('Tạm khóa (đăng nhập sai)', row())
            self.assertEqual(Browser(s, client_ip='203.0.113.8')
                             .login('canbo', PW).status, 403)
            r = admin.post_form(f'{path}/canbo/reset',
                                {'csrf': admin.csrf()})
            self.assertEqual(r.status, 200)
            otp = re.search(r'<code class="otp">([^<]+)</code>',
                            r.text).group(1)
            self.assertNotIn('Tạm khóa', row())
            self.assertEqual(Browser(s, client_ip='203.0.113.8')
                             .login('canbo', otp).status, 303)

    def test_unknown_user_and_wrong_password_look_the_same(self):
        b = Browser(self.s)
        r1 = b.login('nobody', PW)
        r2 = b.login('khoa', 'sai mật khẩu 123')
        self.assertEqual(r1.status, r2.status)
        self.assertIn('Tên đăng nhập hoặc mật khẩu không đúng.', r1.text)
        self.assertIn('Tên đăng nhập hoặc mật khẩu không đúng.', r2.text)

    def test_session_rotates_at_login(self):
        b = Browser(self.s)
        b.logged_in('khoa', PW)
        first = b.cookies['hl_session']
        b.logged_in('khoa', PW)
        second = b.cookies['hl_session']
        self.assertNotEqual(first, second)
        # the old token is dead
        old = Browser(self.s)
        old.cookies['hl_session'] = first
        r = old.get('/admin/units/H21.227')
        self.assertEqual(r.status, 303)
        self.assertTrue(r.headers['location'].startswith('/login'))

    def test_logout_needs_csrf_and_ends_the_session(self):
        b = Browser(self.s).logged_in('khoa', PW)
        csrf = b.csrf(b.get('/admin/units/H21.227').text)
        token = b.cookies['hl_session']
        r = b.post_form('/logout', {})
        self.assertEqual(r.status, 403)
        self.assertIn('Yêu cầu không hợp lệ', r.text)
        r = b.post_form('/logout', {'csrf': 'x' * 43})
        self.assertEqual(r.status, 403)
        r = b.post_form('/logout', {'csrf': csrf})
        self.assertEqual(r.status, 303)
        again = Browser(self.s)
        again.cookies['hl_session'] = token
        self.assertEqual(again.get('/admin').status, 303)
        self.assertTrue(again.get('/admin').headers['location']
                        .startswith('/login'))

    def test_idle_timeout(self):
        b = Browser(self.s).logged_in('khoa', PW)
        self.assertEqual(b.get('/admin/units/H21.227').status, 200)
        with self.s.db() as c:
            c.execute("UPDATE sessions SET last_seen = last_seen - 31 * 60 "
                      "WHERE user_id = (SELECT id FROM users WHERE "
                      "username = 'khoa')")
        r = b.get('/admin/units/H21.227')
        self.assertEqual(r.status, 303)
        self.assertIn('expired=1', r.headers['location'])
        r = b.get(r.headers['location'])
        self.assertIn('Phiên làm việc đã hết hạn', r.text)
        # 29 minutes idle is still fine
        b.logged_in('khoa', PW)
        with self.s.db() as c:
            c.execute("UPDATE sessions SET last_seen = last_seen - 29 * 60 "
                      "WHERE user_id = (SELECT id FROM users WHERE "
                      "username = 'khoa')")
        self.assertEqual(b.get('/admin/units/H21.227').status, 200)

    def test_password_change_form_has_the_login_budget(self):
        # issue 22 (info): a session could guess the current password
        # without end
        with Server('--login-failures', '3', name='pwguess') as s:
            run('user', 'add', '--db', s.db_path, '--unit', 'H21.227',
                '--role', 'viewer', '--name', 'doan', '--password-stdin',
                input=PW + '\n')
            b = Browser(s).logged_in('doan', PW)

            def change(current):
                b.get('/account/password')
                return b.post_form('/account/password', {
                    'current': current, 'new': 'mật khẩu mới thật dài 2',
                    'confirm': 'mật khẩu mới thật dài 2',
                    'csrf': b.csrf()})
            for i in range(3):
                self.assertEqual(change(f'đoán sai {i}').status, 400)
            r = change(PW)
            self.assertEqual(r.status, 429)
            self.assertIn('quá nhiều lần', r.text)

    def test_absolute_lifetime(self):
        # issue 22 (info): a session kept busy lived for ever
        b = Browser(self.s).logged_in('khoa', PW)
        with self.s.db() as c:
            c.execute("UPDATE sessions SET created_at = created_at - "
                      "11 * 3600 WHERE user_id = (SELECT id FROM users "
                      "WHERE username = 'khoa')")
        self.assertEqual(b.get('/admin/units/H21.227').status, 200)
        with self.s.db() as c:
            c.execute("UPDATE sessions SET created_at = created_at - "
                      "2 * 3600 WHERE user_id = (SELECT id FROM users "
                      "WHERE username = 'khoa')")
        r = b.get('/admin/units/H21.227')
        self.assertEqual(r.status, 303)
        self.assertIn('expired=1', r.headers['location'])

    def test_unit_scope_answers_404_whatever_the_role(self):
        cases = [('lan', 'H21.227', 200), ('lan', 'H21', 404),
                 ('lan', 'H21.228', 404), ('lan', 'H26', 404),
                 ('tinh', 'H21', 200), ('tinh', 'H21.227', 200),
                 ('tinh', 'H21.01', 200), ('tinh', 'H57', 404),
                 ('hue', 'H57', 200), ('hue', 'H21.227', 404),
                 ('hue', 'H99', 404), ('hue', 'nonsense', 404)]
        browsers = {}
        for user, unit, want in cases:
            with self.subTest(user=user, unit=unit):
                b = browsers.get(user) or Browser(self.s).logged_in(user, PW)
                browsers[user] = b
                self.assertEqual(b.get(f'/admin/units/{unit}').status, want)

    def test_not_logged_in_goes_to_login_and_back(self):
        b = Browser(self.s)
        r = b.get('/admin/units/H21.227')
        self.assertEqual(r.status, 303)
        self.assertEqual(r.headers['location'],
                         '/login?next=%2Fadmin%2Funits%2FH21.227')
        r = b.login('lan', PW, next_path='/admin/units/H21.227')
        self.assertEqual(r.headers['location'], '/admin/units/H21.227')
        # next never leads off the site
        for evil in ('//evil.example/admin', 'https://evil.example',
                     '/admin/../../x"><script>', '/\\evil'):
            r = Browser(self.s).login('lan', PW, next_path=evil)
            self.assertEqual(r.headers['location'], '/admin', evil)

    def test_one_time_password_must_be_changed_first(self):
        out = run('user', 'add', '--db', self.s.db_path, '--unit', 'H21.227',
                  '--role', 'reporter', '--name', 'moi').stdout
        otp = out.strip().rsplit(' ', 1)[1]
        self.assertRegex(otp, r'^[a-z2-9]{16}$')
        b = Browser(self.s)
        r = b.login('moi', otp)
        self.assertEqual(r.headers['location'], '/account/password')
        r = b.get('/admin/units/H21.227')
        self.assertEqual((r.status, r.headers['location']),
                         (303, '/account/password'))
        r = b.get('/account/password')
        self.assertIn('mật khẩu dùng một lần', r.text)
        csrf = b.csrf()
        for fields, msg in (
                ({'current': 'wrong', 'new': PW, 'confirm': PW},
                 'Mật khẩu hiện tại không đúng.'),
                ({'current': otp, 'new': 'short', 'confirm': 'short'},
                 'ít nhất 10 ký tự'),
                ({'current': otp, 'new': PW, 'confirm': PW + 'x'},
                 'không khớp')):
            r = b.post_form('/account/password', dict(fields, csrf=csrf))
            self.assertEqual(r.status, 400)
            self.assertIn(msg, r.text)
        r = b.post_form('/account/password',
                        {'current': otp, 'new': PW, 'confirm': PW,
                         'csrf': csrf})
        self.assertEqual(r.status, 303)
        self.assertEqual(b.get('/admin/units/H21.227').status, 200)
        self.assertEqual(Browser(self.s).login('moi', otp).status, 401)

    def test_login_rate_limit_per_client(self):
        # the limit set here (the default, 20, is config show's): four
        # attempts fit in its minute on any machine, 21 scrypt logins
        # under ASan on one busy core might not
        with Server('--login-attempts-per-min', '3', name='loginrate') as s:
            b = Browser(s)
            codes = [b.login('nobody', 'x' * 12).status for _ in range(4)]
            self.assertEqual(codes[:3], [401] * 3)
            self.assertEqual(codes[3], 429)
            self.assertIn('quá nhiều lần đăng nhập', b.last_html.lower())

    def test_disabled_user_loses_access_at_once(self):
        run('user', 'add', '--db', self.s.db_path, '--unit', 'H21.227',
            '--role', 'viewer', '--name', 'leaver', '--password-stdin',
            input=PW + '\n')
        b = Browser(self.s).logged_in('leaver', PW)
        self.assertEqual(b.get('/admin/units/H21.227').status, 200)
        run('user', 'disable', '--db', self.s.db_path, '--name', 'leaver')
        self.assertEqual(b.get('/admin/units/H21.227').status, 303)
        self.assertEqual(Browser(self.s).login('leaver', PW).status, 401)

    def test_user_add_refuses_bad_input(self):
        for args, want in (
                (['--unit', 'H99', '--role', 'viewer', '--name', 'abc'],
                 "no unit 'H99'"),
                (['--unit', 'H21', '--role', 'boss', '--name', 'abc'],
                 '--role must be'),
                (['--unit', 'H21', '--role', 'viewer', '--name', 'A B'],
                 "username 'A B'"),
                (['--unit', 'H21', '--role', 'viewer', '--name', 'lan'],
                 "'lan' is taken")):
            p = run('user', 'add', '--db', self.s.db_path, *args, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn(want, p.stderr)
        p = run('user', 'add', '--db', self.s.db_path, '--unit', 'H21',
                '--role', 'viewer', '--name', 'weak', '--password-stdin',
                input='short\n', check=False)
        self.assertIn('at least 10 characters', p.stderr)

    def test_no_password_or_token_in_logs(self):
        b = Browser(self.s).logged_in('lan', PW)
        b.get('/admin/units/H21.227')
        logs = self.s.logs()
        self.assertNotIn(PW, logs)
        self.assertNotIn(b.cookies['hl_session'], logs)


if __name__ == '__main__':
    unittest.main()
