/* Loa staff console: the shell (session, navigation, language, live updates) and the router.
 * Plain ES modules, no framework, no build step; every page lives in its own module. */
/* global history, MouseEvent, Element, URLSearchParams */
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from './console-api.js';
import { h, replace, focusHeading, s } from './console-dom.js';
import { getLang, setLang, t } from './console-i18n.js';
import { LiveFeed } from './console-live.js';
import { renderLogin } from './console-login.js';
import { renderInbox } from './console-inbox.js';
import { renderEscalation } from './console-escalation.js';
import { renderFaqs, renderFaq } from './console-faqs.js';
import { renderDocuments } from './console-documents.js';
import { renderReports } from './console-reports.js';
import { renderReview } from './console-review.js';
import { renderSynonyms } from './console-synonyms.js';
import { renderUsers } from './console-users.js';
import { renderAudit } from './console-audit.js';
import { renderPrivacy } from './console-privacy.js';
import { renderDeliveries } from './console-deliveries.js';
import { renderAccount } from './console-account.js';
import { renderConsultation, renderConsultations } from './console-consultations.js';

const ALL = ['admin', 'spokesperson', 'viewer'];
const WORKERS = ['admin', 'spokesperson'];
const ADMIN = ['admin'];

/** Navigation entries, in menu order. `primary` ones stay in the phone's bottom bar. */
const NAV = [
  { id: 'inbox', path: '/admin/inbox', label: 'nav.inbox', roles: WORKERS, icon: 'M3 13h5l2 3h4l2-3h5M5 4h14l2 9v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-6z', primary: true },
  { id: 'faqs', path: '/admin/faqs', label: 'nav.faqs', short: 'nav.faqsShort', roles: WORKERS, icon: 'M12 21a9 9 0 1 0-8-5l-1 5 5-1a9 9 0 0 0 4 1zM9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.7M12 16.5v.5', primary: true },
  { id: 'reports', path: '/admin/reports', label: 'nav.reports', roles: ALL, icon: 'M4 20V10M10 20V4M16 20v-7M22 20H2', primary: true },
  { id: 'review', path: '/admin/review', label: 'nav.review', short: 'nav.reviewShort', roles: ALL, icon: 'M9 11l3 3 8-8M20 12v7a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1h11' },
  { id: 'synonyms', path: '/admin/synonyms', label: 'nav.synonyms', roles: ALL, icon: 'M4 7h11M11 3l4 4-4 4M20 17H9M13 13l-4 4 4 4' },
  { id: 'consultations', path: '/admin/consultations', label: 'nav.consultations', roles: ALL, icon: 'M4 4h16v12H7l-3 3zM8 8h8M8 12h5' },
  { id: 'documents', path: '/admin/documents', label: 'nav.documents', roles: ADMIN, icon: 'M6 2h8l5 5v14a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1zM14 2v5h5M8 13h8M8 17h8' },
  { id: 'users', path: '/admin/users', label: 'nav.users', roles: ADMIN, icon: 'M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8M22 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8' },
  { id: 'deliveries', path: '/admin/deliveries', label: 'nav.deliveries', roles: ADMIN, icon: 'M22 2 11 13M22 2l-7 20-4-9-9-4 20-7z' },
  { id: 'privacy', path: '/admin/privacy', label: 'nav.privacy', roles: ADMIN, icon: 'M12 2l8 4v6c0 5-3.5 8.5-8 10-4.5-1.5-8-5-8-10V6zM9 12l2 2 4-4' },
  { id: 'audit', path: '/admin/audit', label: 'nav.audit', roles: ADMIN, icon: 'M9 5h11M9 12h11M9 19h11M4 5h.01M4 12h.01M4 19h.01' },
  { id: 'account', path: '/admin/account', label: 'nav.account', roles: ALL, icon: 'M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM3 22a9 9 0 0 1 18 0' },
];

