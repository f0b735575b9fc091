"""kiosk_drain.py -- how fast a kiosk's outbox drains into a real server.

    python3 -m tests.bench.kiosk_drain [N] [BATCH]     (default 100000, 500)

Fills a fresh kiosk's outbox with N pending ratings (straight into
outbox.db, in one transaction), starts the server and the kiosk, and
times until every entry is settled and N rows are on the server.  A
measurement, not a test: it asserts only that every rating arrived once.
"""
import os
import sqlite3
import sys
import time
import uuid

from tests.api.hl import Server
from tests.api.kioskhl import Kiosk, add_kiosk, wait_until


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    batch = sys.argv[2] if len(sys.argv) > 2 else '500'
    with Server(name='bench') as s:
        _, code, _ = add_kiosk(s, counter=1, officer='VC01')
        k = Kiosk.enrolled(s, code)
        try:
            now = int(time.time() * 1000) - n
            c = sqlite3.connect(os.path.join(k.data, 'outbox.db'))
            with c:
                c.executemany(
                    'INSERT INTO outbox(id, level, rated_ms) VALUES (?, ?, ?)',
                    ((str(uuid.uuid4()), i % 5 + 1, now + i)
                     for i in range(n)))
            c.close()
            t0 = time.monotonic()
            k.start('--batch-max', batch)
            wait_until('the drain', lambda: k.states() == {'sent': n},
                       timeout=3600, every=0.1)
            dt = time.monotonic() - t0
            got = s.count("SELECT count(DISTINCT id) FROM ratings WHERE "
                          "channel = 'kiosk'")
            assert got == n, got
            print(f'kiosk drain: {n} ratings in {dt:.2f} s = '
                  f'{n / dt:.0f} ratings/s (batch {batch})')
        finally:
            k.cleanup()


if __name__ == '__main__':
    main()
