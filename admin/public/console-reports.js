/* Báo cáo (every role): KPI cards, charts drawn as inline SVG, topics (top, rising, where
 * answers are missing), repeated questions, and CSV exports, for a period and a channel. */
/* global URLSearchParams */
import { api, apiUrl } from './console-api.js';
import { field, h, replace, select } from './console-dom.js';
import { formatDate, formatDuration, formatNumber, formatPercent, t } from './console-i18n.js';
import { ratioBars, shareBar, stackedBarChart } from './console-charts.js';
import { pageHeader } from './console-ui.js';

const CHANNELS = ['zalo', 'telegram', 'webchat', 'botframework'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "2024-05-07" → "07/05". */
const shortDay = (day) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;

function kpi(label, value, sub) {
  return h('li', { class: 'kpi' },
    h('p', { class: 'kpi-label', text: label }),
    h('p', { class: 'kpi-value', text: value }),
    sub ? h('p', { class: 'kpi-sub', text: sub }) : null,
  );
}

/** A topic's documents as "Luật Cư trú — Điều 20 (5)". */
function topicDocuments(topic) {
  return (topic.documents || []).map((d) => h('span', { class: 'topic-docs', text: `${d.title}${d.section ? ` — ${d.section}` : ''} (${formatNumber(d.count)})` }));
}

function topicTable(caption, topics, columns) {
  if (!topics.length) return h('p', { class: 'muted', text: t('reports.topics.empty') });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('caption', { class: 'sr-only', text: caption }),
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : undefined, text: c.label })))),
    h('tbody', null, topics.map((topic) => h('tr', null, columns.map((c, i) => {
      const content = c.cell(topic);
      const attrs = { class: c.num ? 'num' : undefined };
      if (i === 0) return h('th', { scope: 'row', ...attrs }, content);
      return h('td', attrs, content);
    })))),
  ));
}

function topicLabel(topic) {
  return [
    h('span', { class: 'topic-terms', text: topic.label }),
    topic.examples && topic.examples[0] ? h('div', { class: 'topic-example', text: `“${topic.examples[0]}”` }) : null,
  ];
}

/** Growth of a rising topic: "×2,5" or "mới" when the first half had none. */
function growthText(topic) {
  if (topic.growth === null || topic.growth === undefined) return t('reports.topics.new');
  return `×${formatNumber(Math.round(topic.growth * 10) / 10)}`;
}