/** Routes: a path pattern, the page, who may see it, and the nav entry it belongs to. */
const ROUTES = [
  { re: /^\/admin\/inbox\/?$/, render: renderInbox, roles: WORKERS, nav: 'inbox' },
  { re: /^\/admin\/inbox\/([^/]+)\/?$/, render: renderEscalation, roles: WORKERS, nav: 'inbox' },
  { re: /^\/admin\/faqs\/?$/, render: renderFaqs, roles: WORKERS, nav: 'faqs' },
  { re: /^\/admin\/faqs\/([^/]+)\/?$/, render: renderFaq, roles: WORKERS, nav: 'faqs' },
  { re: /^\/admin\/consultations\/?$/, render: renderConsultations, roles: ALL, nav: 'consultations' },
  { re: /^\/admin\/consultations\/([^/]+)\/?$/, render: renderConsultation, roles: ALL, nav: 'consultations' },
  { re: /^\/admin\/documents\/?$/, render: renderDocuments, roles: ADMIN, nav: 'documents' },
  { re: /^\/admin\/reports\/?$/, render: renderReports, roles: ALL, nav: 'reports' },
  { re: /^\/admin\/review\/?$/, render: renderReview, roles: ALL, nav: 'review' },
  { re: /^\/admin\/synonyms\/?$/, render: renderSynonyms, roles: ALL, nav: 'synonyms' },
  { re: /^\/admin\/users\/?$/, render: renderUsers, roles: ADMIN, nav: 'users' },
  { re: /^\/admin\/deliveries\/?$/, render: renderDeliveries, roles: ADMIN, nav: 'deliveries' },
  { re: /^\/admin\/audit\/?$/, render: renderAudit, roles: ADMIN, nav: 'audit' },
  { re: /^\/admin\/privacy\/?$/, render: renderPrivacy, roles: ADMIN, nav: 'privacy' },
  { re: /^\/admin\/account\/?$/, render: renderAccount, roles: ALL, nav: 'account' },
];

const app = document.getElementById('app');
const state = {
  user: null,
  /** Cleanups of the page on screen (timers, live subscriptions). */
  cleanups: [],
  /** Increments on every render, so a slow page that finishes late does not draw over a newer one. */
  renderSeq: 0,
  pageTitle: '',
  /** A message for the login page (session expired, signed out). */
  loginNotice: '',
  shell: null,
  /** False until the first in-app navigation: the first page load keeps the browser's focus. */
  navigated: false,
};

const live = new LiveFeed({
  onFreshChange: () => {
    updateTitle();
    updateInboxBadge();
  },
  // The stream was refused: if the session is gone the 401 handler signs out, else reconnect.
  onClosed: () => {
    if (!state.user) return;
    api.get('/session').then(
      () => state.user && live.start(),
      (err) => {
        // Server unreachable: try again later (a 401 has already signed out).
        if (err instanceof ApiError && err.status !== 401) setTimeout(() => live.onClosed(), 15_000);
      },
    );
  },
});

// --- navigation ---------------------------------------------------------------------------

/** Goes to `path` (under /admin) without reloading. */
function navigate(path, { replace: replaceState = false } = {}) {
  state.navigated = true;
  if (replaceState) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void render();
}

window.addEventListener('popstate', () => {
  state.navigated = true;
  void render();
});

/**
 * The console's path for a hash route (`#/escalations/<id>`, `#/inbox`, `#/faqs/<id>` …), or
 * '' when the hash is not one. Older Telegram notifications link `/admin/#/escalations/<id>`;
 * the router works on paths, so such a link is rewritten in place (no new history entry,
 * so Back leaves the console as it came) before anything else, the login redirect included.
 */
function pathFromHash(hash) {
  const m = /^#\/([\w\-./%]*)(\?[\w\-.=&%]*)?$/.exec(hash || '');
  if (!m) return '';
  const [rest, search = ''] = [m[1].replace(/\/+$/, ''), m[2]];
  if (rest.split('/').some((seg) => seg === '.' || seg === '..')) return '';
  const path = rest.replace(/^escalations(?=\/|$)/, 'inbox');
  return `/admin${path ? `/${path}` : ''}${search}`;
}

