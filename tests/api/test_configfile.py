"""hailong config check|show against real files."""
import os
import tempfile
import unittest

from tests.api.hl import run

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SHIPPED = os.path.join(ROOT, 'etc', 'hailong.conf')


class ConfigCommand(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix='hailong-conf-')
        self.d = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def conf(self, text):
        path = os.path.join(self.d, 'h.conf')
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_the_shipped_file_checks(self):
        p = run('config', 'check', '--config', SHIPPED)
        self.assertEqual(p.stdout, f'{SHIPPED}: ok\n')
        # the database of the default path does not exist here: a
        # warning, not a failure
        self.assertIn("warning: database '/var/lib/hailong/hailong.db'",
                      p.stderr)

    def test_errors_name_file_and_line(self):
        cases = [
            ('threads = 2\n\nlisten 127.0.0.1:80\n',
             ":3: expected 'option = value'"),
            ('# a comment\nrate-limit-per-min = many\n',
             ":2: rate_limit_per_min: 'many' is not a whole number"),
            ('threads = 2\ncolour = blue\n', ":2: unknown option 'colour'"),
            # found by the checks after reading: the line is looked up
            ('db = /tmp/x.db\nlisten = localhost\n',
             ":2: listen: 'localhost' is not ADDR:PORT"),
            ('base_url = ftp://x\n', ":1: base_url: 'ftp://x' must start"),
            ('log_level = loud\n', ":1: log_level: 'loud' is not one of"),
            ('threads = 1\nmetrics_allow = 127.0.0.1 everyone\n',
             ":2: metrics_allow: 'everyone' is not an address"),
            ('retention_comment = keep\n', ":1: retention_comment: 'keep'"),
            ('backup_keep = 0\n', ":1: backup_keep: '0' is not a whole "
                                  "number from 1"),
            ('\n\ntls_cert = /nonexistent/cert.pem\n',
             ":3: tls_cert and tls_key go together"),
            (f'tls_cert = /nonexistent/cert.pem\n'
             f'tls_key = {SHIPPED}\n',
             ":1: tls_cert: cannot read '/nonexistent/cert.pem'"),
            ('report_ca = /nonexistent/ca.pem\n',
             ":1: report_ca: cannot read '/nonexistent/ca.pem'"),
            ('threads = 2\nreport_parent_url = ftp://p\n'
             'report_parent_apikey_file = /x\n',
             ":2: report_parent_url: 'ftp://p' must start with http://"),
            ('report_parent_url = https://p.example\n',
             ":1: report_parent_url and report_parent_apikey_file go "
             "together"),
            ('threads = 2\nsmtp_url = http://mail.example\n',
             ":2: smtp_url: 'http://mail.example' must start with smtp://"),
            ('smtp_url = smtp://mail.example:587\n',
             ":1: smtp_url: needs smtp_from, the sender's address"),
            ('smtp_user = hailong\n',
             ":1: smtp_user and smtp_password_file go together"),
            ('smtp_starttls = maybe\n',
             ":1: smtp_starttls: 'maybe' is not auto, yes or no"),
            (f'smtp_user = hailong\nsmtp_password_file = {SHIPPED}\n',
             f":2: smtp_password_file: '{SHIPPED}' may be read by others"),
            ('alert_retry_ms = 5000\nalert_retry_max_ms = 100\n',
             ":2: alert_retry_max_ms: 100 is less than alert_retry_ms"),
        ]
        for text, want in cases:
            with self.subTest(text=text):
                path = self.conf(text)
                p = run('config', 'check', '--config', path, check=False)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertIn(f'hailong config: {path}{want}', p.stderr)
                self.assertEqual(p.stdout, '')
        p = run('config', 'check', '--config',
                os.path.join(self.d, 'missing.conf'), check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn('cannot read config', p.stderr)

    def test_show_is_defaults_then_file_then_flags(self):
        path = self.conf('threads = 4\nlisten = 0.0.0.0:8080\n')
        p = run('config', 'show', '--config', path, '--listen',
                '127.0.0.1:9000', '--backup-keep=3')
        lines = dict(l.split(' = ', 1) for l in p.stdout.splitlines())
        self.assertEqual(lines['threads'], '4')
        self.assertEqual(lines['listen'], '127.0.0.1:9000')
        self.assertEqual(lines['backup_keep'], '3')
        # the limits the tests turn off (tests/api/hl.py) are on by default
        for k, v in (('rate_limit_per_min', '60'),
                     ('login_attempts_per_min', '20'),
                     ('kiosk_enrolments_per_min', '10'),
                     ('apikey_failure_limit', '20'),
                     ('report_submissions_per_hour', '60')):
            self.assertEqual(lines[k], v)
        self.assertEqual(lines['metrics_allow'], '127.0.0.1 ::1')
        p = run('config', 'show', '--bogus', '1', check=False)
        self.assertEqual(p.returncode, 2)
        p = run('config', 'frobnicate', check=False)
        self.assertEqual(p.returncode, 2)

    def test_maintenance_commands_read_the_file(self):
        # backup takes db and backup_dir from the file
        db = os.path.join(self.d, 'h.db')
        run('init', '--db', db)
        bdir = os.path.join(self.d, 'bk')
        path = self.conf(f'db = {db}\nbackup_dir = {bdir}\n'
                         'backup_keep = 1\n')
        run('backup', '--config', path)
        run('backup', '--config', path)
        self.assertEqual(len(os.listdir(bdir)), 1)
        # a bad file stops them with the line
        path = self.conf(f'db = {db}\nlog_level = chatty\n')
        p = run('backup', '--config', path, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn(f'{path}:2: log_level', p.stderr)


if __name__ == '__main__':
    unittest.main()
