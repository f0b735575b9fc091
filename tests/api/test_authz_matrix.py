"""The authorization matrix: every route x every role x own/sub/foreign unit.

The routes are read from server/web/routes.c itself, so a route added there
is in the matrix at once: the test fails until EXPECT below says what
each role may get from it.  Adding a route's expectation is one entry:

    ('GET', '/admin/units/:unit/reviews'): InUnit(MANAGER),
    ('POST', '/admin/units/:unit/reviews'): InUnit(MANAGER, ok=303,
                                                   body={'title': 'x'}),
    ('GET', '/cong-khai'): Public(200),

Roles: admin, manager, reporter, viewer (users of the province H21),
anonymous, and apikey (a machine with an API key of H21, which is no
session: it reaches the API routes that take keys, and nothing else).
Units: own (H21), subordinate (H21.227), foreign (H57) and sibling: the
same four roles of H21.227 ask about H21.228 (under the same parent H21),
which must be as closed to them as a foreign unit, so that a scope check
widened to siblings is caught.  A route whose path names a unit (:unit,
or ?unit= for the metrics API) is asked about each of the four; the
others once per role.  Every
request is a real one against a real server, and POSTs carry the
session's CSRF token (CSRF refusals are checked separately, for every
POST route of staff).
"""
import os
import re
import subprocess
import unittest
import urllib.parse

from tests.api.hl import ROOT, Browser, Server, run
from tests.api.kioskhl import add_kiosk

PW = 'mật khẩu rất dài 1'
ROLES = ['admin', 'manager', 'reporter', 'viewer', 'anonymous', 'apikey']
RANK = {'viewer': 0, 'reporter': 1, 'manager': 2, 'admin': 3}
VIEWER, REPORTER, MANAGER, ADMIN = 'viewer', 'reporter', 'manager', 'admin'
UNITS = {'own': 'H21', 'sub': 'H21.227', 'foreign': 'H57',
         'sibling': 'H21.228'}
# the unit of the users who ask about the sibling scope
SIBLING_HOME = 'H21.227'
P1 = '1.001193'


# -- the route table, from the C source -----------------------------------

def wire_paths():
    with open(os.path.join(ROOT, 'include', 'hailong', 'wire.h')) as f:
        return dict(re.findall(r'#define (WIRE_PATH_\w+) "([^"]+)"', f.read()))


def parse_routes():
    """[(method, pattern, auth, role)] of server/web/routes.c's table."""
    with open(os.path.join(ROOT, 'server', 'web', 'routes.c')) as f:
        src = f.read()
    src = re.sub(r'/\*.*?\*/', '', src, flags=re.S)
    table = src[src.index('routes[] = {'):]
    macros = wire_paths()
    out = []
    for m in re.finditer(r'\{\s*(HTTP_[A-Z_| ]+?)\s*,\s*("[^"]*"|WIRE_PATH_'
                         r'\w+)\s*,\s*(\w+)\s*,\s*(AUTH_\w+)\s*,\s*(\w+)',
                         table):
        methods, path, _, auth, role = m.groups()
        path = path.strip('"') if path.startswith('"') else macros[path]
        for meth in re.findall(r'HTTP_(\w+)', methods):
            out.append((meth, path, auth, role))
    return out


# -- expectations -----------------------------------------------------------

class Public:
    """Every role, logged in or not, gets `status`.

    Every spec takes `key`: what a caller with an API key of H21 gets
    (None: the same as anonymous; 'scoped': 200 inside H21, else 404),
    and `check`: a function of (role, response) run on a 2xx answer."""

    def __init__(self, status, body=None, query='', fill=None, key=None,
                 check=None):
        self.status, self.body, self.query = status, body, query
        self.fill = fill or {}
        self.key, self.check = key, check

    def expect(self, role, scope, path):
        return self.status

    def expect_key(self, scope, path):
        if self.key is None:
            return self.expect('anonymous', scope, path)
        if self.key == 'scoped':
            return 404 if scope in ('foreign', 'sibling') else 200
        return self.key


