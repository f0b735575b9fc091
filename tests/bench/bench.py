"""bench.py -- every measurement of tests/bench/README.md, one at a time.

    python3 -m tests.bench.bench [BUILD]         (make bench)

Each figure is printed beside a baseline measured in the same run on the
same machine (these machines are noisy: only ratios travel), and all of
them are written to BUILD/bench/results.json.  Nothing here passes or
fails on time; what it does check is correctness under load: after every
ingest run the rows are counted, and every 2xx answer must be a row.

Environment:
    BENCH_SECONDS   length of each wrk run (default 5)
    BENCH_QUICK=1   a small province (200,000 ratings) instead of 10 million,
                    for trying the harness; its figures are not the targets'
    BENCH_PROVINCE  a province database to use instead of generating one
    BENCH_FOLD=1    also fold the national month (minutes)
    BENCH_ONLY      steps to run, comma-separated (the null handler always
                    runs): form, kiosk, figures, drain, report, onecore,
                    phone, nation
"""
import base64
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

from tests.api import hl
from tests.api.kioskhl import Kiosk, add_kiosk, wait_until

ROOT = hl.ROOT
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                        else os.path.join(ROOT, 'build'))
BIN = os.path.join(BUILD, 'bin', 'hailong')
OUT = os.path.join(BUILD, 'bench')
SECONDS = int(os.environ.get('BENCH_SECONDS', '5'))
QUICK = os.environ.get('BENCH_QUICK') == '1'
PROVINCE_RATINGS = 200_000 if QUICK else 10_000_000
PROVINCE_DOSSIERS = 20_000 if QUICK else 1_000_000
MONTH = '2026-11'            # the generator's last month
# after everything the fixture holds of the month (its dossiers finish up
# to mid-December): the month as a report reads it, from the rollups
AS_OF = '2027-01-01T00:00:00+07:00'
# while the month's dossiers still finish: "as of" a time before facts the
# database already holds, counted from the raw dossier rows
PAST_AS_OF = '2026-12-15T00:00:00+07:00'
PROC = '1.001193'            # a procedure the demo commune offers
THREADS = 2                  # wrk's, as many as the machine has cores

os.environ['HAILONG_BIN'] = BIN
hl.BIN = BIN

results = {}
table = []


def say(what, value, unit, baseline=None, note=''):
    """One line of the table: a figure, and its ratio to the baseline."""
    ratio = ''
    if baseline:
        ratio = f'{value / baseline:.2f}x'
    table.append((what, value, unit, ratio, note))
    v = f'{value:,.1f}' if isinstance(value, float) else f'{value:,}'
    print(f'  {what:<46} {v:>14} {unit:<12} {ratio:>7}  {note}', flush=True)


def rss_kib(pid, field='VmRSS'):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise AssertionError(f'no {field} for {pid}')


def fds(pid):
    return len(os.listdir(f'/proc/{pid}/fd'))


def wrk(url, script, conns, env=None, seconds=None, threads=None, cpu=None):
    """Run wrk (pinned to core `cpu` if given); returns the JSON line the
    script's done() prints."""
    threads = threads or min(THREADS, conns)
    e = dict(os.environ)
    e['HAILONG_BENCH_THREADS'] = str(threads)
    e['HAILONG_BENCH_NONCE_FLOOR'] = str(time.time_ns() // 1000)
    e.update(env or {})
    pin = ['taskset', '-c', str(cpu)] if cpu is not None else []
    p = subprocess.run(
        pin + ['wrk', '-t', str(threads), '-c', str(conns), '-d',
         f'{seconds or SECONDS}s', '--timeout', '10s', '--latency', '-s',
         os.path.join(ROOT, 'tests', 'bench', script), url],
        capture_output=True, text=True, env=e, timeout=120)
    if p.returncode != 0:
        raise AssertionError(f'wrk failed: {p.stderr}\n{p.stdout}')
    line = [x for x in p.stdout.splitlines() if x.startswith('{')][-1]
    r = json.loads(line)
    r['per_s'] = r['requests'] / (r['duration_us'] / 1e6)
    r['stderr'] = p.stderr
    r['ok'] = r['requests'] - r['non2xx']
    return r


def check_rows(r, rows, in_flight, per_request=1):
    """Every 2xx answer is a row.  wrk stops with up to one request per
    connection unanswered, and the server may have stored those too: at
    most `in_flight` rows more than the answers, never fewer."""
    ok = r['ok'] * per_request
    if r['non2xx'] or r['socket_errors'] or not ok <= rows <= ok + in_flight:
        raise AssertionError(f'{r["ok"]} answered 2xx ({r["non2xx"]} not, '
                             f'{r["socket_errors"]} socket errors) but '
                             f'{rows} rows\n{r["stderr"][-2000:]}')


def cpu_by_thread(pid):
    """CPU seconds of a process so far: (its HTTP threads', the rest's:
    the writer, its checkpointer, the main thread)."""
    http = other = 0.0
    tick = os.sysconf('SC_CLK_TCK')
    for t in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{t}/stat') as f:
                st = f.read()
        except OSError:
            continue
        comm = st[st.index('(') + 1:st.rindex(')')]
        fields = st[st.rindex(')') + 2:].split()
        secs = (int(fields[11]) + int(fields[12])) / tick
        if comm.startswith('MHD'):
            http += secs
        else:
            other += secs
    return http, other


def children_cpu():
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def pin(pid, cpu):
    """Every thread of a running process onto core `cpu`."""
    subprocess.run(['taskset', '-a', '-p', '-c', str(cpu), str(pid)],
                   check=True, stdout=subprocess.DEVNULL)


def median_time(argv, n):
    """Median wall time of n runs of a command, in ms."""
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)


