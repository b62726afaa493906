package chat.gateway;

import chat.protocol.ErrorCode;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's over-limit events. Past the strike limit it closes with an error frame, and its
 * account (once logged in) or its address (before) is banned for a while ({@link Bans}), so a
 * client that keeps hammering a limit costs nothing more. An address that stands for many clients
 * is never banned: the connection only closes (1015). Confined to the connection's event loop.
 */
final class Strikes {
  private static final Logger LOG = LoggerFactory.getLogger(Strikes.class);

  private final ConnectionLimits limits;
  private final Bans bans;
  private final GatewayMetrics metrics;
  private final String ip;
  private final BooleanSupplier loggedIn;
  private final IntSupplier userId;
  private final BiConsumer<ErrorCode, String> close;

  /** {@code close} writes an error frame and closes the connection. */
  Strikes(ConnectionLimits limits, Bans bans, GatewayMetrics metrics, String ip,
      BooleanSupplier loggedIn, IntSupplier userId, BiConsumer<ErrorCode, String> close) {
    this.limits = limits;
    this.bans = bans;
    this.metrics = metrics;
    this.ip = ip;
    this.loggedIn = loggedIn;
    this.userId = userId;
    this.close = close;
  }

  /** A request refused by {@code limit}: counted as such, and as an over-limit event ({@code what} in words). */
  boolean refused(GatewayMetrics.Limit limit, String what) {
    metrics.refused(limit);
    return overLimit(what);
  }

  /** Counts one over-limit event; true when it was the last one allowed and the connection is closing. */
  boolean overLimit(String what) {
    if (!limits.strike()) {
      return false;
    }
    if (loggedIn.getAsBoolean()) {
      int user = userId.getAsInt();
      if (bans.banAccount(user)) {
        LOG.info("closing user {}'s connection that kept exceeding the {} limit; the account is banned for {} ms",
            user, what, bans.accountMs());
        close.accept(ErrorCode.BANNED, "too many " + what + ": this account is banned for " + seconds(bans.accountMs()));
        return true;
      }
    } else if (bans.banAddress(ip)) {
      LOG.info("closing a connection without a login that kept exceeding the {} limit; its address is banned for {} ms",
          what, bans.addressMs());
      close.accept(ErrorCode.BANNED, "too many " + what + ": this address is banned for " + seconds(bans.addressMs()));
      return true;
    }
    LOG.info("closing a connection that kept exceeding the {} limit (no ban: bans off, or the address stands for many)", what);
    close.accept(ErrorCode.RATE_LIMITED, "too many " + what);
    return true;
  }

  /** Whole seconds, rounded up: a client waiting that long finds the ban over. */
  static String seconds(long ms) {
    return (ms + 999) / 1000 + " s";
  }
}
