package chat.gateway;

import chat.protocol.Delivery;
import chat.protocol.bus.InboxPage;
import chat.protocol.bus.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The delivery core's view of its connection: writes in the connection's protocol, its outbound queue, the inbox, timers. */
final class ConnectionPort implements DeliveryCore.Port {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionPort.class);

  private final Vertx vertx;
  private final Connection conn;
  private final int pageSize;
  private final Function<Delivery, String> render;
  private final IntSupplier user;
  private final Runnable moved;
  private final GatewayMetrics metrics;

  ConnectionPort(Vertx vertx, Connection conn, int pageSize, Function<Delivery, String> render, IntSupplier user, Runnable moved,
      GatewayMetrics metrics) {
    this.vertx = vertx;
    this.conn = conn;
    this.pageSize = pageSize;
    this.render = render;
    this.user = user;
    this.moved = moved;
    this.metrics = metrics;
  }

  @Override
  public Future<Void> write(Delivery d, boolean paced) {
    Future<Void> written = conn.write(render.apply(d), paced);
    if (!written.failed()) { // a closing connection refuses it at once
      // live writes are the ones whose latency counts: backlog waited for the client, by design
      metrics.delivering(d.message().id(), !paced);
    }
    return written;
  }

  @Override
  public boolean backedUp() {
    return conn.outbound().backedUp();
  }

  @Override
  public void whenDrained(Runnable next) {
    conn.outbound().whenDrained(next);
  }

  @Override
  public Future<DeliveryCore.Page> page(long after) {
    metrics.inboxPage();
    return Store.ask(vertx.eventBus(), new InboxPage(user.getAsInt(), after, pageSize))
        .map(page -> new DeliveryCore.Page(page.messages(), page.more()));
  }

  @Override
  public void pageFailed(Throwable cause) {
    LOG.warn("inbox page for user {} failed; the rest waits for the next login", user.getAsInt(), cause);
    conn.close();
  }

  @Override
  public void delivered(long seq) {
    moved.run();
  }

  @Override
  public long setTimer(long ms, Runnable action) {
    return vertx.setTimer(ms, id -> action.run());
  }

  @Override
  public void cancelTimer(long id) {
    vertx.cancelTimer(id);
  }
}