# -- 1. the ceiling: the same HTTP adapter, no work ---------------------------

def null_handler():
    print('1. ingest ceiling: lib/http.c answering 204 to a 200-byte POST')
    p = subprocess.Popen([os.path.join(OUT, 'nullserver'), '127.0.0.1:0',
                          str(THREADS)], stdout=subprocess.PIPE)
    try:
        m = re.match(r'listening on (http://\S+)',
                     p.stdout.readline().decode())
        url = m.group(1) + '/null'
        for conns in (1, 64):
            r = wrk(url, 'null.lua', conns)
            results[f'null_requests_per_s_c{conns}'] = round(r['per_s'])
            say(f'null handler, {conns} connection(s)', round(r['per_s']),
                'requests/s', note=f'p99 {r["p99_us"] / 1000:.2f} ms')
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)


# -- 1a, 2, 4. form posts and the citizen's path, with memory ----------------

def form_ingest():
    with hl.Server('--rate-limit-per-min', '0', '--threads', str(THREADS),
                   name='bench') as s:
        # a token for a counter and a procedure, like a QR on a dossier
        # receipt: the form asks for no procedure
        tok = s.token(counter=1, procedure=PROC)
        url = f'{s.base}/q/{tok}'
        pid = s.proc.pid
        time.sleep(1)
        idle0 = rss_kib(pid)
        fds0 = fds(pid)
        after = []
        print('1a. durable form posts: POST /q/<token>, each a new rating')
        for conns, rounds in ((1, 1), (64, 3)):
            for i in range(rounds):
                before = s.count()
                w0 = writer_batches(s)
                c0, k0 = cpu_by_thread(pid), children_cpu()
                r = wrk(url, 'form.lua', conns)
                c1, k1 = cpu_by_thread(pid), children_cpu()
                w1 = writer_batches(s)
                rows = s.count() - before
                if conns == 64 and i == 0:
                    # where the CPU went, per rating: the HTTP threads,
                    # the writer (and the rest of the server), wrk
                    for k, v in (('http', c1[0] - c0[0]),
                                 ('writer', c1[1] - c0[1]),
                                 ('wrk', k1 - k0)):
                        results[f'ingest_form_cpu_us_{k}_c64'] = round(
                            v / rows * 1e6, 1)
                    results['ingest_form_seconds_c64'] = round(
                        r['duration_us'] / 1e6, 2)
                    # the batches the writer saw: the storage loop's size
                    n, jobs = w1[0] - w0[0], w1[1] - w0[1]
                    results['writer_batch_avg_c64'] = round(jobs / n, 1)
                    results['writer_commit_ms_avg_c64'] = round(
                        (w1[2] - w0[2]) / n * 1000, 3)
                check_rows(r, rows, conns)
                if i == 0:
                    base = results[f'null_requests_per_s_c{conns}']
                    key = f'ingest_form_ratings_per_s_c{conns}'
                    results[key] = round(r['per_s'])
                    results[f'ingest_form_ratio_c{conns}'] = round(
                        r['per_s'] / base, 3)
                    results[f'ingest_form_p50_ms_c{conns}'] = \
                        r['p50_us'] / 1000
                    results[f'ingest_form_p99_ms_c{conns}'] = \
                        r['p99_us'] / 1000
                    say(f'form posts, {conns} connection(s)',
                        round(r['per_s']), 'ratings/s', base,
                        f'p50 {r["p50_us"] / 1000:.2f} ms, p99 '
                        f'{r["p99_us"] / 1000:.2f} ms; {rows} rows for '
                        f'{r["ok"]} 2xx; ratio to null')
                if conns == 64:
                    time.sleep(1)
                    after.append(rss_kib(pid))
        peak = rss_kib(pid, 'VmHWM')
        time.sleep(2)
        idle = rss_kib(pid)
        print('2. the citizen\'s path: GET the form, POST a rating')
        for conns in (1, 4, 16):
            before = s.count()
            r = wrk(url, 'form.lua', conns, {'HAILONG_BENCH_PAGE': '1'})
            rows = s.count() - before
            pairs = r['per_s'] / 2
            # a pair's baseline: two null requests
            base = results['null_requests_per_s_c64'] / 2
            results[f'citizen_path_pairs_per_s_c{conns}'] = round(pairs)
            # GETs and POSTs alternate per wrk thread: about half the
            # answers were posts, give or take one a thread
            if r['non2xx'] or r['socket_errors'] or not \
                    r['ok'] // 2 - THREADS <= rows <= r['ok'] // 2 + conns:
                raise AssertionError(f'citizen path: {r}, {rows} rows')
            say(f'form + post pairs, {conns} connection(s)', round(pairs),
                'pairs/s', base, f'p99 {r["p99_us"] / 1000:.2f} ms '
                '(per request); ratio to null pairs at 64')
        print('4. memory of hailong serve')
        results['rss_idle_start_mib'] = round(idle0 / 1024, 1)
        results['rss_peak_mib'] = round(peak / 1024, 1)
        results['rss_idle_mib'] = round(idle / 1024, 1)
        results['rss_after_each_c64_run_mib'] = [round(a / 1024, 1)
                                                 for a in after]
        results['fds_start'] = fds0
        results['fds_end'] = fds(pid)
        say('RSS idle at start', round(idle0 / 1024, 1), 'MiB')
        say('RSS peak (VmHWM) over the ingest runs', round(peak / 1024, 1),
            'MiB')
        say('RSS idle after the runs', round(idle / 1024, 1), 'MiB',
            note='after each 64-connection run: ' + ', '.join(
                f'{a / 1024:.1f}' for a in after))
        say('open file descriptors, start -> end', fds(pid), 'fds',
            note=f'at start {fds0}')


