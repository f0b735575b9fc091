"""hailong-kiosk against a real server: outages, kills, conflicts, errors.

Every wait polls with a generous deadline; no test passes or fails on
how fast something happened.
"""
import json
import os
import re
import sqlite3
import time
import unittest
import uuid

from tests.api.hl import Server, request, run, stable_port
from tests.api.kioskhl import (Kiosk, add_kiosk, item, kiosk_cli,
                               wait_kiosk_config, wait_until)

LEVELS = [(i * 7 + 3) % 5 + 1 for i in range(50)]  # every level, mixed


def rating_row(s, rid):
    with s.db() as c:
        return c.execute('SELECT * FROM ratings WHERE id = ?',
                         (rid,)).fetchone()


def server_rows(s, source):
    with s.db() as c:
        return c.execute("SELECT id, level, status, counter, officer "
                         "FROM ratings WHERE channel = 'kiosk' AND source = ?",
                         (source,)).fetchall()


class LocalPage(unittest.TestCase):
    """The kiosk's own API, which the touch page uses."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='kiosk-local').start()
        _, code, _ = add_kiosk(cls.s, counter=1)
        cls.k = Kiosk.enrolled(cls.s, code).start('--burst-seconds', '3600')
        wait_kiosk_config(cls.k)

    @classmethod
    def tearDownClass(cls):
        cls.k.cleanup()
        cls.s.__exit__(None, None, None)

    def test_bad_posts_get_400_with_the_reason(self):
        before = self.count_local()
        for doc, why in [({'level': 0}, 'level'), ({'level': '5'}, 'level'),
                         ({}, 'level'), ({'level': 4, 'reasons': ['wait']},
                                         'reasons'),
                         ({'level': 1, 'reasons': ['bogus']}, 'reason'),
                         ({'level': 3, 'dossier': 'H21-999999-1'},
                          'dossier'),
                         ({'level': 3, 'phone': '0912345678'}, 'unknown')]:
            r = self.k.post('/api/local/ratings', doc)
            self.assertEqual(r.status, 400, (doc, r))
            self.assertIn(why, r.json()['message'], doc)
        r = self.k.post('/api/local/ratings', body=b'{"level": ')
        self.assertEqual(r.status, 400)
        r = self.k.post('/api/local/ratings', body=b'{"level": 5}',
                        headers={'Content-Type': 'text/plain'})
        self.assertEqual(r.status, 415)
        # nothing of it was kept
        self.assertEqual(self.count_local(), before)

    def count_local(self):
        return self.k.outbox('SELECT count(*) FROM outbox')[0][0]

    def test_the_page_is_for_the_devices_own_browser(self):
        r = self.k.get('/')
        self.assertEqual(r.status, 200)
        csp = r.headers['content-security-policy']
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn('unsafe-inline', csp)
        self.assertIn('<script src="/kiosk.js"', r.text)
        self.assertNotRegex(r.text, r'<script>|style=')
        self.assertEqual(self.k.get('/kiosk.js').status, 200)
        # a page of another site pointed here by DNS names its own host
        r = self.k.get('/', headers={'Host': 'evil.example:80'})
        self.assertEqual(r.status, 403)
        r = self.k.post('/api/local/ratings', {'level': 5},
                        headers={'Host': 'evil.example'})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.k.get('/nothing').status, 404)
        self.assertEqual(request(self.k.port, 'DELETE', '/api/local/ratings')
                         .status, 405)
        # the phone QR is the counter's form on the server
        r = self.k.get('/api/local/qr.svg')
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body.startswith(b'<svg') or b'<svg' in r.body[:200])

    def test_burst_presses_are_kept_and_flagged(self):
        a = self.k.rate(5)
        b = self.k.rate(5)
        source = 'kiosk:' + self.k.identity()['kiosk']
        rows = wait_until('both presses on the server', lambda: (
            lambda r: r if {a, b} <= set(r) else None)(
                {x['id']: x['status'] for x in server_rows(self.s, source)}))
        # one of them is the first press of this kiosk, or follows one
        self.assertEqual(rows[b], 'burst')
        self.assertEqual(self.k.outbox('SELECT burst FROM outbox WHERE id = ?',
                                       b)[0][0], 1)

    def test_reasons_follow_a_low_score(self):
        rid = self.k.rate(1, reasons_follow=True)
        r = self.k.post(f'/api/local/ratings/{rid}/reasons',
                        {'reasons': ['attitude', 'wait']})
        self.assertEqual(r.status, 200, r)
        # once closed it cannot change again
        r = self.k.post(f'/api/local/ratings/{rid}/reasons',
                        {'reasons': ['online']})
        self.assertEqual(r.status, 409)
        r = self.k.post(f'/api/local/ratings/{uuid.uuid4()}/reasons',
                        {'reasons': []})
        self.assertEqual(r.status, 409)
        row = wait_until('the rating with its reasons',
                         lambda: rating_row(self.s, rid))
        self.assertEqual((row['level'], row['reasons']), (1, 'attitude,wait'))


class SpeechAndWho(unittest.TestCase):
    """The spoken prompts the kiosk serves (made at build time from
    kiosk/ui/speech.txt) and who rated (requester type, assisted mark)
    from the page to the outbox and the server."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='kiosk-who').start()
        _, code, _ = add_kiosk(cls.s, counter=1)
        cls.k = Kiosk.enrolled(cls.s, code).start('--burst-seconds', '0')
        wait_kiosk_config(cls.k)

    @classmethod
    def tearDownClass(cls):
        cls.k.cleanup()
        cls.s.__exit__(None, None, None)

    def speech(self):
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, '..', '..', 'kiosk', 'ui', 'speech.txt'),
                  encoding='utf-8') as f:
            return [line.rstrip('\n').split('\t') for line in f
                    if line.strip() and not line.startswith('#')]

    def test_every_screen_has_its_clip_in_both_languages(self):
        lines = self.speech()
        pairs = {(x[0], x[2]) for x in lines}
        self.assertGreaterEqual({x[0] for x in lines},
                                {'ask', 'why', 'thanks', 'closed', 'oops'})
        self.assertEqual({x[2] for x in lines}, {'vi', 'en'})
        total = 0
        for screen, lang in sorted(pairs):
            r = self.k.get(f'/audio/{screen}-{lang}.wav')
            self.assertEqual(r.status, 200, (screen, lang))
            self.assertEqual(r.headers['content-type'], 'audio/wav')
            b = r.body
            self.assertEqual((b[:4], b[8:12], b[12:16]),
                             (b'RIFF', b'WAVE', b'fmt '))
            # PCM, mono, 16 kHz, 16-bit; the data chunk is the rest
            self.assertEqual(int.from_bytes(b[20:22], 'little'), 1)
            self.assertEqual(int.from_bytes(b[22:24], 'little'), 1)
            self.assertEqual(int.from_bytes(b[24:28], 'little'), 16000)
            self.assertEqual(int.from_bytes(b[34:36], 'little'), 16)
            self.assertEqual(int.from_bytes(b[40:44], 'little'), len(b) - 44)
            # a phrase: between half a second and twelve seconds
            self.assertTrue(16000 < len(b) - 44 < 12 * 32000, len(b))
            total += len(b)
        print(f'# kiosk audio: {len(pairs)} clips, {total} bytes')
        for path in ('/audio/ask-xx.wav', '/audio/../kiosk.js',
                     '/audio/ask-vi.mp3', '/audio/'):
            self.assertEqual(self.k.get(path).status, 404, path)
        r = self.k.get('/speech.txt')
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers['content-type'].startswith('text/plain'))
        self.assertIn('Cảm ơn Ông/Bà!', r.text)
        csp = self.k.get('/').headers['content-security-policy']
        self.assertIn("media-src 'self'", csp)
        self.assertNotIn('unsafe-inline', csp)

    def test_the_viewport_lets_people_zoom(self):
        page = self.k.get('/').text
        meta = re.search(r'<meta name="viewport" content="([^"]*)"', page)
        self.assertIsNotNone(meta)
        self.assertNotRegex(meta.group(1), 'user-scalable|maximum-scale')

    def test_who_rated_is_kept_and_sent(self):
        a = self.k.rate(4, requester='business', assisted=True)
        b = self.k.rate(5, requester='citizen')
        c = self.k.rate(2, assisted=False, requester=None)
        d = self.k.rate(1, requester='', reasons_follow=True)
        r = self.k.post(f'/api/local/ratings/{d}/reasons',
                        {'reasons': ['wait']})
        self.assertEqual(r.status, 200, r)
        rows = {x[0]: x[1:] for x in self.k.outbox(
            'SELECT id, requester, assisted FROM outbox')}
        self.assertEqual(rows[a], ('business', 1))
        self.assertEqual(rows[b], ('citizen', 0))
        self.assertEqual(rows[c], ('', 0))
        self.assertEqual(rows[d], ('', 0))
        for doc, why in [({'level': 5, 'requester': 'company'}, 'requester'),
                         ({'level': 5, 'requester': 1}, 'requester'),
                         ({'level': 5, 'assisted': 'yes'}, 'assisted'),
                         ({'level': 5, 'assisted': 1}, 'assisted'),
                         ({'level': 5, 'requester': 'citizen', 'x': 1},
                          'unknown')]:
            r = self.k.post('/api/local/ratings', doc)
            self.assertEqual(r.status, 400, (doc, r))
            self.assertIn(why, r.json()['message'], doc)
        # delivered, and stored (requester NULL/1/2, assisted 0/1)
        wait_until('all four sent', lambda: self.k.outbox(
            "SELECT count(*) FROM outbox WHERE state = 'sent' AND id IN "
            "(?, ?, ?, ?)", a, b, c, d)[0][0] == 4)
        got = {rid: (rating_row(self.s, rid)['requester'],
                     rating_row(self.s, rid)['assisted'])
               for rid in (a, b, c, d)}
        self.assertEqual(got, {a: (2, 1), b: (1, 0), c: (None, 0),
                               d: (None, 0)})