/** `/admin/reports?from=&to=&channel=` */
export async function renderReports(ctx) {
  const { root, query } = ctx;
  ctx.setTitle(t('reports.title'));
  const wanted = {
    from: DAY.test(query.get('from') || '') ? query.get('from') : undefined,
    to: DAY.test(query.get('to') || '') ? query.get('to') : undefined,
    channel: CHANNELS.includes(query.get('channel')) ? query.get('channel') : undefined,
  };

  const [summary, topics] = await Promise.all([api.get('/reports/summary', wanted), api.get('/reports/topics', { ...wanted, limit: 10 })]);
  if (!ctx.current()) return;
  const range = summary.range;

  // --- filters (the server fills in the default period; the inputs show what it used)
  const from = h('input', { type: 'date', value: range.from, required: true });
  const to = h('input', { type: 'date', value: range.to, required: true });
  const channel = select([['', t('common.all')], ...CHANNELS.map((c) => [c, t(`channel.${c}`)])], wanted.channel || '');
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', { class: 'filters report-filters', 'aria-label': t('common.filter') },
    field(t('reports.from'), from),
    field(t('reports.to'), to),
    field(t('reports.channel'), channel),
    h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'btn btn-primary', text: t('reports.apply') })),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (from.value && to.value && from.value > to.value) return void ((formError.textContent = t('reports.invalidRange')), from.focus());
    const p = new URLSearchParams();
    if (from.value) p.set('from', from.value);
    if (to.value) p.set('to', to.value);
    if (channel.value) p.set('channel', channel.value);
    ctx.navigate(`/admin/reports?${p}`);
  });

  const exportQuery = { from: range.from, to: range.to, channel: range.channel };
  const exports = h('div', { class: 'exports' },
    // The per-question file holds citizens' words: not offered to viewers (the API refuses it too).
    ctx.user.role === 'viewer' ? null : h('a', { class: 'btn', href: apiUrl('/reports/export.csv', { ...exportQuery, kind: 'questions' }), download: '', text: `⬇ ${t('reports.exportQuestions')}` }),
    h('a', { class: 'btn', href: apiUrl('/reports/export.csv', { ...exportQuery, kind: 'summary' }), download: '', text: `⬇ ${t('reports.exportSummary')}` }),
  );

  // --- KPI cards
  const tot = summary.totals;
  const sat = summary.satisfaction;
  const rt = summary.responseTime;
  const kpis = h('ul', { class: 'kpis', 'aria-label': t('reports.kpis') },
    kpi(t('reports.kpi.questions'), formatNumber(tot.questions), tot.personRequests ? t('reports.kpi.personRequests', { n: formatNumber(tot.personRequests) }) : null),
    kpi(t('reports.kpi.answeredByBot'), formatPercent(summary.shares.answeredByBot), t('reports.kpi.ofQuestions', { n: formatNumber(tot.answeredByBot) })),
    kpi(t('reports.kpi.escalated'), formatPercent(summary.shares.escalated), t('reports.kpi.ofQuestions', { n: formatNumber(tot.escalated) })),
    kpi(t('reports.kpi.unanswered'), formatNumber(tot.unanswered), summary.shares.unanswered === null ? null : formatPercent(summary.shares.unanswered)),
    kpi(t('reports.kpi.median'), rt.medianSeconds === null ? t('common.none') : formatDuration(rt.medianSeconds, { seconds: true }), t('reports.kpi.ofQuestions', { n: formatNumber(rt.count) })),
    kpi(t('reports.kpi.p90'), rt.p90Seconds === null ? t('common.none') : formatDuration(rt.p90Seconds, { seconds: true }), null),
    kpi(t('reports.kpi.satisfaction'), formatPercent(sat.satisfaction), t('reports.kpi.votes', { n: formatNumber(sat.rated) })),
    summary.repeats ? kpi(t('reports.kpi.repeats'), formatPercent(summary.repeats.share), t('reports.kpi.repeatsSub', { n: formatNumber(summary.repeats.repeatedQuestions) })) : null,
  );

  // Charts are sized to their panels, so they are drawn once the panels are on the page.
  const perDayPanel = h('section', { class: 'panel wide' });
  const sharePanel = h('section', { class: 'panel' });
  const satisfactionPanel = h('section', { class: 'panel' });

  const topicColumns = [
    { label: t('reports.col.topic'), cell: topicLabel },
    { label: t('reports.col.count'), num: true, cell: (x) => formatNumber(x.questions) },
    { label: t('reports.col.documents'), cell: topicDocuments },
  ];
  const risingColumns = [
    { label: t('reports.col.topic'), cell: topicLabel },
    { label: t('reports.col.change'), num: true, cell: (x) => h('span', { class: 'up', text: growthText(x) }) },
    { label: t('reports.col.halves'), num: true, cell: (x) => `${formatNumber(x.firstHalf)} → ${formatNumber(x.secondHalf)}` },
    { label: t('reports.col.documents'), cell: topicDocuments },
  ];
  const gapColumns = [
    { label: t('reports.col.topic'), cell: topicLabel },
    { label: t('reports.col.escalated'), num: true, cell: (x) => formatNumber(x.escalated) },
    { label: t('reports.col.unanswered'), num: true, cell: (x) => formatNumber(x.unanswered) },
    { label: t('reports.col.down'), num: true, cell: (x) => formatNumber(x.down) },
    { label: t('reports.col.documents'), cell: topicDocuments },
  ];
  const repeats = summary.repeats && summary.repeats.top ? summary.repeats.top : [];

  replace(root,
    pageHeader(t('reports.title'), t('reports.intro'), exports),
    form,
    formError,
    h('p', { class: 'muted count', text: t('reports.period', { from: formatDate(range.from), to: formatDate(range.to), days: range.days }) }),
    kpis,
    h('div', { class: 'charts' }, perDayPanel, sharePanel, satisfactionPanel),
    h('section', { class: 'panel', 'aria-labelledby': 'top-h' }, h('h2', { id: 'top-h', text: t('reports.topics.top') }), topicTable(t('reports.topics.top'), topics.topics || [], topicColumns)),
    h('section', { class: 'panel', 'aria-labelledby': 'rising-h' }, h('h2', { id: 'rising-h', text: t('reports.topics.rising') }), topicTable(t('reports.topics.rising'), topics.rising || [], risingColumns)),
    h('section', { class: 'panel', 'aria-labelledby': 'gaps-h' }, h('h2', { id: 'gaps-h', text: t('reports.topics.problems') }), topicTable(t('reports.topics.problems'), topics.gaps || [], gapColumns)),
    h('section', { class: 'panel', 'aria-labelledby': 'rep-h' },
      h('h2', { id: 'rep-h', text: t('reports.repeats') }),
      repeats.length === 0 ? h('p', { class: 'muted', text: t('reports.topics.empty') }) : h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('caption', { class: 'sr-only', text: t('reports.repeats') }),
        h('thead', null, h('tr', null, h('th', { scope: 'col', text: t('reports.col.question') }), h('th', { scope: 'col', class: 'num', text: t('reports.col.times') }), h('th', { scope: 'col', class: 'num', text: t('reports.col.users') }), h('th', { scope: 'col', text: t('reports.channel') }))),
        h('tbody', null, repeats.map((r) => h('tr', null,
          h('th', { scope: 'row', text: r.question }),
          h('td', { class: 'num', text: formatNumber(r.times) }),
          h('td', { class: 'num', text: formatNumber(r.users) }),
          h('td', { text: r.channels.map((c) => t(`channel.${c}`)).join(', ') }),
        ))),
      )),
    ),
  );

  const inner = (panel) => panel.clientWidth - 34;
  const channels = range.channel ? [range.channel] : CHANNELS.filter((c) => summary.perDay.some((d) => d.byChannel[c]) || summary.perChannel.some((p) => p.channel === c));
  const series = (channels.length ? channels : ['webchat']).map((c) => ({ key: c, label: t(`channel.${c}`), className: `s-${c}` }));
  replace(perDayPanel, stackedBarChart({
    title: t('reports.chart.perDay'),
    width: inner(perDayPanel),
    days: summary.perDay.map((d) => ({ day: d.day, label: shortDay(d.day), values: d.byChannel })),
    series,
  }));
  replace(sharePanel, shareBar({
    title: t('reports.chart.share'),
    width: inner(sharePanel),
    parts: [
      { label: t('reports.share.bot'), value: tot.answeredByBot, className: 's-bot' },
      { label: t('reports.share.staff'), value: tot.answeredBySpokesperson, className: 's-staff' },
      { label: t('reports.share.waiting'), value: tot.unanswered, className: 's-waiting' },
      { label: t('reports.share.closed'), value: tot.closedWithoutReply, className: 's-unanswered' },
    ],
  }));
  const satisfactionRows = summary.perChannel.map((p) => ({
    label: t(`channel.${p.channel}`),
    ratio: p.satisfaction.satisfaction,
    detail: t('reports.kpi.votes', { n: formatNumber(p.satisfaction.rated) }),
    className: `s-${p.channel}`,
  }));
  replace(satisfactionPanel, satisfactionRows.length
    ? ratioBars({ title: t('reports.chart.satisfaction'), width: inner(satisfactionPanel), rows: satisfactionRows })
    : h('div', null, h('p', { class: 'chart-title', text: t('reports.chart.satisfaction') }), h('p', { class: 'muted', text: t('reports.chart.empty') })));
}
