"""hailong import dossiers|ratings: whole-file checks, fates, 100,000 rows."""
import json
import os
import unittest

from tests.api.hl import Server, run

HEADER = ('code,procedure,unit,channel,received_at,due_at,finished_at,'
          'supplement_requests,supplement_seconds,corrections,full_online,'
          'digitized,complaint,updated_at')
RHEADER = ('id,unit,counter,officer,procedure,dossier,level,c1,c2,c3,c4,c5,'
           'c6,c7,c8,c9,supplement_reported,online_error_reported,visits,'
           'comment,rated_at')


def drow(**kw):
    d = dict(code='H21.227-251001-0001', procedure='1.001193', unit='H21.227',
             channel='2', received_at='2025-10-01T08:00:00+07:00',
             due_at='2025-10-10T17:00:00+07:00', finished_at='',
             supplement_requests='0', supplement_seconds='0',
             corrections='0', full_online='0', digitized='1', complaint='0',
             updated_at='2025-10-01T08:00:00+07:00')
    d.update(kw)
    return ','.join(d[k] for k in HEADER.split(','))


def rrow(**kw):
    d = {k: '' for k in RHEADER.split(',')}
    d.update(id='B-1', unit='H21.227', level='4',
             rated_at='2025-10-03T09:00:00+07:00')
    d.update(kw)
    return ','.join(d[k] for k in RHEADER.split(','))