class OutboxUpgrade(unittest.TestCase):
    def test_a_version_1_outbox_keeps_its_ratings(self):
        with Server(name='kiosk-upgrade') as s:
            _, code, _ = add_kiosk(s, counter=1)
            k = Kiosk.enrolled(s, code)
            try:
                # the outbox as the previous hailong-kiosk made it, with a
                # rating not yet sent
                path = os.path.join(k.data, 'outbox.db')
                os.remove(path)
                c = sqlite3.connect(path)
                c.executescript(OUTBOX_V1)
                rid = str(uuid.uuid4())
                c.execute("INSERT INTO outbox(id, level, rated_ms) "
                          "VALUES (?, 4, ?)", (rid, int(time.time() * 1000)))
                c.commit()
                c.close()
                k.start()
                self.assertEqual(k.outbox('PRAGMA user_version')[0][0], 2)
                self.assertEqual(k.outbox(
                    'SELECT level, requester, assisted FROM outbox WHERE '
                    'id = ?', rid), [(4, '', 0)])
                row = wait_until('the old rating on the server',
                                 lambda: rating_row(s, rid))
                self.assertEqual(row['level'], 4)
                # and ratings given now keep who rated
                new = k.rate(5, requester='citizen')
                self.assertEqual(k.outbox(
                    'SELECT requester FROM outbox WHERE id = ?', new),
                    [('citizen',)])
            finally:
                k.cleanup()


