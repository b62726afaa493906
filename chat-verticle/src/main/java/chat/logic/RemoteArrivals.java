package chat.logic;

import chat.protocol.bus.NodeLink;
import chat.protocol.bus.RemoteDelivery;
import chat.protocol.bus.RemoteNotice;
import chat.protocol.bus.RoundTripPing;
import io.vertx.core.eventbus.EventBus;
import java.util.function.LongConsumer;

/**
 * What another node published for this node's logins, handed to their gateways as if it had been
 * routed here: a message in one batch per gateway, a push to each login named.
 */
final class RemoteArrivals implements NodeLink.Handler {
  private final EventBus bus;
  /** Told when each of this node's own pings is back, by the time it was sent. */
  private final LongConsumer pingBack;

  RemoteArrivals(EventBus bus) {
    this(bus, sentAt -> {});
  }

  RemoteArrivals(EventBus bus, LongConsumer pingBack) {
    this.bus = bus;
    this.pingBack = pingBack;
  }

  void accept(NodeLink payload) {
    payload.handleWith(this);
  }

  @Override
  public void delivery(RemoteDelivery delivery) {
    Fanout fanout = new Fanout(delivery.message());
    delivery.targets().forEach(t -> fanout.add(t.session(), t.seq()));
    fanout.send(bus);
  }

  @Override
  public void notice(RemoteNotice notice) {
    notice.sessions().forEach(session -> Router.notifyLocal(bus, session, notice.notice()));
  }

  @Override
  public void ping(RoundTripPing ping) {
    pingBack.accept(ping.publishedAt());
  }
}
