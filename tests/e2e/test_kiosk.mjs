// test_kiosk.mjs -- the kiosk's touch page in Chromium at a tablet size:
// a low face, a reason, thanks, the reset; a scanned dossier code; the
// ratings arriving on the server with the right level, reason and code;
// the dossier the counter serves (POST .../serving) shown on the page and
// carried by the next rating, then gone; and the closed screen once the
// counter is disabled.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, openBrowser, shot, check, done, hailong, ROOT } from './lib.mjs';

const KIOSK = process.env.HAILONG_KIOSK_BIN || join(ROOT, 'build/bin/hailong-kiosk');

async function until(what, fn, seconds = 120) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startKiosk(dir) {
  const proc = spawn(KIOSK, ['run', '--data', dir, '--listen', '127.0.0.1:0',
    // the "why" screen starts over after --reset-seconds idle: long
    // enough that a slow machine's screenshot never runs into it (the
    // thanks screen stays min(reset, 5) s)
    '--reset-seconds', '60', '--retry-max-ms', '1000',
    // the configuration every second: the counter's closing shows soon
    '--heartbeat-seconds', '1'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let seen = '';
    proc.stdout.on('data', (d) => {
      seen += d;
      const m = seen.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error('kiosk exited ' + code)));
  });
  return { proc, port, base: `http://127.0.0.1:${port}` };
}