def writer_batches(s):
    """The writer's (batches, jobs, commit seconds) so far, from /metrics."""
    text = s.get('/metrics').text
    v = {}
    for name in ('hailong_writer_batch_size_count',
                 'hailong_writer_batch_size_sum',
                 'hailong_writer_commit_seconds_sum'):
        m = re.search(r'^' + name + r' (\S+)$', text, re.M)
        v[name] = float(m.group(1))
    return (v['hailong_writer_batch_size_count'],
            v['hailong_writer_batch_size_sum'],
            v['hailong_writer_commit_seconds_sum'])


# -- 1c. the storage ceiling: the writer's path from a loop ------------------

def storage(batch=None, key='storage_rows_per_s', taskset=None):
    """The form's rows through the writer (tests/bench/storage.c), no
    HTTP, in batches of the size the server's writer saw at 64
    connections; on a fresh demo database like the form server's."""
    batch = batch or max(1, round(results['writer_batch_avg_c64']))
    d = tempfile.mkdtemp(prefix='hailong-bench-storage-')
    try:
        db = os.path.join(d, 'storage.db')
        subprocess.run([BIN, 'init', '--db', db, '--demo'], check=True,
                       capture_output=True)
        argv = [os.path.join(OUT, 'storage'), db, hl.DEMO_UNIT, '1', PROC,
                str(SECONDS), str(batch)]
        if taskset:
            argv = ['taskset', '-c', taskset] + argv
        k0 = children_cpu()
        p = subprocess.run(argv, capture_output=True, text=True, check=True,
                           timeout=120)
        r = json.loads(p.stdout.splitlines()[-1])
        r['cpu_us_per_row'] = (children_cpu() - k0) / r['rows'] * 1e6
        c = sqlite3.connect(db)
        rows = c.execute('SELECT count(*) FROM ratings').fetchone()[0]
        c.close()
        if rows != r['rows']:
            raise AssertionError(f'storage: {r["rows"]} stored, {rows} rows')
        results[key] = round(r['rows_per_s'])
        return r
    finally:
        shutil.rmtree(d, ignore_errors=True)


