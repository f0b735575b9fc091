"""Security headers on every response of every route, errors included.

The route table is read from server/web/routes.c itself (so a route added
later is checked without touching this test); each route is called
anonymously, with a bogus parameter, and as the caller it is meant for
(an officer's session, an API key, a signed kiosk); the error paths
(404, 405, 413, a refused CSRF, a bad signature) are called too.  Every
answer must carry a strict Content-Security-Policy with
frame-ancestors 'none', X-Content-Type-Options: nosniff, X-Frame-Options:
DENY and a Referrer-Policy.
"""
import os
import re
import socket
import unittest
import uuid

from tests.api.hl import ROOT, Browser, Server, request, run
from tests.api.kioskhl import item
from tests.reliability.rel import enrolled_signer

ROUTE_RE = re.compile(r'\{\s*HTTP_(GET|POST|HEAD)\s*(?:\|\s*HTTP_\w+\s*)*,'
                      r'\s*(?:"([^"]*)"|(\w+))\s*,\s*(\w+)\s*,\s*(AUTH_\w+)',
                      re.S)


def routes():
    with open(os.path.join(ROOT, 'server', 'web', 'routes.c')) as f:
        src = f.read()
    src = re.sub(r'/\*.*?\*/', '', src, flags=re.S)
    with open(os.path.join(ROOT, 'include', 'hailong', 'wire.h')) as f:
        macros = dict(re.findall(r'#define (\w+) "([^"]*)"', f.read()))
    out = []
    for m in ROUTE_RE.finditer(src):
        method, lit, macro, handler, auth = m.groups()
        path = lit if lit is not None else macros[macro]
        out.append((method, path, handler, auth))
    return out


def check(tc, r, what):
    h = r.headers
    csp = h.get('content-security-policy', '')
    tc.assertIn("frame-ancestors 'none'", csp, what)
    tc.assertIn("default-src 'none'", csp, what)
    tc.assertNotIn('unsafe-inline', csp, what)
    tc.assertNotIn('unsafe-eval', csp, what)
    tc.assertEqual(h.get('x-content-type-options'), 'nosniff', what)
    tc.assertEqual(h.get('x-frame-options'), 'DENY', what)
    tc.assertIn(h.get('referrer-policy'),
                ('no-referrer', 'same-origin', 'strict-origin'), what)


class SecurityHeaders(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server('--rate-limit-per-min', '0', name='headers').start()
        cls.tok = cls.s.token(counter=1)
        cls.staff = Browser(cls.s).logged_in(*cls.s.login)
        cls.key = run('apikey', 'add', '--db', cls.s.db_path, '--unit',
                      'H21.227').stdout.strip().splitlines()[-1]
        cls.kiosk = enrolled_signer(cls.s, counter=2)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def fill(self, path, good=True):
        vals = {'token': self.tok if good else 'AAAA',
                'unit': 'H21.227' if good else 'H99.999',
                'file': 'form.css' if good else 'nope.css'}
        return re.sub(r':(\w+)', lambda m: vals.get(m.group(1),
                                                    '1' if good else 'x'),
                      path)

    def calls(self, method, path, auth):
        """(label, response) for the ways to call one route."""
        out = []
        for good in (True, False):
            p = self.fill(path, good)
            lab = f'{method} {p}'
            body = b'' if method == 'GET' else b'{}'
            ctype = {'Content-Type': 'application/json'} \
                if path.startswith('/api/') else \
                {'Content-Type': 'application/x-www-form-urlencoded'}
            # anonymous
            out.append((lab + ' anonymous',
                        request(self.s.port, method, p,
                                body=None if method == 'GET' else body,
                                headers=ctype)))
            # the caller it is meant for
            if auth in ('AUTH_STAFF', 'AUTH_STAFF_OR_APIKEY'):
                if method == 'GET':
                    out.append((lab + ' staff', self.staff.get(p)))
                else:
                    out.append((lab + ' staff, no csrf',
                                self.staff.post_form(p, {})))
            if auth in ('AUTH_APIKEY', 'AUTH_STAFF_OR_APIKEY'):
                h = dict(ctype, Authorization='Bearer ' + self.key)
                out.append((lab + ' api key',
                            request(self.s.port, method, p,
                                    body=None if method == 'GET' else body,
                                    headers=h)))
            if auth == 'AUTH_KIOSK':
                doc = {'ratings': [item(str(uuid.uuid4()), 4)]} \
                    if method == 'POST' else None
                r, _ = self.kiosk.call(self.s, method, p, doc)
                out.append((lab + ' kiosk', r))
        return out

    def test_every_route(self):
        table = routes()
        self.assertGreater(len(table), 20, 'the route table was not parsed')
        seen = 0
        statuses = set()
        for method, path, handler, auth in table:
            for lab, r in self.calls(method, path, auth):
                with self.subTest(lab):
                    check(self, r, f'{lab} -> {r.status}')
                seen += 1
                statuses.add(r.status)
        # the error paths on their own
        extra = [
            ('unknown path', request(self.s.port, 'GET', '/no/such/page')),
            ('wrong method', request(self.s.port, 'DELETE', '/login')),
            ('GET on a POST-only route',
             request(self.s.port, 'GET', '/api/v1/kiosk/ratings')),
            ('HEAD', request(self.s.port, 'HEAD', '/login')),
            ('bad signature', self.s.post_json(
                '/api/v1/kiosk/ratings', {},
                {'Authorization': 'HL1-HMAC-SHA256 kiosk=k0000000000, '
                 'time=1, nonce=1, sig=00'})),
            ('lang=en', request(self.s.port, 'GET',
                                '/q/' + self.tok + '?lang=en')),
        ]
        # 413: the answer comes before the body
        so = socket.create_connection(('127.0.0.1', self.s.port), timeout=30)
        so.sendall(b'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: '
                   b'application/x-www-form-urlencoded\r\n'
                   b'Content-Length: 99999999\r\n\r\n')
        raw = b''
        while b'\r\n\r\n' not in raw:
            d = so.recv(4096)
            if not d:
                break
            raw += d
        so.close()
        head = raw.split(b'\r\n\r\n')[0].decode().split('\r\n')
        self.assertIn(' 413 ', head[0] + ' ')
        hdrs = {k.lower(): v.strip() for k, _, v in
                (line.partition(':') for line in head[1:])}

        class R:
            status = 413
            headers = hdrs
        extra.append(('413', R))
        for lab, r in extra:
            with self.subTest(lab):
                check(self, r, f'{lab} -> {r.status}')
            statuses.add(r.status)
            seen += 1
        for want in (200, 400, 401, 403, 404, 405, 413):
            self.assertIn(want, statuses)
        print(f'\n# headers: {len(table)} routes, {seen} responses '
              f'(statuses {sorted(statuses)}), every one with the headers')


if __name__ == '__main__':
    unittest.main()
