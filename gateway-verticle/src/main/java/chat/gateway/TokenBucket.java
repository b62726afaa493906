package chat.gateway;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. Not thread-safe:
 * each bucket belongs to one event loop (a session's), or is used under its owner's lock.
 */
final class TokenBucket {
  private final double rate;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(double rate, double burst, long nowNanos) {
    this.rate = rate;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes one token if there is one. */
  boolean take(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** True once the bucket has refilled completely: nothing about its owner is worth keeping. */
  boolean full(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * rate / 1e9);
      lastNanos = nowNanos;
    }
  }
}
