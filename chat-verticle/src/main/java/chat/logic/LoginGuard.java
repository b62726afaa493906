package chat.logic;

import chat.protocol.ErrorCode;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before any bcrypt runs, whether a login or registration may try at all: a wrong
 * password must cost the attacker time, not the server CPU, and must never lock the owner out.
 * Per client address a token bucket caps logins and registrations together; failed logins back
 * off exponentially per (account, address) and per address, never per account alone, so guesses
 * from one address leave the owner's other addresses alone. Across all addresses an account has
 * a far higher limit that slows rather than refuses: past it, a password login from an address
 * that never logged in to the account waits {@code accountDelayMs} first (at most
 * {@code accountDelayedMax} such waits at once), while addresses that did, and resume tokens, go
 * straight on. The address is optional (absent: no per-address limits), and some addresses are
 * exempt from the per-address limits: behind a proxy on the same host (nginx stream, the demo
 * cluster) every client shows the proxy's address, and limiting it would limit everyone at once
 * (there the (account, address) backoff is per account: give the node real addresses with the
 * PROXY protocol). Owned by the chat verticle's event loop: no locks.
 */
final class LoginGuard {
  private static final Logger LOG = LoggerFactory.getLogger(LoginGuard.class);
  private static final long WARN_EVERY_MS = 10_000;

  /** The limits; times in milliseconds. {@code freeFailures} is per (account, address). */
  record Limits(
      int ratePerIp,
      int burstPerIp,
      int freeFailures,
      int freeFailuresPerIp,
      long backoffMs,
      long backoffMaxMs,
      int tracked,
      int accountFreeFailures,
      long accountDelayMs,
      int accountDelayedMax) {

    /** With the account-wide defaults. */
    Limits(int ratePerIp, int burstPerIp, int freeFailures, int freeFailuresPerIp, long backoffMs, long backoffMaxMs, int tracked) {
      this(ratePerIp, burstPerIp, freeFailures, freeFailuresPerIp, backoffMs, backoffMaxMs, tracked, 100, 1000, 16);
    }
  }

  private record Pair(int account, String address) {
    static Pair of(int account, String address) {
      return new Pair(account, address == null ? "" : address);
    }
  }

  /** Loopback by default; Java writes ::1 in full. */
  static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");

  private final LongSupplier clock;
  private final Set<String> exempt;
  private final TokenBuckets<String> buckets;
  private final Backoff<Pair> pairs;
  private final Backoff<String> addresses;
  private final AccountHeat heat;
  private long lastWarn = Long.MIN_VALUE / 2;
  private int unwarned;

  LoginGuard(Limits limits, LongSupplier clock) {
    this(limits, Set.of(), clock);
  }

  LoginGuard(Limits limits, Set<String> exempt, LongSupplier clock) {
    this.clock = clock;
    this.exempt = Set.copyOf(exempt);
    this.buckets = new TokenBuckets<>(limits.ratePerIp(), limits.burstPerIp(), limits.tracked(), clock);
    this.pairs = new Backoff<>(limits.freeFailures(), limits.backoffMs(), limits.backoffMaxMs(), limits.tracked(), clock);
    this.heat = new AccountHeat(limits.accountFreeFailures(), limits.backoffMaxMs(), limits.accountDelayMs(),
        limits.accountDelayedMax(), limits.tracked(), clock);
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
   * it must end in exactly one of {@link #succeeded}, {@link #failed} or {@link #abandoned}, and
   * may have to wait {@link #delayFor} first.
   */
  ErrorCode startLogin(int id, String address) {
    String ip = limited(address);
    if (ip != null && !buckets.tryTake(ip)) {
      warn("address {} exceeds the login/registration rate", ip);
      return ErrorCode.RATE_LIMITED;
    }
    Pair pair = Pair.of(id, address);
    if (!pairs.tryStart(pair)) {
      LOG.debug("login of {} refused: account and address backing off for {} ms", id, pairs.lockedFor(pair));
      return ErrorCode.RATE_LIMITED;
    }
    if (ip != null && !addresses.tryStart(ip)) {
      pairs.abandoned(pair);
      LOG.debug("login from {} refused: address backing off for {} ms", ip, addresses.lockedFor(ip));
      return ErrorCode.RATE_LIMITED;
    }
    if (heat.full(id, address)) {
      pairs.abandoned(pair);
      if (ip != null) {
        addresses.abandoned(ip);
      }
      LOG.debug("login of {} refused: too many slowed logins already waiting", id);
      return ErrorCode.RATE_LIMITED;
    }
    return null;
  }

  /**
   * How long a started password login waits before its check: 0, unless the account is under
   * guesses from many addresses and this one never logged in to it. A wait that is not 0 must be
   * followed by {@link #delayOver} when it ends.
   */
  long delayFor(int id, String address) {
    return heat.startWait(id, address);
  }

  void delayOver(int id) {
    heat.waitOver(id);
  }

  /**
   * The password was right: the pair starts afresh and the address is known to the account from
   * now on; the address does not start afresh, or one good account would launder its guesses.
   */
  void succeeded(int id, String address) {
    String ip = limited(address);
    Pair pair = Pair.of(id, address);
    pairs.succeeded(pair);
    heat.succeeded(id, address);
    if (ip != null) {
      addresses.abandoned(ip);
    }
  }

  void failed(int id, String address) {
    String ip = limited(address);
    Pair pair = Pair.of(id, address);
    pairs.failed(pair);
    if (pairs.justLocked(pair)) {
      LOG.debug("account {} locked for one address after failed logins", id);
    }
    if (heat.failed(id)) {
      warn("account " + id + " is slowed for new addresses after failed logins from {}", String.valueOf(ip));
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
    pairs.abandoned(Pair.of(id, address));
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
    pairs.sweep();
    addresses.sweep();
    heat.sweep();
  }

  int tracked() {
    return buckets.size() + pairs.size() + addresses.size() + heat.size();
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
