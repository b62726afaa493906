package chat.gateway;

import java.util.Collection;
import java.util.function.ToLongFunction;

/**
 * Who may connect to one gateway instance: the node's and the address's caps and rates
 * ({@link ConnectionGuard#admit}), then the share of connections without a login
 * ({@link PreLoginShare}). When that share is full, the oldest idle connection without a login on
 * this instance is closed to make room, so a flood of idle connections costs the attacker its
 * oldest ones, and a client that connects to log in still gets in.
 *
 * <p>Confined to the instance's event loop (the guard and the share are the node's).
 */
final class Admission {
  private final ConnectionGuard guard;
  private final Sessions sessions;
  private long evicted;

  Admission(ConnectionGuard guard, Sessions sessions) {
    this.guard = guard;
    this.sessions = sessions;
  }

  /** Counts a new connection from {@code ip} in, or says why not; admitted ones hold a {@link PreLoginSlot}. */
  ConnectionGuard.Refusal admit(String ip) {
    ConnectionGuard.Refusal refusal = guard.admit(ip);
    if (refusal != ConnectionGuard.Refusal.NONE) {
      return refusal;
    }
    PreLoginShare.Result r = guard.preLogin().enter(ip);
    if (r == PreLoginShare.Result.SHARE_FULL) {
      Connection idle = oldest(sessions.snapshot().stream().map(Session::connection).toList(), Connection::preLoginIdleSince);
      if (idle != null) {
        idle.evict();
        evicted++;
        r = guard.preLogin().enter(ip);
      }
    }
    if (r == PreLoginShare.Result.ENTERED) {
      return ConnectionGuard.Refusal.NONE;
    }
    if (r == PreLoginShare.Result.SHARE_FULL) {
      guard.preLogin().blocked(); // readiness says so until a connection enters again or the share frees up
    }
    guard.release(ip);
    return r == PreLoginShare.Result.ADDRESS_FULL ? ConnectionGuard.Refusal.ADDRESS_FULL : ConnectionGuard.Refusal.NODE_FULL;
  }

  long evicted() {
    return evicted;
  }

  /** The candidate idle the longest ({@code idleSince} smallest), skipping those it gives Long.MAX_VALUE; null if none. */
  static <T> T oldest(Collection<T> candidates, ToLongFunction<T> idleSince) {
    T oldest = null;
    long oldestAt = Long.MAX_VALUE;
    for (T c : candidates) {
      long at = idleSince.applyAsLong(c);
      if (at != Long.MAX_VALUE && at < oldestAt) {
        oldest = c;
        oldestAt = at;
      }
    }
    return oldest;
  }
}
