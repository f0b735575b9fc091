"""opslib.py -- helpers of the operations tests (install, TLS, backups ...).

    rate(s, level=4, comment=None, phone=None)   a rating through the real form
    prometheus(text)                              parse GET /metrics strictly
    TlsServer(cert, key)                          Server that serves HTTPS
"""
import http.client
import os
import re
import ssl
import subprocess

from tests.api.hl import Response, Server, form_nonce

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROC = '1.001193'


def rate(s, level=4, comment=None, phone=None, headers=None, tok=None):
    """Post one rating through GET+POST /q/<token>; returns (response, nonce)."""
    tok = tok or s.token(counter=2, procedure=PROC)
    nonce = form_nonce(s.get('/q/' + tok).text)
    fields = {'nonce': nonce, 'level': str(level)}
    if comment is not None:
        fields['comment'] = comment
    if phone is not None:
        fields['phone'] = phone
        fields['consent'] = '1'
    return s.post_form('/q/' + tok, fields, headers=headers), nonce


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def prometheus(text):
    """Parse the text format strictly: every sample's family has a TYPE
    line before it, labels are well formed, values are numbers.  Returns
    {(name, ((label, value), ...)): float}."""
    types, out = {}, {}
    for line in text.splitlines():
        if line.startswith('# TYPE '):
            _, _, name, kind = line.split(' ', 3)
            assert kind in ('counter', 'gauge', 'histogram'), line
            assert name not in types, f'two TYPE lines for {name}'
            types[name] = kind
            continue
        if line.startswith('# HELP ') or line == '':
            continue
        assert not line.startswith('#'), line
        m = _SAMPLE.match(line)
        assert m, f'not a sample line: {line!r}'
        name, labels = m.group(1), ()
        if m.group(3):
            pairs, rest = [], m.group(3)
            while rest:
                lm = _LABEL.match(rest)
                assert lm, f'bad labels in {line!r}'
                pairs.append((lm.group(1), lm.group(2)))
                rest = rest[lm.end():]
            labels = tuple(sorted(pairs))
        family = re.sub(r'_(bucket|sum|count)$', '', name)
        assert name in types or family in types, f'no TYPE for {name}'
        key = (name, labels)
        assert key not in out, f'duplicate sample {line!r}'
        out[key] = float(m.group(4))
    return out


def metric(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))


class TlsServer(Server):
    """A Server started with --tls-cert/--tls-key; HTTPS requests trust
    only the given certificate."""

    def __init__(self, cert, key, *args, **kw):
        super().__init__('--tls-cert', cert, '--tls-key', key, *args, **kw)
        self.ctx = ssl.create_default_context(cafile=cert)

    scheme = 'https'

    def get_tls(self, path):
        # the certificate names 127.0.0.1, which is checked
        conn = http.client.HTTPSConnection('127.0.0.1', self.port,
                                           context=self.ctx, timeout=30)
        try:
            conn.request('GET', path)
            r = conn.getresponse()
            return Response(r.status, {k.lower(): v for k, v in
                                       r.getheaders()}, r.read())
        finally:
            conn.close()


def make_cert(directory):
    """A self-signed P-256 certificate for localhost and 127.0.0.1, made
    with the openssl command; returns (cert, key), the key mode 0600."""
    cert = os.path.join(directory, 'cert.pem')
    key = os.path.join(directory, 'key.pem')
    subprocess.run(
        ['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
         'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert,
         '-days', '2', '-subj', '/CN=localhost', '-addext',
         'subjectAltName=DNS:localhost,IP:127.0.0.1'],
        check=True, capture_output=True, timeout=60)
    os.chmod(key, 0o600)
    return cert, key
