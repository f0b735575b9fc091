"""One unit's key cannot reach into another unit's data (issue 22):
dossier codes, the ratings that name dossiers, ballot numbers."""
import unittest

from tests.api.hl import Server

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
        # H21.228's own codes, and codes without a unit prefix, are fine
        items = self.post(self.k228, [
            dossier('H21.228-261203-0001', 'H21.228'),
            dossier('000.00.12.H21-261203-0001', 'H21.228')])
        self.assertEqual([i['status'] for i in items],
                         ['accepted', 'accepted'])

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


if __name__ == '__main__':
    unittest.main()
