package chat.client;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between reconnect attempts: doubling from {@code firstMs} up to {@code maxMs}, each with up
 * to a fifth taken off at random, so that clients of a restarted node do not all come back at once.
 */
final class Backoff {
  private final long firstMs;
  private final long maxMs;
  private long nextMs;
  private int attempts;

  Backoff(long firstMs, long maxMs) {
    this.firstMs = firstMs;
    this.maxMs = maxMs;
    this.nextMs = firstMs;
  }

  long next() {
    long base = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    attempts++;
    return base - ThreadLocalRandom.current().nextLong(base / 5 + 1);
  }

  int attempts() {
    return attempts;
  }

  void reset() {
    nextMs = firstMs;
    attempts = 0;
  }
}
