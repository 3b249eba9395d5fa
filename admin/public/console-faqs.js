/* Câu hỏi thường gặp: the list by status with usage counts (needs_review highlighted), and
 * the editor (ways of asking, answer, citations) with approve / retire for administrators. */
/* global URLSearchParams */
import { api } from './console-api.js';
import { field, h, replace } from './console-dom.js';
import { formatDateTime, t } from './console-i18n.js';
import { busy, citationCard, faqStatusBadge, pageHeader, pager } from './console-ui.js';

const STATUSES = ['needs_review', 'draft', 'approved', 'retired'];
const PAGE = 50;

/** `/admin/faqs` */
export async function renderFaqs(ctx) {
  const { root, query, user } = ctx;
  ctx.setTitle(t('faqs.title'));
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const offset = Math.max(0, Number.parseInt(query.get('offset') || '0', 10) || 0);
  const data = await api.get('/faqs', { status: status || undefined, limit: PAGE, offset });
  if (!ctx.current()) return;

  // Status tabs as plain links: they work with the keyboard, the back button and new tabs.
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('faqs.status') },
    ['', ...STATUSES].map((s) => h('a', {
      href: s ? `/admin/faqs?status=${s}` : '/admin/faqs',
      class: 'tab',
      'aria-current': s === status ? 'page' : undefined,
      text: s ? t(`faqs.status.${s}`) : t('common.all'),
    })),
  );
  const newButton = user.role === 'admin' || user.role === 'spokesperson'
    ? h('a', { class: 'btn btn-primary', href: '/admin/faqs/new', text: t('faqs.new') })
    : null;

  const list = data.items.length === 0
    ? h('p', { class: 'empty', text: t('faqs.empty') })
    : h('ul', { class: 'faq-list' }, data.items.map((f) => faqRow(ctx, f)));
  replace(root,
    pageHeader(t('faqs.title'), t('faqs.intro'), newButton),
    tabs,
    h('p', { class: 'muted count', text: t('common.total', { n: data.total }) }),
    list,
    pager({ offset, limit: PAGE, total: data.total, go: (o) => ctx.navigate(`/admin/faqs?${new URLSearchParams({ ...(status ? { status } : {}), offset: String(o) })}`) }),
  );
}

function faqRow(ctx, f) {
  const { user } = ctx;
  const first = f.questions[0] || '';
  const actions = [];
  if (user.role === 'admin' && (f.status === 'draft' || f.status === 'needs_review')) {
    actions.push(h('button', {
      type: 'button',
      class: 'btn btn-small btn-primary',
      'aria-label': t('faqs.approveLabel', { q: first }),
      text: t('faqs.approve'),
      onClick: (ev) => void act(ctx, ev.currentTarget, f, 'approve'),
    }));
  }
  if (user.role === 'admin' && f.status !== 'retired') {
    actions.push(h('button', {
      type: 'button',
      class: 'btn btn-small',
      'aria-label': t('faqs.retireLabel', { q: first }),
      text: t('faqs.retire'),
      onClick: (ev) => void act(ctx, ev.currentTarget, f, 'retire'),
    }));
  }
  return h('li', { class: `faq-item faq-row-${f.status}`, dataset: { id: f.id } },
    h('div', { class: 'faq-main' },
      h('p', { class: 'faq-meta' },
        faqStatusBadge(f.status),
        h('span', { class: 'muted', text: t('faqs.usage', { n: f.usage?.count ?? 0 }) }),
        h('span', { class: 'muted', text: t('faqs.updatedAt', { time: formatDateTime(f.updatedAt) }) }),
      ),
      h('a', { class: 'faq-q', href: `/admin/faqs/${encodeURIComponent(f.id)}`, text: first }),
      f.questions.length > 1 ? h('p', { class: 'muted faq-variants', text: f.questions.slice(1, 4).join(' · ') }) : null,
      h('p', { class: 'faq-answer', text: f.answer }),
      f.status === 'needs_review' ? h('p', { class: 'warn', text: f.reviewReason || t('faqs.needsReviewHint') }) : null,
    ),
    actions.length ? h('div', { class: 'faq-actions' }, actions) : null,
  );
}

