/* One escalated question: the citizen's words and earlier turns, the nearest official
 * passages (attachable as citations), claim / assign / close, and the answer editor whose
 * reply is shown as answered only once the channel delivered it. */
import { api, askKnowledge } from './console-api.js';
import { h, replace, safeUrl, uid } from './console-dom.js';
import { formatDateTime, t } from './console-i18n.js';
import { busy, channelBadge, citationCard, citationTitle, escalationStatusBadge, waitingText, zaloWindowText } from './console-ui.js';

const CLOSE_REASONS = ['duplicate', 'spam', 'out_of_remit', 'other'];

/** "duplicate" / "other: ghi chú" → localised label (+ note). */
function closedReasonText(reason) {
  if (!reason) return '';
  const [code, ...rest] = reason.split(': ');
  const label = CLOSE_REASONS.includes(code) ? t(`esc.closeReason.${code}`) : code;
  return rest.length ? `${label}: ${rest.join(': ')}` : label;
}

const DOC_STATUSES = ['in_force', 'amended', 'superseded', 'expired', 'unknown'];

/**
 * A citation as the reply API takes it: a candidate by id, anything else complete but within
 * the API's limits (http(s) links only, score 0..1, bounded text).
 */
function citationInput(c, candidates) {
  if (candidates.some((x) => x.id === c.id)) return { id: c.id };
  const out = { id: String(c.id).slice(0, 300), title: String(c.title).slice(0, 500), section: String(c.section || '—').slice(0, 300), quote: String(c.quote).slice(0, 5000) };
  if (c.number) out.number = String(c.number).slice(0, 100);
  const url = safeUrl(c.url);
  if (url && url.length <= 2000) out.url = url;
  if (DOC_STATUSES.includes(c.status)) out.status = c.status;
  if (typeof c.score === 'number' && Number.isFinite(c.score)) out.score = Math.max(0, Math.min(1, c.score));
  if (c.isSummary === true) out.isSummary = true;
  if (c.kind === 'faq' || c.kind === 'document') out.kind = c.kind;
  return out;
}

/** The person holding the question, if any. */
function holderOf(e) {
  return e.assignee || (e.status === 'claimed' ? e.answeredBy : undefined);
}