const srv = await startServer();
const dir = mkdtempSync(join(tmpdir(), 'hailong-kiosk-e2e-'));
let kiosk, browser;
try {
  const added = hailong('kiosk', 'add', '--db', srv.db, '--unit', 'H21.227',
    '--counter', '1', '--officer', 'VC01').trim().split('\n');
  const code = added[added.length - 1];
  check(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(code), 'the code is alone on the last line');
  execFileSync(KIOSK, ['enroll', '--server', srv.base, '--code', code, '--data', dir]);
  kiosk = await startKiosk(dir);

  // the configuration comes from the server before the page is opened
  const cfg = await until('the configuration', async () => {
    const r = await fetch(kiosk.base + '/api/local/config');
    const j = await r.json();
    return j.configured ? j : null;
  });
  check(cfg.faces === 5 && cfg.reasons.length === 6, 'five faces and six reasons configured');

  const b = await openBrowser({ width: 1280, height: 800 });
  browser = b.browser;
  const { page, external } = b;
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(kiosk.base + '/');
  await page.waitForSelector('#ask:not([hidden]) .face.f1');
  check(await page.locator('.face').count() === 5, 'five faces');
  check((await page.textContent('#question')).includes('hài lòng'), 'the question in Vietnamese');
  check((await page.textContent('#place')).includes('Quầy 1'), 'the counter is named');
  await page.waitForSelector('#phone:not([hidden]) img');
  check(await page.locator('#qr').evaluate((i) => i.complete && i.naturalWidth > 0), 'the phone QR code is drawn');
  // big targets: every face at least 150 px tall at a tablet size
  for (const box of await page.locator('.face').evaluateAll((es) => es.map((e) => e.getBoundingClientRect().height)))
    check(box >= 150, 'a face is a big target');
  await shot(page, 'kiosk-start');

  // a low face asks why; the reason is ticked; thanks; then the reset
  await page.click('.face.f2');
  await page.waitForSelector('#why:not([hidden]) .reason');
  check(await page.locator('.reason').count() === 6, 'six reasons to tick');
  await page.click('.reason[data-code="wait"]');
  check(await page.getAttribute('.reason[data-code="wait"]', 'aria-pressed') === 'true', 'the reason is ticked');
  await shot(page, 'kiosk-why');
  await page.click('#send');
  await page.waitForSelector('#thanks:not([hidden])');
  const thanks = await page.textContent('#thanks');
  check(thanks.includes('Cảm ơn'), 'the page says Cảm ơn');
  check(!/hài lòng/i.test(thanks), 'thanks does not say which face was pressed');
  await shot(page, 'kiosk-thanks');
  await page.waitForSelector('#ask:not([hidden]) .face.f5');
  check(await page.isHidden('#thanks'), 'back to the start after the reset');

  // a keyboard-wedge scanner fills the dossier code; then a top face.
  // A scanner's keys come within 500 ms of each other, which is how the
  // page tells them from a person's; dispatched in one task of the page,
  // they do on any machine (keyboard.type() may be slower than that on a
  // busy one)
  await page.evaluate((code) => {
    for (const key of [...code, 'Enter'])
      document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  }, 'H21.227-261008-0042');
  check((await page.textContent('#dossier-msg')).includes('Đã nhận'), 'the scanned code is accepted');
  await page.click('.face.f5');
  await page.waitForSelector('#thanks:not([hidden])');

  // both arrive on the server, each once, with what the citizen chose
  const rows = await until('two ratings on the server', () => {
    const out = srv.sql("SELECT level || '|' || coalesce(reasons,'') || '|' || coalesce(dossier,'') || '|' || channel || '|' || counter || '|' || officer FROM ratings ORDER BY seq");
    return out.split('\n').filter(Boolean).length === 2 ? out : null;
  });
  check(rows === '2|wait||kiosk|1|VC01\n5||H21.227-261008-0042|kiosk|1|VC01', 'stored: ' + rows);

  // the one-stop system says which dossier counter 1 serves: the page
  // shows it, the next rating carries it, and it is gone after
  const key = hailong('apikey', 'add', '--db', srv.db, '--unit', 'H21.227',
    '--scope', 'links').trim().split('\n').pop();
  const served = 'H21.227-261031-0077';
  const sr = await fetch(srv.base + '/api/v1/counters/H21.227/1/serving', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + key },
    body: JSON.stringify({ dossier: served }),
  });
  check(sr.status === 200, 'the served dossier is taken: ' + sr.status);
  await page.waitForSelector('#serving:not([hidden])', { timeout: 60000 });
  check((await page.textContent('#serving')) === 'Hồ sơ đang phục vụ: ' + served, 'the page shows the served dossier');
  await shot(page, 'kiosk-serving');
  await page.click('.face.f4');
  await page.waitForSelector('#thanks:not([hidden])');
  const bound = await until('the bound rating on the server', () => {
    const out = srv.sql("SELECT level || '|' || coalesce(dossier,'') || '|' || channel FROM ratings ORDER BY seq DESC LIMIT 1");
    return out.startsWith('4|') ? out : null;
  });
  check(bound === '4|' + served + '|kiosk', 'the rating carries the served dossier: ' + bound);
  await page.waitForSelector('#ask:not([hidden]) .face.f5');
  check(await page.isHidden('#serving'), 'the served dossier is gone after the rating');
  const local = await (await fetch(kiosk.base + '/api/local/serving')).json();
  check(local.dossier === null, 'the kiosk holds no served dossier after the rating');

  // served again, a touch and nobody rates: the idle reset (60 s here)
  // lets it go, and the kiosk never shows that assignment again
  const again = await fetch(srv.base + '/api/v1/counters/H21.227/1/serving', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + key },
    body: JSON.stringify({ dossier: served }),
  });
  check(again.status === 200, 'the dossier is served again');
  await page.waitForSelector('#serving:not([hidden])', { timeout: 60000 });
  await page.click('#question');
  await page.waitForSelector('#serving', { state: 'hidden', timeout: 180000 });
  await until('the kiosk to let the served dossier go', async () =>
    (await (await fetch(kiosk.base + '/api/local/serving')).json()).dossier === null, 60);

  // the counter is disabled: the kiosk learns it, the page shows it
  // closed in Vietnamese instead of the faces
  hailong('counter', 'disable', '--db', srv.db, '--unit', 'H21.227', '--number', '1');
  await until('the kiosk to learn its counter closed', async () => {
    const j = await (await fetch(kiosk.base + '/api/local/config')).json();
    return j.counter && j.counter.active === false;
  });
  await page.goto(kiosk.base + '/');
  await page.waitForSelector('#closed:not([hidden])');
  check((await page.textContent('#closed')).includes('Quầy này đã ngừng nhận đánh giá'), 'the closed screen in Vietnamese');
  check(await page.isHidden('#ask'), 'no faces on a closed counter');
  await shot(page, 'kiosk-closed');
  check(problems.length === 0, 'no console errors (CSP included): ' + problems.join('; '));
  check(external.length === 0, 'no request left 127.0.0.1');
} finally {
  if (browser) await browser.close();
  if (kiosk) {
    kiosk.proc.kill('SIGTERM');
    await new Promise((r) => kiosk.proc.on('exit', r));
  }
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
}
done('kiosk');
