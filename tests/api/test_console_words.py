"""The console in words a Vietnamese officer reads (issue 18, console A).

The month of test_console (October 2026, H21.227: P1 flagged, a review, a
CLI import, logins) is shown on every page of part A.  A Vietnamese page
must not show a flag code (LOW_SATISFACTION), a role code (manager), an
audit action (import.ratings), an actor ("cli:root"), a channel code
(qr), a raw month ("2026-10"), an RFC 3339 time, "01/01/1970" or a figure
with a decimal point.  Codes may stay in <code>, in a class="code" span
and in attributes (data-v, value=, href): machines and tests read those.
The figures people ask about (the interval, the severity, the two
satisfaction figures) carry a hover text and a legend; every chart has a
scale and its first and last month.
"""
import datetime
import html.parser
import os
import re
import unittest

from tests.api.hl import Browser, Server, run
from tests.api.test_console import (DOSSIERS, MONTH, P1, PW, RATINGS, UNIT,
                                    USERS, today_vn)

FLAGS = ('LOW_SATISFACTION', 'HIGH_SUPPLEMENT', 'LOW_ONLINE', 'LATE')
ROLES = ('admin', 'manager', 'viewer', 'reporter')
ACTIONS = ('import.ratings', 'import.dossiers', 'user.add', 'login',
           'review.open', 'init', 'rating.status')
# codes people do read as codes: procedures (1.001193), units (H21.227)
CODES = re.compile(r'\b\d\.\d{6}\b|\bH\d+(?:\.\d+)*\b')


class Visible(html.parser.HTMLParser):
    """The text a person sees, without <code>, class="code", scripts."""
    SKIP = {'code', 'script', 'style', 'title'}
    VOID = {'br', 'img', 'input', 'meta', 'link', 'hr', 'wbr', 'source',
            'col', 'area', 'base', 'embed', 'param', 'track'}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.out = []
        self.titles = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'title' in a:
            self.titles.append(a['title'])
        if tag in self.VOID:
            return
        skip = (tag in self.SKIP or 'code' in (a.get('class') or '').split()
                or (self.stack and self.stack[-1]))
        # an <svg>'s <title> is its hover text, not page text
        self.stack.append(bool(skip))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.out.append(data)


def visible(page):
    p = Visible()
    p.feed(page)
    return ' '.join(' '.join(p.out).split()), p.titles