# kiosk/outbox.c's schema 1, as hailong-kiosk 0.1 wrote it
OUTBOX_V1 = """
CREATE TABLE outbox (
 seq INTEGER PRIMARY KEY AUTOINCREMENT,
 id TEXT NOT NULL UNIQUE,
 level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
 reasons TEXT NOT NULL DEFAULT '',
 dossier TEXT NOT NULL DEFAULT '',
 rated_ms INTEGER NOT NULL,
 burst INTEGER NOT NULL DEFAULT 0 CHECK (burst IN (0, 1)),
 hold_until INTEGER NOT NULL DEFAULT 0,
 state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN
  ('pending', 'sent', 'conflict', 'rejected')),
 reason TEXT,
 settled_at INTEGER
) STRICT;
CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 'pending';
CREATE INDEX outbox_problems ON outbox(seq)
 WHERE state IN ('conflict', 'rejected');
CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
PRAGMA application_id = 1212959567;
PRAGMA user_version = 1;
"""


class ThreeFaces(unittest.TestCase):
    def test_the_page_gets_three_faces_mapped_to_5_4_2(self):
        with Server(name='kiosk-three') as s:
            _, code, _ = add_kiosk(s, counter=2, faces=3)
            k = Kiosk.enrolled(s, code)
            try:
                k.start()
                cfg = wait_kiosk_config(k)
                self.assertEqual((cfg['faces'], cfg['levels']), (3, [5, 4, 2]))
                self.assertEqual([cfg['labels'][str(lv)]['vi']
                                  for lv in cfg['levels']],
                                 ['Rất hài lòng', 'Hài lòng',
                                  'Không hài lòng'])
                self.assertEqual(len(cfg['reasons']), 6)
                self.assertEqual((cfg['reset_seconds'],
                                  cfg['thanks_seconds']), (30, 5))
                # and it survives a start without the server
                s.stop()
                k.stop()
                k.start()
                cfg = k.get('/api/local/config').json()
                self.assertEqual((cfg['configured'], cfg['levels']),
                                 (True, [5, 4, 2]))
            finally:
                k.cleanup()


