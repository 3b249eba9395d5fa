/* Dữ liệu cá nhân (administrators): erase one citizen's data on request (Decree 13/2023/NĐ-CP). */
import { api } from './console-api.js';
import { field, h, replace } from './console-dom.js';
import { t } from './console-i18n.js';
import { busy, pageHeader } from './console-ui.js';

const CHANNELS = ['zalo', 'telegram', 'webchat', 'botframework'];
const KINDS = ['turns', 'feedback', 'inbox', 'outbox', 'escalations', 'webchatMessages', 'examples', 'faqDrafts'];

/** The counts as a table a screen reader reads row by row. */
function countsTable(counts) {
  return h('table', { class: 'table table-counts' },
    h('caption', { class: 'sr-only', text: t('privacy.countsCaption') }),
    h('thead', null, h('tr', null, h('th', { scope: 'col', text: t('privacy.kind') }), h('th', { scope: 'col', class: 'num', text: t('privacy.count') }))),
    h('tbody', null, KINDS.map((k) => h('tr', null, h('th', { scope: 'row', text: t(`privacy.k.${k}`) }), h('td', { class: 'num', text: String(counts[k] ?? 0) })))),
  );
}

/**
 * `/admin/privacy` (find by channel + channel user id) or `/admin/privacy?escalation=<id>`
 * (from an escalation page): preview with counts → confirm → done. The user id is sent in
 * POST bodies only, never in a URL.
 */
export async function renderPrivacy(ctx) {
  const { root, query } = ctx;
  ctx.setTitle(t('privacy.title'));
  const escalationId = (query.get('escalation') || '').trim();
  const channel = h('select', { required: true }, CHANNELS.map((c) => h('option', { value: c, text: t(`channel.${c}`) })));
  const userId = h('input', { type: 'text', required: true, maxlength: '256', autocomplete: 'off', spellcheck: 'false' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const previewButton = h('button', { type: 'submit', class: 'btn btn-primary', text: t('privacy.preview') });
  const result = h('div', { 'aria-live': 'polite' });
  const who = () => (escalationId ? { escalationId } : { channel: channel.value, userId: userId.value.trim() });

  const find = h('form', { class: 'panel form narrow', 'aria-labelledby': 'find-h', novalidate: true },
    h('h2', { id: 'find-h', text: t('privacy.find') }),
    escalationId
      ? h('p', { text: t('privacy.fromEscalation') })
      : [field(t('privacy.channel'), channel), field(t('privacy.userId'), userId, t('privacy.userIdHint'))],
    error,
    h('div', { class: 'actions' }, previewButton),
  );

  const showDone = (done) => {
    replace(result, h('section', { class: 'panel narrow', role: 'status', 'aria-labelledby': 'done-h' },
      h('h2', { id: 'done-h', tabindex: '-1', text: t('privacy.done') }),
      h('p', { text: t('privacy.doneText', { pseudonym: done.pseudonym }) }),
      countsTable(done.counts),
      done.flaggedFaqIds.length
        ? h('p', {}, t('privacy.flagged', { n: done.flaggedFaqIds.length }), ' ', ...done.flaggedFaqIds.map((id) => h('a', { href: `/admin/faqs/${encodeURIComponent(id)}`, text: `#${id} ` })))
        : null,
    ));
  };

  const showPreview = (preview) => {
    const confirm = h('input', { type: 'checkbox', id: 'privacy-confirm', required: true });
    const confirmError = h('p', { class: 'form-error', role: 'alert' });
    const erase = h('button', { type: 'submit', class: 'btn btn-danger', text: t('privacy.erase') });
    const form = h('form', { class: 'panel form narrow', 'aria-labelledby': 'preview-h', novalidate: true },
      h('h2', { id: 'preview-h', text: t('privacy.previewTitle', { pseudonym: preview.pseudonym }) }),
      preview.total === 0 ? h('p', { class: 'empty', text: t('privacy.nothing') }) : countsTable(preview.counts),
      h('p', { class: 'hint', text: t('privacy.what') }),
      h('div', { class: 'check' }, confirm, h('label', { for: 'privacy-confirm', text: t('privacy.confirm') })),
      confirmError,
      h('div', { class: 'actions' }, erase),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      confirmError.textContent = '';
      if (!confirm.checked) return void ((confirmError.textContent = t('privacy.confirmNeeded')), confirm.focus());
      void busy(erase, t('privacy.erasing'), async () => {
        try {
          showDone(await api.post('/citizens/forget', { ...who(), confirm: true }));
          result.querySelector('h2')?.focus();
        } catch (err) {
          confirmError.textContent = ctx.errorText(err);
        }
      });
    });
    replace(result, form);
  };

  find.addEventListener('submit', (ev) => {
    ev.preventDefault();
    error.textContent = '';
    if (!escalationId && !userId.value.trim()) return void ((error.textContent = t('privacy.userIdNeeded')), userId.focus());
    void busy(previewButton, t('privacy.looking'), async () => {
      try {
        showPreview(await api.post('/citizens/preview', who()));
      } catch (err) {
        error.textContent = ctx.errorText(err);
      }
    });
  });

  replace(root, pageHeader(t('privacy.title')), h('p', { class: 'muted narrow', text: t('privacy.intro') }), find, result);
}
