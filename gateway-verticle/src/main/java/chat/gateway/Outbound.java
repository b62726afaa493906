package chat.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * What a connection has written and its client has not taken yet, counted against the
 * connection's budget and the node's. The socket's own write queue cannot say this: it is what
 * a client that does not read costs the node.
 */
final class Outbound {
  /** With the node over its outbound total, a connection holding more than this unsent is over budget. */
  static final int NODE_SHARE_BYTES = 64 * 1024;

  private final Link link;
  private final ConnectionGuard guard;
  private final int budget;
  private long outstanding;
  private boolean nodeOver;
  /** Runs once {@code outstanding} falls to the resume level. */
  private Runnable onDrained;
  private Future<Void> last = Future.succeededFuture();
  private boolean closed;

  Outbound(Link link, ConnectionGuard guard, int budget) {
    this.link = link;
    this.guard = guard;
    this.budget = budget;
  }

  /** Writes one frame. */
  Future<Void> write(String json) {
    Buffer bytes = link.frame(json);
    int n = bytes.length();
    outstanding += n;
    nodeOver = !guard.outbound(n);
    last = link.write(bytes);
    last.onComplete(ar -> sent(n));
    return last;
  }

  /** After a write: the client holds more than its budget, or more than its share while the node is over its total. */
  boolean overBudget() {
    return outstanding > budget || (nodeOver && outstanding > NODE_SHARE_BYTES);
  }

  /** So much is unread that backlog must wait. */
  boolean backedUp() {
    return outstanding > budget / 4;
  }

  /** Runs {@code next} once most of what was written has been sent. */
  void whenDrained(Runnable next) {
    if (!backedUp()) {
      next.run();
    } else {
      onDrained = next;
    }
  }

  long outstanding() {
    return outstanding;
  }

  Future<Void> last() {
    return last;
  }


  /** The socket is gone: writes dropped with it may never report back, so count them off now. */
  void close() {
    if (!closed) {
      closed = true;
      guard.outbound(-outstanding);
      outstanding = 0;
      onDrained = null;
    }
  }

  private void sent(int n) {
    if (closed) {
      return;
    }
    outstanding -= n;
    guard.outbound(-n);
    if (onDrained != null && !backedUp()) {
      Runnable next = onDrained;
      onDrained = null;
      next.run();
    }
  }
}
