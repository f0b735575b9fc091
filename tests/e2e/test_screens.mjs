// test_screens.mjs -- every screen, as the person in front of it sees it
// (issue 18, "Checks that keep it so").
//
// One real server (demo data, a month of ratings and dossiers imported,
// every limit off), one enrolled kiosk program, one Chromium.  Every page
// a citizen, a staff member of each role or a kiosk user can reach is
// opened at a phone's and a desktop's size (390x844 and 1366x768; the
// kiosk at 1280x800 and 800x1280), photographed whole to
// tests/out/screens/<page>-<width>.png (with the text the language check
// read beside it, <page>-<width>.txt), and checked:
//
//   overflow  the document is wider than the viewport (sideways scrolling);
//             the elements that stick out are named
//   offscreen text or a control a person cannot reach: above or left of
//             the page, or past a viewport that does not scroll
//   overlap   the text of one element lies over the text of another (the
//             boxes of visible text, Range.getClientRects() of each text
//             node, clipped by overflow, compared between elements neither
//             of which contains the other)
//   axe       axe-core (tests/node_modules) reports a violation of a WCAG
//             2.0/2.1/2.2 A or AA rule
//   lang      a Vietnamese page (<html lang="vi">) shows a word of LEAKS
//             below: a code or an English word where a person reads
//             Vietnamese (text inside <code>/<kbd>, attribute values and
//             typed values are not looked at)
//   csp       the page was served without its strict Content-Security-Policy
//   open      the page could not be reached the way a person reaches it
//
// axe-core is injected with page.addScriptTag, which the strict CSP
// (default-src 'none') forbids: the contexts bypass CSP, and the csp
// check reads the real header of every page instead (and one page is
// asserted to refuse an injected script without the bypass).
//
// Every failure of a run is collected; the run ends with a table page x
// check and the details (also in tests/out/screens/report.md), and exits
// 1 when any.  SCREENS_ONLY=regexp limits the run to matching page names.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { BIN, ROOT, OUT, hailong, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('../node_modules/playwright-core');
const AXE = require.resolve('../node_modules/axe-core/axe.min.js');
const KIOSK = process.env.HAILONG_KIOSK_BIN || join(ROOT, 'build/bin/hailong-kiosk');
const SHOTS = join(OUT, 'screens');
const ONLY = process.env.SCREENS_ONLY ? new RegExp(process.env.SCREENS_ONLY) : null;

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 768 };
const SIZES = [PHONE, DESK];
const KIOSK_SIZES = [{ width: 1280, height: 800 }, { width: 800, height: 1280 }];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
const CHECKS = ['open', 'overflow', 'offscreen', 'overlap', 'axe', 'lang', 'csp'];