def storage_ceiling():
    print('1c. storage ceiling: the form\'s rows through the writer, no HTTP')
    b = max(1, round(results['writer_batch_avg_c64']))
    r = storage(b)
    results['storage_batch'] = b
    results['storage_commit_ms_avg'] = r['commit_ms_avg']
    results['storage_cpu_us_per_row'] = round(r['cpu_us_per_row'], 1)
    results['storage_max_batch_ms'] = r['max_batch_ms']
    say(f'storage loop, batches of {b}', results['storage_rows_per_s'],
        'rows/s', results['null_requests_per_s_c64'],
        f'{r["batches"]} batches of {r["avg_batch"]}, the longest '
        f'{r["max_batch_ms"]:.0f} ms, COMMIT {r["commit_ms_avg"]:.2f} ms (the server\'s: '
        f'{results["writer_commit_ms_avg_c64"]:.2f}); ratio to null')
    ceiling = min(results['null_requests_per_s_c64'],
                  results['storage_rows_per_s'])
    form = results['ingest_form_ratings_per_s_c64']
    results['ingest_form_ratio_storage_c64'] = round(form / ceiling, 3)
    say('form posts, 64 connections', form, 'ratings/s', ceiling,
        'ratio to min(null, storage): target >= 0.7')
    cpu = {k: results[f'ingest_form_cpu_us_{k}_c64']
           for k in ('http', 'writer', 'wrk')}
    say('CPU a stored rating: form run', round(sum(cpu.values()), 1), 'us',
        results['storage_cpu_us_per_row'],
        f'HTTP threads {cpu["http"]}, writer {cpu["writer"]}, wrk '
        f'{cpu["wrk"]}; ratio to the storage loop '
        f'({results["storage_cpu_us_per_row"]} us a row)')


# -- 1b. kiosk batches ---------------------------------------------------------

def enrol_kiosks(s, n):
    """n enrolled kiosks as "ID SECRET_HEX" lines.  Enrolment is limited
    per client address; the bench server trusts 127.0.0.1 as a proxy and
    each kiosk comes from its own forwarded address."""
    lines = []
    for i in range(n):
        _, code, _ = add_kiosk(s, counter=1 + i % 3)
        r = s.post_json('/api/v1/kiosk/enroll', {'code': code},
                        {'X-Forwarded-For': f'10.9.{i // 250}.{i % 250 + 1}'})
        if r.status != 201:
            raise AssertionError(f'enrolment: {r.status} {r.text}')
        d = r.json()
        secret = base64.urlsafe_b64decode(d['secret'] + '=' *
                                          (-len(d['secret']) % 4))
        lines.append(f'{d["kiosk"]} {secret.hex()}\n')
    path = os.path.join(s.dir, 'kiosks.txt')
    with open(path, 'w') as f:
        f.writelines(lines)
    return path


def kiosk_batches():
    print('1b. kiosk batch API: signed POST /api/v1/kiosk/ratings')
    with hl.Server('--threads', str(THREADS), '--trusted-proxies',
                   '127.0.0.1', name='bench-kiosk') as s:
        # a kiosk's nonces must rise, so its requests must not overtake
        # each other: one wrk thread per connection, each with its own
        # kiosks, sends one request at a time
        creds = enrol_kiosks(s, 64)
        url = f'{s.base}/api/v1/kiosk/ratings'
        for batch, conns in ((1, 1), (1, 64), (50, 1), (50, 64)):
            before = s.count("SELECT count(*) FROM ratings WHERE "
                             "channel = 'kiosk'")
            r = wrk(url, 'kiosk.lua', conns,
                    {'HAILONG_BENCH_KIOSKS': creds,
                     'HAILONG_BENCH_BATCH': str(batch)}, threads=conns)
            rows = s.count("SELECT count(*) FROM ratings WHERE "
                           "channel = 'kiosk'") - before
            check_rows(r, rows, conns * batch, batch)
            per_s = rows / (r['duration_us'] / 1e6)
            base = results[f'null_requests_per_s_c{conns}']
            results[f'kiosk_batch{batch}_ratings_per_s_c{conns}'] = \
                round(per_s)
            results[f'kiosk_batch{batch}_p99_ms_c{conns}'] = \
                r['p99_us'] / 1000
            say(f'kiosk batches of {batch}, {conns} connection(s)',
                round(per_s), 'ratings/s', base,
                f'{r["per_s"]:.0f} requests/s, p99 '
                f'{r["p99_us"] / 1000:.2f} ms; {rows} rows; ratio to null')
        results['kiosk_batch_ratings_per_s'] = \
            results['kiosk_batch50_ratings_per_s_c64']


# -- 3. figures at scale ---------------------------------------------------------