class ServedDossier(unittest.TestCase):
    """The dossier the counter serves (POST .../serving): the kiosk shows
    it, the next rating carries it, and then it is gone; offline, the
    kiosk shows none and takes ratings as ever."""

    def setUp(self):
        self.s = Server(name='kiosk-serving').start(port=stable_port())
        self.key = {'Authorization': 'Bearer ' + run(
            'apikey', 'add', '--db', self.s.db_path, '--unit', 'H21.227',
            '--scope', 'links').stdout.strip().splitlines()[-1],
            'Content-Type': 'application/json'}
        _, code, _ = add_kiosk(self.s, counter=1)
        self.k = Kiosk.enrolled(self.s, code).start(
            '--burst-seconds', '0', '--serving-seconds', '1')
        wait_kiosk_config(self.k)
        self.day = time.strftime('%y%m%d', time.gmtime(time.time() + 7 * 3600))

    def tearDown(self):
        self.k.cleanup()
        self.s.__exit__(None, None, None)

    def serve(self, dossier):
        r = self.s.post('/api/v1/counters/H21.227/1/serving',
                        json.dumps({'dossier': dossier}), self.key)
        self.assertEqual(r.status, 200, r.text)

    def shown(self):
        r = self.k.get('/api/local/serving')
        self.assertEqual(r.status, 200)
        return r.json()

    def wait_shown(self, dossier, never=()):
        """Until the kiosk shows `dossier` (None: nothing); meanwhile it
        must show nothing of `never`."""
        def check():
            got = self.shown()
            self.assertNotIn(got['dossier'], never)
            return got if got['dossier'] == dossier else None
        return wait_until(f'the kiosk to show {dossier}', check, timeout=60)

    def test_served_rated_and_gone(self):
        a, b = f'H21.227-{self.day}-0001', f'H21.227-{self.day}-0002'
        self.assertEqual(self.shown(), {'dossier': None, 'serial': 0})
        self.serve(a)
        got = self.wait_shown(a)
        self.assertEqual(self.k.get('/api/local/config').json()['serving'],
                         got)
        # the page's rating: the dossier it shows, and its serial
        rid = self.k.rate(5, dossier=a, serving=got['serial'])
        self.assertEqual(self.shown(), {'dossier': None, 'serial': 0})
        row = wait_until('the rating on the server',
                         lambda: rating_row(self.s, rid))
        self.assertEqual((row['dossier'], row['channel'], row['counter']),
                         (a, 'kiosk', 1))
        # the server still says a; the kiosk never shows it again, and
        # shows the next dossier
        self.serve(b)
        got = self.wait_shown(b, never=(a,))
        # the idle reset lets it go the same way
        r = self.k.post('/api/local/serving', {'serial': got['serial']})
        self.assertEqual(r.status, 200, r.text)
        self.assertEqual(self.shown(), {'dossier': None, 'serial': 0})
        # b given again is a new assignment: shown again
        self.serve(b)
        got = self.wait_shown(b)
        # a serial the server never gave cannot be consumed ahead
        r = self.k.post('/api/local/serving',
                        {'serial': got['serial'] + 10 ** 9})
        self.assertEqual(r.status, 200)
        self.assertEqual(self.shown()['dossier'], b)
        # bad bodies
        for body in (b'{}', b'{"serial": 0}', b'{"serial": "1"}', b'[',
                     b'{"serial": 1, "x": 1}'):
            with self.subTest(body=body):
                self.assertEqual(
                    self.k.post('/api/local/serving', body=body).status, 400)
        # the one-stop system clears it
        self.serve(None)
        self.wait_shown(None)

    def test_consumed_stays_consumed_across_a_restart(self):
        a, b = f'H21.227-{self.day}-0011', f'H21.227-{self.day}-0012'
        self.serve(a)
        got = self.wait_shown(a)
        self.k.rate(4, dossier=a, serving=got['serial'])
        self.assertEqual(self.k.kill(), -9)
        self.k.start('--burst-seconds', '0', '--serving-seconds', '1')
        self.serve(b)
        self.wait_shown(b, never=(a,))

    def test_offline_shows_nothing_and_rates_as_ever(self):
        a = f'H21.227-{self.day}-0021'
        self.serve(a)
        self.wait_shown(a)
        self.s.stop()
        self.wait_shown(None)
        rid = self.k.rate(3)
        self.assertEqual(self.k.states(), {'pending': 1})
        # back: a restarted server forgot what the counter served
        self.s.start(port=self.s.port)
        row = wait_until('the rating on the server',
                         lambda: rating_row(self.s, rid))
        self.assertIsNone(row['dossier'])
        self.assertEqual(self.shown(), {'dossier': None, 'serial': 0})


