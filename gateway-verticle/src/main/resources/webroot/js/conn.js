// One v2 connection over a WebSocket that comes back by itself: each time the socket opens it
// says hello, then hands over to onReady (which logs in); replies are matched to requests by id.

const REPLY_TIMEOUT_MS = 15000;
// the server closes a v2 connection that stays silent for CHAT_IDLE_TIMEOUT_MS
const PING_EVERY_MS = 20000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 8000;

export class Connection {
  constructor(url, { onReady, onPush, onState }) {
    this.url = url;
    this.onReady = onReady;
    this.onPush = onPush;
    this.onState = onState;
    this.ws = null;
    this.pending = new Map();
    this.nextId = 1;
    this.failures = 0;
    this.stopped = false;
    this.ping = null;
    this.retry = null;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  open() {
    clearTimeout(this.retry);
    this.onState('connecting');
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => this.hello(ws);
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = () => this.closed(ws);
    ws.onerror = () => {}; // onclose follows and does the work
  }

  async hello(ws) {
    try {
      const reply = await this.send({ v: 2, type: 'hello', client: 'web/1' });
      if (ws !== this.ws) return;
      this.ping = setInterval(() => this.request('ping').catch(() => {}), PING_EVERY_MS);
      await this.onReady(reply);
      this.failures = 0;
    } catch (e) {
      // onReady decides whether a failed login is worth a retry; a lost socket retries anyway
      if (ws === this.ws && e && e.retry !== false) ws.close();
    }
  }

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return;
    }
    if (frame.re !== undefined && this.pending.has(frame.re)) {
      const p = this.pending.get(frame.re);
      this.pending.delete(frame.re);
      clearTimeout(p.timer);
      if (frame.ok) p.resolve(frame);
      else p.reject({ code: frame.code, error: frame.error });
    } else if (frame.type) {
      this.onPush(frame);
    }
  }

  closed(ws) {
    if (ws !== this.ws) return;
    this.ws = null;
    clearInterval(this.ping);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject({ code: 'offline', error: 'connection lost' });
    }
    this.pending.clear();
    if (!this.stopped) this.scheduleRetry();
  }

  scheduleRetry() {
    if (this.moveNow) {
      // the node is draining (a reconnect push): another one takes this page at once
      this.moveNow = false;
      this.onState('offline', 0);
      this.retry = setTimeout(() => this.open(), 0);
      return;
    }
    // exponential with jitter, so a node restart is not met by every page at the same instant
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.failures);
    const wait = Math.round(base / 2 + Math.random() * base / 2);
    this.failures++;
    this.onState('offline', wait);
    this.retry = setTimeout(() => this.open(), wait);
  }

  get open_() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  /** A request of {type, ...fields}; resolves with the ok reply, rejects with {code, error}. */
  request(type, fields = {}) {
    return this.send({ ...fields, type });
  }

  send(frame) {
    if (!this.open_) return Promise.reject({ code: 'offline', error: 'not connected' });
    const id = 'w' + this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject({ code: 'timeout', error: 'no reply' });
      }, REPLY_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ ...frame, id }));
    });
  }

  /** Closes the socket and lets the usual backoff bring it back (after a refused token, say). */
  reconnect() {
    if (this.ws) this.ws.close();
  }

  /** The node asked this page to go elsewhere (it is draining): close and reconnect at once. */
  moveElsewhere() {
    this.moveNow = true;
    if (this.ws) this.ws.close();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.ws) this.ws.close();
  }
}