def province():
    path = os.environ.get('BENCH_PROVINCE') or os.path.join(
        OUT, f'province-{PROVINCE_RATINGS}.db')
    if not os.path.exists(path):
        print(f'   generating {path} ({PROVINCE_RATINGS:,} ratings, '
              f'{PROVINCE_DOSSIERS:,} dossiers); made once, then reused')
        t0 = time.monotonic()
        subprocess.run([os.path.join(OUT, 'gen'), path + '.tmp',
                        str(PROVINCE_RATINGS), str(PROVINCE_DOSSIERS)],
                       check=True, stderr=subprocess.DEVNULL)
        os.replace(path + '.tmp', path)
        print(f'   generated in {time.monotonic() - t0:.0f} s')
    # a fixture made by an older build: bring it to this schema
    subprocess.run([BIN, 'init', '--db', path], check=True,
                   stdout=subprocess.DEVNULL)
    return path


def figures(db):
    print(f'3. figures at scale: {os.path.basename(db)}')
    c = sqlite3.connect(db)
    n = c.execute('SELECT count(*) FROM ratings').fetchone()[0]
    commune = c.execute(
        "SELECT unit FROM ratings GROUP BY unit ORDER BY count(*) DESC "
        "LIMIT 1").fetchone()[0] if QUICK else c.execute(
        "SELECT unit FROM rollup_procedure WHERE month = ? GROUP BY unit "
        "ORDER BY sum(n1+n2+n3+n4+n5) DESC LIMIT 1",
        (int(MONTH.replace('-', '')),)).fetchone()[0]
    c.close()
    results['province_ratings'] = n

    def cmd(unit, *extra, as_of=AS_OF):
        return [BIN, 'metrics', '--db', db, '--unit', unit, '--month', MONTH,
                '--as-of', as_of, *extra]
    # the two ways must give the same figures before either is timed
    a = subprocess.run(cmd('H21', '--json'), check=True,
                       capture_output=True).stdout
    b = subprocess.run(cmd('H21', '--json', '--recompute'), check=True,
                       capture_output=True).stdout
    if json.loads(a) != json.loads(b):
        raise AssertionError('rollups and --recompute disagree')
    # the command as a person runs it: the month's table
    prov = median_time(cmd('H21'), 5)
    rec = median_time(cmd('H21', '--recompute'), 3)
    com = median_time(cmd(commune), 5)
    com_rec = median_time(cmd(commune, '--recompute'), 3)
    past = median_time(cmd('H21', as_of=PAST_AS_OF), 3)
    # a year (issue 19): the sums of its months' counts, from the rollups;
    # the fixture's 2026 holds 11 months of data (January to November)
    year_cmd = [BIN, 'metrics', '--db', db, '--unit', 'H21', '--period',
                MONTH[:4], '--as-of', AS_OF]
    year = median_time(year_cmd, 3)
    # the whole document, every procedure, counter and officer
    prov_json = median_time(cmd('H21', '--json'), 5)
    true_ms = median_time([BIN, '--version'], 5)
    results['metrics_province_month_ms'] = round(prov, 1)
    results['metrics_province_recompute_ms'] = round(rec, 1)
    results['metrics_speedup_vs_recompute'] = round(rec / prov, 1)
    results['metrics_province_month_json_ms'] = round(prov_json, 1)
    results['metrics_commune_month_ms'] = round(com, 1)
    results['metrics_commune_recompute_ms'] = round(com_rec, 1)
    results['metrics_province_month_past_as_of_ms'] = round(past, 1)
    results['process_start_ms'] = round(true_ms, 1)
    results['metrics_province_year_ms'] = round(year, 1)
    results['metrics_year_vs_month'] = round(year / prov, 1)
    say(f'province H21, one month ({n:,} ratings in all)', round(prov, 1),
        'ms', note='the whole command: start, read, the table')
    say('province H21, the same month --recompute', round(rec, 1), 'ms',
        note=f'rollups {rec / prov:.1f}x faster')
    say('province H21, one month --json', round(prov_json, 1), 'ms',
        note=f'{len(a) // 1024} KiB of JSON')
    say(f'commune {commune}, one month', round(com, 1), 'ms',
        note=f'--recompute {com_rec:.1f} ms, '
        f'{com_rec / com:.1f}x')
    say(f'province H21, the year {MONTH[:4]} (--period)', round(year, 1),
        'ms', baseline=round(prov, 1),
        note='ratio to one month: target <= 3x')
    say('province H21, one month as of 15/12 (raw dossiers)', round(past, 1),
        'ms', note='dossiers of the month still finishing then')
    say('baseline: hailong --version (process start)', round(true_ms, 1),
        'ms')
    # the same month through the API of a running server: no process
    # start, the figures cached by nothing
    with hl.Server(db=db, init=False, name='bench-api') as s:
        key = s.hailong('apikey', 'add', '--db', db, '--unit', 'H21').stdout \
            .strip().splitlines()[-1]
        path = f'/api/v1/metrics?unit=H21&month={MONTH}&as_of=' + \
            AS_OF.replace('+', '%2B')
        ts = []
        for _ in range(7):
            t0 = time.perf_counter()
            r = s.get(path, {'Authorization': f'Bearer {key}'})
            ts.append((time.perf_counter() - t0) * 1000)
            if r.status != 200:
                raise AssertionError(f'{r.status} {r.text[:300]}')
        api = statistics.median(ts[1:])
        results['metrics_province_month_api_ms'] = round(api, 1)
        say('province H21, one month via GET /api/v1/metrics', round(api, 1),
            'ms', note='running server, median of 6')
    return db


