/* Tin chưa gửi được (administrators): dead letters with their reason, and a bulk resend. */
import { api } from './console-api.js';
import { h, replace } from './console-dom.js';
import { formatDateTime, formatNumber, t } from './console-i18n.js';
import { busy, channelBadge, pageHeader } from './console-ui.js';

const PAGE = 50;

/** `/admin/deliveries?before=` */
export async function renderDeliveries(ctx) {
  const { root, query } = ctx;
  ctx.setTitle(t('deliveries.title'));
  const before = Number.parseInt(query.get('before') || '', 10) || undefined;
  const data = await api.get('/deliveries/dead-letters', { limit: PAGE, beforeId: before });
  if (!ctx.current()) return;
  const items = data.items;
  const counts = data.counts;
  const chosen = new Set();

  const status = h('p', { class: 'notice', role: 'status', hidden: true });
  const resend = h('button', { type: 'button', class: 'btn btn-primary', disabled: true, text: t('deliveries.resend', { n: 0 }) });
  const refresh = () => {
    resend.disabled = chosen.size === 0;
    resend.textContent = t('deliveries.resend', { n: chosen.size });
  };
  resend.addEventListener('click', async () => {
    if (!(await ctx.confirm(t('deliveries.resendConfirm', { n: chosen.size }), { confirmLabel: t('deliveries.resend', { n: chosen.size }) }))) return;
    await busy(resend, t('deliveries.resending'), async () => {
      try {
        const out = await api.post('/deliveries/resend', { ids: [...chosen] });
        status.hidden = false;
        status.textContent = t('deliveries.resent', { n: out.resent.length, skipped: out.skipped.length });
        ctx.toast(status.textContent, 'success');
        await renderDeliveries(ctx);
      } catch (err) {
        ctx.toast(ctx.errorText(err), 'error');
      }
    });
  });

  const all = h('input', { type: 'checkbox', 'aria-label': t('deliveries.selectAll') });
  const boxes = items.map((d) => {
    const box = h('input', { type: 'checkbox', 'aria-label': t('deliveries.select', { id: d.id }) });
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(d.id);
      else chosen.delete(d.id);
      all.checked = chosen.size === items.length;
      refresh();
    });
    return box;
  });
  all.addEventListener('change', () => {
    for (const [i, box] of boxes.entries()) {
      box.checked = all.checked;
      if (all.checked) chosen.add(items[i].id);
      else chosen.delete(items[i].id);
    }
    refresh();
  });

  const summary = h('p', { class: 'muted count', text: t('deliveries.counts', {
    failed: formatNumber(counts.failed ?? 0),
    unknown: formatNumber(counts.unknown ?? 0),
    pending: formatNumber((counts.pending ?? 0) + (counts.sending ?? 0)),
  }) });
  const table = items.length === 0
    ? h('p', { class: 'empty', text: t('deliveries.empty') })
    : h('div', { class: 'table-wrap' }, h('table', { class: 'table table-deliveries' },
      h('caption', { class: 'sr-only', text: t('deliveries.title') }),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, all),
        ['deliveries.message', 'deliveries.channel', 'deliveries.status', 'deliveries.reason', 'deliveries.attempts', 'deliveries.at'].map((k) => h('th', { scope: 'col', text: t(k) })),
      )),
      h('tbody', null, items.map((d, i) => h('tr', null,
        h('td', null, boxes[i]),
        h('th', { scope: 'row', class: 'details' }, h('span', { text: d.text })),
        h('td', null, channelBadge(d.channel)),
        h('td', null, h('span', { class: `badge dl-${d.status}`, text: t(`deliveries.status.${d.status}`) })),
        h('td', { class: 'details', text: d.reason || t('common.none') }),
        h('td', { class: 'nowrap', text: d.unknownOutcomes ? t('deliveries.attemptsUnknown', { n: d.attempts, unknown: d.unknownOutcomes }) : formatNumber(d.attempts) }),
        h('td', { class: 'nowrap', text: formatDateTime(d.updatedAt) }),
      ))),
    ));
  const more = data.nextBeforeId
    ? h('nav', { class: 'pager', 'aria-label': t('common.next') },
      h('button', { type: 'button', class: 'btn', text: t('common.next'), onClick: () => ctx.navigate(`/admin/deliveries?before=${data.nextBeforeId}`) }))
    : null;
  replace(root,
    pageHeader(t('deliveries.title'), t('deliveries.intro'), resend),
    status,
    summary,
    table,
    more,
  );
}
