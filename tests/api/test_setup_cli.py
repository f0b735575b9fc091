"""Setup without SQL: `hailong unit`, `counter` and `officer`, and what a
disabled counter or unit does to the QR form, the poster and the kiosks.

Everything goes through the real binary and a real server; the database
is only read, to check what changed (and that a refused change changed
nothing), and the audit log with `hailong verify-chain`.
"""
import json
import os
import time
import unittest
import uuid

from tests.api.hl import Server, form_nonce, run
from tests.api.kioskhl import (Kiosk, Signer, add_kiosk, enrol_raw, item,
                               wait_until)

CLOSED_COUNTER = 'Quầy này đã ngừng nhận đánh giá'
CLOSED_UNIT = 'Đơn vị này đã ngừng nhận đánh giá'


class Setup(unittest.TestCase):
    """One server made by `hailong init` without --demo."""

    @classmethod
    def setUpClass(cls):
        cls.s = Server(demo=False, name='setup-cli').start()
        cls.db = cls.s.db_path

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    # -- helpers --------------------------------------------------------------

    def hl(self, *args, code=0):
        """Run hailong; assert its exit status; returns the process."""
        p = run(*args, check=False)
        self.assertEqual(p.returncode, code,
                         f'hailong {" ".join(args)}:\n{p.stdout}\n{p.stderr}')
        return p

    def refused(self, *args, why, code=1):
        """A command that must fail, change nothing and say why."""
        before = self.snapshot()
        p = self.hl(*args, code=code)
        self.assertIn(why, p.stderr)
        self.assertEqual(self.snapshot(), before, args)
        return p.stderr

    def snapshot(self):
        """Every row a setup command could change, and the audit's size."""
        with self.s.db() as c:
            return [c.execute(q).fetchall() for q in (
                'SELECT code, name, level, parent, stat_code, active, '
                'disabled_at FROM units ORDER BY code',
                'SELECT * FROM unit_tree ORDER BY ancestor, descendant',
                'SELECT unit, number, name, active, disabled_at FROM '
                'counters ORDER BY unit, number',
                'SELECT id, unit, name, counter, active, disabled_at FROM '
                'officers ORDER BY id',
                'SELECT count(*) FROM audit')]

    def audit(self, action, target):
        with self.s.db() as c:
            rows = c.execute('SELECT actor, detail FROM audit WHERE action = '
                             '? AND target = ? ORDER BY seq',
                             (action, target)).fetchall()
        self.assertTrue(rows, f'no audit entry {action} {target}')
        actor, detail = rows[-1]
        self.assertTrue(actor.startswith('cli:'), actor)
        return json.loads(detail) if detail else {}

    def chain_intact(self):
        p = self.hl('verify-chain', '--db', self.db)
        self.assertIn('audit:', p.stdout)
        self.assertIn('chain intact', p.stdout.split('audit:', 1)[1])

    def unit(self, code, parent='H21', name=None, level='commune'):
        self.hl('unit', 'add', '--db', self.db, '--code', code, '--name',
                name or 'UBND xã ' + code, '--level', level, '--parent',
                parent)

    def counter(self, unit, number, name=None):
        self.hl('counter', 'add', '--db', self.db, '--unit', unit,
                '--number', str(number), '--name', name or f'Quầy {number}')

    def csv(self, name, text):
        path = os.path.join(self.s.dir, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        return path

    # -- the commands ---------------------------------------------------------

    def test_every_command_has_help_and_usage_errors_exit_2(self):
        for cmd, verbs in (('unit', ('add', 'import', 'list', 'rename',
                                     'disable')),
                           ('counter', ('add', 'list', 'rename', 'disable')),
                           ('officer', ('add', 'list', 'disable'))):
            p = self.hl(cmd, '--help')
            for v in verbs:
                self.assertIn(f'hailong {cmd} {v}', p.stdout)
            self.hl(cmd, code=2)
            self.hl(cmd, 'frobnicate', '--db', self.db, code=2)
            self.hl(cmd, 'list', '--db', self.db, '--bogus', code=2)
        self.hl('unit', 'add', '--db', self.db, '--code', 'H21.990', code=2)
        self.hl('counter', 'add', '--db', self.db, '--unit', 'H21',
                '--number', '0', '--name', 'x', code=2)
        self.hl('counter', 'add', '--db', self.db, '--unit', 'H21',
                '--number', '1000', '--name', 'x', code=2)
        self.hl('officer', 'add', '--db', self.db, '--unit', 'H21', code=2)

    def test_unit_add_list_rename_disable(self):
        self.hl('unit', 'add', '--db', self.db, '--code', 'H21.900',
                '--name', 'UBND xã Ia Thử', '--level', 'commune', '--parent',
                'H21', '--stat-code', '23456')
        self.assertEqual(self.audit('unit.add', 'H21.900'),
                         {'name': 'UBND xã Ia Thử', 'level': 'commune',
                          'parent': 'H21', 'stat_code': '23456'})
        self.unit('H21.900.1', parent='H21.900', level='centre',
                  name='Bộ phận một cửa')
        doc = json.loads(self.hl('unit', 'list', '--db', self.db, '--under',
                                 'H21.900', '--json').stdout)
        self.assertEqual(
            [(u['code'], u['parent'], u['depth'], u['active'])
             for u in doc['units']],
            [('H21.900', 'H21', 0, True), ('H21.900.1', 'H21.900', 1, True)])
        self.assertEqual(doc['units'][0]['stat_code'], '23456')
        # the whole tree, parents first, and the plain listing
        every = json.loads(self.hl('unit', 'list', '--db', self.db,
                                   '--json').stdout)['units']
        seen = set()
        for u in every:
            self.assertTrue(u['parent'] is None or u['parent'] in seen, u)
            seen.add(u['code'])
        self.assertIn('H21.900', seen)
        text = self.hl('unit', 'list', '--db', self.db, '--under',
                       'H21.900').stdout
        self.assertIn('  H21.900.1', text)
        self.refused('unit', 'list', '--db', self.db, '--under', 'H21.999',
                     why="no unit 'H21.999'")
        # rename
        self.hl('unit', 'rename', '--db', self.db, '--code', 'H21.900',
                '--name', 'UBND xã Ia Thử Mới')
        self.assertEqual(self.audit('unit.rename', 'H21.900')['name'],
                         'UBND xã Ia Thử Mới')
        # disable: not while a unit below is active
        self.refused('unit', 'disable', '--db', self.db, '--code', 'H21.900',
                     why='has active units below it (H21.900.1)')
        self.hl('unit', 'disable', '--db', self.db, '--code', 'H21.900.1')
        self.audit('unit.disable', 'H21.900.1')
        self.refused('unit', 'disable', '--db', self.db, '--code',
                     'H21.900.1', why='disabled already')
        with self.s.db() as c:
            row = c.execute("SELECT active, disabled_at FROM units WHERE "
                            "code = 'H21.900.1'").fetchone()
        self.assertEqual(row[0], 0)
        self.assertGreater(row[1], 0)
        self.chain_intact()

    def test_unit_bad_input_changes_nothing(self):
        self.unit('H21.910')
        self.unit('H21.911')
        self.hl('unit', 'disable', '--db', self.db, '--code', 'H21.911')
        base = ['unit', 'add', '--db', self.db, '--level', 'commune']
        self.refused(*base, '--code', 'H21.912', '--name', 'x', '--parent',
                     'H21.999', why="no parent unit 'H21.999'")
        self.refused(*base, '--code', 'H21.912', '--name', 'x', '--parent',
                     'H21.911', why="parent unit 'H21.911' is disabled")
        self.refused(*base, '--code', 'H21.910', '--name', 'x', '--parent',
                     'H21', why="unit code 'H21.910' is taken")
        for bad in ('X21.912', 'H21.', 'H21.12345', 'h21.912'):
            self.refused(*base, '--code', bad, '--name', 'x', '--parent',
                         'H21', why='is not a unit code')
        self.refused(*base, '--code', 'H21.912', '--name', 'a' * 301,
                     '--parent', 'H21', why='longer than 300 bytes')
        self.refused(*base, '--code', 'H21.912', '--name', '', '--parent',
                     'H21', why='name is empty')
        self.refused('unit', 'add', '--db', self.db, '--code', 'H21.912',
                     '--name', 'x', '--level', 'village', '--parent', 'H21',
                     why="level 'village' is not one of")
        self.refused(*base, '--code', 'H21.912', '--name', 'x', '--parent',
                     'H21', '--stat-code', '12a', why='stat_code')
        self.refused('unit', 'rename', '--db', self.db, '--code', 'H21.919',
                     '--name', 'x', why="no unit 'H21.919'")
        # 300 bytes of UTF-8 are fine (100 three-byte letters)
        self.hl(*base, '--code', 'H21.913', '--name', 'ữ' * 100, '--parent',
                'H21')

    def test_import_is_checked_whole_first(self):
        # one bad line refuses all, naming file, line and column
        bad = self.csv('one_bad.csv',
                       'code,name,level,parent_code\n'
                       'H21.920,Xã Một,commune,H21\n'
                       'H21.921,Xã Hai,hamlet,H21\n'
                       'H21.922,Xã Ba,commune,H21\n')
        err = self.refused('unit', 'import', '--db', self.db, bad,
                           why=f'{bad}:3: level: ')
        self.assertIn("'hamlet' is not one of", err)
        # --skip-bad imports the rest
        p = self.hl('unit', 'import', '--db', self.db, '--skip-bad', bad)
        self.assertIn('2 added, 0 updated, 1 skipped', p.stdout)
        self.assertIn(f'{bad}:3: level:', p.stderr)
        detail = self.audit('unit.import', '')
        self.assertEqual((detail['added'], detail['skipped']), (2, 1))
        # each kind of bad line, each refused whole
        for name, line, why in [
                ('shape', 'H21-923,X,commune,H21', '2: code: '),
                ('long', 'H21.923,' + 'a' * 301 + ',commune,H21',
                 '2: name: longer than 300 bytes'),
                ('unknown', 'H21.923,X,commune,H21.998',
                 "2: parent_code: no unit 'H21.998'"),
                ('dup', 'H21.923,X,commune,H21\nH21.923,Y,commune,H21',
                 "3: code: 'H21.923' is also on line 2"),
                ('fields', 'H21.923,X,commune', '2: expected 4 fields, got 3'),
                ('stat', 'H21.923,X,commune,H21,1x', '2: stat_code:')]:
            header = 'code,name,level,parent_code' + (
                ',stat_code' if name == 'stat' else '')
            path = self.csv(name + '.csv', header + '\n' + line + '\n')
            self.refused('unit', 'import', '--db', self.db, path,
                         why=f'{path}:{why}')
        # a disabled parent
        self.unit('H21.924')
        self.hl('unit', 'disable', '--db', self.db, '--code', 'H21.924')
        path = self.csv('disabled.csv', 'code,name,level,parent_code\n'
                        'H21.924.1,X,centre,H21.924\n')
        self.refused('unit', 'import', '--db', self.db, path,
                     why=f"{path}:2: parent_code: unit 'H21.924' is disabled")
        # a cycle made by re-parenting within the file
        self.unit('H21.925')
        self.unit('H21.925.1', parent='H21.925', level='centre')
        path = self.csv('cycle.csv', 'code,name,level,parent_code\n'
                        'H21.925,X,commune,H21.925.1\n')
        self.refused('unit', 'import', '--db', self.db, path,
                     why=f'{path}:2: parent_code: ')
        self.refused('unit', 'import', '--db', self.db, path, why='cycle')
        # a bad header
        path = self.csv('header.csv', 'ma,ten\nH21.926,X\n')
        self.refused('unit', 'import', '--db', self.db, path,
                     why=f'{path}:1: the header must be')

    def test_import_upserts_with_stat_code_and_only(self):
        path = self.csv('national.csv',
                        'code,name,level,parent_code,stat_code\n'
                        'H90,Tỉnh Thử,province,,23\n'
                        'H90.1,Xã Một,commune,H90,23001\n'
                        'H90.1.1,Bộ phận một cửa,centre,H90.1,\n'
                        'H91,Tỉnh Khác,province,,24\n'
                        'H91.1,Xã Khác,commune,H91,24001\n')
        p = self.hl('unit', 'import', '--db', self.db, '--only', 'H90', path)
        self.assertIn('3 added, 0 updated, 0 skipped', p.stdout)
        units = {u['code']: u for u in json.loads(self.hl(
            'unit', 'list', '--db', self.db, '--json').stdout)['units']}
        self.assertIn('H90.1.1', units)
        self.assertNotIn('H91', units)
        self.assertEqual(units['H90.1']['stat_code'], '23001')
        self.assertEqual(self.audit('unit.import', 'H90')['only'], 'H90')
        p = self.hl('unit', 'import', '--db', self.db, path)
        self.assertIn('2 added, 3 updated, 0 skipped', p.stdout)
        with self.s.db() as c:
            self.assertEqual(c.execute(
                "SELECT count(*) FROM unit_tree WHERE ancestor = 'H91' "
                "AND descendant = 'H91.1'").fetchone()[0], 1)
        self.refused('unit', 'import', '--db', self.db, '--only', 'H92',
                     path, why="no unit 'H92' in the file")
        self.chain_intact()

    def test_counters(self):
        self.unit('H21.930')
        self.counter('H21.930', 1, 'Quầy 1 — Hộ tịch')
        self.assertEqual(self.audit('counter.add', 'H21.930/1'),
                         {'name': 'Quầy 1 — Hộ tịch'})
        self.counter('H21.930', 2)
        self.hl('counter', 'rename', '--db', self.db, '--unit', 'H21.930',
                '--number', '2', '--name', 'Quầy 2 — Đất đai')
        self.assertEqual(self.audit('counter.rename', 'H21.930/2')['name'],
                         'Quầy 2 — Đất đai')
        doc = json.loads(self.hl('counter', 'list', '--db', self.db,
                                 '--unit', 'H21.930', '--json').stdout)
        self.assertEqual(
            [(c['number'], c['name'], c['active'], c['kiosks'])
             for c in doc['counters']],
            [(1, 'Quầy 1 — Hộ tịch', True, 0), (2, 'Quầy 2 — Đất đai', True,
                                                  0)])
        self.refused('counter', 'add', '--db', self.db, '--unit', 'H21.930',
                     '--number', '1', '--name', 'x',
                     why="unit 'H21.930' has a counter 1 already")
        self.refused('counter', 'add', '--db', self.db, '--unit', 'H21.939',
                     '--number', '1', '--name', 'x', why="no unit 'H21.939'")
        self.refused('counter', 'add', '--db', self.db, '--unit', 'H21.930',
                     '--number', '3', '--name', 'a' * 101,
                     why='longer than 100 bytes')
        self.refused('counter', 'add', '--db', self.db, '--unit', 'H21-930',
                     '--number', '3', '--name', 'x', why='not a unit code',
                     code=2)
        self.refused('counter', 'rename', '--db', self.db, '--unit',
                     'H21.930', '--number', '9', '--name', 'x',
                     why="has no counter 9")
        # a disabled unit takes no counter
        self.unit('H21.931')
        self.hl('unit', 'disable', '--db', self.db, '--code', 'H21.931')
        self.refused('counter', 'add', '--db', self.db, '--unit', 'H21.931',
                     '--number', '1', '--name', 'x',
                     why="unit 'H21.931' is disabled")
        # disable; a number stays taken by its disabled counter
        self.hl('counter', 'disable', '--db', self.db, '--unit', 'H21.930',
                '--number', '2')
        self.assertIn('disabled_at', self.audit('counter.disable',
                                                'H21.930/2'))
        self.refused('counter', 'disable', '--db', self.db, '--unit',
                     'H21.930', '--number', '2', why='disabled already')
        self.refused('counter', 'add', '--db', self.db, '--unit', 'H21.930',
                     '--number', '2', '--name', 'x', why='(disabled)')
        text = self.hl('counter', 'list', '--db', self.db, '--unit',
                       'H21.930').stdout
        self.assertRegex(text, r'\n\s+2\s+disabled\s')
        self.chain_intact()

    def test_officers(self):
        self.unit('H21.940')
        self.unit('H21.941')
        self.counter('H21.940', 1)
        self.counter('H21.940', 2)
        self.hl('officer', 'add', '--db', self.db, '--unit', 'H21.940',
                '--id', 'IA01', '--name', 'Rơ Châm Hồng', '--counter', '1')
        self.assertEqual(self.audit('officer.add', 'IA01'),
                         {'unit': 'H21.940', 'name': 'Rơ Châm Hồng',
                          'counter': 1})
        self.hl('officer', 'add', '--db', self.db, '--unit', 'H21.940',
                '--id', 'IA02', '--name', 'Ksor H\'Mai')
        self.hl('officer', 'add', '--db', self.db, '--unit', 'H21.941',
                '--id', 'IB01', '--name', 'Đinh Văn Nam')
        mine = json.loads(self.hl('officer', 'list', '--db', self.db,
                                  '--unit', 'H21.940', '--json').stdout)
        self.assertEqual(
            [(o['id'], o['counter'], o['active']) for o in mine['officers']],
            [('IA01', 1, True), ('IA02', None, True)])
        every = json.loads(self.hl('officer', 'list', '--db', self.db,
                                   '--json').stdout)['officers']
        self.assertTrue({'IA01', 'IA02', 'IB01'} <= {o['id'] for o in every})
        # unique across units, shapes, limits, the usual counter
        self.refused('officer', 'add', '--db', self.db, '--unit', 'H21.941',
                     '--id', 'IA01', '--name', 'x',
                     why="officer id 'IA01' is taken (unit H21.940)")
        self.refused('officer', 'add', '--db', self.db, '--unit', 'H21.940',
                     '--id', 'bad id!', '--name', 'x',
                     why='is not an officer id')
        self.refused('officer', 'add', '--db', self.db, '--unit', 'H21.940',
                     '--id', 'IA03', '--name', 'a' * 101,
                     why='longer than 100 bytes')
        self.refused('officer', 'add', '--db', self.db, '--unit', 'H21.940',
                     '--id', 'IA03', '--name', 'x', '--counter', '7',
                     why="unit 'H21.940' has no counter 7")
        self.refused('officer', 'add', '--db', self.db, '--unit', 'H21.949',
                     '--id', 'IA03', '--name', 'x', why="no unit 'H21.949'")
        # disable; a disabled counter takes no officer
        self.hl('officer', 'disable', '--db', self.db, '--id', 'IA02')
        self.audit('officer.disable', 'IA02')
        self.refused('officer', 'disable', '--db', self.db, '--id', 'IA02',
                     why='disabled already')
        self.refused('officer', 'disable', '--db', self.db, '--id', 'IZ99',
                     why="no officer 'IZ99'")
        self.hl('counter', 'disable', '--db', self.db, '--unit', 'H21.940',
                '--number', '2')
        self.refused('officer', 'add', '--db', self.db, '--unit', 'H21.940',
                     '--id', 'IA03', '--name', 'x', '--counter', '2',
                     why='counter 2 of \'H21.940\' is disabled')
        # kiosk add: points to `counter add`, refuses what is disabled
        err = self.refused('kiosk', 'add', '--db', self.db, '--unit',
                           'H21.940', '--counter', '5', why='no counter 5')
        self.assertIn('hailong counter add', err)
        self.assertNotIn('counters table', err)
        self.refused('kiosk', 'add', '--db', self.db, '--unit', 'H21.940',
                     '--counter', '2', why='counter 2 of unit \'H21.940\' '
                     'is disabled')
        self.refused('kiosk', 'add', '--db', self.db, '--unit', 'H21.940',
                     '--counter', '1', '--officer', 'IA02',
                     why="officer 'IA02' is disabled")
        add_kiosk(self.s, unit='H21.940', counter=1, officer='IA01')
        self.counter('H21.941', 1)
        self.hl('unit', 'disable', '--db', self.db, '--code', 'H21.941')
        self.refused('kiosk', 'add', '--db', self.db, '--unit', 'H21.941',
                     '--counter', '1', why="unit 'H21.941' is disabled")
        self.chain_intact()

    # -- what disabling does --------------------------------------------------

    def test_a_disabled_counter_answers_410_in_vietnamese(self):
        self.unit('H21.950')
        self.counter('H21.950', 1)
        self.counter('H21.950', 2)
        tok = self.s.token(unit='H21.950', counter=1)
        other = self.s.token(unit='H21.950', counter=2)
        r = self.s.get('/q/' + tok)
        self.assertEqual(r.status, 200)
        nonce = form_nonce(r.text)
        self.assertEqual(self.s.get('/poster/' + tok).status, 200)
        self.hl('counter', 'disable', '--db', self.db, '--unit', 'H21.950',
                '--number', '1')
        # at once: the check is not behind the form's cache
        r = self.s.get('/q/' + tok)
        self.assertEqual(r.status, 410)
        self.assertIn(CLOSED_COUNTER, r.text)
        self.assertIn('lang="vi"', r.text)
        self.assertNotIn('<form', r.text)
        before = self.s.count()
        r = self.s.post_form('/q/' + tok, {'nonce': nonce, 'level': '5',
                                           'procedure': '1.001193'})
        self.assertEqual(r.status, 410)
        self.assertIn(CLOSED_COUNTER, r.text)
        self.assertEqual(self.s.count(), before)
        r = self.s.get('/poster/' + tok)
        self.assertEqual(r.status, 410)
        self.assertIn(CLOSED_COUNTER, r.text)
        # the unit's other counter still takes ratings
        self.assertEqual(self.s.get('/q/' + other).status, 200)

    def test_a_disabled_unit_answers_410_in_vietnamese(self):
        self.unit('H21.951')
        self.counter('H21.951', 1)
        tok = self.s.token(unit='H21.951', procedure='1.001193')
        ctr = self.s.token(unit='H21.951', counter=1)
        self.assertEqual(self.s.get('/q/' + tok).status, 200)
        self.hl('unit', 'disable', '--db', self.db, '--code', 'H21.951')
        for t in (tok, ctr):
            r = self.s.get('/q/' + t)
            self.assertEqual(r.status, 410)
            self.assertIn(CLOSED_UNIT, r.text)

    def test_kiosk_ratings_after_the_counter_closed_are_rejected(self):
        self.unit('H21.960')
        self.counter('H21.960', 1)
        _, code, _ = add_kiosk(self.s, unit='H21.960', counter=1)
        body = enrol_raw(self.s, code).json()
        k = Signer(body['kiosk'], body['secret'])
        r, _ = k.call(self.s, 'GET', '/api/v1/kiosk/config')
        self.assertEqual(r.status, 200)
        self.assertIs(r.json()['counter']['active'], True)
        earlier = time.strftime('%Y-%m-%dT%H:%M:%SZ',
                                time.gmtime(time.time() - 120))
        self.hl('counter', 'disable', '--db', self.db, '--unit', 'H21.960',
                '--number', '1')
        r, _ = k.call(self.s, 'GET', '/api/v1/kiosk/config')
        self.assertEqual(r.status, 200)
        self.assertIs(r.json()['counter']['active'], False)
        before, after = str(uuid.uuid4()), str(uuid.uuid4())
        r = k.post(self.s, '/api/v1/kiosk/ratings', {'ratings': [
            item(before, 4, seq=1, rated_at=earlier),
            item(after, 5, seq=2)]})
        self.assertEqual(r.status, 200, r)
        res = {x['id']: x for x in r.json()['results']}
        # given while it was open: kept; given after: rejected, and why
        self.assertEqual(res[before]['status'], 'accepted')
        self.assertEqual((res[after]['status'], res[after]['reason']),
                         ('rejected', 'counter_disabled'))
        with self.s.db() as c:
            self.assertEqual(c.execute(
                'SELECT count(*) FROM ratings WHERE unit = ? AND counter = 1',
                ('H21.960',)).fetchone()[0], 1)

    def test_the_kiosk_program_shows_a_closed_counter(self):
        self.unit('H21.970')
        self.counter('H21.970', 1)
        _, code, _ = add_kiosk(self.s, unit='H21.970', counter=1)
        k = Kiosk.enrolled(self.s, code)
        try:
            k.start('--heartbeat-seconds', '1')
            wait_until('the kiosk configuration', lambda: k.get(
                '/api/local/config').json().get('configured'))
            self.assertIs(k.get('/api/local/config').json()['counter']
                          ['active'], True)
            k.rate(5)
            self.hl('counter', 'disable', '--db', self.db, '--unit',
                    'H21.970', '--number', '1')
            wait_until('the kiosk to learn the counter closed', lambda: k.get(
                '/api/local/config').json()['counter'].get('active') is False)
            # the page keeps no rating the server would reject
            r = k.post('/api/local/ratings', {'level': 5})
            self.assertEqual(r.status, 409, r)
            # and its page has the closed screen, in Vietnamese
            page = k.get('/').text
            self.assertIn('id="closed"', page)
            self.assertIn(CLOSED_COUNTER, page)
            self.assertIn("config.counter.active === false",
                          k.get('/kiosk.js').text)
        finally:
            k.cleanup()


if __name__ == '__main__':
    unittest.main()
