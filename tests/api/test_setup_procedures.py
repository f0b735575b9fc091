"""hailong procedure: the catalogue, and which procedures a unit or a counter
handles, set up from the command line (issue 16).

The real binary on a real database made by `hailong init --demo`; a real
server shows what the form and the kiosks then offer.  Every refusal is
checked for its message, its exit status and that nothing changed.
"""
import json
import os
import re
import tempfile
import unittest

from tests.api.hl import DEMO_UNIT, Server, form_nonce, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw

OTHER = 'H21.01'        # a unit of data/units.csv the demo gives no list
HOTICH = 'Hộ tịch'


class Procedures(unittest.TestCase):
    """Each test starts from a fresh demo database (no server)."""

    def setUp(self):
        self.s = Server(name='procedures')
        self.tmp = tempfile.mkdtemp(prefix='hailong-proc-')

    def tearDown(self):
        self.s.__exit__(None, None, None)

    def cli(self, *args, check=False):
        return run('procedure', *args[:1], '--db', self.s.db_path,
                   *args[1:], check=check)

    def file(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        return path

    def rows(self, unit, counter=0):
        with self.s.db() as c:
            if counter:
                q = c.execute('SELECT procedure FROM counter_procedures '
                              'WHERE unit = ? AND counter = ? ORDER BY 1',
                              (unit, counter))
            else:
                q = c.execute('SELECT procedure FROM unit_procedures '
                              'WHERE unit = ? ORDER BY 1', (unit,))
            return [r[0] for r in q]

    def snapshot(self):
        """Everything a refused command must leave as it was."""
        with self.s.db() as c:
            return [c.execute(f'SELECT * FROM {t} ORDER BY 1, 2').fetchall()
                    for t in ('unit_procedures', 'counter_procedures',
                              'procedures', 'audit')]

    def field_codes(self, field):
        with self.s.db() as c:
            return [r[0] for r in c.execute(
                'SELECT code FROM procedures WHERE field = ? ORDER BY 1',
                (field,))]

    def audit(self, action):
        with self.s.db() as c:
            return c.execute(
                'SELECT actor, target, detail FROM audit WHERE action = ? '
                'ORDER BY seq DESC LIMIT 1', (action,)).fetchone()

    # -- assign -------------------------------------------------------------

    def test_assign_by_code(self):
        p = self.cli('assign', '--unit', OTHER, '1.001193', '2.000635')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, f'assigned 2 procedures to {OTHER}\n')
        self.assertEqual(self.rows(OTHER), ['1.001193', '2.000635'])
        a = self.audit('procedure.assign')
        self.assertTrue(a['actor'].startswith('cli:'))
        self.assertEqual(a['target'], OTHER)
        self.assertEqual(json.loads(a['detail']),
                         {'codes': ['1.001193', '2.000635'], 'changed': 2})
        # again: nothing new, still audited
        p = self.cli('assign', '--unit', OTHER, '1.001193')
        self.assertEqual(p.stdout, f'assigned 0 procedures to {OTHER}\n')

    def test_assign_by_field(self):
        p = self.cli('assign', '--unit', OTHER, '--field', HOTICH)
        self.assertEqual(p.returncode, 0, p.stderr)
        want = self.field_codes(HOTICH)
        self.assertGreater(len(want), 5)
        self.assertEqual(self.rows(OTHER), want)
        self.assertEqual(p.stdout,
                         f'assigned {len(want)} procedures to {OTHER}\n')
        self.assertEqual(json.loads(self.audit('procedure.assign')['detail']),
                         {'codes': [], 'field': HOTICH, 'changed': len(want)})

    def test_assign_by_file(self):
        plain = self.file('codes.txt', '1.001193\n\n  2.000635 \n')
        p = self.cli('assign', '--unit', OTHER, '--file', plain)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.rows(OTHER), ['1.001193', '2.000635'])
        # a CSV whose first column is the code, with its header
        csv = self.file('list.csv', 'code,name\n'
                        '1.004884,"Thủ tục đăng ký lại khai sinh"\r\n'
                        '1.003583,x\n')
        p = self.cli('assign', '--unit', OTHER, '--file', csv, '1.000593')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.rows(OTHER), ['1.000593', '1.001193',
                                            '1.003583', '1.004884',
                                            '2.000635'])

    def test_bad_line_of_a_codes_file_names_it(self):
        before = self.snapshot()
        path = self.file('codes.txt', '1.001193\nkhai sinh\n')
        p = self.cli('assign', '--unit', OTHER, '--file', path)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr, f"hailong procedure: {path}:2: code: "
                         "'khai sinh' is not a mã TTHC (like 1.001193)\n")
        self.assertEqual(self.snapshot(), before)

    def test_assign_to_a_counter(self):
        unit = self.rows(DEMO_UNIT)
        self.assertIn('1.001193', unit)
        p = self.cli('assign', '--unit', DEMO_UNIT, '--counter', '2',
                     '1.001193')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout,
                         f'assigned 1 procedure to {DEMO_UNIT} counter 2\n')
        self.assertEqual(self.rows(DEMO_UNIT, 2), ['1.001193'])
        self.assertEqual(self.audit('procedure.assign')['target'],
                         f'{DEMO_UNIT}/2')
        # a field at a counter: the unit's procedures of that field
        p = self.cli('assign', '--unit', DEMO_UNIT, '--counter', '1',
                     '--field', HOTICH)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.rows(DEMO_UNIT, 1),
                         sorted(set(self.field_codes(HOTICH)) & set(unit)))

    def test_a_counter_stays_within_its_unit(self):
        # 1.001193 is commune-level; the demo unit lists those, not this
        with self.s.db() as c:
            code = c.execute(
                "SELECT code FROM procedures WHERE code NOT IN (SELECT "
                "procedure FROM unit_procedures WHERE unit = ?) LIMIT 1",
                (DEMO_UNIT,)).fetchone()[0]
        before = self.snapshot()
        p = self.cli('assign', '--unit', DEMO_UNIT, '--counter', '1', code)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(
            p.stderr, f'hailong procedure: procedure {code} is not assigned '
            f'to unit {DEMO_UNIT}; assign it to the unit first\n')
        p = self.cli('assign', '--unit', DEMO_UNIT, '--counter', '9',
                     '1.001193')
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr, 'hailong procedure: unit H21.227 has no '
                         'counter 9\n')
        self.assertEqual(self.snapshot(), before)

    # -- refused, nothing changed ---------------------------------------------

    def test_unknown_code_field_or_unit_changes_nothing(self):
        before = self.snapshot()
        cases = [
            (('1.001193', '1.999999'),
             "no procedure '1.999999' in the catalogue"),
            (('--field', 'Không có'),
             "no field 'Không có' in the catalogue"),
            (('1.001193', '--field', 'Không có'),
             "no field 'Không có' in the catalogue"),
            (('khai-sinh',),
             "'khai-sinh' is not a mã TTHC (like 1.001193)"),
        ]
        for verb in ('assign', 'unassign'):
            for args, msg in cases:
                with self.subTest(verb=verb, args=args):
                    p = self.cli(verb, '--unit', OTHER, *args)
                    self.assertEqual(p.returncode, 1)
                    self.assertEqual(p.stderr,
                                     f'hailong procedure: {msg}\n')
        p = self.cli('assign', '--unit', 'H99.999', '1.001193')
        self.assertEqual((p.returncode, p.stderr),
                         (1, "hailong procedure: no unit 'H99.999'\n"))
        self.assertEqual(self.snapshot(), before)

    def test_usage(self):
        for args in (('assign', '1.001193'),            # no --unit
                     ('assign', '--unit', OTHER),        # nothing to assign
                     ('assign', '--unit', OTHER, '--counter', '0', '1.1'),
                     ('frobnicate',),
                     ('import',)):
            with self.subTest(args=args):
                p = self.cli(*args)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn('hailong procedure: ', p.stderr)
        p = run('procedure', '--help')
        self.assertEqual(p.returncode, 0)
        self.assertIn('hailong procedure assign --db FILE --unit CODE',
                      p.stdout)

    # -- unassign -------------------------------------------------------------

    def test_unassign_from_a_unit_takes_it_off_its_counters(self):
        run('procedure', 'assign', '--db', self.s.db_path, '--unit',
            DEMO_UNIT, '--counter', '1', '1.001193', '1.004884')
        run('procedure', 'assign', '--db', self.s.db_path, '--unit',
            DEMO_UNIT, '--counter', '2', '1.001193')
        p = self.cli('unassign', '--unit', DEMO_UNIT, '1.001193')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout,
                         f'unassigned 1 procedure from {DEMO_UNIT}\n')
        self.assertNotIn('1.001193', self.rows(DEMO_UNIT))
        self.assertEqual(self.rows(DEMO_UNIT, 1), ['1.004884'])
        self.assertEqual(self.rows(DEMO_UNIT, 2), [])
        # from a counter only
        p = self.cli('unassign', '--unit', DEMO_UNIT, '--counter', '1',
                     '--field', HOTICH)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.rows(DEMO_UNIT, 1), [])
        self.assertIn('1.004884', self.rows(DEMO_UNIT))
        self.assertEqual(self.audit('procedure.unassign')['target'],
                         f'{DEMO_UNIT}/1')

    # -- list -----------------------------------------------------------------

    def test_list_json(self):
        run('procedure', 'assign', '--db', self.s.db_path, '--unit', OTHER,
            '1.001193', '2.000635')
        doc = json.loads(self.cli('list', '--unit', OTHER, '--json',
                                  check=True).stdout)
        self.assertEqual(doc['unit'], OTHER)
        self.assertIsNone(doc['counter'])
        self.assertEqual([p['code'] for p in doc['procedures']],
                         ['1.001193', '2.000635'])
        first = doc['procedures'][0]
        self.assertEqual(set(first), {'code', 'name', 'field', 'level',
                                      'assigned'})
        self.assertEqual((first['name'], first['field'], first['assigned']),
                         ('Thủ tục đăng ký khai sinh', HOTICH, True))
        # the whole catalogue, marked
        doc = json.loads(self.cli('list', '--unit', OTHER, '--all',
                                  '--json', check=True).stdout)
        with self.s.db() as c:
            n = c.execute('SELECT count(*) FROM procedures').fetchone()[0]
        self.assertEqual(len(doc['procedures']), n)
        self.assertEqual(sorted(p['code'] for p in doc['procedures']
                                if p['assigned']), ['1.001193', '2.000635'])
        # searched by name (case and all), by code, by field
        for q, want in (('KHAI SINH', '1.001193'), ('2.0006', '2.000635'),
                        ('hộ tịch', '1.001193')):
            doc = json.loads(self.cli('list', '--unit', OTHER, '--search',
                                      q, '--json', check=True).stdout)
            self.assertIn(want, [p['code'] for p in doc['procedures']], q)
        doc = json.loads(self.cli('list', '--unit', OTHER, '--search',
                                  'kết hôn', '--json', check=True).stdout)
        self.assertEqual(doc['procedures'], [])
        # a counter's list
        run('procedure', 'assign', '--db', self.s.db_path, '--unit',
            DEMO_UNIT, '--counter', '3', '1.001193')
        doc = json.loads(self.cli('list', '--unit', DEMO_UNIT, '--counter',
                                  '3', '--json', check=True).stdout)
        self.assertEqual(doc['counter'], 3)
        self.assertEqual([p['code'] for p in doc['procedures']],
                         ['1.001193'])
        p = self.cli('list', '--unit', 'H99.999')
        self.assertEqual((p.returncode, p.stderr),
                         (1, "hailong procedure: no unit 'H99.999'\n"))

    # -- import ---------------------------------------------------------------

    def test_import_upserts_the_catalogue(self):
        path = self.file('cat.csv', 'code,name,field,level\n'
                         '9.000001,Thủ tục thử,Lĩnh vực thử,xa\n'
                         '1.001193,Đăng ký khai sinh (tên mới),Hộ tịch,xa\n')
        p = self.cli('import', path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, f'2 procedures imported from {path}\n')
        with self.s.db() as c:
            self.assertEqual(c.execute(
                "SELECT name, field FROM procedures WHERE code = ?",
                ('9.000001',)).fetchone()[:], ('Thủ tục thử', 'Lĩnh vực thử'))
            self.assertEqual(c.execute(
                "SELECT name FROM procedures WHERE code = '1.001193'"
            ).fetchone()[0], 'Đăng ký khai sinh (tên mới)')
        self.assertEqual(json.loads(self.audit('procedure.import')['detail']),
                         {'file': path, 'rows': 2, 'added': 1})
        # and the new field can be assigned at once
        p = self.cli('assign', '--unit', OTHER, '--field', 'Lĩnh vực thử')
        self.assertEqual(p.stdout, f'assigned 1 procedure to {OTHER}\n')

    def test_import_with_a_bad_line_is_refused_whole(self):
        before = self.snapshot()
        cases = [
            ('code,name,field,level\n9.000001,A,B,xa\n9.1,bad,,\n',
             "{f}:3: code: '9.1' is not a mã TTHC (like 1.001193)"),
            ('code,name,field,level\n9.000001,A,B,xa\n9.000002,,B,xa\n',
             '{f}:3: name: empty, over 500 bytes or not UTF-8 text on one '
             'line'),
            ('code,name,field,level\n9.000001,A,B\n',
             '{f}:2: expected 4 fields, got 3'),
            ('code,name,field,level\n9.000001,A,B,xa\n9.000002,C,B,xa\n'
             '9.000001,D,B,xa\n',
             "{f}:4: code: '9.000001' is on line 2 already"),
            ('code,name,lĩnh vực,level\n9.000001,A,B,xa\n',
             "{f}:1: column 3 must be 'field', not 'lĩnh vực'"),
        ]
        for i, (text, msg) in enumerate(cases):
            with self.subTest(msg=msg):
                path = self.file(f'bad{i}.csv', text)
                p = self.cli('import', path)
                self.assertEqual(p.returncode, 1)
                self.assertEqual(p.stderr, 'hailong procedure: ' +
                                 msg.format(f=path) + '\n')
        self.assertEqual(self.snapshot(), before)


