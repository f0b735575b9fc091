"""hailong instrument: the questionnaire's versions, and a running server
that uses the version in force (issue 16).

The real binary adds versions to the database of a real server; the
citizen's form, the kiosk API (a kiosk written in Python, kioskhl.Signer)
and the paper ballot page are read as a citizen, a kiosk and a manager
would.  Every refusal is checked for its message and that nothing changed.
"""
import calendar
import json
import os
import tempfile
import time
import unittest
import uuid

from tests.api.hl import Browser, Server, form_nonce, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw, item, wait_until

RATINGS = '/api/v1/kiosk/ratings'
CONFIG = '/api/v1/kiosk/config'
ICT = 7 * 3600


def month_now():
    """The current month in ICT, 'YYYY-MM', and its first instant."""
    t = time.gmtime(time.time() + ICT)
    start = calendar.timegm((t.tm_year, t.tm_mon, 1, 0, 0, 0)) - ICT
    return f'{t.tm_year:04d}-{t.tm_mon:02d}', start


def month_next(m, delta=1):
    y, mo = map(int, m.split('-'))
    mo += delta
    while mo > 12:
        y, mo = y + 1, mo - 12
    while mo < 1:
        y, mo = y - 1, mo + 12
    return f'{y:04d}-{mo:02d}'


def rfc3339(t):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t))