class Outage(unittest.TestCase):
    """The issue's outage tests: 50 ratings, kills, exactly once."""

    def setUp(self):
        self.s = Server(name='kiosk-outage').start(port=stable_port())
        self.port = self.s.port
        _, code, _ = add_kiosk(self.s, counter=2, officer='VC02')
        self.k = Kiosk.enrolled(self.s, code)
        self.source = 'kiosk:' + self.k.identity()['kiosk']

    def tearDown(self):
        self.k.cleanup()
        self.s.__exit__(None, None, None)

    def restart_server(self):
        # the kiosk knows the server by its address: same port again
        self.s.start(port=self.port)

    def check_exactly_once(self, sent):
        want = dict(sent)
        rows = wait_until('50 ratings on the server', lambda: (
            lambda r: r if len(r) >= 50 else None)(
                server_rows(self.s, self.source)), timeout=120)
        # all settled on the kiosk too: nothing waits, nothing refused
        wait_until('the outbox to drain',
                   lambda: self.k.states() == {'sent': 50}, timeout=120)
        rows = server_rows(self.s, self.source)
        self.assertEqual(len(rows), 50)
        self.assertEqual(len({r['id'] for r in rows}), 50)
        self.assertEqual({r['id']: r['level'] for r in rows}, want)
        self.assertEqual({(r['status'], r['counter'], r['officer'])
                          for r in rows}, {('valid', 2, 'VC02')})
        self.assertIn('chain intact',
                      run('verify-chain', '--db', self.s.db_path).stdout)

    def test_server_down_and_kiosk_killed_midway(self):
        self.s.stop()
        self.k.start('--burst-seconds', '0')
        sent = [(self.k.rate(lv), lv) for lv in LEVELS[:25]]
        self.assertEqual(self.k.kill(), -9)
        self.k.start('--burst-seconds', '0')
        sent += [(self.k.rate(lv), lv) for lv in LEVELS[25:]]
        self.assertEqual(self.k.states(), {'pending': 50})
        self.assertEqual(self.k.outbox('SELECT min(seq), max(seq) FROM '
                                       'outbox')[0], (1, 50))
        self.restart_server()
        self.check_exactly_once(sent)

    def test_server_killed_during_a_batch(self):
        self.s.stop()
        # one rating per request, so the kill lands between commits
        self.k.start('--burst-seconds', '0', '--batch-max', '1')
        sent = [(self.k.rate(lv), lv) for lv in LEVELS]
        self.restart_server()
        wait_until('the first rows', lambda: server_rows(self.s, self.source),
                   every=0.001)
        self.assertEqual(self.s.kill(), -9)
        self.restart_server()
        self.check_exactly_once(sent)