class Staff(Public):
    """A session with at least `least`; ok when it has."""

    def __init__(self, least, ok=200, body=None, query='', fill=None,
                 key=None, check=None):
        super().__init__(None, body, query, fill, key, check)
        self.least, self.ok = least, ok

    def expect(self, role, scope, path):
        if role == 'anonymous':
            # people go to the login page, programs get 401
            return 401 if path.startswith('/api/') else 303
        if RANK[role] < RANK[self.least]:
            return 403
        return self.ok


class InUnit(Staff):
    """Staff, and the unit named must be the user's or below it: else 404.

    The role is checked first: a role too low gets 403 whatever the unit
    (which tells nothing about the unit either)."""

    def expect(self, role, scope, path):
        if role == 'anonymous' or RANK[role] < RANK[self.least]:
            return super().expect(role, scope, path)
        return 404 if scope == 'foreign' else self.ok


class ScopeFirst(Staff):
    """Staff, the unit checked before the role: a unit outside the scope
    is 404 for every role; inside it a role too low gets 403 (the figure
    and review pages of console part A)."""

    def expect(self, role, scope, path):
        if role != 'anonymous' and scope == 'foreign':
            return 404
        return super().expect(role, scope, path)


class KeyOnly(Public):
    """A route for machines alone: sessions and no credentials get 401; an
    API key gets `ok` for a unit of its subtree and 404 for any other."""

    def __init__(self, ok, body=None):
        super().__init__(401, body=body, key='scoped')
        self.ok = ok

    def expect_key(self, scope, path):
        return 404 if scope in ('foreign', 'sibling') else self.ok


class ByRole(Public):
    """What each role gets, where it differs: {role: status}, 'staff' for
    every logged-in role."""

    def __init__(self, statuses, **kw):
        super().__init__(None, **kw)
        self.statuses = statuses

    def expect(self, role, scope, path):
        if role in self.statuses:
            return self.statuses[role]
        return self.statuses['staff']


class Setup(Staff):
    """The setup tab (issue 16): past the route's least role (else 403),
    a unit outside the scope is 404; a manager sets up the manager's own
    unit only (403 on a unit below it), an admin any unit of the subtree;
    `top_only`: an admin of a top unit on that unit only (the
    questionnaire: 403 below it).  `ok_own`: what the user's own unit
    answers when it differs from a unit below (one cannot disable one's
    own unit)."""

    def __init__(self, least, ok=200, ok_own=None, top_only=False, **kw):
        super().__init__(least, ok=ok, **kw)
        self.ok_own, self.top_only = ok_own, top_only

    def expect(self, role, scope, path):
        if role == 'anonymous' or RANK[role] < RANK[self.least]:
            return super().expect(role, scope, path)
        if scope == 'foreign':
            return 404
        if scope == 'sub' and (role == MANAGER or self.top_only):
            return 403
        if scope == 'own' and self.ok_own is not None:
            return self.ok_own
        return self.ok


def staff_scopes(role, r):
    """Counters and officers: managers and up, in the API as in the console
    (issue 22 item 4)."""
    doc = r.json()
    if role in ('viewer', 'reporter'):
        assert doc['counters'] == [] and doc['officers'] == [], \
            f'{role} got counter or officer figures'
    elif role in ('manager', 'admin', 'apikey'):
        assert doc['counters'] and doc['officers'], \
            f'{role} got no counter or officer figures: {r.body[:200]!r}'


# what an API key of H21 gets from the import routes with an empty body
KEY_DOSSIERS, KEY_RATINGS, KEY_REPORTS = 200, 200, 503

