/* Lấy ý kiến dự thảo: consultations on drafts. The list and creation form; per consultation
 * the figures (participation per day and channel, the heat map of comments per article, stances,
 * campaigns), themes per article with their answer (tiếp thu / giải trình), moderation, the
 * synthesis export and its publication. Viewers see the figures only. */
/* global FileReader */
import { api, apiUrl } from './console-api.js';
import { field, h, replace } from './console-dom.js';
import { formatDate, formatNumber, t } from './console-i18n.js';
import { shareBar, stackedBarChart } from './console-charts.js';
import { busy, pageHeader } from './console-ui.js';

const CHANNELS = ['zalo', 'telegram', 'webchat', 'botframework', 'page'];
const STANCES = ['agree', 'disagree', 'other'];

function statusBadge(status) {
  return h('span', { class: `badge ${status === 'open' ? 'st-answered' : status === 'published' ? 'st-claimed' : 'badge-plain'}`, text: t(`consult.status.${status}`) });
}

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1] || '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** `/admin/consultations` */
export async function renderConsultations(ctx) {
  const { root, user } = ctx;
  ctx.setTitle(t('consult.title'));
  const data = await api.get('/consultations');
  if (!ctx.current()) return;
  const list = data.items.length === 0
    ? h('p', { class: 'empty', text: t('consult.empty') })
    : h('ul', { class: 'consult-list' }, data.items.map((c) => h('li', { class: 'panel' },
      h('a', { href: `/admin/consultations/${encodeURIComponent(c.id)}`, text: c.title }), ' ', statusBadge(c.status),
      h('p', { class: 'muted', text: t('consult.period', { from: formatDate(c.opensAt), to: formatDate(c.closesAt) }) }),
    )));
  replace(root, pageHeader(t('consult.title'), t('consult.intro')), user.role === 'admin' ? createForm(ctx) : null, h('section', { 'aria-labelledby': 'consult-list-title' }, h('h2', { id: 'consult-list-title', text: t('consult.listTitle') }), list));
}

function createForm(ctx) {
  const title = h('input', { type: 'text', required: true, maxlength: '300', name: 'title' });
  const slug = h('input', { type: 'text', required: true, maxlength: '80', pattern: '[a-z0-9]+(-[a-z0-9]+)*', name: 'slug', spellcheck: 'false' });
  const summary = h('textarea', { rows: '2', maxlength: '4000', name: 'summary' });
  const scope = h('input', { type: 'text', maxlength: '2000', name: 'scope' });
  const questions = h('textarea', { rows: '3', name: 'questions' });
  const opens = h('input', { type: 'date', required: true, name: 'opensAt' });
  const closes = h('input', { type: 'date', required: true, name: 'closesAt' });
  const consulted = h('input', { type: 'number', min: '0', value: '0', name: 'consultedCount' });
  const officers = h('input', { type: 'text', name: 'officers', spellcheck: 'false' });
  const file = h('input', { type: 'file', required: true, accept: '.docx,.pdf,.md,.markdown,.txt,.html,.htm', name: 'draft' });
  const asks = ['name', 'organisation', 'contact'].map((k) => h('input', { type: 'checkbox', name: `ask-${k}` }));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', text: t('consult.create') });
  const today = new Date();
  opens.value = today.toISOString().slice(0, 10);
  closes.value = new Date(today.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  const el = h('form', { class: 'panel form consult-form', novalidate: true, 'aria-labelledby': 'consult-form-title' },
    h('h2', { id: 'consult-form-title', text: t('consult.formTitle') }),
    h('div', { class: 'form-grid' },
      field(t('consult.f.title'), title),
      field(t('consult.f.slug'), slug, t('consult.f.slugHint')),
      field(t('consult.f.summary'), summary),
      field(t('consult.f.scope'), scope),
      field(t('consult.f.questions'), questions, t('consult.f.questionsHint')),
      field(t('consult.f.opens'), opens),
      field(t('consult.f.closes'), closes),
      field(t('consult.f.consulted'), consulted, t('consult.f.consultedHint')),
      field(t('consult.f.officers'), officers, t('consult.f.officersHint')),
      field(t('consult.f.draft'), file, t('consult.f.draftHint')),
    ),
    h('fieldset', { class: 'checks' }, h('legend', { text: t('consult.f.asks') }),
      ['name', 'organisation', 'contact'].map((k, i) => h('label', null, asks[i], ' ', t(`consult.f.ask.${k}`)))),
    error,
    h('div', { class: 'actions' }, save),
  );
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!title.value.trim()) return void ((error.textContent = t('consult.f.needTitle')), title.focus());
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug.value.trim())) return void ((error.textContent = t('consult.f.needSlug')), slug.focus());
    const draft = file.files && file.files[0];
    if (!draft) return void ((error.textContent = t('consult.f.needDraft')), file.focus());
    error.textContent = '';
    void busy(save, t('common.saving'), async () => {
      try {
        const body = {
          title: title.value.trim(), slug: slug.value.trim(), summary: summary.value.trim(), scope: scope.value.trim(),
          questions: questions.value.split('\n').map((q) => q.trim()).filter((q) => q.length >= 3),
          opensAt: new Date(`${opens.value}T00:00:00+07:00`).toISOString(),
          closesAt: new Date(`${closes.value}T23:59:59+07:00`).toISOString(),
          consultedCount: Number(consulted.value) || 0,
          officers: officers.value.split(/[,;\s]+/).filter(Boolean),
          asks: { name: asks[0].checked, organisation: asks[1].checked, contact: asks[2].checked },
          draft: { name: draft.name, contentBase64: await readBase64(draft) },
        };
        const res = await api.post('/consultations', body);
        ctx.toast(t('consult.created'));
        ctx.navigate(`/admin/consultations/${encodeURIComponent(res.consultation.id)}`);
      } catch (err) {
        error.textContent = ctx.errorText(err);
        title.focus();
      }
    });
  });
  return el;
}

