"""Signed reports: our signatures verify with stock OpenSSL and ours."""
import os
import re
import stat
import subprocess
import tempfile
import unittest

from tests.api.hl import run


def openssl(*args, **kw):
    return subprocess.run(['openssl', *args], capture_output=True, text=True,
                          timeout=60, **kw)


def stock_verify(d, ca):
    return openssl('cms', '-verify', '-binary', '-inform', 'DER', '-in',
                   f'{d}/report.json.p7s', '-content', f'{d}/report.json',
                   '-CAfile', ca, '-purpose', 'any', '-out', os.devnull
                   ).returncode == 0


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def ours(d, ca):
    return run('report', 'verify', d, '--ca', ca, check=False)


class Sign(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='hailong-sign-')
        cls.keys = os.path.join(cls.tmp, 'keys')
        run('keys', 'demo', '--unit', 'H21.227', '--out', cls.keys)
        run('keys', 'demo', '--unit', 'H21', '--out', cls.keys)
        cls.ca = os.path.join(cls.keys, 'ca.pem')
        cls.db = os.path.join(cls.tmp, 'h.db')
        run('init', '--db', cls.db, '--demo')

    def report_dir(self, unit='H21.227', body=None, real=False):
        """A report directory: a whole report built from the demo
        database (real), else a small report.json (enough for the checks
        before the schema's)."""
        d = tempfile.mkdtemp(dir=self.tmp)
        if real:
            run('report', 'build', '--db', self.db, '--unit', unit,
                '--month', '2026-10', '--as-of',
                '2026-11-01T00:00:00+07:00', '--out', d)
            return d
        with open(f'{d}/report.json', 'w') as f:
            f.write(body or '{"month":"2026-10","ratings":42,"unit":"%s"}\n'
                    % unit)
        return d

    def sign(self, d, unit='H21.227', keys=None, check=True):
        k = keys or self.keys
        return run('report', 'sign', '--key', f'{k}/{unit}.key.pem', '--cert',
                   f'{k}/{unit}.cert.pem', d, check=check)

    def test_demo_keys_are_private_and_name_the_unit(self):
        for name, mode in (('ca.pem', 0o644), ('ca.key.pem', 0o600),
                           ('H21.227.key.pem', 0o600),
                           ('H21.227.cert.pem', 0o644)):
            st = os.stat(os.path.join(self.keys, name))
            self.assertEqual(stat.S_IMODE(st.st_mode), mode, name)
        out = openssl('x509', '-in', f'{self.keys}/H21.227.cert.pem', '-noout',
                      '-subject', '-ext', 'subjectAltName').stdout
        self.assertIn('CN = H21.227', out)
        self.assertIn('URI:urn:hailong:unit:H21.227', out)
        # both units chain to the one demo CA
        for unit in ('H21', 'H21.227'):
            p = openssl('verify', '-CAfile', self.ca,
                        f'{self.keys}/{unit}.cert.pem')
            self.assertEqual(p.returncode, 0, p.stderr)

    def test_signature_verifies_with_openssl_and_hailong(self):
        d = self.report_dir(real=True)
        self.sign(d)
        self.assertTrue(stock_verify(d, self.ca))
        p = ours(d, self.ca)
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn('ok   signature', p.stdout)
        self.assertIn('ok   unit: the certificate names H21.227', p.stdout)

    def test_any_flipped_byte_of_the_report_fails_both(self):
        d = self.report_dir()
        self.sign(d)
        good = read(f'{d}/report.json')
        for i in range(len(good)):
            b = bytearray(good)
            b[i] ^= 0x01
            write(f'{d}/report.json', bytes(b))
            self.assertFalse(stock_verify(d, self.ca), f'openssl, byte {i}')
            self.assertEqual(ours(d, self.ca).returncode, 1, f'byte {i}')

    def test_any_flipped_byte_of_the_signature_fails_hailong(self):
        d = self.report_dir()
        self.sign(d)
        sig = read(f'{d}/report.json.p7s')
        # where the signed parts are: the certificate, the signed
        # attributes and the signature value (openssl asn1parse offsets)
        parsed = openssl('asn1parse', '-inform', 'DER', '-in',
                         f'{d}/report.json.p7s').stdout
        rows = [tuple(int(x) for x in re.match(
            r'\s*(\d+):d=(\d+)\s+hl=(\d+) l=\s*(\d+)', line).groups())
            + (line,) for line in parsed.splitlines()]
        # the signature value, and the message digest it signs
        value = rows[-1]
        digest = next(rows[i + 2] for i, r in enumerate(rows)
                      if 'messageDigest' in r[4])
        signed = set()
        for off, _, hl, ln, _ in (value, digest):
            signed |= set(range(off + hl, off + hl + ln))
        tolerated = []
        for i in range(len(sig)):
            b = bytearray(sig)
            b[i] ^= 0x20
            write(f'{d}/report.json.p7s', bytes(b))
            self.assertEqual(ours(d, self.ca).returncode, 1, f'byte {i}')
            if stock_verify(d, self.ca):
                tolerated.append(i)
        # OpenSSL overlooks a few structural bytes (versions, tags it
        # re-encodes, eContentType, the case of the signer id); hailong
        # refuses every one.  OpenSSL never misses a byte of the digest
        # or of the signature value.
        self.assertEqual(sorted(signed & set(tolerated)), [])

    def test_a_certificate_for_another_unit_fails(self):
        d = self.report_dir(unit='H21.227')
        self.sign(d, unit='H21')
        self.assertTrue(stock_verify(d, self.ca))   # openssl has no idea
        p = ours(d, self.ca)
        self.assertEqual(p.returncode, 1)
        self.assertIn('FAIL unit: the certificate does not name H21.227',
                      p.stdout)

    def test_another_ca_fails(self):
        other = os.path.join(self.tmp, 'other')
        run('keys', 'demo', '--unit', 'H57', '--out', other)
        d = self.report_dir()
        self.sign(d)
        self.assertFalse(stock_verify(d, f'{other}/ca.pem'))
        p = ours(d, f'{other}/ca.pem')
        self.assertEqual(p.returncode, 1)
        self.assertIn('FAIL signature', p.stdout)

    def test_expired_certificate_fails(self):
        ca = os.path.join(self.tmp, 'oldca')
        os.makedirs(ca)
        open(f'{ca}/index.txt', 'w').close()
        with open(f'{ca}/serial', 'w') as f:
            f.write('1000\n')
        with open(f'{ca}/ca.cnf', 'w') as f:
            f.write(f'[ca]\ndefault_ca = d\n[d]\ndatabase = {ca}/index.txt\n'
                    f'new_certs_dir = {ca}\nserial = {ca}/serial\n'
                    'default_md = sha256\npolicy = p\n[p]\n'
                    'commonName = supplied\n')
        key = f'{ca}/H21.227.key.pem'
        p = openssl('req', '-new', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:P-256', '-nodes', '-keyout', key,
                    '-subj', '/CN=H21.227', '-out', f'{ca}/old.csr')
        self.assertEqual(p.returncode, 0, p.stderr)
        os.chmod(key, 0o600)
        p = openssl('ca', '-batch', '-config', f'{ca}/ca.cnf', '-cert',
                    self.ca, '-keyfile', f'{self.keys}/ca.key.pem', '-in',
                    f'{ca}/old.csr', '-out', f'{ca}/H21.227.cert.pem',
                    '-startdate', '20240101000000Z', '-enddate',
                    '20250101000000Z', '-notext')
        self.assertEqual(p.returncode, 0, p.stderr)
        d = self.report_dir()
        self.sign(d, keys=ca)
        self.assertFalse(stock_verify(d, self.ca))
        p = ours(d, self.ca)
        self.assertEqual(p.returncode, 1)
        self.assertIn('certificate has expired', p.stdout)

    def test_an_rsa_certificate_from_a_real_pki_works(self):
        ca = os.path.join(self.tmp, 'rsa')
        os.makedirs(ca)
        key = f'{ca}/H21.227.key.pem'
        p = openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout',
                    key, '-subj', '/O=UBND xã Vân Canh/OU=H21.227/CN=Văn '
                    'phòng', '-utf8', '-out', f'{ca}/r.csr')
        self.assertEqual(p.returncode, 0, p.stderr)
        os.chmod(key, 0o600)
        p = openssl('x509', '-req', '-in', f'{ca}/r.csr', '-CA', self.ca,
                    '-CAkey', f'{self.keys}/ca.key.pem', '-days', '30',
                    '-out', f'{ca}/H21.227.cert.pem')
        self.assertEqual(p.returncode, 0, p.stderr)
        d = self.report_dir(real=True)
        self.sign(d, keys=ca)
        self.assertTrue(stock_verify(d, self.ca))
        p = ours(d, self.ca)
        self.assertEqual(p.returncode, 0, p.stdout)

    def test_the_unit_counts_only_in_cn_ou_or_the_urn(self):
        # issue 22: the unit was taken from any subject attribute or SAN;
        # O, L, an e-mail or a DNS name are what the applicant wrote
        ca = os.path.join(self.tmp, 'elsewhere')
        os.makedirs(ca)
        key = f'{ca}/H21.227.key.pem'
        with open(f'{ca}/ext.cnf', 'w') as f:
            f.write('subjectAltName = DNS:h21.227.example, '
                    'email:H21.227@example.vn, URI:https://x/H21.227\n')
        p = openssl('req', '-new', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:P-256', '-nodes', '-keyout', key,
                    '-subj', '/O=H21.227/L=H21.227/CN=Văn phòng', '-utf8',
                    '-out', f'{ca}/r.csr')
        self.assertEqual(p.returncode, 0, p.stderr)
        os.chmod(key, 0o600)
        p = openssl('x509', '-req', '-in', f'{ca}/r.csr', '-CA', self.ca,
                    '-CAkey', f'{self.keys}/ca.key.pem', '-days', '30',
                    '-extfile', f'{ca}/ext.cnf', '-out',
                    f'{ca}/H21.227.cert.pem')
        self.assertEqual(p.returncode, 0, p.stderr)
        d = self.report_dir(real=True)
        self.sign(d, keys=ca, check=False)
        p = ours(d, self.ca)
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertRegex(p.stdout, r'FAIL[^\n]*unit')

    def test_keys_readable_by_others_are_refused(self):
        k = os.path.join(self.tmp, 'loose')
        run('keys', 'demo', '--unit', 'H21.227', '--out', k)
        os.chmod(f'{k}/H21.227.key.pem', 0o644)
        d = self.report_dir()
        p = self.sign(d, keys=k, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('may be read by others', p.stderr)
        self.assertFalse(os.path.exists(f'{d}/report.json.p7s'))


if __name__ == '__main__':
    unittest.main()