EXPECT = {
    # citizens
    ('GET', '/q/:token'): Public(200),
    ('POST', '/q/:token'): Public(400, body={'level': '9'}),
    ('GET', '/qr/:token.svg'): Public(200),
    ('GET', '/qr/:token.png'): Public(200),
    ('GET', '/poster/:token'): Public(200),
    # staff
    # a logged-in user is sent on to the console
    ('GET', '/login'): ByRole({'anonymous': 200, 'staff': 303}),
    ('POST', '/login'): Public(403, body={'username': 'x', 'password': 'y'}),
    ('POST', '/logout'): Staff(VIEWER, ok=303),
    ('GET', '/account/password'): Staff(VIEWER),
    ('POST', '/account/password'): Staff(VIEWER, ok=400, body={
        'current': 'wrong password 1', 'password': 'abc', 'confirm': 'x'}),
    ('GET', '/admin'): Staff(VIEWER, ok=303),
    ('GET', '/admin/units/:unit'): InUnit(VIEWER),
    # console part A: figures and reviews
    ('GET', '/admin/units/:unit/procedures'): ScopeFirst(VIEWER),
    ('GET', '/admin/units/:unit/procedures/:proc'): ScopeFirst(VIEWER),
    ('GET', '/admin/units/:unit/counters'): ScopeFirst(MANAGER),
    ('GET', '/admin/units/:unit/officers'): ScopeFirst(MANAGER),
    ('GET', '/admin/units/:unit/reviews'): ScopeFirst(VIEWER),
    # not flagged in the fixture: refused as such, after the checks
    ('POST', '/admin/units/:unit/reviews'): ScopeFirst(
        MANAGER, ok=400, body={'procedure': P1, 'month': '2026-10',
                               'owner': 'm_manager', 'due': '2030-01-01'}),
    ('GET', '/admin/units/:unit/reviews/new'): ScopeFirst(
        MANAGER, ok=400, query=f'procedure={P1}&month=2026-10'),
    ('GET', '/admin/units/:unit/reviews/:id'): ScopeFirst(VIEWER),
    # a step back is never allowed: refused as such, after the checks
    ('POST', '/admin/units/:unit/reviews/:id'): ScopeFirst(
        MANAGER, ok=409, body={'to': 'open', 'note': 'x'}),
    # reports (reporters and up); an unknown action or report is refused
    # after the checks, so that nothing is built by the matrix
    ('GET', '/admin/units/:unit/reports'): InUnit(REPORTER),
    ('POST', '/admin/units/:unit/reports'): InUnit(
        REPORTER, ok=400, body={'action': 'nothing', 'month': '2026-10'}),
    ('GET', '/admin/units/:unit/reports/:id/:file'): InUnit(
        REPORTER, ok=404),
    # who has not reported (issue 19)
    ('GET', '/admin/units/:unit/reports/status'): InUnit(
        REPORTER, query='last=2'),
    # alerts (issue 20): the POST is refused as such after the checks
    ('GET', '/admin/units/:unit/alerts'): InUnit(MANAGER),
    ('POST', '/admin/units/:unit/alerts'): InUnit(
        MANAGER, ok=400, body={'action': 'nothing'}),
    ('GET', '/cong-khai'): Public(200),
    ('GET', '/cong-khai/:unit'): Public(200),
    # console part B
    ('GET', '/admin/units/:unit/comments'): InUnit(MANAGER),
    ('POST', '/admin/units/:unit/comments/:seq/status'):
        InUnit(MANAGER, ok=303, body={'status': 'valid'}),
    # the queue: every role (numbers and comments for managers only)
    ('GET', '/admin/units/:unit/callbacks'): InUnit(VIEWER),
    ('GET', '/admin/units/:unit/callbacks/:id'): InUnit(MANAGER),
    ('POST', '/admin/units/:unit/callbacks/:id'):
        InUnit(MANAGER, ok=303, body={'action': 'contacted'}),
    ('GET', '/admin/units/:unit/kiosks'): InUnit(VIEWER),
    # what cannot be undone: a GET asks (and changes nothing), a
    # confirmed POST acts
    ('GET', '/admin/units/:unit/kiosks/:kiosk/revoke'): InUnit(MANAGER),
    ('POST', '/admin/units/:unit/kiosks/:kiosk/revoke'):
        InUnit(MANAGER, ok=303, body={'confirm': '1'}),
    ('GET', '/admin/units/:unit/qr'): InUnit(MANAGER),
    ('GET', '/admin/units/:unit/ballots'): InUnit(MANAGER),
    ('POST', '/admin/units/:unit/ballots'): InUnit(MANAGER, body={
        'id': '{fresh}', 'level': '3', 'rated_at': '01/10/2026'}),
    ('GET', '/admin/units/:unit/audit'): InUnit(MANAGER),
    ('GET', '/admin/units/:unit/users'): InUnit(ADMIN),
    ('POST', '/admin/units/:unit/users'): InUnit(ADMIN, body={
        'username': '{fresh}', 'name': 'Người mới', 'role': 'viewer'}),
    ('GET', '/admin/units/:unit/users/:user/disable'): InUnit(ADMIN),
    ('POST', '/admin/units/:unit/users/:user/disable'): InUnit(
        ADMIN, ok=303, body={'confirm': '1'}),
    # :user of an enable route is a disabled user (Matrix.fill)
    ('GET', '/admin/units/:unit/users/:user/enable'): InUnit(ADMIN),
    ('POST', '/admin/units/:unit/users/:user/enable'): InUnit(
        ADMIN, ok=303, body={'confirm': '1'}),
    ('POST', '/admin/units/:unit/users/:user/reset'): InUnit(ADMIN),
    # setup (issue 16): changes are refused as such after the checks
    # (a bad value, no confirmation), so that the matrix changes nothing;
    # tests/api/test_setup_console.py makes the changes themselves
    ('GET', '/admin/units/:unit/setup'): Setup(MANAGER),
    ('POST', '/admin/units/:unit/setup/units'): Setup(ADMIN, ok=400, body={
        'code': 'not a code', 'name': 'Xã mới', 'level': 'commune'}),
    ('POST', '/admin/units/:unit/setup/rename'): Setup(
        ADMIN, ok=400, body={'name': ''}),
    # one's own unit is not disabled from the console
    ('GET', '/admin/units/:unit/setup/disable'): Setup(ADMIN, ok_own=400),
    ('POST', '/admin/units/:unit/setup/disable'): Setup(ADMIN, ok=400),
    ('GET', '/admin/units/:unit/setup/counters'): Setup(MANAGER),
    ('POST', '/admin/units/:unit/setup/counters'): Setup(
        MANAGER, ok=400, body={'number': '0', 'name': 'Quầy'}),
    ('POST', '/admin/units/:unit/setup/counters/:number/rename'): Setup(
        MANAGER, ok=400, body={'name': ''}),
    ('GET', '/admin/units/:unit/setup/counters/:number/disable'):
        Setup(MANAGER),
    ('POST', '/admin/units/:unit/setup/counters/:number/disable'): Setup(
        MANAGER, ok=400),
    ('GET', '/admin/units/:unit/setup/officers'): Setup(MANAGER),
    ('POST', '/admin/units/:unit/setup/officers'): Setup(
        MANAGER, ok=400, body={'id': 'not an id!', 'name': 'Cán bộ'}),
    ('GET', '/admin/units/:unit/setup/officers/:officer/disable'):
        Setup(MANAGER),
    ('POST', '/admin/units/:unit/setup/officers/:officer/disable'): Setup(
        MANAGER, ok=400),
    ('GET', '/admin/units/:unit/setup/procedures'): Setup(MANAGER),
    ('POST', '/admin/units/:unit/setup/procedures'): Setup(
        MANAGER, ok=400, body={'action': 'assign', 'code': '9.999999'}),
    ('GET', '/admin/units/:unit/setup/duty'): Setup(MANAGER),
    ('POST', '/admin/units/:unit/setup/duty'): Setup(
        MANAGER, ok=400, body={'action': 'end', 'counter': '1'}),
    ('GET', '/admin/units/:unit/setup/instrument'): Setup(
        ADMIN, top_only=True),
    ('POST', '/admin/units/:unit/setup/instrument'): Setup(
        ADMIN, ok=400, top_only=True, body={'effective': 'never'}),
    # machines: a session is not an API key, nor a kiosk's signature
    ('POST', '/api/v1/dossiers'): Public(401, body='[]', key=KEY_DOSSIERS),
    ('POST', '/api/v1/ratings'): Public(401, body='[]', key=KEY_RATINGS),
    # no report_ca configured: the route is closed to every key
    ('POST', '/api/v1/reports'): Public(401, body='{}', key=KEY_REPORTS),
    ('GET', '/api/v1/reports/status'): Public(
        401, query='unit={unit}&last=2', key='scoped'),
    ('GET', '/api/v1/metrics'): InUnit(VIEWER,
                                       query='unit={unit}&month=2026-10',
                                       key='scoped', check=staff_scopes),
    # the duty log (a key of scope duty): nobody is on duty at counter 1,
    # so ending it is refused as such, after the checks
    ('POST', '/api/v1/counters/:unit/:number/duty'): KeyOnly(
        409, body='{"action": "end"}'),
    # the one-stop system's links (a key of scope links): a link for a
    # dossier of H21.227, made by H21's key; clearing counter 1's dossier
    ('POST', '/api/v1/dossiers/:code/rating-link'): Public(
        401, body='{"channel": "online"}', key=200),
    ('POST', '/api/v1/counters/:unit/:number/serving'): KeyOnly(
        200, body='{"dossier": null}'),
    ('POST', '/api/v1/kiosk/enroll'): Public(404, body='{"code": '
                                             '"ABCD-EFGH-JKMN-PQRS"}'),
    ('POST', '/api/v1/kiosk/ratings'): Public(401, body='{}'),
    ('POST', '/api/v1/kiosk/heartbeat'): Public(401, body='{}'),
    ('GET', '/api/v1/kiosk/config'): Public(401),
    ('GET', '/api/v1/kiosk/serving'): Public(401),
    ('GET', '/api/v1/kiosks'): Staff(VIEWER),
    # operations
    ('GET', '/healthz'): Public(200),
    ('GET', '/metrics'): Public(200),      # 127.0.0.1 is metrics_allow'ed
    ('GET', '/static/:file'): Public(200),
    ('GET', '/'): Public(200),
}


