/* Tài khoản: who is signed in, and changing one's own password. */
import { api } from './console-api.js';
import { field, h, replace } from './console-dom.js';
import { formatDateTime, t } from './console-i18n.js';
import { busy, pageHeader } from './console-ui.js';

/** `/admin/account` */
export async function renderAccount(ctx) {
  const { root, user } = ctx;
  ctx.setTitle(t('account.title'));
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true, maxlength: '256' });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: '10', maxlength: '256' });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true, maxlength: '256' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', text: t('account.changePassword') });
  const form = h('form', { class: 'panel form narrow', 'aria-labelledby': 'pw-h', novalidate: true },
    h('h2', { id: 'pw-h', text: t('account.changePassword') }),
    field(t('account.current'), current),
    field(t('account.new'), next, t('account.newHint')),
    field(t('account.confirm'), again),
    error,
    h('div', { class: 'actions' }, save),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    error.textContent = '';
    if (next.value !== again.value) return void ((error.textContent = t('account.mismatch')), again.focus());
    void busy(save, t('common.saving'), async () => {
      try {
        await api.post('/me/password', { currentPassword: current.value, newPassword: next.value });
        form.reset();
        ctx.toast(t('account.changed'));
        if (user.mustChangePassword) {
          user.mustChangePassword = false;
          ctx.navigate('/admin');
        }
      } catch (err) {
        error.textContent = ctx.errorText(err);
      }
    });
  });
  const mustChange = user.mustChangePassword
    ? h('p', { class: 'notice', role: 'alert', text: t('account.mustChange') })
    : null;
  replace(root,
    pageHeader(t('account.title')),
    ...(mustChange ? [mustChange] : []),
    h('section', { class: 'panel narrow' },
      h('dl', { class: 'facts' },
        h('dt', { text: t('users.name') }), h('dd', { text: user.name }),
        h('dt', { text: t('users.email') }), h('dd', { text: user.email }),
        h('dt', { text: t('users.role') }), h('dd', { text: t(`role.${user.role}`) }),
        h('dt', { text: t('users.lastLogin') }), h('dd', { text: user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t('users.never') }),
      ),
    ),
    form,
  );
}
