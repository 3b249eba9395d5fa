/* Small shared pieces of the console's pages: badges, citations, pager, page header. */
import { h, safeUrl } from './console-dom.js';
import { formatDuration, formatHoursLeft, t } from './console-i18n.js';

/** The channel a citizen used, as a coloured badge with its name. */
export function channelBadge(channel) {
  return h('span', { class: `badge badge-channel ch-${channel}`, text: t(`channel.${channel}`) });
}

/** Escalation status badge. */
export function escalationStatusBadge(status) {
  return h('span', { class: `badge st-${status}`, text: t(`esc.status.${status}`) });
}

/** Document legal-status badge. */
export function documentStatusBadge(status) {
  return h('span', { class: `badge doc-${status || 'unknown'}`, text: t(`docs.status.${status || 'unknown'}`) });
}

/** FAQ status badge. */
export function faqStatusBadge(status) {
  return h('span', { class: `badge faq-${status}`, text: t(`faqs.status.${status}`) });
}

/** "chờ 2 giờ 5 phút". */
export function waitingText(seconds) {
  return t('inbox.waiting', { d: formatDuration(seconds) });
}

/** The Zalo free-reply window: "còn 31 giờ để trả lời miễn phí", or the expired warning. */
export function zaloWindowText(remainingSeconds) {
  return remainingSeconds > 0 ? t('zalo.left', { d: formatHoursLeft(remainingSeconds) }) : t('zalo.expired');
}

/** Page title block: h1 plus an optional intro line and actions on the right. */
export function pageHeader(title, intro, ...actions) {
  actions = actions.filter(Boolean);
  return h('div', { class: 'page-head' },
    h('div', null, h('h1', { text: title }), intro ? h('p', { class: 'muted intro', text: intro }) : null),
    actions.length ? h('div', { class: 'page-actions' }, actions) : null,
  );
}

/** "Luật Cư trú (68/2020/QH14)" plus "(bản tóm tắt)" for summaries. */
export function citationTitle(c) {
  let title = c.title || c.id;
  if (c.number && !title.includes(c.number)) title += ` (${c.number})`;
  if (c.kind === 'faq') title += ` — ${t('esc.faqSource')}`;
  else if (c.isSummary && !/tóm tắt|summary/i.test(title)) title += ` — ${t('esc.summary')}`;
  return title;
}

/**
 * A citation as a card: title (a link when it has an http(s) URL), section, legal status
 * when it is not in force, and the quoted passage. `action` is an optional button.
 */
export function citationCard(c, action) {
  const url = safeUrl(c.url);
  const title = url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: citationTitle(c) }) : h('span', { text: citationTitle(c) });
  return h('article', { class: 'cite' },
    h('div', { class: 'cite-head' },
      h('div', null,
        h('p', { class: 'cite-title' }, title),
        h('p', { class: 'cite-section' }, h('span', { text: c.section || '' }), c.status && c.status !== 'in_force' ? [' ', documentStatusBadge(c.status)] : null),
      ),
      action || null,
    ),
    c.quote ? h('blockquote', { class: 'cite-quote', text: c.quote }) : null,
  );
}

/** Previous / next buttons for offset paging; calls `go(newOffset)`. */
export function pager({ offset, limit, total, go }) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  if (pages <= 1) return null;
  return h('nav', { class: 'pager', 'aria-label': t('common.page', { page, pages }) },
    h('button', { type: 'button', class: 'btn', disabled: page <= 1, onClick: () => go(Math.max(0, offset - limit)), text: t('common.prev') }),
    h('span', { text: t('common.page', { page, pages }) }),
    h('button', { type: 'button', class: 'btn', disabled: page >= pages, onClick: () => go(offset + limit), text: t('common.next') }),
  );
}

/** Lower-case without Vietnamese diacritics, for client-side matching ("Đăng ký" ~ "dang ky"). */
export function fold(text) {
  return String(text || '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** Sets a button busy (disabled, with a temporary label) while `work` runs. */
export async function busy(button, label, work) {
  const before = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (label) button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = before;
  }
}
