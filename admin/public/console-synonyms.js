/* Từ đồng nghĩa: the agency's everyday → legal wording ("gửi xe" → "trông giữ xe"). Loa
 * uses a saved entry for the next question. Spokespeople and administrators edit; viewers read. */
import { api } from './console-api.js';
import { field, h, replace } from './console-dom.js';
import { formatDateTime, formatNumber, t } from './console-i18n.js';
import { busy, pageHeader } from './console-ui.js';

const phrases = (text) => text.split(/[,;\n]/).map((p) => p.trim()).filter(Boolean);

/** `/admin/synonyms` */
export async function renderSynonyms(ctx) {
  const { root, user } = ctx;
  ctx.setTitle(t('syn.title'));
  const data = await api.get('/synonyms');
  if (!ctx.current()) return;
  const canEdit = user.role === 'admin' || user.role === 'spokesperson';
  const reload = () => ctx.navigate(location.pathname, { replace: true });

  const form = canEdit ? synonymForm(ctx, reload) : null;
  const list = data.items.length === 0
    ? h('p', { class: 'empty', text: t('syn.empty') })
    : h('ul', { class: 'syn-list' }, data.items.map((s) => synonymRow(ctx, s, canEdit, form, reload)));
  replace(root,
    pageHeader(t('syn.title'), t('syn.intro', { n: formatNumber(data.builtIn) })),
    form ? form.el : null,
    h('section', { 'aria-labelledby': 'syn-list-title' },
      h('h2', { id: 'syn-list-title', text: t('syn.listTitle') }),
      h('p', { class: 'muted count', text: t('common.total', { n: data.total }) }),
      list,
    ),
  );
}

function synonymForm(ctx, reload) {
  let editing = null;
  const everyday = h('input', { type: 'text', required: true, maxlength: '700', autocomplete: 'off', spellcheck: 'false' });
  const legal = h('input', { type: 'text', required: true, maxlength: '700', autocomplete: 'off', spellcheck: 'false' });
  const note = h('input', { type: 'text', maxlength: '300', autocomplete: 'off' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const title = h('h2', { id: 'syn-form-title', text: t('syn.formTitle') });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', text: t('syn.add') });
  const cancel = h('button', { type: 'button', class: 'btn', hidden: true, text: t('syn.cancelEdit'), onClick: () => reset() });
  const el = h('form', { class: 'panel form syn-form', novalidate: true, 'aria-labelledby': 'syn-form-title' },
    title,
    h('div', { class: 'form-grid' },
      field(t('syn.everyday'), everyday, t('syn.everydayHint')),
      field(t('syn.legal'), legal, t('syn.legalHint')),
      field(t('syn.note'), note, t('syn.noteHint')),
    ),
    error,
    h('div', { class: 'actions' }, save, cancel),
  );
  const reset = () => {
    editing = null;
    everyday.value = legal.value = note.value = '';
    title.textContent = t('syn.formTitle');
    save.textContent = t('syn.add');
    cancel.hidden = true;
    error.textContent = '';
    everyday.focus();
  };
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = { everyday: phrases(everyday.value), legal: phrases(legal.value), ...(note.value.trim() ? { note: note.value.trim() } : {}) };
    if (body.everyday.length === 0) return void ((error.textContent = t('syn.needEveryday')), everyday.focus());
    if (body.legal.length === 0) return void ((error.textContent = t('syn.needLegal')), legal.focus());
    error.textContent = '';
    void busy(save, t('common.saving'), async () => {
      try {
        if (editing) await api.patch(`/synonyms/${encodeURIComponent(editing.id)}`, body);
        else await api.post('/synonyms', body);
        ctx.toast(editing ? t('syn.updated') : t('syn.added'));
        reload();
      } catch (err) {
        error.textContent = ctx.errorText(err);
        everyday.focus();
      }
    });
  });
  return {
    el,
    edit(s) {
      editing = s;
      everyday.value = s.everyday.join(', ');
      legal.value = s.legal.join(', ');
      note.value = s.note || '';
      title.textContent = t('syn.editTitle');
      save.textContent = t('syn.update');
      cancel.hidden = false;
      error.textContent = '';
      el.scrollIntoView({ block: 'start' });
      everyday.focus();
    },
  };
}

function synonymRow(ctx, s, canEdit, form, reload) {
  const label = s.everyday.join(', ');
  const actions = canEdit ? h('div', { class: 'row-actions' },
    h('button', { type: 'button', class: 'btn btn-small', 'aria-label': t('syn.editLabel', { p: label }), text: t('common.edit'), onClick: () => form.edit(s) }),
    h('button', {
      type: 'button',
      class: 'btn btn-small btn-danger-outline',
      'aria-label': t('syn.deleteLabel', { p: label }),
      text: t('syn.delete'),
      onClick: async (ev) => {
        const button = ev.currentTarget;
        if (!(await ctx.confirm(t('syn.confirmDelete', { p: label }), { confirmLabel: t('syn.delete'), danger: true }))) return;
        await busy(button, null, async () => {
          try {
            await api.del(`/synonyms/${encodeURIComponent(s.id)}`);
            ctx.toast(t('syn.deleted'));
            reload();
          } catch (err) {
            ctx.toast(ctx.errorText(err), 'error');
          }
        });
      },
    }),
  ) : null;
  return h('li', { class: 'syn-item', dataset: { id: s.id } },
    h('p', { class: 'syn-pair' },
      h('span', { class: 'syn-everyday', text: label }),
      h('span', { class: 'syn-arrow', 'aria-hidden': 'true', text: ' → ' }),
      h('span', { class: 'sr-only', text: ` ${t('syn.legal')}: ` }),
      h('span', { class: 'syn-legal', text: s.legal.join(', ') }),
    ),
    s.note ? h('p', { class: 'muted syn-note', text: s.note }) : null,
    h('p', { class: 'muted small', text: `${t('syn.updatedBy')}: ${s.updatedBy} · ${formatDateTime(s.updatedAt)}` }),
    actions,
  );
}