class ConsoleWords(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = s = Server(name='console-words')
        for name, rows in (('ratings', RATINGS), ('dossiers', DOSSIERS)):
            path = os.path.join(s.dir, name + '.csv')
            with open(path, 'w', encoding='utf-8') as f:
                f.write('\n'.join(rows) + '\n')
            run('import', name, '--db', s.db_path, path)
        for name, unit, role in USERS:
            run('user', 'add', '--db', s.db_path, '--unit', unit, '--role',
                role, '--name', name, '--password-stdin', input=PW + '\n')
        s.start()
        cls.b = Browser(s).logged_in('adm', PW)
        # a review, so that the review pages have one
        b = cls.b
        b.get(f'/admin/units/{UNIT}/procedures/{P1}?month={MONTH}')
        due = (today_vn() + datetime.timedelta(days=7)).strftime('%d/%m/%Y')
        r = b.post_form(f'/admin/units/{UNIT}/reviews', {
            'csrf': b.csrf(), 'procedure': P1, 'month': MONTH,
            'owner': 'mgr', 'due': due, 'notes': 'Xem lại quầy 1'})
        assert r.status in (200, 303), r.text[:500]

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    PAGES = (f'/admin/units/{UNIT}?month={MONTH}',
             f'/admin/units/{UNIT}/procedures?month={MONTH}',
             f'/admin/units/{UNIT}/procedures/{P1}?month={MONTH}',
             f'/admin/units/{UNIT}/counters?month={MONTH}',
             f'/admin/units/{UNIT}/officers?month={MONTH}',
             f'/admin/units/{UNIT}/reviews',
             f'/admin/units/{UNIT}/reviews/1',
             f'/admin/units/{UNIT}/reviews/new?counter=1&month={MONTH}',
             f'/admin/units/{UNIT}/audit',
             f'/admin/units/{UNIT}/qr',
             f'/admin/units/{UNIT}/ballots',
             f'/admin/units/{UNIT}/setup',
             f'/admin/units/{UNIT}/setup/counters',
             f'/admin/units/{UNIT}/setup/officers',
             f'/admin/units/{UNIT}/setup/procedures',
             f'/admin/units/{UNIT}/setup/duty')

    def page(self, path):
        r = self.b.get(path)
        self.assertEqual(r.status, 200, path)
        return r.text

    def test_no_codes_or_machine_formats_on_vietnamese_pages(self):
        for path in self.PAGES:
            with self.subTest(path=path):
                text, _ = visible(self.page(path))
                # the tabs and the header are console.c's (part B)
                text = text[text.index('Thiết lập') + len('Thiết lập'):]
                # codes, and the demo's user called "admin" (a name)
                bare = CODES.sub(' ', text).replace('(admin)', '')
                for code in FLAGS + ACTIONS:
                    self.assertNotRegex(bare, r'(?<![\w.])%s(?![\w.])'
                                        % re.escape(code), code)
                for role in ROLES:
                    self.assertNotRegex(bare, r'\b%s\b' % role, role)
                self.assertNotIn('cli:', bare)
                self.assertNotIn('user:', bare)
                self.assertNotRegex(bare, r'\b(qr|kiosk|web)\b')
                self.assertNotRegex(bare, r'\b20\d\d-\d\d\b', 'raw month')
                self.assertNotRegex(bare, r'\d\d:\d\d:\d\d', 'raw time')
                self.assertNotIn('01/01/1970', bare)
                self.assertNotRegex(bare, r'\d\.\d', 'a decimal point')
                self.assertNotRegex(bare, r'\d%', 'a percent without space')
                self.assertNotIn('{"', bare, 'raw JSON')

    def test_figures_are_explained(self):
        page = self.page(f'/admin/units/{UNIT}?month={MONTH}')
        text, titles = visible(page)
        hints = ' '.join(titles)
        # the interval, the severity, both satisfaction figures
        self.assertIn('Khoảng tin cậy 95 %', hints)
        self.assertIn('Quyết định 766', hints)
        self.assertIn('Ý kiến của người dân', hints)
        self.assertIn('điểm phần trăm', hints)
        self.assertIn('class="legend"', page)
        self.assertIn('có thể cao dù tỷ lệ hài lòng của người dân thấp', text)
        self.assertRegex(text, r'\d+,\d điểm')          # severity in words
        self.assertIn('Hài lòng thấp', text)
        self.assertIn('Số liệu tháng 10/2026', text)
        # every chart: a scale and its first and last month
        charts = re.findall(r'<figure class="trend".*?</figure>', page, re.S)
        self.assertEqual(len(charts), 14)
        for ch in charts:
            self.assertIn('>tháng 11/2025</text>', ch)
            self.assertIn('>tháng 10/2026</text>', ch)
            self.assertEqual(len(re.findall(r'<text class="scale"', ch)), 3)
        sat = [ch for ch in charts if 'data-k="satisfied_rate"' in ch][0]
        self.assertIn('>100\u00a0%</text>', sat)
        self.assertIn('>0\u00a0%</text>', sat)
        # machines still read the exact figures
        self.assertIn('data-k="satisfied_rate" data-v="0.6250"', page)
        self.assertIn('data-k="month" data-v="2026-10"', page)
        # the why bars have a scale
        page = self.page(f'/admin/units/{UNIT}/procedures/{P1}'
                         f'?month={MONTH}')
        self.assertIn('<span class="axis"', page)

    def test_english_pages_keep_english(self):
        page = self.page(f'/admin/units/{UNIT}?month={MONTH}&lang=en')
        text, titles = visible(page)
        self.assertIn('Figures of October 2026', text)
        self.assertIn('62.5%', text)
        self.assertIn('Low satisfaction', text)
        self.assertIn('Decision 766', ' '.join(titles))

    def test_audit_reads_as_words(self):
        page = self.page(f'/admin/units/{UNIT}/audit')
        text, _ = visible(page)
        self.assertIn('Dòng lệnh (', text)          # cli:<login>
        self.assertIn('Nhập đánh giá', text)        # import.ratings
        self.assertIn('Mở việc xem xét', text)      # review.open
        self.assertIn('Tài khoản adm', text)        # user:adm
        self.assertRegex(text, r'bản ghi: \d+ nhận: \d+')  # the import's detail
        self.assertRegex(text, r'vai trò: (Quản trị viên|Người quản lý)')
        self.assertIn('data-action="import.ratings"', page)
        # the filter lists actions by name, codes only as values
        self.assertIn('<option value="import.ratings">Nhập đánh giá'
                      '</option>', page)
        page = self.page(f'/admin/units/{UNIT}/audit?action=import.ratings')
        self.assertEqual(page.count('<tr data-action='), 1)

    def test_counters_are_named_once(self):
        for path in (f'/admin/units/{UNIT}/qr',
                     f'/admin/units/{UNIT}/counters?month={MONTH}'):
            with self.subTest(path=path):
                text, _ = visible(self.page(path))
                self.assertNotRegex(text, r'(Quầy \d+) — \1\b')

    def test_review_due_typed_as_a_vietnamese_date(self):
        rows = [tuple(r) for r in self.s.db().execute(
            "SELECT due_date, notes FROM reviews")]
        due = today_vn() + datetime.timedelta(days=7)
        self.assertIn((due.isoformat(), 'Xem lại quầy 1'), rows)
        page = self.page(f'/admin/units/{UNIT}/reviews/1')
        text, _ = visible(page)
        self.assertIn(due.strftime('%d/%m/%Y'), text)
        self.assertIn('Tháng 10/2026', text)
        self.assertIn('Hài lòng thấp', text)        # the flags, in words

    def test_rules_list_has_no_epoch(self):
        out = run('rules', 'list', '--db', self.s.db_path).stdout
        self.assertNotIn('1970', out)
        self.assertRegex(out.splitlines()[1], r'^1\s+2000-01\s+—\s')


if __name__ == '__main__':
    unittest.main()