/** `/admin/consultations/:id` */
export async function renderConsultation(ctx) {
  const { root, params } = ctx;
  const id = params[0];
  const data = await api.get(`/consultations/${encodeURIComponent(id)}`);
  if (!ctx.current()) return;
  const c = data.consultation;
  ctx.setTitle(c.title);
  const reload = () => ctx.navigate(location.pathname, { replace: true });
  const exports = ['docx', 'xlsx', 'csv'].map((f) => h('a', { class: 'btn', href: apiUrl(`/consultations/${encodeURIComponent(id)}/export.${f}`), download: '', text: `⬇ ${f.toUpperCase()}` }));
  const publish = c.canEdit && c.status === 'closed' ? h('button', { type: 'button', class: 'btn btn-primary', text: t('consult.publish'), onClick: (ev) => void busy(ev.currentTarget, t('common.saving'), async () => {
    try {
      const res = await api.post(`/consultations/${encodeURIComponent(id)}/publish`);
      ctx.toast(t('consult.published', { n: res.notified.sent }));
      reload();
    } catch (err) { ctx.toast(ctx.errorText(err), 'error'); }
  }) }) : null;
  const head = pageHeader(c.title, t('consult.period', { from: formatDate(c.opensAt), to: formatDate(c.closesAt) }), ...exports, publish);
  const link = h('p', null, statusBadge(c.status), ' ', h('a', { href: `/gop-y/${encodeURIComponent(c.slug)}`, target: '_blank', rel: 'noopener', text: t('consult.publicPage') }), ' · ', t('consult.version', { n: data.draft.version }));
  // The OpenAPI document describes stats only as a record (admin/consultations/routes.ts): not checked here.
  const stats = /** @type {any} */ (data.stats);
  const kpis = h('ul', { class: 'kpis' },
    h('li', null, h('strong', { text: formatNumber(stats.comments) }), ' ', t('consult.kpi.comments')),
    h('li', null, h('strong', { text: formatNumber(stats.participants) }), ' ', t('consult.kpi.participants')),
    h('li', null, h('strong', { text: formatNumber(c.consultedCount) }), ' ', t('consult.kpi.consulted')),
    h('li', null, h('strong', { text: formatNumber(stats.hidden) }), ' ', t('consult.kpi.hidden')),
  );
  const perDay = h('section', { class: 'panel wide' });
  const byChannel = h('section', { class: 'panel' });
  const heat = heatMap(stats.byArticle);
  const campaigns = h('section', { class: 'panel', 'aria-labelledby': 'campaigns-title' }, h('h2', { id: 'campaigns-title', text: t('consult.campaigns') }),
    stats.campaigns.length ? h('ul', null, stats.campaigns.slice(0, 20).map((x) => h('li', null, h('strong', { text: t('consult.senders', { n: formatNumber(x.senders) }) }), ' — ', `“${x.text.slice(0, 200)}”`, h('span', { class: 'muted', text: ` (${x.unitKeys.map((k) => `Điều ${k}`).join(', ')})` })))) : h('p', { class: 'muted', text: t('consult.noCampaigns') }));
  const themes = c.canEdit ? h('section', { class: 'consult-themes', 'aria-labelledby': 'themes-title' }, h('h2', { id: 'themes-title', text: t('consult.themes') }), h('p', { class: 'loading', text: t('app.loading') })) : h('p', { class: 'muted', text: t('consult.viewerNote') });
  replace(root, head, link, kpis, h('div', { class: 'panels' }, perDay, byChannel), heat, campaigns, themes);
  const series = CHANNELS.map((k) => ({ key: k, label: t(`channel.${k}`), className: `s-${k}` }));
  replace(perDay, stackedBarChart({ title: t('consult.chart.perDay'), width: perDay.clientWidth - 32 || 600, days: stats.byDay.map((d) => ({ day: d.day, label: d.day.slice(5).split('-').reverse().join('/'), values: d.byChannel })), series }));
  replace(byChannel, shareBar({ title: t('consult.chart.byChannel'), width: byChannel.clientWidth - 32 || 300, parts: CHANNELS.map((k) => ({ label: t(`channel.${k}`), value: stats.byChannel[k] || 0, className: `s-${k}` })).filter((p) => p.value > 0) }));
  if (c.canEdit) await renderThemes(ctx, id, data.draft.units, themes);
}

