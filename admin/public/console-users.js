/* Người dùng (administrators): staff accounts, invitations with a one-time password shown
 * once, role changes, disabling and password resets. */
import { api } from './console-api.js';
import { field, h, replace, select } from './console-dom.js';
import { formatDateTime, t } from './console-i18n.js';
import { busy, pageHeader } from './console-ui.js';

const ROLES = ['admin', 'spokesperson', 'viewer'];

/** The one-time password box: shown once, with a copy button; it is never stored in the page state. */
function oneTimePasswordBox(email, password) {
  const code = h('code', { class: 'otp', text: password });
  const copy = h('button', {
    type: 'button',
    class: 'btn btn-small',
    text: t('users.copy'),
    onClick: async () => {
      try {
        await navigator.clipboard.writeText(password);
        copy.textContent = t('users.copied');
      } catch {
        // No clipboard permission: select the text so Ctrl+C works.
        const range = document.createRange();
        range.selectNodeContents(code);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
      }
    },
  });
  return h('div', { class: 'otp-box', role: 'alert' },
    h('p', null, h('strong', { text: t('users.oneTime', { email }) })),
    h('p', { class: 'otp-row' }, code, copy),
    h('p', { class: 'hint', text: t('users.oneTimeHint') }),
  );
}

/** `/admin/users` */
export async function renderUsers(ctx) {
  const { root, user: me } = ctx;
  ctx.setTitle(t('users.title'));
  const data = await api.get('/users');
  if (!ctx.current()) return;
  const users = data.items;
  const secretSlot = h('div');

  // --- invite
  const email = h('input', { type: 'email', required: true, maxlength: '254', autocomplete: 'off' });
  const name = h('input', { type: 'text', required: true, maxlength: '200', autocomplete: 'off' });
  const role = select(ROLES.map((r) => [r, t(`role.${r}`)]), 'spokesperson');
  const inviteError = h('p', { class: 'form-error', role: 'alert' });
  const inviteButton = h('button', { type: 'submit', class: 'btn btn-primary', text: t('users.invite') });
  const invite = h('form', { class: 'panel form', 'aria-labelledby': 'invite-h', novalidate: true },
    h('h2', { id: 'invite-h', text: t('users.invite') }),
    h('div', { class: 'form-grid' }, field(t('users.email'), email), field(t('users.name'), name), field(t('users.role'), role)),
    inviteError,
    h('div', { class: 'actions' }, inviteButton),
  );
  invite.addEventListener('submit', (ev) => {
    ev.preventDefault();
    inviteError.textContent = '';
    void busy(inviteButton, null, async () => {
      try {
        const out = await api.post('/users', { email: email.value.trim(), name: name.value.trim(), role: role.value });
        ctx.toast(t('users.created', { email: out.user.email }));
        await redraw();
        if (out.password) replace(secretSlot, oneTimePasswordBox(out.user.email, out.password));
        email.value = '';
        name.value = '';
      } catch (err) {
        inviteError.textContent = ctx.errorText(err);
      }
    });
  });

  const tableSlot = h('div', { class: 'table-wrap' });
  const redraw = async () => {
    const fresh = (await api.get('/users')).items;
    replace(tableSlot, usersTable(fresh));
  };

  function usersTable(list) {
    return h('table', { class: 'table' },
      h('caption', { class: 'sr-only', text: t('users.title') }),
      h('thead', null, h('tr', null, ['users.name', 'users.email', 'users.role', 'users.status', 'users.lastLogin', 'users.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', null, list.map((u) => userRow(u))),
    );
  }

  function userRow(u) {
    const self = u.id === me.id;
    const roleSelect = select(ROLES.map((r) => [r, t(`role.${r}`)]), u.role, { 'aria-label': t('users.changeRole', { email: u.email }), disabled: self });
    roleSelect.addEventListener('change', async () => {
      try {
        await api.patch(`/users/${encodeURIComponent(u.id)}`, { role: roleSelect.value });
        ctx.toast(t('users.roleChanged'));
        u.role = roleSelect.value;
      } catch (err) {
        roleSelect.value = u.role;
        ctx.toast(ctx.errorText(err), 'error');
      }
    });
    const toggle = h('button', {
      type: 'button',
      class: `btn btn-small${u.disabled ? '' : ' btn-danger-outline'}`,
      disabled: self,
      text: u.disabled ? t('users.enable') : t('users.disable'),
      onClick: async (ev) => {
        const button = ev.currentTarget;
        if (!u.disabled && !(await ctx.confirm(t('users.disableConfirm', { email: u.email }), { confirmLabel: t('users.disable'), danger: true }))) return;
        await busy(button, null, async () => {
          try {
            await api.patch(`/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled });
            await redraw();
          } catch (err) {
            ctx.toast(ctx.errorText(err), 'error');
          }
        });
      },
    });
    const reset = h('button', {
      type: 'button',
      class: 'btn btn-small',
      disabled: self,
      text: t('users.resetPassword'),
      onClick: async (ev) => {
        const button = ev.currentTarget;
        if (!(await ctx.confirm(t('users.resetConfirm', { email: u.email }), { confirmLabel: t('users.resetPassword') }))) return;
        await busy(button, null, async () => {
          try {
            const out = await api.post(`/users/${encodeURIComponent(u.id)}/reset-password`, {});
            if (out.password) replace(secretSlot, oneTimePasswordBox(u.email, out.password));
          } catch (err) {
            ctx.toast(ctx.errorText(err), 'error');
          }
        });
      },
    });
    return h('tr', { class: u.disabled ? 'row-disabled' : '' },
      h('th', { scope: 'row' }, h('span', { text: u.name }), self ? h('span', { class: 'muted', text: ` ${t('users.you')}` }) : null),
      h('td', { text: u.email }),
      h('td', null, roleSelect),
      h('td', null, h('span', { class: `badge ${u.disabled ? 'st-closed' : 'st-answered'}`, text: u.disabled ? t('users.disabled') : t('users.active') })),
      h('td', { text: u.lastLoginAt ? formatDateTime(u.lastLoginAt) : t('users.never') }),
      h('td', null, self ? null : h('div', { class: 'row-actions' }, toggle, reset)),
    );
  }

  replace(tableSlot, usersTable(users));
  replace(root, pageHeader(t('users.title'), t('users.intro')), invite, secretSlot, tableSlot);
}
