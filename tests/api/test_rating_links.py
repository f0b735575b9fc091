"""Links for the one-stop system (issue 17, item 5).

POST /api/v1/dossiers/{code}/rating-link makes a single-use rating link
for one dossier (JSON, or its QR code as SVG or PNG, decoded here with
zbarimg); POST /api/v1/counters/{unit}/{number}/serving says which
dossier a counter serves, which its kiosk reads (GET
/api/v1/kiosk/serving, signed).  A real server, real API keys; the
ratings are read from the database, read-only.
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import tempfile
import time
import unittest
import urllib.parse

from tests.api.hl import Server, form_nonce, run
from tests.api.test_import import HEADER, drow
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw
from tests.api.test_qr import png_from_rows, zbar

U = 'H21.227'
PROC = '1.001193'
ICT = datetime.timezone(datetime.timedelta(hours=7))
TTL = 30 * 24 * 3600


def today_code(unit, seq):
    """A mã hồ sơ received today (+07:00) at `unit`."""
    day = datetime.datetime.now(ICT).strftime('%y%m%d')
    return f'{unit}-{day}-{seq:04d}'


def api_key(s, unit, *scope):
    args = ['apikey', 'add', '--db', s.db_path, '--unit', unit]
    if scope:
        args += ['--scope', ','.join(scope)]
    return {'Authorization': 'Bearer ' +
            run(*args).stdout.strip().splitlines()[-1]}


def svg_rows(svg):
    """The modules of our SVG (one path of 'MxyhWv8h-Wz' runs) as rows."""
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    mod = 8
    n = size // mod
    rows = [[False] * n for _ in range(n)]
    for x, y, w, h in re.findall(r'M(\d+) (\d+)h(\d+)v(\d+)h-\d+z', svg):
        for yy in range(int(y) // mod, (int(y) + int(h)) // mod):
            for xx in range(int(x) // mod, (int(x) + int(w)) // mod):
                rows[yy][xx] = True
    return rows


class Links(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = s = Server(name='links').start()
        cls.tmp = tempfile.mkdtemp()
        cls.key = api_key(s, U, 'links')
        cls.province = api_key(s, 'H21', 'links')
        cls.sibling = api_key(s, 'H21.228', 'links')
        cls.noscope = api_key(s, U, 'metrics', 'import', 'reports', 'duty')
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def code(self, unit=U):
        type(self).n += 1
        return today_code(unit, self.n)

    def link(self, code, doc=None, key=None, query='', raw=None):
        h = {'Content-Type': 'application/json'}
        h.update(key or self.key)
        body = raw if raw is not None else \
            ('' if doc is None else json.dumps(doc))
        return self.s.post(f'/api/v1/dossiers/{code}/rating-link{query}',
                           body, h)

    def rate(self, url, level='5', **fields):
        """Follow the link as a phone would, and rate; the POST's answer."""
        path = urllib.parse.urlsplit(url).path
        r = self.s.get(path)
        self.assertEqual(r.status, 200, r.text[:300])
        return self.s.post_form(path, dict(fields, nonce=form_nonce(r.text),
                                           level=level))

    def row(self, code):
        with self.s.db() as c:
            return c.execute(
                'SELECT unit, dossier, procedure, channel, dossier_token, '
                'level FROM ratings WHERE dossier = ?', (code,)).fetchall()

    def test_online_link_rates_once_on_the_web_channel(self):
        code = self.code()
        t0 = int(time.time())
        r = self.link(code, {'procedure': PROC, 'channel': 'online'})
        self.assertEqual(r.status, 200, r.text)
        doc = r.json()
        self.assertTrue(doc['url'].startswith(self.s.base + '/q/'), doc)
        exp = datetime.datetime.fromisoformat(doc['expires_at']).timestamp()
        self.assertTrue(t0 + TTL - 5 <= exp <= int(time.time()) + TTL + 5,
                        doc)
        self.assertEqual((doc['dossier'], doc['unit'], doc['procedure'],
                          doc['channel']), (code, U, PROC, 'online'))
        # the form names the dossier; two forms opened before rating
        path = urllib.parse.urlsplit(doc['url']).path
        first = self.s.get(path)
        self.assertIn(code, first.text)
        second = self.s.get(path)
        r = self.s.post_form(path, {'nonce': form_nonce(first.text),
                                    'level': '4'})
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual([tuple(x) for x in self.row(code)],
                         [(U, code, PROC, 'web', 1, 4)])
        # single use: the other form is refused, and the link says so
        r = self.s.post_form(path, {'nonce': form_nonce(second.text),
                                    'level': '1'})
        self.assertEqual(r.status, 409)
        self.assertIn('Hồ sơ này đã được đánh giá', r.text)
        r = self.s.get(path)
        self.assertIn('Hồ sơ này đã được đánh giá', r.text)
        # a new link for the same dossier is the same dossier: still used
        r = self.link(code, {'channel': 'online'})
        self.assertEqual(r.status, 200)
        self.assertIn('Hồ sơ này đã được đánh giá',
                      self.s.get(urllib.parse.urlsplit(
                          r.json()['url']).path).text)
        self.assertEqual(len(self.row(code)), 1)

    def test_counter_link_png_and_svg_scan_and_rate_as_qr(self):
        code = self.code()
        r = self.link(code, {'procedure': PROC}, query='?format=png')
        self.assertEqual(r.status, 200, r.body[:200])
        self.assertEqual(r.headers['content-type'], 'image/png')
        png = os.path.join(self.tmp, 'link.png')
        with open(png, 'wb') as f:
            f.write(r.body)
        url = zbar(png)
        self.assertTrue(url.startswith(self.s.base + '/q/'), url)
        r = self.link(code, {'procedure': PROC}, query='?format=svg')
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers['content-type'], 'image/svg+xml')
        svgpng = os.path.join(self.tmp, 'svg.png')
        with open(svgpng, 'wb') as f:
            f.write(png_from_rows(svg_rows(r.text)))
        url2 = zbar(svgpng)
        self.assertTrue(url2.startswith(self.s.base + '/q/'), url2)
        # JSON by default and by name
        self.assertIn('url', self.link(code, query='?format=json').json())
        r = self.rate(url, level='2')
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual([tuple(x) for x in self.row(code)],
                         [(U, code, PROC, 'qr', 1, 2)])
        # the SVG's link is the same dossier's: used
        self.assertIn('Hồ sơ này đã được đánh giá',
                      self.s.get(urllib.parse.urlsplit(url2).path).text)

    def test_post_channel_and_no_body(self):
        code = self.code()
        r = self.link(code, {'channel': 'post'})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()['channel'], 'post')
        self.assertIsNone(r.json()['procedure'])
        r = self.s.post(f'/api/v1/dossiers/{code}/rating-link', b'',
                        self.key)
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(r.json()['channel'], 'counter')
        # no procedure in the link: the citizen picks it on the form
        path = urllib.parse.urlsplit(r.json()['url']).path
        form = self.s.get(path).text
        self.assertIn('id="procedure"', form)
        self.assertIn('Thủ tục Ông/Bà vừa làm', form)
        r = self.rate(r.json()['url'], procedure=PROC)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual([tuple(x)[:4] for x in self.row(code)],
                         [(U, code, PROC, 'qr')])

    def test_the_links_unit(self):
        # a province's key: the unit the dossier code names, when known
        r = self.link(self.code('H21.228'), key=self.province)
        self.assertEqual(r.json()['unit'], 'H21.228')
        # a ministry's dossier: the key's own unit, or the one given
        r = self.link('G01.05-261031-000123', key=self.province)
        self.assertEqual(r.json()['unit'], 'H21', r.text)
        r = self.link('G01.05-261031-000124', {'unit': U}, key=self.province)
        self.assertEqual(r.json()['unit'], U)
        # a local code of no registered unit under the key: its unit
        r = self.link('H21.227.9-261031-0001')
        self.assertEqual((r.status, r.json()['unit']), (200, U), r.text)
        # a dossier the one-stop system sent already: its stored unit
        code = self.code('H21')
        with open(os.path.join(self.tmp, 'd.csv'), 'w') as f:
            f.write(HEADER + '\n' + drow(code=code, unit='H21.228') + '\n')
        run('import', 'dossiers', '--db', self.s.db_path,
            os.path.join(self.tmp, 'd.csv'))
        r = self.link(code, key=self.province)
        self.assertEqual((r.status, r.json()['unit']), (200, 'H21.228'))
        # ... which another unit's key does not see
        self.assertEqual(self.link(code, key=self.key).status, 404)

    def token(self, payload):
        """A token signed as include/hailong/token.h says, with the
        server's current key (read from the database)."""
        with self.s.db() as c:
            kid, secret = c.execute(
                'SELECT kid, secret FROM token_keys WHERE retired_at IS '
                'NULL ORDER BY kid DESC').fetchone()
        b64 = base64.urlsafe_b64encode(
            payload.replace('KID', str(kid)).encode()).rstrip(b'=').decode()
        mac = hmac.new(secret, ('hailong-token-v1.' + b64).encode(),
                       hashlib.sha256).digest()[:16]
        return b64 + '.' + base64.urlsafe_b64encode(mac).rstrip(
            b'=').decode()

    def test_token_versions_and_expiry(self):
        # the link's token is version 2, as token.h writes it
        code = self.code()
        url = self.link(code, {'channel': 'online'}).json()['url']
        tok = url.rsplit('/q/', 1)[1]
        payload = base64.urlsafe_b64decode(
            tok.split('.')[0] + '==').decode()
        self.assertRegex(payload, r'^2\|\d+\|D\|H21\.227\|0\|\|' +
                         re.escape(code) + r'\|w\|\d+$')
        # a version 1 token (a receipt printed before) still works
        self.assertEqual(self.s.get(
            '/q/' + self.token(f'1|KID|D|{U}|0|{PROC}|{self.code()}'))
            .status, 200)
        # an expired link: 410, for the form and its POST; nothing stored
        past = int(time.time()) - 1
        code = self.code()
        tok = self.token(f'2|KID|D|{U}|0|{PROC}|{code}|w|{past}')
        r = self.s.get('/q/' + tok)
        self.assertEqual(r.status, 410)
        self.assertIn('Liên kết đánh giá đã hết hạn', r.text)
        r = self.s.post_form('/q/' + tok, {'nonce': 'x' * 22, 'level': '5'})
        self.assertEqual(r.status, 410)
        self.assertEqual(self.row(code), [])
        # one still valid rates on the web channel
        tok = self.token(f'2|KID|D|{U}|0|{PROC}|{code}|w|{past + 3600}')
        r = self.rate(self.s.base + '/q/' + tok)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual([tuple(x)[3] for x in self.row(code)], ['web'])

    def test_bad_input_makes_nothing(self):
        before = self.s.count()
        code = self.code()
        cases = [
            # a code that is not a mã hồ sơ: no such resource
            ('H21.227-261399-0001', {}, self.key, '', 404, None),
            ('abc', {}, self.key, '', 404, None),
            ('H21.227-261031-01', {}, self.key, '', 404, None),
            # another unit's dossier, or a unit outside the key's
            (self.code('H21.228'), {}, self.key, '', 404, None),
            (self.code('H57'), {}, self.province, '', 404, None),
            (code, {}, self.sibling, '', 404, None),
            (code, {'unit': 'H99'}, self.key, '', 404, 'unit'),
            (code, {'unit': 'H21.228'}, self.key, '', 404, 'unit'),
            (code, {'unit': 'H21'}, self.key, '', 404, 'unit'),
            # a unit of the key's whose dossier it is not
            (code, {'unit': 'H21.228'}, self.province, '', 404, None),
            # the scope
            (code, {}, self.noscope, '', 403, None),
            # fields
            (code, {'channel': 'fax'}, self.key, '', 400, 'channel'),
            (code, {'channel': 3}, self.key, '', 400, 'channel'),
            (code, {'procedure': '1.0011'}, self.key, '', 400, 'procedure'),
            (code, {'procedure': '9.999999'}, self.key, '', 400,
             'procedure'),
            (code, {'unit': 'h21 227'}, self.key, '', 400, 'unit'),
            (code, {'dossier': code}, self.key, '', 400, 'dossier'),
            (code, {}, self.key, '?format=gif', 400, 'format'),
        ]
        for c, doc, key, query, status, field in cases:
            with self.subTest(code=c, doc=doc, query=query):
                r = self.link(c, doc, key=key, query=query)
                self.assertEqual(r.status, status, r.text)
                body = r.json()
                self.assertNotIn('url', body)
                self.assertTrue(body['message'])
                if field:
                    self.assertEqual(body['field'], field)
        # bodies: not an object, not JSON, too big, not JSON by type
        self.assertEqual(self.link(code, raw='[]').status, 400)
        self.assertEqual(self.link(code, raw='{"channel":').status, 400)
        big = '{"channel": "online", "x": "' + 'a' * 2000 + '"}'
        self.assertEqual(self.link(code, raw=big).status, 413)
        r = self.s.post(f'/api/v1/dossiers/{code}/rating-link', '{}',
                        dict(self.key, **{'Content-Type': 'text/plain'}))
        self.assertEqual(r.status, 415)
        # no key at all
        r = self.s.post(f'/api/v1/dossiers/{code}/rating-link', '{}',
                        {'Content-Type': 'application/json'})
        self.assertEqual(r.status, 401)
        self.assertEqual(self.s.count(), before)