function adoptHashRoute() {
  const path = pathFromHash(location.hash);
  if (path) history.replaceState(null, '', path);
}

// A hash route typed or followed while the console is open.
window.addEventListener('hashchange', () => {
  if (!pathFromHash(location.hash)) return;
  state.navigated = true;
  void render();
});

// Same-origin console links are handled by the router; modified clicks open tabs as usual.
document.addEventListener('click', (event) => {
  if (!(event instanceof MouseEvent) || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target instanceof Element ? /** @type {HTMLAnchorElement | null} */ (event.target.closest('a[href]')) : null;
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith('/admin')) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});

function homeFor(user) {
  return user.role === 'viewer' ? '/admin/reports' : '/admin/inbox';
}

// --- session ------------------------------------------------------------------------------

setUnauthorizedHandler(() => {
  if (!state.user) return;
  signedOut('login.expired');
});

function signedIn(session) {
  // Kept on the user for the pages: the server refuses everything else until the second factor is on.
  state.user = { ...session.user, totpEnrolmentRequired: session.totpEnrolmentRequired === true };
  setCsrfToken(session.csrfToken);
  state.shell = null;
  if (state.user.role !== 'viewer' && !state.user.totpEnrolmentRequired) live.start();
}

function signedOut(noticeKey) {
  state.user = null;
  setCsrfToken('');
  live.stop();
  state.shell = null;
  state.loginNotice = noticeKey ? t(noticeKey) : '';
  const here = location.pathname + location.search;
  const next = here.startsWith('/admin') && !here.startsWith('/admin/login') ? `?next=${encodeURIComponent(here)}` : '';
  navigate(`/admin/login${next}`, { replace: true });
}

async function logout() {
  try {
    await api.post('/logout');
  } catch {
    /* signed out locally either way */
  }
  signedOut('login.loggedOut');
}

// --- shell --------------------------------------------------------------------------------

function icon(path) {
  return s('svg', { viewBox: '0 0 24 24', class: 'icon', 'aria-hidden': 'true', focusable: 'false' }, s('path', { d: path }));
}

function buildShell() {
  const user = state.user;
  const items = NAV.filter((n) => n.roles.includes(user.role));
  const primary = items.filter((n) => n.primary);
  const secondary = items.filter((n) => !n.primary);
  const nav = h('nav', { class: 'nav', id: 'nav', 'aria-label': t('app.navLabel') });
  const list = h('ul', { class: 'nav-list' });
  const more = h('button', {
    type: 'button',
    class: 'nav-more',
    'aria-expanded': 'false',
    'aria-controls': 'nav-secondary',
    onClick: () => {
      const open = !nav.classList.contains('expanded');
      nav.classList.toggle('expanded', open);
      more.setAttribute('aria-expanded', String(open));
    },
  }, icon('M4 6h16M4 12h16M4 18h16'), h('span', { class: 'nav-label', text: t('app.menu') }));
  // Escape closes the phone's "Trình đơn" and returns focus to its button.
  nav.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !nav.classList.contains('expanded')) return;
    nav.classList.remove('expanded');
    more.setAttribute('aria-expanded', 'false');
    more.focus();
  });
  for (const n of primary) list.append(navItem(n));
  const secList = h('ul', { class: 'nav-secondary', id: 'nav-secondary' }, secondary.map(navItem));
  nav.append(list, secondary.length ? secList : null, secondary.length ? more : null);
  // Primary items first keeps the phone's bottom bar short; on a laptop they read as one list.

  const langButton = h('button', {
    type: 'button',
    class: 'btn btn-ghost lang',
    lang: getLang() === 'vi' ? 'en' : 'vi',
    'aria-label': t('app.switchLangLabel'),
    onClick: () => {
      setLang(getLang() === 'vi' ? 'en' : 'vi');
      state.shell = null;
      void render();
    },
    text: t('app.switchLang'),
  });
  const header = h('header', { class: 'top' },
    h('a', { class: 'brand', href: homeFor(user) }, h('span', { class: 'brand-mark', text: t('app.name') }), h('span', { class: 'brand-sub', text: t('app.console') })),
    h('div', { class: 'top-right' },
      h('span', { class: 'who' }, h('span', { class: 'who-name', text: user.name || user.email }), h('span', { class: 'who-role', text: t(`role.${user.role}`) })),
      langButton,
      h('button', { type: 'button', class: 'btn btn-ghost', onClick: () => void logout(), text: t('app.logout') }),
    ),
  );
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const toasts = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
  const alerts = h('div', { class: 'toasts toasts-alert', role: 'alert' });
  const skip = h('a', { class: 'skip', href: '#main', onClick: (e) => { e.preventDefault(); main.focus(); } , text: t('app.skip') });
  replace(app, skip, header, h('div', { class: 'layout' }, nav, main), toasts, alerts);
  state.shell = { nav, main, toasts, alerts, lang: getLang(), userId: user.id };
}

