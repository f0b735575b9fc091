// test_console_b.mjs -- console part B in Chromium at 390 and 1366 px: the
// callback queue and a request's page, the users page (roles in words,
// "Mở khóa"), and the confirmation pages of "Thu hồi" and "Khóa tài
// khoản".  Each page is no wider than its viewport, axe-core finds no
// violation, the nav says "Ki-ốt" and never "Kiosk"; screenshots go to
// tests/out/e2e-cb-*.png.  A confirmation page changes nothing; its
// button does.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { BIN, startServer, openBrowser, shot, check, done } from './lib.mjs';

const require = createRequire(import.meta.url);
const axeSource = require('../node_modules/axe-core').source;
const PW = 'mật khẩu rất dài 1';
const UNIT = 'H21.227';
const P1 = '1.001193';

const srv = await startServer();
const run = (...a) => execFileSync(BIN, a, { encoding: 'utf8' });
for (const [name, role] of [['lan', 'manager'], ['hoa', 'viewer'],
  ['binh', 'reporter']])
  execFileSync(BIN, ['user', 'add', '--db', srv.db, '--unit', UNIT, '--role',
    role, '--name', name, '--full-name', 'Trần Văn Bình Một Tên Rất Dài ' + name,
    '--password-stdin'], { input: PW + '\n' });
run('user', 'disable', '--db', srv.db, 'binh');
const kiosk = run('kiosk', 'add', '--db', srv.db, '--unit', UNIT,
  '--counter', '1').match(/kiosk (k[0-9a-f]{10}) registered/)[1];

const { browser, page, external } = await openBrowser({ width: 1366, height: 900 });
const problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
page.on('pageerror', (e) => problems.push(String(e)));

// three callbacks through the citizen's own form; the first made old
async function askCallback(comment) {
  const tok = srv.token({ procedure: P1 });
  await page.goto(`${srv.base}/q/${tok}`);
  const nonce = await page.getAttribute('input[name=nonce]', 'value');
  const r = await page.request.post(`${srv.base}/q/${tok}`, {
    form: { nonce, level: '2', comment, phone: '0912 345 678', consent: '1' },
  });
  check(r.status() === 200, 'callback asked: ' + r.status());
  return Number(srv.sql(`SELECT cb.id FROM callbacks cb JOIN ratings r ON r.seq = cb.rating_seq WHERE r.id = '${nonce}'`));
}
const old = await askCallback('Tôi chờ hai tiếng ở quầy 1, xin gọi lại để được hướng dẫn bổ sung hồ sơ đất đai cho đúng.');
srv.sql(`UPDATE consents SET given_at = given_at - 6*86400 WHERE id = (SELECT consent_id FROM callbacks WHERE id = ${old})`);
await askCallback('Cán bộ nhiệt tình nhưng thiếu hướng dẫn, xin gọi lại.');
await askCallback('Gọi lại giúp tôi.');

async function fits(name) {
  const { sw, vw } = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth, vw: window.innerWidth }));
  check(sw <= vw, `${name}: ${sw} px wide in a ${vw} px viewport`);
  const nav = await page.textContent('nav.tabs');
  check(nav.includes('Ki-ốt') && !/Kiosk/.test(nav), `${name}: the tab says Ki-ốt`);
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => axe.run(document, {
    resultTypes: ['violations'] }));
  const bad = res.violations.map((v) => `${v.id} (${v.nodes.length}): ` +
    v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', '));
  check(bad.length === 0, `${name}: axe: ${bad.join('; ')}`);
}

async function both(path, name) {
  for (const [w, h] of [[1366, 900], [390, 844]]) {
    await page.setViewportSize({ width: w, height: h });
    const r = await page.goto(srv.base + path);
    check(r.status() === 200, `${path}: ${r.status()}`);
    await fits(`${name} at ${w}`);
    await shot(page, `cb-${name}-${w}`);
  }
}

try {
  await page.goto(`${srv.base}/login`);
  await page.fill('#username', 'admin');
  await page.fill('#password', srv.login);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);

  await both(`/admin/units/${UNIT}/callbacks`, 'queue');
  check((await page.textContent('a[href$="/callbacks"] .badge')).trim() === '3',
    'the tab counts three requests due');
  check(await page.locator(`tr#cb${old}.overdue`).count() === 1,
    'the old request is overdue');
  const bodyText = await page.textContent('main');
  check(!bodyText.includes('0912'), 'no number on the queue');

  await both(`/admin/units/${UNIT}/callbacks/${old}`, 'callback');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.fill('textarea[name=note]', 'Đã gọi, đã hướng dẫn bổ sung hồ sơ.');
  await Promise.all([page.waitForNavigation(),
    page.click('button[value=closed]')]);
  check(page.url().includes(`/callbacks?done=${old}`), 'back at the queue: ' + page.url());
  check(srv.sql(`SELECT status FROM callbacks WHERE id = ${old}`) === 'closed',
    'closed');
  await both(`/admin/units/${UNIT}/callbacks?state=closed`, 'queue-done');

  await both(`/admin/units/${UNIT}/users`, 'users');
  const users = await page.textContent('table.users');
  check(users.includes('Người quản lý') && !/\b(manager|viewer|reporter)\b/.test(users),
    'roles in words');
  check(await page.locator('a[href$="/users/binh/enable"]').count() === 1,
    'Mở khóa offered for a disabled user');

  await both(`/admin/units/${UNIT}/users/lan/disable`, 'confirm-disable');
  check(srv.sql("SELECT active FROM users WHERE username = 'lan'") === '1',
    'the confirmation page locked nobody');
  await both(`/admin/units/${UNIT}/users/binh/enable`, 'confirm-enable');
  await Promise.all([page.waitForNavigation(), page.click('section.confirm button')]);
  check(srv.sql("SELECT active FROM users WHERE username = 'binh'") === '1',
    'binh enabled by the confirmed button');

  await both(`/admin/units/${UNIT}/kiosks`, 'kiosks');
  await both(`/admin/units/${UNIT}/kiosks/${kiosk}/revoke`, 'confirm-revoke');
  check(srv.sql(`SELECT revoked_at IS NULL FROM kiosks WHERE id = '${kiosk}'`) === '1',
    'the confirmation page revoked nothing');
  await Promise.all([page.waitForNavigation(), page.click('section.confirm button')]);
  check(srv.sql(`SELECT revoked_at IS NOT NULL FROM kiosks WHERE id = '${kiosk}'`) === '1',
    'revoked by the confirmed button');

  // the comments: nothing chosen until chosen
  await both(`/admin/units/${UNIT}/comments`, 'comments');
  check(await page.locator('input[name=status][type=radio]:checked').count() === 0,
    'no spam mark pre-set');
  await page.click('form.mark summary');
  check(await page.locator('form.mark details[open] input[value=spam]').count() === 1,
    'the mark opens on a tap');
  await fits('comments, a mark open at 390');
  await shot(page, 'cb-comments-mark-390');

  check(external.length === 0, 'no request outside 127.0.0.1: ' + external);
  check(problems.length === 0, 'no console errors: ' + problems.join('; '));
  done('console_b');
} finally {
  await browser.close();
  await srv.stop();
}
