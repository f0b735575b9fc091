"""Signed monthly reports, end to end: build, sign, verify, submit upward.

A commune (H21.227) and its province (H21) each run their own hailong with
their own database on 127.0.0.1.  The commune's month (October 2025) and
the province's own data are small enough to add up by hand; every
expectation below is written next to its arithmetic.
"""
import base64
import csv
import datetime
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import zipfile

from tests.api.hl import ROOT, Browser, Server, run
from tests.api.schemacheck import check

MONTH = '2025-10'
AS_OF = '2025-11-05T00:00:00+07:00'
P1, P2 = '1.001193', '1.003583'
HEADER = ('code,procedure,unit,channel,received_at,due_at,finished_at,'
          'supplement_requests,supplement_seconds,corrections,full_online,'
          'digitized,complaint,updated_at')

# The commune: 3 ratings (levels 5, 4, 2) and 2 dossiers.
COMMUNE_RATINGS = [
    {'id': 'C1', 'unit': 'H21.227', 'counter': 1, 'procedure': P1,
     'level': 5, 'rated_at': '2025-10-06T09:00:00+07:00'},
    {'id': 'C2', 'unit': 'H21.227', 'counter': 1, 'procedure': P1,
     'level': 4, 'rated_at': '2025-10-07T09:00:00+07:00'},
    {'id': 'C3', 'unit': 'H21.227', 'counter': 2, 'procedure': P2,
     'level': 2, 'rated_at': '2025-10-08T09:00:00+07:00'},
]
COMMUNE_DOSSIERS = [
    # online (channel 2), finished before due: on time
    'H21.227-251001-0001,1.001193,H21.227,2,2025-10-01T08:00:00+07:00,'
    '2025-10-10T17:00:00+07:00,2025-10-09T10:00:00+07:00,0,0,0,1,1,0,'
    '2025-10-09T10:00:00+07:00',
    # at the counter (1), finished after due: late
    'H21.227-251002-0002,1.001193,H21.227,1,2025-10-02T08:00:00+07:00,'
    '2025-10-05T17:00:00+07:00,2025-10-12T17:00:00+07:00,0,0,0,0,1,0,'
    '2025-10-12T17:00:00+07:00',
]
# The province's own database: the province itself (levels 5 and 1, one
# online dossier), another commune it holds the rows of (level 4), and a
# copy of one H21.227 rating (level 3) that the commune's signed report
# must replace, not add to.
PROVINCE_RATINGS = [
    {'id': 'P1', 'unit': 'H21', 'level': 5, 'procedure': P1,
     'rated_at': '2025-10-10T09:00:00+07:00'},
    {'id': 'P2', 'unit': 'H21', 'level': 1,
     'rated_at': '2025-10-11T09:00:00+07:00'},
    {'id': 'P3', 'unit': 'H21.101', 'level': 4,
     'rated_at': '2025-10-12T09:00:00+07:00'},
    {'id': 'P4', 'unit': 'H21.227', 'level': 3,
     'rated_at': '2025-10-13T09:00:00+07:00'},
]
PROVINCE_DOSSIERS = [
    'H21-251003-0001,1.001193,H21,2,2025-10-03T08:00:00+07:00,,,'
    '0,0,0,0,0,0,2025-10-03T08:00:00+07:00',
]


def openssl(*args):
    return subprocess.run(['openssl', *args], capture_output=True, text=True,
                          timeout=60)


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


def bearer(key):
    return {'Authorization': 'Bearer ' + key}


def add_key(s, unit):
    return s.hailong('apikey', 'add', '--db', s.db_path, '--unit',
                     unit).stdout.strip().splitlines()[-1]


def feed(s, key, ratings, dossiers):
    body = HEADER + '\r\n' + '\r\n'.join(dossiers) + '\r\n'
    r = s.post('/api/v1/dossiers', body,
               {**bearer(key), 'Content-Type': 'text/csv'})
    assert r.status == 200 and r.json()['accepted'] == len(dossiers), r
    r = s.post_json('/api/v1/ratings', ratings, bearer(key))
    assert r.status == 200 and r.json()['accepted'] == len(ratings), r


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