# -- 4b, 5. kiosk outbox: memory and drain ---------------------------------------

def kiosk_drain(n=100_000):
    print(f'5. kiosk drain: {n:,} ratings in the outbox, a fresh server')
    with hl.Server(name='bench-drain') as s:
        _, code, _ = add_kiosk(s, counter=1, officer='VC01')
        k = Kiosk.enrolled(s, code)
        try:
            now = int(time.time() * 1000) - n
            c = sqlite3.connect(os.path.join(k.data, 'outbox.db'))
            with c:
                c.executemany(
                    'INSERT INTO outbox(id, level, rated_ms) VALUES (?,?,?)',
                    ((str(uuid.uuid4()), i % 5 + 1, now + i)
                     for i in range(n)))
            c.close()
            t0 = time.monotonic()
            k.start('--batch-max', '500')
            peak = 0
            while True:
                peak = max(peak, rss_kib(k.proc.pid))
                st = k.states()
                if st == {'sent': n}:
                    break
                if time.monotonic() - t0 > 600:
                    raise AssertionError(f'drain stalled: {st}')
                time.sleep(0.05)
            dt = time.monotonic() - t0
            got = s.count("SELECT count(DISTINCT id) FROM ratings WHERE "
                          "channel = 'kiosk'")
            if got != n:
                raise AssertionError(f'{got} of {n} arrived')
            hwm = rss_kib(k.proc.pid, 'VmHWM')
            results['kiosk_drain_ratings_per_s'] = round(n / dt)
            results['kiosk_rss_outbox_mib'] = round(hwm / 1024, 1)
            say('kiosk drain', round(n / dt), 'ratings/s',
                results.get('kiosk_batch50_ratings_per_s_c1'),
                f'{n:,} in {dt:.1f} s; ratio to batches of 50 at 1 '
                'connection')
            say(f'hailong-kiosk RSS peak, {n:,}-entry outbox',
                round(hwm / 1024, 1), 'MiB')
        finally:
            k.cleanup()


# -- 6. the province's report --------------------------------------------------

def report(db):
    print('6. the province\'s monthly report: build, sign, verify')
    p = subprocess.run([BIN, 'report', '--help'], capture_output=True,
                       text=True)
    if 'report build' not in p.stdout + p.stderr:
        print('   skipped: this build has no `hailong report build`')
        results['report_build_sign_verify_ms'] = None
        return
    d = tempfile.mkdtemp(prefix='hailong-bench-report-')
    try:
        subprocess.run([BIN, 'keys', 'demo', '--unit', 'H21', '--out',
                        os.path.join(d, 'pki')], check=True,
                       stdout=subprocess.DEVNULL)
        out = os.path.join(d, 'r')
        steps = [
            [BIN, 'report', 'build', '--db', db, '--unit', 'H21', '--month',
             MONTH, '--as-of', AS_OF, '--out', out],
            [BIN, 'report', 'sign', '--key',
             os.path.join(d, 'pki', 'H21.key.pem'), '--cert',
             os.path.join(d, 'pki', 'H21.cert.pem'), out],
            [BIN, 'report', 'verify', out, '--ca',
             os.path.join(d, 'pki', 'ca.pem')],
        ]
        ts = []
        for argv in steps:
            t0 = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
            ts.append((time.perf_counter() - t0) * 1000)
        total = sum(ts)
        results['report_build_sign_verify_ms'] = round(total, 1)
        say('report build + sign + verify', round(total, 1), 'ms',
            results['metrics_province_month_ms'],
            f'build {ts[0]:.0f}, sign {ts[1]:.0f}, verify {ts[2]:.0f} ms; '
            'ratio to the month\'s figures')
    finally:
        shutil.rmtree(d, ignore_errors=True)


# -- 8. the commune's PC: the server on one core ---------------------------------

