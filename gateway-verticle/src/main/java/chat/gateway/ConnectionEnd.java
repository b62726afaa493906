package chat.gateway;

import chat.protocol.ErrorCode;
import io.vertx.core.Vertx;
import java.util.function.IntSupplier;

/**
 * How one connection ends, through its {@link ConnectionLife}: an error frame that waits for the
 * replies in flight and then ends the stream, a drop, or the peer leaving, possibly while frames
 * it sent are still queued (those are handled first, as a classic server reads to the end of the
 * stream). The login ends once the socket is gone and those frames are handled; the connection's
 * slot is given back once its socket is closed and its login has ended. No socket here: the link,
 * the owner and the timers are interfaces, so every end can be tested.
 *
 * <p>Confined to the connection's event loop.
 */
final class ConnectionEnd {
  /** A dropped connection's socket stays open this long, so the kernel can send what it holds. */
  static final long ABORT_LINGER_MS = 10_000;
  /** A closed connection's last frames are handled within this, or its login ends regardless. */
  static final long DRAIN_MAX_NANOS = 60_000_000_000L;

  /** Timers on the connection's event loop; a delay of 0 runs after the callbacks now running. */
  interface Timers {
    void after(long ms, Runnable action);

    static Timers of(Vertx vertx) {
      return (ms, action) -> {
        if (ms == 0) {
          vertx.runOnContext(v -> action.run());
        } else {
          vertx.setTimer(ms, id -> action.run());
        }
      };
    }
  }

  private final ConnectionLife life = new ConnectionLife();
  private final Link link;
  private final ConnectionOwner owner;
  private final Timers timers;
  private final IntSupplier inFlight;
  /** The socket is gone: what it held (unfinished inbound bytes, the outbound queue) is let go. */
  private final Runnable socketGone;
  /** The connection no longer counts against the caps. */
  private final Runnable freeSlot;
  private final ConnectionTrail trail;
  /** closeWithError's error frame, held while replies of requests already in flight are written; null once written. */
  private String lastFrame;
  private boolean channelClosed;
  private boolean slotReleased;
  /** Every byte the peer sent before closing has been handed to the parser. */
  private boolean inputEnded;
  private long drainingSinceNanos;

  ConnectionEnd(Link link, ConnectionOwner owner, Timers timers, IntSupplier inFlight, Runnable socketGone, Runnable freeSlot,
      ConnectionTrail trail) {
    this.link = link;
    this.owner = owner;
    this.timers = timers;
    this.inFlight = inFlight;
    this.socketGone = socketGone;
    this.freeSlot = freeSlot;
    this.trail = trail;
  }

  ConnectionLife life() {
    return life;
  }

  /**
   * One error frame, then the connection closes: the stream or the client can no longer be trusted.
   * No later frame is handled, but requests already in flight are answered first: a send pipelined
   * just before the fatal frame is stored, and its sender must learn so (every request gets one
   * reply). They get a second; then the error frame goes out without them, and a client that does
   * not take it is dropped a second later.
   */
  void closeWithError(ErrorCode code, String message) {
    if (!owner.login().closed() && life.stop()) {
      trail.because("error " + code.name()); // the code only: a parser's text may quote the client's bytes
      lastFrame = owner.errorFrame(code, message);
      if (inFlight.getAsInt() == 0) {
        endWithError();
      }
      timers.after(1000, () -> {
        if (lastFrame != null && life.state() == ConnectionLife.State.CLOSING) {
          endWithError(); // replies still missing after a second are not waited for
          timers.after(1000, this::abort);
        } else {
          abort(); // a client that does not read must not keep the socket open by never taking the last frame
        }
      });
    }
  }

  private void endWithError() {
    if (lastFrame != null && life.state() == ConnectionLife.State.CLOSING) {
      life.ended();
      link.end(link.frame(lastFrame));
    }
    lastFrame = null;
  }

  /** Closes at once, dropping what is not sent yet (its messages stay in the inbox). */
  void abort() {
    if (life.gone()) {
      return;
    }
    trail.because("dropped");
    life.stop();
    // the kernel still sends what it took (it was counted as delivered); see Link.abort
    link.abort(ABORT_LINGER_MS);
    socketClosed(); // signed off now; the connection slot is given back when the socket is closed
  }

  /** A request in flight was answered. */
  void requestDone() {
    if (inFlight.getAsInt() == 0 && lastFrame != null) {
      // the reply is written by callbacks that run after this one: the error frame follows it
      timers.after(0, () -> {
        if (inFlight.getAsInt() == 0) {
          endWithError();
        }
      });
    }
    signOffIfDone();
  }

  /**
   * The end of the stream comes through the same queue as the data, after all of it, so it is
   * late by what a pause held back; the close handler is not.
   */
  void inputEnded() {
    inputEnded = true;
    signOffIfDone();
  }

  /** The server closes the connection (the node stops, or what the connection needs is gone). */
  void closedByServer() {
    trail.because("closed by the server");
  }

  void channelClosed() {
    trail.because("peer closed");
    channelClosed = true;
    socketClosed();
    releaseSlot();
  }

  /** The peer's last frames never finished coming through: do not hold the slot and the account forever. */
  boolean drainedTooLong(long nowNanos) {
    if (life.draining() && nowNanos - drainingSinceNanos > DRAIN_MAX_NANOS) {
      signOff();
      return true;
    }
    return false;
  }

  /** No more writes or deliveries on this connection: let go of what the socket held and end the login. */
  private void socketClosed() {
    if (!life.socketClosed()) {
      return;
    }
    socketGone.run();
    if (life.state() == ConnectionLife.State.DRAINING && owner.login().loggedIn() && !(inputEnded && inFlight.getAsInt() == 0)) {
      // a classic server reads to the end of the stream: what the client sent before closing
      // still counts. It is bounded by what Vert.x read ahead, and handled at the pace of
      // maxInFlight; until then the session keeps its connection slot (so open, flood and close
      // cannot pile up work past the connection caps) and stays registered (so a node shutdown
      // still signs it off)
      drainingSinceNanos = System.nanoTime();
      return;
    }
    signOff();
  }

  private void signOffIfDone() {
    if (life.draining() && inFlight.getAsInt() == 0
        && (inputEnded || life.state() == ConnectionLife.State.FINISHING || !owner.login().loggedIn())) {
      signOff();
    }
  }

  private void signOff() {
    life.signedOff();
    releaseSlot();
    owner.signedOff();
  }

  /** The connection counts against the caps until its socket is closed and its login has ended. */
  private void releaseSlot() {
    if (channelClosed && life.state() == ConnectionLife.State.CLOSED && !slotReleased) {
      slotReleased = true;
      freeSlot.run();
      trail.closed();
    }
  }
}
