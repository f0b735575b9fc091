"""One unit's key cannot reach into another unit's data (issue 22):
dossier codes, the ratings that name dossiers, ballot numbers."""
import json
import unittest
import urllib.parse

from tests.api.hl import Browser, Server, form_nonce, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw, item

P1 = '1.001193'


def bearer(key):
    return {'Authorization': 'Bearer ' + key}


def add_key(s, unit):
    return s.hailong('apikey', 'add', '--db', s.db_path, '--unit',
                     unit).stdout.strip().splitlines()[-1]


def dossier(code, unit, **kw):
    d = {'code': code, 'procedure': P1, 'unit': unit, 'channel': 1,
         'received_at': '2026-12-01T08:00:00+07:00',
         'updated_at': '2026-12-01T08:00:00+07:00'}
    d.update(kw)
    return d


class DossierCodes(unittest.TestCase):
    """A code whose agency prefix is a unit code belongs to that unit."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server('--rate-limit-per-min', '0', name='apart-codes')
        cls.s.start()
        cls.k227 = add_key(cls.s, 'H21.227')
        cls.k228 = add_key(cls.s, 'H21.228')
        cls.kprov = add_key(cls.s, 'H21')

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def post(self, key, docs):
        r = self.s.post_json('/api/v1/dossiers', docs, bearer(key))
        self.assertEqual(r.status, 200, r)
        return r.json()['items']

    def test_another_units_code_cannot_be_squatted(self):
        code = 'H21.227-261203-0777'
        items = self.post(self.k228, [dossier(code, 'H21.228')])
        self.assertEqual(items[0]['status'], 'rejected')
        self.assertEqual(items[0]['errors'][0]['column'], 'code')
        self.assertIn('H21.227', items[0]['errors'][0]['message'])
        self.assertEqual(self.s.count(
            'SELECT count(*) FROM dossiers WHERE code = ?', code), 0)
        # the real dossier then arrives from its own unit
        items = self.post(self.k227, [dossier(code, 'H21.227')])
        self.assertEqual(items[0]['status'], 'accepted')
        # H21.228's own codes, codes without a unit prefix, and codes of
        # agencies outside this server's tree (a ministry's portal passing
        # a dossier on) are fine
        items = self.post(self.k228, [
            dossier('H21.228-261203-0001', 'H21.228'),
            dossier('000.00.12.H21-261203-0001', 'H21.228'),
            dossier('G01.05-261203-0001234', 'H21.228')])
        self.assertEqual([i['status'] for i in items],
                         ['accepted', 'accepted', 'accepted'])
        # a unit of the tree not registered yet is still the tree's
        items = self.post(self.k228, [
            dossier('H21.999-261203-0001', 'H21.228')])
        self.assertEqual(items[0]['status'], 'rejected')

    def test_a_unit_above_may_file_a_code_elsewhere(self):
        # the province's feed: a dossier of a merged unit, filed under
        # the unit that handles it now
        items = self.post(self.kprov, [
            dossier('H21.227-261204-0001', 'H21.228')])
        self.assertEqual(items[0]['status'], 'accepted')
        # a commune may not, even under its own unit
        items = self.post(self.k227, [
            dossier('H21.228-261204-0002', 'H21.227')])
        self.assertEqual(items[0]['status'], 'rejected')


class DossierRatings(unittest.TestCase):
    """A rating may name only a dossier of its own unit's subtree, and
    only the dossier's unit and those above make it bad."""

    D = 'H21.227-261201-0001'

    @classmethod
    def setUpClass(cls):
        cls.s = Server('--rate-limit-per-min', '0', name='apart-ratings')
        cls.s.start()
        cls.k227 = add_key(cls.s, 'H21.227')
        cls.k228 = add_key(cls.s, 'H21.228')
        cls.kprov = add_key(cls.s, 'H21')
        r = cls.s.post_json('/api/v1/dossiers', [dossier(
            cls.D, 'H21.227', due_at='2026-12-10T17:00:00+07:00',
            finished_at='2026-12-02T10:00:00+07:00',
            updated_at='2026-12-02T10:00:00+07:00')], bearer(cls.k227))
        assert r.json()['accepted'] == 1, r

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def rate(self, key, docs):
        r = self.s.post_json('/api/v1/ratings', docs, bearer(key))
        self.assertEqual(r.status, 200, r)
        return r.json()['items']

    def handling(self):
        r = self.s.get('/api/v1/metrics?unit=H21.227&month=2026-12',
                       bearer(self.k227))
        self.assertEqual(r.status, 200, r)
        return r.json()['total']['handling_satisfaction_rate']

    def test_another_unit_cannot_make_a_dossier_bad(self):
        self.assertEqual(self.handling(), 1.0)
        low = {'unit': 'H21.228', 'level': 1,
               'rated_at': '2026-12-02T11:00:00+07:00'}
        items = self.rate(self.k228, [
            {**low, 'id': 'X1', 'dossier': self.D},
            # unknown yet, but its code names H21.227
            {**low, 'id': 'X2', 'dossier': 'H21.227-261201-0002'},
            # H21.228's own dossier, not known yet: fine
            {**low, 'id': 'X3', 'dossier': 'H21.228-261201-0009'},
            # a ministry's code, not known yet: no unit here owns it
            {**low, 'id': 'X4', 'dossier': 'G01.05-261201-0001234'}])
        self.assertEqual([i['status'] for i in items],
                         ['rejected', 'rejected', 'accepted', 'accepted'])
        for i in items[:2]:
            self.assertEqual(i['errors'][0]['column'], 'dossier')
            self.assertIn('is a dossier of H21.227', i['errors'][0]['message'])
        self.assertEqual(self.handling(), 1.0)
        # the kiosk at H21.228's counter: refused too, reason "dossier"
        p = run('counter', 'add', '--db', self.s.db_path, '--unit',
                'H21.228', '--number', '1', '--name', 'Quầy 1', check=False)
        self.assertTrue(p.returncode == 0 or 'already' in p.stderr, p.stderr)
        _, code, _ = add_kiosk(self.s, unit='H21.228')
        body = enrol_raw(self.s, code).json()
        k = Signer(body['kiosk'], body['secret'])
        r = k.post(self.s, '/api/v1/kiosk/ratings', {'ratings': [
            item('11111111-1111-4111-8111-111111111111', 1,
                 dossier=self.D)]})
        self.assertEqual(r.status, 200, r)
        res = r.json()['results'][0]
        self.assertEqual((res['status'], res['reason']),
                         ('rejected', 'dossier'))
        self.assertEqual(self.handling(), 1.0)
        # a QR code made at H21.228 for H21.227's dossier: the form says
        # why it cannot be used, in Vietnamese, and takes nothing
        url = self.s.hailong('qr', '--db', self.s.db_path, '--unit',
                             'H21.228', '--dossier', self.D, '--format',
                             'url').stdout.strip()
        path = '/q/' + url.split('/q/', 1)[1]
        r = self.s.get(path)
        self.assertEqual(r.status, 403)
        self.assertIn('Hồ sơ không thuộc đơn vị này', r.text)
        # a code without a unit prefix: the form opens; the dossier is
        # then filed under H21.227; the citizen's answer is refused
        code = '000.00.12.H21-261202-0007'
        url = self.s.hailong('qr', '--db', self.s.db_path, '--unit',
                             'H21.228', '--dossier', code, '--format',
                             'url').stdout.strip()
        path = '/q/' + url.split('/q/', 1)[1]
        r = self.s.get(path)
        self.assertEqual(r.status, 200)
        nonce = form_nonce(r.text)
        r = self.s.post_json('/api/v1/dossiers', [dossier(code, 'H21.227')],
                             bearer(self.kprov))
        self.assertEqual(r.json()['accepted'], 1, r)
        r = self.s.post(path, urllib.parse.urlencode(
            {'nonce': nonce, 'level': '1', 'procedure': P1}),
            {'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertEqual(r.status, 403, r.text[:300])
        self.assertIn('Hồ sơ không thuộc đơn vị này', r.text)
        self.assertEqual(self.s.count(
            'SELECT count(*) FROM ratings WHERE dossier = ?', code), 0)
        self.assertEqual(self.s.count(
            'SELECT count(*) FROM ratings WHERE dossier = ?', self.D), 0)

    def test_a_late_dossier_is_judged_by_its_own_units_ratings(self):
        # a code without a unit prefix, rated at H21.228 before the
        # province's feed files it under H21.227: not bad for H21.227
        code = '000.00.12.H21-261120-0005'
        items = self.rate(self.k228, [{
            'id': 'L1', 'unit': 'H21.228', 'level': 1, 'dossier': code,
            'rated_at': '2026-11-21T11:00:00+07:00'}])
        self.assertEqual(items[0]['status'], 'accepted')
        r = self.s.post_json('/api/v1/dossiers', [dossier(
            code, 'H21.227', received_at='2026-11-20T09:00:00+07:00',
            updated_at='2026-11-20T09:00:00+07:00')],
            bearer(self.kprov))
        self.assertEqual(r.json()['accepted'], 1, r)
        got = self.s.hailong('metrics', '--db', self.s.db_path, '--unit',
                             'H21.227', '--month', '2026-11', '--json')
        again = self.s.hailong('metrics', '--db', self.s.db_path, '--unit',
                               'H21.227', '--month', '2026-11', '--json',
                               '--recompute')
        a = json.loads(got.stdout)['total']
        b = json.loads(again.stdout)['total']
        self.assertEqual(a['counts']['bad'], b['counts']['bad'])
        self.assertEqual(a['counts']['bad'], 0)
        # the dossier's own unit's low rating does make it bad
        items = self.rate(self.k227, [{
            'id': 'L2', 'unit': 'H21.227', 'level': 2, 'dossier': code,
            'rated_at': '2026-11-21T12:00:00+07:00'}])
        self.assertEqual(items[0]['status'], 'accepted')
        r = self.s.get('/api/v1/metrics?unit=H21.227&month=2026-11',
                       bearer(self.k227))
        self.assertEqual(r.json()['total']['counts']['bad'], 1)


class NumbersPerUnit(unittest.TestCase):
    """Ballot numbers and import ids are unique per unit, not globally."""

    PW = 'mật khẩu đủ dài 2026'

    @classmethod
    def setUpClass(cls):
        cls.s = Server('--rate-limit-per-min', '0', name='apart-numbers')
        cls.s.start()
        cls.b = {}
        for unit in ('H21.227', 'H21.228'):
            name = 'ql' + unit[-3:]
            run('user', 'add', '--db', cls.s.db_path, '--unit', unit,
                '--role', 'manager', '--name', name, '--password-stdin',
                input=cls.PW + '\n')
            cls.b[unit] = Browser(cls.s).logged_in(name, cls.PW)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def ballot(self, unit, fields):
        b = self.b[unit]
        assert b.get(f'/admin/units/{unit}/kiosks').status == 200
        return b.post_form(f'/admin/units/{unit}/ballots',
                           {**fields, 'csrf': b.csrf()})

    def test_two_communes_number_ballots_from_0001(self):
        one = {'id': '0001', 'rated_at': '02/12/2026', 'level': '5'}
        r = self.ballot('H21.228', one)
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertIn('Đã lưu phiếu', r.text)
        # H21.227's own ballot 0001, another citizen's answer
        r = self.ballot('H21.227', {**one, 'level': '2'})
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertIn('Đã lưu phiếu', r.text)
        self.assertEqual(self.s.count(
            "SELECT count(*) FROM ratings WHERE id = '0001'"), 2)
        # within a unit a number still means one ballot
        r = self.ballot('H21.227', {**one, 'level': '2'})
        self.assertIn('đã được nhập trước đó', r.text)
        r = self.ballot('H21.227', {**one, 'level': '4'})
        self.assertEqual(r.status, 409)
        self.assertIn('chain intact',
                      run('verify-chain', '--db', self.s.db_path).stdout)

    def test_import_ids_are_per_unit(self):
        keys = {u: add_key(self.s, u) for u in ('H21.227', 'H21.228')}
        a = {'id': 'SYS-1', 'level': 4, 'rated_at': '2026-12-02T09:00:00+07:00'}
        for unit, level in (('H21.228', 4), ('H21.227', 1)):
            r = self.s.post_json('/api/v1/ratings',
                                 [{**a, 'unit': unit, 'level': level}],
                                 bearer(keys[unit]))
            self.assertEqual(r.json()['items'][0]['status'], 'accepted', r)
        # the same again: duplicates; other content in a unit: a conflict
        r = self.s.post_json('/api/v1/ratings', [
            {**a, 'unit': 'H21.227', 'level': 1},
            {**a, 'unit': 'H21.227', 'level': 3}], bearer(keys['H21.227']))
        self.assertEqual([i['status'] for i in r.json()['items']],
                         ['duplicate', 'conflict'])
        # one file, both units, the same id: both stored (the CLI)
        path = f'{self.s.dir}/both.csv'
        with open(path, 'w', encoding='utf-8') as f:
            f.write('id,unit,level,rated_at\n'
                    'SYS-2,H21.227,5,2026-12-02T10:00:00+07:00\n'
                    'SYS-2,H21.228,3,2026-12-02T10:00:00+07:00\n')
        run('import', 'ratings', '--db', self.s.db_path, path)
        self.assertEqual(self.s.count(
            "SELECT count(*) FROM ratings WHERE id LIKE 'SYS-%'"), 4)
        self.assertIn('chain intact',
                      run('verify-chain', '--db', self.s.db_path).stdout)


if __name__ == '__main__':
    unittest.main()
