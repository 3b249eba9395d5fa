/* Nhật ký (administrators): the append-only audit trail with filters. */
/* global URLSearchParams */
import { api } from './console-api.js';
import { field, h, replace } from './console-dom.js';
import { formatDateTime, t } from './console-i18n.js';
import { pageHeader, pager } from './console-ui.js';

const PAGE = 50;

/** Details as short "key: value" text (JSON for nested values); never markup. */
function detailsText(details) {
  if (!details || typeof details !== 'object') return '';
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

/** `/admin/audit?actor=&action=&target=&offset=` */
export async function renderAudit(ctx) {
  const { root, query } = ctx;
  ctx.setTitle(t('audit.title'));
  const f = {
    actor: (query.get('actor') || '').trim(),
    action: (query.get('action') || '').trim(),
    target: (query.get('target') || '').trim(),
    offset: Math.max(0, Number.parseInt(query.get('offset') || '0', 10) || 0),
  };
  const pathFor = (next) => {
    const p = new URLSearchParams();
    for (const k of ['actor', 'action', 'target']) if (next[k]) p.set(k, next[k]);
    if (next.offset) p.set('offset', String(next.offset));
    const qs = p.toString();
    return `/admin/audit${qs ? `?${qs}` : ''}`;
  };

  const actor = h('input', { type: 'search', value: f.actor, maxlength: '254' });
  const action = h('input', { type: 'search', value: f.action, maxlength: '100', placeholder: t('audit.actionHint') });
  const target = h('input', { type: 'search', value: f.target, maxlength: '300' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('common.filter') },
    field(t('audit.actor'), actor),
    field(t('audit.action'), action),
    field(t('audit.target'), target),
    h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'btn', text: t('common.filter') })),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ctx.navigate(pathFor({ actor: actor.value.trim(), action: action.value.trim(), target: target.value.trim(), offset: 0 }));
  });

  const data = await api.get('/audit', { actor: f.actor || undefined, action: f.action || undefined, target: f.target || undefined, limit: PAGE, offset: f.offset });
  if (!ctx.current()) return;
  const items = data.items;
  const table = items.length === 0
    ? h('p', { class: 'empty', text: t('audit.empty') })
    : h('div', { class: 'table-wrap' }, h('table', { class: 'table table-audit' },
      h('caption', { class: 'sr-only', text: t('audit.title') }),
      h('thead', null, h('tr', null, ['audit.at', 'audit.actor', 'audit.action', 'audit.target', 'audit.details'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', null, items.map((e) => h('tr', null,
        h('td', { class: 'nowrap', text: formatDateTime(e.at) }),
        h('td', { text: e.actor }),
        h('td', null, h('code', { text: e.action })),
        h('td', null, e.target ? h('code', { text: e.target }) : null),
        h('td', { class: 'details', text: detailsText(e.details) }),
      ))),
    ));
  replace(root,
    pageHeader(t('audit.title'), t('audit.intro')),
    form,
    h('p', { class: 'muted count', text: t('common.total', { n: data.total ?? items.length }) }),
    table,
    pager({ offset: f.offset, limit: PAGE, total: data.total ?? items.length, go: (offset) => ctx.navigate(pathFor({ ...f, offset })) }),
  );
}
