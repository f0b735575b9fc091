"""API keys: made once, stored hashed, scoped, revoked, rate-limited."""
import hashlib
import re
import unittest

from tests.api.hl import Server, run


def add_key(s, unit, *extra, check=True):
    return run('apikey', 'add', '--db', s.db_path, '--unit', unit, *extra,
               check=check)


def metrics(s, key, unit='H21.227'):
    return s.get(f'/api/v1/metrics?unit={unit}&month=2025-10',
                 {'Authorization': 'Bearer ' + key})


class Keys(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='apikey').start()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def test_made_once_stored_hashed(self):
        out = add_key(self.s, 'H21.227', '--label', 'Một cửa điện tử').stdout
        key = out.strip().splitlines()[-1]
        self.assertRegex(key, r'^hlk_[A-Za-z0-9_-]{43}$')
        with self.s.db() as c:
            row = c.execute('SELECT * FROM api_keys ORDER BY id DESC '
                            'LIMIT 1').fetchone()
            dump = '\n'.join(c.iterdump())
        self.assertEqual(row['hash'], hashlib.sha256(key.encode()).digest())
        self.assertEqual(row['prefix'], key[:12])
        self.assertEqual(row['unit'], 'H21.227')
        self.assertEqual(row['label'], 'Một cửa điện tử')
        self.assertNotIn(key, dump)  # nowhere in the database
        listing = run('apikey', 'list', '--db', self.s.db_path).stdout
        self.assertIn(key[:12] + '...', listing)
        self.assertNotIn(key, listing)
        self.assertIn('Một cửa điện tử', listing)
        self.assertEqual(metrics(self.s, key).status, 200)
        with self.s.db() as c:
            a = c.execute("SELECT target, detail FROM audit WHERE action = "
                          "'apikey.add' ORDER BY seq DESC").fetchone()
        self.assertEqual(a['target'], f'apikey:{row["id"]}')
        self.assertNotIn(key, a['detail'])
        self.assertNotIn(key, self.s.logs())

    def test_scope_is_the_unit_and_below(self):
        key = add_key(self.s, 'H21').stdout.strip().splitlines()[-1]
        for unit in ('H21', 'H21.227', 'H21.01'):
            self.assertEqual(metrics(self.s, key, unit).status, 200, unit)
        for unit in ('H26', 'G01', 'H99'):
            self.assertEqual(metrics(self.s, key, unit).status, 404, unit)

    def test_a_read_only_key_cannot_submit_or_import(self):
        out = add_key(self.s, 'H21', '--scope', 'metrics',
                      '--label', 'bảng điều khiển').stdout
        key = out.strip().splitlines()[-1]
        kid = re.match(r'API key (\d+)', out).group(1)
        auth = {'Authorization': 'Bearer ' + key}
        self.assertEqual(metrics(self.s, key).status, 200)
        n = self.s.count('SELECT count(*) FROM ratings')
        for path, body in (
                ('/api/v1/reports', {'report_json': 'AA', 'report_p7s': 'AA'}),
                ('/api/v1/ratings', [{'id': 'RO1', 'unit': 'H21.227',
                                      'level': 1}]),
                ('/api/v1/dossiers', [])):
            r = self.s.post_json(path, body, auth)
            self.assertEqual((r.status, r.json()['error']),
                             (403, 'insufficient_scope'), path)
            self.assertIn('metrics', r.json()['message'])
        self.assertEqual(self.s.count('SELECT count(*) FROM ratings'), n)
        self.assertIn('metrics', [l for l in run(
            'apikey', 'list', '--db', self.s.db_path).stdout.splitlines()
            if l.startswith(kid + ' ')][0])
        # widened: submitting passes the key check (then this server,
        # without report_ca, accepts no reports); importing still not
        r = run('apikey', 'scope', '--db', self.s.db_path, '--scope',
                'metrics,reports', kid)
        self.assertIn('metrics,reports', r.stdout)
        r = self.s.post_json('/api/v1/reports', {}, auth)
        self.assertEqual((r.status, r.json()['error']),
                         (503, 'not_configured'))
        r = self.s.post_json('/api/v1/ratings', [], auth)
        self.assertEqual(r.status, 403)
        # an import-only key reads no figures
        key2 = add_key(self.s, 'H21.227', '--scope', 'import'
                       ).stdout.strip().splitlines()[-1]
        self.assertEqual(metrics(self.s, key2).status, 403)
        with self.s.db() as c:
            a = c.execute("SELECT detail FROM audit WHERE action = "
                          "'apikey.scope' ORDER BY seq DESC").fetchone()
        self.assertIn('metrics,reports', a['detail'])
        # bad lists are refused
        for bad in ('', 'read', 'metrics,', 'metrics,,import'):
            r = add_key(self.s, 'H21', '--scope', bad, check=False)
            self.assertEqual(r.returncode, 2, bad)
            self.assertIn('--scope', r.stderr)

    def test_revoked_at_once(self):
        out = add_key(self.s, 'H21.227').stdout.strip().splitlines()
        key = out[-1]
        kid = re.match(r'API key (\d+)', out[0]).group(1)
        self.assertEqual(metrics(self.s, key).status, 200)
        r = run('apikey', 'revoke', '--db', self.s.db_path, kid)
        self.assertIn(f'API key {kid} revoked', r.stdout)
        r = metrics(self.s, key)
        self.assertEqual(r.status, 401)
        self.assertEqual(r.json()['error'], 'unauthorized')
        r = run('apikey', 'revoke', '--db', self.s.db_path, kid, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn('no such key, or it is revoked already', r.stderr)
        self.assertIn('revoked ', run('apikey', 'list', '--db',
                                      self.s.db_path).stdout)

    def test_malformed_credentials(self):
        for h in ('Bearer', 'Bearer ', 'Basic abc', 'Bearer hlk_short',
                  'Bearer ' + 'x' * 47, 'Bearer hlk_' + 'A' * 43 + ' x'):
            r = self.s.get('/api/v1/metrics?unit=H21&month=2025-10',
                           {'Authorization': h})
            self.assertEqual(r.status, 401, h)


class Usage(unittest.TestCase):
    def test_cli_usage(self):
        s = Server(name='apikey-cli')
        try:
            r = run('apikey', 'add', '--db', s.db_path, '--unit', 'H99',
                    check=False)
            self.assertEqual(r.returncode, 1)
            self.assertIn("unknown unit 'H99'", r.stderr)
            r = run('apikey', 'add', '--db', s.db_path, check=False)
            self.assertEqual(r.returncode, 2)
            r = run('apikey', 'add', '--db', s.db_path, '--unit', 'H21',
                    '--label', 'a\tb', check=False)
            self.assertEqual(r.returncode, 1)
            r = run('apikey', 'revoke', '--db', s.db_path, 'x', check=False)
            self.assertEqual(r.returncode, 2)
            self.assertIn('no API keys', run('apikey', 'list', '--db',
                                             s.db_path).stdout)
        finally:
            s.__exit__(None, None, None)


class FailureLimit(unittest.TestCase):
    """N failed attempts per address per 10 minutes, then 429 for all."""

    def test_failures_are_limited(self):
        with Server('--apikey-failure-limit', '20',
                    name='apikey-limit') as s:
            good = add_key(s, 'H21').stdout.strip().splitlines()[-1]
            # successes never add up: the count starts again after each
            for _ in range(25):
                self.assertEqual(metrics(s, good).status, 200)
            bad = 'hlk_' + 'B' * 43
            for i in range(20):
                self.assertEqual(metrics(s, bad).status, 401, i)
            r = metrics(s, bad)
            self.assertEqual(r.status, 429)
            self.assertEqual(r.json()['error'], 'too_many_requests')
            self.assertGreater(int(r.headers['retry-after']), 0)
            # past the limit even the right key waits
            self.assertEqual(metrics(s, good).status, 429)
            r = s.post_json('/api/v1/ratings', [],
                            {'Authorization': 'Bearer ' + good})
            self.assertEqual(r.status, 429)


if __name__ == '__main__':
    unittest.main()