class Matrix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = s = Server(name='authz').start()
        # counters of the province and of the foreign unit, for kiosks,
        # and an officer of the province
        for unit in ('H21', 'H57', 'H21.228'):
            run('counter', 'add', '--db', s.db_path, '--unit', unit,
                '--number', '1', '--name', 'Quầy 1')
        run('officer', 'add', '--db', s.db_path, '--unit', 'H21', '--id',
            'GL01', '--name', 'Cán bộ tỉnh', '--counter', '1')
        for role in RANK:
            run('user', 'add', '--db', s.db_path, '--unit', 'H21', '--role',
                role, '--name', 'm_' + role, '--password-stdin',
                input=PW + '\n')
            run('user', 'add', '--db', s.db_path, '--unit', SIBLING_HOME,
                '--role', role, '--name', 's_' + role, '--password-stdin',
                input=PW + '\n')
        cls.b, cls.sib = {}, {}
        for role in RANK:
            cls.relogin(role)
            cls.sib[role] = Browser(s).logged_in('s_' + role, PW)
            cls.sib[role].get('/account/password')
            cls.sib[role].token = cls.sib[role].csrf()
        cls.b['anonymous'] = cls.sib['anonymous'] = Browser(s)
        for home, browsers in (('H21', cls.b), (SIBLING_HOME, cls.sib)):
            key = run('apikey', 'add', '--db', s.db_path, '--unit',
                      home).stdout.strip().splitlines()[-1]
            browsers['apikey'] = Browser(s)
            browsers['apikey'].extra['Authorization'] = 'Bearer ' + key
        # October 2026 in H21.227: figures of a counter and an officer
        path = os.path.join(s.dir, 'oct.csv')
        with open(path, 'w') as f:
            f.write('id,unit,level,counter,officer,rated_at\n')
            for i in range(3):
                f.write(f'MX{i},H21.227,{3 + i},1,VC01,'
                        f'2026-10-0{i + 1}T09:00:00+07:00\n')
        run('import', 'ratings', '--db', s.db_path, path)
        # a rating with a comment and a consented callback in each unit
        cls.seq, cls.callback = {}, {}
        for scope, unit in UNITS.items():
            tok = cls.qr_token(unit)
            r = s.get('/q/' + tok)
            nonce = re.search(r'name="nonce" value="([^"]+)"',
                              r.text).group(1)
            r = s.post_form('/q/' + tok, {
                'nonce': nonce, 'level': '2', 'comment': 'Góp ý ' + unit,
                'phone': '0912345678', 'consent': '1'})
            assert r.status == 200, r
            with s.db() as c:
                cls.seq[scope], cls.callback[scope] = c.execute(
                    'SELECT r.seq, cb.id FROM ratings r JOIN callbacks cb '
                    'ON cb.rating_seq = r.seq WHERE r.id = ?',
                    (nonce,)).fetchone()
        # a review in each unit (console part A)
        cls.review = {}
        with s.db() as c:
            for scope, unit in UNITS.items():
                c.execute(
                    'INSERT INTO reviews(unit, procedure, month, owner, '
                    'due_date, created_at, created_by, updated_at) VALUES '
                    "(?, ?, 202610, 'm_manager', '2030-01-01', 0, 'test', 0)",
                    (unit, P1))
                cls.review[scope] = c.execute(
                    'SELECT max(id) FROM reviews').fetchone()[0]
        cls.token = cls.qr_token('H21.227', counter=1)
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    @classmethod
    def relogin(cls, role):
        cls.b[role] = Browser(cls.s).logged_in('m_' + role, PW)
        cls.b[role].get('/account/password')
        cls.b[role].token = cls.b[role].csrf()

    @classmethod
    def qr_token(cls, unit, counter=None):
        args = ['qr', '--db', cls.s.db_path, '--unit', unit, '--format',
                'url']
        args += ['--counter', str(counter)] if counter else \
            ['--procedure', P1]
        return run(*args).stdout.strip().rsplit('/q/', 1)[1]

    def fresh(self):
        type(self).n += 1
        return f'mx{self.n}'

    def fill(self, pattern, scope):
        """The route's path with its :params filled for `scope`."""
        unit = UNITS[scope] if scope else UNITS['sub']

        def value(name):
            if name == 'unit':
                return unit
            if name == 'seq':
                return str(self.seq[scope or 'sub'])
            if name == 'id' and '/reports/' in pattern:
                return '999999'
            if name == 'file' and '/reports/' in pattern:
                return 'report.json'
            if name == 'id' and '/reviews/' in pattern:
                return str(self.review[scope or 'sub'])
            if name == 'id':
                return str(self.callback[scope or 'sub'])
            if name == 'proc':
                return P1
            if name == 'kiosk':
                return add_kiosk(self.s, counter=1, unit=unit)[0]
            if name == 'user':
                name = self.fresh()
                run('user', 'add', '--db', self.s.db_path, '--unit', unit,
                    '--role', 'viewer', '--name', name, '--password-stdin',
                    input=PW + '\n')
                if pattern.endswith('/enable'):
                    run('user', 'disable', '--db', self.s.db_path, name)
                return name
            if name == 'number':
                return '1'
            if name == 'officer':
                return 'GL01' if scope == 'own' else 'VC01'
            if name == 'code':
                return 'H21.227-261031-0001'
            if name == 'token':
                return self.token
            if name == 'file':
                return 'console.css'
            raise AssertionError(f'{pattern}: no value for :{name}; teach '
                                 'Matrix.fill() about it')
        return re.sub(r':(\w+)', lambda m: value(m.group(1)), pattern)

    def call(self, role, method, pattern, spec, scope):
        b = self.sib[role] if scope == 'sibling' else self.b[role]
        path = self.fill(pattern, scope)
        query = spec.query.format(unit=UNITS[scope or 'sub'])
        if query:
            path += '?' + query
        if method == 'GET':
            return b.get(path)
        body = spec.body
        if isinstance(body, dict) or body is None:
            fields = {k: (self.fresh() if v == '{fresh}' else v)
                      for k, v in (body or {}).items()}
            if role not in ('anonymous', 'apikey'):
                fields['csrf'] = b.token
            return b.post_form(path, fields)
        return b.post(path, body, {'Content-Type': 'application/json'})

    def test_every_route_has_an_expectation(self):
        missing = [(m, p) for m, p, _, _ in parse_routes()
                   if (m, p) not in EXPECT]
        self.assertEqual(missing, [], 'routes of server/web/routes.c without an '
                         'entry in EXPECT (tests/api/test_authz_matrix.py)')
        stale = set(EXPECT) - {(m, p) for m, p, _, _ in parse_routes()}
        self.assertEqual(stale, set(), 'EXPECT entries of no route')

    def test_the_table_agrees_with_the_routes_roles(self):
        # a staff route's least role in the C table is the one expected
        # (part A's pages let every role through to the handler, which
        # checks the unit first and the role after: the matrix proves it)
        for m, p, auth, role in parse_routes():
            spec = EXPECT.get((m, p))
            if isinstance(spec, ScopeFirst):
                self.assertEqual(role, 'ROLE_VIEWER', (m, p))
            elif auth == 'AUTH_STAFF' and isinstance(spec, Staff):
                with self.subTest(route=(m, p)):
                    self.assertEqual('ROLE_' + spec.least.upper(), role)

    def test_matrix(self):
        routes = parse_routes()
        self.assertGreater(len(routes), 30)
        cells = 0
        for method, pattern, _, _ in routes:
            spec = EXPECT.get((method, pattern))
            if spec is None:
                continue        # reported by the test above
            scoped = ':unit' in pattern or '{unit}' in spec.query
            for role in ROLES:
                for scope in (UNITS if scoped else [None]):
                    # a sibling is as closed as a foreign unit
                    as_ = 'foreign' if scope == 'sibling' else scope
                    want = spec.expect_key(scope, pattern) if \
                        role == 'apikey' else spec.expect(role, as_, pattern)
                    with self.subTest(route=f'{method} {pattern}', role=role,
                                      unit=scope):
                        r = self.call(role, method, pattern, spec, scope)
                        cells += 1
                        self.assertEqual(r.status, want, r.body[:300])
                        if spec.check and 200 <= r.status < 300:
                            spec.check(role, r)
                    if pattern == '/logout' and role in RANK:
                        self.relogin(role)
        # five roles over three units for the unit routes, at least
        self.assertGreater(cells, 300)

    def test_duty_needs_its_scope(self):
        # a key without "duty" is refused whatever the unit; one with it
        # alone reaches its subtree only
        for scope, want in (('metrics,import,reports', (403, 403, 403)),
                            ('duty', (409, 409, 404))):
            key = run('apikey', 'add', '--db', self.s.db_path, '--unit',
                      'H21', '--scope', scope).stdout.strip().split()[-1]
            for unit, status in zip(('H21', 'H21.227', 'H57'), want):
                with self.subTest(scope=scope, unit=unit):
                    r = self.s.post(f'/api/v1/counters/{unit}/1/duty',
                                    '{"action": "end"}',
                                    {'Content-Type': 'application/json',
                                     'Authorization': 'Bearer ' + key})
                    self.assertEqual(r.status, status, r.body[:200])

    def test_links_need_their_scope(self):
        # a key without "links" is refused whatever the unit or dossier;
        # one with it alone reaches its subtree only
        for scope, want in (('metrics,import,reports,duty', (403,) * 6),
                            ('links', (200, 200, 404, 200, 200, 404))):
            key = run('apikey', 'add', '--db', self.s.db_path, '--unit',
                      'H21', '--scope', scope).stdout.strip().split()[-1]
            h = {'Content-Type': 'application/json',
                 'Authorization': 'Bearer ' + key}
            calls = [f'/api/v1/counters/{u}/1/serving'
                     for u in ('H21', 'H21.227', 'H57')]
            calls += [f'/api/v1/dossiers/{u}-261031-0001/rating-link'
                      for u in ('H21', 'H21.227', 'H57')]
            for path, status in zip(calls, want):
                with self.subTest(scope=scope, path=path):
                    body = ('{"dossier": null}' if path.endswith('serving')
                            else '{}')
                    r = self.s.post(path, body, h)
                    self.assertEqual(r.status, status, r.body[:200])

    def test_every_staff_post_refuses_a_missing_or_wrong_csrf(self):
        for method, pattern, auth, _ in parse_routes():
            if method != 'POST' or auth != 'AUTH_STAFF':
                continue
            spec = EXPECT[(method, pattern)]
            for token in (None, 'A' * 43):
                with self.subTest(route=pattern, csrf=token):
                    b = self.b['admin']
                    path = self.fill(pattern, 'sub')
                    fields = {k: (self.fresh() if v == '{fresh}' else v)
                              for k, v in (spec.body or {}).items()}
                    if token:
                        fields['csrf'] = token
                    r = b.post_form(path, fields)
                    self.assertEqual(r.status, 403, r.body[:200])


if __name__ == '__main__':
    unittest.main()
