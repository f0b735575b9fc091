// test_form.mjs -- a citizen on a 360 px phone: scan, tap a face, send.
import { execFileSync } from 'node:child_process';
import { startServer, openBrowser, shot, check, done } from './lib.mjs';

const srv = await startServer(['--rate-limit-per-min', '0']);
const { browser, page, external } = await openBrowser({ width: 360, height: 740 });
const problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
page.on('pageerror', (e) => problems.push(String(e)));

try {
  const tok = srv.token({ counter: 1 });
  await page.goto(`${srv.base}/q/${tok}`);
  check((await page.textContent('.unit')).includes('UBND xã Vân Canh'), 'unit name shown');
  // fits a 360 px screen: no sideways scrolling
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 360, `page is ${width}px wide at 360`);
  // the faces are large enough to tap (>= 44 px)
  const box = await page.locator('label[for="level-2"]').boundingBox();
  check(box.height >= 44 && box.width >= 44, `face target ${box.width}x${box.height}`);
  await shot(page, 'form-phone');

  // submitting with nothing chosen: the browser's own check stops it,
  // so post without a level through the form's own mechanism
  await page.locator('label[for="level-2"]').click();
  check(await page.isChecked('#level-2'), 'tapping the face chooses it');
  await page.selectOption('#procedure', '1.001193');
  await page.locator('summary').click();
  await page.locator('label:has(#c7-0)').click();
  await page.fill('#comment', 'Phải chờ lâu ở quầy 1');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  check((await page.textContent('h1')).includes('Cảm ơn'), 'thank-you page');
  await shot(page, 'thanks-phone');

  const row = srv.sql("SELECT level, procedure, c7, counter, channel FROM ratings");
  check(row === '2|1.001193|0|1|qr', `stored row is ${row}`);
  const comment = srv.sql('SELECT comment FROM rating_texts');
  check(comment === 'Phải chờ lâu ở quầy 1', `stored comment ${comment}`);

  // the same page in English
  await page.goto(`${srv.base}/q/${tok}?lang=en`);
  check((await page.textContent('h1')).includes('Rate our service'), 'English page');

  // the printed poster, rendered by Chromium, scans to the form's address
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.goto(`${srv.base}/poster/${tok}`);
  await page.waitForLoadState('load');
  const png = await shot(page, 'poster');
  const scanned = execFileSync('zbarimg', ['-q', '--raw', png], { encoding: 'utf8' }).trim();
  check(scanned === `${srv.base}/q/${tok}`, `poster scans to ${scanned}`);

  check(external.length === 0, 'no request left 127.0.0.1: ' + external.join(' '));
  check(problems.length === 0, 'no console errors (CSP included): ' + problems.join(' | '));
} finally {
  await browser.close();
  await srv.stop();
}
done('test_form');
