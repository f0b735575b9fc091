// test_periods.mjs -- the period picker (month, quarter, year) and the
// province's page of who has not reported, in Chromium at 390 and 1366
// px.  Screenshots go to tests/out/.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, OUT, startServer, openBrowser, shot, check, done } from './lib.mjs';

const PW = 'mật khẩu rất dài 2';
const srv = await startServer();
// H21.227: ratings in October to December 2026 (the fourth quarter)
const levels = { '2026-10': [5, 5, 4, 2], '2026-11': [5, 1, 1],
  '2026-12': [4, 4, 4, 4, 3] };
const rows = ['id,unit,level,rated_at'];
for (const [m, ls] of Object.entries(levels))
  ls.forEach((l, i) => rows.push(`${m}-${i},H21.227,${l},${m}-0${1 + (i % 2)}T0${1 + i}:00:00+07:00`));
writeFileSync(join(srv.dir, 'r.csv'), rows.join('\n') + '\n');
execFileSync(BIN, ['import', 'ratings', '--db', srv.db, join(srv.dir, 'r.csv')]);
execFileSync(BIN, ['user', 'add', '--db', srv.db, '--unit', 'H21', '--role',
  'reporter', '--name', 'tinh', '--full-name', 'Trần Văn Tỉnh',
  '--password-stdin'], { input: PW + '\n' });
// reports as the province received them (the API path is tested in
// tests/api/test_periods.py): the last two months, one commune on time,
// one late, the others none
const now = Math.floor(Date.now() / 1000);
const ict = new Date((now + 7 * 3600) * 1000);
const ym = (k) => {
  const i = ict.getUTCFullYear() * 12 + ict.getUTCMonth() + k;
  return Math.floor(i / 12) * 100 + (i % 12) + 1;
};
const last = ym(-1), before = ym(-2);
const ins = (unit, month, at) => srv.sql(
  'INSERT INTO reports_received(unit, month, kind, json, p7s, sha256, ' +
  'as_of, signer, signer_fingerprint, received_at, actor) VALUES ' +
  `('${unit}', ${month}, 'm', X'7B7D', X'00', '${'a'.repeat(64)}', ${now}, ` +
  `'CN=${unit} Ủy ban nhân dân', 'ff', ${at}, 'apikey:1')`);
ins('H21.227', last, now);
ins('H21.228', before, now);
ins('H21.101', before, now - 86400 * 30);

const shots = [];
for (const width of [390, 1366]) {
  const { browser, page, external } = await openBrowser({ width, height: 900 });
  try {
    await page.goto(`${srv.base}/admin/units/H21/reports/status?last=2`);
    await page.fill('#username', 'tinh');
    await page.fill('#password', PW);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    check(page.url().includes('/reports/status'), 'back at the status page');
    await page.goto(`${srv.base}/admin/units/H21/reports/status?last=2`);
    check(await page.locator('tr[data-unit="H21.228"] td[data-status="late"]').count() === 1,
      'H21.228 late');
    check((await page.textContent('tr[data-unit="H21.228"]')).includes('Nộp muộn'), 'late in Vietnamese');
    const nm = await page.evaluate(() => document.querySelectorAll('tr[data-unit="H21.05"] td[data-status="missing"]').length);
    check(nm === 2,
      'H21.05 missing twice: ' + nm);
    check(!/\d{4}-\d\d-\d\dT/.test(await page.textContent('main, body')), 'no RFC 3339 shown');
    // the page does not scroll sideways: the table scrolls in its box
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= width, `page ${wide} px wide at ${width}`);
    shots.push(await shot(page, `periods-status-${width}`));
    // the first screen alone, as a person sees it
    const top = join(OUT, `e2e-periods-status-${width}-top.png`);
    await page.screenshot({ path: top });
    shots.push(top);
    // the picker: month, quarter, year, no text box
    await page.goto(`${srv.base}/admin/units/H21.227?month=2026-Q4`);
    check(await page.locator('form.month select#month').count() === 1, 'a select');
    check(await page.locator('form.month input[type=text]').count() === 0, 'no text box');
    check((await page.locator('#month option:checked').textContent()) === 'Quý 4/2026',
      'quarter 4 chosen');
    await page.selectOption('#month', '2026');
    await Promise.all([page.waitForNavigation(), page.click('form.month button')]);
    check(page.url().includes('month=2026'), 'year chosen: ' + page.url());
    check((await page.locator('#month option:checked').textContent()) === 'Năm 2026',
      'year 2026 shown');
    shots.push(await shot(page, `periods-picker-${width}`));
    await page.goto(`${srv.base}/admin/units/H21.227/reports?month=2026-Q4`);
    check((await page.locator('#month option:checked').textContent()) === 'Quý 4/2026',
      'reports page picker');
    shots.push(await shot(page, `periods-reports-${width}`));
    check(external.length === 0, 'nothing outside: ' + external.join(' '));
  } finally {
    await browser.close();
  }
}
await srv.stop();
console.log(shots.join('\n'));
done('periods');
