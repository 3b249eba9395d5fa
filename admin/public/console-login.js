/* The sign-in page (shown without the console's menu). */
import { api, ApiError } from './console-api.js';
import { h, replace, field } from './console-dom.js';
import { getLang, setLang, t } from './console-i18n.js';

/** Localised wording for the login errors the server knows (its own text is Vietnamese). */
function loginError(err) {
  if (!(err instanceof ApiError)) return t('common.error');
  if (err.status === 0) return t('common.network');
  const vi = getLang() === 'vi';
  let text;
  if (err.status === 429) text = vi && err.serverMessage ? err.serverMessage : t('login.tooMany');
  else if (err.status === 423) text = vi && err.serverMessage ? err.serverMessage : t('login.locked');
  else if (err.status === 401) text = vi && err.serverMessage ? err.serverMessage : t('login.failed');
  else text = (vi && err.serverMessage) || t('common.error');
  if (err.retryAfterS && (err.status === 429 || err.status === 423)) {
    const until = new Date(Date.now() + err.retryAfterS * 1000);
    const time = new Intl.DateTimeFormat(vi ? 'vi-VN' : 'en-GB', { timeStyle: 'short' }).format(until);
    text += ` ${t('login.lockedUntil', { time })}`;
  }
  return text;
}

/**
 * Draws the login form into `root`; calls `onSignedIn({user, csrfToken})` on success.
 * `notice` is shown above the form (session expired, signed out).
 */
export function renderLogin({ root, notice, onSignedIn }) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, maxlength: '254', autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, maxlength: '256' });
  // Shown once the server says this account needs a one-time code (second factor).
  // Six digits from the app, or a recovery code (xxxxx-xxxxx) when the phone is lost.
  const code = h('input', { type: 'text', name: 'code', autocomplete: 'one-time-code', autocapitalize: 'none', spellcheck: 'false', maxlength: '16' });
  const codeField = field(t('login.code'), code, t('login.codeHint'));
  codeField.hidden = true;
  const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', text: t('login.submit') });
  const form = h('form', { class: 'login-form', novalidate: true, 'aria-describedby': 'login-error' },
    field(t('login.email'), email),
    field(t('login.password'), password),
    codeField,
    error,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!email.value.trim() || !password.value) {
      error.textContent = t('login.failed');
      (email.value.trim() ? password : email).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      const body = { email: email.value.trim(), password: password.value, ...(codeField.hidden ? {} : { code: code.value.trim() }) };
      const session = await api.post('/login', body, { allow401: true });
      onSignedIn(session);
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'totp_required' || err.code === 'totp_failed')) {
        // The password was right: keep it, ask for the code.
        codeField.hidden = false;
        error.textContent = err.code === 'totp_required' ? t('login.codeNeeded') : t('login.codeWrong');
        code.value = '';
        code.focus();
        return;
      }
      error.textContent = loginError(err);
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  });

  const lang = h('button', {
    type: 'button',
    class: 'btn btn-ghost lang',
    lang: getLang() === 'vi' ? 'en' : 'vi',
    'aria-label': t('app.switchLangLabel'),
    text: t('app.switchLang'),
    onClick: () => {
      setLang(getLang() === 'vi' ? 'en' : 'vi');
      renderLogin({ root, notice, onSignedIn });
    },
  });

  replace(root,
    h('main', { class: 'login', id: 'main' },
      h('div', { class: 'login-card' },
        h('div', { class: 'login-head' },
          h('p', { class: 'brand-mark brand-login', text: t('app.name') }),
          lang,
        ),
        h('h1', { text: t('login.title') }),
        h('p', { class: 'muted', text: t('app.console') + ' — ' + t('login.intro') }),
        notice ? h('p', { class: 'notice', role: 'status', text: notice }) : null,
        form,
      ),
    ),
  );
  email.focus();
}