function heatMap(articles) {
  const rows = articles.map((a) => {
    const total = Math.max(1, a.comments);
    const bar = h('span', { class: 'stance-bar', role: 'img', 'aria-label': STANCES.map((s) => `${t(`consult.stance.${s}`)} ${a.stances[s]}`).join(', ') },
      STANCES.map((s) => { const seg = h('span', { class: `st-${s}` }); seg.style.width = `${(a.stances[s] / total) * 100}%`; return seg; }));
    const row = h('tr', { class: 'heat-row' }, h('th', { scope: 'row', text: `${a.label}${a.heading ? `. ${a.heading}` : ''}` }), h('td', { class: 'num', text: formatNumber(a.comments) }), h('td', null, bar));
    row.style.setProperty('--heat', String(a.heat));
    return row;
  });
  return h('section', { class: 'panel', 'aria-labelledby': 'heat-title' }, h('h2', { id: 'heat-title', text: t('consult.heat') }),
    h('table', { class: 'heat' }, h('thead', null, h('tr', null, h('th', { scope: 'col', text: t('consult.article') }), h('th', { scope: 'col', text: t('consult.kpi.comments') }), h('th', { scope: 'col', text: t('consult.stances') }))), h('tbody', null, rows)),
    h('p', { class: 'legend muted' }, STANCES.map((s) => h('span', { class: `key st-${s}`, text: t(`consult.stance.${s}`) }))));
}

async function renderThemes(ctx, id, units, section) {
  const base = `/consultations/${encodeURIComponent(id)}`;
  const [themes, comments] = await Promise.all([api.get(`${base}/themes`), api.get(`${base}/comments`)]);
  if (!ctx.current()) return;
  const reload = () => ctx.navigate(location.pathname, { replace: true });
  const byId = new Map(comments.items.map((x) => [x.id, x]));
  const groupBtn = h('button', { type: 'button', class: 'btn btn-primary', text: t('consult.autoGroup'), onClick: (ev) => void busy(ev.currentTarget, t('common.saving'), async () => {
    const res = await api.post(`${base}/themes/auto`);
    ctx.toast(t('consult.grouped', { n: res.created }));
    reload();
  }) });
  const articles = units.filter((u) => u.kind !== 'clause');
  const loose = comments.items.filter((x) => !x.themeId);
  const blocks = articles.map((a) => {
    const mine = themes.items.filter((x) => x.unitKey === a.key);
    const ungrouped = loose.filter((x) => (x.currentUnitKey || '').split('.')[0] === a.key);
    if (!mine.length && !ungrouped.length) return null;
    return h('section', { class: 'panel theme-article', 'aria-labelledby': `art-${a.key}` },
      h('h3', { id: `art-${a.key}`, text: `${a.label}${a.heading ? `. ${a.heading}` : ''}` }),
      mine.map((th) => themeCard(ctx, base, th, mine, byId, reload)),
      ungrouped.length ? h('details', null, h('summary', { text: t('consult.ungrouped', { n: ungrouped.length }) }), commentList(ctx, base, ungrouped, reload)) : null);
  });
  replace(section, h('h2', { id: 'themes-title', text: t('consult.themes') }), h('p', { class: 'muted', text: t('consult.themesIntro') }), h('div', { class: 'actions' }, groupBtn), blocks);
}

