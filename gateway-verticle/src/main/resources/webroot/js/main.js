// The page's controller: connection events and user actions change the store, then the view is
// drawn again. Protocol v2 over the node's /ws endpoint (docs/protocol.md).

import { Connection } from './conn.js';
import { Store, targetOf, keyOf, session } from './store.js';
import * as view from './view.js';
import { $ } from './view.js';
import * as social from './social.js';

const TYPING_SHOWN_MS = 4000;
const TYPING_SENT_EVERY_MS = 3000;
const PAGE = 50;
// worth another try on the same connection a little later (same cmid: 1502, outcome unknown, is
// answered by the resend); anything else marks the message failed
const TRANSIENT = new Set(['timeout', 1014, 1015, 1501, 1502]);

const store = new Store();
let loggedIn = false;
let membersShown = false;
let lastTypingSent = 0;
let acked = 0;
let ackTimer = null;
let pumping = false;

const wsUrl = (location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/ws';
const conn = new Connection(wsUrl, { onReady, onPush, onState: view.showConnection });

// --- drawing, batched: many pushes in a row draw once ---
let renderQueued = false;
let toBottom = false;
function render(opts = {}) {
  toBottom = toBottom || !!opts.toBottom;
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => {
    renderQueued = false;
    if (!loggedIn) return;
    const bottom = toBottom;
    toBottom = false;
    view.renderSide(store);
    view.renderConv(store, { toBottom: bottom });
    maybeLoadOlder();
  }, 0);
}

// --- session ---
async function onReady(hello) {
  const epoch = session.get('epoch');
  if (epoch && epoch !== hello.epoch) {
    // another database: message ids and receipts kept so far name other messages
    store.convs.clear();
    store.marks = {};
  }
  session.set('epoch', hello.epoch);
  loggedIn = false;
  const token = session.get('token');
  if (!token) {
    view.showConnection('online');
    view.showAuth();
    return;
  }
  try {
    await loggedInWith(await conn.request('login', { token }));
  } catch (e) {
    if (e.code !== 1010) throw e; // 1011: a reloaded page's old socket is still signing off; retried with backoff
    Store.clearSaved();
    view.showConnection('online');
    view.showAuth('Your session has ended: please log in again.');
  }
}

async function loggedInWith(reply) {
  session.set('token', reply.token);
  store.reset(reply);
  acked = 0; // the server counts acks per login
  loggedIn = true;
  view.showApp();
  view.showConnection('online');
  for (const e of reply.msgs || []) incoming(e.seq, e.msg);
  render();
  await pump();
  const open = store.open || session.get('open');
  if (open) await openConv(open);
}

function incoming(seq, m) {
  if (seq > store.seq) store.seq = seq;
  const c = store.receive(m);
  if (c.typing && c.typingUser === m.from) c.typing = null;
  if (store.open === c.key) markRead(c);
  if (!ackTimer) ackTimer = setTimeout(sendAck, 150);
  render();
}

// one ack for a burst: it also tells the senders their messages were delivered
function sendAck() {
  ackTimer = null;
  if (store.seq > acked) {
    const seq = store.seq;
    conn.request('ack', { seq }).then(() => { acked = Math.max(acked, seq); }, () => {});
  }
}

function markRead(c) {
  if (document.hidden || !c.loaded || c.last <= c.read) return;
  const upto = c.last;
  c.read = upto;
  c.unread = 0;
  conn.request('read', { with: targetOf(c.key), upto }).catch(() => {});
}

// --- pushes ---
function onPush(f) {
  if (!loggedIn) return;
  switch (f.type) {
    case 'msg':
      incoming(f.seq, f.msg);
      break;
    case 'receipt':
      if (store.mark(keyOf(f.with), f.kind === 'read' ? 'read' : 'delivered', f.upto)) render();
      break;
    case 'reconnect':
      conn.moveElsewhere();
      break;
    case 'presence': {
      const friend = store.friends.get(f.user);
      if (friend) friend.online = f.online;
      render();
      break;
    }
    case 'typing':
      typing(f);
      break;
    case 'friend':
      friendEvent(f);
      break;
    case 'group':
      groupEvent(f);
      break;
    default:
  }
}

