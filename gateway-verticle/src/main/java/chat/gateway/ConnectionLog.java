package chat.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The node's INFO lines about connections (opened, logged in, logged out, closed), with their
 * fields as SLF4J key-value pairs: JSON fields with CHAT_LOG_FORMAT=json, {@code key=value} after
 * the message in text. A flood of connections must not flood the log, so all gateways of a node
 * share one {@link LogCap} (CHAT_LOG_CONNECTIONS_PER_SEC), and what it refused is summed up in one
 * line a second. The fields are ids, addresses and reasons only: never a password, a token or the
 * text of a frame.
 */
final class ConnectionLog implements Shareable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLog.class);

  private final LogCap cap;
  private final int perSecond;
  private final AtomicLong ids = new AtomicLong();

  ConnectionLog(int perSecond, long nowNanos) {
    this.perSecond = perSecond;
    this.cap = new LogCap(perSecond, nowNanos);
  }

  /** The log of this Vert.x instance's gateways: the first instance creates it. */
  static ConnectionLog of(Vertx vertx, GatewayOptions options) {
    return (ConnectionLog) vertx.sharedData().getLocalMap("chat.gateway")
        .computeIfAbsent("connection-log", k -> new ConnectionLog(options.logConnectionsPerSec(), System.nanoTime()));
  }

  /** A new connection from {@code remote} over {@code transport} ("tcp" or "ws"), with a node-wide id. */
  ConnectionTrail opened(String remote, String transport) {
    ConnectionTrail trail = new ConnectionTrail(this, ids.incrementAndGet(), remote, transport);
    line("connection opened", trail, 0, null);
    return trail;
  }

  /** One line about {@code trail}'s connection; {@code user} 0 is none, {@code reason} null is none. */
  void line(String what, ConnectionTrail trail, int user, String reason) {
    if (!LOG.isInfoEnabled() || !cap.take(System.nanoTime())) {
      return;
    }
    LoggingEventBuilder line = LOG.atInfo().setMessage(what)
        .addKeyValue("conn", trail.id())
        .addKeyValue("remote", trail.remote())
        .addKeyValue("transport", trail.transport());
    if (trail.protocol() != null) {
      line.addKeyValue("protocol", trail.protocol());
    }
    if (user > 0) {
      line.addKeyValue("user", user);
    }
    if (reason != null) {
      line.addKeyValue("reason", reason);
    }
    line.log();
  }

  /** Called about once a second by each gateway: one line for the lines the cap refused, if any. */
  void summarize() {
    long dropped = cap.summary(System.nanoTime());
    if (dropped > 0) {
      LOG.atInfo().setMessage("connection lines over the cap of {} a second (CHAT_LOG_CONNECTIONS_PER_SEC) were not written")
          .addArgument(perSecond).addKeyValue("dropped", dropped).log();
    }
  }
}
