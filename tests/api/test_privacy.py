"""hailong privacy find|erase: a citizen's request about their number."""
import re
import unittest

from tests.api.hl import Server, run
from tests.api.opslib import rate

NUMBER = '0912345678'


class Privacy(unittest.TestCase):
    def setUp(self):
        self.s = Server('--rate-limit-per-min', '0', name='privacy')
        self.s.start()
        self.seq = {}
        for name, phone, comment in (
                ('callback', '0912 345 678', 'Chờ quá lâu'),
                ('in_comment', None, 'số tôi là +84 912.345.678 nhé'),
                ('other', '0987654321', 'gọi 0987654321 hoặc 0912345678'),
                ('unrelated', '0911111111', 'ổn')):
            r, nonce = rate(self.s, level=2, comment=comment, phone=phone)
            self.assertEqual(r.status, 200, r.text)
            with self.s.db() as c:
                self.seq[name] = c.execute(
                    'SELECT seq FROM ratings WHERE id = ?',
                    (nonce,)).fetchone()[0]

    def tearDown(self):
        self.s.__exit__(None, None, None)

    def privacy(self, verb, *extra, **kw):
        return run('privacy', verb, '--db', self.s.db_path, *extra, **kw)

    def test_find_then_erase(self):
        s = self.s
        # while the server runs
        p = self.privacy('find', '--phone', '+84 912 345 678')
        out = p.stdout
        self.assertIn('09******78: 3 ratings hold it', out)
        self.assertIn(f'rating {self.seq["callback"]}: unit H21.227, qr, '
                      'rated ', out)
        self.assertIn('callback requested: consent (text version 1) given ',
                      out)
        self.assertIn('callback open', out)
        self.assertIn('comment (holds the number): "số tôi là +84 '
                      '912.345.678 nhé"', out)
        self.assertNotIn(f'rating {self.seq["unrelated"]}:', out)
        # dates as dd/mm/yyyy HH:MM
        self.assertRegex(out, r'rated \d\d/\d\d/\d{4} \d\d:\d\d, level 2')
        tag = re.search(r'subject=(phone:[0-9a-f]{16}) ratings=3',
                        p.stderr).group(1)
        self.assertNotRegex(p.stderr, r'912.?345.?678')

        p = self.privacy('erase', '--phone', NUMBER)
        self.assertIn('erased: the number from 1 callback (1 consent '
                      'recorded as withdrawn); 2 comments de-identified',
                      p.stdout)
        self.assertIn(f'subject={tag} callbacks=1 consents=1 comments=2',
                      p.stderr)
        self.assertNotRegex(p.stderr, r'912.?345.?678')
        with s.db() as c:
            cb = c.execute('SELECT phone, erased_at, consent_id FROM '
                           'callbacks WHERE rating_seq = ?',
                           (self.seq['callback'],)).fetchone()
            self.assertIsNone(cb['phone'])
            self.assertIsNotNone(cb['erased_at'])
            self.assertIsNotNone(c.execute(
                'SELECT withdrawn_at FROM consents WHERE id = ?',
                (cb['consent_id'],)).fetchone()[0])
            # the other citizen's callback stays; their comment is masked
            # because it held this number
            self.assertEqual(c.execute(
                'SELECT phone FROM callbacks WHERE rating_seq = ?',
                (self.seq['other'],)).fetchone()[0], '0987654321')
            texts = dict(c.execute('SELECT seq, comment FROM rating_texts'))
            audit = [tuple(r) for r in c.execute(
                'SELECT action, target, detail FROM audit ORDER BY seq')]
            dump = '\n'.join(c.iterdump())
        self.assertEqual(texts[self.seq['in_comment']],
                         'số tôi là +** ***.***.*** nhé')
        self.assertEqual(texts[self.seq['other']],
                         'gọi ********** hoặc **********')
        self.assertEqual(texts[self.seq['callback']], 'Chờ quá lâu')
        self.assertEqual(audit[-2], ('privacy.find', tag, '{"ratings":3}'))
        self.assertEqual(audit[-1], ('privacy.erase', tag,
                                     '{"callbacks":1,"consents":1,'
                                     '"comments":2}'))
        # nowhere in the database any more, in any spelling
        self.assertNotIn('912345678', re.sub(r'[ .\-+]', '', dump))
        run('verify-chain', '--db', s.db_path)
        # the form still works; a second find finds nothing
        p = self.privacy('find', '--phone', NUMBER)
        self.assertIn('09******78: nothing is held about this number',
                      p.stdout)
        self.assertEqual(rate(s, level=5)[0].status, 200)

    def test_number_from_stdin_and_bad_numbers(self):
        p = self.privacy('find', '--phone', '-', input='0911 111 111\n')
        self.assertIn('09******11: 1 rating holds it', p.stdout)
        for bad in ('12345', '0012345678', '+1 415 555 0100', 'x' * 40):
            p = self.privacy('erase', '--phone', bad, check=False)
            self.assertEqual(p.returncode, 2)
            self.assertIn('not a Vietnamese phone number', p.stderr)
            # never echoed back
            self.assertNotIn(bad, p.stderr)
        p = run('privacy', 'forget', '--phone', NUMBER, check=False)
        self.assertEqual(p.returncode, 2)
        p = self.privacy('find', check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn('--phone NUMBER is required', p.stderr)


if __name__ == '__main__':
    unittest.main()
