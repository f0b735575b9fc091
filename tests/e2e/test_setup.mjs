// test_setup.mjs -- issue 16 end to end: a centre set up from nothing in
// the console, then rated through its own poster.
//
// A database made by `hailong init` (no --demo) and one admin of the
// province H21 made by `hailong user add`.  In Chromium the admin creates
// a commune under H21, adds four counters and six officers, assigns
// procedures by field (to the commune and to a counter), creates a
// manager on the users page; the manager logs in, changes the one-time
// password, puts officers on duty; the counter's poster is opened,
// screenshotted and scanned with zbarimg, the scanned address opened and
// the form sent; the rating is then found under that counter, the
// officer on duty and the procedure, on the console's pages and in
// `hailong metrics --json`.  Every setup page is screenshotted at 390 and
// 1366 px (tests/out/e2e-setup-*.png) and must not be wider than that.
// No SQL writes anything here.
import { execFileSync } from 'node:child_process';
import {
  BIN, hailong, startServer, openBrowser, shot, check, done,
} from './lib.mjs';

const PW = 'mật khẩu rất dài 1';
const PW2 = 'mật khẩu quản lý mới 2';
const UNIT = 'H21.300';
const CT = '2.000815';   // a procedure of the field "Chứng thực"

const srv = await startServer([], { demo: false });
execFileSync(BIN, ['user', 'add', '--db', srv.db, '--unit', 'H21', '--role',
  'admin', '--name', 'tinh', '--full-name', 'Quản trị tỉnh',
  '--password-stdin'], { input: PW + '\n' });

const { browser, page, external } = await openBrowser({ width: 1366, height: 900 });
const problems = [];
// a refused form answers 400, which Chromium reports as a console error
page.on('console', (m) => {
  if (m.type() === 'error' && !m.text().includes('status of 400')) problems.push(m.text());
});
page.on('pageerror', (e) => problems.push(String(e)));

const setup = (sub = '') => `${srv.base}/admin/units/${UNIT}/setup${sub}`;

async function submit(p, selector) {
  await Promise.all([p.waitForNavigation(), p.click(selector)]);
}

async function doneText(p) {
  return (await p.textContent('p.done')) || '';
}

// every part of the tab at a phone's and a laptop's width: a screenshot
// each, and nothing wider than the viewport
async function widths(p, url, name) {
  for (const w of [390, 1366]) {
    await p.setViewportSize({ width: w, height: w === 390 ? 844 : 900 });
    await p.goto(url);
    const wide = await p.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= w, `${name} is ${wide}px wide at ${w}`);
    await shot(p, `setup-${name}-${w}`);
  }
  await p.setViewportSize({ width: 1366, height: 900 });
}

