/* Hộp thư: escalated questions with filters, waiting time, the Zalo free-reply window, and
 * live arrivals (no reload). */
/* global URLSearchParams */
import { api } from './console-api.js';
import { field, h, replace, select } from './console-dom.js';
import { t } from './console-i18n.js';
import { channelBadge, escalationStatusBadge, fold, pageHeader, pager, waitingText, zaloWindowText } from './console-ui.js';

const PAGE = 25;
const STATUS_CHOICES = ['active', 'open', 'claimed', 'answered', 'closed', 'all'];
const CHANNELS = ['zalo', 'telegram', 'webchat', 'botframework'];

/** The filter as kept in the URL: ?status=&channel=&mine=1&q=&offset= */
function readFilter(query) {
  const status = STATUS_CHOICES.includes(query.get('status')) ? query.get('status') : 'active';
  const channel = CHANNELS.includes(query.get('channel')) ? query.get('channel') : '';
  const offset = Math.max(0, Number.parseInt(query.get('offset') || '0', 10) || 0);
  return { status, channel, mine: query.get('mine') === '1', q: (query.get('q') || '').trim(), offset };
}

function filterPath(f) {
  const p = new URLSearchParams();
  if (f.status !== 'active') p.set('status', f.status);
  if (f.channel) p.set('channel', f.channel);
  if (f.mine) p.set('mine', '1');
  if (f.q) p.set('q', f.q);
  if (f.offset) p.set('offset', String(f.offset));
  const qs = p.toString();
  return `/admin/inbox${qs ? `?${qs}` : ''}`;
}

function statusParam(status) {
  if (status === 'all') return undefined;
  if (status === 'active') return 'open,claimed';
  return status;
}

/** Whether an escalation that arrived live belongs in the list as filtered. */
function matches(e, f, me) {
  const wanted = statusParam(f.status);
  if (wanted && !wanted.split(',').includes(e.status)) return false;
  if (f.channel && e.channel !== f.channel) return false;
  if (f.mine && e.assignee !== me.email) return false;
  if (f.q) {
    const text = fold(e.question);
    if (!fold(f.q).split(/\s+/).every((w) => text.includes(w))) return false;
  }
  return true;
}

/** One row of the inbox. Times are counted from `seenAt` (when the server computed them). */
function inboxItem(e, { fresh, seenAt }) {
  const wait = h('span', { class: 'wait', text: waitingText(e.waitingSeconds) });
  const zalo = e.zaloWindow && (e.status === 'open' || e.status === 'claimed')
    ? h('span', { class: `zalo-window${e.zaloWindow.remainingSeconds > 0 ? '' : ' expired'}`, text: zaloWindowText(e.zaloWindow.remainingSeconds) })
    : null;
  const who = e.assignee ? t('inbox.assignedTo', { name: e.assignee }) : t('inbox.unassigned');
  const li = h('li', { class: `esc-item${fresh ? ' is-new' : ''}`, dataset: { id: e.id, status: e.status } },
    h('a', { class: 'esc-link', href: `/admin/inbox/${encodeURIComponent(e.id)}` },
      h('span', { class: 'esc-meta' },
        channelBadge(e.channel),
        escalationStatusBadge(e.status),
        fresh ? h('span', { class: 'badge badge-new', text: t('inbox.new') }) : null,
        e.status === 'open' || e.status === 'claimed' ? wait : null,
      ),
      h('span', { class: 'esc-q', text: e.question }),
      h('span', { class: 'esc-foot' },
        h('span', { class: 'esc-who', text: `${e.userName || t('inbox.anonymous')} · ${who}` }),
        zalo,
      ),
    ),
  );
  // The ticker below keeps these two up to date without asking the server again.
  li._tick = (now) => {
    const elapsed = Math.floor((now - seenAt) / 1000);
    wait.textContent = waitingText(e.waitingSeconds + elapsed);
    if (zalo) {
      const left = e.zaloWindow.remainingSeconds - elapsed;
      zalo.textContent = zaloWindowText(left);
      zalo.classList.toggle('expired', left <= 0);
    }
  };
  return li;
}