class WhatTheServerOffers(unittest.TestCase):
    """A running server offers what the command line assigned."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server(name='procedures-served').start()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def picker(self, token):
        r = self.s.get('/q/' + token)
        self.assertEqual(r.status, 200)
        return re.findall(r'name="procedure" value="([^"]+)"', r.text), r.text

    def test_the_form_offers_the_unit_then_the_counter_first(self):
        db = self.s.db_path
        run('procedure', 'assign', '--db', db, '--unit', OTHER, '1.001193',
            '2.000635')
        # a unit of a few procedures: all of them listed
        codes, _ = self.picker(self.s.token(
            unit=OTHER, dossier=OTHER + '-261203-0001'))
        self.assertEqual(sorted(codes), ['1.001193', '2.000635'])
        run('procedure', 'assign', '--db', db, '--unit', DEMO_UNIT,
            '--counter', '3', '1.004884')
        tok = self.s.token(counter=3)
        codes, html = self.picker(tok)
        self.assertEqual(codes, ['1.004884'])   # the counter's own
        # and the unit's others by a search (never all 92 in the page)
        r = self.s.post_form('/q/' + tok, {'nonce': form_nonce(html),
                                          'pq': 'khai sinh', 'find': '1'})
        found = re.findall(r'name="procedure" value="([^"]+)"', r.text)
        self.assertEqual(found[0], '1.004884')
        self.assertGreater(len(found), 3)

    def test_the_kiosk_config_lists_the_counters_procedures(self):
        db = self.s.db_path
        _, code, _ = add_kiosk(self.s, counter=2)
        r = enrol_raw(self.s, code)
        k = Signer(r.json()['kiosk'], r.json()['secret'])
        r, _ = k.call(self.s, 'GET', '/api/v1/kiosk/config')
        self.assertGreater(len(r.json()['procedures']), 10)
        run('procedure', 'assign', '--db', db, '--unit', DEMO_UNIT,
            '--counter', '2', '1.001193', '2.000635')
        r, _ = k.call(self.s, 'GET', '/api/v1/kiosk/config')
        self.assertEqual(sorted(p['code'] for p in r.json()['procedures']),
                         ['1.001193', '2.000635'])


if __name__ == '__main__':
    unittest.main()
