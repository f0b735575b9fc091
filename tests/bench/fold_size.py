"""fold_size.py -- what folding saves: bytes per rating before and after.

    python3 -m tests.bench.fold_size [N]        (default 200,000 ratings)

A fresh database (`hailong init --demo`) gets N ratings through
`hailong import ratings`, spread over the 16 months from 30 to 15 months
ago, shaped like a commune's: every one with a counter, half with an
officer and a procedure, 40% with the nine criteria, 15% with a comment
of about 80 characters, 10% naming a dossier (a fifth of those low).  Then
`hailong retention --fold-months 13` folds them all but the dossiers' low
ratings.  They are stored in time order but for 2% late ones.  Printed:
each table's and index's bytes (SQLite's dbstat: the
pages they use) per rating before and after, the file's pages and free
pages.  No VACUUM: the file keeps its size; its free pages take the next
ratings.  Nothing passes or fails here.
"""
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get('HAILONG_BIN', os.path.join(ROOT, 'build', 'bin', 'hailong'))
KEYS = ['id', 'unit', 'counter', 'officer', 'procedure', 'dossier', 'level',
        'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9',
        'supplement_reported', 'online_error_reported', 'visits', 'comment',
        'rated_at']
WORDS = ('cán bộ nhiệt tình hướng dẫn rõ ràng chờ lâu thủ tục nhanh '
         'gọn cần cải thiện phòng chờ nóng thái độ tốt hẹn trả kết quả '
         'đúng').split()


def hailong(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True,
                          check=True)


def month_back(k):
    t = time.gmtime(time.time() + 7 * 3600)
    y, m = divmod(t.tm_year * 12 + t.tm_mon - 1 - k, 12)
    return y, m + 1


def sizes(db):
    c = sqlite3.connect(db)
    try:
        rows = c.execute('SELECT name, sum(pgsize) FROM dbstat GROUP BY name '
                         'ORDER BY 2 DESC').fetchall()
        pages, free, size = (c.execute(f'PRAGMA {p}').fetchone()[0] for p in
                             ('page_count', 'freelist_count', 'page_size'))
        counts = {t: c.execute(f'SELECT count(*) FROM {t}').fetchone()[0]
                  for t in ('ratings', 'ratings_folded', 'rating_texts',
                            'rating_folds')}
    finally:
        c.close()
    return dict(rows), pages, free, size, counts


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    rnd = random.Random(9)
    d = tempfile.mkdtemp(prefix='hailong-foldsize-')
    db = os.path.join(d, 'h.db')
    hailong('init', '--db', db, '--demo')
    path = os.path.join(d, 'r.csv')
    rows = []
    if True:
        for i in range(n):
            y, m = month_back(15 + rnd.randrange(16))
            r = {k: '' for k in KEYS}
            r.update(id=f'{rnd.getrandbits(128):032x}', unit='H21.227',
                     counter=str(1 + rnd.randrange(3)),
                     level=str(rnd.choice('5554443321')),
                     rated_at=f'{y:04d}-{m:02d}-{1 + rnd.randrange(28):02d}T'
                     f'{7 + rnd.randrange(10):02d}:{rnd.randrange(60):02d}'
                     ':00+07:00')
            if rnd.random() < 0.5:
                r['officer'] = f'VC0{1 + rnd.randrange(4)}'
                r['procedure'] = rnd.choice(('1.001193', '1.003583',
                                             '1.004772'))
            if rnd.random() < 0.4:
                for k in range(1, 10):
                    r[f'c{k}'] = str(rnd.randrange(3))
                r['supplement_reported'] = str(rnd.randrange(2))
                r['visits'] = str(1 + rnd.randrange(3))
            if rnd.random() < 0.15:
                r['comment'] = ' '.join(rnd.choice(WORDS)
                                        for _ in range(16))[:80]
            if rnd.random() < 0.10:
                r['dossier'] = f'H21.227-{y % 100:02d}{m:02d}01-{i:04d}'[:20]
                if rnd.random() < 0.2:
                    r['level'] = str(1 + rnd.randrange(2))
            rows.append(r)
    # stored as they come: in time order, but 2% of them late (a kiosk
    # back online, paper ballots typed in weeks later)
    rows.sort(key=lambda r: r['rated_at'])
    for i in range(0, len(rows) - 1):
        if rnd.random() < 0.02:
            j = min(len(rows) - 1, i + rnd.randrange(20000))
            rows[i], rows[j] = rows[j], rows[i]
    with open(path, 'w', encoding='utf-8') as f:
        f.write(','.join(KEYS) + '\n')
        for r in rows:
            f.write(','.join(r[k] for k in KEYS) + '\n')
    hailong('import', 'ratings', '--db', db, path)
    before = sizes(db)
    t0 = time.monotonic()
    out = hailong('retention', '--db', db, '--fold-months', '13').stdout
    took = time.monotonic() - t0
    after = sizes(db)
    print(out.strip())
    folds = after[4]['rating_folds']
    print(f'fold took {took:.1f} s for {n} ratings in {folds} transactions '
          f'(with the scan before them: {1000 * took / max(folds, 1):.0f} '
          'ms each on average)')
    names = sorted(set(before[0]) | set(after[0]),
                   key=lambda k: -max(before[0].get(k, 0),
                                      after[0].get(k, 0)))
    print(f'{"table or index":34} {"before":>12} {"after":>12}   bytes/rating')
    tb = ta = 0
    for k in names:
        b, a = before[0].get(k, 0), after[0].get(k, 0)
        if b == 0 and a == 0:
            continue
        print(f'{k:34} {b:12,} {a:12,}   {b / n:7.1f} -> {a / n:7.1f}')
    for (rows, pages, free, size, counts), label in ((before, 'before'),
                                                     (after, 'after')):
        used = (pages - free) * size
        print(f'{label}: {counts} file {pages} pages of {size} B, {free} '
              f'free; used {used:,} B = {used / n:.1f} B/rating')
        if label == 'before':
            tb = used
        else:
            ta = used
    rating_tables = ('ratings', 'sqlite_autoindex_ratings_1',
                     'ratings_dossier', 'rating_texts', 'rating_texts_unit',
                     'ratings_folded', 'folded_procedure', 'folded_staff',
                     'sqlite_autoindex_folded_procedure_1',
                     'sqlite_autoindex_folded_staff_1', 'rating_folds')
    rb = sum(before[0].get(k, 0) for k in rating_tables)
    ra = sum(after[0].get(k, 0) for k in rating_tables)
    print(f'ratings and what replaces them: {rb / n:.1f} -> {ra / n:.1f} '
          f'B/rating; the whole file in use: {tb / n:.1f} -> {ta / n:.1f}')
    folded = after[4]['ratings_folded']
    if folded:
        per = after[0].get('ratings_folded', 0) / folded
        print(f'ratings_folded: {per:.1f} B per folded rating')
    print(f'(database left in {d})')


if __name__ == '__main__':
    main()
