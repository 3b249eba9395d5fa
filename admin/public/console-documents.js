/* Văn bản (administrators): the list, upload, and one document's metadata, legal status
 * (superseded / amended / expired, with "thay thế bởi"), parsed structure and deletion.
 * A document is addressed as /admin/documents?id=… because ids may contain "/" and ".". */
import { api, request } from './console-api.js';
import { field, h, replace, select } from './console-dom.js';
import { formatDate, formatDateTime, formatNumber, t } from './console-i18n.js';
import { busy, documentStatusBadge, pageHeader } from './console-ui.js';

const STATUSES = ['in_force', 'amended', 'superseded', 'expired', 'unknown'];

const docHref = (id) => `/admin/documents?id=${encodeURIComponent(id)}`;

/** `/admin/documents` (the list) and `/admin/documents?id=…` (one document). */
export async function renderDocuments(ctx) {
  const id = ctx.query.get('id');
  if (id) return renderDocument(ctx, id);
  const { root } = ctx;
  ctx.setTitle(t('docs.title'));
  const data = await api.get('/documents');
  if (!ctx.current()) return;
  const docs = data.items;

  // Upload: the raw file is the body, its (URL-encoded) name in X-Filename.
  const file = h('input', { type: 'file', accept: '.pdf,.docx,.html,.htm,.md,.markdown,.txt,.jsonl' });
  const uploadError = h('p', { class: 'form-error', role: 'alert' });
  const uploadButton = h('button', { type: 'submit', class: 'btn btn-primary', text: t('docs.uploadButton') });
  const upload = h('form', { class: 'panel upload', 'aria-labelledby': 'upload-h' },
    h('h2', { id: 'upload-h', text: t('docs.upload') }),
    h('div', { class: 'upload-row' }, field(t('docs.file'), file, t('docs.fileHint')), uploadButton),
    uploadError,
  );
  upload.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const chosen = file.files && file.files[0];
    if (!chosen) return void ((uploadError.textContent = t('docs.noFile')), file.focus());
    uploadError.textContent = '';
    void busy(uploadButton, t('docs.uploading'), async () => {
      try {
        const out = await request('POST', '/documents', {
          body: chosen,
          headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': encodeURIComponent(chosen.name) },
        });
        const first = (out.documents || [])[0];
        ctx.toast(t('docs.uploaded', { title: first ? first.title : chosen.name }));
        ctx.navigate(first ? docHref(first.id) : '/admin/documents', { replace: !first });
      } catch (err) {
        uploadError.textContent = ctx.errorText(err);
      }
    });
  });

  const table = docs.length === 0
    ? h('p', { class: 'empty', text: t('docs.empty') })
    : h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
      h('caption', { class: 'sr-only', text: t('docs.title') }),
      h('thead', null, h('tr', null, ['title', 'number', 'type', 'status', 'units', 'ingested'].map((c) => h('th', { scope: 'col', text: t(`docs.col.${c}`) })))),
      h('tbody', null, docs.map((d) => h('tr', null,
        h('th', { scope: 'row' }, h('a', { href: docHref(d.id), text: d.title })),
        h('td', { class: 'nowrap', text: d.meta.number || t('common.none') }),
        h('td', { class: 'nowrap', text: d.meta.docType || t('common.none') }),
        h('td', null, documentStatusBadge(d.meta.status), d.meta.supersededBy ? h('span', { class: 'muted small', text: ` → ${d.meta.supersededBy}` }) : null),
        h('td', { class: 'num', text: formatNumber(d.unitCount) }),
        h('td', { class: 'nowrap', text: formatDateTime(d.ingestedAt) }),
      ))),
    ));

  const indexStatus = h('p', { class: 'panel index-status', role: 'status', 'aria-live': 'polite' });
  replace(root, pageHeader(t('docs.title'), t('docs.intro')), indexStatus, upload, h('p', { class: 'muted count', text: t('common.total', { n: docs.length }) }), table);
  void followIndexStatus(ctx, indexStatus);
}

