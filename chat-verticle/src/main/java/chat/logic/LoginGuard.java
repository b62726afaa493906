package chat.logic;

import chat.protocol.ErrorCode;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before any bcrypt runs, whether a login or registration may try at all: a wrong
 * password must cost the attacker time, not the server CPU. Per client address a token bucket
 * caps logins and registrations together; failed logins back off exponentially per account and
 * per address. The address is optional (absent: no per-address limits), and some addresses are
 * exempt: behind a proxy on the same host (nginx stream, the demo cluster) every client shows the
 * proxy's address, and limiting it would limit everyone at once. Owned by the chat verticle's
 * event loop: no locks.
 */
final class LoginGuard {
  private static final Logger LOG = LoggerFactory.getLogger(LoginGuard.class);
  private static final long WARN_EVERY_MS = 10_000;

  /** The limits; times in milliseconds. */
  record Limits(
      int ratePerIp,
      int burstPerIp,
      int freeFailures,
      int freeFailuresPerIp,
      long backoffMs,
      long backoffMaxMs,
      int tracked) {}

  /** Loopback by default; Java writes ::1 in full. */
  static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");

  private final LongSupplier clock;
  private final Set<String> exempt;
  private final TokenBuckets<String> buckets;
  private final Backoff<Integer> accounts;
  private final Backoff<String> addresses;
  private long lastWarn = Long.MIN_VALUE / 2;
  private int unwarned;

  LoginGuard(Limits limits, LongSupplier clock) {
    this(limits, Set.of(), clock);
  }

  LoginGuard(Limits limits, Set<String> exempt, LongSupplier clock) {
    this.clock = clock;
    this.exempt = Set.copyOf(exempt);
    this.buckets = new TokenBuckets<>(limits.ratePerIp(), limits.burstPerIp(), limits.tracked(), clock);
    this.accounts = new Backoff<>(limits.freeFailures(), limits.backoffMs(), limits.backoffMaxMs(), limits.tracked(), clock);
    this.addresses = new Backoff<>(limits.freeFailuresPerIp(), limits.backoffMs(), limits.backoffMaxMs(), limits.tracked(), clock);
  }

  /** Null when the registration may go on, else why not. */
  ErrorCode register(String address) {
    String ip = limited(address);
    if (ip != null && !buckets.tryTake(ip)) {
      warn("address {} exceeds the login/registration rate", ip);
      return ErrorCode.RATE_LIMITED;
    }
    return null;
  }

  /**
   * Null when the login may check its password, else why not. A null answer starts an attempt:
   * it must end in exactly one of {@link #succeeded}, {@link #failed} or {@link #abandoned}.
   */
  ErrorCode startLogin(int id, String address) {
    String ip = limited(address);
    if (ip != null && !buckets.tryTake(ip)) {
      warn("address {} exceeds the login/registration rate", ip);
      return ErrorCode.RATE_LIMITED;
    }
    if (!accounts.tryStart(id)) {
      LOG.debug("login of {} refused: account backing off for {} ms", id, accounts.lockedFor(id));
      return ErrorCode.RATE_LIMITED;
    }
    if (ip != null && !addresses.tryStart(ip)) {
      accounts.abandoned(id);
      LOG.debug("login from {} refused: address backing off for {} ms", ip, addresses.lockedFor(ip));
      return ErrorCode.RATE_LIMITED;
    }
    return null;
  }

  /** The password was right: the account starts afresh; the address does not, or one good account would launder its guesses. */
  void succeeded(int id, String address) {
    String ip = limited(address);
    accounts.succeeded(id);
    if (ip != null) {
      addresses.abandoned(ip);
    }
  }

  void failed(int id, String address) {
    String ip = limited(address);
    accounts.failed(id);
    if (accounts.justLocked(id)) {
      LOG.debug("account {} locked after failed logins", id);
    }
    if (ip != null) {
      addresses.failed(ip);
      if (addresses.justLocked(ip)) {
        warn("address {} is backing off after failed logins", ip);
      }
    }
  }

  /**
   * As {@link #startLogin} for a resume token, without the account's backoff: the signing key
   * cannot be guessed, so an account backoff would protect nothing, and password guesses against an
   * account must not lock out its owner's reconnects. The address is limited as for passwords.
   * A null answer must be followed by exactly one of {@link #tokenFailed} or {@link #tokenEnded}.
   */
  ErrorCode startTokenLogin(String address) {
    String ip = limited(address);
    if (ip != null && !buckets.tryTake(ip)) {
      warn("address {} exceeds the login/registration rate", ip);
      return ErrorCode.RATE_LIMITED;
    }
    if (ip != null && !addresses.tryStart(ip)) {
      LOG.debug("token login from {} refused: address backing off for {} ms", ip, addresses.lockedFor(ip));
      return ErrorCode.RATE_LIMITED;
    }
    return null;
  }

  /** A bad token: a failure of its address. */
  void tokenFailed(String address) {
    String ip = limited(address);
    if (ip != null) {
      addresses.failed(ip);
      if (addresses.justLocked(ip)) {
        warn("address {} is backing off after failed logins", ip);
      }
    }
  }

  /** A good token, or an attempt that ended without telling (as with passwords, no laundering). */
  void tokenEnded(String address) {
    String ip = limited(address);
    if (ip != null) {
      addresses.abandoned(ip);
    }
  }

  void abandoned(int id, String address) {
    String ip = limited(address);
    accounts.abandoned(id);
    if (ip != null) {
      addresses.abandoned(ip);
    }
  }

  /** The address to count against, or null when it is not limited. */
  String limited(String address) {
    return address == null || exempt.contains(address) ? null : address;
  }

  /** Drops what no longer limits anyone; call now and then from the owning event loop. */
  void sweep() {
    buckets.sweep();
    accounts.sweep();
    addresses.sweep();
  }

  int tracked() {
    return buckets.size() + accounts.size() + addresses.size();
  }

  /** At most one warning per interval, however many addresses trip: the log must not become the attack. */
  private void warn(String format, String ip) {
    long now = clock.getAsLong();
    if (now - lastWarn < WARN_EVERY_MS) {
      unwarned++;
      return;
    }
    lastWarn = now;
    if (unwarned > 0) {
      LOG.warn(format + " ({} more limited since the last warning)", ip, unwarned);
    } else {
      LOG.warn(format, ip);
    }
    unwarned = 0;
  }
}