class Import(unittest.TestCase):
    def setUp(self):
        self.s = Server(name='import')   # a database, no server needed
        self.n = 0

    def tearDown(self):
        self.s.__exit__(None, None, None)

    def file(self, header, rows, ext='.csv', prefix=''):
        self.n += 1
        path = os.path.join(self.s.dir, f'in{self.n}{ext}')
        with open(path, 'w', encoding='utf-8', newline='') as f:
            f.write(prefix + header + '\n' + '\n'.join(rows) + '\n')
        return path

    def imp(self, kind, path, *extra):
        return run('import', kind, '--db', self.s.db_path, *extra, path,
                   check=False)

    def test_every_bad_dossier_line(self):
        bad = {
            4: (drow(code='H21.227-2510-01'), 'code: \'H21.227-2510-01\' '
                'is not a dossier code (mã hồ sơ) like H21.227-261008-0975'),
            5: (drow(code='H21.227-251001-0004', procedure='9.999999'),
                "procedure: unknown procedure '9.999999'"),
            6: (drow(code='H21.227-251001-0005', unit='H99.999'),
                "unit: unknown unit 'H99.999'"),
            7: (drow(code='H21.227-251001-0006', channel='4'),
                "channel: '4' must be 1 (at the counter), 2 (online) or 3 "
                "(by post)"),
            8: (drow(code='H21.227-251001-0007',
                     received_at='2025-10-01 08:00'),
                "received_at: '2025-10-01 08:00' is not an RFC 3339 time "
                "with an offset (2026-10-08T09:30:00+07:00)"),
            9: (drow(code='H21.227-251001-0008',
                     finished_at='2025-09-01T08:00:00+07:00'),
                'finished_at: is before received_at'),
            10: (drow(code='H21.227-251001-0009', supplement_requests='-1'),
                "supplement_requests: '-1' is not a whole number from 0 to "
                "1000000"),
            11: (drow(code='H21.227-251001-0010', complaint='2'),
                 "complaint: '2' must be 0 or 1"),
            12: (drow(code='H21.227-251001-0011', updated_at=''),
                 'updated_at: required'),
            13: ('H21.227-251001-0012,1.001193,H21.227',
                 'row: has 3 fields; the header has 14'),
            14: ('H21.227-251001-0013,"1.001193"x,H21.227,2,,,,,,,,,,',
                 'row: text after a closing quote'),
        }
        rows = [drow(), drow(code='H21.227-251001-0002')]
        rows += [bad[n][0] for n in sorted(bad)]
        path = self.file(HEADER, rows)
        r = self.imp('dossiers', path)
        self.assertEqual(r.returncode, 1, r.stderr)
        errs = [l for l in r.stderr.splitlines() if l.startswith(path)]
        for line, (_, msg) in bad.items():
            self.assertIn(f'{path}:{line}: {msg}', errs)
        self.assertEqual(len(errs), len(bad))
        for e in errs:  # FILE:LINE: column: what is wrong
            self.assertRegex(e[len(path):], r'^:\d+: [a-z_0-9]+: \S')
        self.assertIn('nothing imported: 11 bad lines', r.stderr)
        self.assertEqual(self.s.count('SELECT count(*) FROM dossiers'), 0)
        # --skip-bad: the two good lines go in, the bad ones are listed
        r = self.imp('dossiers', path, '--skip-bad')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f'{path}:7: channel:', r.stderr)
        self.assertIn('13 lines: 2 accepted, 0 duplicate, 0 stale, '
                      '11 rejected', r.stdout)
        self.assertEqual(self.s.count('SELECT count(*) FROM dossiers'), 2)

    def test_a_wrong_header_is_refused_whole(self):
        path = self.file(HEADER.replace('channel', 'kenh'), [drow()])
        r = self.imp('dossiers', path)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{path}:1: unknown column 'kenh'", r.stderr)

    def test_stale_duplicate_and_newer(self):
        v1 = drow(supplement_requests='0',
                  updated_at='2025-10-01T08:00:00+07:00')
        v2 = drow(supplement_requests='1', supplement_seconds='600',
                  updated_at='2025-10-02T08:00:00+07:00')
        r = self.imp('dossiers', self.file(HEADER, [v2]))
        self.assertIn('1 accepted', r.stdout)
        # the older version arrives late: stale, ignored
        r = self.imp('dossiers', self.file(HEADER, [v1, v2]))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('2 lines: 0 accepted, 1 duplicate, 1 stale, '
                      '0 rejected', r.stdout)
        with self.s.db() as c:
            row = c.execute('SELECT supplement_requests, supplement_seconds '
                            'FROM dossiers').fetchone()
        self.assertEqual(tuple(row), (1, 600))
        # within one file the newest wins too, whatever the order
        v3 = drow(finished_at='2025-10-05T08:00:00+07:00',
                  updated_at='2025-10-05T08:00:00+07:00')
        r = self.imp('dossiers', self.file(HEADER, [v3, v2]))
        self.assertIn('1 accepted, 0 duplicate, 1 stale', r.stdout)
        with self.s.db() as c:
            self.assertIsNotNone(c.execute(
                'SELECT finished_at FROM dossiers').fetchone()[0])

    def test_json_bom_crlf_and_stdin(self):
        docs = [{'code': 'H21.227-251001-0001', 'procedure': '1.001193',
                 'unit': 'H21.227', 'channel': 1,
                 'received_at': '2025-10-01T08:00:00+07:00',
                 'full_online': False, 'digitized': True, 'due_at': None,
                 'updated_at': '2025-10-01T08:00:00+07:00'}]
        path = os.path.join(self.s.dir, 'feed.json')
        with open(path, 'w') as f:
            json.dump(docs, f)
        r = self.imp('dossiers', path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('1 accepted', r.stdout)
        path = self.file(HEADER, [drow(code='H21.227-251001-0002')],
                         prefix='\ufeff')
        with open(path, 'rb') as f:
            data = f.read().replace(b'\n', b'\r\n')
        with open(path, 'wb') as f:
            f.write(data)
        self.assertIn('1 accepted', self.imp('dossiers', path).stdout)
        p = run('import', 'dossiers', '--db', self.s.db_path, '-',
                input=HEADER + '\n' + drow(code='H21.227-251001-0003') + '\n',
                check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.s.count('SELECT count(*) FROM dossiers'), 3)
        with self.s.db() as c:
            a = c.execute("SELECT actor, target, detail FROM audit WHERE "
                          "action = 'import.dossiers'").fetchall()
        self.assertEqual(len(a), 3)
        self.assertTrue(a[0]['actor'].startswith('cli:'))
        self.assertEqual(a[0]['target'], 'feed.json')
        self.assertIn('"accepted":1', a[0]['detail'])

    def test_every_bad_rating_line(self):
        bad = {
            4: (rrow(id=''), 'id: required'),
            5: (rrow(id='B-4', level='6'), "level: '6' must be a level from "
                '1 (rất không hài lòng) to 5 (rất hài lòng)'),
            6: (rrow(id='B-5', c3='3'), "c3: '3' must be 0, 1 or 2 points "
                '(or empty)'),
            7: (rrow(id='B-6', supplement_reported='yes'),
                "supplement_reported: 'yes' must be 1 (yes), 0 (no) or "
                'empty'),
            8: (rrow(id='B-7', visits='0'), "visits: '0' must be a number of "
                'visits from 1 to 99 (or empty)'),
            9: (rrow(id='B-8', rated_at='03/10/2025'),
                "rated_at: '03/10/2025' is not an RFC 3339 time with an "
                'offset (2026-10-08T09:30:00+07:00)'),
            10: (rrow(id='B-9', rated_at='2999-01-01T00:00:00+07:00'),
                'rated_at: is in the future'),
            11: (rrow(id='B-10', unit='H99'), "unit: unknown unit 'H99'"),
            12: (rrow(id='B-11', procedure='9.999999'),
                 "procedure: unknown procedure '9.999999'"),
            13: (rrow(id='B-12', comment='x' * 1001),
                 'comment: longer than 1000 characters'),
            14: (rrow(id='B-13', counter='1000'),
                 "counter: '1000' must be a counter number from 1 to 999"),
        }
        rows = [rrow(id='B-1'), rrow(id='B-2', level='1')]
        rows += [bad[n][0] for n in sorted(bad)]
        path = self.file(RHEADER, rows)
        r = self.imp('ratings', path)
        self.assertEqual(r.returncode, 1)
        for line, (_, msg) in bad.items():
            self.assertIn(f'{path}:{line}: {msg}', r.stderr)
        self.assertEqual(self.s.count(), 0)
        r = self.imp('ratings', path, '--skip-bad')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('2 accepted, 0 duplicate, 0 conflict, 11 rejected',
                      r.stdout)
        self.assertEqual(self.s.count(), 2)

    def test_duplicate_and_conflicting_ids(self):
        rows = [rrow(id='P-1', level='5', comment='Tốt'),
                rrow(id='P-2', level='2', counter='1', officer='VC01'),
                rrow(id='P-3', level='4', c1='2', c7='1')]
        path = self.file(RHEADER, rows)
        r = self.imp('ratings', path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('3 accepted', r.stdout)
        # the same file again: duplicates, stored once
        r = self.imp('ratings', path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('0 accepted, 3 duplicate', r.stdout)
        self.assertEqual(self.s.count(), 3)
        # the same id with other content: a conflict, nothing imported
        path2 = self.file(RHEADER, [rrow(id='P-4'),
                                    rrow(id='P-2', level='5')])
        r = self.imp('ratings', path2)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f'{path2}:3: id: a different rating with this id is '
                      'already stored', r.stderr)
        self.assertEqual(self.s.count(), 3)
        # twice in one file with different content
        path3 = self.file(RHEADER, [rrow(id='Q-1'), rrow(id='Q-1', level='1')])
        r = self.imp('ratings', path3, '--skip-bad')
        self.assertIn(f'{path3}:3: id: an earlier line has a different rating '
                      'with this id', r.stderr)
        self.assertIn('1 accepted, 0 duplicate, 1 conflict', r.stdout)
        # stored through the writer: chained, counted, sourced
        with self.s.db() as c:
            row = c.execute("SELECT channel, source, counter, officer FROM "
                            "ratings WHERE id = 'P-2'").fetchone()
            com = c.execute("SELECT comment FROM rating_texts t JOIN ratings "
                            "r ON r.seq = t.seq WHERE r.id = 'P-1'").fetchone()
        self.assertEqual(tuple(row), ('import', 'import:in1.csv', 1, 'VC01'))
        self.assertEqual(com[0], 'Tốt')
        self.assertIn('4 rows, 0 folded, chain intact',
                      run('verify-chain', '--db', self.s.db_path).stdout)

    def test_reasons_column(self):
        """Paper ballots carry the reasons ticked: codes of the
        questionnaire in force when the ballot was filled in, ';'."""
        header = RHEADER + ',reasons'

        def row(reasons, **kw):
            return rrow(**kw) + ',' + reasons

        path = self.file(header, [
            row('wait; attitude', id='R-1', level='2', visits='2'),
            row('', id='R-2', level='5', visits='1'),
            row('wait;nonsense', id='R-3', level='1'),
            row('Chờ lâu', id='R-4', level='1'),
        ])
        r = self.imp('ratings', path)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{path}:4: reasons: unknown reason 'nonsense': the "
                      'questionnaire (version 1) in force when it was given '
                      'has wait; attitude; supplement; guidance; online; '
                      'facilities', r.stderr)
        self.assertIn(f"{path}:5: reasons: 'Chờ lâu' is not a reason code",
                      r.stderr)
        self.assertEqual(self.s.count(), 0)
        r = self.imp('ratings', path, '--skip-bad')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn('2 accepted, 0 duplicate, 0 conflict, 2 rejected',
                      r.stdout)
        with self.s.db() as c:
            got = c.execute("SELECT reasons FROM ratings WHERE id = 'R-1'"
                            ).fetchone()[0]
        self.assertEqual(got, 'wait,attitude')
        doc = json.loads(run('metrics', '--db', self.s.db_path, '--unit',
                             'H21.227', '--month', '2025-10', '--as-of',
                             '2025-12-01T00:00:00+07:00', '--json').stdout)
        t = doc['total']
        self.assertEqual(t['reasons'], {'wait': 1, 'attitude': 1,
                                        'supplement': 0, 'guidance': 0,
                                        'online': 0, 'facilities': 0})
        self.assertEqual(t['reasons_given'], 1)
        self.assertEqual(t['visits_answered'], 2)
        self.assertEqual(t['visits_mean'], 1.5)
        self.assertEqual(t['one_visit_rate'], 0.5)
        self.assertEqual(t['by_channel']['import'],
                         {'ratings': 2, 'satisfied_rate': 0.5})
        text = run('metrics', '--db', self.s.db_path, '--unit', 'H21.227',
                   '--month', '2025-10', '--as-of',
                   '2025-12-01T00:00:00+07:00').stdout
        self.assertIn('Lý do được chọn: wait 1, attitude 1, supplement 0',
                      text)
        self.assertIn('Xong trong một lần đi', text)
        # the same file again: duplicates, the reasons are part of them
        r = self.imp('ratings', path, '--skip-bad')
        self.assertIn('0 accepted, 2 duplicate', r.stdout)

    def test_hundred_thousand_rows(self):
        n = 100000
        path = os.path.join(self.s.dir, 'ballots.csv')
        with open(path, 'w') as f:
            f.write(RHEADER + '\n')
            for i in range(n):
                # levels cycle 1..5; criteria on every other row
                crit = ',2,1,2,1,0,2,2,1,2' if i % 2 else ',,,,,,,,,'
                f.write(f'T-{i},H21.227,{1 + i % 3},,1.001193,,{1 + i % 5}'
                        f'{crit},{i % 2},,,,2025-10-'
                        f'{1 + i % 28:02d}T09:00:00+07:00\n')
        r = self.imp('ratings', path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f'{n} lines: {n} accepted', r.stdout)
        self.assertEqual(self.s.count(), n)
        doc = json.loads(run('metrics', '--db', self.s.db_path, '--unit',
                             'H21', '--month', '2025-10', '--as-of',
                             '2025-12-01T00:00:00+07:00', '--json').stdout)
        # 100000 rows, levels 1..5 in turn: 20000 each; 40000 satisfied
        self.assertEqual(doc['total']['ratings'], n)
        self.assertEqual(doc['total']['by_level'], [20000] * 5)
        self.assertEqual(doc['total']['satisfied_rate'], 0.4)
        # odd rows answered all nine (sum 13) and supplement 1; even 0
        self.assertEqual(doc['total']['ballot_score'], 13.0)
        self.assertEqual(doc['total']['reported_supplement_rate'], 0.5)
        self.assertEqual(doc['total']['flags'], ['LOW_SATISFACTION'])


if __name__ == '__main__':
    unittest.main()