class Serving(unittest.TestCase):
    """The served dossier, as the API sets it and a kiosk reads it."""

    @classmethod
    def setUpClass(cls):
        cls.s = s = Server(name='serving').start()
        cls.key = api_key(s, U, 'links')
        cls.sibling = api_key(s, 'H21.228', 'links')
        cls.noscope = api_key(s, U, 'duty')
        kid, code, _ = add_kiosk(s, counter=1)
        doc = enrol_raw(s, code).json()
        cls.signer = Signer(doc['kiosk'], doc['secret'])

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def serve(self, doc, unit=U, number=1, key=None, raw=None):
        h = {'Content-Type': 'application/json'}
        h.update(key or self.key)
        body = raw if raw is not None else json.dumps(doc)
        return self.s.post(f'/api/v1/counters/{unit}/{number}/serving', body,
                           h)

    def polled(self):
        r, nonce = self.signer.call(self.s, 'GET', '/api/v1/kiosk/serving')
        self.assertEqual(r.status, 200, r.text)
        self.assertTrue(self.signer.response_ok(r, nonce))
        return r.json()

    def test_set_read_and_clear(self):
        code = today_code(U, 7001)
        r = self.serve({'dossier': code})
        self.assertEqual(r.status, 200, r.text)
        doc = r.json()
        self.assertEqual((doc['unit'], doc['counter'], doc['dossier']),
                         (U, 1, code))
        got = self.polled()
        self.assertEqual(got['dossier'], code)
        self.assertEqual(got['since'], doc['since'])
        first = got['serial']
        self.assertGreater(first, 0)
        # the same dossier again is a new assignment: a higher serial
        self.serve({'dossier': code})
        self.assertGreater(self.polled()['serial'], first)
        # another counter's dossier is not this kiosk's
        run('counter', 'add', '--db', self.s.db_path, '--unit', U,
            '--number', '7', '--name', 'Quầy 7')
        self.assertEqual(self.serve({'dossier': today_code(U, 7002)},
                                    number=7).status, 200)
        self.assertEqual(self.polled()['dossier'], code)
        r = self.serve({'dossier': None})
        self.assertEqual(r.status, 200)
        self.assertEqual((r.json()['dossier'], r.json()['since']),
                         (None, None))
        self.assertEqual(self.polled(),
                         {'dossier': None, 'serial': 0, 'since': None})

    def test_bad_input_changes_nothing(self):
        code = today_code(U, 7100)
        self.assertEqual(self.serve({'dossier': code}).status, 200)
        want = self.polled()
        cases = [
            ({'dossier': code}, 'H99', 1, self.key, 404, None),
            ({'dossier': code}, U, 99, self.key, 404, None),
            ({'dossier': code}, U, 0, self.key, 404, None),
            ({'dossier': code}, U, 1, self.sibling, 404, None),
            ({'dossier': code}, U, 1, self.noscope, 403, None),
            ({'dossier': today_code('H21.228', 1)}, U, 1, self.key, 404,
             'dossier'),
            ({'dossier': 'H21.227-261399-0001'}, U, 1, self.key, 400,
             'dossier'),
            ({'dossier': 42}, U, 1, self.key, 400, 'dossier'),
            ({}, U, 1, self.key, 400, 'dossier'),
            ({'dossier': code, 'officer': 'VC01'}, U, 1, self.key, 400,
             'officer'),
        ]
        for doc, unit, number, key, status, field in cases:
            with self.subTest(doc=doc, unit=unit, number=number):
                r = self.serve(doc, unit=unit, number=number, key=key)
                self.assertEqual(r.status, status, r.text)
                self.assertTrue(r.json()['message'])
                if field:
                    self.assertEqual(r.json()['field'], field)
                self.assertEqual(self.polled(), want)
        self.assertEqual(self.serve(None, raw='x' * 2000).status, 413)
        self.assertEqual(self.serve(None, raw='[').status, 400)
        self.assertEqual(self.polled(), want)

    def test_the_kiosk_poll_is_signed(self):
        r = self.s.get('/api/v1/kiosk/serving')
        self.assertEqual(r.status, 401)


if __name__ == '__main__':
    unittest.main()
