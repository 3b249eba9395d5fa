/* Xem lại câu trả lời: Loa's answers that got 👎 (with the citizen's reason) or were given at
 * low confidence, newest first; mark one reviewed or turn it into an FAQ draft. Viewers see
 * the counts only (no citizen's words). */
/* global URLSearchParams */
import { api } from './console-api.js';
import { h, replace } from './console-dom.js';
import { formatDateTime, formatPercent, t } from './console-i18n.js';
import { busy, channelBadge, citationCard, pageHeader, pager } from './console-ui.js';

const STATUSES = ['pending', 'reviewed', 'all'];
const CAUSES = ['down', 'low_confidence'];
const PAGE = 20;

/** `/admin/review` */
export async function renderReview(ctx) {
  const { root, query, user } = ctx;
  ctx.setTitle(t('review.title'));
  const counts = await api.get('/review/counts');
  if (!ctx.current()) return;
  const header = pageHeader(t('review.title'), t('review.intro', { bar: formatPercent(counts.confidenceBelow) }));
  const summary = h('p', {
    class: 'panel review-counts',
    text: t('review.counts', { total: counts.pending.total, down: counts.pending.down, low: counts.pending.lowConfidence, reviewed: counts.reviewed }),
  });
  if (user.role === 'viewer') return void replace(root, header, summary, h('p', { class: 'muted', text: t('review.viewerNote') }));

  const status = STATUSES.includes(query.get('status')) ? query.get('status') : 'pending';
  const cause = CAUSES.includes(query.get('cause')) ? query.get('cause') : '';
  const offset = Math.max(0, Number.parseInt(query.get('offset') || '0', 10) || 0);
  const data = await api.get('/review', { status, cause: cause || undefined, limit: PAGE, offset });
  if (!ctx.current()) return;

  const link = (next) => {
    const q = new URLSearchParams({ status, ...(cause ? { cause } : {}), ...next });
    if (q.get('status') === 'pending') q.delete('status');
    if (!q.get('cause')) q.delete('cause');
    const s = q.toString();
    return `/admin/review${s ? `?${s}` : ''}`;
  };
  // Filters as plain links: keyboard, back button and new tabs work.
  const statusTabs = h('nav', { class: 'tabs', 'aria-label': t('review.status') },
    STATUSES.map((s) => h('a', { href: link({ status: s }), class: 'tab', 'aria-current': s === status ? 'page' : undefined, text: t(`review.status.${s}`) })),
  );
  const causeTabs = h('nav', { class: 'tabs', 'aria-label': t('review.cause') },
    ['', ...CAUSES].map((c) => h('a', { href: link({ cause: c }), class: 'tab', 'aria-current': c === cause ? 'page' : undefined, text: c ? t(`review.cause.${c}`) : t('review.cause.all') })),
  );
  const list = data.items.length === 0
    ? h('p', { class: 'empty', text: t('review.empty') })
    : h('ul', { class: 'review-list' }, data.items.map((item) => reviewRow(ctx, item)));
  replace(root,
    header,
    summary,
    statusTabs,
    causeTabs,
    h('p', { class: 'muted count', text: t('common.total', { n: data.total }) }),
    list,
    pager({ offset, limit: PAGE, total: data.total, go: (o) => ctx.navigate(link({ offset: String(o) })) }),
  );
}

function causeBadges(item) {
  const badges = [];
  if (item.causes.includes('down')) {
    badges.push(h('span', {
      class: 'badge badge-down',
      text: item.feedbackReason ? t('review.down', { reason: t(`review.reason.${item.feedbackReason}`) }) : t('review.downNoReason'),
    }));
  }
  if (typeof item.confidence === 'number') {
    badges.push(h('span', { class: `badge ${item.causes.includes('low_confidence') ? 'badge-low' : 'badge-plain'}`, text: t('review.confidence', { p: formatPercent(item.confidence) }) }));
  }
  return badges;
}

function reviewRow(ctx, item) {
  const q = item.question || '';
  const short = q.length > 60 ? `${q.slice(0, 57)}…` : q;
  const headingId = `review-q-${item.turnId}`;
  const actions = [];
  if (!item.review) {
    actions.push(h('button', {
      type: 'button',
      class: 'btn btn-small',
      'aria-label': t('review.markReviewedLabel', { q: short }),
      text: t('review.markReviewed'),
      onClick: (ev) => void mark(ctx, ev.currentTarget, item),
    }));
  }
  if (item.review?.faqId) {
    actions.push(h('a', { class: 'btn btn-small', href: `/admin/faqs/${encodeURIComponent(item.review.faqId)}`, text: t('review.openFaq') }));
  } else {
    actions.push(h('button', {
      type: 'button',
      class: 'btn btn-small btn-primary',
      'aria-label': t('review.makeFaqLabel', { q: short }),
      text: t('review.makeFaq'),
      onClick: (ev) => void makeFaq(ctx, ev.currentTarget, item),
    }));
  }
  return h('li', { class: 'review-item panel', dataset: { turn: item.turnId }, 'aria-labelledby': headingId },
    h('p', { class: 'esc-meta' }, channelBadge(item.channel), causeBadges(item), h('span', { class: 'muted', text: t('review.at', { time: formatDateTime(item.createdAt) }) })),
    h('h2', { class: 'review-label', text: t('review.question') }),
    h('p', { class: 'question', id: headingId, text: q || t('common.none') }),
    h('h2', { class: 'review-label', text: t('review.answer') }),
    h('p', { class: 'review-answer', text: item.answer || t('common.none') }),
    h('details', { class: 'review-cites' },
      h('summary', { text: `${t('review.citations')} (${item.citations.length})` }),
      item.citations.length
        ? h('ul', { class: 'cite-list' }, item.citations.map((c) => h('li', null, citationCard(c))))
        : h('p', { class: 'muted', text: t('review.noCitations') }),
    ),
    item.review ? h('p', { class: 'muted', text: t('review.reviewedBy', { who: item.review.reviewedBy, time: formatDateTime(item.review.reviewedAt) }) }) : null,
    h('div', { class: 'actions' }, actions),
  );
}

async function mark(ctx, button, item) {
  await busy(button, null, async () => {
    try {
      await api.post(`/review/${encodeURIComponent(item.turnId)}/reviewed`);
      ctx.toast(t('review.marked'));
      ctx.navigate(location.pathname + location.search, { replace: true });
    } catch (err) {
      ctx.toast(ctx.errorText(err), 'error');
    }
  });
}

async function makeFaq(ctx, button, item) {
  await busy(button, t('common.saving'), async () => {
    try {
      const out = await api.post(`/review/${encodeURIComponent(item.turnId)}/faq-draft`);
      ctx.toast(t('review.faqMade'));
      ctx.navigate(`/admin/faqs/${encodeURIComponent(out.faqId)}`);
    } catch (err) {
      ctx.toast(ctx.errorText(err), 'error');
    }
  });
}