function navItem(n) {
  const short = n.short ? t(n.short) : t(n.label);
  const a = h('a', { href: n.path, class: 'nav-link', dataset: { nav: n.id } },
    icon(n.icon),
    h('span', { class: 'nav-label' }, h('span', { class: 'nav-long', text: t(n.label) }), h('span', { class: 'nav-short', text: short })),
    n.id === 'inbox' ? h('span', { class: 'badge-count', hidden: true, 'aria-hidden': 'true' }) : null,
  );
  return h('li', { class: n.primary ? 'nav-primary' : '' }, a);
}

function markNav(id) {
  for (const a of state.shell.nav.querySelectorAll('.nav-link')) {
    if (a.dataset.nav === id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  state.shell.nav.classList.remove('expanded');
  state.shell.nav.querySelector('.nav-more')?.setAttribute('aria-expanded', 'false');
}

function updateInboxBadge() {
  const badge = state.shell?.nav.querySelector('[data-nav="inbox"] .badge-count');
  if (!badge) return;
  const n = live.freshCount();
  badge.textContent = String(n);
  badge.hidden = n === 0;
}

function updateTitle() {
  const n = live.freshCount();
  document.title = `${n ? `(${n}) ` : ''}${state.pageTitle ? `${state.pageTitle} · ` : ''}Loa`;
}

// --- messages -----------------------------------------------------------------------------

/** A short message in the live region; errors use role="alert". */
function toast(message, kind = 'ok') {
  const region = kind === 'error' ? state.shell?.alerts : state.shell?.toasts;
  if (!region) return;
  const el = h('p', { class: `toast toast-${kind}`, text: message });
  region.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 10_000 : 6000);
}

/** The text to show for a failed request: the server's own message when it gave one. */
function errorText(err) {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('common.network');
    // Validation errors name the fields, so the officer (or a bug report) can tell what was refused.
    const issues = err.issues.map((i) => `${i.path || '—'}: ${i.message}`).join('; ');
    if (err.serverMessage) return issues ? `${err.serverMessage} (${issues})` : err.serverMessage;
    if (err.status === 403) return t('common.forbidden');
    if (err.status === 404) return t('common.notFound');
  }
  return t('common.error');
}

/** A modal yes/no question (a native <dialog>: focus is trapped and Escape cancels). */
function confirmDialog(message, { confirmLabel = t('common.confirm'), danger = false } = {}) {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'submit', value: 'ok', class: `btn ${danger ? 'btn-danger' : 'btn-primary'}`, text: confirmLabel });
    const cancel = h('button', { type: 'submit', value: 'cancel', class: 'btn', text: t('common.cancel') });
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-msg' },
      h('form', { method: 'dialog' }, h('p', { id: 'dialog-msg', text: message }), h('div', { class: 'actions' }, cancel, ok)),
    );
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