function typing(f) {
  const c = store.conv(keyOf(f.with));
  c.typing = store.nameOf(f.user);
  c.typingUser = f.user;
  clearTimeout(c.typingTimer);
  c.typingTimer = setTimeout(() => { c.typing = null; render(); }, TYPING_SHOWN_MS);
  render();
}

function friendEvent(f) {
  social.friendEvent(store, f);
  render();
}

function groupEvent(f) {
  social.groupEvent(store, f);
  if (membersShown && store.open === 'g:' + f.group) showMembers();
  render();
}

// --- conversations ---
async function openConv(key) {
  if (store.open !== key) {
    membersShown = false;
    view.renderMembers(store, null);
  }
  store.open = key;
  session.set('open', key);
  const c = store.conv(key);
  render({ toBottom: true });
  if (!c.loaded || c.stale) {
    try {
      store.newestPage(c, await conn.request('history', { with: targetOf(key), limit: PAGE }));
    } catch (e) {
      if (e.code === 1007 || e.code === 1008) c.loaded = true; // not ours any more: show what we have
      else return;
    }
  }
  markRead(c);
  render({ toBottom: true });
}

async function loadOlder() {
  const c = store.open && store.conv(store.open);
  if (!c || !c.loaded || !c.more || c.loadingOlder || c.msgs.size === 0) return;
  c.loadingOlder = true;
  render();
  try {
    store.olderPage(c, await conn.request('history', { with: targetOf(c.key), before: store.oldestId(c), limit: PAGE }));
  } catch (e) {
    // offline: tried again on the next scroll
  } finally {
    c.loadingOlder = false;
    render();
  }
}

// a first page that does not fill the pane can never be scrolled, so fetch on until it does
function maybeLoadOlder() {
  const box = $('messages');
  if (store.open && box.scrollHeight <= box.clientHeight + 60) loadOlder();
}

// --- sending: the outbox survives reloads; each item keeps its cmid, so a resend is stored once ---
async function pump() {
  if (pumping || !loggedIn) return;
  pumping = true;
  try {
    for (let item; (item = store.outbox.find((o) => !o.error));) {
      let reply;
      try {
        reply = await conn.request('send', { to: targetOf(item.key), cmid: item.cmid, text: item.text });
      } catch (e) {
        if (e.code === 'offline') return; // the next login sends it
        if (TRANSIENT.has(e.code)) {
          setTimeout(pump, 2000);
          return;
        }
        item.error = e.error || 'refused (' + e.code + ')';
        store.saveOutbox();
        render();
        continue;
      }
      store.outbox.splice(store.outbox.indexOf(item), 1);
      store.saveOutbox();
      const c = store.conv(item.key);
      c.msgs.set(reply.messageId, {
        id: reply.messageId, from: store.me.id, fromName: store.me.name, to: targetOf(item.key),
        text: item.text, time: reply.time || item.time,
      });
      if (reply.messageId > c.last) c.last = reply.messageId;
      render({ toBottom: store.open === item.key });
    }
  } finally {
    pumping = false;
  }
}

function send(e) {
  e.preventDefault();
  const input = $('send-text');
  const text = input.value;
  if (!text.trim() || !store.open) return;
  input.value = '';
  lastTypingSent = 0; // the next keystroke starts a new message
  store.queue(store.open, text);
  render({ toBottom: true });
  pump();
}

function typed() {
  const now = Date.now();
  if (!store.open || !loggedIn || now - lastTypingSent < TYPING_SENT_EVERY_MS) return;
  lastTypingSent = now;
  conn.request('typing', { with: targetOf(store.open) }).catch(() => {});
}

