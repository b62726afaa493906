package chat.logic;

import java.util.function.LongSupplier;

/**
 * The account-wide login limit, which slows and does not refuse: an account that had more than
 * {@code freeFailures} failed password logins within a window (from any addresses) is hot, and a
 * password login to it from an address that never logged in to it waits {@code delayMs} first, at
 * most {@code delayedMax} at once. Addresses that logged in to it before go straight on, so an
 * attacker spread over many addresses slows strangers, never the owner at home. Owned by one
 * event loop; both maps are bounded.
 */
final class AccountHeat {
  /** How long an address that logged in to an account stays known to it. */
  static final long KNOWN_MS = 30L * 24 * 3600 * 1000;

  private record Pair(int account, String address) {
    static Pair of(int account, String address) {
      return new Pair(account, address == null ? "" : address);
    }
  }

  private static final class Heat {
    int failures;
    long since;
    int delayed;
  }

  private final int freeFailures;
  private final long windowMs;
  private final long delayMs;
  private final int delayedMax;
  private final LongSupplier clock;
  private final BoundedMap<Integer, Heat> heat;
  private final BoundedMap<Pair, Long> known;

  AccountHeat(int freeFailures, long windowMs, long delayMs, int delayedMax, int tracked, LongSupplier clock) {
    this.freeFailures = freeFailures;
    this.windowMs = windowMs;
    this.delayMs = delayMs;
    this.delayedMax = delayedMax;
    this.clock = clock;
    this.heat = new BoundedMap<>(tracked);
    this.known = new BoundedMap<>(tracked);
  }

  /** True when a login from this address would have to wait and the waiting room is full. */
  boolean full(int id, String address) {
    Heat h = hot(id);
    return h != null && h.delayed >= delayedMax && !known(id, address);
  }

  /** The wait before this login's password check, 0 for none; a wait must be followed by {@link #waitOver}. */
  long startWait(int id, String address) {
    Heat h = hot(id);
    if (h == null || known(id, address)) {
      return 0;
    }
    h.delayed++;
    return delayMs;
  }

  void waitOver(int id) {
    Heat h = heat.get(id);
    if (h != null && h.delayed > 0) {
      h.delayed--;
    }
  }

  /** Counts a wrong password; true when the account has just turned hot. */
  boolean failed(int id) {
    long now = clock.getAsLong();
    Heat h = heat.computeIfAbsent(id, k -> new Heat());
    if (now - h.since > windowMs) {
      h.failures = 0;
      h.since = now;
    }
    return ++h.failures == freeFailures;
  }

  /** The owner got in: the account cools down and the address is known to it. */
  void succeeded(int id, String address) {
    known.put(Pair.of(id, address), clock.getAsLong() + KNOWN_MS);
    heat.remove(id);
  }

  private Heat hot(int id) {
    Heat h = heat.get(id);
    if (h == null || h.failures < freeFailures) {
      return null;
    }
    return clock.getAsLong() - h.since > windowMs && h.delayed == 0 ? null : h;
  }

  private boolean known(int id, String address) {
    Long until = known.get(Pair.of(id, address));
    return until != null && until > clock.getAsLong();
  }

  void sweep() {
    long now = clock.getAsLong();
    heat.values().removeIf(h -> h.delayed == 0 && now - h.since > windowMs);
    known.values().removeIf(until -> until <= now);
  }

  int size() {
    return heat.size() + known.size();
  }
}