class Versions(unittest.TestCase):
    """Each test on a fresh demo server."""

    def setUp(self):
        self.s = Server(name='instrument').start()
        self.tmp = tempfile.mkdtemp(prefix='hailong-instr-')

    def tearDown(self):
        self.s.__exit__(None, None, None)

    def cli(self, *args, check=False):
        return run('instrument', args[0], '--db', self.s.db_path, *args[1:],
                   check=check)

    def current(self):
        p = self.cli('show', '--json', check=True)
        return json.loads(p.stdout)

    def write(self, doc, name='v.json'):
        path = os.path.join(self.tmp, name)
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(doc, f, ensure_ascii=False, indent=2)
        return path

    def snapshot(self):
        with self.s.db() as c:
            return [c.execute(f'SELECT * FROM {t} ORDER BY 1').fetchall()
                    for t in ('instruments', 'consent_texts', 'audit')]

    def kiosk(self, counter=1):
        _, code, _ = add_kiosk(self.s, counter=counter)
        r = enrol_raw(self.s, code)
        self.assertEqual(r.status, 201, r)
        return Signer(r.json()['kiosk'], r.json()['secret'])

    def send(self, k, reasons, rated_at=None, level=2):
        rid = str(uuid.uuid4())
        r = k.post(self.s, RATINGS, {'ratings': [
            item(rid, level, seq=k.nonce() % 1000000, reasons=reasons,
                 rated_at=rated_at)]})
        self.assertEqual(r.status, 200, r)
        return r.json()['results'][0]

    def new_version(self):
        """Version 2: a new question, 'queue' instead of 'facilities'."""
        doc = self.current()
        doc['question'] = {'vi': 'Ông/Bà đánh giá thế nào về buổi làm việc '
                           'hôm nay?', 'en': 'How was your visit today?'}
        doc['reasons'][5] = {'code': 'queue', 'vi': 'Xếp hàng lâu',
                             'en': 'Long queue'}
        doc['criteria'][6]['vi'] = 'Thái độ, tác phong của cán bộ'
        return doc

    # -- in force now -----------------------------------------------------

    def test_a_version_of_this_month_is_used_at_once(self):
        month, start = month_now()
        k = self.kiosk()
        r1, _ = k.call(self.s, 'GET', CONFIG)
        cfg1 = r1.json()
        self.assertEqual(cfg1['instrument'], 1)
        old_question = cfg1['question']['vi']
        token = self.s.token(counter=1)
        self.assertIn(old_question, self.s.get('/q/' + token).text)
        # a rating under version 1 given last month names 'facilities'
        last_month = self.send(k, ['facilities'], rated_at=rfc3339(start - 60))
        self.assertEqual(last_month['status'], 'accepted')

        p = self.cli('add', '--effective', month,
                     self.write(self.new_version()))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout,
                         f'instrument version 2 in force from {month}\n')
        # the running server picks it up by itself
        form = wait_until('the form to show the new question', lambda: (
            lambda r: r.text if 'buổi làm việc hôm nay' in r.text else None)(
                self.s.get('/q/' + token)))
        self.assertNotIn(old_question, form)
        # the criteria come on the citizen's tap ("Đánh giá chi tiết"),
        # in the new version's words
        detail = self.s.post_form('/q/' + token, {
            'nonce': form_nonce(form), 'detail': '1'}).text
        self.assertIn('Thái độ, tác phong của cán bộ', detail)
        r2, _ = k.call(self.s, 'GET', CONFIG)
        cfg2 = r2.json()
        self.assertEqual(cfg2['instrument'], 2)
        self.assertNotEqual(r2.headers['etag'], r1.headers['etag'])
        self.assertEqual(cfg2['question']['vi'],
                         'Ông/Bà đánh giá thế nào về buổi làm việc hôm nay?')
        self.assertEqual([x['code'] for x in cfg2['reasons']],
                         ['wait', 'attitude', 'supplement', 'guidance',
                          'online', 'queue'])
        # a kiosk's ratings are checked against the version of their time
        self.assertEqual(self.send(k, ['queue', 'wait'])['status'],
                         'accepted')
        dropped = self.send(k, ['facilities'])
        self.assertEqual((dropped['status'], dropped.get('reason')),
                         ('rejected', 'reasons'))
        self.assertEqual(self.send(k, ['facilities'],
                                   rated_at=rfc3339(start - 30))['status'],
                         'accepted')
        self.assertEqual(self.send(k, ['queue'],
                                   rated_at=rfc3339(start - 30))['status'],
                         'rejected')
        # what was stored, and who added it
        with self.s.db() as c:
            row = c.execute('SELECT effective_from, created_at, created_by '
                            'FROM instruments WHERE version = 2').fetchone()
            audit = c.execute("SELECT actor, target, detail FROM audit "
                              "WHERE action = 'instrument.add'").fetchall()
        self.assertEqual(row['effective_from'], start)
        self.assertGreater(row['created_at'], 0)
        self.assertTrue(row['created_by'].startswith('cli:'))
        self.assertEqual(len(audit), 1)
        self.assertEqual(audit[0]['actor'], row['created_by'])
        self.assertEqual(audit[0]['target'], 'instrument:2')
        self.assertEqual(json.loads(audit[0]['detail']), {'effective': month})
        # show and list say so
        self.assertEqual(self.current()['version'], 2)
        versions = json.loads(self.cli('list', '--json',
                                       check=True).stdout)['versions']
        self.assertEqual([(v['version'], v['effective'], v['in_force'])
                          for v in versions],
                         [(1, None, False), (2, month, True)])

    def test_the_paper_ballot_page_words_the_version_in_force(self):
        b = Browser(self.s).logged_in(*self.s.login)
        page = b.get('/admin/units/H21.227/ballots')
        self.assertEqual(page.status, 200)
        self.assertIn('2 — Lịch sự, tận tình', page.text)
        doc = self.new_version()
        doc['criteria'][6]['options'][0]['vi'] = 'Niềm nở, chu đáo'
        doc['levels'][0]['vi'] = 'Rất rất hài lòng'
        self.cli('add', '--effective', month_now()[0], self.write(doc),
                 check=True)
        page = wait_until('the ballot page to use version 2', lambda: (
            lambda r: r if 'Niềm nở, chu đáo' in r.text else None)(
                b.get('/admin/units/H21.227/ballots')))
        self.assertIn('7. Thái độ, tác phong của cán bộ', page.text)
        self.assertIn('>Rất rất hài lòng<', page.text)

    # -- later ------------------------------------------------------------

    def test_a_version_of_next_month_waits_for_it(self):
        month, _ = month_now()
        nxt = month_next(month)
        p = self.cli('add', '--effective', nxt,
                     self.write(self.new_version()))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.current()['version'], 1)
        p = self.cli('show', '--month', nxt, '--json', check=True)
        self.assertEqual(json.loads(p.stdout)['version'], 2)
        self.assertIn('Long queue', p.stdout)
        p = self.cli('list', check=True)
        self.assertRegex(p.stdout, rf'\n2 +{nxt} +later ')
        k = self.kiosk()
        r, _ = k.call(self.s, 'GET', CONFIG)
        self.assertEqual(r.json()['instrument'], 1)
        # a kiosk's rating given now is read with version 1
        self.assertEqual(self.send(k, ['queue'])['status'], 'rejected')

    # -- refused, nothing changed -------------------------------------------

    def test_a_body_failing_the_schema_is_refused_naming_the_path(self):
        before = self.snapshot()
        month, _ = month_now()
        cases = []
        doc = self.new_version()
        doc['reasons'][2]['code'] = 'Bổ sung'
        cases.append((doc, '/reasons/2/code: does not have the required '
                      'form'))
        doc = self.new_version()
        doc['levels'][1]['vi'] = ''
        cases.append((doc, '/levels/1/vi: too short'))
        doc = self.new_version()
        doc['criteria'] = doc['criteria'][:8]
        cases.append((doc, '/criteria: too few items'))
        doc = self.new_version()
        doc['reason'] = doc.pop('reasons')
        cases.append((doc, ': the key "reasons" is required'))
        doc = self.new_version()
        doc['reasons'].append({'code': 'noise', 'vi': 'Ồn ào'})
        cases.append((doc, '/reasons: too many items'))
        for i, (doc, why) in enumerate(cases):
            with self.subTest(why=why):
                path = self.write(doc, f'bad{i}.json')
                p = self.cli('add', '--effective', month, path)
                self.assertEqual(p.returncode, 1)
                self.assertIn('does not follow schemas/instrument.schema.'
                              'json: ', p.stderr)
                self.assertTrue(p.stderr.rstrip('\n').endswith(why),
                                p.stderr)
                self.assertTrue(p.stderr.startswith(
                    f'hailong instrument: {path}: '), p.stderr)
        path = os.path.join(self.tmp, 'broken.json')
        with open(path, 'w') as f:
            f.write('{"version": 1,\n "name": }')
        p = self.cli('add', '--effective', month, path)
        self.assertEqual(p.returncode, 1)
        self.assertIn('not valid JSON: line 2', p.stderr)
        self.assertEqual(self.snapshot(), before)

    def test_a_month_already_begun_is_refused(self):
        before = self.snapshot()
        month, _ = month_now()
        p = self.cli('add', '--effective', month_next(month, -1),
                     self.write(self.new_version()))
        self.assertEqual(p.returncode, 1)
        self.assertIn(f'the effective month {month_next(month, -1)} is '
                      f'before the current month {month}', p.stderr)
        p = self.cli('add', '--effective', '2026-13',
                     self.write(self.new_version()))
        self.assertEqual(p.returncode, 2)
        self.assertEqual(self.snapshot(), before)

    def test_dropping_a_reason_ratings_name_is_refused(self):
        month, _ = month_now()
        k = self.kiosk()
        self.assertEqual(self.send(k, ['facilities'])['status'], 'accepted')
        before = self.snapshot()
        p = self.cli('add', '--effective', month,
                     self.write(self.new_version()))
        self.assertEqual(p.returncode, 1)
        self.assertIn("the new version drops reason 'facilities', which "
                      "ratings given since its effective month name",
                      p.stderr)
        self.assertEqual(self.snapshot(), before)
        # from next month on the ratings of this one do not matter
        p = self.cli('add', '--effective', month_next(month),
                     self.write(self.new_version()))
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_a_changed_consent_text_needs_a_new_consent_version(self):
        before = self.snapshot()
        doc = self.new_version()
        doc['consent']['vi'] = 'Tôi đồng ý được liên hệ lại.'
        p = self.cli('add', '--effective', month_now()[0], self.write(doc))
        self.assertEqual(p.returncode, 1)
        self.assertIn('consent.version 1 is stored with another text',
                      p.stderr)
        self.assertEqual(self.snapshot(), before)
        doc['consent']['version'] = 2
        p = self.cli('add', '--effective', month_now()[0], self.write(doc))
        self.assertEqual(p.returncode, 0, p.stderr)
        with self.s.db() as c:
            self.assertEqual(c.execute(
                'SELECT text_vi FROM consent_texts WHERE version = 2'
            ).fetchone()[0], 'Tôi đồng ý được liên hệ lại.')
        form = wait_until('the form to show the new consent', lambda: (
            lambda r: r.text if 'được liên hệ lại' in r.text else None)(
                self.s.get('/q/' + self.s.token(counter=2))))
        self.assertIn('name="consent_version" value="2"', form)

    # -- the command line ---------------------------------------------------

    def test_show_json_is_what_add_takes(self):
        p = self.cli('show', '--json', check=True)
        self.assertEqual(p.stderr,
                         'instrument version 1, in force from always\n')
        doc = json.loads(p.stdout)
        with open(os.path.join(os.path.dirname(__file__), '..', '..',
                               'schemas', 'instrument.default.json')) as f:
            self.assertEqual(doc, json.load(f))
        # unchanged, added back: version 2, the same body but its number
        p = self.cli('add', '--effective', month_now()[0],
                     self.write(doc), check=True)
        again = self.current()
        self.assertEqual(again.pop('version'), 2)
        doc.pop('version')
        self.assertEqual(again, doc)
        p = self.cli('show', check=True)
        self.assertIn('question   Ông/Bà có hài lòng', p.stdout)
        for args in (('add', 'x.json'), ('add', '--effective', '2026-12'),
                     ('show', 'extra'), ('frob',)):
            with self.subTest(args=args):
                self.assertEqual(self.cli(*args).returncode, 2)
        p = run('instrument', '--help')
        self.assertEqual(p.returncode, 0)
        self.assertIn('instrument add --db FILE --effective YYYY-MM',
                      p.stdout)


if __name__ == '__main__':
    unittest.main()
