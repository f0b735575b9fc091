"""Every text a citizen or a staff member can store, on every console page.

One payload per field, each with its own marker, is planted through the
channel that stores it where there is one (the citizen's form with and
without a consented callback, a callback whose consent was then
withdrawn, an imported rating, a paper ballot with an officer, staff full
names from the CLI and the console, the unit's, a counter's and an
officer's names through the console's setup tab) and straight into the
database for the rest (a procedure's name, a review's notes,
action and step note, a kiosk's reported version, the certificate
subject of a received report).  Then every GET page of the route table
(server/web/routes.c, read as test_authz_matrix.py reads it) under /admin,
/account and /cong-khai is fetched as the commune's admin and as the
province's (who sees the reports received from the commune), each :param
filled with a planted object (both callbacks, the review, the
procedure), with and without a month and in English.  No page may hold
any payload unescaped, and every field must have been seen, escaped, on
some page: a field planted but never shown would make the walk prove
nothing.
"""
import os
import re
import time
import unittest

from tests.api.hl import Browser, Server, run
from tests.api.kioskhl import add_kiosk
from tests.api.test_authz_matrix import parse_routes
from tests.api.test_console_b import import_ratings

UNIT = 'H21.227'
P1 = '1.001193'
PW = 'mật khẩu rất dài 1'


def payload(m, short=False):
    """Text that runs script wherever it is not escaped, marked m (short:
    for a field of 32 bytes)."""
    if short:
        return f'"><img src=x onerror={m}>'
    return f'"><img src=x onerror={m}><script>{m}</script>'


def raw(text):
    """The planted markup found raw in a page, each with what follows it
    (a field cut short keeps its markup, perhaps not its whole marker)."""
    return re.findall(r'(?:<img src=x onerror=|<script>)(\w*)', text)


# every planted field: marker -> what it is (markers are letters only, so
# that masking of digit runs in comments leaves them whole)
FIELDS = {
    'XsFormCallback': 'form comment with a consented callback',
    'XsFormWithdrawn': 'form comment whose callback consent was withdrawn',
    'XsFormPlain': 'form comment without a callback',
    'XsImport': 'imported rating comment',
    'XsBallot': 'paper ballot comment',
    'XsFullName': 'staff full name (hailong user add --full-name)',
    'XsConsoleName': 'staff full name (console users page)',
    'XsReviewNotes': 'review notes',
    'XsReviewAction': 'review action taken',
    'XsReviewEvent': 'review step note',
    'XsUnitName': 'unit name',
    'XsProcName': 'procedure name',
    'XsCounterName': 'counter name',
    'XsOfficerName': 'officer name',
    'XsKv': 'kiosk reported version (32 bytes at most)',
    'XsSigner': "a subordinate's received report: certificate subject",
}


