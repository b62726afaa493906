package chat.gateway;

/**
 * A cap on log lines: {@code perSecond} a second with a second's worth saved up, counting the
 * lines it refuses so that one summary line a second at most can say how many went unwritten.
 * Shared by every gateway instance of a node (each on its own event loop), hence synchronized;
 * the lock is held for a few instructions, fewer times than connections open and close.
 */
final class LogCap {
  private static final long SUMMARY_NANOS = 1_000_000_000L;

  private final TokenBucket bucket;
  private final boolean off;
  private long dropped;
  private long lastSummaryNanos;

  /** {@code perSecond} 0: no line at all, and nothing counted. */
  LogCap(int perSecond, long nowNanos) {
    this.off = perSecond <= 0;
    this.bucket = new TokenBucket(perSecond, Math.max(1, perSecond), nowNanos);
    this.lastSummaryNanos = nowNanos;
  }

  /** Whether one more line may be written now; a refused one is counted. */
  synchronized boolean take(long nowNanos) {
    if (off) {
      return false;
    }
    if (bucket.take(nowNanos)) {
      return true;
    }
    dropped++;
    return false;
  }

  /**
   * The lines refused since the last summary, once a second at most (0 otherwise, or if none
   * were): the caller writes one line for them. Counted again from zero.
   */
  synchronized long summary(long nowNanos) {
    if (dropped == 0 || nowNanos - lastSummaryNanos < SUMMARY_NANOS) {
      return 0;
    }
    long n = dropped;
    dropped = 0;
    lastSummaryNanos = nowNanos;
    return n;
  }
}
