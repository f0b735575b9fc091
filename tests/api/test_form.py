"""The citizen's form: GET and POST /q/<token>, against a real server."""
import re
import threading
import unittest

from tests.api.hl import Server, form_nonce, request

PROC = '1.001193'


class FormBasics(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # rate limit off: these tests post many times from one address
        cls.s = Server('--rate-limit-per-min', '0', name='form').start()
        cls.tok = cls.s.token(counter=1)
        cls.tok_proc = cls.s.token(counter=2, procedure=PROC)

    @classmethod
    def tearDownClass(cls):
        cls.s.__exit__(None, None, None)

    def fresh(self, tok=None):
        r = self.s.get('/q/' + (tok or self.tok))
        self.assertEqual(r.status, 200)
        return form_nonce(r.text)

    def post(self, fields, tok=None):
        return self.s.post_form('/q/' + (tok or self.tok), fields)

    def test_form_page_names_the_unit_and_counter(self):
        r = self.s.get('/q/' + self.tok)
        self.assertEqual(r.status, 200)
        self.assertIn('UBND xã Vân Canh', r.text)
        self.assertIn('Quầy 1', r.text)
        for level in range(1, 6):
            self.assertIn(f'name="level" value="{level}"', r.text)
        # without a procedure in the token, the picker is there
        self.assertIn('<select name="procedure"', r.text)
        # the consent box is never ticked for the citizen
        self.assertRegex(r.text, r'name="consent" value="1" id="consent">')

    def test_valid_post_is_stored_with_every_field(self):
        nonce = self.fresh()
        before = self.s.count()
        r = self.post({'nonce': nonce, 'level': '4', 'procedure': PROC,
                       'c1': '2', 'c2': '1', 'c3': '0', 'c7': '2',
                       'supplement_reported': '1',
                       'online_error_reported': '0', 'visits': '2',
                       'comment': 'Cán bộ nhiệt tình'})
        self.assertEqual(r.status, 200, r.text)
        self.assertIn('Cảm ơn', r.text)
        self.assertEqual(self.s.count(), before + 1)
        with self.s.db() as c:
            row = c.execute('SELECT * FROM ratings WHERE id = ?',
                            (nonce,)).fetchone()
            text = c.execute('SELECT comment FROM rating_texts WHERE seq = ?',
                             (row['seq'],)).fetchone()
        self.assertEqual(row['unit'], 'H21.227')
        self.assertEqual(row['counter'], 1)
        self.assertEqual(row['procedure'], PROC)
        self.assertEqual(row['channel'], 'qr')
        self.assertEqual(row['level'], 4)
        self.assertEqual([row[f'c{i}'] for i in range(1, 10)],
                         [2, 1, 0, None, None, None, 2, None, None])
        self.assertEqual(row['supplement_reported'], 1)
        self.assertEqual(row['online_error_reported'], 0)
        self.assertEqual(row['visits'], 2)
        self.assertEqual(row['status'], 'valid')
        self.assertEqual(text['comment'], 'Cán bộ nhiệt tình')

    def test_token_procedure_needs_no_picker(self):
        r = self.s.get('/q/' + self.tok_proc)
        self.assertNotIn('<select name="procedure"', r.text)
        nonce = form_nonce(r.text)
        r = self.post({'nonce': nonce, 'level': '5'}, tok=self.tok_proc)
        self.assertEqual(r.status, 200, r.text)
        with self.s.db() as c:
            row = c.execute('SELECT procedure, counter FROM ratings '
                            'WHERE id = ?', (nonce,)).fetchone()
        self.assertEqual(tuple(row), (PROC, 2))


if __name__ == '__main__':
    unittest.main()
