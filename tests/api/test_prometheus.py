"""GET /metrics: the Prometheus text format, counts that follow what happened,
and the allow-list."""
import os
import time
import unittest

from tests.api.hl import Server, run
from tests.api.kioskhl import Signer, add_kiosk, enrol_raw, wait_until
from tests.api.opslib import metric, prometheus, rate


def enrolled_signer(s, counter, code):
    r = enrol_raw(s, code)
    assert r.status == 201, r.text
    return Signer(r.json()['kiosk'], r.json()['secret'])


class Metrics(unittest.TestCase):
    def test_counts_follow_requests_and_ratings(self):
        with Server('--rate-limit-per-min', '0', name='metrics') as s:
            r = s.get('/metrics')
            self.assertEqual(r.status, 200)
            self.assertEqual(r.headers['content-type'],
                             'text/plain; version=0.0.4; charset=utf-8')
            m = prometheus(r.text)
            self.assertEqual(metric(m, 'hailong_ratings_stored_total',
                                    channel='qr'), 0)
            self.assertEqual(metric(m, 'hailong_writer_batch_size_count'), 0)
            self.assertEqual(
                metric(m, 'hailong_last_backup_timestamp_seconds'), 0)

            # three ratings, one at a time: three batches of one
            for level in (5, 1, 3):
                resp, _ = rate(s, level=level)
                self.assertEqual(resp.status, 200, resp.text)
            for _ in range(2):
                self.assertEqual(s.get('/healthz').status, 200)
            self.assertEqual(s.get('/no/such/page').status, 404)

            # a request is counted when it is finished, which may be just
            # after its answer reached the client: wait for the last one
            scrapes = 1

            def counted():
                nonlocal scrapes
                m = prometheus(s.get('/metrics').text)
                scrapes += 1
                return m if metric(m, 'hailong_http_requests_total',
                                   route='none', method='GET',
                                   status='404') == 1 else None
            m = wait_until('the 404 counted', counted, 120)
            for ch, want in (('qr', 3), ('kiosk', 0), ('web', 0),
                             ('import', 0)):
                self.assertEqual(metric(m, 'hailong_ratings_stored_total',
                                        channel=ch), want, ch)
            req = 'hailong_http_requests_total'
            self.assertEqual(metric(m, req, route='/q/:token',
                                    method='POST', status='200'), 3)
            self.assertEqual(metric(m, req, route='/q/:token',
                                    method='GET', status='200'), 3)
            self.assertEqual(metric(m, req, route='/healthz',
                                    method='GET', status='200'), 2)
            self.assertEqual(metric(m, req, route='none', method='GET',
                                    status='404'), 1)
            # the scrapes before this one counted (the first surely, the
            # last perhaps not yet); this one is not done yet
            self.assertIn(metric(m, req, route='/metrics', method='GET',
                                 status='200'), range(1, scrapes))
            # the raw path (it holds a token) is never a label
            self.assertNotIn(s.token(counter=2, procedure='1.001193'),
                             s.get('/metrics').text)
            bs = 'hailong_writer_batch_size'
            self.assertEqual(metric(m, bs + '_count'), 3)
            self.assertEqual(metric(m, bs + '_sum'), 3)
            self.assertEqual(metric(m, bs + '_bucket', le='1'), 3)
            self.assertEqual(metric(m, bs + '_bucket', le='+Inf'), 3)
            cs = 'hailong_writer_commit_seconds'
            self.assertEqual(metric(m, cs + '_count'), 3)
            self.assertGreater(metric(m, cs + '_sum'), 0)
            self.assertEqual(metric(m, cs + '_bucket', le='+Inf'), 3)
            # buckets are cumulative
            les = sorted((float(dict(k[1])['le']), v) for k, v in m.items()
                         if k[0] == cs + '_bucket')
            self.assertEqual([v for _, v in les], sorted(v for _, v in les))
            self.assertEqual(metric(m, 'hailong_writer_queue_capacity'),
                             20000)
            self.assertEqual(metric(m, 'hailong_writer_disk_full'), 0)
            self.assertEqual(metric(m, 'hailong_database_up'), 1)
            self.assertEqual(
                metric(m, 'hailong_database_size_bytes', file='db'),
                os.path.getsize(s.db_path))
            self.assertEqual(metric(m, 'hailong_ratings_duplicate_total'), 0)
            info = [k for k in m if k[0] == 'hailong_build_info']
            self.assertEqual(len(info), 1)
            self.assertIn(('schema', run('--version').stdout.split(
                'schema ')[1].split(',')[0]), info[0][1])

            # an online backup shows as the last successful one
            out = os.path.join(s.dir, 'b.db')
            run('backup', '--db', s.db_path, '--out', out)
            with s.db() as c:
                at = int(c.execute("SELECT value FROM meta WHERE key = "
                                   "'last_backup_at'").fetchone()[0])
            m = prometheus(s.get('/metrics').text)
            self.assertEqual(
                metric(m, 'hailong_last_backup_timestamp_seconds'), at)
            self.assertGreater(at, 1700000000)

    def test_kiosks_online_offline_and_their_outboxes(self):
        with Server(name='metrics-kiosks') as s:
            ks = []
            for counter in (1, 2, 3):
                _, code, _ = add_kiosk(s, counter=counter)
                ks.append(enrolled_signer(s, counter=counter, code=code))
            add_kiosk(s, counter=1)           # never enrolled: not counted
            m = prometheus(s.get('/metrics').text)
            # enrolled, never heard from since: offline
            self.assertEqual(metric(m, 'hailong_kiosks', state='online'), 0)
            self.assertEqual(metric(m, 'hailong_kiosks', state='offline'), 3)
            t0 = int(time.time()) - 3600
            for k, backlog in zip(ks, (4, 7, 0)):
                r = k.post(s, '/api/v1/kiosk/heartbeat', {
                    'version': '0.1.0', 'outbox': backlog, 'problems': 0,
                    'oldest_unsent': time.strftime(
                        '%Y-%m-%dT%H:%M:%SZ', time.gmtime(
                            t0 + backlog)) if backlog else None})
                self.assertEqual(r.status, 200, r.text)
            # the third falls silent for eleven minutes; the second is
            # revoked: neither online nor offline, gone
            with s.db() as c:
                c.execute('UPDATE kiosks SET last_seen = ? WHERE id = ?',
                          (int(time.time()) - 660, ks[2].kiosk))
            run('kiosk', 'revoke', '--db', s.db_path, ks[1].kiosk)
            m = prometheus(s.get('/metrics').text)
            self.assertEqual(metric(m, 'hailong_kiosks', state='online'), 1)
            self.assertEqual(metric(m, 'hailong_kiosks', state='offline'), 1)
            self.assertEqual(metric(m, 'hailong_kiosk_outbox_ratings'), 4)
            self.assertEqual(metric(
                m, 'hailong_kiosk_oldest_unsent_timestamp_seconds'), t0 + 4)

    def test_allow_list(self):
        # loopback is not in the list: 404 like an unknown path
        with Server('--metrics-allow', '10.0.0.0/8 192.168.0.0/16',
                    name='metrics-deny') as s:
            r = s.get('/metrics')
            self.assertEqual(r.status, 404)
            self.assertEqual(r.body, s.get('/no-such-route').body)
        with Server('--metrics-allow', '10.0.0.0/8, 127.0.0.0/8',
                    name='metrics-range') as s:
            self.assertEqual(s.get('/metrics').status, 200)

    def test_bad_allow_list_is_refused_at_start(self):
        p = run('serve', '--db', '/nonexistent.db', '--metrics-allow',
                '127.0.0.1 localhost', check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("metrics_allow: 'localhost' is not an address",
                      p.stderr)


if __name__ == '__main__':
    unittest.main()
