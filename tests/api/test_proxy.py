"""X-Forwarded-For counts only from trusted_proxies: rate limits, /metrics."""
import unittest

from tests.api.hl import Server
from tests.api.opslib import PROC


def post_empty(s, tok, client=None):
    """A form POST that fails validation (400) but counts for the limit."""
    h = {'X-Forwarded-For': client} if client else {}
    return s.post_form('/q/' + tok, {'level': ''}, headers=h).status


class TrustedProxy(unittest.TestCase):
    def test_limit_is_per_forwarded_client_behind_a_trusted_proxy(self):
        with Server('--rate-limit-per-min', '3', '--trusted-proxies',
                    '192.0.2.1, 127.0.0.1', name='proxy-trusted') as s:
            tok = s.token(counter=1, procedure=PROC)
            a, b = '198.51.100.7', '203.0.113.9'
            self.assertEqual([post_empty(s, tok, a) for _ in range(3)],
                             [400, 400, 400])
            self.assertEqual(post_empty(s, tok, a), 429)
            # another citizen behind the same proxy has a limit of their own
            self.assertEqual(post_empty(s, tok, b), 400)
            # a chain: the last address not of a trusted proxy counts, so a
            # client cannot pick its own address by sending the header
            self.assertEqual(post_empty(s, tok, f'{b}, {a}'), 429)
            self.assertEqual(post_empty(s, tok, f'{a}, {b}, 192.0.2.1'), 400)
            self.assertEqual(post_empty(s, tok, f'{a}, {b}'), 400)
            self.assertEqual(post_empty(s, tok, b), 429)
            # the log names the forwarded client, never the proxy alone
            self.assertIn(f'client={a}', s.logs())

    def test_header_is_ignored_from_an_untrusted_peer(self):
        # the peer is 127.0.0.1, which is not in the list
        with Server('--rate-limit-per-min', '3', '--trusted-proxies',
                    '192.0.2.1', name='proxy-untrusted') as s:
            tok = s.token(counter=1, procedure=PROC)
            got = [post_empty(s, tok, f'198.51.100.{i}') for i in range(5)]
            # five "different" clients are one peer: the fourth is refused
            self.assertEqual(got, [400, 400, 400, 429, 429])
            self.assertNotIn('client=198.51.100.', s.logs())

    def test_metrics_follow_the_forwarded_client(self):
        with Server('--trusted-proxies', '127.0.0.1',
                    name='proxy-metrics') as s:
            # through the proxy, an outside client: 404, as if no route
            r = s.get('/metrics', headers={'X-Forwarded-For': '203.0.113.5'})
            self.assertEqual(r.status, 404)
            self.assertNotIn(b'hailong_', r.body)
            # the proxy's own request (loopback) is allowed
            self.assertEqual(s.get('/metrics').status, 200)
        with Server(name='proxy-metrics-untrusted') as s:
            # not a trusted proxy: the header changes nothing
            r = s.get('/metrics', headers={'X-Forwarded-For': '203.0.113.5'})
            self.assertEqual(r.status, 200)


if __name__ == '__main__':
    unittest.main()