// What a Vietnamese page must not show.  Each: a name and a regexp over
// the page's visible text (text nodes joined by newlines, without <code>
// and <kbd>; plus visible placeholders, button values, the chosen
// option of each list, title/alt/aria-label).  Codes belong in <code> or
// in attributes (data-*, value=, href), never in the words.
const LEAKS = [
  // the rules' flag codes, and any other SCREAMING_SNAKE code
  ['flag code', /\b(LOW_SATISFACTION|HIGH_SUPPLEMENT|LOW_ONLINE|LATE|[A-Z]{2,}(?:_[A-Z0-9]+)+)\b/],
  // role codes
  ['role code', /\b(admin|manager|viewer|reporter)\b/i],
  // audit action codes (every one the server writes)
  ['audit action', /\b(apikey\.(add|revoke|scope)|callback\.(open|contacted|closed)|counter\.(add|disable|enable|rename)|duty\.(start|end)|import\.(ratings|dossiers)|instrument\.add|kiosk\.(add|enrol|revoke)|login\.(failed|lock|locked|ok)|officer\.(add|disable|enable)|password\.change|privacy\.(erase|find)|procedure\.(assign|unassign|import)|rating\.(flag|status)|ratings\.fold|report\.(build|sign|submit|receive|received|refused)|review\.(open|move)|rules\.add|unit\.(add|disable|import|rename)|user\.(add|disable|enable|passwd|reset))\b/],
  // actors: the command line, users, kiosks, machines ("cli:root")
  ['actor code', /\b(cli|user|kiosk|apikey|system):\S/],
  // channel codes as words (Kiosk/kiosk: "Ki-ốt" is the word)
  ['channel code', /(?<![\w/.-])(qr|web|import|kiosks?|Kiosks?)(?![\w/-])/],
  // raw months and dates: "2026-12", "2026-12-03"
  ['raw month/date', /(?<![\w.-])\d{4}-\d{2}(-\d{2})?(?![\w-])/],
  // RFC 3339 times
  ['RFC 3339 time', /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?/],
  // the epoch shown for "no date"
  ['epoch date', /01\/01\/1970/],
  // a decimal point in a figure: "0.4481", "81.3%", "81.3 %"
  // (the 766 indicators' numbers, "2.1 Đúng hạn", are names, not figures)
  ['decimal point', /(?<![\w.,])(0\.\d+(?![\w.])|\d+\.\d+(?=\s?(%|điểm|\/\d)))/],
  // raw JSON
  ['raw JSON', /[{[]\s*"[\w.]+"\s*:/],
  // status and state codes
  ['status code', /\b(in_progress|resolved|pending|revoked|enrolled|open|closed|contacted|misuse|offline|online|true|false|null|undefined|NaN)\b/],
  // English UI words
  ['English word', /\b(Overview|Procedures?|Counters?|Officers?|Reviews?|Comments?|Users?|Audit|Reports?|Setup|Log ?in|Log ?out|Sign ?in|Password|Submit|Save|Cancel|Delete|Error|Not [Ff]ound|Forbidden|Bad [Rr]equest|Next|Previous|Page|Status|Month|Rating|Thank you|Unit|Back|Download|Search|Filter|Website)\b/],
];

const failures = [];   // { page, size, check, detail }
const ran = [];        // { page, size }

function fail(page, size, check, detail) {
  failures.push({ page, size, check, detail });
}

// ---------------------------------------------------------------------
// The checks that run inside the page: one evaluate, one JSON answer.
function inPage() {
  const de = document.documentElement;
  const vw = de.clientWidth;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = typeof el.className === 'string' ? el.className.trim() : '';
    if (cls) s += '.' + cls.split(/\s+/).slice(0, 2).join('.');
    const t = (el.textContent || '').trim().replace(/\s+/g, ' ');
    if (t) s += ` "${t.slice(0, 40)}${t.length > 40 ? '…' : ''}"`;
    return s;
  };
  const out = { lang: de.lang || '', vw, sw: de.scrollWidth, wide: [], overlaps: [], offscreen: [], text: '' };

  // the elements that stick out of the viewport while their parent does not
  if (de.scrollWidth > vw) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= vw + 0.5) continue;
      const p = el.parentElement;
      if (p && p !== document.body && p.getBoundingClientRect().right > vw + 0.5) continue;
      out.wide.push(`${describe(el)} to ${Math.round(r.right + window.scrollX)}px`);
      if (out.wide.length >= 5) break;
    }
  }

  // the part of the page an element may paint text in: its ancestors'
  // overflow clips it; visually hidden text (clip, 1 px boxes) is nothing
  const clips = new Map();
  const NONE = { l: 0, t: 0, r: 0, b: 0 };
  function clipOf(el) {
    if (!el || el === de || el === document.body) return { l: -1e9, t: -1e9, r: 1e9, b: 1e9 };
    if (clips.has(el)) return clips.get(el);
    let c = clipOf(el.parentElement);
    const cs = getComputedStyle(el);
    if (c !== NONE) {
      if (cs.display === 'contents') {
        // no box of its own
      } else if (cs.clip && cs.clip !== 'auto' && /absolute|fixed/.test(cs.position)) {
        c = NONE;
      } else if (cs.clipPath && /inset\(50%|circle\(0/.test(cs.clipPath)) {
        c = NONE;
      } else if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
        const b = el.getBoundingClientRect();
        c = {
          l: cs.overflowX !== 'visible' ? Math.max(c.l, b.left) : c.l,
          r: cs.overflowX !== 'visible' ? Math.min(c.r, b.right) : c.r,
          t: cs.overflowY !== 'visible' ? Math.max(c.t, b.top) : c.t,
          b: cs.overflowY !== 'visible' ? Math.min(c.b, b.bottom) : c.b,
        };
      }
    }
    clips.set(el, c);
    return c;
  }
  const visible = (el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true });

  // every visible piece of text: element, rectangles (page coordinates)
  const frags = [];
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const sx = window.scrollX, sy = window.scrollY;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!/\S/.test(n.data)) continue;
    const el = n.parentElement;
    if (!el || el.closest('script,style,noscript,template,textarea,option,optgroup,select')) continue;
    if (!visible(el)) continue;
    const c = clipOf(el);
    range.selectNodeContents(n);
    const rects = [];
    for (const r of range.getClientRects()) {
      const l = Math.max(r.left, c.l), rt = Math.min(r.right, c.r);
      const t = Math.max(r.top, c.t), b = Math.min(r.bottom, c.b);
      if (rt - l < 1 || b - t < 1) continue;
      // moved far away to hide it (the honeypot field, skip links)
      if (r.right + sx < -500 || r.bottom + sy < -500) continue;
      rects.push({ l: l + sx, t: t + sy, r: rt + sx, b: b + sy });
    }
    if (!rects.length) continue;
    frags.push({ el, rects, text: n.data.trim().replace(/\s+/g, ' ') });
    if (!el.closest('code,kbd,samp')) words.push(n.data.trim().replace(/\s+/g, ' '));
  }
  // what a person also reads: placeholders, buttons' values, the chosen
  // option, titles, alternative texts, labels of controls
  for (const el of document.body.querySelectorAll('[placeholder],input[type=submit],input[type=button],input[type=reset],select,[title],img[alt],[aria-label]')) {
    if (!visible(el) || el.closest('code,kbd,samp')) continue;
    if (el.tagName === 'SELECT') {
      if (el.selectedOptions[0]) words.push(el.selectedOptions[0].text);
      continue;
    }
    for (const a of ['placeholder', 'title', 'alt', 'aria-label'])
      if (el.getAttribute(a)) words.push(el.getAttribute(a));
    if (el.tagName === 'INPUT' && /submit|button|reset/.test(el.type)) words.push(el.value);
  }
  out.text = words.join('\n');

  // text and controls a person cannot reach: above or left of the page
  // (no scrolling goes there), or past the viewport where the page does
  // not scroll (overflow: hidden on the root, as on a kiosk)
  const noScrollY = [de, document.body].some((e) => /hidden|clip/.test(getComputedStyle(e).overflowY));
  const noScrollX = [de, document.body].some((e) => /hidden|clip/.test(getComputedStyle(e).overflowX));
  const vh = window.innerHeight;
  const cut = (r) => {
    const where = [];
    if (r.t < -2) where.push(`above the page (top ${Math.round(r.t)}px)`);
    if (r.l < -2) where.push(`left of the page (left ${Math.round(r.l)}px)`);
    if (noScrollY && r.b > vh + 2) where.push(`below the ${vh}px viewport, which does not scroll (bottom ${Math.round(r.b)}px)`);
    if (noScrollX && r.r > vw + 2) where.push(`right of the ${vw}px viewport, which does not scroll (right ${Math.round(r.r)}px)`);
    return where.join(', ');
  };
  const offEls = new Set();
  for (const f of frags) {
    for (const r of f.rects) {
      const w = cut(r);
      if (w && !offEls.has(f.el)) {
        offEls.add(f.el);
        out.offscreen.push(`${describe(f.el)}: ${w}`);
        break;
      }
    }
  }
  for (const el of document.body.querySelectorAll('a[href],button,input:not([type=hidden]),select,textarea,img,[role=button]')) {
    if (!visible(el) || offEls.has(el) || [...offEls].some((o) => o.contains(el) || el.contains(o))) continue;
    const b = el.getBoundingClientRect();
    if (b.width < 2 || b.height < 2 || b.right + sx < -500 || b.bottom + sy < -500) continue;
    const w = cut({ l: b.left + sx, t: b.top + sy, r: b.right + sx, b: b.bottom + sy });
    if (w) {
      offEls.add(el);
      out.offscreen.push(`${describe(el)}: ${w}`);
    }
  }

  // two pieces of text of unrelated elements drawn over each other: more
  // than 3 px wide and a third of the lower line's height (lines whose
  // glyph boxes touch, as tight line-heights make them, are not counted)
  const boxes = [];
  frags.forEach((f, i) => f.rects.forEach((r) => boxes.push({ ...r, i })));
  boxes.sort((a, b) => a.t - b.t);
  const seen = new Set();
  for (let a = 0; a < boxes.length; a++) {
    const A = boxes[a];
    for (let b = a + 1; b < boxes.length && boxes[b].t < A.b; b++) {
      const B = boxes[b];
      if (A.i === B.i) continue;
      const fa = frags[A.i], fb = frags[B.i];
      if (fa.el === fb.el || fa.el.contains(fb.el) || fb.el.contains(fa.el)) continue;
      const w = Math.min(A.r, B.r) - Math.max(A.l, B.l);
      const h = Math.min(A.b, B.b) - Math.max(A.t, B.t);
      const hmin = Math.min(A.b - A.t, B.b - B.t);
      if (w <= 3 || h < Math.max(3, hmin / 3)) continue;
      const key = A.i < B.i ? `${A.i}/${B.i}` : `${B.i}/${A.i}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.overlaps.push(`${describe(fa.el)} "${fa.text.slice(0, 30)}" over ` +
        `${describe(fb.el)} "${fb.text.slice(0, 30)}" at ` +
        `${Math.round(Math.max(A.l, B.l))},${Math.round(Math.max(A.t, B.t))}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------
// One page at one size: the checks and the screenshot.
async function inspect(page, name, size, doc) {
  const label = `${name}-${size.width}`;
  ran.push({ page: name, size: size.width });
  if (doc) {
    const csp = doc.headers()['content-security-policy'] || '';
    if (!/default-src 'none'|script-src/.test(csp) || /unsafe-inline|unsafe-eval/.test(csp))
      fail(name, size.width, 'csp', `Content-Security-Policy: "${csp}"`);
  }
  // fonts and images settled before anything is measured
  await page.evaluate(() => document.fonts.ready);
  const r = await page.evaluate(inPage);
  if (r.sw > r.vw)
    fail(name, size.width, 'overflow', `${r.sw}px wide in ${r.vw}px: ${r.wide.join('; ')}`);
  if (r.offscreen.length)
    fail(name, size.width, 'offscreen', r.offscreen.slice(0, 5).join('; ') +
      (r.offscreen.length > 5 ? `; … and ${r.offscreen.length - 5} more` : ''));
  for (const o of r.overlaps.slice(0, 8))
    fail(name, size.width, 'overlap', o);
  if (r.overlaps.length > 8)
    fail(name, size.width, 'overlap', `… and ${r.overlaps.length - 8} more`);
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(join(SHOTS, `${label}.txt`), r.text + '\n');
  if (r.lang.startsWith('vi')) {
    for (const [what, re] of LEAKS) {
      const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
      const hits = new Set();
      for (const line of r.text.split('\n')) {
        for (const m of line.matchAll(g)) {
          const at = m.index;
          hits.add(`"${m[0]}" in "…${line.slice(Math.max(0, at - 25), at + m[0].length + 25)}…"`);
        }
      }
      if (hits.size)
        fail(name, size.width, 'lang', `${what}: ${[...hits].slice(0, 4).join(', ')}` +
          (hits.size > 4 ? ` (+${hits.size - 4})` : ''));
    }
  }
  await page.addScriptTag({ path: AXE });
  const v = await page.evaluate(async (tags) => {
    const res = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
    });
    return res.violations.map((x) => ({
      id: x.id, impact: x.impact,
      targets: x.nodes.map((n) => n.target.join(' ')),
    }));
  }, AXE_TAGS);
  for (const x of v) {
    fail(name, size.width, 'axe', `${x.id} (${x.impact}, ${x.targets.length}): ` +
      x.targets.slice(0, 4).join(' | ') + (x.targets.length > 4 ? ' | …' : ''));
  }
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${label}.png`), fullPage: true });
}

// A page reached by `open` (which returns the document's response, or
// null), at each size.
async function visit(page, name, open, sizes = SIZES) {
  if (ONLY && !ONLY.test(name)) return;
  for (const size of sizes) {
    await page.setViewportSize(size);
    let doc;
    try {
      doc = await open(page, size);
    } catch (e) {
      fail(name, size.width, 'open', String(e.message || e).split('\n')[0]);
      ran.push({ page: name, size: size.width });
      continue;
    }
    try {
      await inspect(page, name, size, doc);
    } catch (e) {
      fail(name, size.width, 'open', 'checking: ' + String(e.message || e).split('\n')[0]);
    }
  }
}

// the last main-frame document a page received (after a POST, a redirect)
function lastDocument(page) {
  let last = null;
  page.on('response', (r) => {
    if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) last = r;
  });
  return () => last;
}

async function go(page, url, status = 200) {
  const r = await page.goto(url);
  if (page.url().includes('/login') && !url.includes('/login'))
    throw new Error(`${url.replace(/^http:\/\/[^/]+/, '')} sent to the login page`);
  if (status !== null && r.status() !== status)
    throw new Error(`${url.replace(/^http:\/\/[^/]+/, '')} answered ${r.status()}, not ${status}`);
  return r;
}

async function until(what, fn, seconds = 120) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------
// The data: last month (in Asia/Ho_Chi_Minh) of the demo's commune.
const UNIT = 'H21.227';
const P1 = '1.001193';
const PW = 'mật khẩu rất dài 1';
const now7 = new Date(Date.now() + 7 * 3600e3);
const prev = new Date(Date.UTC(now7.getUTCFullYear(), now7.getUTCMonth() - 1, 1));
const MONTH = prev.toISOString().slice(0, 7);

const srv = await startServer();
const dir = mkdtempSync(join(tmpdir(), 'hailong-screens-'));
let kiosk, browser;
const started = Date.now();

function importData() {
  const levels = [5, 5, 5, 4, 4, 4, 3, 3, 2, 2, 1, 1];
  const day = (i) => `${MONTH}-${String(5 + (i >> 1)).padStart(2, '0')}`;
  const comments = ['Chờ quá lâu ở quầy 1; cán bộ đi vắng', '', 'Cán bộ hướng dẫn tận tình',
    '', '', '', 'Phải bổ sung giấy tờ hai lần', '', 'Thái độ chưa nhiệt tình', '', '', ''];
  const ratings = ['id,unit,counter,officer,procedure,level,comment,rated_at']
    .concat(levels.map((l, i) => `A${i},${UNIT},1,VC01,${P1},${l},"${comments[i]}",` +
      `${day(i)}T09:0${i % 2}:00+07:00`))
    .concat([0, 1, 2, 3, 4, 5].map((i) => `B${i},${UNIT},2,VC02,1.003583,${5 - (i % 2)},,` +
      `${MONTH}-1${i}T10:00:00+07:00`));
  const dossiers = ['code,procedure,unit,channel,received_at,due_at,' +
    'finished_at,supplement_requests,supplement_seconds,corrections,' +
    'full_online,digitized,complaint,updated_at'];
  const yymm = MONTH.slice(2, 4) + MONTH.slice(5, 7);
  for (let i = 1; i <= 10; i++) {
    const fin = `${MONTH}-${i >= 9 ? 25 : 15}T09:00:00+07:00`;
    dossiers.push(`${UNIT}-${yymm}01-${String(i).padStart(4, '0')},${P1},${UNIT},` +
      `${i === 1 ? 2 : 1},${MONTH}-01T08:00:00+07:00,${MONTH}-20T17:00:00+07:00,` +
      `${fin},${i <= 4 && i > 1 ? 1 : 0},0,0,${i === 1 ? 1 : 0},` +
      `${i <= 5 ? 1 : 0},0,${fin}`);
  }
  writeFileSync(join(srv.dir, 'r.csv'), ratings.join('\n') + '\n');
  writeFileSync(join(srv.dir, 'd.csv'), dossiers.join('\n') + '\n');
  hailong('import', 'ratings', '--db', srv.db, join(srv.dir, 'r.csv'));
  hailong('import', 'dossiers', '--db', srv.db, join(srv.dir, 'd.csv'));
  for (const [name, role, unit] of [['tinh', 'admin', 'H21'], ['quanly', 'manager', UNIT],
    ['xem', 'viewer', UNIT], ['baocao', 'reporter', UNIT]]) {
    execFileSync(BIN, ['user', 'add', '--db', srv.db, '--unit', unit, '--role', role,
      '--name', name, '--full-name', `Nguyễn Văn ${name[0].toUpperCase()}${name.slice(1)}`,
      '--password-stdin'], { input: PW + '\n' });
  }
}

async function startKiosk() {
  const added = hailong('kiosk', 'add', '--db', srv.db, '--unit', UNIT,
    '--counter', '1', '--officer', 'VC01').trim().split('\n');
  execFileSync(KIOSK, ['enroll', '--server', srv.base, '--code', added[added.length - 1],
    '--data', dir]);
  const proc = spawn(KIOSK, ['run', '--data', dir, '--listen', '127.0.0.1:0',
    '--reset-seconds', '600', '--retry-max-ms', '1000', '--heartbeat-seconds', '1'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => proc.kill('SIGKILL'));
  const port = await new Promise((resolve, reject) => {
    let seen = '';
    proc.stdout.on('data', (d) => {
      seen += d;
      const m = seen.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error('kiosk exited ' + code)));
  });
  const base = `http://127.0.0.1:${port}`;
  await until('the kiosk configuration', async () =>
    (await (await fetch(base + '/api/local/config')).json()).configured);
  return { proc, base };
}