async function act(ctx, button, f, action) {
  await busy(button, null, async () => {
    try {
      await api.post(`/faqs/${encodeURIComponent(f.id)}/${action}`);
      ctx.toast(action === 'approve' ? t('faqs.approved') : t('faqs.retired'));
      ctx.navigate(location.pathname + location.search, { replace: true });
    } catch (err) {
      ctx.toast(ctx.errorText(err), 'error');
    }
  });
}

const lines = (text) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** `/admin/faqs/:id` (and `/admin/faqs/new`). */
export async function renderFaq(ctx) {
  const { root, user } = ctx;
  const id = ctx.params[0];
  const isNew = id === 'new';
  let faq = isNew ? null : (await api.get(`/faqs/${encodeURIComponent(id)}`)).faq;
  if (!ctx.current()) return;
  ctx.setTitle(isNew ? t('faqs.create') : t('faqs.edit'));
  const canEdit = user.role !== 'viewer' && (isNew || faq.status === 'draft' || faq.status === 'needs_review' || (faq.status === 'approved' && user.role === 'admin'));

  const questions = h('textarea', { rows: '5', required: true, readOnly: !canEdit, value: faq ? faq.questions.join('\n') : '' });
  const answer = h('textarea', { rows: '10', required: true, maxlength: '10000', readOnly: !canEdit, value: faq ? faq.answer : '' });
  const cites = h('textarea', { rows: '3', readOnly: !canEdit, value: faq ? faq.citations.map((c) => c.id).join('\n') : '', spellcheck: 'false' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', text: t('common.save') });
  const form = h('form', { class: 'panel form', novalidate: true },
    field(t('faqs.questions'), questions, t('faqs.questionsHint')),
    field(t('faqs.answer'), answer),
    field(t('faqs.citations'), cites, t('faqs.citationsHint')),
    error,
    canEdit ? h('div', { class: 'actions' }, save) : null,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const qs = lines(questions.value);
    if (qs.length === 0) return void ((error.textContent = t('faqs.noQuestions')), questions.focus());
    if (!answer.value.trim()) return void ((error.textContent = t('faqs.noAnswer')), answer.focus());
    error.textContent = '';
    const body = { questions: qs, answer: answer.value.trim(), citations: lines(cites.value).map((cid) => ({ id: cid })) };
    void busy(save, t('common.saving'), async () => {
      try {
        const out = isNew ? await api.post('/faqs', body) : await api.patch(`/faqs/${encodeURIComponent(faq.id)}`, { ...body, version: faq.version });
        ctx.toast(t('common.saved'));
        ctx.navigate(`/admin/faqs/${encodeURIComponent(out.faq.id)}`, { replace: true });
      } catch (err) {
        error.textContent = ctx.errorText(err);
      }
    });
  });

  const actions = [];
  if (faq && user.role === 'admin' && (faq.status === 'draft' || faq.status === 'needs_review')) {
    actions.push(h('button', { type: 'button', class: 'btn btn-primary', text: t('faqs.approve'), onClick: (ev) => void act(ctx, ev.currentTarget, faq, 'approve') }));
  }
  if (faq && user.role === 'admin' && faq.status !== 'retired') {
    actions.push(h('button', { type: 'button', class: 'btn', text: t('faqs.retire'), onClick: (ev) => void act(ctx, ev.currentTarget, faq, 'retire') }));
  }

  replace(root,
    h('p', { class: 'back' }, h('a', { href: '/admin/faqs', text: `← ${t('faqs.back')}` })),
    pageHeader(isNew ? t('faqs.create') : t('faqs.edit'), null, ...actions),
    faq ? h('p', { class: 'faq-meta' },
      faqStatusBadge(faq.status),
      h('span', { class: 'muted', text: t('faqs.usage', { n: faq.usage?.count ?? 0 }) }),
      h('span', { class: 'muted', text: t('faqs.updatedAt', { time: formatDateTime(faq.updatedAt) }) }),
      h('code', { class: 'muted', text: faq.unitId }),
    ) : null,
    faq && faq.status === 'needs_review' ? h('p', { class: 'warn', text: faq.reviewReason || t('faqs.needsReviewHint') }) : null,
    form,
    faq && faq.citations.length ? h('section', { class: 'panel', 'aria-labelledby': 'faq-cites' },
      h('h2', { id: 'faq-cites', text: t('faqs.citations') }),
      h('ul', { class: 'cite-list' }, faq.citations.map((c) => h('li', null, citationCard(c)))),
    ) : null,
  );
}
