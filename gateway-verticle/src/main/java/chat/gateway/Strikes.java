package chat.gateway;

import chat.protocol.ErrorCode;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's over-limit events. Past the strike limit it closes with an error frame, and its
 * account (once logged in) or its address (before) is banned for a while, so a client that keeps
 * hammering a limit costs nothing more. Confined to the connection's event loop.
 */
final class Strikes {
  private static final Logger LOG = LoggerFactory.getLogger(Strikes.class);

  private final ConnectionLimits limits;
  private final ConnectionGuard guard;
  private final GatewayMetrics metrics;
  private final long banMs;
  private final String ip;
  private final BooleanSupplier loggedIn;
  private final IntSupplier userId;
  private final BiConsumer<ErrorCode, String> close;

  /** {@code close} writes an error frame and closes the connection. */
  Strikes(ConnectionLimits limits, ConnectionGuard guard, GatewayMetrics metrics, long banMs, String ip,
      BooleanSupplier loggedIn, IntSupplier userId, BiConsumer<ErrorCode, String> close) {
    this.limits = limits;
    this.guard = guard;
    this.metrics = metrics;
    this.banMs = banMs;
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
      guard.banAccount(userId.getAsInt());
    } else {
      guard.ban(ip);
    }
    LOG.info("closing a connection that kept exceeding the {} limit; banned for {} ms", what, banMs);
    close.accept(ErrorCode.RATE_LIMITED, "too many " + what + ": banned for " + banMs / 1000 + " s");
    return true;
  }
}
