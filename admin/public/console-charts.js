/* Charts as inline SVG built with DOM APIs (no library, nothing inline for the CSP: colours
 * come from classes in console.css). Each chart carries a title, a text description and a
 * data table for screen readers. */
import { append, h, s, uid } from './console-dom.js';
import { formatNumber, formatPercent, t } from './console-i18n.js';

/** A "nice" upper bound for an axis: 1, 2, 5 × 10^n. */
function niceMax(value) {
  if (value <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= value) return m * exp;
  return 10 * exp;
}

function legend(series) {
  return h('ul', { class: 'legend' }, series.map((x) => h('li', null, h('span', { class: `swatch ${x.className}`, 'aria-hidden': 'true' }), h('span', { text: x.label }))));
}

/** A visually hidden table with the chart's numbers. */
function dataTable(caption, head, rows) {
  return h('table', { class: 'sr-only' },
    h('caption', { text: caption }),
    h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col', text: c })))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0 ? h('th', { scope: 'row', text: c }) : h('td', { text: c })))))),
  );
}

function figure(title, description, svg, extra) {
  const id = uid('chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', `${id}-t ${id}-d`);
  svg.prepend(s('title', { id: `${id}-t`, text: title }), s('desc', { id: `${id}-d`, text: description }));
  return h('figure', { class: 'chart' }, h('figcaption', { class: 'chart-title', text: title }), svg, extra);
}

/**
 * Bars per day, stacked by series (channels).
 * @param {{title: string, width: number, days: {day: string, label: string, values: Record<string, number>}[], series: {key: string, label: string, className: string}[]}} opts
 */