/** The index's build status in words: ready, building (stage and progress) or failed (why). */
function indexStatusText(s) {
  if (s.state === 'building') {
    const p = s.building && s.building.progress;
    const stage = p ? t(`docs.index.stage.${p.stage}`) : t('docs.index.stage.starting');
    const share = p && p.total > 1 ? ` ${formatNumber(p.done)}/${formatNumber(p.total)}` : '';
    return t('docs.index.building', { stage: `${stage}${share}`, units: formatNumber(s.units) });
  }
  const ready = t('docs.index.ready', { units: formatNumber(s.units) })
    + (s.lastBuild ? ` ${t('docs.index.lastBuild', { at: formatDateTime(s.lastBuild.at), seconds: formatNumber(Math.round(s.lastBuild.ms / 100) / 10) })}` : '');
  if (s.state === 'failed' && s.failure) return `${t('docs.index.failed', { at: formatDateTime(s.failure.at), reason: s.failure.reason })} ${ready}`;
  return ready;
}

/** Shows the build status and follows it (every 2 s while a build runs) as long as the page is open. */
async function followIndexStatus(ctx, el) {
  for (;;) {
    let status;
    try {
      status = (await api.get('/documents/index-status')).index;
    } catch {
      return;
    }
    if (!ctx.current()) return;
    el.textContent = indexStatusText(status);
    el.dataset.state = status.state;
    await new Promise((resolve) => setTimeout(resolve, status.state === 'building' ? 2000 : 15000));
    if (!ctx.current()) return;
  }
}

/** The metadata form's fields, in order: [key, input type]. */
const META_FIELDS = [
  ['number', 'text'],
  ['docType', 'text'],
  ['issuer', 'text'],
  ['issuedDate', 'date'],
  ['effectiveDate', 'date'],
  ['url', 'url'],
];