class Reports(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='hailong-reports-')
        cls.keys = os.path.join(cls.tmp, 'keys')
        for unit in ('H21.227', 'H21.101', 'H21'):
            run('keys', 'demo', '--unit', unit, '--out', cls.keys)
        cls.ca = os.path.join(cls.keys, 'ca.pem')
        # the commune
        cls.commune = Server(name='commune').start()
        cls.ckey = add_key(cls.commune, 'H21.227')
        feed(cls.commune, cls.ckey, COMMUNE_RATINGS, COMMUNE_DOSSIERS)
        # the province trusts the demo CA
        # the submission limit test_body_limit_and_rate_limit tests
        cls.province = Server('--report-ca', cls.ca,
                              '--report-submissions-per-hour', '60',
                              name='province')
        cls.province.start()
        cls.pkey = add_key(cls.province, 'H21')
        feed(cls.province, cls.pkey, PROVINCE_RATINGS, PROVINCE_DOSSIERS)
        # the key the province issues for the commune
        cls.up_key = add_key(cls.province, 'H21.227')

    @classmethod
    def tearDownClass(cls):
        cls.commune.__exit__(None, None, None)
        cls.province.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # -- helpers -------------------------------------------------------------

    def build(self, s=None, unit='H21.227', as_of=AS_OF, month=MONTH):
        s = s or self.commune
        d = tempfile.mkdtemp(dir=self.tmp)
        args = ['report', 'build', '--db', s.db_path, '--unit', unit,
                '--month', month, '--out', d]
        if as_of:
            args += ['--as-of', as_of]
        run(*args)
        return d

    def sign(self, d, unit='H21.227'):
        run('report', 'sign', '--key', f'{self.keys}/{unit}.key.pem',
            '--cert', f'{self.keys}/{unit}.cert.pem', d)

    def verify(self, d, ca=None):
        return run('report', 'verify', d, '--ca', ca or self.ca, check=False)

    def post(self, d, key=None, json_bytes=None, sig=None):
        body = {'report_json': b64(json_bytes or read(f'{d}/report.json')),
                'report_p7s': b64(sig or read(f'{d}/report.json.p7s'))}
        return self.province.post_json('/api/v1/reports', body,
                                       bearer(key or self.up_key))

    def received(self):
        return self.province.count('SELECT count(*) FROM reports_received')

    def province_total(self):
        r = self.province.get(f'/api/v1/metrics?unit=H21&month={MONTH}',
                              bearer(self.pkey))
        self.assertEqual(r.status, 200, r)
        return r.json()['total']

    # -- the report and its files -----------------------------------------

    def test_report_json_content(self):
        d = self.build()
        doc = json.loads(read(f'{d}/report.json'))
        self.assertEqual(doc['unit'], 'H21.227')
        self.assertEqual(doc['unit_name'], 'UBND xã Vân Canh')
        self.assertEqual(doc['unit_codes']['agency'], 'H21.227')
        self.assertEqual(doc['parent_unit'], 'H21')
        self.assertEqual(doc['month'], MONTH)
        self.assertEqual(doc['as_of'], AS_OF)
        self.assertEqual(doc['period'], {
            'start': '2025-10-01T00:00:00+07:00',
            'end': '2025-11-01T00:00:00+07:00'})
        self.assertRegex(doc['generator'], r'^hailong \d')
        self.assertEqual(doc['definition_version'], 3)
        self.assertEqual(doc['report_version'], 3)
        t = doc['total']
        self.assertEqual(t['ratings'], 3)                 # C1..C3
        self.assertEqual(t['by_level'], [0, 1, 0, 1, 1])  # levels 2, 4, 5
        self.assertEqual(t['satisfied_rate'], 0.6667)     # 2/3
        self.assertEqual(t['dossiers'], 2)
        self.assertEqual(doc['dossiers'], 2)
        self.assertEqual(t['online_rate'], 0.5)           # 1/2
        self.assertEqual(t['on_time_rate'], 0.5)          # 1 of 2 judged
        self.assertEqual(t['counts']['by_level'], [0, 1, 0, 1, 1])
        self.assertEqual(t['counts']['online'], 1)
        self.assertEqual(t['counts']['judged'], 2)
        # the chain: 3 ratings arrived, all before as_of (other tests add
        # ratings rated after it)
        with self.commune.db() as c:
            seq, chain = c.execute("SELECT seq, chain FROM ratings WHERE id "
                                   "IN ('C1', 'C2', 'C3') "
                                   'ORDER BY seq DESC LIMIT 1').fetchone()
        self.assertEqual(doc['ratings_chain']['head'], chain.hex())
        self.assertEqual(doc['ratings_chain']['seq'], seq)
        self.assertEqual(doc['ratings_chain']['ratings'], 3)
        self.assertEqual(doc['included_reports'], [])
        self.assertEqual(doc['missing_reports'], [])      # a commune: none
        # the schema, read by a second validator (tests/api/schemacheck.py)
        with open(os.path.join(ROOT, 'schemas', 'report.schema.json')) as f:
            schema = json.load(f)
        self.assertEqual(check(doc, schema), [])
        # the report schema is the metrics schema and more; what version
        # 2 added is optional there (a child's version-1 report lacks it)
        # and present in a report built now
        with open(os.path.join(ROOT, 'schemas', 'metrics.schema.json')) as f:
            metrics = json.load(f)
        added = {'reason_codes', 'why_partial', 'why_missing'}
        self.assertLessEqual(set(metrics['required']) - added,
                             set(schema['required']))
        self.assertLessEqual(added, set(doc))
        # canonical: sorted keys, two-space indent, one final newline
        raw = read(f'{d}/report.json').decode('utf-8')
        self.assertTrue(raw.endswith('}\n'))
        self.assertEqual(raw, json.dumps(doc, sort_keys=True, indent=2,
                                         ensure_ascii=False)
                         .replace('": ', '": ') + '\n')

    def test_identical_inputs_give_identical_bytes(self):
        a = self.build()
        # zip entries carry a time to 2 s: a clock in the XLSX would show
        time.sleep(2.1)
        b = self.build()
        self.assertEqual(read(f'{a}/report.json'), read(f'{b}/report.json'))
        self.assertEqual(read(f'{a}/report.csv'), read(f'{b}/report.csv'))
        self.assertEqual(read(f'{a}/report.html'), read(f'{b}/report.html'))
        self.assertEqual(read(f'{a}/report.xlsx'), read(f'{b}/report.xlsx'))
        # a later as_of that sees no new data changes only as_of
        c = self.build(as_of='2025-11-06T00:00:00+07:00')
        self.assertNotEqual(read(f'{a}/report.json'),
                            read(f'{c}/report.json'))

    def test_csv_reads_back_with_vietnamese(self):
        d = self.build()
        raw = read(f'{d}/report.csv')
        self.assertTrue(raw.startswith(b'\xef\xbb\xbf'))
        f = io.StringIO(raw.decode('utf-8-sig'), newline='')
        # the first row: Vietnamese words for people; the second: the
        # machine keys
        words = next(csv.reader(f))
        self.assertEqual(words[:5], ['Phạm vi', 'Mã', 'Đơn vị', 'Quầy', 'Tên'])
        self.assertIn('Rất hài lòng (5)', words)
        self.assertNotIn('by_level[4]', words)
        rows = list(csv.DictReader(f))
        total = rows[0]
        self.assertEqual(total['scope'], 'total')
        self.assertEqual(total['name'], 'UBND xã Vân Canh')
        self.assertEqual(total['ratings'], '3')
        self.assertEqual(total['satisfied_rate'], '0.6667')
        self.assertEqual(total['dossiers'], '2')
        procs = {r['code']: r for r in rows if r['scope'] == 'procedure'}
        self.assertEqual(procs[P1]['name'], 'Thủ tục đăng ký khai sinh')
        self.assertEqual(procs[P1]['ratings'], '2')       # C1, C2
        self.assertEqual(procs[P2]['name'],
                         'Thủ tục đăng ký khai sinh lưu động')
        counters = [r for r in rows if r['scope'] == 'counter']
        self.assertEqual(sorted(r['counter'] for r in counters), ['1', '2'])
        self.assertIn('Quầy 1', ' '.join(r['name'] for r in counters))

    def test_xlsx_reads_back_with_vietnamese_and_percentages(self):
        d = self.build()
        with zipfile.ZipFile(f'{d}/report.xlsx') as z:
            names = z.namelist()
            shared = z.read('xl/sharedStrings.xml').decode('utf-8')
            styles = z.read('xl/styles.xml').decode('utf-8')
            book = z.read('xl/workbook.xml').decode('utf-8')
            self.assertIsNone(z.testzip())
        self.assertIn('xl/worksheets/sheet4.xml', names)
        for sheet in ('Tổng hợp', 'Thủ tục', 'Quầy', 'Cán bộ'):
            self.assertIn(f'name="{sheet}"', book)
        for text in ('UBND xã Vân Canh', 'Thủ tục đăng ký khai sinh',
                     'Tỷ lệ hài lòng'):
            self.assertIn(text, shared)
        self.assertIn('formatCode="0.00%"', styles)

    def test_html_is_printable_and_escaped(self):
        rename = ['counter', 'rename', '--db', self.commune.db_path,
                  '--unit', 'H21.227', '--number', '2', '--name']
        run(*rename, '<b>Quầy & "2"</b>')
        try:
            d = self.build()
        finally:
            run(*rename, 'Quầy 2')
        html = read(f'{d}/report.html').decode('utf-8')
        self.assertIn('@page{size:A4', html)
        self.assertIn('&lt;b&gt;Quầy &amp; &quot;2&quot;&lt;/b&gt;', html)
        self.assertNotIn('<b>Quầy', html)
        self.assertIn('UBND xã Vân Canh', html)
        self.assertNotIn('<script', html)

    # -- signature and verification ---------------------------------------

    def test_build_sign_verify_and_flipped_bytes(self):
        d = self.build()
        self.sign(d)
        self.assertTrue(stock_verify(d, self.ca))
        p = self.verify(d)
        self.assertEqual(p.returncode, 0, p.stdout)
        for check in ('ok   signature', 'ok   certificate',
                      'ok   unit: the certificate names H21.227',
                      'ok   schema'):
            self.assertIn(check, p.stdout)
        good = read(f'{d}/report.json')
        sig = read(f'{d}/report.json.p7s')
        # bytes spread over the whole file, and the first and last
        step = max(1, len(good) // 40)
        for i in sorted(set(range(0, len(good), step)) | {len(good) - 1}):
            b = bytearray(good)
            b[i] ^= 0x01
            write(f'{d}/report.json', bytes(b))
            self.assertFalse(stock_verify(d, self.ca), f'openssl, byte {i}')
            self.assertEqual(self.verify(d).returncode, 1, f'byte {i}')
        write(f'{d}/report.json', good)
        for i in range(0, len(sig), max(1, len(sig) // 40)):
            b = bytearray(sig)
            b[i] ^= 0x20
            write(f'{d}/report.json.p7s', bytes(b))
            self.assertEqual(self.verify(d).returncode, 1, f'sig byte {i}')
        write(f'{d}/report.json.p7s', sig)
        self.assertEqual(self.verify(d).returncode, 0)

    def test_certificate_for_another_unit_fails(self):
        d = self.build()
        self.sign(d, unit='H21.101')
        self.assertTrue(stock_verify(d, self.ca))     # openssl cannot tell
        p = self.verify(d)
        self.assertEqual(p.returncode, 1)
        self.assertIn('FAIL unit: the certificate does not name H21.227',
                      p.stdout)

    def test_schema_failure_is_reported(self):
        d = self.build()
        doc = json.loads(read(f'{d}/report.json'))
        doc['total']['ratings'] = -1
        write(f'{d}/report.json',
              json.dumps(doc, sort_keys=True, indent=2).encode() + b'\n')
        self.sign(d)
        self.assertTrue(stock_verify(d, self.ca))     # signed as it is
        p = self.verify(d)
        self.assertEqual(p.returncode, 1)
        self.assertIn('FAIL schema: report.json does not follow '
                      'schemas/report.schema.json: /total/ratings', p.stdout)
        # counts that do not give the stated figures
        doc['total']['ratings'] = 4
        write(f'{d}/report.json',
              json.dumps(doc, sort_keys=True, indent=2).encode() + b'\n')
        self.sign(d)
        p = self.verify(d)
        self.assertEqual(p.returncode, 1)
        self.assertIn("the total's figures do not match its counts", p.stdout)

    # -- upward: two servers ------------------------------------------------

    def test_submit_rolls_up_and_resubmission_replaces(self):
        # before: the province counts its own rows, H21.227's copy too:
        # H21 [1,0,0,0,1] + H21.101 [0,0,0,1,0] + H21.227 copy [0,0,1,0,0]
        before = self.province_total()
        self.assertEqual(before['by_level'], [1, 0, 1, 1, 1])
        self.assertEqual(before['ratings'], 4)
        self.assertEqual(before['dossiers'], 1)
        d = self.build()
        self.sign(d)
        p = run('report', 'submit', d, '--to', self.province.base,
                '--apikey', self.up_key)
        receipt = json.loads(p.stdout)
        sha = hashlib.sha256(read(f'{d}/report.json')).hexdigest()
        self.assertEqual(receipt['status'], 'accepted')
        self.assertEqual(receipt['sha256'], sha)
        self.assertEqual(receipt['unit'], 'H21.227')
        self.assertEqual(receipt['month'], MONTH)
        self.assertIsNone(receipt['replaces'])
        self.assertRegex(receipt['received_at'], r'\+07:00$')
        with self.province.db() as c:
            row = c.execute('SELECT json, p7s, sha256 FROM reports_received '
                            'ORDER BY id DESC LIMIT 1').fetchone()
        self.assertEqual(bytes(row[0]), read(f'{d}/report.json'))
        self.assertEqual(bytes(row[1]), read(f'{d}/report.json.p7s'))
        self.assertEqual(row[2], sha)
        # after: the copy is replaced by the signed counts
        # H21 [1,0,0,0,1] + H21.101 [0,0,0,1,0] + report [0,1,0,1,1]
        t = self.province_total()
        self.assertEqual(t['by_level'], [1, 1, 0, 2, 2])
        self.assertEqual(t['ratings'], 6)
        self.assertEqual(t['satisfied_rate'], 0.6667)     # 4/6
        self.assertEqual(t['dossiers'], 3)                 # 1 + 2
        self.assertEqual(t['online_rate'], 0.6667)         # (1 + 1)/3
        self.assertEqual(t['counts']['judged'], 2)         # the commune's
        # the console shows the same roll-up as the API
        pw = 'một mật khẩu dài 1'
        run('user', 'add', '--db', self.province.db_path, '--unit', 'H21',
            '--role', 'viewer', '--name', 'tinh_xem', '--password-stdin',
            input=pw + '\n')
        b = Browser(self.province).logged_in('tinh_xem', pw)
        h = b.get(f'/admin/units/H21?month={MONTH}').text
        self.assertIn('data-k="ratings" data-v="6"', h)
        # the province's report lists the included and the missing
        pd = self.build(s=self.province, unit='H21', as_of=None)
        doc = json.loads(read(f'{pd}/report.json'))
        self.assertEqual(doc['total']['by_level'], [1, 1, 0, 2, 2])
        self.assertEqual([(r['unit'], r['sha256'])
                          for r in doc['included_reports']],
                         [('H21.227', sha)])
        missing = [r['unit'] for r in doc['missing_reports']]
        self.assertIn('H21.101', missing)
        self.assertNotIn('H21.227', missing)
        with self.province.db() as c:
            n_children = c.execute("SELECT count(*) FROM units WHERE "
                                   "parent = 'H21' AND active = 1"
                                   ).fetchone()[0]
        self.assertEqual(len(missing), n_children - 1)
        # a commune's procedure figures arrive too: P1 is the province's
        # own P1 rating plus the commune's C1, C2
        procs = {x['code']: x for x in doc['procedures']}
        self.assertEqual(procs[P1]['ratings'], 3)
        # the province's signed report verifies
        self.sign(pd, unit='H21')
        self.assertEqual(self.verify(pd).returncode, 0)

        # resubmission: one more rating in the commune
        more = [{'id': 'C4', 'unit': 'H21.227', 'level': 1,
                 'rated_at': '2025-10-20T09:00:00+07:00'}]
        r = self.commune.post_json('/api/v1/ratings', more,
                                   bearer(self.ckey))
        self.assertEqual(r.status, 200, r)
        d2 = self.build(as_of='2025-11-06T00:00:00+07:00')   # newer
        self.sign(d2)
        p = run('report', 'submit', d2, '--to', self.province.base + '/',
                '--apikey', self.up_key)
        receipt2 = json.loads(p.stdout)
        self.assertEqual(receipt2['replaces'], sha)
        self.assertNotEqual(receipt2['sha256'], sha)
        with self.province.db() as c:
            hist = c.execute("SELECT sha256 FROM reports_received WHERE "
                             "unit = 'H21.227' ORDER BY id").fetchall()
            audit = c.execute("SELECT count(*) FROM audit WHERE action = "
                              "'report.receive'").fetchone()[0]
        self.assertEqual([h[0] for h in hist][-2:],
                         [sha, receipt2['sha256']])
        self.assertGreaterEqual(audit, 2)
        t = self.province_total()
        # the newer report: [1,0,0,0,1] + [0,0,0,1,0] + [1,1,0,1,1]
        self.assertEqual(t['by_level'], [2, 1, 0, 2, 2])
        # figures as of a second before the first submission: no report
        t0 = datetime.datetime.fromisoformat(receipt['received_at'])
        before_at = (t0 - datetime.timedelta(seconds=1)).isoformat()
        r = self.province.get(
            f'/api/v1/metrics?unit=H21&month={MONTH}&as_of='
            + before_at.replace('+', '%2B'), bearer(self.pkey))
        self.assertEqual(r.json()['total']['by_level'], [1, 0, 1, 1, 1])
        # unit_only: the province's own rows, no report
        r = self.province.get(
            f'/api/v1/metrics?unit=H21&month={MONTH}&unit_only=1',
            bearer(self.pkey))
        self.assertEqual(r.json()['total']['by_level'], [1, 0, 0, 0, 1])
        run('verify-chain', '--db', self.province.db_path)

    def test_tampered_submissions_are_refused_and_nothing_stored(self):
        d = self.build()
        self.sign(d)
        good = read(f'{d}/report.json')
        n = self.received()
        audit = self.province.count(
            "SELECT count(*) FROM audit WHERE action = 'report.receive'")

        # a flipped byte in the report, then in the signature
        b = bytearray(good)
        b[len(b) // 2] ^= 0x01
        r = self.post(d, json_bytes=bytes(b))
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()['error'], 'bad_signature')
        sig = bytearray(read(f'{d}/report.json.p7s'))
        sig[-10] ^= 0x20
        r = self.post(d, sig=bytes(sig))
        self.assertEqual((r.status, r.json()['error']),
                         (422, 'bad_signature'))
        # signed with another unit's certificate
        w = self.build()
        self.sign(w, unit='H21.101')
        r = self.post(w)
        self.assertEqual((r.status, r.json()['error']), (422, 'wrong_unit'))
        self.assertIn('does not name H21.227', r.json()['message'])
        # a unit outside the key's scope (H21.101, properly signed)
        o = self.build(unit='H21.101')
        self.sign(o, unit='H21.101')
        r = self.post(o)
        self.assertEqual((r.status, r.json()['error']),
                         (403, 'not_subordinate'))
        self.assertIn('H21.101 is not a subordinate unit', r.json()['message'])
        # the province itself: no parent here to report to
        top = self.build(unit='H21')
        self.sign(top, unit='H21')
        r = self.post(top, key=self.pkey)
        self.assertEqual((r.status, r.json()['error']),
                         (403, 'not_subordinate'))
        # a signed report that breaks the schema
        doc = json.loads(good)
        doc['generator'] = 'excel'
        s = self.build()
        write(f'{s}/report.json',
              json.dumps(doc, sort_keys=True, indent=2).encode() + b'\n')
        self.sign(s)
        r = self.post(s)
        self.assertEqual((r.status, r.json()['error']), (422, 'bad_report'))
        self.assertIn('/generator', r.json()['message'])
        # a certificate from a CA the province does not trust
        other = os.path.join(self.tmp, 'otherca')
        run('keys', 'demo', '--unit', 'H21.227', '--out', other)
        u = self.build()
        run('report', 'sign', '--key', f'{other}/H21.227.key.pem', '--cert',
            f'{other}/H21.227.cert.pem', u)
        r = self.post(u)
        self.assertEqual((r.status, r.json()['error']),
                         (422, 'bad_signature'))
        # malformed bodies
        for body in ({}, {'report_json': 'x'},
                     {'report_json': '!!', 'report_p7s': 'AA'},
                     {'report_json': b64(good), 'report_p7s': b64(b'x'),
                      'extra': 1}):
            r = self.province.post_json('/api/v1/reports', body,
                                        bearer(self.up_key))
            self.assertEqual(r.status, 400, (body, r))
        # no key, a wrong key
        r = self.province.post_json('/api/v1/reports', {}, {})
        self.assertEqual(r.status, 401)
        # nothing stored, nothing audited
        self.assertEqual(self.received(), n)
        self.assertEqual(self.province.count(
            "SELECT count(*) FROM audit WHERE action = 'report.receive'"),
            audit)

    def test_an_older_report_does_not_replace_a_newer_one(self):
        # December (after AS_OF, so the other tests' anchors do not
        # move): one rating by mid-month, two by its end
        month = '2025-12'
        r = self.commune.post_json('/api/v1/ratings', [
            {'id': 'S1', 'unit': 'H21.227', 'level': 5,
             'rated_at': '2025-12-10T09:00:00+07:00'},
            {'id': 'S2', 'unit': 'H21.227', 'level': 1,
             'rated_at': '2025-12-20T09:00:00+07:00'}], bearer(self.ckey))
        self.assertEqual(r.status, 200, r)
        old = self.build(month=month, as_of='2025-12-15T00:00:00+07:00')
        new = self.build(month=month, as_of='2026-01-05T00:00:00+07:00')
        self.sign(old)
        self.sign(new)

        def total():
            r = self.province.get(f'/api/v1/metrics?unit=H21&month={month}',
                                  bearer(self.pkey))
            self.assertEqual(r.status, 200, r)
            return r.json()['total']['ratings']

        n = self.received()
        self.assertEqual(self.post(new).status, 200)
        self.assertEqual(total(), 2)
        # replaying the older one, or the same one again, changes nothing
        for d in (old, new):
            r = self.post(d)
            self.assertEqual((r.status, r.json()['error']),
                             (409, 'older_than_current'), r)
            self.assertIn('2026-01-05T00:00:00+07:00', r.json()['message'])
            self.assertEqual(total(), 2)
        self.assertEqual(self.received(), n + 1)
        with self.province.db() as c:
            cur = c.execute(
                "SELECT as_of FROM reports_received WHERE unit = 'H21.227' "
                "AND month = 202512 ORDER BY id DESC LIMIT 1").fetchone()[0]
        self.assertEqual(
            cur, int(datetime.datetime.fromisoformat(
                '2026-01-05T00:00:00+07:00').timestamp()))

    def test_formulas_in_a_received_report_stay_text_in_csv(self):
        # January 2026: a counter the province does not know, so its
        # name comes from the commune's signed report
        month = '2026-01'
        r = self.commune.post_json('/api/v1/ratings', [
            {'id': 'A1', 'unit': 'H21.227', 'level': 4, 'counter': 7,
             'rated_at': '2026-01-10T09:00:00+07:00'}],
            bearer(self.ckey))
        self.assertEqual(r.status, 200, r)
        d = self.build(month=month, as_of='2026-02-05T00:00:00+07:00')
        doc = json.loads(read(f'{d}/report.json'))
        evil = ['=HYPERLINK("http://x.example/","bấm")']
        for k in doc['counters']:
            if k['counter'] == 7:
                k['name'] = evil[0]
        write(f'{d}/report.json',
              json.dumps(doc, sort_keys=True, indent=2).encode() + b'\n')
        self.sign(d)
        r = self.post(d)
        self.assertEqual(r.status, 200, r)
        pd = self.build(s=self.province, unit='H21', as_of=None, month=month)
        text = read(f'{pd}/report.csv').decode('utf-8-sig')
        rows = list(csv.reader(io.StringIO(text)))
        names = [row[4] for row in rows[2:]]
        self.assertIn("'" + evil[0], names)
        for row in rows:
            for cell in row:
                if cell[:1] in ('=', '+', '-', '@', '\t', '\r'):
                    float(cell)     # a number, or this raises
        # the same data, the same bytes
        pd2 = self.build(s=self.province, unit='H21', month=month,
                         as_of=json.loads(read(f'{pd}/report.json'))['as_of'])
        self.assertEqual(read(f'{pd2}/report.csv'), read(f'{pd}/report.csv'))
        # a name with a control character is refused like a local one
        doc['unit_name'] = 'UBND\x1b[31m'
        doc['as_of'] = '2026-02-06T00:00:00+07:00'
        write(f'{d}/report.json',
              json.dumps(doc, sort_keys=True, indent=2).encode() + b'\n')
        self.sign(d)
        r = self.post(d)
        self.assertEqual((r.status, r.json()['error']), (422, 'bad_report'))
        self.assertIn('unit_name', r.json()['message'])

    def test_version_1_report_still_rolls_up(self):
        """A child that has not upgraded signs a report of version 1 (no
        figures of "why"): the parent accepts it, adds its counts, and
        says whose "why" is missing."""
        month = '2026-03'
        r = self.commune.post_json('/api/v1/ratings', [
            {'id': 'W1', 'unit': 'H21.227', 'level': 2, 'visits': 2,
             'reasons': 'wait;attitude',
             'rated_at': '2026-03-10T09:00:00+07:00'},
            {'id': 'W2', 'unit': 'H21.227', 'level': 5, 'visits': 1,
             'rated_at': '2026-03-11T09:00:00+07:00'}], bearer(self.ckey))
        self.assertEqual(r.status, 200, r)
        # a code the questionnaire does not have: that line is refused
        r = self.commune.post_json('/api/v1/ratings', [
            {'id': 'W3', 'unit': 'H21.227', 'level': 1,
             'reasons': 'nonsense',
             'rated_at': '2026-03-12T09:00:00+07:00'}], bearer(self.ckey))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()['rejected'], 1)
        self.assertIn("unknown reason 'nonsense'",
                      r.json()['items'][0]['errors'][0]['message'])
        r = self.province.post_json('/api/v1/ratings', [
            {'id': 'W9', 'unit': 'H21', 'level': 1, 'reasons': 'online',
             'rated_at': '2026-03-12T09:00:00+07:00'}], bearer(self.pkey))
        self.assertEqual(r.status, 200, r)
        d = self.build(month=month, as_of='2026-04-05T00:00:00+07:00')
        doc = json.loads(read(f'{d}/report.json'))
        self.assertEqual(doc['definition_version'], 3)
        self.assertEqual(doc['total']['reasons']['wait'], 1)
        self.assertEqual(doc['total']['visits_mean'], 1.5)
        # the other files carry the same figures of "why"
        f = io.StringIO(read(f'{d}/report.csv').decode('utf-8-sig'),
                        newline='')
        next(f)     # the row of Vietnamese words
        rows = list(csv.DictReader(f))
        total = rows[0]
        self.assertEqual(total['reasons.wait'], '1')
        self.assertEqual(total['reasons.attitude'], '1')
        self.assertEqual(total['reasons.online'], '0')
        self.assertEqual(total['visits_mean'], '1.5')
        self.assertEqual(total['one_visit_rate'], '0.5')
        self.assertEqual(total['by_channel.import.ratings'], '2')
        self.assertEqual(total['by_channel.import.satisfied_rate'], '0.5')
        self.assertEqual(total['excluded.spam'], '0')
        self.assertEqual(total['dossier_by_channel.online.dossiers'], '0')
        html = read(f'{d}/report.html').decode('utf-8')
        self.assertIn('<tr><td>Lý do: Phải chờ lâu</td><td class="n">1</td>'
                      '</tr>', html)
        self.assertIn('<tr><td>Tỷ lệ xong trong một lần đi</td>'
                      '<td class="n">50,0\u00a0%</td></tr>', html)
        with zipfile.ZipFile(f'{d}/report.xlsx') as z:
            shared = z.read('xl/sharedStrings.xml').decode('utf-8')
        for text in ('Lý do: Phải chờ lâu', 'Số lần đi lại trung bình',
                     'Hồ sơ nộp trực tuyến', 'Không tính: rác (spam)'):
            self.assertIn(text, shared)
        # what version 1 had
        doc['definition_version'] = 1
        doc['report_version'] = 1
        for k in ('reason_codes', 'why_partial', 'why_missing'):
            del doc[k]
        why = ('reasons', 'reasons_given', 'visits_answered', 'visits_mean',
               'one_visit_rate', 'by_channel', 'coverage_rate', 'excluded',
               'dossier_by_channel', 'why_partial', 'by_requester',
               'assisted')
        counts = ('reasons', 'reasons_given', 'visits_answered',
                  'visits_sum', 'visits_one', 'covered', 'channel_ratings',
                  'channel_satisfied', 'excluded', 'dchannel_dossiers',
                  'dchannel_judged', 'dchannel_on_time', 'dchannel_soc',
                  'requester_ratings', 'requester_satisfied',
                  'assisted_ratings', 'assisted_satisfied')
        for scope in ([doc['total']] + doc['procedures'] + doc['counters'] +
                      doc['officers']):
            for k in why:
                scope.pop(k, None)
            for k in counts:
                scope.get('counts', {}).pop(k, None)
        write(f'{d}/report.json',
              json.dumps(doc, sort_keys=True, indent=2).encode() + b'\n')
        self.sign(d)
        r = self.post(d)
        self.assertEqual(r.status, 200, r)
        r = self.province.get(f'/api/v1/metrics?unit=H21&month={month}',
                              bearer(self.pkey))
        self.assertEqual(r.status, 200, r)
        m = r.json()
        t = m['total']
        self.assertEqual(t['ratings'], 3)             # 1 own + 2 reported
        self.assertEqual(t['by_level'], [1, 1, 0, 0, 1])
        self.assertTrue(m['why_partial'])
        self.assertEqual(m['why_missing'], ['H21.227'])
        self.assertTrue(t['why_partial'])
        # "why" covers the province's own rating only
        self.assertEqual(t['reasons']['online'], 1)
        self.assertEqual(t['reasons']['wait'], 0)
        self.assertEqual(t['reasons_given'], 1)
        self.assertIsNone(t['coverage_rate'])

    def test_body_limit_and_rate_limit(self):
        key = add_key(self.province, 'H21.227')
        n = self.received()
        # a body over 44 MiB is refused from its Content-Length, unread
        conn = http.client.HTTPConnection('127.0.0.1', self.province.port,
                                          timeout=30)
        try:
            conn.putrequest('POST', '/api/v1/reports')
            for k, v in {**bearer(key), 'Content-Type': 'application/json',
                         'Content-Length': str(45 << 20)}.items():
                conn.putheader(k, v)
            conn.endheaders()
            self.assertEqual(conn.getresponse().status, 413)
        finally:
            conn.close()
        # 60 an hour per key: the 61st is refused before it is read
        for i in range(60):
            r = self.province.post_json('/api/v1/reports', {}, bearer(key))
            self.assertEqual(r.status, 400, i)
        r = self.province.post_json('/api/v1/reports', {}, bearer(key))
        self.assertEqual(r.status, 429)
        self.assertIn('retry-after', r.headers)
        # another key is not held up
        r = self.province.post_json('/api/v1/reports', {},
                                    bearer(self.up_key))
        self.assertEqual(r.status, 400)
        self.assertEqual(self.received(), n)

    def test_server_without_trust_store_accepts_nothing(self):
        d = self.build()
        self.sign(d)
        r = self.commune.post_json(
            '/api/v1/reports',
            {'report_json': b64(read(f'{d}/report.json')),
             'report_p7s': b64(read(f'{d}/report.json.p7s'))},
            bearer(self.ckey))
        self.assertEqual((r.status, r.json()['error']),
                         (503, 'not_configured'))
        self.assertEqual(self.commune.count(
            'SELECT count(*) FROM reports_received'), 0)

    def test_submit_cli_errors(self):
        d = self.build()
        p = run('report', 'submit', d, '--to', self.province.base,
                '--apikey', self.up_key, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('sign the report first', p.stderr)
        self.sign(d)
        p = run('report', 'submit', d, '--to', self.province.base,
                '--apikey', 'hlk_' + 'A' * 43, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('refused the report (401)', p.stderr)
        p = run('report', 'submit', d, '--to', 'ftp://x', '--apikey', 'k',
                check=False)
        self.assertEqual(p.returncode, 2)


PW = 'Mật khẩu đủ dài 2025'


class ConsoleReports(unittest.TestCase):
    """The reports tab: a reporter builds, signs, downloads and sends."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='hailong-console-reports-')
        cls.keys = os.path.join(cls.tmp, 'keys')
        run('keys', 'demo', '--unit', 'H21.227', '--out', cls.keys)
        cls.province = Server('--report-ca', f'{cls.keys}/ca.pem',
                              name='console-province').start()
        keyfile = os.path.join(cls.tmp, 'parent.key')
        with open(keyfile, 'w') as f:
            f.write(add_key(cls.province, 'H21.227') + '\n')
        os.chmod(keyfile, 0o600)
        cls.s = Server('--report-keys', cls.keys, '--report-parent-url',
                       cls.province.base, '--report-parent-apikey-file',
                       keyfile, name='console-commune').start()
        key = add_key(cls.s, 'H21.227')
        feed(cls.s, key, COMMUNE_RATINGS, COMMUNE_DOSSIERS)
        for name, unit, role in (('bao', 'H21.227', 'reporter'),
                                 ('xem', 'H21.227', 'viewer'),
                                 ('khac', 'H21.101', 'reporter')):
            run('user', 'add', '--db', cls.s.db_path, '--unit', unit,
                '--role', role, '--name', name, '--password-stdin',
                input=PW + '\n')

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)
        cls.province.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def page(self, b, month=MONTH):
        r = b.get(f'/admin/units/H21.227/reports?month={month}')
        self.assertEqual(r.status, 200, r)
        return r

    def act(self, b, action, rid=None, csrf=None):
        f = {'action': action, 'month': MONTH,
             'csrf': csrf if csrf is not None else b.csrf()}
        if rid is not None:
            f['id'] = str(rid)
        return b.post_form('/admin/units/H21.227/reports', f)

    def test_build_sign_download_submit(self):
        b = Browser(self.s).logged_in('bao', PW)
        r = self.page(b)
        self.assertIn('Báo cáo tháng 10/2025', r.text)
        self.assertIn('Lập báo cáo', r.text)
        r = self.act(b, 'build')
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertIn('Đã lập báo cáo.', r.text)
        with self.s.db() as c:
            rid, sha = c.execute('SELECT id, sha256 FROM reports_made '
                                 'ORDER BY id DESC LIMIT 1').fetchone()
        self.assertIn(sha, r.text)
        # downloads: the exact stored bytes, the renderings
        j = b.get(f'/admin/units/H21.227/reports/{rid}/report.json')
        self.assertEqual(j.status, 200)
        self.assertEqual(hashlib.sha256(j.body).hexdigest(), sha)
        self.assertIn('attachment', j.headers['content-disposition'])
        doc = json.loads(j.body)
        self.assertEqual(doc['total']['by_level'], [0, 1, 0, 1, 1])
        x = b.get(f'/admin/units/H21.227/reports/{rid}/report.xlsx')
        self.assertEqual(x.status, 200)
        with zipfile.ZipFile(io.BytesIO(x.body)) as z:
            self.assertIn('UBND xã Vân Canh',
                          z.read('xl/sharedStrings.xml').decode())
        c = b.get(f'/admin/units/H21.227/reports/{rid}/report.csv')
        self.assertTrue(c.body.startswith(b'\xef\xbb\xbf'))
        h = b.get(f'/admin/units/H21.227/reports/{rid}/report.html')
        self.assertIn('UBND xã Vân Canh', h.text)
        # report.pdf: the bytes `report build` writes for the same data
        # and as-of, text selectable in Vietnamese
        p = b.get(f'/admin/units/H21.227/reports/{rid}/report.pdf')
        self.assertEqual(p.status, 200)
        self.assertEqual(p.headers['content-type'], 'application/pdf')
        self.assertIn('href="/admin/units/H21.227/reports/'
                      f'{rid}/report.pdf"', self.page(b).text)
        d = tempfile.mkdtemp(dir=self.tmp)
        self.assertEqual(run('report', 'build', '--db', self.s.db_path,
                             '--unit', 'H21.227', '--month', MONTH,
                             '--as-of', doc['as_of'], '--out',
                             d).returncode, 0)
        self.assertEqual(read(f'{d}/report.json'), j.body)
        self.assertEqual(read(f'{d}/report.pdf'), p.body)
        text = subprocess.run(['pdftotext', '-', '-'], input=p.body,
                              capture_output=True, check=True).stdout
        self.assertIn('UBND xã Vân Canh', text.decode())
        # no signature yet
        self.assertEqual(b.get(f'/admin/units/H21.227/reports/{rid}/'
                               'report.json.p7s').status, 404)
        self.assertEqual(b.get(f'/admin/units/H21.227/reports/{rid}/'
                               'report.signed.pdf').status, 404)
        self.assertEqual(b.get(f'/admin/units/H21.227/reports/{rid}/'
                               'etc.passwd').status, 404)
        self.page(b)
        r = self.act(b, 'submit', rid)
        self.assertEqual(r.status, 422)
        self.assertIn('Báo cáo chưa được ký.', r.text)
        # sign: audited, verifies with openssl
        r = self.act(b, 'sign', rid)
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertIn('Đã ký báo cáo.', r.text)
        d = tempfile.mkdtemp(dir=self.tmp)
        write(f'{d}/report.json', j.body)
        write(f'{d}/report.json.p7s', b.get(
            f'/admin/units/H21.227/reports/{rid}/report.json.p7s').body)
        self.assertTrue(stock_verify(d, f'{self.keys}/ca.pem'))
        # the signed PDF: the same report.pdf, signed with the unit's key;
        # pdfsig and `report verify` accept it
        write(f'{d}/report.pdf', p.body)
        sp = b.get(f'/admin/units/H21.227/reports/{rid}/report.signed.pdf')
        self.assertEqual(sp.status, 200)
        self.assertEqual(sp.body[:len(p.body)], p.body)
        write(f'{d}/report.signed.pdf', sp.body)
        out = subprocess.run(['pdfsig', f'{d}/report.signed.pdf'],
                             capture_output=True).stdout.decode()
        self.assertIn('Signature is Valid', out)
        self.assertEqual(run('report', 'verify', d, '--ca',
                             f'{self.keys}/ca.pem').returncode, 0)
        # send: the province stores it; the receipt is kept
        r = self.act(b, 'submit', rid)
        self.assertEqual(r.status, 200, r.text[:800])
        self.assertIn('Đã gửi báo cáo', r.text)
        with self.province.db() as c:
            got = c.execute('SELECT sha256 FROM reports_received').fetchall()
        self.assertEqual([g[0] for g in got], [sha])
        with self.s.db() as c:
            receipt = c.execute('SELECT receipt FROM reports_made WHERE '
                                'id = ?', (rid,)).fetchone()[0]
            actions = [a[0] for a in c.execute(
                "SELECT action FROM audit WHERE action LIKE 'report.%' "
                "ORDER BY seq")]
        self.assertEqual(json.loads(receipt)['sha256'], sha)
        self.assertEqual(actions, ['report.build', 'report.sign',
                                   'report.submit'])
        # the province's console lists it as received
        run('user', 'add', '--db', self.province.db_path, '--unit', 'H21',
            '--role', 'reporter', '--name', 'tinh', '--password-stdin',
            input=PW + '\n')
        pb = Browser(self.province).logged_in('tinh', PW)
        r = pb.get(f'/admin/units/H21/reports?month={MONTH}')
        self.assertEqual(r.status, 200)
        self.assertIn(sha, r.text)
        self.assertIn('đang dùng', r.text)
        run('verify-chain', '--db', self.s.db_path)

    def test_a_slow_parent_holds_no_http_thread(self):
        """Sending waits on the parent off the HTTP threads: with one
        event thread, another page is served while the parent holds the
        connection, and the parent's silence is a clear failure."""
        lst = socket.socket()
        lst.bind(('127.0.0.1', 0))
        lst.listen(1)
        accepted, release = threading.Event(), threading.Event()

        def parent():                   # accepts, never answers
            conn, _ = lst.accept()
            accepted.set()
            release.wait(300)
            conn.close()
        threading.Thread(target=parent, daemon=True).start()
        keyfile = os.path.join(self.tmp, 'slow.key')
        with open(keyfile, 'w') as f:
            f.write('hl_' + 'x' * 40 + '\n')
        os.chmod(keyfile, 0o600)
        with Server('--threads', '1', '--report-keys', self.keys,
                    '--report-parent-url',
                    f'http://127.0.0.1:{lst.getsockname()[1]}',
                    '--report-parent-apikey-file', keyfile,
                    name='slow-parent') as s:
            run('user', 'add', '--db', s.db_path, '--unit', 'H21.227',
                '--role', 'reporter', '--name', 'bao', '--password-stdin',
                input=PW + '\n')
            b = Browser(s).logged_in('bao', PW)
            b.get(f'/admin/units/H21.227/reports?month={MONTH}')
            f = {'action': 'build', 'month': MONTH, 'csrf': b.csrf()}
            self.assertEqual(b.post_form('/admin/units/H21.227/reports',
                                         f).status, 200)
            rid = s.count('SELECT max(id) FROM reports_made')
            f.update(action='sign', id=str(rid))
            self.assertEqual(b.post_form('/admin/units/H21.227/reports',
                                         f).status, 200)
            got = {}

            def send():
                f2 = dict(f, action='submit')
                got['r'] = b.post_form('/admin/units/H21.227/reports', f2)
            t = threading.Thread(target=send)
            t.start()
            self.assertTrue(accepted.wait(120), 'the parent was not called')
            # the only event thread is free while the parent is silent
            # (were it held, /login would wait for the send's 15 s
            # timeout, and the send would be over by then)
            c = http.client.HTTPConnection(s.base.split('//')[1], timeout=60)
            c.request('GET', '/login')
            self.assertEqual(c.getresponse().status, 200)
            c.close()
            self.assertTrue(t.is_alive())
            release.set()
            t.join(300)
            self.assertFalse(t.is_alive(), 'no answer to the send')
            r = got['r']
            self.assertEqual(r.status, 422, r.text[:500])
            self.assertIn('Không thực hiện được', r.text)
            with s.db() as db:
                self.assertIsNone(db.execute(
                    'SELECT submitted_at FROM reports_made WHERE id = ?',
                    (rid,)).fetchone()[0])
                self.assertEqual(db.execute(
                    "SELECT count(*) FROM audit WHERE action = "
                    "'report.submit'").fetchone()[0], 0)
        lst.close()

    def test_csrf_roles_and_scope(self):
        b = Browser(self.s).logged_in('bao', PW)
        self.page(b)
        n = self.s.count('SELECT count(*) FROM reports_made')
        r = self.act(b, 'build', csrf='x' * 43)
        self.assertEqual(r.status, 403)
        r = b.post_form('/admin/units/H21.227/reports',
                        {'action': 'build', 'month': MONTH})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.s.count('SELECT count(*) FROM reports_made'), n)
        # a viewer has no reports tab
        v = Browser(self.s).logged_in('xem', PW)
        self.assertEqual(v.get('/admin/units/H21.227/reports').status, 403)
        self.assertNotIn('/reports', v.get('/admin/units/H21.227').text)
        # another unit's reporter: 404, as if it did not exist
        o = Browser(self.s).logged_in('khac', PW)
        self.assertEqual(o.get('/admin/units/H21.227/reports').status, 404)
        o.get('/admin/units/H21.101/reports')
        r = o.post_form('/admin/units/H21.227/reports',
                        {'action': 'build', 'month': MONTH,
                         'csrf': o.csrf()})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.s.count('SELECT count(*) FROM reports_made'), n)
        # a report of one unit is not served under another
        b.get(f'/admin/units/H21.227/reports?month={MONTH}')
        self.act(b, 'build')
        with self.s.db() as c:
            rid = c.execute('SELECT max(id) FROM reports_made').fetchone()[0]
        self.assertEqual(o.get(f'/admin/units/H21.101/reports/{rid}/'
                               'report.json').status, 404)
        # bad month, unknown action
        self.assertEqual(b.get('/admin/units/H21.227/reports?month=2025-13'
                               ).status, 400)
        r = self.act(b, 'explode')
        self.assertEqual(r.status, 400)
        self.assertIn('Reports: October 2025', b.get(
            f'/admin/units/H21.227/reports?month={MONTH}&lang=en').text)


class VerifyChain(unittest.TestCase):
    def test_an_edited_rating_row_is_detected(self):
        with Server(name='chain') as s:
            key = add_key(s, 'H21.227')
            r = s.post_json('/api/v1/ratings', COMMUNE_RATINGS, bearer(key))
            self.assertEqual(r.status, 200, r)
            self.assertIn('3 rows, 0 folded, chain intact',
                          run('verify-chain', '--db', s.db_path).stdout)
            # someone with the file: the trigger is no obstacle to them
            with s.db() as c:
                c.execute('DROP TRIGGER ratings_immutable')
                c.execute("UPDATE ratings SET level = 5 WHERE id = 'C3'")
                seq = c.execute("SELECT seq FROM ratings WHERE id = 'C3'"
                                ).fetchone()[0]
            p = run('verify-chain', '--db', s.db_path, check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn(f'ratings: chain BROKEN at seq {seq}', p.stdout)


if __name__ == '__main__':
    unittest.main()