export function stackedBarChart({ title, width, days, series }) {
  const W = Math.max(300, Math.round(width));
  const H = 220;
  const pad = { top: 12, right: 8, bottom: 28, left: 36 };
  const innerW = W - pad.left - pad.right;
  const innerH = H - pad.top - pad.bottom;
  const totals = days.map((d) => series.reduce((n, x) => n + (d.values[x.key] || 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const svg = s('svg', { class: 'chart-svg', viewBox: `0 0 ${W} ${H}`, width: W, height: H });

  // Horizontal grid lines with their values.
  for (const f of [0, 0.5, 1]) {
    const y = pad.top + innerH - f * innerH;
    svg.append(
      s('line', { class: 'grid', x1: pad.left, x2: W - pad.right, y1: y, y2: y }),
      s('text', { class: 'axis', x: pad.left - 6, y: y + 4, 'text-anchor': 'end', text: formatNumber(Math.round(max * f * 10) / 10) }),
    );
  }
  const step = innerW / Math.max(1, days.length);
  const barW = Math.max(2, Math.min(28, step * 0.7));
  // Label every k-th day so labels never overlap (about 44 px each).
  const every = Math.max(1, Math.ceil(44 / step));
  days.forEach((d, i) => {
    const x = pad.left + i * step + (step - barW) / 2;
    let y = pad.top + innerH;
    const parts = [];
    const g = s('g', { class: 'bar' });
    for (const x2 of series) {
      const v = d.values[x2.key] || 0;
      if (!v) continue;
      const hgt = (v / max) * innerH;
      y -= hgt;
      g.append(s('rect', { class: x2.className, x, y, width: barW, height: Math.max(0.5, hgt) }));
      parts.push(`${x2.label} ${formatNumber(v)}`);
    }
    g.prepend(s('title', { text: `${t('reports.dayLabel', { day: d.label, n: formatNumber(totals[i]) })}${parts.length ? ` (${parts.join(', ')})` : ''}` }));
    svg.append(g);
    if (i % every === 0) svg.append(s('text', { class: 'axis', x: x + barW / 2, y: H - 8, 'text-anchor': 'middle', text: d.label }));
  });
  svg.append(s('line', { class: 'baseline', x1: pad.left, x2: W - pad.right, y1: pad.top + innerH, y2: pad.top + innerH }));

  const total = totals.reduce((a, b) => a + b, 0);
  const description = `${t('reports.kpi.ofQuestions', { n: formatNumber(total) })}; ${series.map((x) => `${x.label}: ${formatNumber(days.reduce((n, d) => n + (d.values[x.key] || 0), 0))}`).join(', ')}`;
  return figure(title, description, svg, [
    legend(series),
    dataTable(title, ['', ...series.map((x) => x.label)], days.map((d) => [d.label, ...series.map((x) => formatNumber(d.values[x.key] || 0))])),
  ]);
}

/**
 * One horizontal bar split into shares (e.g. answered by Loa / by staff / waiting).
 * @param {{title: string, width: number, parts: {label: string, value: number, className: string}[]}} opts
 */
export function shareBar({ title, width, parts }) {
  const W = Math.max(300, Math.round(width));
  const H = 44;
  const total = parts.reduce((n, p) => n + p.value, 0);
  const svg = s('svg', { class: 'chart-svg', viewBox: `0 0 ${W} ${H}`, width: W, height: H });
  let x = 0;
  if (total === 0) svg.append(s('rect', { class: 'empty-bar', x: 0, y: 4, width: W, height: 36, rx: 4 }));
  for (const p of parts) {
    if (!p.value) continue;
    const w = (p.value / total) * W;
    const g = s('g', null, s('title', { text: `${p.label}: ${formatNumber(p.value)} (${formatPercent(p.value / total)})` }),
      s('rect', { class: p.className, x, y: 4, width: w, height: 36 }));
    // Only a wide enough segment gets its percentage written inside.
    if (w > 44) g.append(s('text', { class: 'bar-label', x: x + w / 2, y: 27, 'text-anchor': 'middle', text: formatPercent(p.value / total) }));
    svg.append(g);
    x += w;
  }
  const description = parts.map((p) => `${p.label}: ${formatNumber(p.value)}${total ? ` (${formatPercent(p.value / total)})` : ''}`).join(', ');
  return figure(title, description, svg, [
    h('ul', { class: 'legend' }, parts.map((p) => h('li', null,
      h('span', { class: `swatch ${p.className}`, 'aria-hidden': 'true' }),
      h('span', { text: `${p.label}: ${formatNumber(p.value)}${total ? ` (${formatPercent(p.value / total)})` : ''}` }),
    ))),
  ]);
}

/**
 * Horizontal bars of ratios 0..1, one per row (e.g. 👍 share per channel).
 * @param {{title: string, width: number, rows: {label: string, ratio: number|null, detail: string, className: string}[]}} opts
 */
export function ratioBars({ title, width, rows }) {
  const W = Math.max(300, Math.round(width));
  const rowH = 34;
  const labelW = Math.min(130, W * 0.3);
  const valueW = 56;
  const barMax = W - labelW - valueW - 8;
  const H = Math.max(rowH, rows.length * rowH);
  const svg = s('svg', { class: 'chart-svg', viewBox: `0 0 ${W} ${H}`, width: W, height: H });
  rows.forEach((r, i) => {
    const y = i * rowH;
    const ratio = typeof r.ratio === 'number' ? Math.max(0, Math.min(1, r.ratio)) : null;
    append(svg, [
      s('text', { class: 'axis axis-strong', x: 0, y: y + 21, text: r.label }),
      s('rect', { class: 'track', x: labelW, y: y + 8, width: barMax, height: 18, rx: 3 }),
      ratio === null ? null : s('rect', { class: r.className, x: labelW, y: y + 8, width: Math.max(ratio > 0 ? 2 : 0, ratio * barMax), height: 18, rx: 3 }),
      s('text', { class: 'axis axis-strong', x: W - 2, y: y + 21, 'text-anchor': 'end', text: ratio === null ? t('common.none') : formatPercent(ratio) }),
    ]);
  });
  const description = rows.map((r) => `${r.label}: ${r.ratio === null ? t('common.none') : formatPercent(r.ratio)} (${r.detail})`).join(', ');
  return figure(title, description, svg, dataTable(title, ['', title, ''], rows.map((r) => [r.label, r.ratio === null ? t('common.none') : formatPercent(r.ratio), r.detail])));
}
