// What the page knows. The server is the truth: every login replaces friends, requests, groups
// and unread counts with its snapshot. Messages are kept per conversation by id, so whatever
// path brings one in (login page, live push, history) it is shown once.

const saved = window.sessionStorage;

export function keyOf(target) {
  return target.group !== undefined ? 'g:' + target.group : 'u:' + target.user;
}

export function targetOf(key) {
  const id = Number(key.slice(2));
  return key.startsWith('g:') ? { group: id } : { user: id };
}

export class Store {
  constructor() {
    this.me = null; // {id, name}
    this.friends = new Map(); // id -> {id, name, online}
    this.incoming = new Map(); // id -> {id, name}
    this.outgoing = new Map();
    this.groups = new Map(); // id -> {id, name, desc, role, members}
    this.convs = new Map(); // key -> conversation, see conv()
    this.names = new Map(); // user id -> name, from anything that names a user
    this.open = null; // key of the conversation on screen
    this.seq = 0; // highest seq processed this login
    this.outbox = load('outbox', []); // [{cmid, key, text, time, error?}] not yet stored
    this.marks = load('marks', {}); // key -> {delivered, read}: the other side's receipts
  }

  /** A login's snapshot: what the server says now replaces what the page thought. */
  reset(login) {
    this.me = { id: login.user, name: login.name };
    this.names.set(login.user, login.name);
    this.friends = new Map(login.friends.map((f) => [f.id, { ...f }]));
    const req = login.requests || { incoming: [], outgoing: [] };
    this.incoming = new Map(req.incoming.map((r) => [r.id, r]));
    this.outgoing = new Map(req.outgoing.map((r) => [r.id, r]));
    this.groups = new Map(login.groups.map((g) => [g.id, { ...g }]));
    for (const u of [...login.friends, ...req.incoming, ...req.outgoing]) this.names.set(u.id, u.name);
    for (const g of login.groups) {
      if (Array.isArray(g.members)) for (const m of g.members) this.names.set(m.id, m.name);
    }
    for (const c of this.convs.values()) {
      c.unread = 0;
      c.stale = true; // its messages are refetched when shown, in case some were missed
    }
    for (const s of login.conversations || []) {
      const c = this.conv(keyOf(s.with));
      c.last = s.last;
      c.read = s.read;
      c.unread = s.unread;
    }
    this.seq = 0;
  }

  conv(key) {
    let c = this.convs.get(key);
    if (!c) {
      c = { key, msgs: new Map(), last: 0, read: 0, unread: 0, loaded: false, more: true, stale: false, typing: null };
      this.convs.set(key, c);
    }
    return c;
  }

  /** The conversation a message belongs to, from this user's side. */
  keyOfMessage(m) {
    if (m.to.group !== undefined) return 'g:' + m.to.group;
    return 'u:' + (m.from === this.me.id ? m.to.user : m.from);
  }

  /**
   * A message that arrived (login page or push). Returns its conversation. It counts as unread
   * only when newer than what the server's count already covered.
   */
  receive(m) {
    if (m.fromName) this.names.set(m.from, m.fromName);
    const c = this.conv(this.keyOfMessage(m));
    c.msgs.set(m.id, m);
    if (m.id > c.last) {
      c.last = m.id;
      if (m.from !== this.me.id) c.unread++;
    }
    return c;
  }

  /**
   * The newest page of a conversation: older cached messages are kept only where they join up
   * with it, so scrolling back never skips a gap.
   */
  newestPage(c, page) {
    const oldest = page.msgs.length ? page.msgs[page.msgs.length - 1].id : Infinity;
    const kept = new Map();
    if (!page.more) {
      for (const [id, m] of c.msgs) kept.set(id, m);
    } else {
      for (const [id, m] of c.msgs) if (id >= oldest) kept.set(id, m);
    }
    for (const m of page.msgs) {
      kept.set(m.id, m);
      if (m.fromName) this.names.set(m.from, m.fromName);
      if (m.id > c.last) c.last = m.id;
    }
    c.msgs = kept;
    c.more = page.more;
    c.loaded = true;
    c.stale = false;
  }

  olderPage(c, page) {
    for (const m of page.msgs) {
      c.msgs.set(m.id, m);
      if (m.fromName) this.names.set(m.from, m.fromName);
    }
    c.more = page.more;
  }

  sorted(c) {
    return [...c.msgs.values()].sort((a, b) => a.id - b.id);
  }

  oldestId(c) {
    let min = Infinity;
    for (const id of c.msgs.keys()) min = Math.min(min, id);
    return min === Infinity ? undefined : min;
  }

  nameOf(id) {
    return this.names.get(id) || '#' + id;
  }

  title(key) {
    const t = targetOf(key);
    if (t.group !== undefined) {
      const g = this.groups.get(t.group);
      return g ? g.name : 'group #' + t.group;
    }
    return this.nameOf(t.user);
  }

  mark(key, kind, upto) {
    const m = this.marks[key] || { delivered: 0, read: 0 };
    if (upto <= m[kind]) return false;
    m[kind] = upto;
    if (kind === 'read' && upto > m.delivered) m.delivered = upto; // read implies delivered
    this.marks[key] = m;
    save('marks', this.marks);
    return true;
  }

  /** stored, delivered or read, for a message this user sent in a 1:1 conversation. */
  statusOf(key, id) {
    const m = this.marks[key];
    if (m && id <= m.read) return 'read';
    if (m && id <= m.delivered) return 'delivered';
    return 'stored';
  }

  queue(key, text) {
    const item = { cmid: newCmid(), key, text, time: new Date().toISOString() };
    this.outbox.push(item);
    this.saveOutbox();
    return item;
  }

  saveOutbox() {
    save('outbox', this.outbox);
  }

  /** Forgets everything kept in the tab: a logout, or another store (epoch). */
  static clearSaved() {
    for (const k of ['token', 'outbox', 'marks', 'open', 'epoch']) saved.removeItem(k);
  }
}

function load(name, fallback) {
  try {
    const v = saved.getItem(name);
    return v === null ? fallback : JSON.parse(v);
  } catch (e) {
    return fallback;
  }
}

function save(name, value) {
  saved.setItem(name, JSON.stringify(value));
}

// getRandomValues, not randomUUID: the latter exists only on https or localhost pages
function newCmid() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const session = {
  get: (k) => saved.getItem(k),
  set: (k, v) => saved.setItem(k, v),
  remove: (k) => saved.removeItem(k),
};