class XssWalk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = s = Server('--rate-limit-per-min', '0', name='xss').start()
        cls.admin = Browser(s).logged_in(*s.login)
        # the province's admin sees what is received from below
        run('user', 'add', '--db', s.db_path, '--unit', 'H21', '--role',
            'admin', '--name', 'xsprov', '--password-stdin', input=PW + '\n')
        cls.province = Browser(s).logged_in('xsprov', PW)
        cls.plant()

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    @classmethod
    def form(cls, comment, phone=None):
        s = cls.s
        tok = run('qr', '--db', s.db_path, '--unit', UNIT, '--procedure', P1,
                  '--format', 'url').stdout.strip().rsplit('/q/', 1)[1]
        r = s.get('/q/' + tok)
        nonce = re.search(r'name="nonce" value="([^"]+)"', r.text).group(1)
        fields = {'nonce': nonce, 'level': '2', 'comment': comment}
        if phone:
            fields.update(phone=phone, consent='1')
        r = s.post_form('/q/' + tok, fields)
        assert r.status == 200, r
        return nonce

    @classmethod
    def plant(cls):
        s, a = cls.s, cls.admin
        # citizens: the form, a callback, a withdrawn one, an import
        n1 = cls.form(payload('XsFormCallback'), '0912345671')
        n2 = cls.form(payload('XsFormWithdrawn'), '0912345672')
        cls.form(payload('XsFormPlain'))
        run('privacy', 'erase', '--db', s.db_path, '--phone', '0912345672')
        with s.db() as c:
            cls.callback = c.execute(
                'SELECT cb.id FROM callbacks cb JOIN ratings r ON r.seq = '
                'cb.rating_seq WHERE r.id = ?', (n1,)).fetchone()[0]
            cls.withdrawn = c.execute(
                'SELECT cb.id FROM callbacks cb JOIN ratings r ON r.seq = '
                'cb.rating_seq WHERE r.id = ?', (n2,)).fetchone()[0]
        now = time.strftime('%Y-%m-%dT%H:%M:%S+07:00',
                            time.gmtime(time.time() + 7 * 3600 - 60))
        import_ratings(s, [{'id': 'xss-1', 'unit': UNIT, 'level': 1,
                            'procedure': P1, 'comment': payload('XsImport'),
                            'rated_at': now}], name='xss.csv')
        # setup through the console (issue 16): an officer, the unit's
        # and a counter's names
        a.get(f'/admin/units/{UNIT}/setup/officers')
        for path, fields in [
                ('/setup/officers', {'id': 'XS01', 'counter': '1',
                                     'name': payload('XsOfficerName')}),
                ('/setup/rename', {'name': payload('XsUnitName')}),
                ('/setup/counters/1/rename',
                 {'name': payload('XsCounterName')})]:
            r = a.post_form(f'/admin/units/{UNIT}' + path,
                            dict(fields, csrf=a.csrf()))
            assert r.status == 303, (path, r.status, r.text[:500])
        # staff: a ballot, a failed login, full names
        a.get(f'/admin/units/{UNIT}/ballots')
        r = a.post_form(f'/admin/units/{UNIT}/ballots', {
            'csrf': a.csrf(), 'id': 'XSS-1', 'level': '2',
            'rated_at': time.strftime('%d/%m/%Y', time.gmtime(
                time.time() + 7 * 3600 - 86400)),
            'officer': 'XS01', 'counter': '1',
            'comment': payload('XsBallot')})
        assert r.status == 200, (r.status, r.text[:500])
        run('user', 'add', '--db', s.db_path, '--unit', UNIT, '--role',
            'viewer', '--name', 'xsfull', '--full-name', payload('XsFullName'),
            '--password-stdin', input=PW + '\n')
        a.get(f'/admin/units/{UNIT}/users')
        r = a.post_form(f'/admin/units/{UNIT}/users', {
            'csrf': a.csrf(), 'username': 'xsconsole',
            'name': payload('XsConsoleName'), 'role': 'viewer'})
        assert r.status in (200, 303), (r.status, r.text[:500])
        # the catalogue through 'procedure import' (a name is any text)
        catalogue = os.path.join(s.dir, 'catalogue.csv')
        with open(catalogue, 'w', encoding='utf-8') as f:
            name = payload('XsProcName').replace('"', '""')
            f.write(f'code,name,field,level\n{P1},"{name}",Hộ tịch,xa\n')
        run('procedure', 'import', '--db', s.db_path, catalogue)
        # machine-reported text, in the database
        with s.db() as c:
            month = int(time.strftime('%Y%m', time.gmtime(
                time.time() + 7 * 3600)))
            c.execute(
                'INSERT INTO reviews(unit, procedure, month, owner, '
                'due_date, notes, status, action, created_at, created_by, '
                'updated_at, resolved_at) VALUES (?, ?, ?, ?, '
                "'2030-01-01', ?, 'resolved', ?, 0, 'admin', 0, 1)",
                (UNIT, P1, month, 'admin', payload('XsReviewNotes'),
                 payload('XsReviewAction')))
            cls.review = c.execute('SELECT max(id) FROM reviews').fetchone()[0]
            c.execute('INSERT INTO review_events(review, at, actor, '
                      "from_status, to_status, note) VALUES (?, 1, 'admin', "
                      "'in_progress', 'resolved', ?)",
                      (cls.review, payload('XsReviewEvent')))
        kid = cls.kiosk = add_kiosk(s, counter=1, unit=UNIT)[0]
        with s.db() as c:
            c.execute('UPDATE kiosks SET version = ? WHERE id = ?',
                      (payload('XsKv', short=True), kid))
        # a report received from the commune, in a month of its own (its
        # JSON is a stand-in: only the reports page reads this month)
        with s.db() as c:
            c.execute(
                'INSERT INTO reports_received(unit, month, json, p7s, '
                'sha256, as_of, signer, signer_fingerprint, received_at, '
                "actor) VALUES (?, 202601, x'7b7d', x'00', ?, 0, ?, 'x', 1, "
                "'apikey:1')", (UNIT, 'ab' * 32, payload('XsSigner')))
        cls.month = time.strftime('%Y-%m', time.gmtime(time.time() + 7 * 3600))

    def paths(self, unit):
        """Every console GET page, its :params filled every way."""
        values = {'unit': [unit], 'proc': [P1],
                  'file': ['report.json'], 'seq': ['1'],
                  'number': ['1'], 'officer': ['XS01'],
                  'kiosk': [self.kiosk],
                  # the confirmation pages name the user
                  'user': ['xsfull', 'xsconsole']}
        out = []
        for method, pattern, _, _ in parse_routes():
            if method != 'GET' or not pattern.startswith(
                    ('/admin', '/account', '/cong-khai')):
                continue
            fills = [pattern]
            for name in re.findall(r':(\w+)', pattern):
                if name == 'id' and '/callbacks/' in pattern:
                    vals = [self.callback, self.withdrawn]
                elif name == 'id' and '/reviews/' in pattern:
                    vals = [self.review]
                elif name == 'id':
                    vals = ['1']
                else:
                    vals = values[name]
                fills = [f.replace(':' + name, str(v), 1)
                         for f in fills for v in vals]
            for f in fills:
                extra = f'procedure={P1}&month={self.month}'
                out += [f, f + '?lang=en', f + '?' + extra,
                        f + '?' + extra + '&lang=en']
                if '/reports' in f:
                    out.append(f + '?month=2026-01')
        return out

    def test_no_payload_unescaped_on_any_page(self):
        seen, bad, pages = set(), [], 0
        walks = [(self.admin, p) for p in self.paths(UNIT)]
        walks += [(self.province, p) for p in self.paths('H21')]
        for who, path in walks:
            r = who.get(path)
            pages += 1
            text = r.body.decode('utf-8', 'replace')
            for m in raw(text):
                bad.append((path, r.status, m))
            seen.update(m for m in FIELDS if m in text)
        self.assertEqual(bad, [], 'payloads unescaped (page, status, field)')
        unseen = sorted(set(FIELDS) - seen)
        self.assertEqual(unseen, [], 'planted fields no console page showed: '
                         'the walk does not reach them')
        print(f'\n# xss walk: {len(FIELDS)} fields planted, {pages} pages '
              f'as the two admins, every field shown escaped, none raw')

    def test_the_withdrawn_branch_was_walked(self):
        r = self.admin.get(f'/admin/units/{UNIT}/callbacks/{self.withdrawn}'
                           '?lang=en')
        self.assertEqual(r.status, 200)
        self.assertIn('withdrew consent', r.text)
        self.assertIn('XsFormWithdrawn', r.text)


if __name__ == '__main__':
    unittest.main()
