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
    : user.totpEnrolmentRequired
      ? h('p', { class: 'notice', role: 'alert', text: t('account.mustEnrol') })
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
    ...(user.mustChangePassword ? [] : user.totpEnrolmentRequired ? [totpPanel(ctx)] : [totpPanel(ctx), sessionsPanel(ctx)]),
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

/** The recovery codes, shown once after they are made, with a way on. */
function recoveryCodesView(codes, onDone) {
  return h('div', { class: 'recovery-codes', role: 'region', 'aria-labelledby': 'rc-h' },
    h('h3', { id: 'rc-h', text: t('account.recoveryTitle') }),
    h('p', { role: 'alert', text: t('account.recoveryHint') }),
    h('ol', { class: 'otp-list', lang: 'en' }, ...codes.map((c) => h('li', { class: 'otp', text: c }))),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-primary', text: t('account.recoverySaved'), onClick: onDone })),
  );
}

/**
 * Two-step verification: turn on (secret → app → first code → recovery codes), new recovery
 * codes, or off (password and a code; not when LOA_REQUIRE_TOTP applies to the account).
 */
function totpPanel(ctx) {
  const { user } = ctx;
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true, maxlength: '256' });
  const code = h('input', { type: 'text', autocomplete: 'one-time-code', autocapitalize: 'none', spellcheck: 'false', maxlength: '16', required: true });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const panel = h('form', { class: 'panel form narrow', 'aria-labelledby': 'totp-h', novalidate: true });
  let secret = '';
  let status = { enabled: user.totpEnabled === true, required: user.totpEnrolmentRequired === true, recoveryCodesLeft: 0 };
  let shownCodes = null;
  const draw = () => {
    replace(panel, h('h2', { id: 'totp-h', text: t('account.totp') }));
    if (shownCodes) {
      const codes = shownCodes;
      panel.append(recoveryCodesView(codes, () => {
        shownCodes = null;
        // Back to a full console: a reload starts the live feed the enrolment held back.
        if (user.totpEnrolmentRequired) return void location.assign('/admin');
        draw();
      }));
      return;
    }
    panel.append(h('p', { text: status.enabled ? t('account.totpOn') : t('account.totpOff') }));
    if (status.enabled) {
      panel.append(
        h('p', { class: 'muted', text: t('account.recoveryLeft', { n: status.recoveryCodesLeft }) }),
        ...(status.required ? [h('p', { class: 'muted', text: t('account.totpRequired') })] : []),
        field(t('account.current'), password), field(t('account.totpCode'), code, t('account.totpCodeOrRecovery')), error,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', class: 'btn', value: 'renew', text: t('account.recoveryRenew') }),
          status.required ? null : h('button', { type: 'submit', class: 'btn', value: 'disable', text: t('account.totpDisable') }),
        ));
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
    const action = ev.submitter?.value;
    try {
      if (status.enabled && action === 'renew') {
        shownCodes = (await api.post('/me/totp/recovery-codes', { currentPassword: password.value, code: code.value.trim() })).recoveryCodes;
        status.recoveryCodesLeft = shownCodes.length;
      } else if (status.enabled) {
        await api.post('/me/totp/disable', { currentPassword: password.value, code: code.value.trim() });
        user.totpEnabled = false;
        status.enabled = false;
        ctx.toast(t('account.totpDisabled'));
      } else if (!secret) {
        const setup = await api.post('/me/totp/setup', {});
        secret = setup.secret;
        ctx.totpUri = setup.uri;
      } else {
        const done = await api.post('/me/totp/enable', { currentPassword: password.value, secret, code: code.value.trim() });
        user.totpEnabled = true;
        status = { ...status, enabled: true, recoveryCodesLeft: done.recoveryCodes.length };
        shownCodes = done.recoveryCodes;
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
  if (status.enabled) {
    void api.get('/me/totp').then((s) => {
      status = s;
      if (!secret && !shownCodes) draw();
    }, () => {});
  }
  return panel;
}
