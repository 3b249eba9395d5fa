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
    ...(user.mustChangePassword ? [] : [totpPanel(ctx), sessionsPanel(ctx)]),
  );
}

/** The browsers signed in to this account, each with a button to sign it out. */
function sessionsPanel(ctx) {
  const panel = h('section', { class: 'panel narrow', 'aria-labelledby': 'sessions-h' });
  const draw = async () => {
    const { items } = await api.get('/me/sessions');
    const rows = items.map((s) =>
      h('li', {},
        h('span', { text: `${s.current ? t('account.thisSession') : t('account.otherSession')} — ${t('account.lastSeen')} ${formatDateTime(s.lastSeenAt)}` }),
        ' ',
        h('button', {
          type: 'button',
          class: 'btn btn-ghost',
          text: t('account.revoke'),
          onClick: async () => {
            try {
              await api.del(`/me/sessions/${encodeURIComponent(s.id)}`);
              if (s.current) return void ctx.navigate('/admin/login');
              ctx.toast(t('account.revoked'));
              await draw();
            } catch (err) {
              ctx.toast(ctx.errorText(err));
            }
          },
        }),
      ),
    );
    replace(panel, h('h2', { id: 'sessions-h', text: t('account.sessions') }), h('ul', { class: 'attached-list' }, ...rows));
  };
  void draw().catch((err) => replace(panel, h('p', { class: 'error', role: 'alert', text: ctx.errorText(err) })));
  return panel;
}

/** Two-step verification: turn on (secret → app → first code) or off (password and a code). */
function totpPanel(ctx) {
  const { user } = ctx;
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true, maxlength: '256' });
  const code = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6', required: true });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const panel = h('form', { class: 'panel form narrow', 'aria-labelledby': 'totp-h', novalidate: true });
  let secret = '';
  const draw = () => {
    replace(panel, h('h2', { id: 'totp-h', text: t('account.totp') }), h('p', { text: user.totpEnabled ? t('account.totpOn') : t('account.totpOff') }));
    if (user.totpEnabled) {
      panel.append(field(t('account.current'), password), field(t('account.totpCode'), code), error,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn', text: t('account.totpDisable') })));
    } else if (!secret) {
      panel.append(h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', text: t('account.totpStart') })), error);
    } else {
      panel.append(h('p', { text: t('account.totpSecret') }), h('p', { class: 'otp', text: secret.replace(/(.{4})/g, '$1 ').trim() }),
        h('p', {}, h('a', { href: ctx.totpUri, text: 'otpauth://…' })),
        field(t('account.current'), password), field(t('account.totpCode'), code), error,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', text: t('account.totpEnable') })));
    }
  };
  panel.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    try {
      if (user.totpEnabled) {
        await api.post('/me/totp/disable', { currentPassword: password.value, code: code.value.trim() });
        user.totpEnabled = false;
        ctx.toast(t('account.totpDisabled'));
      } else if (!secret) {
        const setup = await api.post('/me/totp/setup', {});
        secret = setup.secret;
        ctx.totpUri = setup.uri;
      } else {
        await api.post('/me/totp/enable', { currentPassword: password.value, secret, code: code.value.trim() });
        user.totpEnabled = true;
        secret = '';
        ctx.toast(t('account.totpEnabled'));
      }
      password.value = '';
      code.value = '';
      draw();
    } catch (err) {
      error.textContent = ctx.errorText(err);
    }
  });
  draw();
  return panel;
}