async function renderDocument(ctx, id) {
  const { root } = ctx;
  const { document: doc } = await api.get(`/documents/${encodeURIComponent(id)}`);
  if (!ctx.current()) return;
  ctx.setTitle(doc.title);
  const managed = doc.managedBy === 'faqs';

  // --- metadata
  const inputs = {};
  const metaFields = META_FIELDS.map(([key, type]) => {
    inputs[key] = h('input', { type, value: doc.meta[key] || '', maxlength: key === 'url' ? '2000' : '500', readOnly: managed });
    return field(t(`docs.meta.${key}`), inputs[key]);
  });
  const aliases = h('textarea', { rows: '3', value: (doc.meta.aliases || []).join('\n'), readOnly: managed });
  const metaError = h('p', { class: 'form-error', role: 'alert' });
  const metaSave = h('button', { type: 'submit', class: 'btn btn-primary', text: t('common.save') });
  const metaForm = h('form', { class: 'panel form', 'aria-labelledby': 'meta-h', novalidate: true },
    h('h2', { id: 'meta-h', text: t('docs.meta') }),
    h('dl', { class: 'facts' },
      h('dt', { text: t('docs.meta.source') }), h('dd', null, h('code', { text: doc.source })),
      h('dt', { text: t('docs.col.units') }), h('dd', { text: t('docs.units', { n: formatNumber(doc.unitCount) }) }),
      h('dt', { text: t('docs.col.ingested') }), h('dd', { text: formatDateTime(doc.ingestedAt) }),
    ),
    h('div', { class: 'form-grid' }, metaFields),
    field(t('docs.meta.aliases'), aliases),
    metaError,
    managed ? null : h('div', { class: 'actions' }, metaSave),
  );
  metaForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    // Only what changed is sent; an emptied field is removed (null).
    const patch = {};
    for (const [key] of META_FIELDS) {
      const value = inputs[key].value.trim();
      if (value !== (doc.meta[key] || '')) patch[key] = value || null;
    }
    const list = aliases.value.split('\n').map((l) => l.trim()).filter(Boolean);
    if (list.join('\n') !== (doc.meta.aliases || []).join('\n')) patch.aliases = list.length ? list : null;
    if (Object.keys(patch).length === 0) return void ctx.toast(t('common.saved'));
    metaError.textContent = '';
    void busy(metaSave, t('common.saving'), async () => {
      try {
        await api.patch(`/documents/${encodeURIComponent(doc.id)}/meta`, patch);
        ctx.toast(t('common.saved'));
        ctx.navigate(docHref(doc.id), { replace: true });
      } catch (err) {
        metaError.textContent = ctx.errorText(err);
      }
    });
  });

  // --- legal status
  const status = select(STATUSES.map((s) => [s, t(`docs.status.${s}`)]), doc.meta.status);
  const by = h('input', { type: 'text', maxlength: '500', value: doc.meta.supersededBy || '' });
  const byField = field(t('docs.supersededBy'), by);
  const syncBy = () => {
    byField.hidden = !['superseded', 'amended', 'expired'].includes(status.value);
  };
  status.addEventListener('change', syncBy);
  syncBy();
  const statusError = h('p', { class: 'form-error', role: 'alert' });
  const statusSave = h('button', { type: 'submit', class: 'btn btn-primary', text: t('docs.applyStatus') });
  const statusForm = h('form', { class: 'panel form', 'aria-labelledby': 'status-h', novalidate: true },
    h('h2', { id: 'status-h', text: t('docs.changeStatus') }),
    h('p', null, documentStatusBadge(doc.meta.status), doc.meta.supersededBy ? h('span', { class: 'muted', text: ` → ${doc.meta.supersededBy}` }) : null),
    h('div', { class: 'form-grid' }, field(t('docs.newStatus'), status), byField),
    statusError,
    h('div', { class: 'actions' }, statusSave),
  );
  statusForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    statusError.textContent = '';
    const body = { status: status.value, ...(by.value.trim() && !byField.hidden ? { supersededBy: by.value.trim() } : {}) };
    void busy(statusSave, t('common.saving'), async () => {
      try {
        const out = await api.post(`/documents/${encodeURIComponent(doc.id)}/status`, body);
        const marked = (out.faqsMarkedForReview || []).length;
        ctx.toast(marked ? `${t('docs.statusDone')} ${t('docs.faqsMarked', { n: marked })}` : t('docs.statusDone'));
        ctx.navigate(docHref(doc.id), { replace: true });
      } catch (err) {
        statusError.textContent = ctx.errorText(err);
      }
    });
  });

  const deleteButton = h('button', {
    type: 'button',
    class: 'btn btn-danger',
    text: t('docs.delete'),
    onClick: async (ev) => {
      const button = ev.currentTarget;
      if (!(await ctx.confirm(t('docs.deleteConfirm', { title: doc.title }), { confirmLabel: t('docs.delete'), danger: true }))) return;
      await busy(button, null, async () => {
        try {
          await api.del(`/documents/${encodeURIComponent(doc.id)}`);
          ctx.toast(t('docs.deleted'));
          ctx.navigate('/admin/documents', { replace: true });
        } catch (err) {
          ctx.toast(ctx.errorText(err), 'error');
        }
      });
    },
  });

  // --- parsed structure: articles (with their clauses inside) and unstructured passages
  const units = (doc.units || []).filter((u) => u.kind !== 'clause');
  const structure = h('section', { class: 'panel', 'aria-labelledby': 'structure-h' },
    h('h2', { id: 'structure-h', text: t('docs.structure') }),
    h('p', { class: 'muted', text: t('docs.units', { n: formatNumber((doc.units || []).length) }) }),
    h('div', { class: 'units' }, units.map((u) => h('details', { class: 'unit' },
      h('summary', null, h('span', { class: 'unit-section', text: u.section }), u.heading && !u.section.includes(u.heading) ? h('span', { text: ` — ${u.heading}` }) : null),
      h('p', { class: 'unit-text', text: u.text }),
      h('p', { class: 'muted small' }, h('code', { text: u.id })),
    ))),
  );

  replace(root,
    h('p', { class: 'back' }, h('a', { href: '/admin/documents', text: `← ${t('docs.back')}` })),
    pageHeader(doc.title, [doc.meta.docType, doc.meta.number, doc.meta.issuedDate ? formatDate(doc.meta.issuedDate) : ''].filter(Boolean).join(' · '), managed ? null : deleteButton),
    managed ? h('p', { class: 'notice', text: t('docs.managedByFaqs') }) : null,
    h('div', { class: 'detail-grid' }, h('div', { class: 'detail-main' }, metaForm, managed ? null : statusForm), h('div', { class: 'detail-side' }, structure)),
  );
}
