"""HTTPS through libmicrohttpd (GnuTLS), with a certificate made by openssl."""
import os
import re
import ssl
import subprocess
import tempfile
import unittest
import http.client

from tests.api.hl import BIN, Server, run
from tests.api.opslib import TlsServer, make_cert


class Tls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix='hailong-tls-')
        cls.cert, cls.key = make_cert(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_healthz_over_https_with_hsts(self):
        with TlsServer(self.cert, self.key, demo=False, name='tls') as s:
            r = s.get_tls('/healthz')
            self.assertEqual(r.status, 200)
            self.assertEqual(r.body, b'ok\n')
            # HSTS only when hailong itself terminates TLS
            self.assertEqual(r.headers.get('strict-transport-security'),
                             'max-age=31536000')
            # a client that does not trust the certificate is refused
            strict = http.client.HTTPSConnection(
                '127.0.0.1', s.port, timeout=10,
                context=ssl.create_default_context())
            with self.assertRaises(ssl.SSLError):
                strict.request('GET', '/healthz')
            strict.close()
            # plain HTTP to the TLS port gets no HTTP answer
            plain = http.client.HTTPConnection('127.0.0.1', s.port,
                                               timeout=10)
            with self.assertRaises((http.client.HTTPException, OSError)):
                plain.request('GET', '/healthz')
                plain.getresponse().read()
            plain.close()

    def test_only_tls_1_2_and_up(self):
        # issue 22 item 12: TLS 1.0 was accepted.  SECLEVEL=0 lets the
        # client offer the old versions, so that only the server refuses
        def handshake(s, flag):
            p = subprocess.run(
                ['openssl', 's_client', '-connect', f'127.0.0.1:{s.port}',
                 flag, '-cipher', 'DEFAULT@SECLEVEL=0'],
                input='', capture_output=True, text=True, timeout=60)
            # 'New, TLSv1.2, Cipher is ...'; a refusal: 'New, (NONE), ...'
            m = re.search(r'New, (TLSv[\d.]+), Cipher', p.stdout)
            return p.returncode == 0 and m is not None, \
                m.group(1) if m else None
        with TlsServer(self.cert, self.key, demo=False, name='tls-vers') as s:
            self.assertFalse(handshake(s, '-tls1')[0])
            self.assertFalse(handshake(s, '-tls1_1')[0])
            self.assertEqual(handshake(s, '-tls1_2'), (True, 'TLSv1.2'))
            self.assertEqual(handshake(s, '-tls1_3'), (True, 'TLSv1.3'))

    def test_key_readable_by_others_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            key = os.path.join(d, 'open-key.pem')
            with open(self.key, 'rb') as f, open(key, 'wb') as g:
                g.write(f.read())
            os.chmod(key, 0o644)
            s = Server(demo=False, name='tls-open-key')
            try:
                p = subprocess.run(
                    [BIN, 'serve', '--db', s.db_path, '--listen',
                     '127.0.0.1:0', '--tls-cert', self.cert, '--tls-key',
                     key], capture_output=True, text=True, timeout=30)
            finally:
                s.__exit__(None, None, None)
            self.assertEqual(p.returncode, 1)
            self.assertNotIn('listening', p.stdout)
            self.assertIn(f"'{key}' may be read by others (mode 644)",
                          p.stderr)
            self.assertIn('chmod 600', p.stderr)
            # config check says the same, with the line
            conf = os.path.join(d, 'h.conf')
            with open(conf, 'w') as f:
                f.write(f'db = {d}/x.db\ntls_cert = {self.cert}\n'
                        f'tls_key = {key}\n')
            p = run('config', 'check', '--config', conf, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn(f'{conf}:3: tls_key:', p.stderr)

    def test_cert_without_key_is_a_usage_error(self):
        p = run('serve', '--db', '/nonexistent.db', '--tls-cert', self.cert,
                check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn('tls_cert and tls_key go together', p.stderr)


if __name__ == '__main__':
    unittest.main()
