package chat.gateway;

/**
 * A connection's limits that need no socket: its request rate and strikes, the bytes of its
 * unfinished frame (counted in the node's inbound total) and its timeouts. The clock is the
 * caller's, so every limit can be tested without a connection.
 *
 * <p>Confined to the connection's event loop.
 */
final class ConnectionLimits {
  private final GatewayOptions options;
  private final ConnectionGuard guard;
  private final TokenBucket frames;
  /** Chat messages have their own, lower rate; made at the first one. */
  private TokenBucket messages;
  private int strikes;
  private long lastFrameNanos;
  /** When the unfinished frame now in the parser began, or -1. */
  private long partialSinceNanos = -1;
  /** Bytes of the unfinished frame counted in the node's inbound total. */
  private long inboundCounted;

  ConnectionLimits(GatewayOptions options, ConnectionGuard guard, long openedNanos) {
    this.options = options;
    this.guard = guard;
    this.frames = new TokenBucket(options.frameRate(), options.frameBurst(), openedNanos);
    this.lastFrameNanos = openedNanos;
  }

  /**
   * The parser now holds {@code buffered} bytes of an unfinished frame. False when the node holds
   * too many unfinished frames and this one is big: the connections holding big ones go, not a
   * client whose small frame happens to be split across two reads.
   */
  boolean buffered(int buffered, long nowNanos) {
    if (buffered == 0) {
      partialSinceNanos = -1;
    } else if (partialSinceNanos < 0) {
      partialSinceNanos = nowNanos;
    }
    boolean withinBudget = guard.inbound(buffered - inboundCounted);
    inboundCounted = buffered;
    return withinBudget || buffered <= Outbound.NODE_SHARE_BYTES / 8;
  }

  /** A whole frame arrived: the connection is not idle, and no frame is unfinished. */
  void frameArrived(long nowNanos) {
    lastFrameNanos = nowNanos;
    partialSinceNanos = -1;
  }

  /** When the last whole frame arrived (or the connection opened). */
  long lastFrameNanos() {
    return lastFrameNanos;
  }

  /** The request rate: true if this frame is within it. */
  boolean takeFrame(long nowNanos) {
    return frames.take(nowNanos);
  }

  /** Counts one over-limit event: true once past the strike limit (the connection closes). */
  boolean strike() {
    return ++strikes >= options.strikes();
  }

  /**
   * Why the connection times out now, or null: a frame left unfinished too long, no login for too
   * long (unless one is under way), or a logged-in connection idle too long.
   */
  String timedOut(long nowNanos, boolean loggedIn, boolean loggingIn) {
    if (partialSinceNanos >= 0 && nowNanos - partialSinceNanos > options.frameTimeoutMs() * 1_000_000L) {
      return "frame not finished in " + options.frameTimeoutMs() + " ms";
    }
    long idleNanos = nowNanos - lastFrameNanos;
    if (!loggedIn && !loggingIn && options.loginTimeoutMs() > 0 && idleNanos > options.loginTimeoutMs() * 1_000_000L) {
      return "idle for " + options.loginTimeoutMs() + " ms without a login";
    }
    if (loggedIn && options.idleTimeoutMs() > 0 && idleNanos > options.idleTimeoutMs() * 1_000_000L) {
      return "idle for " + options.idleTimeoutMs() + " ms";
    }
    return null;
  }

  /** The connection is gone: its unfinished bytes leave the node's total. */
  void release() {
    guard.inbound(-inboundCounted);
    inboundCounted = 0;
  }

  /** A chat message's token. */
  boolean takeMessage(long nowNanos) {
    if (messages == null) {
      messages = new TokenBucket(options.messageRate(), options.messageBurst(), nowNanos);
    }
    return messages.take(nowNanos);
  }
}
