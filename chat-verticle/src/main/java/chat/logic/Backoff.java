package chat.logic;

import java.util.function.LongSupplier;

/**
 * Failed attempts per key with an exponential lock-out: the first {@code freeFailures} cost
 * nothing; after that the key is locked for {@code baseMs}, doubling with each further failure up
 * to {@code maxMs}. Attempts still running count as failures to come, so a pipelined burst cannot
 * slip past the limit before the first result is known; once locked, one attempt at a time.
 */
final class Backoff<K> {
  private static final class Record {
    int failures;
    int pending;
    long lockedUntil;
    long lastFailure;
  }

  private final int freeFailures;
  private final long baseMs;
  private final long maxMs;
  private final LongSupplier clock;
  private final BoundedMap<K, Record> records;

  Backoff(int freeFailures, long baseMs, long maxMs, int capacity, LongSupplier clock) {
    this.freeFailures = freeFailures;
    this.baseMs = baseMs;
    this.maxMs = Math.max(baseMs, maxMs);
    this.clock = clock;
    this.records = new BoundedMap<>(capacity);
  }

  /** Starts an attempt if the key may try now; every true must be followed by exactly one of succeeded, failed or abandoned. */
  boolean tryStart(K key) {
    Record r = records.get(key);
    if (r == null) {
      r = new Record();
      records.put(key, r);
    }
    if (r.failures + r.pending >= freeFailures
        && (r.pending > 0 || clock.getAsLong() < r.lockedUntil)) {
      return false;
    }
    r.pending++;
    return true;
  }

  /** Milliseconds until the key may try again; 0 when it may. */
  long lockedFor(K key) {
    Record r = records.get(key);
    return r == null ? 0 : Math.max(0, r.lockedUntil - clock.getAsLong());
  }

  void failed(K key) {
    Record r = finish(key);
    if (r == null) {
      return;
    }
    r.failures++;
    long now = clock.getAsLong();
    r.lastFailure = now;
    if (r.failures >= freeFailures) {
      int doublings = Math.min(r.failures - freeFailures, 30);
      r.lockedUntil = now + Math.min(maxMs, baseMs << doublings);
    }
  }

  void succeeded(K key) {
    Record r = finish(key);
    if (r != null) {
      r.failures = 0;
      r.lockedUntil = 0;
    }
  }

  /** The attempt ended without telling whether the password was right (overload, timeout, error). */
  void abandoned(K key) {
    finish(key);
  }

  /** True when the key has just reached its first lock-out: worth one warning. */
  boolean justLocked(K key) {
    Record r = records.get(key);
    return r != null && r.failures == freeFailures;
  }

  private Record finish(K key) {
    // the record may have been evicted meanwhile: then there is nothing left to count against
    Record r = records.get(key);
    if (r != null && r.pending > 0) {
      r.pending--;
    }
    return r;
  }

  /** Forgets keys that have been quiet for {@code maxMs} since their lock ended. */
  void sweep() {
    long now = clock.getAsLong();
    records.values().removeIf(r -> r.pending == 0 && now >= Math.max(r.lockedUntil, r.lastFailure) + maxMs);
  }

  int size() {
    return records.size();
  }
}