/** `/admin/inbox` */
export async function renderInbox(ctx) {
  const { root, query, user, live } = ctx;
  const f = readFilter(query);
  ctx.setTitle(t('inbox.title'));

  // --- filters
  const status = select(STATUS_CHOICES.map((s) => [s, s === 'all' ? t('common.all') : t(`esc.status.${s}`)]), f.status, { name: 'status' });
  const channel = select([['', t('common.all')], ...CHANNELS.map((c) => [c, t(`channel.${c}`)])], f.channel, { name: 'channel' });
  const assignee = select([['', t('common.all')], ['1', t('inbox.mine')]], f.mine ? '1' : '', { name: 'assignee' });
  const q = h('input', { type: 'search', name: 'q', value: f.q, maxlength: '200', placeholder: t('inbox.searchPlaceholder') });
  const apply = () => ctx.navigate(filterPath({ status: status.value, channel: channel.value, mine: assignee.value === '1', q: q.value.trim(), offset: 0 }));
  for (const el of [status, channel, assignee]) el.addEventListener('change', apply);
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('common.filter') },
    field(t('inbox.status'), status),
    field(t('inbox.channel'), channel),
    field(t('inbox.assignee'), assignee),
    h('div', { class: 'field field-grow' }, h('label', { for: 'inbox-q', text: t('inbox.search') }), h('div', { class: 'search-row' }, Object.assign(q, { id: 'inbox-q' }), h('button', { type: 'submit', class: 'btn', text: t('common.search') }))),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });

  const liveState = h('p', { class: 'live-state', role: 'status' });
  const count = h('p', { class: 'muted count' });
  const list = h('ul', { class: 'inbox-list', 'aria-label': t('inbox.title') });
  const empty = h('p', { class: 'empty', text: t('inbox.empty'), hidden: true });
  const pagerSlot = h('div');
  const announcer = h('p', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  replace(root, pageHeader(t('inbox.title'), t('inbox.intro'), liveState), form, count, list, empty, pagerSlot, announcer);

  const data = await api.get('/escalations', {
    status: statusParam(f.status),
    channel: f.channel,
    assignee: f.mine ? 'me' : undefined,
    q: f.q || undefined,
    limit: PAGE,
    offset: f.offset,
  });
  if (!ctx.current()) return;
  let total = data.total ?? data.items.length;
  const seenAt = Date.now();
  const shown = new Map();
  for (const e of data.items) {
    const li = inboxItem(e, { fresh: live.isFresh(e.id), seenAt });
    shown.set(e.id, li);
    list.append(li);
  }
  const refreshCount = () => {
    count.textContent = t('inbox.count', { n: total });
    empty.hidden = shown.size > 0;
  };
  refreshCount();
  replace(pagerSlot, pager({ offset: f.offset, limit: PAGE, total, go: (offset) => ctx.navigate(filterPath({ ...f, offset })) }));

  // --- live updates: new questions appear at the top, changed ones are redrawn in place
  ctx.onCleanup(live.onStatus((connected) => {
    liveState.textContent = connected ? `● ${t('inbox.live')}` : t('inbox.liveLost');
    liveState.classList.toggle('lost', !connected);
  }));
  ctx.onCleanup(live.on((name, e) => {
    const existing = shown.get(e.id);
    if (existing) {
      const li = inboxItem(e, { fresh: live.isFresh(e.id), seenAt: Date.now() });
      existing.replaceWith(li);
      shown.set(e.id, li);
      return;
    }
    if (name !== 'escalation.created' || f.offset !== 0 || !matches(e, f, user)) return;
    const li = inboxItem(e, { fresh: true, seenAt: Date.now() });
    shown.set(e.id, li);
    list.prepend(li);
    total += 1;
    refreshCount();
    announcer.textContent = t('inbox.announceNew', { q: e.question.slice(0, 120) });
  }));
  const ticker = setInterval(() => {
    const now = Date.now();
    for (const li of shown.values()) li._tick?.(now);
  }, 30_000);
  ctx.onCleanup(() => clearInterval(ticker));
}
