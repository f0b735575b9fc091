"""Soak: mixed load at a moderate rate; no error, RSS flat, no fd growth.

Form posts and kiosk batches (paced), plus readers: the form page, a QR
code, /healthz and a logged-in officer's console pages.  RSS and the
number of open file descriptors are sampled once a second; the later
windows are compared with the first one (after a warm-up).  20 s in
`make test`, 10 minutes in `make reliability`.
"""
import threading
import time
import unittest

from tests.api.hl import BIN, Browser
from tests.reliability.rel import (Load, Server, fd_count, integrity, pick,
                                   request, rss_kb)

SECONDS = pick(20, 600)
# generous: the allocator keeps some memory.  Under ASan the quarantine
# (256 MB by default) fills up first and holds freed memory on purpose:
# the bound is then only that it stays below the quarantine.
SANITIZED = '/asan/' in BIN
RSS_SLACK_KB = (320 if SANITIZED else 24) * 1024


class Soak(unittest.TestCase):
    def test_mixed_load(self):
        s = Server('--rate-limit-per-min', '0', name='soak').start()
        load = None
        try:
            load = Load(s, forms=2, kiosks=1, pace=0.01, batch=5).start()
            tok = load.tokens[0]
            stop = threading.Event()
            read_errors, reads = [], [0]
            staff = Browser(s).logged_in(*s.login)
            metrics = ('/api/v1/metrics?unit=H21.227&month='
                       + time.strftime('%Y-%m'))

            def reader():
                paths = ['/q/' + tok, '/qr/' + tok + '.svg', '/healthz',
                         '/static/form.css']
                while not stop.wait(0.02):
                    for p in paths:
                        r = request(s.port, 'GET', p)
                        if r.status != 200:
                            read_errors.append((p, r.status))
                    for p in ('/admin/units/H21.227', metrics):
                        r = staff.get(p)
                        if r.status != 200:
                            read_errors.append((p, r.status))
                    reads[0] += 6
            t = threading.Thread(target=reader, daemon=True)
            t.start()
            pid = s.proc.pid
            samples = []
            end = time.monotonic() + SECONDS
            while time.monotonic() < end:
                samples.append((rss_kb(pid), fd_count(pid)))
                time.sleep(1)
            stop.set()
            t.join()
            load.stop()
            self.assertEqual(load.errors, [], load.statuses)
            self.assertEqual(read_errors, [])
            self.assertEqual({k for k in load.statuses if k[1] != 200}, set(),
                             load.statuses)
            # windows: skip the first fifth (warm-up), then thirds
            w = samples[len(samples) // 5:]
            third = max(len(w) // 3, 1)
            first, last = w[:third], w[-third:]
            rss_first = max(r for r, _ in first)
            rss_last = max(r for r, _ in last)
            fd_first = max(f for _, f in first)
            fd_last = max(f for _, f in last)
            self.assertLessEqual(rss_last, rss_first + RSS_SLACK_KB,
                                 samples)
            self.assertLessEqual(fd_last, fd_first + 4, samples)
            self.assertEqual(s.stop(), 0)
            v = integrity(s.db_path)
            self.assertEqual(v.returncode, 0, v.stdout)
            print(f'\n# soak {SECONDS}s: {load.total_acked()} ratings '
                  f'acknowledged, {reads[0]} reads, 0 errors; RSS max '
                  f'{rss_first} kB (first third) -> {rss_last} kB (last); '
                  f'fds {fd_first} -> {fd_last}')
        finally:
            if load is not None:
                load.stop()
            s.__exit__(None, None, None)


if __name__ == '__main__':
    unittest.main()
