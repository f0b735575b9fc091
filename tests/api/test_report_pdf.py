"""report.pdf, its PDF signature and the evidence bundle, with the real
CLI and the real tools an office would use: pdftotext, pdffonts, pdfsig
(poppler-utils) and openssl.

The commune's month (October 2025): thirteen ratings, levels
5 5 5 4 4 4 4 3 3 2 2 1 1, so 7 of 13 satisfied = 0.5385 -> "53,9 %"
(below the 90 % threshold, with n >= n_min = 10: the flag "Tỷ lệ hài lòng
thấp"); the four at levels 1-2 name the reason "wait" ("Phải chờ lâu").
"""
import datetime
import decimal
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import unittest
import zipfile

from tests.api.hl import ROOT, run

MONTH = '2025-10'
AS_OF = '2025-11-05T00:00:00+07:00'
LEVELS = [5, 5, 5, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1]


def tool(*args, **kw):
    return subprocess.run(list(args), capture_output=True, timeout=120,
                          **kw)


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def vi_number(v, places):
    """A number the Vietnamese way, as fmt.h writes it: rounded half away
    from zero, '.' between thousands, ',' before the decimals."""
    q = decimal.Decimal(str(v)).quantize(
        decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    whole, _, frac = f'{q:f}'.partition('.')
    neg = whole.startswith('-')
    whole = whole.lstrip('-')
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    s = '.'.join(groups) + (',' + frac if frac else '')
    return ('-' if neg else '') + s


def vi_percent(share, places=1):
    """The published share (4 decimals) as a percentage: 0.5385 is
    "53,9 %" (exactly 53.85, rounded half away from zero)."""
    return vi_number(decimal.Decimal(str(share)) * 100, places) + '\u00a0%'


class ReportPdf(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='hailong-pdf-')
        cls.keys = os.path.join(cls.tmp, 'keys')
        run('keys', 'demo', '--unit', 'H21.227', '--out', cls.keys)
        cls.ca = os.path.join(cls.keys, 'ca.pem')
        cls.db = os.path.join(cls.tmp, 'h.db')
        run('init', '--db', cls.db, '--demo')
        ratings = []
        for i, level in enumerate(LEVELS):
            r = {'id': f'R{i}', 'unit': 'H21.227', 'counter': 1,
                 'procedure': '1.001193', 'level': level,
                 'rated_at': f'2025-10-{10 + i:02d}T09:00:00+07:00'}
            if level <= 2:
                r['reasons'] = 'wait'
            ratings.append(r)
        src = os.path.join(cls.tmp, 'ratings.json')
        with open(src, 'w') as f:
            json.dump(ratings, f)
        run('import', 'ratings', '--db', cls.db, '--format', 'json', src)
        # the administrative code, from the national list
        run('unit', 'import', '--db', cls.db, '--only', 'H21.227',
            os.path.join(ROOT, 'data', 'vn-units-2025.csv'))
        # a review opened on 06/10/2025 and resolved on 20/10/2025 (the
        # console opens them; its rows are what the report reads), and
        # one of September that stays out of October's report
        db = sqlite3.connect(cls.db)
        for month, opened, resolved, action in (
                (202510, '2025-10-06', '2025-10-20',
                 'Bố trí thêm cán bộ vào giờ cao điểm'),
                (202509, '2025-09-03', None, '')):
            t0 = int(datetime.datetime.fromisoformat(
                opened + 'T09:00:00+07:00').timestamp())
            t1 = None if resolved is None else int(
                datetime.datetime.fromisoformat(
                    resolved + 'T09:00:00+07:00').timestamp())
            db.execute(
                'INSERT INTO reviews(unit, procedure, month, flags, owner, '
                'due_date, status, action, created_at, created_by, '
                'updated_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '
                '?, ?, ?, ?)',
                ('H21.227', '1.001193', month, 'LOW_SATISFACTION',
                 'truongphong', '2025-10-31',
                 'open' if t1 is None else 'resolved', action, t0,
                 'user:truongphong', t1 or t0, t1))
        db.commit()
        db.close()
        cls.a = cls.build()
        cls.b = cls.build()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def build(cls):
        d = tempfile.mkdtemp(dir=cls.tmp)
        run('report', 'build', '--db', cls.db, '--unit', 'H21.227',
            '--month', MONTH, '--as-of', AS_OF, '--out', d)
        return d

    def signed_copy(self):
        d = tempfile.mkdtemp(dir=self.tmp)
        for name in os.listdir(self.a):
            shutil.copy(os.path.join(self.a, name), d)
        out = run('report', 'sign', '--key', f'{self.keys}/H21.227.key.pem',
                  '--cert', f'{self.keys}/H21.227.cert.pem', d)
        self.assertIn('report.signed.pdf', out.stdout)
        return d

    # -- the PDF as built ---------------------------------------------------

    def test_same_bytes_for_the_same_data_and_as_of(self):
        pdf = read(f'{self.a}/report.pdf')
        self.assertTrue(pdf.startswith(b'%PDF-1.5'), pdf[:10])
        self.assertEqual(pdf, read(f'{self.b}/report.pdf'))
        # the report's instant is the creation date, not the clock
        # (cairo 1.16 writes it without the "D:" prefix)
        self.assertIn(b"/CreationDate (20251105000000+07'00)", pdf)

    def test_fonts_are_embedded(self):
        out = tool('pdffonts', f'{self.a}/report.pdf').stdout.decode()
        rows = [ln for ln in out.splitlines()[2:] if ln.strip()]
        self.assertTrue(rows, out)
        for ln in rows:
            self.assertIn('DejaVuSans', ln)
            # columns: name type encoding emb sub uni object ID
            self.assertEqual(ln.split()[-5:-3], ['yes', 'yes'], ln)

    def test_text_is_vietnamese_and_searchable(self):
        doc = json.loads(read(f'{self.a}/report.json'))
        total = doc['total']
        text = tool('pdftotext', f'{self.a}/report.pdf',
                    '-').stdout.decode('utf-8')
        flat = ' '.join(text.split())
        # figures computed from report.json, written the Vietnamese way
        self.assertEqual(total['ratings'], 13)
        self.assertEqual(total['satisfied_rate'], 0.5385)
        self.assertEqual(vi_percent(total['satisfied_rate']), '53,9\u00a0%')
        self.assertEqual(total['flags'], ['LOW_SATISFACTION'])
        expect = [
            'UBND xã Vân Canh', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
            'Độc lập - Tự do - Hạnh phúc', 'BÁO CÁO', 'tháng 10/2025',
            'từ 01/10/2025 đến hết 31/10/2025', '05/11/2025 00:00',
            'Số đánh giá hợp lệ', vi_percent(total['satisfied_rate']),
            vi_percent(total['dissatisfied_rate']),
            vi_number(total['mean_level'], 2),
            'Rất hài lòng (5)', '3 (23,1\u00a0%)', 'Phải chờ lâu 4',
            'Điểm theo Bộ chỉ số 766', 'Tổng điểm',
            vi_number(sum(total['points'].values()), 2),
            'Phải chờ lâu', 'Cảnh báo', 'Hài lòng thấp',
            'Rà soát mở và kết thúc trong kỳ',
            'Phạm vi số liệu và phần không tính',
            doc['ratings_chain']['head'],
        ]
        # the reviews of the period with owners and actions; not
        # September's
        expect += ['Mã đơn vị hành chính 21994', 'truongphong',
                   '06/10/2025 – 20/10/2025',
                   'Đã xử lý xong: Bố trí thêm cán bộ vào giờ cao điểm',
                   'ngày 05 tháng 11 năm 2025', 'THỦ TRƯỞNG ĐƠN VỊ']
        self.assertNotIn('03/09/2025', flat)
        # flags in words for the unit, its procedure and its counter
        self.assertIn('Toàn đơn vị: Hài lòng thấp', flat)
        self.assertIn('Thủ tục 1.001193', flat)
        self.assertIn('Quầy 1 (H21.227)', flat)
        ci = total['satisfied_rate_ci']
        expect.append(f'{vi_percent(ci[0])} – {vi_percent(ci[1])}')
        for want in expect:
            # a percentage's no-break space (fmt.h) reads as a space
            self.assertIn(' '.join(want.split()), flat)
        # never a decimal point in a figure, never an English flag code
        self.assertNotIn('53.9', flat)
        self.assertNotIn('LOW_SATISFACTION', flat)

    def test_html_reads_like_the_pdf(self):
        doc = json.loads(read(f'{self.a}/report.json'))
        html = read(f'{self.a}/report.html').decode('utf-8')
        self.assertEqual(html, read(f'{self.b}/report.html').decode())
        for want in ('<td>21994</td>', '<td>tháng 10/2025</td>',
                     '53,9\u00a0%', 'Hài lòng thấp', 'Tổng điểm',
                     '<svg viewBox="0 0 640 120"',   # the levels
                     'aria-label="Tỷ lệ hài lòng 12 tháng"',
                     '>10/2025</text>',
                     'Bố trí thêm cán bộ vào giờ cao điểm',
                     'Bản HTML này không mang chữ ký số'):
            self.assertIn(want, html)
        self.assertNotIn('Báo cáo có chữ ký số', html)
        # the unit's flag and its procedure's and counter's, in words
        self.assertEqual(html.count('<ul>'), html.count('</ul>'))
        self.assertIn('Thủ tục 1.001193 ', html)
        self.assertIn('Quầy 1 (H21.227)', html)
        self.assertNotIn('0.5385', html)
        self.assertNotIn('>LOW_SATISFACTION<', html)
        self.assertNotIn(doc['as_of'], html)
        # the CSV: a row of words, then the machine keys
        lines = read(f'{self.a}/report.csv').decode('utf-8-sig').split(
            '\r\n')
        self.assertTrue(lines[0].startswith('Phạm vi,Mã,Đơn vị,Quầy,Tên,'))
        self.assertIn('Rất hài lòng (5)', lines[0])
        self.assertTrue(lines[1].startswith('scope,code,unit,counter,name,'))
        self.assertIn('by_level[4]', lines[1])

    # -- the PDF signature ------------------------------------------------

    def test_pdfsig_valid_then_a_flipped_byte_is_caught(self):
        d = self.signed_copy()
        signed = read(f'{d}/report.signed.pdf')
        # the built file is untouched, and the signed one extends it
        self.assertEqual(read(f'{d}/report.pdf'), read(f'{self.a}/report.pdf'))
        self.assertTrue(signed.startswith(read(f'{d}/report.pdf')))
        out = tool('pdfsig', f'{d}/report.signed.pdf').stdout.decode()
        self.assertIn('Signature Validation: Signature is Valid.', out)
        self.assertIn('Total document signed', out)
        self.assertIn('ETSI.CAdES.detached', out)
        self.assertIn('CN=H21.227', out)
        ok = run('report', 'verify', d, '--ca', self.ca, check=False)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        self.assertIn('ok   pdf:', ok.stdout)
        # one byte inside the signed range (the first page's objects)
        bad = bytearray(signed)
        bad[2000] ^= 0x01
        write(f'{d}/report.signed.pdf', bytes(bad))
        out = tool('pdfsig', f'{d}/report.signed.pdf').stdout.decode()
        self.assertNotIn('Signature is Valid', out)
        self.assertIn('Signature Validation:', out)
        r = run('report', 'verify', d, '--ca', self.ca, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn('FAIL pdf:', r.stdout)

    def test_verify_refuses_bytes_appended_after_signing(self):
        d = self.signed_copy()
        write(f'{d}/report.signed.pdf',
              read(f'{d}/report.signed.pdf') + b'\n% more\n')
        r = run('report', 'verify', d, '--ca', self.ca, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn('does not cover the whole file', r.stdout)

    def test_verify_needs_the_signed_pdf(self):
        d = self.signed_copy()
        os.unlink(f'{d}/report.signed.pdf')
        r = run('report', 'verify', d, '--ca', self.ca, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn('FAIL pdf:', r.stdout)

    def test_building_again_drops_the_old_signatures(self):
        d = self.signed_copy()
        run('report', 'build', '--db', self.db, '--unit', 'H21.227',
            '--month', MONTH, '--as-of', AS_OF, '--out', d)
        self.assertFalse(os.path.exists(f'{d}/report.signed.pdf'))
        self.assertFalse(os.path.exists(f'{d}/report.json.p7s'))

    # -- the evidence bundle ------------------------------------------------

    def test_bundle_holds_exactly_the_evidence(self):
        d = self.signed_copy()
        z = os.path.join(self.tmp, 'evidence.zip')
        out = run('report', 'bundle', d, '--out', z)
        self.assertIn('bundled', out.stdout)
        with zipfile.ZipFile(z) as zf:
            self.assertEqual(sorted(zf.namelist()), sorted([
                'report.signed.pdf', 'report.json', 'report.json.p7s',
                'report.csv', 'report.xlsx', 'README.txt']))
            x = tempfile.mkdtemp(dir=self.tmp)
            zf.extractall(x)
            readme = zf.read('README.txt').decode('utf-8')
        self.assertIn('openssl cms -verify', readme)
        self.assertIn('pdfsig report.signed.pdf', readme)
        self.assertIn('UBND xã Vân Canh', readme)
        self.assertIn('tháng 10/2025', readme)
        for name in ('report.signed.pdf', 'report.json', 'report.json.p7s'):
            self.assertEqual(read(f'{x}/{name}'), read(f'{d}/{name}'))
        r = tool('openssl', 'cms', '-verify', '-binary', '-inform', 'DER',
                 '-in', f'{x}/report.json.p7s', '-content',
                 f'{x}/report.json', '-CAfile', self.ca, '-purpose', 'any',
                 '-out', os.devnull)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = tool('pdfsig', f'{x}/report.signed.pdf').stdout.decode()
        self.assertIn('Signature is Valid.', out)
        self.assertEqual(os.listdir(os.path.dirname(z)).count(
            'evidence.zip'), 1)
        self.assertEqual([n for n in os.listdir(self.tmp)
                          if n.startswith('evidence.zip.')], [])

    def test_bundle_refuses_what_is_not_a_signed_report(self):
        z = os.path.join(self.tmp, 'nothing.zip')
        empty = tempfile.mkdtemp(dir=self.tmp)
        r = run('report', 'bundle', empty, '--out', z, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn('not a report directory', r.stderr)
        self.assertFalse(os.path.exists(z))
        # built but not signed
        r = run('report', 'bundle', self.b, '--out', z, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn('not signed', r.stderr)
        self.assertFalse(os.path.exists(z))
        # signed, but report.json is not a report
        d = self.signed_copy()
        write(f'{d}/report.json', b'{"unit": "H21.227"}\n')
        r = run('report', 'bundle', d, '--out', z, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn('not a report', r.stderr)
        self.assertFalse(os.path.exists(z))
        self.assertEqual([n for n in os.listdir(self.tmp)
                          if n.startswith('nothing.zip')], [])
        # no --out
        r = run('report', 'bundle', d, check=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn('--out', r.stderr)


if __name__ == '__main__':
    unittest.main()
