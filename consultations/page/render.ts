import { clausesOf, outline } from '../draft.ts';
import { statusOf, vnDate } from '../status.ts';
import { SYNTHESIS_COLUMNS, countsLines, type Synthesis } from '../synthesis.ts';
import { STANCE_LABELS, STANCES, type Consultation, type ConsultationComment, type DraftUnit, type DraftVersion } from '../types.ts';
import type { Challenge } from './challenge.ts';

/**
 * The public consultation page, rendered on the server: the draft readable on a phone, a
 * "Góp ý" disclosure (a native <details>, so it works by keyboard and without script) under
 * every article and clause, the citizen's own comments, and after publication the synthesis.
 */

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function paragraphs(text: string): string {
  return text
    .split(/\n+/u)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${esc(p)}</p>`)
    .join('');
}

/** What a form shows again after a refusal: the citizen's words are never lost. */
export interface FormState {
  unitKey: string;
  stance?: string;
  text?: string;
  name?: string;
  organisation?: string;
  contact?: string;
  error?: string;
  challenge?: Challenge;
}

function commentForm(c: Consultation, u: DraftUnit, state: FormState | undefined): string {
  const mine = state?.unitKey === u.key ? state : undefined;
  const id = `f-${u.key.replace(/\./g, '-')}`;
  const stances = STANCES.map(
    (s) =>
      `<label class="stance"><input type="radio" name="stance" value="${s}" required${mine?.stance === s ? ' checked' : ''}> ${STANCE_LABELS[s]}</label>`,
  ).join('');
  const field = (name: 'name' | 'organisation' | 'contact', label: string, type = 'text') =>
    `<label for="${id}-${name}">${label} <span class="muted">(không bắt buộc)</span></label><input id="${id}-${name}" name="${name}" type="${type}" maxlength="200" value="${esc(mine?.[name] ?? '')}">`;
  const asks = [c.asks.name ? field('name', 'Họ và tên') : '', c.asks.organisation ? field('organisation', 'Cơ quan, tổ chức') : '', c.asks.contact ? field('contact', 'Email hoặc số điện thoại', 'text') : ''].join('');
  const challenge = mine?.challenge
    ? `<input type="hidden" name="challengeToken" value="${esc(mine.challenge.token)}"><label for="${id}-answer">Để chống gửi tự động: ${esc(mine.challenge.question)}</label><input id="${id}-answer" name="challengeAnswer" inputmode="numeric" required autocomplete="off">`
    : '';
  const error = mine?.error ? `<p class="error" role="alert" id="${id}-error">${esc(mine.error)}</p>` : '';
  return `<details class="comment"${mine ? ' open' : ''}><summary>Góp ý ${esc(u.label)}</summary>
<form method="post" action="/gop-y/${esc(c.slug)}#u-${esc(u.key)}" class="comment-form"${mine?.error ? ` aria-describedby="${id}-error"` : ''}>
${error}<input type="hidden" name="unit" value="${esc(u.key)}">
<fieldset><legend>Ý kiến của bạn về ${esc(u.label)}</legend>${stances}</fieldset>
<label for="${id}-text">Nội dung góp ý</label>
<textarea id="${id}-text" name="text" rows="4" maxlength="5000" required>${esc(mine?.text ?? '')}</textarea>
${asks}${challenge}
<button type="submit">Gửi góp ý</button>
</form></details>`;
}

function unitBlock(c: Consultation, u: DraftUnit, units: readonly DraftUnit[], open: boolean, state: FormState | undefined, counts: Map<string, number>): string {
  const clauses = u.kind === 'article' ? clausesOf(units, u.key) : [];
  const n = counts.get(u.key) ?? 0;
  const count = n ? ` <span class="count">${n} góp ý</span>` : '';
  const head = `<h3 id="u-${esc(u.key)}">${esc(u.label)}${u.heading ? `. ${esc(u.heading)}` : ''}${count}</h3>`;
  if (!clauses.length) return `<article class="unit">${head}${paragraphs(u.text)}${open ? commentForm(c, u, state) : ''}</article>`;
  const intro = u.text.split(/\n\s*1[.)]\s/u)[0];
  const body = clauses
    .map((k) => `<section class="clause" id="u-${esc(k.key)}"><h4 class="visually-hidden">${esc(k.label)}</h4>${paragraphs(k.text)}${open ? commentForm(c, k, state) : ''}</section>`)
    .join('');
  return `<article class="unit">${head}${intro && intro !== u.text ? paragraphs(intro) : ''}${body}${open ? commentForm(c, u, state) : ''}</article>`;
}

function mineBlock(c: Consultation, mine: readonly ConsultationComment[], open: boolean): string {
  if (!mine.length) return '';
  const items = mine
    .map(
      (m) =>
        `<li><strong>${esc(m.currentUnitKey ? `Điều ${m.currentUnitKey.replace('.', ', Khoản ')}` : `Điều ${m.unitKey} (dự thảo cũ)`)}</strong> — ${STANCE_LABELS[m.stance]}: ${esc(m.text)}${
          open ? ` <form method="post" action="/gop-y/${esc(c.slug)}/rut/${esc(m.id)}" class="inline"><button type="submit" class="link">Rút góp ý</button></form>` : ''
        }</li>`,
    )
    .join('');
  return `<section aria-labelledby="mine"><h2 id="mine">Góp ý của bạn</h2><p class="muted">Muốn sửa? Gửi lại góp ý ở cùng điều, khoản: nội dung mới thay nội dung cũ.</p><ul>${items}</ul></section>`;
}

export function synthesisTable(s: Synthesis): string {
  const rows = s.rows
    .map((r) => `<tr><td>${esc(r.unit)}</td><td>${esc(r.who)}</td><td>${esc(r.said).replace(/\n/g, '<br>')}</td><td>${esc(r.response)}</td></tr>`)
    .join('');
  return `<section aria-labelledby="tong-hop"><h2 id="tong-hop">${esc(s.title)}</h2>${countsLines(s).map((l) => `<p>${esc(l)}</p>`).join('')}
<div class="table-wrap" tabindex="0" role="region" aria-label="Bảng tổng hợp"><table><thead><tr>${SYNTHESIS_COLUMNS.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/gop-y/assets/gop-y.css"><script src="/gop-y/assets/gop-y.js" defer></script></head>
<body><a class="skip" href="#main">Bỏ qua, đến nội dung chính</a><main id="main">${body}</main></body></html>`;
}

export interface PageInput {
  consultation: Consultation;
  draft: DraftVersion;
  mine: ConsultationComment[];
  counts: Map<string, number>;
  now: Date;
  synthesis?: Synthesis;
  form?: FormState;
  /** The unit whose comment was just recorded. */
  recorded?: string;
  withdrawn?: boolean;
}

export function consultationPage(p: PageInput): string {
  const { consultation: c, draft, now } = p;
  const status = statusOf(c, now);
  const open = status === 'open';
  const statusText = {
    upcoming: `Bắt đầu nhận góp ý từ ${vnDate(c.opensAt)}.`,
    open: `Đang lấy ý kiến đến hết ngày ${vnDate(c.closesAt)}. Không cần đăng nhập.`,
    closed: `Đã kết thúc lấy ý kiến ngày ${vnDate(c.closesAt)}. Cơ quan soạn thảo đang tổng hợp, tiếp thu, giải trình.`,
    published: 'Đã kết thúc lấy ý kiến. Bản tổng hợp, tiếp thu, giải trình ý kiến ở dưới.',
  }[status];
  const recordedUnit = p.recorded ? draft.units.find((u) => u.key === p.recorded) : undefined;
  const banner = recordedUnit
    ? `<p class="notice" role="status" tabindex="-1" id="recorded">Đã ghi nhận góp ý của bạn về ${esc(recordedUnit.label)}. Bạn có thể sửa hoặc rút trước ngày ${vnDate(c.closesAt)}.</p>`
    : p.withdrawn
      ? '<p class="notice" role="status" tabindex="-1" id="recorded">Đã rút góp ý.</p>'
      : '';
  const toc = outline(draft.units)
    .map((u) => `<li><a href="#u-${esc(u.key)}">${esc(u.label)}${u.heading ? `. ${esc(u.heading)}` : ''}</a></li>`)
    .join('');
  const questions = c.questions.length ? `<h2>Cơ quan soạn thảo mong nhận ý kiến về</h2><ul>${c.questions.map((q) => `<li>${esc(q)}</li>`).join('')}</ul>` : '';
  const units = outline(draft.units)
    .map((u) => unitBlock(c, u, draft.units, open, p.form, p.counts))
    .join('');
  return layout(
    c.title,
    `<header><p class="kicker">Lấy ý kiến dự thảo</p><h1>${esc(c.title)}</h1><p class="status">${esc(statusText)}</p>${banner}
${c.summary ? paragraphs(c.summary) : ''}${c.scope ? `<p><strong>Đối tượng chịu tác động:</strong> ${esc(c.scope)}</p>` : ''}${questions}</header>
${p.synthesis ? synthesisTable(p.synthesis) : ''}
${mineBlock(c, p.mine, open)}
<nav aria-labelledby="muc-luc"><h2 id="muc-luc">Mục lục dự thảo${draft.version > 1 ? ` (bản ${draft.version})` : ''}</h2><ol class="toc">${toc}</ol></nav>
<section aria-labelledby="du-thao"><h2 id="du-thao">${esc(draft.title)}</h2><p class="muted">Đây là dự thảo, chưa có hiệu lực.</p>${units}</section>`,
  );
}

export function listPage(items: { consultation: Consultation; now: Date }[]): string {
  const li = items.map(({ consultation: c, now }) => `<li><a href="/gop-y/${esc(c.slug)}">${esc(c.title)}</a> <span class="muted">${statusOf(c, now) === 'open' ? `đến ${vnDate(c.closesAt)}` : 'đã kết thúc'}</span></li>`).join('');
  return layout('Lấy ý kiến dự thảo', `<h1>Lấy ý kiến dự thảo</h1>${li ? `<ul>${li}</ul>` : '<p>Hiện không có dự thảo nào đang lấy ý kiến.</p>'}`);
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p><p><a href="/gop-y">Các dự thảo đang lấy ý kiến</a></p>`);
}
