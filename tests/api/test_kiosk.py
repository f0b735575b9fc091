"""The server's kiosk API: enrolment, signatures, batches, heartbeat, config.

A kiosk written in Python (kioskhl.Signer, from the contract in
include/hailong/kiosksig.h) talks to a real server; the CLI manages the
kiosks.  The real hailong-kiosk program is tested in test_kiosk_device.py.
"""
import json
import os
import re
import stat
import time
import unittest
import uuid

from tests.api.hl import Browser, Server, request, run
from tests.api.kioskhl import (CODE_RE, Kiosk, Signer, add_kiosk, enrol_raw,
                               item, kiosk_cli)

RATINGS = '/api/v1/kiosk/ratings'
HEARTBEAT = '/api/v1/kiosk/heartbeat'
CONFIG = '/api/v1/kiosk/config'


def enrolled_signer(s, **kw):
    kid, code, _ = add_kiosk(s, **kw)
    r = enrol_raw(s, code)
    assert r.status == 201, r
    body = r.json()
    assert body['kiosk'] == kid
    return Signer(body['kiosk'], body['secret'])


class Enrolment(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='kiosk-enrol').start()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_add_prints_the_code_alone_on_the_last_line(self):
        kid, code, out = add_kiosk(self.s, counter=2, officer='VC02')
        self.assertRegex(code, CODE_RE)
        self.assertIn(f'kiosk {kid} registered for H21.227 counter 2', out)
        # only a hash of the code is stored: the code is nowhere on disk
        with self.s.db() as c:
            row = c.execute('SELECT * FROM kiosks WHERE id = ?',
                            (kid,)).fetchone()
            audit = c.execute("SELECT actor, target, detail FROM audit "
                              "WHERE action = 'kiosk.add' AND target = ?",
                              (kid,)).fetchone()
        self.assertEqual((row['unit'], row['counter'], row['officer']),
                         ('H21.227', 2, 'VC02'))
        self.assertIsNone(row['secret'])
        for suffix in ('', '-wal'):
            if os.path.exists(self.s.db_path + suffix):
                with open(self.s.db_path + suffix, 'rb') as f:
                    self.assertNotIn(code.encode(), f.read())
        self.assertTrue(audit['actor'].startswith('cli:'))
        self.assertEqual(json.loads(audit['detail'])['counter'], 2)
        listing = run('kiosk', 'list', '--db', self.s.db_path).stdout
        self.assertRegex(listing, rf'{kid}\s+H21\.227\s+2\s+VC02\s+pending')

    def test_add_refuses_what_does_not_exist(self):
        for args, why in [
                (['--counter', '9'], 'no counter 9'),
                (['--counter', '1', '--officer', 'XX99'], "no active officer"),
                (['--counter', '1', '--faces', '4'], '3 or 5'),
                (['--counter', '0'], '1-999')]:
            p = run('kiosk', 'add', '--db', self.s.db_path, '--unit',
                    'H21.227', *args, check=False)
            self.assertNotEqual(p.returncode, 0, args)
            self.assertIn(why, p.stderr, args)

    def test_enrol_with_the_program_keeps_a_private_identity(self):
        kid, code, _ = add_kiosk(self.s)
        k = Kiosk.enrolled(self.s, code)
        try:
            ident = k.identity()
            self.assertEqual(ident['kiosk'], kid)
            self.assertEqual(
                stat.S_IMODE(os.stat(os.path.join(k.data, 'kiosk.json')).st_mode),
                0o600)
            self.assertEqual(stat.S_IMODE(os.stat(k.data).st_mode), 0o700)
            self.assertTrue(os.path.exists(os.path.join(k.data, 'outbox.db')))
            with self.s.db() as c:
                row = c.execute('SELECT secret, enrolled_at FROM kiosks '
                                'WHERE id = ?', (kid,)).fetchone()
                actor = c.execute("SELECT actor FROM audit WHERE action = "
                                  "'kiosk.enrol' AND target = ?",
                                  (kid,)).fetchone()[0]
            self.assertEqual(len(row['secret']), 32)
            self.assertIsNotNone(row['enrolled_at'])
            self.assertEqual(actor, f'kiosk:{kid}')
            # a second enrolment into the same directory needs --force
            kid2, code2, _ = add_kiosk(self.s)
            p = kiosk_cli('enroll', '--server', self.s.base, '--code', code2,
                          '--data', k.data, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn('--force', p.stderr)
        finally:
            k.cleanup()

    def test_reused_code_is_refused_409(self):
        _, code, _ = add_kiosk(self.s)
        self.assertEqual(enrol_raw(self.s, code).status, 201)
        r = enrol_raw(self.s, code)
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()['error'], 'code_used')
        # the program says so too, and writes nothing
        k = Kiosk()
        try:
            p = kiosk_cli('enroll', '--server', self.s.base, '--code',
                          code.lower(), '--data', k.data, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn('409 code_used', p.stderr)
            self.assertFalse(os.path.exists(os.path.join(k.data,
                                                         'kiosk.json')))
        finally:
            k.cleanup()

    def test_expired_code_is_refused_410(self):
        kid, code, _ = add_kiosk(self.s)
        with self.s.db() as c:
            c.execute('UPDATE kiosks SET code_expires = ? WHERE id = ?',
                      (int(time.time()) - 1, kid))
        r = enrol_raw(self.s, code)
        self.assertEqual(r.status, 410, r)
        self.assertEqual(r.json()['error'], 'code_expired')
        listing = run('kiosk', 'list', '--db', self.s.db_path).stdout
        self.assertRegex(listing, rf'{kid}.*expired')

    def test_unknown_or_malformed_code_is_refused_404(self):
        for code in ['ABCD-EFGH-JKMN-PQRS', 'not a code', '']:
            r = enrol_raw(self.s, code)
            self.assertEqual(r.status, 404, (code, r))
            self.assertEqual(r.json()['error'], 'code_unknown')
        r = self.s.post_json('/api/v1/kiosk/enroll', {'code': 'x', 'y': 1})
        self.assertEqual(r.status, 400)

    def test_revoked_before_enrolment_is_refused_403(self):
        kid, code, _ = add_kiosk(self.s)
        run('kiosk', 'revoke', '--db', self.s.db_path, kid)
        r = enrol_raw(self.s, code)
        self.assertEqual(r.status, 403, r)
        self.assertEqual(r.json()['error'], 'kiosk_revoked')


class EnrolmentRateLimit(unittest.TestCase):
    def test_guessing_codes_is_slowed_down(self):
        with Server('--kiosk-enrolments-per-min', '3',
                    name='kiosk-ratelimit') as s:
            statuses = [enrol_raw(s, 'ABCD-EFGH-JKMN-PQR%d' % i).status
                        for i in range(4)]
            self.assertEqual(statuses[:3], [404] * 3)
            self.assertEqual(statuses[3], 429)


class Signatures(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='kiosk-sig').start()
        cls.k = enrolled_signer(cls.s, counter=1, officer='VC01')

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def heartbeat(self, signer=None, **kw):
        doc = {'version': '0.1.0', 'outbox': 0, 'oldest_unsent': None,
               'problems': 0}
        return (signer or self.k).call(self.s, 'POST', HEARTBEAT, doc, **kw)

    def test_a_signed_request_passes_and_the_answer_is_signed(self):
        r, nonce = self.heartbeat()
        self.assertEqual(r.status, 200, r)
        self.assertTrue(self.k.response_ok(r, nonce))
        # the answer is bound to this request's nonce
        self.assertFalse(self.k.response_ok(r, nonce + 1))
        self.assertIn('date', r.headers)

    def test_forged_signatures_are_refused_401(self):
        body = json.dumps({'version': '1', 'outbox': 0,
                           'problems': 0}).encode()
        # signed with another key
        auth, _ = self.k.header('POST', HEARTBEAT, body, key=b'x' * 32)
        r = self.s.post(HEARTBEAT, body, {'Authorization': auth,
                                          'Content-Type': 'application/json'})
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.json()['error'], 'unauthorized')
        # signed for one body, sent with another
        auth, _ = self.k.header('POST', HEARTBEAT, body)
        r = self.s.post(HEARTBEAT, body.replace(b'"1"', b'"2"'),
                        {'Authorization': auth,
                         'Content-Type': 'application/json'})
        self.assertEqual(r.status, 401, r)
        # signed for another path
        auth, _ = self.k.header('POST', RATINGS, body)
        r = self.s.post(HEARTBEAT, body, {'Authorization': auth,
                                          'Content-Type': 'application/json'})
        self.assertEqual(r.status, 401, r)
        # no header, a malformed one, an unknown kiosk
        self.assertEqual(self.s.post(HEARTBEAT, body).status, 401)
        r = self.s.post(HEARTBEAT, body, {'Authorization': 'Bearer x'})
        self.assertEqual(r.status, 401)
        stranger = Signer('k0000000000', b'y' * 32)
        self.assertEqual(self.heartbeat(signer=stranger)[0].status, 401)
        # and nothing of it reached the kiosk's record
        with self.s.db() as c:
            v = c.execute('SELECT version FROM kiosks WHERE id = ?',
                          (self.k.kiosk,)).fetchone()[0]
        self.assertNotIn(v, ('1', '2'))

    def test_a_replayed_request_is_refused_even_after_a_restart(self):
        body = json.dumps({'version': '0.1.0', 'outbox': 3, 'problems': 0,
                           'oldest_unsent': None}).encode()
        auth, nonce = self.k.header('POST', HEARTBEAT, body)
        h = {'Authorization': auth, 'Content-Type': 'application/json'}
        self.assertEqual(self.s.post(HEARTBEAT, body, h).status, 200)
        r = self.s.post(HEARTBEAT, body, h)
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.json()['error'], 'replay')
        self.assertEqual(r.json()['last_nonce'], nonce)
        # an older nonce, freshly signed, is a replay too
        r, _ = self.heartbeat(nonce=nonce - 1)
        self.assertEqual((r.status, r.json()['error']), (401, 'replay'))
        # the guard is on disk: a restarted server still refuses it
        self.s.stop()
        self.s.start()
        r = self.s.post(HEARTBEAT, body, h)
        self.assertEqual((r.status, r.json()['error']), (401, 'replay'))

    def test_a_batchs_nonce_is_on_disk_with_its_ratings(self):
        # nonces are kept in memory and written in the writer's
        # transaction: a batch that was answered is a replay even after
        # a kill -9 and a restart
        doc = {'ratings': [item(str(uuid.uuid4()), 4, seq=1)]}
        body = json.dumps(doc).encode()
        auth, nonce = self.k.header('POST', RATINGS, body)
        h = {'Authorization': auth, 'Content-Type': 'application/json'}
        r = self.s.post(RATINGS, body, h)
        self.assertEqual(r.status, 200, r)
        with self.s.db() as c:
            self.assertEqual(c.execute(
                'SELECT last_nonce FROM kiosks WHERE id = ?',
                (self.k.kiosk,)).fetchone()[0], nonce)
        self.s.kill()
        self.s.start()
        r = self.s.post(RATINGS, body, h)
        self.assertEqual((r.status, r.json()['error']), (401, 'replay'))
        self.assertEqual(r.json()['last_nonce'], nonce)

    def test_a_request_far_from_the_servers_clock_is_refused(self):
        for skew in (-301, 301, -86400):
            r, _ = self.heartbeat(t=int(time.time()) + skew)
            self.assertEqual(r.status, 401, (skew, r))
            self.assertEqual(r.json()['error'], 'stale_time')
        r, _ = self.heartbeat(t=int(time.time()) - 200)
        self.assertEqual(r.status, 200)

    def test_a_revoked_kiosk_is_refused_403_at_once(self):
        k = enrolled_signer(self.s, counter=3)
        self.assertEqual(self.heartbeat(signer=k)[0].status, 200)
        out = run('kiosk', 'revoke', '--db', self.s.db_path, k.kiosk).stdout
        self.assertIn('revoked', out)
        # the running server, without a restart
        r, _ = self.heartbeat(signer=k)
        self.assertEqual(r.status, 403, r)
        self.assertEqual(r.json()['error'], 'kiosk_revoked')
        r = k.post(self.s, RATINGS, {'ratings': [item(str(uuid.uuid4()), 5)]})
        self.assertEqual(r.status, 403)
        with self.s.db() as c:
            self.assertEqual(c.execute("SELECT count(*) FROM audit WHERE "
                                       "action = 'kiosk.revoke' AND target "
                                       "= ?", (k.kiosk,)).fetchone()[0], 1)
        p = run('kiosk', 'revoke', '--db', self.s.db_path, k.kiosk,
                check=False)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(run('kiosk', 'list', '--db',
                             self.s.db_path).stdout, rf'{k.kiosk}.*revoked')

    def test_the_staff_list_is_not_for_kiosks_or_the_public(self):
        self.assertEqual(self.s.get('/api/v1/kiosks').status, 401)
        r, _ = self.k.call(self.s, 'GET', '/api/v1/kiosks')
        self.assertEqual(r.status, 401)


