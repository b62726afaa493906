package chat.logic;

import java.util.function.LongSupplier;

/**
 * One token bucket per key: {@code ratePerSecond} tokens refill each second (or {@code perPeriod}
 * each {@code periodMs}), up to {@code burst}. A full bucket carries no information, so it is
 * dropped by {@link #sweep()}.
 */
final class TokenBuckets<K> {
  private static final class Bucket {
    double tokens;
    long at;
  }

  private final double ratePerMs;
  private final int burst;
  private final LongSupplier clock;
  private final BoundedMap<K, Bucket> buckets;

  TokenBuckets(int ratePerSecond, int burst, int capacity, LongSupplier clock) {
    this(ratePerSecond, 1000, burst, capacity, clock);
  }

  TokenBuckets(int perPeriod, long periodMs, int burst, int capacity, LongSupplier clock) {
    this.ratePerMs = (double) perPeriod / periodMs;
    this.burst = burst;
    this.clock = clock;
    this.buckets = new BoundedMap<>(capacity);
  }

  /** Takes one token; false when the key has none left. */
  boolean tryTake(K key) {
    long now = clock.getAsLong();
    Bucket b = buckets.get(key);
    if (b == null) {
      b = new Bucket();
      b.tokens = burst;
      b.at = now;
      buckets.put(key, b);
    }
    refill(b, now);
    if (b.tokens < 1) {
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  private void refill(Bucket b, long now) {
    if (now > b.at) {
      b.tokens = Math.min(burst, b.tokens + (now - b.at) * ratePerMs);
      b.at = now;
    }
  }

  void sweep() {
    long now = clock.getAsLong();
    buckets.values().removeIf(b -> {
      refill(b, now);
      return b.tokens >= burst;
    });
  }

  int size() {
    return buckets.size();
  }
}