/** `/admin/inbox/:id` */
export async function renderEscalation(ctx) {
  const { root, user, live } = ctx;
  const id = ctx.params[0];
  ctx.setTitle(t('esc.title'));
  let e = await api.get(`/escalations/${encodeURIComponent(id)}`);
  if (!ctx.current()) return;
  live.markSeen(id);
  const history = Array.isArray(e.history) ? e.history : [];

  /** Citations attached to the answer, by id. */
  const attached = new Map((e.answerCitations || []).map((c) => [c.id, c]));
  const candidateButtons = new Map();

  // --- the parts that change with the escalation's state
  const metaRow = h('div', { class: 'esc-meta detail-meta' });
  const holderNote = h('p', { class: 'notice', role: 'status', hidden: true });
  const actions = h('div', { class: 'action-bar', role: 'group', 'aria-label': t('users.actions') });
  const closePanel = h('div', { class: 'close-panel', hidden: true });
  const answerSlot = h('section', { class: 'panel answer-panel', 'aria-labelledby': 'answer-h' });
  const deliveryState = h('div', { class: 'delivery', role: 'status', 'aria-live': 'polite' });

  // --- answer editor (built once: the draft survives live updates)
  const textarea = h('textarea', { id: 'answer-text', rows: '6', maxlength: '10000', 'aria-describedby': 'answer-hint', value: e.answerText || '' });
  const citeList = h('ul', { class: 'attached-list', 'aria-label': t('esc.citations') });
  const saveFaq = h('input', { type: 'checkbox', id: 'save-faq', 'aria-describedby': 'save-faq-hint' });
  const sendButton = h('button', { type: 'submit', class: 'btn btn-primary', text: t('esc.send') });
  const editorError = h('p', { class: 'form-error', role: 'alert' });
  const editor = h('form', { class: 'answer-form', novalidate: true },
    h('label', { for: 'answer-text', class: 'label-strong', text: t('esc.answer') }),
    h('p', { class: 'hint', id: 'answer-hint', text: t('esc.answerHint') }),
    textarea,
    h('h3', { class: 'h-small', text: t('esc.citations') }),
    citeList,
    h('div', { class: 'check' }, saveFaq, h('label', { for: 'save-faq', text: t('esc.saveFaq') })),
    h('p', { class: 'hint', id: 'save-faq-hint', text: t('esc.saveFaqHint') }),
    editorError,
    h('div', { class: 'actions' }, sendButton),
  );

  function drawAttached() {
    replace(citeList, attached.size === 0
      ? h('li', { class: 'muted', text: t('esc.noCitations') })
      : [...attached.values()].map((c) => h('li', { class: 'attached' },
        h('span', { class: 'attached-text' }, h('strong', { text: citationTitle(c) }), h('span', { text: ` — ${c.section || ''}` })),
        h('button', {
          type: 'button',
          class: 'btn btn-small',
          'aria-label': t('esc.removeLabel', { title: c.title, section: c.section || '' }),
          text: t('esc.remove'),
          onClick: () => toggleCitation(c, false),
        }),
      )));
    for (const [cid, button] of candidateButtons) {
      const on = attached.has(cid);
      button.setAttribute('aria-pressed', String(on));
      button.textContent = on ? `✓ ${t('esc.attached')}` : t('esc.attach');
    }
  }

  function toggleCitation(c, on) {
    if (on) attached.set(c.id, c);
    else attached.delete(c.id);
    drawAttached();
  }

  function drawMeta() {
    const wait = e.status === 'open' || e.status === 'claimed' ? h('span', { class: 'wait', text: waitingText(e.waitingSeconds) }) : null;
    const zalo = e.zaloWindow && (e.status === 'open' || e.status === 'claimed')
      ? h('span', { class: `zalo-window${e.zaloWindow.remainingSeconds > 0 ? '' : ' expired'}`, text: zaloWindowText(e.zaloWindow.remainingSeconds) })
      : null;
    replace(metaRow,
      channelBadge(e.channel),
      escalationStatusBadge(e.status),
      h('span', { class: 'muted', text: t('esc.receivedAt', { time: formatDateTime(e.createdAt) }) }),
      wait,
      zalo,
    );
  }

  /** Claim, assign and close are possible: open or claimed, and no reply on its way (`answering`, see domain/escalation.ts). */
  function mayWork() {
    return (e.status === 'open' || e.status === 'claimed') && e.deliveryStatus !== 'pending';
  }

  function heldByOther() {
    const holder = holderOf(e);
    return e.status === 'claimed' && holder && holder !== user.email;
  }

  function drawActions() {
    const holder = holderOf(e);
    holderNote.hidden = !(e.status === 'claimed' && holder);
    holderNote.textContent = holder === user.email ? t('esc.claimed') : t('esc.heldBy', { name: holder || '' });
    const buttons = [];
    if (mayWork()) {
      if (!holder || (holder !== user.email && e.status === 'open')) {
        buttons.push(h('button', { type: 'button', class: 'btn btn-primary', text: t('esc.claim'), onClick: (ev) => void claim(ev.currentTarget) }));
      }
      if (user.role === 'admin') buttons.push(assignControl());
      if (!heldByOther() || user.role === 'admin') {
        buttons.push(h('button', {
          type: 'button',
          class: 'btn',
          'aria-expanded': String(!closePanel.hidden),
          'aria-controls': 'close-panel',
          text: t('esc.close'),
          onClick: (ev) => {
            closePanel.hidden = !closePanel.hidden;
            ev.currentTarget.setAttribute('aria-expanded', String(!closePanel.hidden));
            if (!closePanel.hidden) closePanel.querySelector('input')?.focus();
          },
        }));
      }
    } else {
      closePanel.hidden = true;
    }
    replace(actions, buttons);
    actions.hidden = buttons.length === 0;
  }

  function assignControl() {
    const pick = h('select', { id: uid('assign'), 'aria-label': t('esc.assignTo') }, h('option', { value: '', text: `${t('esc.assignTo')}…` }));
    const go = h('button', { type: 'button', class: 'btn', text: t('esc.assign'), disabled: true });
    pick.addEventListener('change', () => {
      go.disabled = !pick.value;
    });
    go.addEventListener('click', () => void assign(go, pick.value));
    // Staff who may answer: active administrators and spokespeople.
    api.get('/users').then((data) => {
      for (const u of data.items) {
        if (u.disabled || u.role === 'viewer' || u.email === e.assignee) continue;
        pick.append(h('option', { value: u.email, text: `${u.name || u.email} (${u.email})` }));
      }
    }).catch(() => {
      /* the menu just stays empty */
    });
    return h('span', { class: 'assign' }, pick, go);
  }

  // Close form: a reason (radio group) and a note, required for "Khác".
  const note = h('textarea', { id: 'close-note', rows: '2', maxlength: '500' });
  const noteField = h('div', { class: 'field', hidden: true }, h('label', { for: 'close-note', text: t('esc.closeOther') }), note);
  const closeError = h('p', { class: 'form-error', role: 'alert' });
  const radios = CLOSE_REASONS.map((r, i) => {
    const input = h('input', { type: 'radio', name: 'close-reason', value: r, id: `close-${r}`, checked: i === 0 });
    input.addEventListener('change', () => {
      noteField.hidden = r !== 'other' || !input.checked;
    });
    return h('div', { class: 'check' }, input, h('label', { for: `close-${r}`, text: t(`esc.closeReason.${r}`) }));
  });
  const closeConfirm = h('button', { type: 'submit', class: 'btn btn-danger', text: t('esc.close') });
  const closeForm = h('form', { id: 'close-panel', novalidate: true },
    h('fieldset', null, h('legend', { text: t('esc.closeReason') }), radios),
    noteField,
    closeError,
    h('div', { class: 'actions' }, closeConfirm),
  );
  closePanel.append(closeForm);
  closeForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const reason = closeForm.querySelector('input[name="close-reason"]:checked')?.value || 'other';
    const text = note.value.trim();
    if (reason === 'other' && !text) {
      closeError.textContent = t('esc.closeOther');
      note.focus();
      return;
    }
    closeError.textContent = '';
    void busy(closeConfirm, null, async () => {
      try {
        const out = await api.post(`/escalations/${encodeURIComponent(id)}/close`, { reason, ...(text ? { note: text } : {}) });
        update(out.escalation);
        ctx.toast(t('esc.closeDone'));
      } catch (err) {
        closeError.textContent = ctx.errorText(err);
      }
    });
  });

  async function claim(button) {
    await busy(button, null, async () => {
      try {
        const out = await api.post(`/escalations/${encodeURIComponent(id)}/claim`);
        update(out.escalation);
        textarea.focus();
      } catch (err) {
        ctx.toast(ctx.errorText(err), 'error');
      }
    });
  }

  async function assign(button, officer) {
    if (!officer) return;
    await busy(button, null, async () => {
      try {
        const out = await api.post(`/escalations/${encodeURIComponent(id)}/assign`, { officer });
        update(out.escalation);
        ctx.toast(t('esc.assignDone', { name: officer }));
      } catch (err) {
        ctx.toast(ctx.errorText(err), 'error');
      }
    });
  }

  /** Shows where the reply is: delivered, on its way, or failed (with "Gửi lại"). */
  function drawDelivery(extra = {}) {
    const parts = [];
    if (e.status === 'answered' || e.deliveryStatus === 'sent') {
      parts.push(h('p', { class: 'ok', text: e.deliveredAt ? t('esc.delivered', { time: formatDateTime(e.deliveredAt) }) : t('esc.deliveredNow') }));
    } else if (e.deliveryStatus === 'failed' || (e.deliveryStatus === 'pending' && (e.deliveryError || extra.error))) {
      const error = extra.error || e.deliveryError;
      parts.push(h('p', { class: 'error', text: error ? t('esc.failed', { error }) : t('esc.failedNoReason') }));
      if (extra.willRetry || e.deliveryStatus === 'pending') parts.push(h('p', { class: 'muted', text: t('esc.willRetry') }));
      if (e.deliveryStatus === 'failed' || extra.willRetry === false) {
        parts.push(h('button', { type: 'button', class: 'btn btn-primary', text: t('esc.retry'), onClick: (ev) => void retry(ev.currentTarget) }));
      }
    } else if (e.deliveryStatus === 'pending') {
      parts.push(h('p', { class: 'muted', text: t('esc.pending') }));
    }
    replace(deliveryState, parts);
  }

  async function retry(button) {
    await busy(button, t('esc.sending'), async () => {
      try {
        const out = await api.post(`/escalations/${encodeURIComponent(id)}/retry`);
        update(out.escalation, { error: out.error, willRetry: out.willRetry });
      } catch (err) {
        ctx.toast(ctx.errorText(err), 'error');
      }
    });
  }

  editor.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = textarea.value.trim();
    if (!text) {
      editorError.textContent = t('esc.emptyAnswer');
      textarea.focus();
      return;
    }
    editorError.textContent = '';
    void busy(sendButton, t('esc.sending'), async () => {
      try {
        const out = await api.post(`/escalations/${encodeURIComponent(id)}/reply`, {
          text,
          citations: [...attached.values()].map((c) => citationInput(c, e.candidates || [])),
          saveAsFaq: saveFaq.checked,
        });
        if (out.faq) ctx.toast(t('esc.faqSaved'));
        if (out.faqError) ctx.toast(out.faqError, 'error');
        update(out.escalation, { error: out.error, willRetry: out.willRetry });
      } catch (err) {
        editorError.textContent = ctx.errorText(err);
      }
    });
  });

  function drawAnswer(extra) {
    const parts = [h('h2', { id: 'answer-h', text: e.status === 'answered' ? t('esc.yourAnswer') : t('esc.answerSection') })];
    if (e.status === 'closed') {
      parts.push(h('p', { class: 'notice', text: t('esc.closedInfo', { reason: closedReasonText(e.closedReason) }) }));
    } else if (e.status === 'answered' || (e.answerText && e.deliveryStatus !== 'none' && e.deliveryStatus !== 'failed')) {
      // Recorded: show what was sent; while it is on its way the officer waits (or retries on failure).
      parts.push(h('p', { class: 'answer-text', text: e.answerText || '' }));
      if ((e.answerCitations || []).length) parts.push(h('ul', { class: 'attached-list' }, e.answerCitations.map((c) => h('li', { text: `${citationTitle(c)} — ${c.section || ''}` }))));
      if (e.answeredBy) parts.push(h('p', { class: 'muted', text: t('esc.answeredBy', { name: e.answeredBy }) }));
      parts.push(deliveryState);
    } else if (heldByOther()) {
      parts.push(h('p', { class: 'muted', text: t('esc.heldBy', { name: holderOf(e) }) }));
    } else {
      parts.push(editor, deliveryState);
    }
    replace(answerSlot, parts);
    drawDelivery(extra);
  }

  function update(next, extra) {
    if (next) e = { ...e, ...next };
    drawMeta();
    drawActions();
    drawAnswer(extra);
  }

  // --- static parts: the question, the passages, the conversation so far
  const candidates = e.candidates || [];
  // One passage with its attach button: the candidates and the search results alike.
  const attachableItem = (c) => {
    const button = h('button', {
      type: 'button',
      class: 'btn btn-small',
      'aria-pressed': 'false',
      'aria-label': t('esc.attachLabel', { title: c.title, section: c.section || '' }),
      text: t('esc.attach'),
      onClick: () => toggleCitation(c, !attached.has(c.id)),
    });
    candidateButtons.set(c.id, button);
    return h('li', null, citationCard(c, button));
  };
  const candidateList = candidates.length === 0
    ? h('p', { class: 'muted', text: t('esc.noCandidates') })
    : h('ul', { class: 'cite-list' }, candidates.map((c) => attachableItem(c)));

  // Search for more passages: the officer's own words against the same official documents.
  const searchInput = h('input', { type: 'search', id: 'passage-q', maxlength: '500', placeholder: t('esc.searchPlaceholder') });
  const searchResults = h('div', { class: 'search-results', 'aria-live': 'polite' });
  const searchButton = h('button', { type: 'submit', class: 'btn', text: t('common.search') });
  const searchForm = h('form', { class: 'passage-search', role: 'search' },
    h('label', { for: 'passage-q', class: 'label-strong', text: t('esc.search') }),
    h('div', { class: 'search-row' }, searchInput, searchButton),
  );
  searchForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const words = searchInput.value.trim();
    if (!words) return void searchInput.focus();
    void busy(searchButton, null, async () => {
      try {
        const found = await askKnowledge(words);
        const list = (found.citations || []).filter((c) => c && c.id && c.title && c.quote);
        if (!list.length) return void replace(searchResults, h('p', { class: 'muted', text: t('esc.searchNone') }));
        replace(searchResults, h('ul', { class: 'cite-list' }, list.map((c) => attachableItem(c))));
        drawAttached();
      } catch (err) {
        replace(searchResults, h('p', { class: 'error', text: ctx.errorText(err) }));
      }
    });
  });

  const turns = history.length ? history : e.context || [];
  const transcript = turns.length === 0
    ? h('p', { class: 'muted', text: t('esc.noContext') })
    : h('ol', { class: 'transcript' }, turns.flatMap((turn) => [
      turn.userText ? h('li', { class: 'turn turn-user' }, h('span', { class: 'turn-who', text: `${t('esc.citizen')} · ${formatDateTime(turn.at)}` }), h('span', { class: 'turn-text', text: turn.userText })) : null,
      turn.replyText ? h('li', { class: 'turn turn-bot' }, h('span', { class: 'turn-who', text: t('esc.bot') }), h('span', { class: 'turn-text', text: turn.replyText })) : null,
    ]));

  const reasonLabel = t(`esc.reason.${e.reason}`);
  replace(root,
    h('p', { class: 'back' }, h('a', { href: '/admin/inbox', text: `← ${t('esc.back')}` })),
    h('div', { class: 'page-head' }, h('div', null, h('h1', { text: t('esc.title') }), metaRow)),
    h('div', { class: 'detail-grid' },
      h('div', { class: 'detail-main' },
        h('section', { class: 'panel question-panel', 'aria-label': t('esc.questionPanel') },
          h('p', { class: 'question-from' }, h('strong', { text: e.userName || t('inbox.anonymous') }), h('span', { class: 'muted', text: ` · ${t('esc.why')}: ${reasonLabel}` })),
          h('blockquote', { class: 'question', text: e.question }),
          holderNote,
          actions,
          closePanel,
        ),
        answerSlot,
        h('section', { class: 'panel', 'aria-labelledby': 'ctx-h' }, h('h2', { id: 'ctx-h', text: t('esc.context') }), transcript),
        // A citizen's request to erase their data starts from here (administrators only).
        user.role === 'admin' ? h('p', { class: 'muted' }, h('a', { href: `/admin/privacy?escalation=${encodeURIComponent(e.id)}`, text: t('esc.forget') })) : null,
      ),
      h('aside', { class: 'detail-side panel', 'aria-labelledby': 'cand-h' },
        h('h2', { id: 'cand-h', text: t('esc.candidates') }),
        candidates.length ? h('p', { class: 'hint', text: t('esc.candidatesHint') }) : null,
        candidateList,
        mayWork() ? [searchForm, searchResults] : null,
      ),
    ),
  );
  drawAttached();
  update();

  // Someone else claims, the outbox delivers later: the page follows without a reload.
  ctx.onCleanup(live.on((name, changed) => {
    if (changed.id !== id) return;
    const draft = textarea.value;
    update(changed);
    textarea.value = draft;
  }));
}

