// test_console.mjs -- a manager finds a flagged procedure, runs a review
// to its end and sees it in the history; the public page.  Screenshots of
// the overview, a procedure page and the public page go to tests/out/.
// Then every page of console part A at 390 px and 1366 px: nothing wider
// than the window, no code or machine format in the Vietnamese text, a
// screenshot of each (tests/out/e2e-console-<page>-<width>.png).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, startServer, openBrowser, shot, check, done } from './lib.mjs';

const PW = 'mật khẩu rất dài 1';
const UNIT = 'H21.227';
const P1 = '1.001193';
const MONTH = '2026-10';

const srv = await startServer();
// the month: 12 ratings of P1 (6 satisfied: flagged beyond chance), 4 of
// another procedure, 10 dossiers of P1 (1 online: flagged too)
const levels = [5, 5, 5, 4, 4, 4, 3, 3, 2, 2, 1, 1];
const ratings = ['id,unit,counter,officer,procedure,level,comment,rated_at']
  .concat(levels.map((l, i) => `A${i},${UNIT},1,VC01,${P1},${l},` +
    (i === 8 ? 'Chờ quá lâu ở quầy 1' : '') +
    `,2026-10-${String(5 + (i >> 1)).padStart(2, '0')}T09:0${i % 2}:00+07:00`))
  .concat([0, 1, 2, 3].map((i) => `B${i},${UNIT},2,VC02,1.003583,5,,` +
    `2026-10-1${i}T10:00:00+07:00`));
const dossiers = ['code,procedure,unit,channel,received_at,due_at,' +
  'finished_at,supplement_requests,supplement_seconds,corrections,' +
  'full_online,digitized,complaint,updated_at'];
for (let i = 1; i <= 10; i++) {
  const fin = i >= 9 ? '2026-10-25T09:00:00+07:00' : '2026-10-15T09:00:00+07:00';
  dossiers.push(`${UNIT}-261001-${String(i).padStart(4, '0')},${P1},${UNIT},` +
    `${i === 1 ? 2 : 1},2026-10-01T08:00:00+07:00,2026-10-20T17:00:00+07:00,` +
    `${fin},${i <= 4 && i > 1 ? 1 : 0},0,0,${i === 1 ? 1 : 0},` +
    `${i <= 5 ? 1 : 0},0,${fin}`);
}
writeFileSync(join(srv.dir, 'r.csv'), ratings.join('\n') + '\n');
writeFileSync(join(srv.dir, 'd.csv'), dossiers.join('\n') + '\n');
execFileSync(BIN, ['import', 'ratings', '--db', srv.db, join(srv.dir, 'r.csv')]);
execFileSync(BIN, ['import', 'dossiers', '--db', srv.db, join(srv.dir, 'd.csv')]);
execFileSync(BIN, ['user', 'add', '--db', srv.db, '--unit', UNIT, '--role',
  'manager', '--name', 'lan', '--full-name', 'Nguyễn Thị Lan',
  '--password-stdin'], { input: PW + '\n' });
execFileSync(BIN, ['user', 'add', '--db', srv.db, '--unit', UNIT, '--role',
  'admin', '--name', 'quantri', '--full-name', 'Trần Quản Trị',
  '--password-stdin'], { input: PW + '\n' });