class Batches(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='kiosk-batch').start()
        cls.k = enrolled_signer(cls.s, counter=2, officer='VC02')

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def batch(self, items, k=None):
        k = k or self.k
        r, nonce = k.call(self.s, 'POST', RATINGS, {'ratings': items})
        if r.status == 200:
            self.assertTrue(k.response_ok(r, nonce))
        return r

    def row(self, id):
        with self.s.db() as c:
            return c.execute("SELECT * FROM ratings WHERE channel = 'kiosk' "
                             "AND id = ?", (id,)).fetchone()

    def test_each_rating_is_answered_on_its_own(self):
        k = self.k = enrolled_signer(self.s, counter=2, officer='VC02')
        a, b, c, d = (str(uuid.uuid4()) for _ in range(4))
        future = time.strftime('%Y-%m-%dT%H:%M:%SZ',
                               time.gmtime(time.time() + 3600))
        items = [
            item(a, 2, seq=1, reasons=['wait', 'attitude'],
                 dossier='H21.227-251124-0001',
                 rated_at='2025-11-24T09:30:00+07:00'),
            item(b, 5, seq=2),
            item(c, 9, seq=3),
            item(d, 1, seq=4, reasons=['no_such_reason']),
            item(str(uuid.uuid4()), 4, seq=5, reasons=['wait']),
            item(str(uuid.uuid4()), 4, seq=6, rated_at=future),
            item(str(uuid.uuid4()), 4, seq=7, dossier='not-a-dossier'),
        ]
        r = self.batch(items)
        self.assertEqual(r.status, 200, r)
        res = r.json()['results']
        self.assertEqual([x['id'] for x in res], [x['id'] for x in items])
        self.assertEqual([x['status'] for x in res],
                         ['accepted', 'accepted'] + ['rejected'] * 5)
        self.assertEqual([x.get('reason') for x in res[2:]],
                         ['level', 'reasons', 'reasons', 'rated_at',
                          'dossier'])
        row = self.row(a)
        self.assertEqual(
            (row['unit'], row['counter'], row['officer'], row['level'],
             row['reasons'], row['dossier'], row['status'], row['source']),
            ('H21.227', 2, 'VC02', 2, 'wait,attitude', 'H21.227-251124-0001',
             'valid', f'kiosk:{self.k.kiosk}'))
        self.assertEqual(row['rated_at'], 1763951400)
        self.assertIsNone(self.row(c))
        # sent again (an answer lost on the way): duplicates, stored once
        r = self.batch(items[:2])
        self.assertEqual([x['status'] for x in r.json()['results']],
                         ['duplicate', 'duplicate'])
        with self.s.db() as con:
            self.assertEqual(con.execute(
                'SELECT count(*) FROM ratings WHERE id IN (?, ?)',
                (a, b)).fetchone()[0], 2)
            kiosk = con.execute('SELECT max_seq FROM kiosks WHERE id = ?',
                                (k.kiosk,)).fetchone()
        self.assertEqual(kiosk['max_seq'], 2)

    def test_a_scanned_dossier_lends_its_procedure(self):
        """A kiosk rating carries the dossier code scanned from the
        receipt and no procedure; the feed sends the dossier the next day:
        the rating counts for the dossier's procedure (issue 17), in the
        rollups and with --recompute alike."""
        k = enrolled_signer(self.s, counter=3)
        code, proc, a = 'H21.227-251124-0077', '1.003583', str(uuid.uuid4())
        r = self.batch([item(a, 5, seq=1, dossier=code,
                             rated_at='2025-11-24T10:30:00+07:00')], k)
        self.assertEqual(r.json()['results'][0]['status'], 'accepted')
        self.assertEqual(self.row(a)['dossier'], code)
        key = run('apikey', 'add', '--db', self.s.db_path, '--unit',
                  'H21.227').stdout.strip().splitlines()[-1]
        r = self.s.post_json('/api/v1/dossiers', [{
            'code': code, 'procedure': proc, 'unit': 'H21.227',
            'channel': 1, 'received_at': '2025-11-24T08:00:00+07:00',
            'updated_at': '2025-11-25T08:00:00+07:00'}],
            {'Authorization': 'Bearer ' + key})
        self.assertEqual(r.json()['accepted'], 1, r.json())
        for extra in ([], ['--recompute']):
            out = run('metrics', '--db', self.s.db_path, '--unit',
                      'H21.227', '--month', '2025-11', '--json',
                      *extra).stdout
            procs = {p['code']: p for p in json.loads(out)['procedures']}
            self.assertIn(proc, procs, extra)
            self.assertEqual(procs[proc]['ratings'], 1, extra)
            self.assertEqual(procs[proc]['by_level'], [0, 0, 0, 0, 1])

    def test_same_id_with_other_content_is_a_conflict(self):
        a = str(uuid.uuid4())
        self.assertEqual(self.batch([item(a, 4, rated_at='2025-11-24T'
                                          '10:00:00+07:00')])
                         .json()['results'][0]['status'], 'accepted')
        for changed in [item(a, 3, rated_at='2025-11-24T10:00:00+07:00'),
                        item(a, 4, rated_at='2025-11-24T10:00:01+07:00')]:
            r = self.batch([changed])
            self.assertEqual(r.json()['results'][0]['status'], 'conflict')
        self.assertEqual(self.row(a)['level'], 4)

    def test_burst_flag_is_kept_and_counts_in_no_figure(self):
        a, b = str(uuid.uuid4()), str(uuid.uuid4())
        r = self.batch([item(a, 5, seq=10), item(b, 5, seq=11, burst=True)])
        self.assertEqual([x['status'] for x in r.json()['results']],
                         ['accepted', 'accepted'])
        self.assertEqual(self.row(a)['status'], 'valid')
        self.assertEqual(self.row(b)['status'], 'burst')

    def test_malformed_batches_are_refused_whole(self):
        for doc in [{'ratings': []}, {'ratings': {}}, {'x': 1},
                    {'ratings': [item(str(uuid.uuid4()), 5)] * 1001}]:
            r = self.k.post(self.s, RATINGS, doc)
            self.assertEqual(r.status, 400, r)
            self.assertEqual(r.json()['error'], 'bad_request')
        r = self.k.post(self.s, RATINGS, body=b'{"ratings": [')
        self.assertEqual(r.status, 400)
        self.assertIn('invalid JSON', r.json()['message'])

    def test_the_chain_verifies_after_kiosk_ratings(self):
        self.batch([item(str(uuid.uuid4()), lv, seq=20 + lv)
                    for lv in range(1, 6)])
        out = run('verify-chain', '--db', self.s.db_path).stdout
        self.assertIn('chain intact', out)