class Conflicts(unittest.TestCase):
    """What the server refuses is kept on the kiosk, reported, not resent."""

    def test_conflict_and_rejection_are_kept_and_reported(self):
        with Server(name='kiosk-conflict', port=stable_port()) as s:
            kid, code, _ = add_kiosk(s, counter=1)
            k = Kiosk.enrolled(s, code)
            try:
                k.start('--heartbeat-seconds', '1')
                wait_kiosk_config(k)
                s.stop()
                x = k.rate(5)
                k.stop()
                # someone else's rating already holds x's id on the server
                s.start()
                signer = k.signer()
                r = signer.post(s, '/api/v1/kiosk/ratings',
                                {'ratings': [item(x, 1, seq=999)]})
                self.assertEqual(r.json()['results'][0]['status'],
                                 'accepted')
                # the kiosk offers a reason the server no longer knows
                cfg = json.loads(k.outbox("SELECT value FROM state WHERE "
                                          "key = 'config'")[0][0])
                cfg['reasons'].append({'code': 'bogus', 'vi': 'Lý do cũ',
                                       'en': 'Old reason'})
                c = sqlite3.connect(os.path.join(k.data, 'outbox.db'))
                with c:
                    c.execute("UPDATE state SET value = ? WHERE key = "
                              "'config'", (json.dumps(cfg),))
                c.close()
                k.start('--heartbeat-seconds', '1')
                y = k.rate(1, reasons=['bogus'])
                z = k.rate(4)
                wait_until('conflict, rejection and delivery', lambda:
                           k.states() == {'conflict': 1, 'rejected': 1,
                                          'sent': 1})
                self.assertEqual(k.outbox('SELECT id, state, reason FROM '
                                          'outbox WHERE state != ? ORDER BY '
                                          'seq', 'sent'),
                                 [(x, 'conflict', 'the server holds different '
                                   'content under this id'),
                                  (y, 'rejected', 'reasons')])
                # the server kept its own x; y never arrived; z did
                with s.db() as c:
                    got = dict(c.execute('SELECT id, level FROM ratings '
                                         'WHERE id IN (?, ?, ?)',
                                         (x, y, z)).fetchall())
                self.assertEqual(got, {x: 1, z: 4})
                # reported: by the kiosk, and through its heartbeat
                out = k.status()
                self.assertIn('1 conflict, 1 rejected', out)
                self.assertRegex(out, rf'conflict .*{x}')
                self.assertRegex(out, rf'rejected .*{y}\s+reasons')
                wait_until('problems in the list', lambda: re.search(
                    rf'{kid}.*online.*\s2\n',
                    run('kiosk', 'list', '--db', s.db_path).stdout))
                # and never sent again
                n = s.count()
                k.rate(3)
                wait_until('the next rating', lambda: s.count() == n + 1)
                self.assertEqual(k.states()['conflict'], 1)
                self.assertEqual(k.states()['rejected'], 1)
            finally:
                k.cleanup()

    def test_a_revoked_kiosk_keeps_its_ratings(self):
        with Server(name='kiosk-revoked') as s:
            kid, code, _ = add_kiosk(s, counter=1)
            k = Kiosk.enrolled(s, code)
            try:
                k.start()
                wait_kiosk_config(k)
                run('kiosk', 'revoke', '--db', s.db_path, kid)
                rid = k.rate(2)
                wait_until('the refusal in the log',
                           lambda: 'refused=revoked' in k.logs())
                self.assertEqual(k.states(), {'pending': 1})
                self.assertEqual(s.count("SELECT count(*) FROM ratings "
                                         "WHERE id = ?", rid), 0)
            finally:
                k.cleanup()


