/* Loa web chat widget: one <script> tag, no dependencies, no build. See docs/channels/webchat.md.
 * Server text is only ever set with textContent (never innerHTML), and only http(s) links are made. */
(function () {
  'use strict';
  const script = document.currentScript || document.querySelector('script[src*="loa-widget.js"]');
  if (!script || window.LoaWidget) return;
  const ds = script.dataset;
  const base = (ds.loaServer || new URL(script.src, location.href).origin).replace(/\/+$/, '');
  const api = base + '/webchat/api';
  const KEY = 'loa-webchat:' + base;
  const TITLE = ds.loaTitle || 'Hỏi đáp chính sách';
  const INTRO = ds.loaIntro || 'Xin chào! Bạn hãy đặt câu hỏi về thủ tục, chính sách. Câu trả lời dựa trên văn bản chính thức và có ghi nguồn. Vui lòng không nhập số CCCD hay thông tin cá nhân.';
  const BUBBLE = 'Mở hộp hỏi đáp';

  // --- state kept in the browser: session, token, last seen seq, rated answers, used buttons
  let st = {};
  try { st = JSON.parse(localStorage.getItem(KEY)) || {}; } catch { /* storage disabled */ }
  st.rated = st.rated || {};
  st.chosen = st.chosen || {};
  const save = () => { try { localStorage.setItem(KEY, JSON.stringify(st)); } catch { /* memory only */ } };
  const uid = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  /** Builds an element; strings become text nodes, so server text can never become markup. */
  function h(tag, attrs, kids, ns) {
    const el = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const k in attrs || {}) el.setAttribute(k, attrs[k]);
    [].concat(kids == null ? [] : kids).forEach((c) => el.append(c));
    return el;
  }
  const httpUrl = (u) => { try { return /^https?:$/.test(new URL(u).protocol) ? u : null; } catch { return null; } };

  // --- the DOM, inside a shadow root so the portal's CSS cannot break it
  const host = h('div', { 'data-loa-widget': '' });
  const shadow = host.attachShadow({ mode: 'open' });
  // lang: the portal page may be in another language; screen readers then read Vietnamese correctly.
  const wrap = h('div', { class: 'loa', lang: 'vi', hidden: '' });
  const css = h('link', { rel: 'stylesheet', href: base + '/webchat/loa-widget.css' });
  css.onload = css.onerror = () => wrap.removeAttribute('hidden');
  const bubble = h('button', { type: 'button', class: 'bubble', 'aria-label': BUBBLE, 'aria-expanded': 'false', 'aria-controls': 'loa-panel' });
  const SVG = 'http://www.w3.org/2000/svg';
  bubble.append(h('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true' },
    h('path', { d: 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z' }, null, SVG), SVG));
  const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Đóng hộp hỏi đáp' }, '×');
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', tabindex: '0', 'aria-label': 'Nội dung trò chuyện' }, h('p', { class: 'intro' }, INTRO));
  const status = h('p', { class: 'status', role: 'status' });
  const input = h('textarea', { id: 'loa-input', rows: '2', maxlength: '2000', placeholder: 'Nhập câu hỏi của bạn…' });
  const human = h('button', { type: 'button', class: 'human' }, 'Gặp cán bộ');
  const form = h('form', { class: 'composer' }, [
    h('label', { class: 'sr', for: 'loa-input' }, 'Câu hỏi của bạn'), input,
    h('div', { class: 'actions' }, [human, h('button', { type: 'submit', class: 'send' }, 'Gửi')]),
  ]);
  // A div, not <header>: the portal has its own banner landmark, the widget must not add a second.
  const panel = h('section', { id: 'loa-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'loa-title', hidden: '' }, [
    h('div', { class: 'head' }, [h('h2', { id: 'loa-title' }, TITLE), close]), log, status, form,
  ]);
  wrap.append(bubble, panel);
  shadow.append(css, wrap);
  if (document.body) document.body.append(host);
  else document.addEventListener('DOMContentLoaded', () => document.body.append(host));

  // --- transcript
  const seen = {};
  const pending = {};
  let lastSeq = 0;
  let isOpen = false;

  function markUnread(on) {
    bubble.classList.toggle('unread', on);
    bubble.setAttribute('aria-label', on ? BUBBLE + ' (có tin nhắn mới)' : BUBBLE);
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  /** Who speaks, for screen readers (sighted users see it from the bubble's side and colour). */
  function speaker(mine) { return h('span', { class: 'sr' }, mine ? 'Bạn: ' : 'Loa: '); }

  function feedback(answerId) {
    const thanks = h('span', { class: 'thanks', role: 'status' });
    const buttons = [['up', '👍', 'Hữu ích'], ['down', '👎', 'Chưa hữu ích']].map(([value, icon, label]) => {
      const b = h('button', { type: 'button', 'aria-label': label, title: label }, icon);
      b.onclick = async () => {
        done(value);
        input.focus();
        if (!(await post({ feedback: { answerId, value } }))) { delete st.rated[answerId]; done(null); }
      };
      return b;
    });
    function done(value) {
      buttons.forEach((b, i) => {
        b.disabled = !!value;
        b.setAttribute('aria-pressed', String(value === (i ? 'down' : 'up')));
      });
      if (value) st.rated[answerId] = value;
      save();
      thanks.textContent = value ? 'Cảm ơn bạn đã phản hồi!' : '';
    }
    if (st.rated[answerId]) done(st.rated[answerId]);
    return h('div', { class: 'fb' }, buttons.concat(thanks));
  }

  /** Loa's buttons under a message (clarify options, "Xem thêm", "Gặp cán bộ", why 👎): one press per message. */
  function actions(m) {
    const list = m.actions.filter((a) => a && typeof a.id === 'string' && typeof a.label === 'string');
    const buttons = list.map((a) => {
      const b = h('button', { type: 'button', class: a.kind === 'human' ? 'act human-act' : 'act' }, a.label);
      b.onclick = async () => {
        done(a.id);
        input.focus();
        if (!(await say(a.label, { choice: { id: a.id, label: a.label } }))) done(null);
      };
      return b;
    });
    function done(id) {
      buttons.forEach((b, i) => {
        b.disabled = !!id;
        b.setAttribute('aria-pressed', String(list[i].id === id));
      });
      if (id) st.chosen[m.seq] = id;
      else delete st.chosen[m.seq];
      save();
    }
    if (st.chosen[m.seq]) done(st.chosen[m.seq]);
    return h('div', { class: 'acts', role: 'group', 'aria-label': 'Lựa chọn' }, buttons);
  }

  function sources(citations) {
    return h('div', { class: 'src' }, [h('p', null, 'Nguồn:'), h('ol', null, citations.map((c) => {
      const url = httpUrl(c.url);
      const label = url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, c.label) : h('span', null, c.label);
      const li = h('li', null, ['[' + c.n + '] ', label]);
      if (c.quote) li.append(h('details', null, [h('summary', null, 'Xem trích dẫn'), h('blockquote', null, c.quote)]));
      return li;
    }))]);
  }

  /** Shows one transcript message (each seq once); the citizen's own message replaces its optimistic copy. */
  function render(m) {
    if (!m || typeof m.seq !== 'number' || seen[m.seq]) return;
    seen[m.seq] = 1;
    lastSeq = Math.max(lastSeq, m.seq);
    const mine = pending[m.clientMessageId];
    delete pending[m.clientMessageId];
    // (Detached when a reset emptied the log meanwhile: then it is drawn anew.)
    if (mine && mine.isConnected) return mine.classList.remove('pending');
    const el = h('div', { class: 'msg ' + String(m.kind).replace(/[^a-z_]/g, '') });
    if (m.kind === 'spokesperson_reply') el.append(h('p', { class: 'who' }, 'Trả lời của cán bộ'));
    else el.append(speaker(m.kind === 'user'));
    el.append(h('p', { class: 'text' }, String(m.text)));
    if (Array.isArray(m.citations) && m.citations.length) el.append(sources(m.citations));
    if (Array.isArray(m.actions) && m.actions.length) el.append(actions(m));
    if (m.kind === 'answer' && m.answerId) el.append(feedback(String(m.answerId)));
    log.append(el);
    if (m.kind !== 'user') status.textContent = '';
    if (isOpen) { st.seq = lastSeq; save(); scrollDown(); } else if (m.kind !== 'user' && m.seq > (st.seq || 0)) markUnread(true);
  }

  // --- server
  let creating = null;
  function ensureSession() {
    if (st.sessionId) return Promise.resolve();
    creating = creating || fetch(api + '/sessions', { method: 'POST' })
      .then((r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then((j) => { Object.assign(st, { sessionId: j.sessionId, token: j.token, seq: 0 }); save(); if (isOpen) connect(); })
      .finally(() => { creating = null; });
    return creating;
  }

  /** Forgets a session the server no longer knows (401) and empties the transcript. */
  function reset() {
    st = { rated: {}, chosen: {} };
    save();
    if (es) es.close();
    es = null;
    lastSeq = 0;
    for (const k in seen) delete seen[k];
    while (log.children.length > 1) log.lastChild.remove();
  }

  /** Sends one message; retries with the same clientMessageId (the server treats repeats as one). */
  async function post(payload, clientMessageId) {
    try {
      await ensureSession();
      const body = Object.assign({ sessionId: st.sessionId, clientMessageId: clientMessageId || uid() }, payload);
      for (let i = 0; ; i++) {
        const r = await fetch(api + '/messages', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + st.token },
          body: JSON.stringify(body),
        }).catch(() => null);
        if (r && r.ok) return true;
        if (r && r.status === 401 && i === 0) { reset(); await ensureSession(); body.sessionId = st.sessionId; continue; }
        if ((r && r.status < 500 && r.status !== 429) || i >= 3) return false;
        await sleep(1000 * 2 ** i);
      }
    } catch {
      return false;
    }
  }

  /** Fetches what the stream missed (also the fallback where EventSource is missing). */
  async function catchUp() {
    const r = await fetch(api + '/messages?sessionId=' + encodeURIComponent(st.sessionId) + '&after=' + lastSeq,
      { headers: { Authorization: 'Bearer ' + st.token } }).catch(() => null);
    if (r && r.status === 401) return reset();
    if (r && r.ok) (await r.json()).messages.forEach(render);
  }

  let es = null;
  function connect() {
    if (!st.sessionId) return;
    if (es) es.close();
    if (!window.EventSource) {
      catchUp().finally(() => setTimeout(() => { if (isOpen) connect(); }, 5000));
      return;
    }
    es = new EventSource(api + '/events?sessionId=' + encodeURIComponent(st.sessionId) + '&token=' + encodeURIComponent(st.token) + '&after=' + lastSeq);
    es.onmessage = (e) => { try { render(JSON.parse(e.data)); } catch { /* ignore a bad event */ } };
    // The browser retries network errors itself; CLOSED means the server refused (401, 429 …).
    es.onerror = function () {
      if (this.readyState !== 2 || this !== es) return;
      es = null;
      catchUp().finally(() => setTimeout(() => { if (!es && isOpen) connect(); }, 5000));
    };
  }

  // --- user actions
  /** Shows the citizen's message at once (confirmed when the server echoes it), then sends it. */
  async function say(text, payload) {
    const id = uid();
    const el = h('div', { class: 'msg user pending' }, [speaker(true), h('p', { class: 'text' }, text)]);
    pending[id] = el;
    log.append(el);
    scrollDown();
    status.textContent = 'Đang xử lý…';
    if (!(await post(payload, id))) {
      delete pending[id];
      el.classList.replace('pending', 'failed');
      el.append(h('p', { class: 'err' }, 'Chưa gửi được. Vui lòng kiểm tra kết nối và thử lại.'));
      status.textContent = '';
      if (payload.text && !input.value) input.value = payload.text;
      return false;
    }
    return true;
  }
  function submit() {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    say(text, { text });
  }

  function setOpen(open) {
    isOpen = open;
    panel.hidden = !open;
    // On a phone the open panel covers the bubble; the class hides it there, out of the tab order.
    wrap.classList.toggle('open', open);
    bubble.setAttribute('aria-expanded', String(open));
    if (!open) {
      // No event stream while closed: thousands of portal visitors would each hold a connection.
      if (es) es.close();
      es = null;
      return bubble.focus();
    }
    if (!es) connect();
    markUnread(false);
    st.seq = lastSeq;
    save();
    scrollDown();
    input.focus();
    if (!st.started) {
      st.started = true;
      post({ command: 'start' }).then((ok) => { if (!ok) st.started = false; save(); });
    }
  }

  bubble.onclick = () => setOpen(!isOpen);
  close.onclick = () => setOpen(false);
  human.onclick = () => say('Gặp cán bộ', { command: 'human' });
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); setOpen(false); } });
  input.addEventListener('keydown', (e) => {
    // isComposing: Vietnamese input methods (Telex/VNI) compose with Enter pending.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
  });
  form.onsubmit = (e) => { e.preventDefault(); submit(); };

  // A returning citizen gets the transcript (and replies that came meanwhile) at once, by one
  // request: the event stream opens only with the panel.
  if (st.sessionId) catchUp();

  /** For the host page: `LoaWidget.open()`, `LoaWidget.fill('câu hỏi')`. */
  window.LoaWidget = {
    open: () => setOpen(true),
    fill(text) { setOpen(true); input.value = String(text); input.focus(); },
  };
})();