class HeartbeatAndConfig(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='kiosk-config').start()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_three_faces_config_with_reasons_and_a_counter_qr(self):
        k = enrolled_signer(self.s, counter=3, faces=3)
        r, nonce = k.call(self.s, 'GET', CONFIG)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(k.response_ok(r, nonce))
        cfg = r.json()
        self.assertEqual(cfg['kiosk'], k.kiosk)
        self.assertEqual(cfg['faces'], 3)
        self.assertEqual(cfg['levels'], [5, 4, 2])
        self.assertEqual(cfg['labels']['2']['vi'], 'Không hài lòng')
        self.assertEqual([x['code'] for x in cfg['reasons']],
                         ['wait', 'attitude', 'supplement', 'guidance',
                          'online', 'facilities'])
        self.assertEqual(cfg['unit'], {'code': 'H21.227',
                                       'name': 'UBND xã Vân Canh'})
        self.assertEqual(cfg['counter']['number'], 3)
        self.assertTrue(cfg['procedures'])
        # the QR's address opens the rating form of this very counter
        self.assertTrue(cfg['rate_url'].startswith(self.s.base + '/q/'))
        page = self.s.get(cfg['rate_url'][len(self.s.base):])
        self.assertEqual(page.status, 200)
        self.assertIn('Quầy 3', page.text)
        # unchanged: 304, signed as well
        r2, nonce = k.call(self.s, 'GET', CONFIG)
        self.assertEqual(r2.json(), cfg)
        auth, nonce = k.header('GET', CONFIG)
        r3 = request(self.s.port, 'GET', CONFIG, headers={
            'Authorization': auth, 'If-None-Match': r.headers['etag']})
        self.assertEqual(r3.status, 304)
        self.assertTrue(k.response_ok(r3, nonce))

    def test_heartbeat_feeds_the_list_and_silence_marks_offline(self):
        k = enrolled_signer(self.s, counter=1, officer='VC04')
        oldest = '2026-01-02T08:00:00+07:00'
        r = k.post(self.s, HEARTBEAT, {'version': '0.1.0', 'outbox': 7,
                                       'oldest_unsent': oldest,
                                       'problems': 2})
        self.assertEqual(r.status, 200, r)
        doc = json.loads(run('kiosk', 'list', '--db', self.s.db_path,
                             '--json').stdout)
        me = [x for x in doc['kiosks'] if x['id'] == k.kiosk][0]
        self.assertEqual((me['state'], me['online'], me['version'],
                          me['backlog'], me['oldest_unsent'],
                          me['problems'], me['officer']),
                         ('active', True, '0.1.0', 7, oldest, 2, 'VC04'))
        self.assertNotIn('secret', me)
        text = run('kiosk', 'list', '--db', self.s.db_path).stdout
        self.assertRegex(text, rf'{k.kiosk}.*active\s+online.*0\.1\.0\s+7'
                               r'\s+02/01/2026 08:00\s+2')
        # ten minutes and a second of silence: offline
        with self.s.db() as c:
            c.execute('UPDATE kiosks SET last_seen = ? WHERE id = ?',
                      (int(time.time()) - 601, k.kiosk))
        text = run('kiosk', 'list', '--db', self.s.db_path).stdout
        self.assertRegex(text, rf'{k.kiosk}.*active\s+offline')
        # a bad heartbeat is refused and changes nothing
        r = k.post(self.s, HEARTBEAT, {'version': '', 'outbox': -1,
                                       'problems': 0})
        self.assertEqual(r.status, 400)

    def test_staff_see_the_kiosks_of_their_units_only(self):
        k = enrolled_signer(self.s, counter=1)
        k.post(self.s, HEARTBEAT, {'version': '0.1.0', 'outbox': 4,
                                   'oldest_unsent': None, 'problems': 0})
        pw = 'mật khẩu rất dài 1'
        for name, unit in (('tinh', 'H21'), ('hue', 'H57')):
            run('user', 'add', '--db', self.s.db_path, '--unit', unit,
                '--role', 'viewer', '--name', name, '--password-stdin',
                input=pw + '\n')
        r = Browser(self.s).logged_in('tinh', pw).get('/api/v1/kiosks')
        self.assertEqual(r.status, 200, r)
        mine = [x for x in r.json()['kiosks'] if x['id'] == k.kiosk]
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine[0]['online'], mine[0]['backlog']), (True, 4))
        # the same information as the CLI gives
        cli = json.loads(run('kiosk', 'list', '--db', self.s.db_path,
                             '--json').stdout)
        self.assertEqual([x for x in cli['kiosks'] if x['id'] == k.kiosk],
                         mine)
        # a province elsewhere sees none of them
        r = Browser(self.s).logged_in('hue', pw).get('/api/v1/kiosks')
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()['kiosks'], [])

    def test_list_by_unit_scope(self):
        k = enrolled_signer(self.s, counter=2)
        out = run('kiosk', 'list', '--db', self.s.db_path, '--unit',
                  'H21').stdout
        self.assertIn(k.kiosk, out)
        out = run('kiosk', 'list', '--db', self.s.db_path, '--unit',
                  'H26').stdout
        self.assertNotIn(k.kiosk, out)


if __name__ == '__main__':
    unittest.main()