let mgr;
try {
  // log in as the province's admin
  await page.goto(`${srv.base}/admin`);
  await page.fill('#username', 'tinh');
  await page.fill('#password', PW);
  await submit(page, 'button[type=submit]');
  check(page.url().includes('/admin/units/H21'), 'at the province: ' + page.url());

  // the tab, then a commune under H21
  await submit(page, 'nav.tabs a[href^="/admin/units/H21/setup"]');
  check((await page.textContent('h1')).includes('Thiết lập'), 'setup tab open');
  await page.fill('#unit-code', UNIT);
  await page.fill('#unit-name', 'Xã Ia Hrú');
  await page.selectOption('#unit-level', 'commune');
  await page.fill('#unit-stat', '23456');
  await submit(page, 'form[action$="/setup/units"] button');
  check((await doneText(page)).includes('Đã thêm đơn vị'), 'unit added');
  // a code taken: the message, the values kept, nothing added
  await page.fill('#unit-code', UNIT);
  await page.fill('#unit-name', 'Xã <b>trùng</b>');
  await submit(page, 'form[action$="/setup/units"] button');
  check((await page.textContent('.field-error')).includes(UNIT), 'duplicate refused');
  check(await page.inputValue('#unit-name') === 'Xã <b>trùng</b>', 'typed name kept');
  await submit(page, `ul.subunits a[href^="/admin/units/${UNIT}/setup"]`);
  check((await page.textContent('dl.facts')).includes('Xã Ia Hrú'), 'the commune\'s page');

  // four counters
  await page.goto(setup('/counters'));
  for (let n = 1; n <= 4; n++) {
    check(await page.inputValue('#counter-number') === String(n), `next number ${n} offered`);
    await page.fill('#counter-name', `Quầy ${n} — Một cửa`);
    await submit(page, `form[action="/admin/units/${UNIT}/setup/counters"] button`);
    check((await doneText(page)).includes('Đã thêm quầy'), `counter ${n} added`);
  }
  check(await page.locator('#counters li.card').count() === 4, 'four counters listed');

  // six officers, each with a usual counter
  await page.goto(setup('/officers'));
  for (let i = 1; i <= 6; i++) {
    await page.fill('#officer-id', `CB0${i}`);
    await page.fill('#officer-name', `Cán bộ số ${i}`);
    await page.selectOption('#officer-counter', String(((i - 1) % 4) + 1));
    await submit(page, `form[action="/admin/units/${UNIT}/setup/officers"] button`);
    check((await doneText(page)).includes('Đã thêm cán bộ'), `officer ${i} added`);
  }
  check(await page.locator('#officers li.card').count() === 6, 'six officers listed');

  // procedures by field: two fields to the commune, one to counter 2
  await page.goto(setup('/procedures'));
  for (const field of ['Hộ tịch', 'Chứng thực']) {
    await page.selectOption('#pick-field', field);
    await submit(page, '#assign-field');
    check((await doneText(page)).includes('Đã gán thủ tục'), `field ${field} assigned`);
  }
  const assigned = await page.locator('#assigned li').count();
  check(assigned >= 30, `the commune has ${assigned} procedures`);
  await page.selectOption('#pick-counter', '2');
  await submit(page, 'form.filters button');
  check(page.url().includes('counter=2'), 'counter 2 picked');
  await page.selectOption('#pick-field', 'Chứng thực');
  await submit(page, '#assign-field');
  check(page.url().includes('counter=2'), 'still on counter 2: ' + page.url());
  check(await page.locator(`#assigned input[value="${CT}"]`).count() === 1,
    'counter 2 handles ' + CT);
  // the search, by code and by words
  await page.fill('#pick-q', 'di chúc');
  await submit(page, 'form.filters button');
  check((await page.textContent('#found')).includes('Chứng thực di chúc'), 'search by name');

  // a manager of the commune, on the existing users page
  await page.goto(`${srv.base}/admin/units/${UNIT}/users`);
  await page.fill('input[name=username]', 'quanly');
  await page.fill('input[name=name]', 'Trần Văn Quản');
  await page.selectOption('select[name=role]', 'manager');
  await submit(page, 'form.add-user button');
  const otp = (await page.textContent('code.otp')).trim();
  check(otp.length >= 16, 'one-time password shown');

  // the manager sets today's duty
  const ctx2 = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  ctx2.setDefaultTimeout(120000);
  ctx2.setDefaultNavigationTimeout(120000);
  mgr = await ctx2.newPage();
  mgr.on('pageerror', (e) => problems.push(String(e)));
  await mgr.goto(`${srv.base}/login`);
  await mgr.fill('#username', 'quanly');
  await mgr.fill('#password', otp);
  await submit(mgr, 'button[type=submit]');
  check(mgr.url().includes('/account/password'), 'must change the password');
  await mgr.fill('#current', otp);
  await mgr.fill('#new', PW2);
  await mgr.fill('#confirm', PW2);
  await submit(mgr, 'button[type=submit]');
  await mgr.goto(`${srv.base}/admin/units/${UNIT}`);
  check(await mgr.locator('nav.tabs a[href$="/setup"]').count() === 1, 'manager sees the tab');
  // the province is above the manager: outside the scope
  const up = await mgr.goto(`${srv.base}/admin/units/H21/setup`);
  check(up.status() === 404, 'no setup of the province: ' + up.status());
  await mgr.goto(setup('/duty'));
  await mgr.selectOption('#duty-2 select[name=officer]', 'CB03');
  await submit(mgr, '#duty-2 form:has(input[value=start]) button');
  check((await doneText(mgr)).includes('Đã ghi nhận cán bộ vào trực'), 'duty started');
  await mgr.selectOption('#duty-1 select[name=officer]', 'CB01');
  await submit(mgr, '#duty-1 form:has(input[value=start]) button');
  check((await mgr.textContent('#duty-2 .duty')).includes('CB03'), 'CB03 at counter 2');
  const log = await mgr.textContent('table.dutylog');
  check(/\d\d\/\d\d\/\d{4} \d\d:\d\d/.test(log), 'log in dd/mm/yyyy HH:MM: ' + log);
  await shot(mgr, 'setup-duty-manager-390');

  // the poster of counter 2, printed by Chromium and scanned
  await page.goto(setup('/counters'));
  check((await page.textContent('#counter-2 .duty')).includes('CB03'), 'counters show the duty');
  await page.setViewportSize({ width: 794, height: 1123 });
  await submit(page, '#counter-2 a.poster');
  check(page.url().includes('/poster/'), 'poster opened');
  await page.waitForLoadState('load');
  const png = await shot(page, 'setup-poster');
  const scanned = execFileSync('zbarimg', ['-q', '--raw', png], { encoding: 'utf8' }).trim();
  check(scanned.startsWith(`${srv.base}/q/`), 'poster scans to ' + scanned);
  await page.setViewportSize({ width: 1366, height: 900 });

  // a citizen rates through the scanned address, on a phone
  const ctx3 = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  ctx3.setDefaultTimeout(120000);
  ctx3.setDefaultNavigationTimeout(120000);
  const cit = await ctx3.newPage();
  await cit.goto(scanned);
  check((await cit.textContent('.unit')).includes('Xã Ia Hrú'), 'the commune\'s form');
  await cit.locator('label[for="level-5"]').click();
  await cit.selectOption('#procedure', CT);
  await submit(cit, 'button[type=submit]');
  check((await cit.textContent('h1')).includes('Cảm ơn'), 'thank-you page');
  await ctx3.close();

  // the rating under counter 2, officer CB03 and the procedure
  const month = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 7);
  const ratings = async (p, url, row) => {
    await p.goto(url);
    return p.getAttribute(`${row} td[data-k="ratings"]`, 'data-v');
  };
  const base = `${srv.base}/admin/units/${UNIT}`;
  check(await ratings(page, `${base}/counters?month=${month}`, 'tr[data-counter="2"]') === '1',
    'one rating at counter 2');
  check(await ratings(page, `${base}/officers?month=${month}`, 'tr[data-officer="CB03"]') === '1',
    'one rating for CB03, on duty');
  check(await page.locator('tr[data-officer="CB01"]').count() === 0, 'none for CB01');
  check(await ratings(page, `${base}/procedures?month=${month}`, `tr[data-procedure="${CT}"]`) === '1',
    'one rating of ' + CT);
  const fig = JSON.parse(hailong('metrics', '--db', srv.db, '--unit', UNIT,
    '--month', month, '--json'));
  const officer = fig.officers.find((o) => o.id === 'CB03');
  check(officer && officer.ratings === 1, 'metrics: CB03 has the rating');
  const counter = fig.counters.find((o) => o.counter === 2);
  check(counter && counter.ratings === 1, 'metrics: counter 2 has the rating');

  // the audit log has the changes, by whom
  await page.goto(`${base}/audit`);
  // (in words: the codes are the rows' data-action)
  const audit = await page.innerHTML('main');
  for (const a of ['unit.add', 'counter.add', 'officer.add', 'procedure.assign', 'duty.start'])
    check(audit.includes(`data-action="${a}"`), `audit shows ${a}`);

  // every part of the tab fits a phone and a laptop
  await widths(page, `${srv.base}/admin/units/H21/setup`, 'unit-province');
  await widths(page, setup(), 'unit');
  await widths(page, setup('/counters'), 'counters');
  await widths(page, setup('/counters/3/disable'), 'counter-disable');
  await widths(page, setup('/officers'), 'officers');
  await widths(page, setup('/procedures?q=' + encodeURIComponent('hộ tịch')), 'procedures');
  await widths(page, setup('/procedures?counter=2'), 'procedures-counter');
  await widths(page, setup('/duty'), 'duty');
  await widths(page, `${srv.base}/admin/units/H21/setup/instrument`, 'instrument');
  await widths(page, setup('/counters?lang=en'), 'counters-en');

  check(external.length === 0, 'no request left 127.0.0.1: ' + external.join(' '));
  check(problems.length === 0, 'no console errors (CSP included): ' + problems.join(' | '));
} finally {
  await browser.close();
  await srv.stop();
}
done('test_setup');
