package chat.gateway;

import chat.protocol.ErrorCode;
import chat.protocol.FrameParser;
import chat.protocol.ProtocolException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport side of a {@link Session}: bytes in and frames out through its {@link Link},
 * within the connection's limits (frame size and depth, request rate and strikes, pending
 * requests, unsent bytes, timeouts), and the end of the connection: an error frame then a close,
 * a drop, or the peer leaving. What a frame means, and the login, are the session's.
 */
final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  /** A dropped connection's socket stays open this long, so the kernel can send what it holds. */
  private static final long ABORT_LINGER_MS = 10_000;
  /** A closed connection's last frames are handled within this, or its login ends regardless. */
  private static final long LINGER_MAX_NANOS = 60_000_000_000L;
  /** Bytes of the stream's beginning kept until the first frame is handled. */
  private static final int HEAD_BYTES = 256;

  private final Session session;
  private final Link link;
  private final Vertx vertx;
  private final GatewayOptions options;
  private final ConnectionGuard guard;
  private final String ip;
  private final FrameParser parser;
  private final Outbound outbound;
  private final TokenBucket frames;
  private int strikes;
  private int inFlight;
  private final long openedNanos = System.nanoTime();
  private long lastFrameNanos = openedNanos;
  /** When the unfinished frame now in the parser began, or -1. */
  private long partialSinceNanos = -1;
  /** Bytes of the unfinished frame counted in the node's inbound total. */
  private long inboundCounted;
  /** Frames in the current WebSocket message (one is allowed), or -1 on a byte stream. */
  private int messageFrames = -1;
  /**
   * The stream's first bytes (at most HEAD_BYTES), kept until its first frame is handled: a fatal
   * error before then (too deep, too large, not JSON) is answered in the protocol these bytes were
   * attempting (Session.errorFrame), since the parser fails before any frame could name it.
   */
  private Buffer head = Buffer.buffer();
  /** closeWithError's error frame, held while replies of requests already in flight are written; null once written. */
  private String lastFrame;
  private final ConnectionLife life = new ConnectionLife();
  /** The channel is closed: with the login ended, the connection's slot is given back (once). */
  private boolean channelClosed;
  private boolean slotReleased;
  /** Every byte the peer sent before closing has been handed to the parser. */
  private boolean inputEnded;
  /** Since when the peer's last frames are drained (the socket closed while they were queued). */
  private long lingerSinceNanos;

  Connection(Session session, Link link, Vertx vertx, GatewayOptions options, ConnectionGuard guard, String ip) {
    this.session = session;
    this.link = link;
    this.vertx = vertx;
    this.options = options;
    this.guard = guard;
    this.ip = ip;
    this.frames = new TokenBucket(options.frameRate(), options.frameBurst(), openedNanos);
    this.parser = new FrameParser(options.maxFrameBytes(), options.maxDepth(), this::onFrame, this::onBrokenStream);
    this.outbound = new Outbound(link, guard, options.outboundBytes(), task -> vertx.runOnContext(v -> task.run()));
  }

  /** Starts reading: only once the session is ready for frames. */
  void open() {
    link.attach(this);
  }

  FrameParser parser() {
    return parser;
  }

  Link link() {
    return link;
  }

  Outbound outbound() {
    return outbound;
  }

  String ip() {
    return ip;
  }

  /** A WebSocket text message: exactly one v2 frame, through the same checks as a TCP stream. */
  void onMessage(String text) {
    messageFrames = 0;
    onBytes(Buffer.buffer(text));
    if (parser.buffered() > 0 && !life.stopped()) {
      closeWithError(ErrorCode.BAD_JSON, "a message must hold one whole JSON object");
    }
  }

  void onBinaryMessage() {
    closeWithError(ErrorCode.BAD_JSON, "binary messages are not frames: send JSON as text");
  }

  void onBytes(Buffer chunk) {
    if (head != null && head.length() < HEAD_BYTES) {
      head.appendBuffer(chunk, 0, Math.min(chunk.length(), HEAD_BYTES - head.length()));
    }
    parser.handle(chunk);
    if (session.closed() || !life.open()) {
      return; // after the close nothing more can arrive: an unfinished frame never ends, and is not counted
    }
    int buffered = parser.buffered();
    if (buffered == 0) {
      partialSinceNanos = -1;
    } else if (partialSinceNanos < 0) {
      partialSinceNanos = System.nanoTime();
    }
    boolean withinBudget = guard.inbound(buffered - inboundCounted);
    inboundCounted = buffered;
    if (!withinBudget && buffered > Outbound.NODE_SHARE_BYTES / 8) {
      // the node holds too many unfinished frames: the connections holding big ones go, not a
      // client whose small frame happens to be split across two reads
      closeWithError(ErrorCode.OVERLOADED, "server busy: too many unfinished frames");
    }
  }

  private void onFrame(Buffer bytes) {
    if (session.closed() || !life.reads()) {
      return;
    }
    long now = System.nanoTime();
    lastFrameNanos = now;
    partialSinceNanos = -1;
    if (messageFrames >= 0 && ++messageFrames > 1) {
      closeWithError(ErrorCode.BAD_JSON, "a message must hold one JSON object, not several");
      return;
    }
    if (!frames.take(now)) {
      if (!overLimit("requests")) {
        write(session.errorFrame(ErrorCode.RATE_LIMITED, "too many requests: slow down"), false);
      }
      return;
    }
    session.onFrame(bytes);
    head = null; // the first frame has named the protocol
  }

  /** The stream's first bytes until its first frame is handled, then null. */
  Buffer head() {
    return head;
  }

  void onBrokenStream(ProtocolException e) {
    LOG.debug("closing connection: {}", e.getMessage());
    closeWithError(e.code(), e.getMessage());
  }

  /**
   * One error frame, then the connection closes: the stream or the client can no longer be trusted.
   * No later frame is handled, but requests already in flight are answered first: a send pipelined
   * just before the fatal frame is stored, and its sender must learn so (every request gets one
   * reply). They get a second; then the error frame goes out without them, and a client that does
   * not take it is dropped a second later.
   */
  void closeWithError(ErrorCode code, String message) {
    if (!session.closed() && life.stop()) {
      lastFrame = session.errorFrame(code, message);
      if (inFlight == 0) {
        endWithError();
      }
      vertx.setTimer(1000, id -> {
        if (lastFrame != null && life.state() == ConnectionLife.State.CLOSING) {
          endWithError(); // replies still missing after a second are not waited for
          vertx.setTimer(1000, id2 -> abort());
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
  private void abort() {
    if (life.gone()) {
      return;
    }
    life.stop();
    // the kernel still sends what it took (it was counted as delivered); see Link.abort
    link.abort(ABORT_LINGER_MS);
    finish(); // signed off now; the connection slot is given back when the socket is closed
  }

  /** Called about once a second: closes connections idle, slow to log in, or stuck in a frame. */
  void checkTimeouts(long nowNanos) {
    if (life.draining() && nowNanos - lingerSinceNanos > LINGER_MAX_NANOS) {
      // the end of the stream never came through: do not hold the slot and the account forever
      signOff();
      return;
    }
    if (session.closed() || !life.open()) {
      return;
    }
    if (partialSinceNanos >= 0 && nowNanos - partialSinceNanos > options.frameTimeoutMs() * 1_000_000L) {
      closeWithError(ErrorCode.TIMEOUT, "frame not finished in " + options.frameTimeoutMs() + " ms");
    } else if (!session.online() && !session.loggingIn() && options.loginTimeoutMs() > 0
        && nowNanos - lastFrameNanos > options.loginTimeoutMs() * 1_000_000L) {
      closeWithError(ErrorCode.TIMEOUT, "idle for " + options.loginTimeoutMs() + " ms without a login");
    } else if (session.online() && options.idleTimeoutMs() > 0
        && nowNanos - lastFrameNanos > options.idleTimeoutMs() * 1_000_000L) {
      closeWithError(ErrorCode.TIMEOUT, "idle for " + options.idleTimeoutMs() + " ms");
    }
  }

  /**
   * Counts one over-limit event. Past the strike limit the connection closes; one that never
   * logged in also gets its address banned for a while, a logged-in one its account.
   */
  boolean overLimit(String what) {
    if (++strikes >= options.strikes()) {
      if (session.online()) {
        guard.banAccount(session.userId());
      } else {
        guard.ban(ip);
      }
      LOG.info("closing a connection that kept exceeding the {} limit; banned for {} ms", what, options.banMs());
      closeWithError(ErrorCode.RATE_LIMITED, "too many " + what + ": banned for " + options.banMs() / 1000 + " s");
      return true;
    }
    return false;
  }

  /** Replies and requests in flight are bounded: past the limit the socket stops reading. */
  void beginRequest() {
    if (++inFlight >= options.maxInFlight()) {
      link.pause();
    }
  }

  void endRequest() {
    if (--inFlight == options.maxInFlight() / 2 && !session.closed()) {
      link.resume();
    }
    if (inFlight == 0 && lastFrame != null) {
      // the reply is written by callbacks that run after this one: the error frame follows it
      vertx.runOnContext(v -> {
        if (inFlight == 0) {
          endWithError();
        }
      });
    }
    signOffIfDone();
  }

  /** No further frame is handled: the connection is closing, dropped or gone. */
  boolean aborted() {
    return life.stopped();
  }

  /** Nothing more can be written: the socket is closed or being dropped. */
  boolean gone() {
    return life.gone();
  }

  ConnectionLife.State state() {
    return life.state();
  }

  /**
   * Writes one frame. Past the connection's outbound budget (or, with the node over its total,
   * past a small share of it) the connection is dropped at once. Paced writes (the login ack and
   * inbox pages) wait for the socket to drain instead, so they never trip it.
   */
  Future<Void> write(String json, boolean paced) {
    if (session.closed() || !life.writes()) {
      return Future.failedFuture("closed");
    }
    Future<Void> written = outbound.write(json);
    if (!paced && outbound.overBudget()) {
      LOG.debug("dropping the connection of user {}: {} bytes not read", session.userId(), outbound.outstanding());
      abort();
    }
    return written;
  }

  /**
   * The end of the stream comes through the same queue as the data, after all of it, so it is
   * late by what a pause held back; the close handler is not.
   */
  void onEnd() {
    inputEnded = true;
    signOffIfDone();
  }

  void onClosed() {
    channelClosed = true;
    finish();
    releaseSlot();
  }

  /** No more writes or deliveries on this connection: count its bytes off and end the login. */
  private void finish() {
    if (!life.socketClosed()) {
      return;
    }
    guard.inbound(-inboundCounted);
    inboundCounted = 0;
    outbound.close();
    if (life.state() == ConnectionLife.State.DRAINING && session.online() && !(inputEnded && inFlight == 0)) {
      // a classic server reads to the end of the stream: what the client sent before closing
      // still counts. It is bounded by what Vert.x read ahead, and handled at the pace of
      // maxInFlight; until then the session keeps its connection slot (so open, flood and close
      // cannot pile up work past the connection caps) and stays registered (so a node shutdown
      // still signs it off)
      lingerSinceNanos = System.nanoTime();
      return;
    }
    signOff();
  }

  private void signOffIfDone() {
    if (life.draining() && inFlight == 0
        && (inputEnded || life.state() == ConnectionLife.State.FINISHING || !session.online())) {
      signOff();
    }
  }

  private void signOff() {
    life.signedOff();
    releaseSlot();
    session.signedOff();
  }

  /** The connection counts against the caps until its socket is closed and its login has ended. */
  private void releaseSlot() {
    if (channelClosed && life.state() == ConnectionLife.State.CLOSED && !slotReleased) {
      slotReleased = true;
      guard.release(ip);
    }
  }

  /** Closes the connection; the client will log in again. */
  Future<Void> close() {
    return link.close();
  }
}
