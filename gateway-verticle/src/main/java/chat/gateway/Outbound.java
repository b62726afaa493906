package chat.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

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
  /** Runs a task after the event loop's current turn, behind the deferred flush (TcpLink). */
  private final Consumer<Runnable> afterTurn;
  private long outstanding;
  /**
   * Written during the current event-loop turn: not flushed yet (flushes wait for the turn's
   * end), so not a sign that the client does not read.
   */
  private long thisTurn;
  private boolean nodeOver;
  /** Runs once {@code outstanding} falls to the resume level. */
  private Runnable onDrained;
  private Future<Void> last = Future.succeededFuture();
  private boolean closed;

  Outbound(Link link, ConnectionGuard guard, int budget, Consumer<Runnable> afterTurn) {
    this.link = link;
    this.guard = guard;
    this.budget = budget;
    this.afterTurn = afterTurn;
  }

  /** Writes one frame. */
  Future<Void> write(String json) {
    Buffer bytes = link.frame(json);
    int n = bytes.length();
    outstanding += n;
    nodeOver = !guard.outbound(n);
    last = link.write(bytes);
    last.onComplete(ar -> sent(n));
    if (thisTurn == 0) {
      afterTurn.accept(() -> thisTurn = 0); // queued after the write, so after its flush
    }
    thisTurn += n;
    return last;
  }

  /**
   * After a write: the client holds more than its budget, or, while the node is over its total,
   * more than its share in frames from earlier turns (a burst of this turn has not been flushed
   * yet, and dropping a client for it would drop readers along with those that do not read).
   */
  boolean overBudget() {
    return outstanding > budget || (nodeOver && outstanding - thisTurn > NODE_SHARE_BYTES);
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