class Clock(unittest.TestCase):
    def test_a_wrong_clock_is_corrected_from_the_date_header(self):
        with Server(name='kiosk-clock') as s:
            _, code, _ = add_kiosk(s, counter=1)
            k = Kiosk.enrolled(s, code)
            try:
                # the device believes it is two hours ahead
                c = sqlite3.connect(os.path.join(k.data, 'outbox.db'))
                with c:
                    c.execute("INSERT INTO state(key, value) VALUES "
                              "('clock_offset_ms', '7200000')")
                c.close()
                k.start()
                wait_kiosk_config(k)
                off = int(k.outbox("SELECT value FROM state WHERE key = "
                                   "'clock_offset_ms'")[0][0])
                # two hours corrected; what is left is the server clock's
                # second and a round trip, which a busy machine may make
                # seconds long
                self.assertLess(abs(off), 60000)
                t0 = time.time()
                rid = k.rate(4)
                row = wait_until('the rating', lambda: rating_row(s, rid))
                # stamped between the tap and its arrival, not two hours off
                self.assertLess(t0 - 60, row['rated_at'])
                self.assertLess(row['rated_at'], time.time() + 60)
            finally:
                k.cleanup()


class StartErrors(unittest.TestCase):
    """A kiosk that cannot keep ratings safely does not start."""

    def setUp(self):
        self.k = Kiosk()

    def tearDown(self):
        self.k.cleanup()

    def fails(self, *args):
        rc, line, err = self.k.start(*args, expect_fail=True)
        self.assertEqual(rc, 1)
        self.assertNotIn('listening', line)
        return err

    def enrol(self):
        with Server(name='kiosk-start') as s:
            _, code, _ = add_kiosk(s)
            kiosk_cli('enroll', '--server', s.base, '--code', code, '--data',
                      self.k.data)

    def test_missing_data_directory(self):
        err = self.fails()
        self.assertIn(f"the data directory '{self.k.data}' does not exist",
                      err)
        self.assertIn('hailong-kiosk enroll', err)

    def test_directory_without_identity(self):
        os.mkdir(self.k.data, 0o700)
        self.assertIn('holds no kiosk identity', self.fails())

    def test_corrupted_outbox(self):
        self.enrol()
        path = os.path.join(self.k.data, 'outbox.db')
        with open(path, 'r+b') as f:
            f.write(b'this is no longer an SQLite file at all....' * 3)
        err = self.fails()
        self.assertIn(f"the outbox '{path}'", err)
        self.assertRegex(err, 'not a database|damaged')
        self.assertIn('move it aside', err)

    def test_missing_outbox(self):
        self.enrol()
        os.remove(os.path.join(self.k.data, 'outbox.db'))
        err = self.fails()
        self.assertIn('is missing', err)
        self.assertIn('--new-outbox', err)
        # on purpose: an empty outbox is made
        self.k.start('--new-outbox')
        self.assertEqual(self.k.states(), {})

    def test_identity_readable_by_others(self):
        self.enrol()
        os.chmod(os.path.join(self.k.data, 'kiosk.json'), 0o644)
        self.assertIn('chmod 600', self.fails())

    def test_bad_flags(self):
        p = kiosk_cli('run', '--data', self.k.data, '--reset-seconds', '0',
                      check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn('--reset-seconds', p.stderr)
        p = kiosk_cli('--help')
        self.assertIn('enroll', p.stdout)
        self.assertIn('run', p.stdout)


if __name__ == '__main__':
    unittest.main()