// --- rendering ----------------------------------------------------------------------------

async function render() {
  const seq = ++state.renderSeq;
  for (const fn of state.cleanups.splice(0)) {
    try {
      fn();
    } catch {
      /* a cleanup must not stop navigation */
    }
  }
  document.documentElement.lang = getLang();
  adoptHashRoute();
  const path = location.pathname;
  const query = new URLSearchParams(location.search);

  if (!state.user && !path.startsWith('/admin/login')) {
    // First load (or a reload): ask the server whether the cookie still holds a session.
    try {
      signedIn(await api.get('/session', undefined, { allow401: true }));
    } catch (err) {
      if (seq !== state.renderSeq) return;
      if (!(err instanceof ApiError) || err.status !== 401) state.loginNotice = errorText(err);
      const next = path !== '/admin' && path !== '/admin/' ? `?next=${encodeURIComponent(path + location.search)}` : '';
      return navigate(`/admin/login${next}`, { replace: true });
    }
    if (seq !== state.renderSeq) return;
  }

  if (path.startsWith('/admin/login')) {
    if (state.user) return navigate(safeNext(query.get('next')) || homeFor(state.user), { replace: true });
    state.shell = null;
    state.pageTitle = t('login.title');
    updateTitle();
    const notice = state.loginNotice;
    state.loginNotice = '';
    return renderLogin({
      root: app,
      notice,
      onSignedIn: (session) => {
        signedIn(session);
        navigate(safeNext(query.get('next')) || homeFor(session.user), { replace: true });
      },
    });
  }

  if (!state.shell || state.shell.lang !== getLang() || state.shell.userId !== state.user.id) buildShell();
  const { main } = state.shell;
  // A generated or reset password must be replaced, and a required second factor turned on,
  // before anything else (the API refuses the rest).
  if ((state.user.mustChangePassword || state.user.totpEnrolmentRequired) && !/^\/admin\/account\/?$/.test(path)) return navigate('/admin/account', { replace: true });
  if (path === '/admin' || path === '/admin/') return navigate(homeFor(state.user), { replace: true });

  const route = ROUTES.find((r) => r.re.test(path));
  if (!route) {
    state.pageTitle = t('app.notFound');
    updateTitle();
    markNav('');
    replace(main, h('h1', { text: t('app.notFound') }));
    return;
  }
  markNav(route.nav);
  if (!route.roles.includes(state.user.role)) {
    state.pageTitle = t('app.forbidden');
    updateTitle();
    replace(main, h('h1', { text: t('app.forbidden') }));
    return;
  }
  replace(main, h('p', { class: 'loading', role: 'status', text: t('app.loading') }));
  const params = path.match(route.re).slice(1).map(decodeURIComponent);
  const ctx = {
    root: main,
    user: state.user,
    params,
    query,
    navigate,
    toast,
    errorText,
    confirm: confirmDialog,
    live,
    /** False once the user has moved to another page: a late answer must not draw. */
    current: () => seq === state.renderSeq,
    onCleanup: (fn) => state.cleanups.push(fn),
    setTitle: (title) => {
      state.pageTitle = title;
      updateTitle();
    },
  };
  try {
    await route.render(ctx);
    updateInboxBadge();
    // After a click in the menu, focus moves to the new page's heading (screen readers announce it).
    if (ctx.current() && state.navigated && !main.contains(document.activeElement)) focusHeading(main.querySelector('h1'));
  } catch (err) {
    if (!ctx.current()) return;
    if (err instanceof ApiError && err.status === 401) return;
    replace(main, h('h1', { text: state.pageTitle || t('app.name') }), h('p', { class: 'error', role: 'alert', text: errorText(err) }));
  }
}

/** Only console paths are accepted after login (no open redirect). */
function safeNext(next) {
  return typeof next === 'string' && /^\/admin(\/[\w\-./?=&%]*)?$/.test(next) && !next.startsWith('/admin/login') ? next : '';
}

setLang(getLang());
void render();
