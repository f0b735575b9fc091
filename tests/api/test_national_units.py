"""data/vn-units-2025.csv, the national list a province imports its part
of (issue 16, "Data"): its shape, its agreement with data/units.csv, and
`hailong unit import --only` of a province's part.  data/SOURCES.md says
where the rows come from."""
import csv
import os
import re
import shutil
import sqlite3
import tempfile
import unicodedata
import unittest

from tests.api.hl import ROOT, run

NATIONAL = os.path.join(ROOT, 'data', 'vn-units-2025.csv')
REFERENCE = os.path.join(ROOT, 'data', 'units.csv')
UNIT_CODE = re.compile(r'[HG][0-9]{2}(\.[0-9]{1,4})*')   # is_unit_code()


def rows(path):
    with open(path, encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f))


class File(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(NATIONAL, 'rb') as f:
            cls.raw = f.read()
        cls.rows = rows(NATIONAL)

    def test_encoding_and_header(self):
        self.assertFalse(self.raw.startswith(b'\xef\xbb\xbf'))
        self.assertNotIn(b'\r', self.raw)
        text = self.raw.decode('utf-8')
        self.assertEqual(unicodedata.normalize('NFC', text), text)
        self.assertEqual(text.split('\n', 1)[0],
                         'code,name,level,parent_code,stat_code')

    def test_34_provinces_and_3321_communes(self):
        levels = [r['level'] for r in self.rows]
        self.assertEqual(levels.count('province'), 34)
        self.assertEqual(levels.count('commune'), 3321)
        self.assertEqual(len(levels), 34 + 3321)

    def test_every_row_is_importable(self):
        seen = {}
        stats = set()
        for line, r in enumerate(self.rows, 2):
            where = f'line {line}: {r}'
            self.assertTrue(UNIT_CODE.fullmatch(r['code']), where)
            self.assertNotIn(r['code'], seen, where)
            self.assertTrue(1 <= len(r['name'].encode()) <= 300, where)
            self.assertFalse(any(ord(c) < 32 for c in r['name']), where)
            self.assertRegex(r['stat_code'], r'^[0-9]{1,10}$', where)
            self.assertNotIn(r['stat_code'], stats, where)
            stats.add(r['stat_code'])
            if r['level'] == 'province':
                self.assertEqual(r['parent_code'], '', where)
                self.assertEqual(len(r['stat_code']), 2, where)
            else:
                # the parent comes first, and is the province
                self.assertEqual(seen.get(r['parent_code']), 'province',
                                 where)
                self.assertEqual(len(r['stat_code']), 5, where)
                self.assertTrue(r['code'].startswith(r['parent_code'] + '.'),
                                where)
            seen[r['code']] = r['level']

    def test_derived_codes_follow_the_rule(self):
        # SOURCES.md: where the one-stop code is not known, the code is
        # PROVINCE.<first digit of stat_code>.<its last four digits>
        derived = 0
        for r in self.rows:
            parts = r['code'].split('.')
            if len(parts) == 3:
                derived += 1
                self.assertEqual(len(parts[1]), 1, r)
                self.assertEqual(parts[1] + parts[2], r['stat_code'], r)
            elif r['level'] == 'commune':
                self.assertIn(parts[0], ('H01', 'H21'), r)  # portal codes
        self.assertEqual(derived, 3321 - 102 - 135)

    def test_reference_units_are_the_same_units(self):
        national = {r['code']: r for r in self.rows}
        n = 0
        for r in rows(REFERENCE):
            if r['level'] not in ('province', 'commune'):
                continue
            n += 1
            self.assertIn(r['code'], national, r)
            got = national[r['code']]
            self.assertEqual((got['name'], got['level'], got['parent_code']),
                             (r['name'], r['level'], r['parent_code']), r)
        self.assertEqual(n, 34 + 37)

    def test_sources_name_the_file(self):
        with open(os.path.join(ROOT, 'data', 'SOURCES.md'),
                  encoding='utf-8') as f:
            text = f.read()
        self.assertIn('## vn-units-2025.csv', text)
        self.assertIn('MIT', text)


def unit_import_built():
    p = run('unit', 'import', '--help', check=False)
    return 'not built yet' not in p.stdout + p.stderr


@unittest.skipUnless(os.path.exists(os.environ.get(
    'HAILONG_BIN', os.path.join(ROOT, 'build', 'bin', 'hailong'))) and
    unit_import_built(), 'hailong unit import is not built in this tree')
class ImportOnly(unittest.TestCase):
    """`unit import --only CODE` loads one province's part onto a server
    made by `hailong init` (no --demo)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='hailong-national-')
        self.db = os.path.join(self.tmp, 'h.db')
        run('init', '--db', self.db)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def units(self, sql, *params):
        con = sqlite3.connect(self.db)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def test_gia_lai(self):
        before = dict(self.units('SELECT code, name FROM units'))
        run('unit', 'import', '--db', self.db, '--only', 'H21', NATIONAL)
        communes = self.units(
            "SELECT code, stat_code FROM units WHERE parent = 'H21' "
            "AND level = 'commune'")
        self.assertEqual(len(communes), 135)
        self.assertIn(('H21.227', '21994'), communes)
        self.assertIn(('H21.134', '23764'), communes)
        # nothing outside Gia Lai came in, and the reference rows kept
        # their names
        self.assertEqual(self.units(
            "SELECT count(*) FROM units WHERE code LIKE 'H26.%'"), [(0,)])
        after = dict(self.units('SELECT code, name FROM units'))
        for code, name in before.items():
            self.assertEqual(after[code], name, code)
        # the same import again changes nothing
        run('unit', 'import', '--db', self.db, '--only', 'H21', NATIONAL)
        self.assertEqual(dict(self.units('SELECT code, name FROM units')),
                         after)

    def test_a_province_with_derived_codes(self):
        run('unit', 'import', '--db', self.db, '--only', 'H26', NATIONAL)
        got = self.units(
            "SELECT count(*) FROM units WHERE parent = 'H26'")
        self.assertEqual(got, [(126,)])
        self.assertEqual(self.units(
            "SELECT name, stat_code FROM units WHERE code = 'H26.0.0004'"),
            [('UBND phường Ba Đình', '00004')])


if __name__ == '__main__':
    unittest.main()
