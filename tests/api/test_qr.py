"""QR codes scan to exactly the form's address (decoded by zbarimg)."""
import os
import re
import struct
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zlib

from tests.api.hl import Server, run

PROC = '1.001193'


def zbar(path):
    p = subprocess.run(['zbarimg', '-q', '--raw', path], capture_output=True,
                       text=True, timeout=60)
    return p.stdout.strip()


def png_from_rows(rows, scale=6):
    """A grey PNG from rows of booleans (True = dark), standard library only."""
    h, w = len(rows), len(rows[0])
    raw = b''
    for row in rows:
        line = bytes(0 if dark else 255 for dark in row for _ in range(scale))
        raw += (b'\0' + line) * scale
    def chunk(kind, data):
        c = struct.pack('>I', len(data)) + kind + data
        return c + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    ihdr = struct.pack('>IIBBBBB', w * scale, h * scale, 8, 0, 0, 0, 0)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) +
            chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def rows_from_text(text):
    """The terminal drawing back to modules: ink is a light module."""
    top = {' ': False, '\u2580': True, '\u2584': False, '\u2588': True}
    bot = {' ': False, '\u2580': False, '\u2584': True, '\u2588': True}
    rows = []
    for line in text.rstrip('\n').split('\n'):
        rows.append([not top[ch] for ch in line])
        rows.append([not bot[ch] for ch in line])
    # a wide light border, as a scanner expects around a printed code
    width = len(rows[0]) + 8
    pad = [[False] * width for _ in range(4)]
    return pad + [[False] * 4 + r + [False] * 4 for r in rows] + pad


class Qr(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server('--rate-limit-per-min', '0', name='qr').start()
        cls.tmp = tempfile.mkdtemp()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def qr(self, *args):
        return run('qr', '--db', self.s.db_path, '--unit', 'H21.227', *args)

    def test_cli_png_scans_to_the_form_url(self):
        for args in (['--counter', '1'], ['--counter', '2', '--procedure', PROC],
                     ['--procedure', PROC],
                     ['--counter', '3', '--dossier', 'H21.227-261008-0975'],
                     ['--counter', '1', '--base-url',
                      'https://hailong.vancanh.gialai.gov.vn']):
            with self.subTest(args=args):
                url = self.qr(*args, '--format', 'url').stdout.strip()
                png = os.path.join(self.tmp, 'q.png')
                self.qr(*args, '--format', 'png', '--out', png)
                self.assertEqual(zbar(png), url)
                self.assertRegex(url, r'^https?://[^/]+/q/[A-Za-z0-9_-]+\.'
                                      r'[A-Za-z0-9_-]{22}$')

    def test_scanned_url_opens_the_form(self):
        url = self.qr('--counter', '1', '--base-url', self.s.base,
                      '--format', 'url').stdout.strip()
        png = os.path.join(self.tmp, 'open.png')
        self.qr('--counter', '1', '--base-url', self.s.base, '--format', 'png',
                '--out', png)
        scanned = zbar(png)
        self.assertEqual(scanned, url)
        r = self.s.get(scanned[len(self.s.base):])
        self.assertEqual(r.status, 200)
        self.assertIn('UBND xã Vân Canh', r.text)

    def test_terminal_drawing_scans(self):
        url = self.qr('--counter', '2', '--format', 'url').stdout.strip()
        text = self.qr('--counter', '2', '--format', 'txt').stdout
        png = os.path.join(self.tmp, 'txt.png')
        with open(png, 'wb') as f:
            f.write(png_from_rows(rows_from_text(text)))
        self.assertEqual(zbar(png), url)

    def test_svg_is_well_formed(self):
        svg = self.qr('--counter', '1', '--format', 'svg').stdout
        root = ET.fromstring(svg)
        self.assertTrue(root.tag.endswith('svg'))
        paths = [e for e in root.iter() if e.tag.endswith('path')]
        self.assertEqual(len(paths), 1)
        self.assertGreater(len(paths[0].get('d')), 100)

    def test_server_images_and_poster(self):
        tok = self.s.token(counter=1)
        r = self.s.get(f'/qr/{tok}.png')
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers['content-type'], 'image/png')
        png = os.path.join(self.tmp, 'served.png')
        with open(png, 'wb') as f:
            f.write(r.body)
        # no base_url configured: the server's own address
        self.assertEqual(zbar(png), f'{self.s.base}/q/{tok}')
        r = self.s.get(f'/qr/{tok}.svg')
        self.assertEqual(r.headers['content-type'], 'image/svg+xml')
        ET.fromstring(r.body)
        r = self.s.get(f'/poster/{tok}')
        self.assertEqual(r.status, 200)
        self.assertIn('UBND xã Vân Canh', r.text)
        self.assertIn('Quầy 1 — Hộ tịch, chứng thực', r.text)
        self.assertIn(f'src="/qr/{tok}.svg"', r.text)
        self.assertIn('Quét mã để đánh giá', r.text)
        self.assertIn(f'{self.s.base}/q/{tok}', r.text)
        # a forged token gets no image and no poster
        bad = tok[:-2] + ('AA' if not tok.endswith('AA') else 'BB')
        for path in (f'/qr/{bad}.png', f'/qr/{bad}.svg', f'/poster/{bad}'):
            self.assertEqual(self.s.get(path).status, 404)


if __name__ == '__main__':
    unittest.main()
