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
 * One client connection's transport: bytes in and frames out through its {@link Link}, within its
 * limits ({@link ConnectionLimits}, pending requests, unsent bytes), and its end: an error frame
 * then a close, a drop, or the peer leaving ({@link ConnectionLife}). What a frame means is its
 * {@link ConnectionOwner}'s; the connection knows nothing of commands.
 */
final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  /** Bytes of the stream's beginning kept until the first frame is handled. */
  private static final int HEAD_BYTES = 256;

  private final ConnectionOwner owner;
  private final Link link;
  private final GatewayOptions options;
  private final ConnectionGuard guard;
  private final String ip;
  private final FrameParser parser;
  private final Outbound outbound;
  private final ConnectionLimits limits;
  private final ConnectionEnd end;
  private final ConnectionLife life;
  private final PreLoginSlot preLogin;
  private final Strikes strikes;
  private final GatewayMetrics metrics;
  private int inFlight;
  /** Frames in the current WebSocket message (one is allowed), or -1 on a byte stream. */
  private int messageFrames = -1;
  /**
   * The stream's first bytes (at most HEAD_BYTES), kept until its first frame is handled: a fatal
   * error before then (too deep, too large, not JSON) is answered in the protocol these bytes were
   * attempting, since the parser fails before any frame could name it.
   */
  private Buffer head = Buffer.buffer();

  Connection(ConnectionOwner owner, Link link, Vertx vertx, GatewayOptions options, ConnectionGuard guard,
      ConnectionTrail trail, GatewayMetrics metrics) {
    this.owner = owner;
    this.metrics = metrics;
    this.link = link;
    this.options = options;
    this.guard = guard;
    this.ip = trail.remote();
    this.limits = new ConnectionLimits(options, guard, System.nanoTime());
    this.preLogin = new PreLoginSlot(guard.preLogin(), ip);
    this.strikes = new Strikes(limits, guard.bans(), metrics, ip, () -> owner.login().loggedIn(), owner::userId,
        this::closeWithError);
    this.parser = new FrameParser(options.maxFrameBytes(), options.maxDepth(), this::onFrame, this::onBrokenStream);
    this.outbound = new Outbound(link, guard, options.outboundBytes(), task -> vertx.runOnContext(v -> task.run()));
    this.end = new ConnectionEnd(link, owner, ConnectionEnd.Timers.of(vertx), () -> inFlight, () -> {
      limits.release();
      outbound.close();
    }, () -> {
      preLogin.giveBack();
      guard.release(ip);
    }, trail);
    this.life = end.life();
  }

  /** Starts reading: only once the owner is ready for frames. */
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

  /** The stream's first bytes until its first frame is handled, then null. */
  Buffer head() {
    return head;
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
    if (owner.login().closed() || !life.open()) {
      return; // after the close nothing more can arrive: an unfinished frame never ends, and is not counted
    }
    if (!limits.buffered(parser.buffered(), System.nanoTime())) {
      metrics.refused(GatewayMetrics.Limit.INBOUND_BYTES);
      closeWithError(ErrorCode.OVERLOADED, "server busy: too many unfinished frames");
    }
  }

  private void onFrame(Buffer bytes) {
    if (owner.login().closed() || !life.reads()) {
      return;
    }
    long now = System.nanoTime();
    limits.frameArrived(now);
    if (messageFrames >= 0 && ++messageFrames > 1) {
      closeWithError(ErrorCode.BAD_JSON, "a message must hold one JSON object, not several");
      return;
    }
    if (!limits.takeFrame(now)) {
      if (!strikes.refused(GatewayMetrics.Limit.REQUEST_RATE, "requests")) {
        write(owner.errorFrame(ErrorCode.RATE_LIMITED, "too many requests: slow down"), false);
      }
      return;
    }
    owner.onFrame(bytes);
    head = null; // the first frame has named the protocol
  }

  void onBrokenStream(ProtocolException e) {
    LOG.debug("closing connection: {}", e.getMessage());
    closeWithError(e.code(), e.getMessage());
  }

  /** One error frame, then the connection closes (see {@link ConnectionEnd#closeWithError}). */
  void closeWithError(ErrorCode code, String message) {
    end.closeWithError(code, message);
  }

  /** The connection's place among those without a login: given back at login, taken again at logout. */
  PreLoginSlot preLogin() {
    return preLogin;
  }

  /** Since when this connection has sat without a login and idle, or Long.MAX_VALUE if it may not be evicted. */
  long preLoginIdleSince() {
    return preLogin.held() && owner.login().awaitingLogin() && life.open() ? limits.lastFrameNanos() : Long.MAX_VALUE;
  }

  /** Closed to make room for a new connection: its place among those without a login is free at once. */
  void evict() {
    if (preLogin.giveBack()) {
      closeWithError(ErrorCode.TOO_MANY_CONNECTIONS, "server busy: idle connections without a login are closed first");
    }
  }

  /** Called about once a second: closes connections idle, slow to log in, or stuck in a frame. */
  void checkTimeouts(long nowNanos) {
    if (end.drainedTooLong(nowNanos) || owner.login().closed() || !life.open()) {
      return;
    }
    String why = limits.timedOut(nowNanos, owner.login().loggedIn(), owner.login().loggingIn());
    if (why != null) {
      closeWithError(ErrorCode.TIMEOUT, why);
    }
  }

  /** A chat message takes a token of its own, lower rate (an account has one login at a time). */
  void requireMessageToken() {
    if (!limits.takeMessage(System.nanoTime())) {
      throw new ProtocolException(ErrorCode.RATE_LIMITED,
          strikes.refused(GatewayMetrics.Limit.MESSAGE_RATE, "messages") ? "closed" : "too many messages: this one was not sent");
    }
  }

  /** Counts one over-limit event (see {@link Strikes}); true when the connection is closing for it. */
  boolean overLimit(String what) {
    return strikes.overLimit(what);
  }

  /** Replies and requests in flight are bounded: past the limit the socket stops reading. */
  void beginRequest() {
    if (++inFlight >= options.maxInFlight()) {
      link.pause();
    }
  }

  void endRequest() {
    if (--inFlight == options.maxInFlight() / 2 && !owner.login().closed()) {
      link.resume();
    }
    end.requestDone();
  }

  /** No further frame is handled: the connection is closing, dropped or gone. */
  boolean aborted() {
    return life.stopped();
  }

  /** Nothing more can be written: the socket is closed or being dropped. */
  boolean gone() {
    return life.gone();
  }

  /**
   * Writes one frame. Past the connection's outbound budget (or, with the node over its total,
   * past a small share of it) the connection is dropped at once. Paced writes (the login ack and
   * inbox pages) wait for the socket to drain instead, so they never trip it.
   */
  Future<Void> write(String json, boolean paced) {
    if (owner.login().closed() || !life.writes()) {
      return Future.failedFuture("closed");
    }
    Future<Void> written = outbound.write(json);
    if (!paced && outbound.overBudget()) {
      LOG.debug("dropping the connection of user {}: {} bytes not read", owner.userId(), outbound.outstanding());
      metrics.outboundDropped();
      end.abort();
    }
    return written;
  }

  /** The end of the stream: after all its data, late by what a pause held back. */
  void onEnd() {
    end.inputEnded();
  }

  void onClosed() {
    end.channelClosed();
  }

  /** Closes the connection; the client will log in again. */
  Future<Void> close() {
    end.closedByServer();
    return link.close();
  }
}
