// Drawing the store into the page. Everything a user or the server wrote goes in as text
// (textContent, text nodes), never as HTML.

import { targetOf } from './store.js';

export const $ = (id) => document.getElementById(id);

/** An element: props.cls, props.data (dataset), props.attrs; children as text or nodes. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  if (props.cls) e.className = props.cls;
  for (const [k, v] of Object.entries(props.data || {})) e.dataset[k] = v;
  for (const [k, v] of Object.entries(props.attrs || {})) e.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

export function showConnection(state, waitMs) {
  const c = $('conn');
  c.dataset.state = state;
  if (state === 'online') c.textContent = 'online';
  else if (state === 'connecting') c.textContent = 'connecting…';
  else c.textContent = 'offline: reconnecting in ' + Math.max(1, Math.round(waitMs / 1000)) + ' s';
}

export function showAuth(error) {
  $('auth').hidden = false;
  $('app').hidden = true;
  $('auth-error').textContent = error || '';
}

export function showApp() {
  $('auth').hidden = true;
  $('app').hidden = false;
}

// the server's counts stop at 1000 (docs/protocol.md)
function badge(n) {
  return el('span', { cls: n > 0 ? 'badge' : 'badge zero', data: { count: n } }, n > 999 ? '999+' : n > 0 ? String(n) : '');
}

function item(store, key, name, extra, actions) {
  const c = store.convs.get(key);
  const cls = 'item' + (store.open === key ? ' open' : '');
  return el('li', { cls, data: { key } }, ...extra, el('span', { cls: 'name' }, name), badge(c ? c.unread : 0), ...actions);
}

export function renderSide(store) {
  $('me-name').textContent = store.me.name;
  $('me-id').textContent = '#' + store.me.id;

  const requests = $('requests');
  requests.replaceChildren(
    ...[...store.incoming.values()].map((r) =>
      el('li', { cls: 'request incoming', data: { user: r.id } },
        el('span', { cls: 'name' }, r.name + ' #' + r.id),
        el('button', { cls: 'accept', attrs: { type: 'button' } }, 'Accept'),
        el('button', { cls: 'decline', attrs: { type: 'button' } }, 'Decline'))),
    ...[...store.outgoing.values()].map((r) =>
      el('li', { cls: 'request outgoing', data: { user: r.id } },
        el('span', { cls: 'name' }, (r.name || '#' + r.id) + ' #' + r.id), el('span', { cls: 'note' }, 'asked'))));
  $('requests-title').hidden = requests.children.length === 0;

  const friends = [...store.friends.values()].sort((a, b) => (b.online === true) - (a.online === true) || a.name.localeCompare(b.name));
  $('friends').replaceChildren(...friends.map((f) => {
    const dot = el('span', { cls: 'dot ' + (f.online === true ? 'on' : f.online === false ? 'off' : 'unknown'),
      attrs: { title: f.online === true ? 'online' : f.online === false ? 'offline' : 'not known yet' } });
    return item(store, 'u:' + f.id, f.name, [dot], []);
  }));

  $('groups').replaceChildren(...[...store.groups.values()].map((g) =>
    item(store, 'g:' + g.id, g.name, [el('span', { cls: 'dot group' }, '#')], [])));

  // people who wrote without being friends: a classic client, say
  const others = [...store.convs.keys()].filter((k) => k.startsWith('u:') && !store.friends.has(targetOf(k).user));
  $('others').replaceChildren(...others.map((k) => item(store, k, store.title(k), [el('span', { cls: 'dot unknown' })], [])));
  $('others-title').hidden = others.length === 0;
}

function time(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

const STATUS_MARK = { sending: '…', stored: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };

function message(store, key, m, status) {
  const mine = m.from === store.me.id;
  const isGroup = key.startsWith('g:');
  const meta = el('span', { cls: 'meta' }, time(m.time));
  if (mine && status) {
    meta.append(el('span', { cls: 'status ' + status, data: { status }, attrs: { title: status } }, STATUS_MARK[status]));
  }
  const data = m.id !== undefined ? { id: m.id } : { cmid: m.cmid };
  return el('li', { cls: 'msg' + (mine ? ' mine' : ''), data },
    isGroup && !mine ? el('span', { cls: 'who' }, store.nameOf(m.from)) : null,
    el('span', { cls: 'text' }, m.text),
    m.error ? el('span', { cls: 'error' }, m.error) : null,
    meta);
}

export function renderConv(store, opts = {}) {
  const key = store.open;
  document.body.classList.toggle('in-conv', key !== null);
  $('empty').hidden = key !== null;
  $('conv').hidden = key === null;
  if (key === null) return;
  const c = store.conv(key);
  const t = targetOf(key);
  $('conv').dataset.key = key;
  $('conv-title').textContent = store.title(key);
  if (t.group !== undefined) {
    const g = store.groups.get(t.group);
    $('conv-sub').textContent = 'group #' + t.group + (g && g.role ? ' · you are ' + g.role : '');
  } else {
    const f = store.friends.get(t.user);
    $('conv-sub').textContent = '#' + t.user + (f ? (f.online === true ? ' · online' : f.online === false ? ' · offline' : '') : '');
  }
  $('members-toggle').hidden = t.group === undefined;
  $('typing').textContent = c.typing ? c.typing + ' is typing…' : '';
  $('history-more').hidden = !c.loadingOlder;

  const box = $('messages');
  const fromBottom = box.scrollHeight - box.scrollTop - box.clientHeight;
  const rows = store.sorted(c).map((m) =>
    message(store, key, m, m.from === store.me.id && t.user !== undefined ? store.statusOf(key, m.id) : m.from === store.me.id ? 'stored' : null));
  for (const o of store.outbox) {
    if (o.key === key) rows.push(message(store, key, { ...o, from: store.me.id }, o.error ? 'failed' : 'sending'));
  }
  $('message-list').replaceChildren(...rows);
  // at the bottom: stay there; reading older ones (or just got them): keep them in place
  if (opts.toBottom || fromBottom < 40) box.scrollTop = box.scrollHeight;
  else box.scrollTop = box.scrollHeight - box.clientHeight - fromBottom;
}

export function renderMembers(store, info) {
  const list = $('members');
  if (!info) {
    list.hidden = true;
    return;
  }
  list.hidden = false;
  list.replaceChildren(...info.members.map((m) =>
    el('li', { cls: 'member', data: { user: m.id, role: m.role } },
      el('span', { cls: 'name' }, m.name), el('span', { cls: 'role' }, m.role))));
}
