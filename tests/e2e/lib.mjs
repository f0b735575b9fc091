// lib.mjs -- a real hailong server and Debian's Chromium for e2e tests.
//
//   const srv = await startServer();          // temp db, `init --demo`
//   const bare = await startServer([], { demo: false });  // `init` alone
//   const { browser, page } = await openBrowser({ width: 360, height: 740 });
//   ... page.goto(srv.base + '/q/' + srv.token({ counter: 1 })) ...
//   await shot(page, 'form');                 // tests/out/e2e-form.png
//   await browser.close(); await srv.stop();
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('../node_modules/playwright-core');

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.HAILONG_BIN || join(ROOT, 'build/bin/hailong');
export const OUT = process.env.HAILONG_TEST_OUT || join(ROOT, 'tests/out');

export function hailong(...args) {
  return execFileSync(BIN, args, { encoding: 'utf8' });
}

// Every limit a client can meet, off unless the test sets it (as
// tests/api/hl.py does): a test's outcome must not depend on how many
// requests the machine manages in a minute.
const LIMITS = ['--rate-limit-per-min', '--login-attempts-per-min',
  '--kiosk-enrolments-per-min', '--apikey-failure-limit',
  '--report-submissions-per-hour', '--login-failures',
  '--login-failures-global'];

function limitsOff(args) {
  const given = new Set(args.filter((a) => a.startsWith('--'))
    .map((a) => a.split('=')[0]));
  return args.concat(...LIMITS.filter((o) => !given.has(o))
    .map((o) => [o, '0']));
}

export async function startServer(extra = [], { demo = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hailong-e2e-'));
  const db = join(dir, 'hailong.db');
  const init = demo ? hailong('init', '--db', db, '--demo')
    : hailong('init', '--db', db);
  const login = (init.match(/admin login: admin \/ (\S+)/) || [])[1];
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0',
    ...limitsOff(extra)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let seen = '';
    proc.stdout.on('data', (d) => {
      seen += d;
      const m = seen.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error('server exited ' + code)));
  });
  // a test that dies must not leave its server behind
  process.on('exit', () => proc.kill('SIGKILL'));
  return {
    dir, db, port, login, base: `http://127.0.0.1:${port}`,
    token({ unit = 'H21.227', counter, procedure, dossier } = {}) {
      const a = ['qr', '--db', db, '--unit', unit, '--format', 'url'];
      if (counter) a.push('--counter', String(counter));
      if (procedure) a.push('--procedure', procedure);
      if (dossier) a.push('--dossier', dossier);
      return hailong(...a).trim().split('/q/')[1];
    },
    sql(query) {
      return execFileSync('sqlite3', [db, query], { encoding: 'utf8' }).trim();
    },
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.on('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openBrowser(viewport = { width: 360, height: 740 }) {
  // launch() starts Chromium with a fresh temporary profile of its own
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  // Playwright's 30 s per action is short on one busy core under ASan:
  // every wait is for a condition, bounded generously
  context.setDefaultTimeout(120000);
  context.setDefaultNavigationTimeout(120000);
  const page = await context.newPage();
  const external = [];
  // no page of ours may reach outside 127.0.0.1
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:') && !r.url().startsWith('data:'))
      external.push(r.url());
  });
  return { browser, context, page, external };
}

export async function shot(page, name) {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `e2e-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
  checks++;
}
export let checks = 0;
export function done(name) {
  console.log(`# e2e ${name} checks=${checks} failed=0`);
}
