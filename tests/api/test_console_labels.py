"""Every audit action the code writes has a Vietnamese word (issue 18).

The unit test test_labels walks the enums (roles, channels, flags) and
labels.c's list of audit actions; this one reads the sources for the
actions they pass to audit_append() and its wrappers, so that a new
action without a word in server/core/labels.c fails here.
"""
import os
import re
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CALL = re.compile(r'\b(audit_append|setup_audit|audit_review|audit_login|'
                  r'apikey_audit)\s*\(([^;]*)', re.S)
ACTION = re.compile(r'"([a-z_]+(?:\.[a-z_]+)*)"')
# the actions without a dot; other literals without one are JSON keys
# of the detail or targets
PLAIN_ACTIONS = {'init', 'login', 'logout', 'restore', 'retention'}


def source_actions():
    found = set()
    for top in ('server', 'lib'):
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for f in files:
                if not f.endswith('.c') or f in ('audit.c', 'labels.c'):
                    continue
                text = open(os.path.join(d, f), encoding='utf-8').read()
                for m in CALL.finditer(text):
                    for a in ACTION.findall(m.group(2)[:300]):
                        if '.' in a or a in PLAIN_ACTIONS:
                            found.add(a)
    return found


class AuditActionLabels(unittest.TestCase):
    def test_every_written_action_has_a_label(self):
        labels = open(os.path.join(ROOT, 'server/core/labels.c'),
                      encoding='utf-8').read()
        table = labels[labels.index('actions[] = {'):
                       labels.index('label_audit_actions[]')]
        known = set(re.findall(r'\{ "([a-z_.]+)", "', table))
        actions = source_actions()
        self.assertIn('import.ratings', actions)
        self.assertGreater(len(actions), 30)
        missing = sorted(a for a in actions if a not in known)
        self.assertEqual(missing, [], 'audit actions without a label in '
                         'server/core/labels.c')


if __name__ == '__main__':
    unittest.main()
