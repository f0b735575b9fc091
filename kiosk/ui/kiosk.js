// kiosk.js -- the touch page: faces, reasons for a low score, thanks, reset.
//
// Every tap is posted to the kiosk itself at once (POST /api/local/ratings)
// and answered only once it is in the outbox, so a citizen who walks away
// from the reasons screen, a crash or a power cut lose nothing.  A low
// score is posted with reasons_follow, and the reasons follow in a second
// post; the kiosk holds the rating back until then.  No screen ever says
// which face was pressed.
//
// The dossier the counter serves now (the one-stop system told the
// server, the kiosk asks it) is shown on the first screen as "Hồ sơ đang
// phục vụ" and goes with the next rating, with its serial so that the
// kiosk never shows it again; the idle reset lets it go the same way.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  // the mouth bends from a frown (1) to a wide smile (5), as on the QR form
  const CORNER = [0, 23, 22, 21, 20, 19];
  const BEND = [0, 14, 17, 21, 25, 28];
  const LOW = 2;

  // The words of the screens' questions, the thanks and the closed and
  // error screens are not here: they come from /speech.txt, the list the
  // spoken prompts are made from at build time, so what the kiosk says is
  // what it shows.
  const WORDS = {
    vi: {
      lang: 'English',
      speak: 'Đọc to',
      big: 'Chữ lớn',
      dossier: 'Mã hồ sơ (quét mã vạch trên giấy biên nhận, nếu có)',
      serving: 'Hồ sơ đang phục vụ: ',
      dossierOk: 'Đã nhận mã hồ sơ',
      dossierBad: 'Mã hồ sơ không hợp lệ, vui lòng quét lại',
      phone: 'Đánh giá chi tiết trên điện thoại',
      who: 'Ông/Bà là (không bắt buộc)',
      citizen: 'Người dân',
      business: 'Doanh nghiệp',
      assisted: 'Có người hỗ trợ nhập đánh giá',
      send: 'Gửi đánh giá',
      skip: 'Bỏ qua',
    },
    en: {
      lang: 'Tiếng Việt',
      speak: 'Read aloud',
      big: 'Large text',
      dossier: 'Dossier code (scan the barcode on your receipt, if any)',
      serving: 'Dossier being served: ',
      dossierOk: 'Dossier code received',
      dossierBad: 'This is not a dossier code; please scan again',
      phone: 'Rate in detail on your phone',
      who: 'You are (optional)',
      citizen: 'A citizen',
      business: 'A business',
      assisted: 'Someone helped enter this rating',
      send: 'Send',
      skip: 'Skip',
    },
  };

  let config = null;
  let lang = 'vi';
  let idleTimer = 0;
  let busy = false;
  let pendingId = null;   // the low rating whose reasons are asked
  let dossier = '';       // a valid mã hồ sơ, or ''
  let served = null;      // {dossier, serial} the counter serves, shown
  let wedge = '';         // keys typed by a barcode scanner
  let wedgeAt = 0;
  let requester = '';     // 'citizen', 'business' or '' (not said)
  let assisted = false;   // a helper entered the rating for the citizen
  // /speech.txt: speech[lang][element id] = text; clips[lang][screen] =
  // the ids of the screen's spoken texts, in order
  let speech = null;
  let clips = null;

  const $ = (id) => document.getElementById(id);

  function text(t) {
    if (!t) return '';
    return t[lang] || t.vi || '';
  }

  // A mã hồ sơ: <agency>-<YYMMDD>-<4..7 digits>, with a real date.
  function isDossier(s) {
    const m = /^([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)-(\d{2})(\d{2})(\d{2})-(\d{4,7})$/.exec(s);
    if (!m || m[1].length < 2 || m[1].length > 40) return false;
    const y = 2000 + Number(m[2]), mo = Number(m[3]), d = Number(m[4]);
    if (mo < 1 || mo > 12 || d < 1) return false;
    return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
  }

  // The server said the counter (or its unit) was disabled.
  function closed() {
    return !!(config && config.counter && config.counter.active === false);
  }

  function current() {
    const s = document.querySelector('.screen:not([hidden])');
    return s ? s.id : '';
  }

  function show(id) {
    hush();
    for (const s of document.querySelectorAll('.screen')) s.hidden = s.id !== id;
    speaker();
  }

  // --- speech: the words of speech.txt, shown and spoken ---------------

  async function loadSpeech() {
    if (speech) return;
    try {
      const r = await fetch('/speech.txt', { cache: 'no-store' });
      if (!r.ok) return;
      const words = { vi: {}, en: {} };
      const order = { vi: {}, en: {} };
      for (const line of (await r.text()).split('\n')) {
        if (line === '' || line[0] === '#') continue;
        const [screen, id, l, ...rest] = line.split('\t');
        if (!rest.length || !words[l]) continue;
        words[l][id] = rest.join('\t');
        (order[l][screen] = order[l][screen] || []).push(id);
      }
      speech = words;
      clips = order;
    } catch (e) {
      // the kiosk itself is restarting: the page's own texts stay
    }
  }

  function said(id) {
    return (speech && speech[lang] && speech[lang][id]) || '';
  }

  // The screen's clip, when every text it speaks is the text shown (the
  // server's questionnaire may word the question otherwise: then silent).
  function clipOf(screen) {
    const ids = clips && clips[lang] && clips[lang][screen];
    if (!ids || !ids.length) return '';
    for (const id of ids) {
      const e = $(id);
      if (!e || e.textContent !== said(id)) return '';
    }
    return '/audio/' + screen + '-' + lang + '.wav';
  }

  function speaker() {
    const b = $('speak');
    const url = clipOf(current());
    b.hidden = !url;
    b.dataset.clip = url;
    b.classList.remove('playing');
  }

  function hush() {
    const a = $('voice');
    if (!a.paused) a.pause();
    $('speak').classList.remove('playing');
  }

  function speak() {
    const url = $('speak').dataset.clip;
    if (!url) return;
    const a = $('voice');
    const screen = current();
    // thanks and the error screen wait for the voice before moving on
    if (screen === 'thanks' || screen === 'oops') clearTimeout(idleTimer);
    if (a.getAttribute('src') !== url) a.setAttribute('src', url);
    a.currentTime = 0;
    $('speak').classList.add('playing');
    const p = a.play();
    if (p) p.catch(() => spoken());
  }

  // the voice ended, or could not play
  function spoken() {
    $('speak').classList.remove('playing');
    const screen = current();
    if (screen === 'thanks' || screen === 'oops') idle(2);
  }

  // --- large text, high contrast: for this citizen only ------------------

  function setBig(on) {
    document.documentElement.classList.toggle('big', on);
    $('big').setAttribute('aria-pressed', on ? 'true' : 'false');
  }

  // --- who rated (optional): one tap each, a second tap undoes ---------

  function whoShow() {
    for (const b of document.querySelectorAll('[data-requester]'))
      b.setAttribute('aria-pressed', b.dataset.requester === requester ? 'true' : 'false');
    $('assisted').setAttribute('aria-pressed', assisted ? 'true' : 'false');
  }

  function face(level) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'face f' + level;
    b.dataset.level = String(level);
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 32 32');
    svg.setAttribute('aria-hidden', 'true');
    const parts = [
      ['circle', { class: 'head', cx: 16, cy: 16, r: 15 }],
      ['circle', { class: 'eye', cx: 11, cy: 12, r: 2 }],
      ['circle', { class: 'eye', cx: 21, cy: 12, r: 2 }],
      ['path', { class: 'mouth', d: `M9 ${CORNER[level]}Q16 ${BEND[level]} 23 ${CORNER[level]}` }],
    ];
    for (const [tag, attrs] of parts) {
      const e = document.createElementNS(SVG, tag);
      for (const k in attrs) e.setAttribute(k, String(attrs[k]));
      svg.appendChild(e);
    }
    const label = document.createElement('span');
    label.textContent = text(config.labels && config.labels[String(level)]);
    b.append(svg, label);
    b.addEventListener('click', () => tap(level));
    return b;
  }

  function render() {
    const w = WORDS[lang];
    document.documentElement.lang = lang;
    $('lang').textContent = w.lang;
    $('speak-label').textContent = w.speak;
    $('big-label').textContent = w.big;
    // the questionnaire's question, as the server words it; else ours
    const q = text(config.question) || said('question');
    if (q) $('question').textContent = q;
    const place = [];
    if (config.unit && config.unit.name) place.push(config.unit.name);
    if (config.counter && config.counter.name) place.push(config.counter.name);
    $('place').textContent = place.join(' — ');
    const faces = $('faces');
    faces.replaceChildren(...(config.levels || [5, 4, 3, 2, 1]).map(face));
    faces.dataset.count = String(faces.children.length);
    $('dossier-label').textContent = w.dossier;
    $('phone-caption').textContent = w.phone;
    $('who-label').textContent = w.who;
    $('req-citizen').textContent = w.citizen;
    $('req-business').textContent = w.business;
    $('assisted').textContent = w.assisted;
    $('send').textContent = w.send;
    $('skip').textContent = w.skip;
    for (const id of ['why-title', 'why-hint', 'thanks-title', 'thanks-text',
      'oops-title', 'oops-text', 'closed-title', 'closed-text']) {
      const t = said(id);
      if (t) $(id).textContent = t;
    }
    const reasons = $('reasons');
    reasons.replaceChildren(...(config.reasons || []).map((r) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'reason';
      b.dataset.code = r.code;
      b.setAttribute('aria-pressed', 'false');
      b.textContent = text(r);
      b.addEventListener('click', () => {
        b.setAttribute('aria-pressed', b.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
      });
      return b;
    }));
    dossierMessage();
    servingMessage();
    whoShow();
    speaker();
  }

  function servingMessage() {
    const p = $('serving');
    p.hidden = !served;
    p.textContent = served ? WORDS[lang].serving + served.dossier : '';
  }

  // Ask the kiosk every second while the first screen waits; a dossier
  // that changes under a citizen's finger is not swapped mid-rating.
  async function pollServing() {
    if ($('ask').hidden || busy) return;
    let s = null;
    try {
      const r = await fetch('/api/local/serving', { cache: 'no-store' });
      if (r.ok) s = await r.json();
    } catch (e) {
      return;
    }
    if ($('ask').hidden || busy) return;
    const next = s && s.dossier && isDossier(s.dossier) && s.serial > 0
      ? { dossier: s.dossier, serial: s.serial } : null;
    if ((next && next.serial) !== (served && served.serial)) {
      served = next;
      servingMessage();
    }
  }

  // The idle reset: a served dossier shown to nobody who rated is let go.
  function letServedGo() {
    if (!served) return;
    const serial = served.serial;
    served = null;
    post('/api/local/serving', { serial }).catch(() => {});
  }

  function dossierMessage() {
    const msg = $('dossier-msg');
    const v = $('dossier').value.trim();
    msg.className = 'msg';
    msg.textContent = '';
    if (v === '') return;
    if (isDossier(v)) {
      msg.classList.add('good');
      msg.textContent = WORDS[lang].dossierOk;
    } else {
      msg.classList.add('bad');
      msg.textContent = WORDS[lang].dossierBad;
    }
  }

  function takeDossier(v) {
    v = v.trim();
    $('dossier').value = v;
    dossier = isDossier(v) ? v : '';
    dossierMessage();
  }

  async function loadConfig() {
    await loadSpeech();
    try {
      const r = await fetch('/api/local/config', { cache: 'no-store' });
      if (r.ok) config = await r.json();
    } catch (e) {
      // the kiosk itself is restarting: keep what we have
    }
    if (!config) config = { levels: [5, 4, 3, 2, 1], labels: {}, reasons: [], reset_seconds: 30, thanks_seconds: 5 };
    $('phone').hidden = !config.qr;
    if (config.qr) $('qr').src = '/api/local/qr.svg';
    render();
  }

  async function post(path, body) {
    const r = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error('status ' + r.status);
    return r.json();
  }

  function idle(seconds, reset) {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (reset) letServedGo();
      start();
    }, seconds * 1000);
  }

  function start() {
    clearTimeout(idleTimer);
    pendingId = null;
    busy = false;
    lang = 'vi';
    dossier = '';
    served = null;
    requester = '';
    assisted = false;
    // the next citizen starts with the normal text and colours
    setBig(false);
    hush();
    $('dossier').value = '';
    $('dossier').blur();
    loadConfig().then(() => show(closed() ? 'closed' : 'ask'));
  }

  // A counter closed (or opened) while the first screen waits: look again
  // every minute, without disturbing a citizen half-way through.
  async function recheck() {
    if ($('ask').hidden && $('closed').hidden) return;
    const was = closed();
    await loadConfig();
    if (closed() !== was) start();
  }

  function thanks() {
    pendingId = null;
    busy = false;
    show('thanks');
    idle(config.thanks_seconds || 5);
  }

  function oops() {
    busy = false;
    show('oops');
    idle(config.thanks_seconds || 5);
  }

  async function tap(level) {
    if (busy) return;
    busy = true;
    const ask = level <= LOW && (config.reasons || []).length > 0;
    const body = { level };
    if (requester) body.requester = requester;
    if (assisted) body.assisted = true;
    if (dossier) body.dossier = dossier;
    else if (served) body.dossier = served.dossier;
    if (served) body.serving = served.serial;
    served = null;
    if (ask) body.reasons_follow = true;
    try {
      const r = await post('/api/local/ratings', body);
      if (ask) {
        pendingId = r.id;
        busy = false;
        for (const b of document.querySelectorAll('.reason')) b.setAttribute('aria-pressed', 'false');
        show('why');
        idle(config.reset_seconds || 30, true);
      } else {
        thanks();
      }
    } catch (e) {
      oops();
    }
  }

  async function sendReasons(skip) {
    if (busy || !pendingId) return;
    busy = true;
    const reasons = skip ? [] : [...document.querySelectorAll('.reason[aria-pressed="true"]')].map((b) => b.dataset.code);
    try {
      await post('/api/local/ratings/' + pendingId + '/reasons', { reasons });
    } catch (e) {
      // the rating itself is saved already; only the reasons were late
    }
    thanks();
  }

  // A keyboard-wedge scanner types the receipt's barcode and Enter,
  // fast, wherever the focus is.
  function onKey(e) {
    if (e.target === $('dossier')) {
      if (e.key === 'Enter') takeDossier($('dossier').value);
      return;
    }
    const now = Date.now();
    if (now - wedgeAt > 500) wedge = '';
    wedgeAt = now;
    if (e.key === 'Enter') {
      if (wedge.length >= 6) takeDossier(wedge);
      wedge = '';
    } else if (e.key.length === 1 && wedge.length < 64) {
      wedge += e.key;
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('lang').addEventListener('click', () => {
      lang = lang === 'vi' ? 'en' : 'vi';
      render();
    });
    $('speak').addEventListener('click', speak);
    $('voice').addEventListener('ended', spoken);
    $('voice').addEventListener('error', spoken);
    $('voice').addEventListener('pause', spoken);
    $('big').addEventListener('click', () => {
      setBig(!document.documentElement.classList.contains('big'));
    });
    for (const b of document.querySelectorAll('[data-requester]')) {
      b.addEventListener('click', () => {
        requester = requester === b.dataset.requester ? '' : b.dataset.requester;
        whoShow();
      });
    }
    $('assisted').addEventListener('click', () => {
      assisted = !assisted;
      whoShow();
    });
    $('send').addEventListener('click', () => sendReasons(false));
    $('skip').addEventListener('click', () => sendReasons(true));
    $('dossier').addEventListener('change', () => takeDossier($('dossier').value));
    $('thanks').addEventListener('click', start);
    $('oops').addEventListener('click', start);
    document.addEventListener('keydown', onKey);
    // any touch on a screen other than the first restarts its idle time
    document.addEventListener('pointerdown', () => {
      if (!$('ask').hidden) return;
      if (!$('why').hidden) idle(config.reset_seconds || 30, true);
    });
    // the first screen returns to Vietnamese and a clean state when idle
    document.addEventListener('pointerdown', () => {
      if (!$('ask').hidden) idle(config.reset_seconds || 30, true);
    }, true);
    start();
    setInterval(recheck, 60000);
    setInterval(pollServing, 1000);
  });
})();