// What a Vietnamese page may not show as text (codes may stay in <code>,
// class="code" and attributes): flag, role, action and channel codes,
// "cli:", raw months and times, the epoch, decimal points in figures.
const LEAKS = [
  [/(?<![\w.])(LOW_SATISFACTION|HIGH_SUPPLEMENT|LOW_ONLINE|LATE)(?![\w.])/, 'flag code'],
  [/\b(manager|viewer|reporter)\b/, 'role code'],
  [/\b(import\.ratings|import\.dossiers|user\.add|review\.open|rating\.status)\b/, 'audit action'],
  [/\b(cli|user|apikey):/, 'actor code'],
  [/\b(qr|kiosk|web)\b/, 'channel code'],
  [/\b20\d\d-\d\d\b/, 'raw month'],
  [/\d\d:\d\d:\d\d/, 'raw time'],
  [/01\/01\/1970/, 'the epoch'],
  [/\d\.\d/, 'decimal point'],
  [/\{"/, 'raw JSON'],
];

// The page's text without <code>, class="code", the header and the tabs
// (console.c's), procedure and unit codes.
async function words(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main') || document.body;
    const c = main.cloneNode(true);
    c.querySelectorAll('code,.code,script,style').forEach((e) => e.remove());
    return c.innerText.replace(/\b\d\.\d{6}\b|\bH\d+(\.\d+)*\b/g, ' ');
  });
}

async function fits(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > w + 1)
      .slice(0, 3).map((e) => e.tagName + '.' + e.className);
    return { width: document.documentElement.scrollWidth, w, wide };
  });
}

const { browser, page, external } = await openBrowser({ width: 1280, height: 900 });
const problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
page.on('pageerror', (e) => problems.push(String(e)));