// --- friends and groups ---
const actions = social.actions({ conn, store, openConv, render });

async function showMembers() {
  const t = targetOf(store.open);
  try {
    view.renderMembers(store, await conn.request('group.info', { group: t.group }));
  } catch (e) {
    $('side-error').textContent = e.error || String(e);
  }
}

// --- logging in ---
const AUTH_ERRORS = {
  1010: 'Wrong user id or password.',
  1011: 'This account is logged in somewhere else.',
  1012: 'That name is taken.',
  1013: 'Not a valid name or password.',
  1015: 'Too many tries: wait a little.',
  1019: 'This account is banned for a while after too many refused requests: try again later.',
  offline: 'Not connected to the server yet: try again in a moment.',
};

async function auth(e, fn) {
  e.preventDefault();
  $('auth-error').textContent = '';
  try {
    await fn();
  } catch (err) {
    $('auth-error').textContent = AUTH_ERRORS[err.code] || err.error || String(err);
  }
}

function wire() {
  $('login-form').addEventListener('submit', (e) => auth(e, async () => {
    const user = Number($('login-user').value.trim().replace(/^#/, ''));
    if (!Number.isInteger(user) || user <= 0) throw { error: 'Your user id is a number: you were given it when you registered.' };
    await loggedInWith(await conn.request('login', { user, password: $('login-password').value }));
  }));
  $('register-form').addEventListener('submit', (e) => auth(e, async () => {
    const name = $('register-name').value.trim();
    const password = $('register-password').value;
    const r = await conn.request('register', { name, password });
    await loggedInWith(await conn.request('login', { user: r.user, password }));
    $('side-note').textContent = 'Your user id is ' + r.user + ': you log in with it, and friends add you by it.';
  }));
  $('logout').addEventListener('click', async () => {
    await conn.request('logout').catch(() => {});
    Store.clearSaved();
    location.reload();
  });
  $('add-friend-form').addEventListener('submit', (e) => { e.preventDefault(); actions.addFriend(); });
  $('join-group-form').addEventListener('submit', (e) => { e.preventDefault(); actions.joinGroup(); });
  $('create-group-form').addEventListener('submit', (e) => { e.preventDefault(); actions.createGroup(); });
  $('requests').addEventListener('click', (e) => {
    const li = e.target.closest('li[data-user]');
    if (!li) return;
    if (e.target.classList.contains('accept')) actions.accept(Number(li.dataset.user));
    if (e.target.classList.contains('decline')) actions.decline(Number(li.dataset.user));
  });
  for (const list of ['friends', 'groups', 'others']) {
    $(list).addEventListener('click', (e) => {
      const li = e.target.closest('li[data-key]');
      if (li) openConv(li.dataset.key);
    });
  }
  $('message-list').addEventListener('click', (e) => {
    // a refused message is dropped with a click on it
    const li = e.target.closest('li[data-cmid]');
    const item = li && store.outbox.find((o) => o.cmid === li.dataset.cmid && o.error);
    if (item) {
      store.outbox.splice(store.outbox.indexOf(item), 1);
      store.saveOutbox();
      render();
    }
  });
  $('back').addEventListener('click', () => {
    store.open = null;
    session.remove('open');
    render();
  });
  $('members-toggle').addEventListener('click', () => {
    membersShown = !membersShown;
    if (membersShown) showMembers();
    else view.renderMembers(store, null);
  });
  $('send-form').addEventListener('submit', send);
  $('send-text').addEventListener('input', typed);
  $('messages').addEventListener('scroll', () => {
    if ($('messages').scrollTop < 60) loadOlder();
  });
  // a page left for another may be kept alive in the back-forward cache, its socket still
  // holding the login: close it, and come back when the page is shown again
  window.addEventListener('pagehide', () => conn.stop());
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) conn.start();
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && store.open) {
      markRead(store.conv(store.open));
      render();
    }
  });
}

wire();
conn.start();
