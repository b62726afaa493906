package chat.persistence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per sender: {@code perPeriod} tokens, refilled evenly over {@code periodMs}.
 * Senders are the attacker's to choose, so the least recently used bucket is forgotten past
 * {@code capacity} (a forgotten bucket comes back full, which costs an attacker as many other
 * active accounts). Not thread-safe: one event loop owns it.
 */
final class SenderQuota {
  private static final class Bucket {
    double tokens;
    long at;
  }

  private final double perMs;
  private final int burst;
  private final LongSupplier clock;
  private final Map<Integer, Bucket> buckets;

  SenderQuota(int perPeriod, long periodMs, int capacity, LongSupplier clock) {
    this.perMs = (double) perPeriod / periodMs;
    this.burst = perPeriod;
    this.clock = clock;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Bucket> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Takes one token; false when the sender has none left. */
  boolean tryTake(int sender) {
    Bucket b = bucket(sender);
    if (b.tokens < 1) {
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  /** Gives back a token taken for a message that turned out not to count. */
  void refund(int sender) {
    Bucket b = bucket(sender);
    b.tokens = Math.min(burst, b.tokens + 1);
  }

  int size() {
    return buckets.size();
  }

  private Bucket bucket(int sender) {
    long now = clock.getAsLong();
    Bucket b = buckets.get(sender);
    if (b == null) {
      b = new Bucket();
      b.tokens = burst;
      b.at = now;
      buckets.put(sender, b);
    } else if (now > b.at) {
      b.tokens = Math.min(burst, b.tokens + (now - b.at) * perMs);
      b.at = now;
    }
    return b;
  }
}