function themeCard(ctx, base, th, siblings, byId, reload) {
  const label = h('input', { type: 'text', value: th.label, maxlength: '300', 'aria-label': t('consult.themeLabel') });
  const kind = h('select', { 'aria-label': t('consult.responseKind') }, [['', t('consult.noResponse')], ['accept', t('consult.accept')], ['explain', t('consult.explain')]].map(([v, l]) => h('option', { value: v, selected: (th.responseKind || '') === v, text: l })));
  const text = h('textarea', { rows: '2', maxlength: '10000', 'aria-label': t('consult.responseText') });
  text.value = th.responseText || '';
  const save = h('button', { type: 'button', class: 'btn btn-primary', text: t('consult.saveTheme') });
  save.addEventListener('click', () => void busy(save, t('common.saving'), async () => {
    const body = { label: label.value.trim() };
    if (kind.value) Object.assign(body, { responseKind: kind.value, responseText: text.value.trim() });
    if (kind.value && !body.responseText) { ctx.toast(t('consult.needResponse'), 'error'); return void text.focus(); }
    try {
      await api.patch(`${base}/themes/${encodeURIComponent(th.id)}`, body);
      ctx.toast(t('consult.themeSaved'));
    } catch (err) { ctx.toast(ctx.errorText(err), 'error'); }
  }));
  const others = siblings.filter((x) => x.id !== th.id);
  const mergeSel = others.length ? h('select', { 'aria-label': t('consult.mergeWith') }, others.map((o) => h('option', { value: o.id, text: o.label.slice(0, 80) }))) : null;
  const merge = mergeSel ? h('button', { type: 'button', class: 'btn', text: t('consult.merge'), onClick: (ev) => void busy(ev.currentTarget, t('common.saving'), async () => {
    await api.post(`${base}/themes/${encodeURIComponent(th.id)}/merge`, { sourceIds: [mergeSel.value] });
    reload();
  }) }) : null;
  const members = th.commentIds.map((cid) => byId.get(cid)).filter(Boolean);
  return h('article', { class: 'theme', 'data-theme': th.id },
    h('div', { class: 'theme-head' }, label, h('span', { class: 'count', text: t('consult.nComments', { n: formatNumber(th.comments) }) })),
    h('div', { class: 'theme-answer' }, kind, text, save),
    mergeSel ? h('div', { class: 'actions' }, mergeSel, merge) : null,
    h('details', null, h('summary', { text: t('consult.showComments') }), commentList(ctx, base, members, reload, th)));
}

function commentList(ctx, base, items, reload, theme) {
  const shown = items.slice(0, 50);
  const checks = [];
  const list = h('ul', { class: 'comments' }, shown.map((x) => {
    const box = h('input', { type: 'checkbox', value: x.id, 'aria-label': t('consult.select') });
    checks.push(box);
    const reason = h('input', { type: 'text', maxlength: '500', placeholder: t('consult.hideReason'), 'aria-label': t('consult.hideReason'), class: 'reason' });
    const hide = h('button', { type: 'button', class: 'btn btn-small', text: t('consult.hide'), onClick: async () => {
      if (reason.value.trim().length < 3) { ctx.toast(t('consult.needReason'), 'error'); return void reason.focus(); }
      try {
        await api.post(`${base}/comments/${encodeURIComponent(x.id)}/moderation`, { hidden: true, reason: reason.value.trim() });
        ctx.toast(t('consult.hidden'));
        reload();
      } catch (err) { ctx.toast(ctx.errorText(err), 'error'); }
    } });
    const who = [x.organisation, x.name].filter(Boolean).join(' — ');
    return h('li', null, box, ' ', h('span', { class: `badge st-${x.stance}`, text: t(`consult.stance.${x.stance}`) }), ' ', h('span', { text: x.text }),
      h('span', { class: 'muted', text: ` · ${t(`channel.${x.channel}`)}${who ? ` · ${who}` : ''}${x.contact ? ` · ${x.contact}` : ''}` }), ' ', reason, hide);
  }));
  const split = h('button', { type: 'button', class: 'btn', text: theme ? t('consult.split') : t('consult.newTheme'), onClick: (ev) => void busy(ev.currentTarget, t('common.saving'), async () => {
    const ids = checks.filter((b) => b.checked).map((b) => b.value);
    if (!ids.length) return void ctx.toast(t('consult.selectFirst'), 'error');
    const first = items.find((x) => x.id === ids[0]);
    await api.post(`${base}/themes`, { unitKey: (theme ? theme.unitKey : (first.currentUnitKey || first.unitKey).split('.')[0]), label: first.text.slice(0, 120), commentIds: ids });
    reload();
  }) });
  return h('div', null, list, items.length > shown.length ? h('p', { class: 'muted', text: t('consult.more', { n: items.length - shown.length }) }) : null, h('div', { class: 'actions' }, split));
}