def one_core(db):
    """The server (and the command line) pinned to core 0, wrk to core 1:
    the null handler, form posts and the citizen's path, the storage
    loop, the province's month.  Each run just after the same run on two
    cores (same server, unpinned), the baseline of its ratio: the load of
    this shared machine moves within minutes."""
    print('8. one core: the server on core 0 (taskset), wrk on core 1; '
          'each beside the same run on two cores just before')

    def both(key, what, unit, pid, run):
        two = run(None)
        pin(pid, 0)
        one = run(1)
        pin(pid, '0,1')
        results[key + '_1core'] = one
        results[key + '_2core_beside'] = two
        say(what + ', one core', one, unit, two,
            f'two cores: {two:,}; ratio to two cores')
        return one

    def wrk_run(url, script, conns, env=None, per=1, rows=None):
        def run(cpu):
            before = rows() if rows else 0
            r = wrk(url, script, conns, env, cpu=cpu)
            if rows:
                check_rows(r, rows() - before, conns)
            return round(r['per_s'] / per)
        return run
    p = subprocess.Popen([os.path.join(OUT, 'nullserver'), '127.0.0.1:0',
                          str(THREADS)], stdout=subprocess.PIPE)
    try:
        m = re.match(r'listening on (http://\S+)',
                     p.stdout.readline().decode())
        null1 = both('null_requests_per_s_c64', 'null handler, 64 '
                     'connections', 'requests/s', p.pid,
                     wrk_run(m.group(1) + '/null', 'null.lua', 64))
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
    with hl.Server('--rate-limit-per-min', '0', '--threads', str(THREADS),
                   name='bench-1core') as s:
        url = f'{s.base}/q/{s.token(counter=1, procedure=PROC)}'
        form1 = both('ingest_form_ratings_per_s_c64', 'form posts, 64 '
                     'connections', 'ratings/s', s.proc.pid,
                     wrk_run(url, 'form.lua', 64, rows=s.count))
        results['ingest_form_ratio_c64_1core'] = round(form1 / null1, 3)
        both('citizen_path_pairs_per_s_c16', 'form + post pairs, 16 '
             'connections', 'pairs/s', s.proc.pid,
             wrk_run(url, 'form.lua', 16, {'HAILONG_BENCH_PAGE': '1'}, 2))
    storage(results["storage_batch"], "storage_rows_per_s_2core_beside")
    storage(results['storage_batch'], 'storage_rows_per_s_1core', '0')
    say('storage loop, one core', results['storage_rows_per_s_1core'],
        'rows/s', results['storage_rows_per_s_2core_beside'],
        f'two cores: {results["storage_rows_per_s_2core_beside"]:,}; ratio '
        'to two cores')
    cmd = [BIN, 'metrics', '--db', db, '--unit', 'H21', '--month', MONTH,
           '--as-of', AS_OF]
    month2 = median_time(cmd, 5)
    month1 = median_time(['taskset', '-c', '0'] + cmd, 5)
    results['metrics_province_month_ms_1core'] = round(month1, 1)
    results['metrics_province_month_ms_2core_beside'] = round(month2, 1)
    say('province H21, one month, one core', round(month1, 1), 'ms',
        month2, f'two cores: {month2:.1f} ms; ratio to two cores')


# -- 10. a nation's month on one node ---------------------------------------

NATION_RATINGS = 3_300_000
NATION_DOSSIERS = 330_000
NATION_MONTH = '2025-10'     # gen's national month: old enough to fold