try {
  await page.goto(`${srv.base}/admin/units/${UNIT}?month=${MONTH}`);
  // not logged in: the login form, which brings us back
  await page.fill('#username', 'lan');
  await page.fill('#password', PW);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  check(page.url().includes(`/admin/units/${UNIT}`), 'back at the console: ' + page.url());
  await page.goto(`${srv.base}/admin/units/${UNIT}?month=${MONTH}`);
  check((await page.textContent('[data-row="satisfied_rate"] td')).startsWith('62,5\u00a0%'),
    'satisfied 10 of 16');
  check(await page.locator('figure.trend svg').count() >= 10, 'trend charts drawn');
  await shot(page, 'console-overview');

  // the month selector is a plain GET form
  await page.selectOption('#month', '2026-09');
  await Promise.all([page.waitForNavigation(), page.click('form.month button')]);
  check(page.url().includes('month=2026-09'), 'month chosen: ' + page.url());
  await page.goto(`${srv.base}/admin/units/${UNIT}?month=${MONTH}`);

  // the flagged procedure, from the list of flags
  await Promise.all([page.waitForNavigation(),
    page.click(`table.flaglist a[href*="/procedures/${P1}"]`)]);
  check((await page.textContent('h1')).includes(P1), 'procedure page');
  check((await page.textContent('#comments + ul')).includes('Chờ quá lâu'), 'the comment is there');
  await shot(page, 'console-procedure');

  // open a review
  const due = new Date(Date.now() + 7 * 86400e3 + 7 * 3600e3).toISOString().slice(0, 10);
  await page.selectOption('#owner', 'lan');
  await page.fill('#due', due);
  await page.fill('#notes', 'Tỷ lệ hài lòng thấp ở quầy 1: xem lại quy trình');
  await Promise.all([page.waitForNavigation(), page.click('form.review button[type=submit]')]);
  check(/\/reviews\/\d+/.test(page.url()), 'review page ' + page.url());
  check((await page.getAttribute('dd.status', 'data-status')) === 'open', 'opened');

  // start work, then resolve with the action taken
  await page.fill('#note', 'Đã họp với quầy 1');
  await Promise.all([page.waitForNavigation(), page.click('button[value=in_progress]')]);
  check((await page.getAttribute('dd.status', 'data-status')) === 'in_progress', 'in progress');
  await page.fill('#action', 'Niêm yết lại thủ tục và tập huấn cán bộ quầy 1');
  await Promise.all([page.waitForNavigation(), page.click('button[value=resolved]')]);
  check((await page.getAttribute('dd.status', 'data-status')) === 'resolved', 'resolved');
  check(await page.locator('form.review').count() === 0, 'no more steps');

  // the history on the procedure page
  await page.goto(`${srv.base}/admin/units/${UNIT}/procedures/${P1}?month=${MONTH}`);
  const hist = await page.textContent('#reviews + ul');
  check(hist.includes('Niêm yết lại thủ tục'), 'action in the history');
  check(hist.includes('Đã họp với quầy 1'), 'note in the history');
  check(await page.locator('#reviews + ul ol.history li').count() === 3, 'three steps');
  const reviews = srv.sql("SELECT status FROM reviews");
  check(reviews === 'resolved', 'stored: ' + reviews);

  // the public page, without a session, on an A4-wide window
  const anon = await browser.newContext({ viewport: { width: 1000, height: 1200 } });
  const pub = await anon.newPage();
  pub.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await pub.goto(`${srv.base}/cong-khai/${UNIT}?month=${MONTH}`);
  check((await pub.textContent('h1')).includes('Vân Canh'), 'public page');
  const body = await pub.textContent('body');
  check(!body.includes('Chờ quá lâu') && !body.includes('VC01'), 'no comment, no officer');
  await shot(pub, 'console-public');
  await pub.emulateMedia({ media: 'print' });
  check(await pub.locator('form.month').isHidden(), 'the month form is not printed');
  await anon.close();

  // every page of part A, as an administrator, at a phone's and a
  // desktop's width
  const adm = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
  const ap = await adm.newPage();
  ap.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await ap.goto(`${srv.base}/login`);
  await ap.fill('#username', 'quantri');
  await ap.fill('#password', PW);
  await Promise.all([ap.waitForNavigation(), ap.click('button[type=submit]')]);
  const U = `/admin/units/${UNIT}`;
  const M = `?month=${MONTH}`;
  const pages = {
    overview: U + M, procedures: `${U}/procedures${M}`,
    procedure: `${U}/procedures/${P1}${M}`, counters: `${U}/counters${M}`,
    officers: `${U}/officers${M}`, reviews: `${U}/reviews`,
    review: `${U}/reviews/1`, 'review-new': `${U}/reviews/new?counter=1&month=${MONTH}`,
    audit: `${U}/audit`, qr: `${U}/qr`,
    poster: `/poster/${srv.token({ counter: 1 })}`, ballots: `${U}/ballots`,
    setup: `${U}/setup`, 'setup-counters': `${U}/setup/counters`,
    'setup-officers': `${U}/setup/officers`,
    'setup-procedures': `${U}/setup/procedures`, 'setup-duty': `${U}/setup/duty`,
    password: '/account/password',
  };
  for (const width of [390, 1366]) {
    await ap.setViewportSize({ width, height: 900 });
    for (const [name, path] of Object.entries(pages)) {
      const r = await ap.goto(srv.base + path);
      check(r.status() === 200, `${name}: ${r.status()}`);
      const f = await fits(ap);
      check(f.width <= width, `${name} at ${width} px is ${f.width} px wide: ${f.wide.join(' ')}`);
      const text = await words(ap);
      for (const [re, what] of LEAKS) {
        const m = text.match(re);
        check(!m, `${name} at ${width} px shows a ${what}: ${m && text.slice(Math.max(0, m.index - 60), m.index + 40)}`);
      }
      await shot(ap, `console-${name}-${width}`);
    }
  }
  // the figures people ask about are explained; charts have a scale
  await ap.goto(srv.base + pages.overview);
  check(await ap.locator('dl.legend').count() >= 2, 'legends');
  check((await ap.getAttribute('[data-row="satisfied_rate"] .ci', 'title')).includes('Khoảng tin cậy'),
    'the interval has a hover text');
  check((await ap.getAttribute('[data-row="handling_satisfaction_rate"] th', 'title')).includes('766'),
    'the 766 handling satisfaction says what it is');
  check(await ap.locator('figure.trend text.scale').count() === 14 * 3, 'every chart has a scale');
  await adm.close();

  check(external.length === 0, 'no request left 127.0.0.1: ' + external.join(' '));
  check(problems.length === 0, 'no console errors (CSP included): ' + problems.join(' | '));
} finally {
  await browser.close();
  await srv.stop();
}
done('test_console');
