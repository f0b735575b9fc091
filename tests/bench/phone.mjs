// phone.mjs -- the citizen's phone: the form and the thank-you page on
// Slow 3G with a 4x slower CPU, in Debian's Chromium.
//
//   node tests/bench/phone.mjs        (HAILONG_BIN: the hailong to run)
//
// Prints one JSON line for tests/bench/bench.py: for the form of a
// counter's QR and of a dossier receipt's QR (counter and procedure),
// the time from navigation to the faces being tappable (Playwright's
// actionability checks on the fifth face: visible, stable, enabled, not
// covered) and the bytes received, headers included, over every request,
// with the cache disabled; for the thank-you page, from the tap on
// "send" to the page loaded.  Chromium's emulation: 400 ms RTT, 400
// kbit/s each way, CPU throttled 4x.  Each figure is the median of RUNS.
import { startServer, openBrowser } from '../e2e/lib.mjs';

const RUNS = Number(process.env.HAILONG_BENCH_PHONE_RUNS || 3);
const SLOW3G = { offline: false, latency: 400,
  downloadThroughput: 400 * 1000 / 8, uploadThroughput: 400 * 1000 / 8 };

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Bytes received (encodedDataLength: headers and body as sent) and the
// number of requests, from the moment of the call.
function meter(cdp) {
  const m = { bytes: 0, requests: 0 };
  cdp.on('Network.loadingFinished', (e) => {
    m.bytes += e.encodedDataLength;
    m.requests++;
  });
  return m;
}

async function slow(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return cdp;
}

async function formOnce(url) {
  const { browser, context, page } = await openBrowser({ width: 360, height: 740 });
  try {
    const cdp = await slow(context, page);
    const m = meter(cdp);
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator('label[for="level-5"]').click({ trial: true });
    const ready = Date.now() - t0;
    await page.waitForLoadState('load');
    // whatever the page fetches after load (none expected)
    await page.waitForTimeout(500);
    return { ready, bytes: m.bytes, requests: m.requests };
  } finally {
    await browser.close();
  }
}

async function thanksOnce(url) {
  const { browser, context, page } = await openBrowser({ width: 360, height: 740 });
  try {
    await page.goto(url);
    await page.locator('label[for="level-5"]').click();
    const cdp = await slow(context, page);
    const m = meter(cdp);
    const t0 = Date.now();
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.click('button.send')]);
    const ready = Date.now() - t0;
    await page.waitForTimeout(500);
    const text = await page.textContent('body');
    if (!/cảm ơn/i.test(text)) throw new Error('no thank-you page: ' + text.slice(0, 200));
    return { ready, bytes: m.bytes, requests: m.requests };
  } finally {
    await browser.close();
  }
}

const srv = await startServer();
try {
  const out = {};
  const cases = {
    form: () => formOnce(srv.base + '/q/' + srv.token({ counter: 1 })),
    form_receipt: () => formOnce(srv.base + '/q/' +
      srv.token({ counter: 1, procedure: '1.001193' })),
    thanks: () => thanksOnce(srv.base + '/q/' +
      srv.token({ counter: 1, procedure: '1.001193' })),
  };
  for (const [name, run] of Object.entries(cases)) {
    const rs = [];
    for (let i = 0; i < RUNS; i++) rs.push(await run());
    out[`${name}_ready_ms_slow3g`] = median(rs.map((r) => r.ready));
    out[`${name}_bytes`] = median(rs.map((r) => r.bytes));
    out[`${name}_requests`] = median(rs.map((r) => r.requests));
  }
  console.log(JSON.stringify(out));
} finally {
  await srv.stop();
}