def nation():
    """One national month (tests/bench/gen ... nation): 3.3 million
    ratings, 3,321 communes in 34 provinces.  Its file size, every
    province's month from the rollups (the national figures, as 34
    commands and as one process of a running server), and the fold of
    the month (hailong retention --fold-months 13) on a copy."""
    path = os.path.join(OUT, f'nation-{NATION_RATINGS}.db')
    print(f'10. a nation\'s month: {os.path.basename(path)}')
    if not os.path.exists(path):
        print(f'   generating ({NATION_RATINGS:,} ratings, 3,321 communes); '
              'made once, then reused')
        t0 = time.monotonic()
        subprocess.run([os.path.join(OUT, 'gen'), path + '.tmp',
                        str(NATION_RATINGS), str(NATION_DOSSIERS), 'nation'],
                       check=True, stderr=subprocess.DEVNULL)
        os.replace(path + '.tmp', path)
        print(f'   generated in {time.monotonic() - t0:.0f} s')
    subprocess.run([BIN, 'init', '--db', path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    c = sqlite3.connect(path)
    provs = [r[0] for r in c.execute(
        "SELECT code FROM units WHERE level = 'province' ORDER BY code")]
    n = c.execute('SELECT count(*) FROM ratings').fetchone()[0]
    c.close()
    size = os.path.getsize(path)
    results['nation_month_ratings'] = n
    results['nation_month_file_mib'] = round(size / 2**20, 1)
    say('national month: file size', round(size / 2**20, 1), 'MiB',
        note=f'{n:,} ratings, {size / n:.0f} bytes a rating, dossiers '
        'included')
    as_of = '2026-12-01T00:00:00+07:00'
    t0 = time.perf_counter()
    for p in provs:
        subprocess.run([BIN, 'metrics', '--db', path, '--unit', p,
                        '--month', NATION_MONTH, '--as-of', as_of],
                       check=True, stdout=subprocess.DEVNULL)
    each = (time.perf_counter() - t0) * 1000
    results['nation_month_34_provinces_ms'] = round(each, 1)
    say(f'national month: {len(provs)} provinces from the rollups',
        round(each, 1), 'ms', results.get('metrics_province_month_ms'),
        f'{len(provs)} commands, {each / len(provs):.1f} ms each; ratio '
        'to the province fixture\'s month')
    if os.environ.get('BENCH_FOLD') != '1':
        print('   the fold of the month: BENCH_FOLD=1 (9 minutes on a '
              'loaded machine, 03/12/2026)')
        return
    d = tempfile.mkdtemp(prefix='hailong-bench-fold-', dir=OUT)
    try:
        copy = os.path.join(d, 'nation.db')
        shutil.copyfile(path, copy)
        t0 = time.perf_counter()
        subprocess.run([BIN, 'retention', '--db', copy, '--fold-months',
                        '13'], check=True, capture_output=True)
        fold = (time.perf_counter() - t0) * 1000
        c = sqlite3.connect(copy)
        left = c.execute('SELECT count(*) FROM ratings').fetchone()[0]
        c.close()
        if left >= n:
            raise AssertionError(f'nothing folded: {left} of {n} left')
        results['nation_month_fold_ms'] = round(fold, 1)
        say('national month: fold (retention --fold-months 13)',
            round(fold, 1), 'ms', note=f'{n - left:,} ratings folded, '
            f'{left:,} kept raw')
    finally:
        shutil.rmtree(d, ignore_errors=True)


# -- 7. the citizen's phone ---------------------------------------------------

def phone():
    print('7. the citizen\'s phone: Chromium, Slow 3G (400 ms, 400 kbit/s), '
          'CPU 4x slower')
    node_modules = os.path.join(ROOT, 'tests', 'node_modules',
                                'playwright-core')
    if not os.path.isdir(node_modules) or not shutil.which('node') or \
            not os.path.exists(os.environ.get('CHROMIUM',
                                              '/usr/bin/chromium')):
        print('   skipped: needs node, tests/node_modules (cd tests && '
              'npm ci) and Chromium')
        return
    p = subprocess.run(['node', os.path.join(ROOT, 'tests', 'bench',
                                             'phone.mjs')],
                       capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, HAILONG_BIN=BIN))
    if p.returncode != 0:
        raise AssertionError(f'phone.mjs: {p.stderr[-2000:]}')
    r = json.loads([x for x in p.stdout.splitlines()
                    if x.startswith('{')][-1])
    results.update(r)
    for name, what in (('form', 'form, a counter\'s QR'),
                       ('form_receipt', 'form, a receipt\'s QR'),
                       ('thanks', 'thank-you page, from "send"')):
        say(f'{what}: tappable / loaded', r[f'{name}_ready_ms_slow3g'], 'ms',
            1500 if name != 'thanks' else None,
            'ratio to the 1,500 ms target' if name != 'thanks' else '')
        say(f'{what}: bytes received', r[f'{name}_bytes'], 'bytes',
            15000 if name != 'thanks' else None,
            f'{r[name + "_requests"]} requests, headers included'
            + ('; ratio to the 15 KB target' if name != 'thanks' else ''))


def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(filter(None, os.environ.get('BENCH_ONLY', '').split(',')))

    def want(step):
        return not only or step in only
    db = province() if want('figures') or want('report') or \
        want('onecore') else None     # before the clock: a fixture, made once
    t0 = time.monotonic()
    print(f'hailong benchmarks, {os.cpu_count()} cores, wrk runs of '
          f'{SECONDS} s; ratios against baselines of this run')
    null_handler()
    if want('form'):
        form_ingest()
        storage_ceiling()
    if want('kiosk'):
        kiosk_batches()
    if want('figures'):
        figures(db)
    if want('onecore') and want('form'):
        one_core(db)
    if want('drain'):
        kiosk_drain()
    if want('report'):
        report(db)
    if want('phone'):
        phone()
    if want('nation'):
        nation()
    results['bench_seconds'] = round(time.monotonic() - t0)
    results['quick'] = QUICK
    with open(os.path.join(OUT, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1, sort_keys=True)
    print(f'done in {results["bench_seconds"]} s; '
          f'{os.path.join(OUT, "results.json")}')


if __name__ == '__main__':
    main()