async function newPage(role) {
  const ctx = await browser.newContext({ viewport: DESK, locale: 'vi-VN', bypassCSP: true });
  ctx.setDefaultTimeout(60000);
  ctx.setDefaultNavigationTimeout(60000);
  const page = await ctx.newPage();
  page.doc = lastDocument(page);
  page.role = role;
  return page;
}

async function login(page, user) {
  await go(page, `${srv.base}/login`);
  await page.fill('#username', user);
  await page.fill('#password', PW);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  if (page.url().includes('/login')) throw new Error('login of ' + user + ' refused');
}

// ---------------------------------------------------------------------
try {
  importData();
  kiosk = await startKiosk();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const base = srv.base;
  const A = `${base}/admin/units/${UNIT}`;
  const m = `month=${MONTH}`;

  // the real CSP, without the bypass: an injected script is refused
  {
    const ctx = await browser.newContext({ viewport: PHONE, locale: 'vi-VN' });
    const p = await ctx.newPage();
    const r = await p.goto(`${base}/login`);
    const csp = r.headers()['content-security-policy'] || '';
    if (!/default-src 'none'/.test(csp))
      fail('login', 390, 'csp', `no strict CSP on /login: "${csp}"`);
    let injected = true;
    try {
      await p.addScriptTag({ path: AXE });
      injected = await p.evaluate(() => typeof window.axe !== 'undefined');
    } catch {
      injected = false;
    }
    if (injected) fail('login', 390, 'csp', 'an inline script ran: the CSP does not hold');
    await ctx.close();
  }

  // --- the citizen ----------------------------------------------------
  const cit = await newPage('citizen');
  const tokCounter = srv.token({ counter: 1 });
  const tokProc = srv.token({ counter: 1, procedure: P1 });
  await visit(cit, 'form', (p) => go(p, `${base}/q/${tokCounter}`));
  await visit(cit, 'form-procedure', (p) => go(p, `${base}/q/${tokProc}`));
  // the criteria opened, a low face chosen
  await visit(cit, 'form-open', async (p) => {
    const r = await go(p, `${base}/q/${tokProc}`);
    await p.locator('label[for="level-2"]').click();
    for (const d of await p.locator('details').all()) await d.evaluate((e) => { e.open = true; });
    return r;
  });
  // sent without a face: the server's answer (the browser's own check
  // and the page's script are stepped over by form.submit())
  await visit(cit, 'form-error', async (p) => {
    await go(p, `${base}/q/${tokCounter}`);
    await Promise.all([p.waitForNavigation(),
      p.evaluate(() => HTMLFormElement.prototype.submit.call(document.querySelector('form')))]);
    return p.doc();
  });
  // a low face, a comment and a call-back request: the thank-you page
  await visit(cit, 'form-thanks', async (p) => {
    await go(p, `${base}/q/${tokProc}`);
    await p.locator('label[for="level-2"]').click();
    await p.fill('#comment', 'Phải chờ lâu, xin liên hệ lại');
    if (await p.locator('#consent').count()) {
      await p.locator('#consent').check();
      await p.fill('#phone', '0912345678');
    }
    await Promise.all([p.waitForNavigation(), p.locator('form button[type=submit]').last().click()]);
    if (!p.url().includes('/q/')) throw new Error('not sent: ' + p.url());
    return p.doc();
  });
  await visit(cit, 'form-badlink', (p) => go(p, `${base}/q/khong-phai-ma-hop-le`, 404));
  await visit(cit, 'poster', (p) => go(p, `${base}/poster/${tokCounter}`));
  await visit(cit, 'public', (p) => go(p, `${base}/cong-khai?${m}`));
  await visit(cit, 'public-unit', (p) => go(p, `${base}/cong-khai/${UNIT}?${m}`));
  await visit(cit, 'login', (p) => go(p, `${base}/login`));
  await visit(cit, 'login-error', async (p) => {
    await go(p, `${base}/login`);
    await p.fill('#username', 'tinh');
    await p.fill('#password', 'sai mật khẩu');
    await Promise.all([p.waitForNavigation(), p.click('button[type=submit]')]);
    return p.doc();
  });

  // --- staff: an admin of the province sees every page -----------------
  const adm = await newPage('admin');
  await login(adm, 'tinh');
  // a review of the flagged procedure, so that the review pages have one
  let reviewUrl = null;
  try {
    await go(adm, `${A}/procedures/${P1}?${m}`);
    const due = new Date(Date.now() + 7 * 86400e3 + 7 * 3600e3).toISOString().slice(0, 10);
    await adm.selectOption('#owner', 'quanly');
    await adm.fill('#due', due);
    await adm.fill('#notes', 'Tỷ lệ hài lòng thấp ở quầy 1: xem lại quy trình');
    await Promise.all([adm.waitForNavigation(), adm.click('form.review button[type=submit]')]);
    if (/\/reviews\/\d+/.test(adm.url())) reviewUrl = adm.url().split('?')[0];
    else throw new Error('no review page: ' + adm.url());
  } catch (e) {
    fail('review', 1366, 'open', 'opening a review: ' + String(e.message).split('\n')[0]);
  }
  // a report built in the console, so the reports page lists one
  let reportUrl = null;
  try {
    await go(adm, `${A}/reports?${m}`);
    const build = adm.locator('form:has(input[name=action][value=build]) button[type=submit]').first();
    await Promise.all([adm.waitForNavigation(), build.click()]);
    await go(adm, `${A}/reports?${m}`);
    const link = adm.locator('a[href*="/reports/"][href$=".html"]').first();
    if (await link.count()) reportUrl = base + await link.getAttribute('href');
    else throw new Error('no report.html link on the reports page');
  } catch (e) {
    fail('report', 1366, 'open', 'building a report: ' + String(e.message).split('\n')[0]);
  }

  const pages = [
    ['overview-province', `${base}/admin/units/H21?${m}`],
    ['overview', `${A}?${m}`],
    ['procedures', `${A}/procedures?${m}`],
    ['procedure', `${A}/procedures/${P1}?${m}`],
    ['counters', `${A}/counters?${m}`],
    ['officers', `${A}/officers?${m}`],
    ['reviews', `${A}/reviews`],
    ['comments', `${A}/comments?${m}`],
    ['kiosks', `${A}/kiosks`],
    ['qr', `${A}/qr`],
    ['qr-counter', `${A}/qr?counter=1&procedure=${P1}`],
    ['ballots', `${A}/ballots`],
    ['audit', `${A}/audit`],
    ['users', `${A}/users`],
    ['reports', `${A}/reports?${m}`],
    ['alerts', `${A}/alerts`],
    ['setup', `${A}/setup`],
    ['setup-province', `${base}/admin/units/H21/setup`],
    ['setup-counters', `${A}/setup/counters`],
    ['setup-counter-disable', `${A}/setup/counters/3/disable`],
    ['setup-officers', `${A}/setup/officers`],
    ['setup-officer-disable', `${A}/setup/officers/VC04/disable`],
    ['setup-procedures', `${A}/setup/procedures?q=${encodeURIComponent('hộ tịch')}`],
    ['setup-duty', `${A}/setup/duty`],
    ['setup-instrument', `${base}/admin/units/H21/setup/instrument`],
    ['setup-unit-disable', `${A}/setup/disable`],
    ['password', `${base}/account/password`],
    ['error-400', `${A}?month=thang-muoi-ba`, 400],
    ['error-404', `${base}/admin/units/H99.999`, 404],
  ];
  for (const [name, url, status] of pages)
    await visit(adm, name, (p) => go(p, url, status || 200));
  await visit(adm, 'review-new', async (p) => {
    await go(p, `${A}/procedures/${P1}?${m}`);
    const a = p.locator('a[href*="/reviews/new"]').first();
    if (await a.count()) return go(p, base + await a.getAttribute('href'));
    return go(p, `${A}/reviews/new?procedure=${P1}&${m}`);
  });
  if (reviewUrl) await visit(adm, 'review', (p) => go(p, reviewUrl));
  // the call-back the citizen asked for, from the comments (or its queue)
  await visit(adm, 'callback', async (p) => {
    await go(p, `${A}/comments?${m}`);
    let a = p.locator('a[href*="/callbacks/"]').first();
    if (!await a.count()) {
      await go(p, `${A}/comments`);
      a = p.locator('a[href*="/callbacks/"]').first();
    }
    if (!await a.count()) throw new Error('no link to a call-back on the comments page');
    return go(p, base + await a.getAttribute('href'));
  });
  await visit(adm, 'callbacks', async (p) => {
    const r = await p.goto(`${A}/callbacks`);
    if (r.status() === 404) throw new Error('no call-back queue (/callbacks answers 404)');
    if (r.status() !== 200) throw new Error('/callbacks answered ' + r.status());
    return r;
  });
  // the report as the province reads it (served as a download: shown
  // in the browser instead, with the server's own headers otherwise)
  if (reportUrl) {
    await visit(adm, 'report-html', async (p) => {
      await p.route(reportUrl, async (route) => {
        const res = await route.fetch();
        const headers = { ...res.headers() };
        delete headers['content-disposition'];
        await route.fulfill({ response: res, headers });
      });
      try {
        return await go(p, reportUrl);
      } finally {
        await p.unroute(reportUrl);
      }
    });
  }

  // --- the other roles: what differs for them ---------------------------
  const mgr = await newPage('manager');
  await login(mgr, 'quanly');
  await visit(mgr, 'manager-overview', (p) => go(p, `${A}?${m}`));
  await visit(mgr, 'manager-setup', (p) => go(p, `${A}/setup`));
  const vwr = await newPage('viewer');
  await login(vwr, 'xem');
  await visit(vwr, 'viewer-overview', (p) => go(p, `${A}?${m}`));
  await visit(vwr, 'viewer-procedure', (p) => go(p, `${A}/procedures/${P1}?${m}`));
  if (reviewUrl) await visit(vwr, 'viewer-review', (p) => go(p, reviewUrl));
  await visit(vwr, 'viewer-forbidden', (p) => go(p, `${A}/counters?${m}`, 403));
  const rep = await newPage('reporter');
  await login(rep, 'baocao');
  await visit(rep, 'reporter-reports', (p) => go(p, `${A}/reports?${m}`));

  // --- the kiosk, each step of the flow ---------------------------------
  const kp = await newPage('kiosk');
  // the thanks screen goes back to the start after a few seconds: while
  // window.__hold is set, the page's long timers (the idle reset) are not
  // started, so the screen stays while it is looked at
  await kp.addInitScript(() => {
    const later = window.setTimeout;
    window.setTimeout = (fn, ms, ...rest) =>
      (window.__hold && ms >= 1500 ? 0 : later(fn, ms, ...rest));
  });
  const kioskStart = async (p) => {
    const r = await go(p, kiosk.base + '/');
    await p.waitForSelector('#ask:not([hidden]) .face');
    return r;
  };
  await visit(kp, 'kiosk-ask', kioskStart, KIOSK_SIZES);
  await visit(kp, 'kiosk-why', async (p) => {
    const r = await kioskStart(p);
    await p.click('.face.f2');
    await p.waitForSelector('#why:not([hidden]) .reason');
    await p.click('.reason >> nth=0');
    return r;
  }, KIOSK_SIZES);
  await visit(kp, 'kiosk-thanks', async (p) => {
    const r = await kioskStart(p);
    await p.evaluate(() => { window.__hold = true; });
    await p.click('.face.f5');
    await p.waitForSelector('#thanks:not([hidden])');
    return r;
  }, KIOSK_SIZES);
  hailong('counter', 'disable', '--db', srv.db, '--unit', UNIT, '--number', '1');
  await until('the kiosk to learn its counter closed', async () => {
    const j = await (await fetch(kiosk.base + '/api/local/config')).json();
    return j.counter && j.counter.active === false;
  });
  await visit(kp, 'kiosk-closed', async (p) => {
    const r = await go(p, kiosk.base + '/');
    await p.waitForSelector('#closed:not([hidden])');
    return r;
  }, KIOSK_SIZES);
  // the citizen form of a closed counter
  await visit(cit, 'form-closed', (p) => go(p, `${base}/q/${tokCounter}`, 410));
} catch (e) {
  fail('(run)', 0, 'open', String(e.stack || e));
} finally {
  if (browser) await browser.close();
  if (kiosk) {
    kiosk.proc.kill('SIGTERM');
    await new Promise((r) => kiosk.proc.on('exit', r));
  }
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------
// The table: one row a page and size, one column a check.
const rows = [];
const key = (p, s) => `${p}-${s}`;
const seenRow = new Set();
for (const r of ran.concat(failures.map((f) => ({ page: f.page, size: f.size })))) {
  if (seenRow.has(key(r.page, r.size))) continue;
  seenRow.add(key(r.page, r.size));
  rows.push(r);
}
const lines = [];
lines.push(`| page | ${CHECKS.join(' | ')} |`);
lines.push(`|---|${CHECKS.map(() => '---').join('|')}|`);
for (const r of rows) {
  const cells = CHECKS.map((c) => {
    const n = failures.filter((f) => f.page === r.page && f.size === r.size && f.check === c).length;
    return n ? `**FAIL** (${n})` : 'ok';
  });
  lines.push(`| ${key(r.page, r.size)} | ${cells.join(' | ')} |`);
}
lines.push('');
for (const f of failures)
  lines.push(`- ${key(f.page, f.size)} ${f.check}: ${f.detail}`);
const secs = Math.round((Date.now() - started) / 1000);
const bad = new Set(failures.map((f) => key(f.page, f.size))).size;
const summary = `# e2e screens pages=${rows.length} failing=${bad} ` +
  `failures=${failures.length} seconds=${secs} failed=${failures.length ? 1 : 0}`;
mkdirSync(SHOTS, { recursive: true });
writeFileSync(join(SHOTS, 'report.md'), `# Screens (${MONTH} data)\n\n` +
  lines.join('\n') + '\n\n' + summary + '\n');
console.log(lines.join('\n'));
console.log(summary);
process.exit(failures.length ? 1 : 0);
