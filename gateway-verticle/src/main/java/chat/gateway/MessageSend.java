package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import chat.protocol.bus.Peer;
import chat.protocol.bus.RouteMessage;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The hot path of a chat message: stored by the message store, then handed straight to the
 * recipients logged in on this gateway; chat routes the rest. A message to a recipient on the
 * same gateway thus crosses the bus twice (the store request and its reply) and is copied never.
 */
final class MessageSend {
  private final EventBus bus;
  private final IntFunction<Consumer<Delivery>> local;

  MessageSend(EventBus bus, IntFunction<Consumer<Delivery>> local) {
    this.bus = bus;
    this.local = local;
  }

  /**
   * Stores and delivers {@code text} from {@code from} (named {@code fromName}). With a cmid, a
   * resend is answered with the first send's id and time, duplicate, and delivered to nobody.
   * The store refuses what it must (a non-member's group message, a bad cmid) with its code.
   */
  Future<StoreMessage.Stored> send(int from, String fromName, Peer to, String text, String cmid) {
    LocalDateTime time = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    Integer user = to.isGroup() ? null : to.user();
    StoreMessage store = new StoreMessage(from, user, to.group(), text, time, cmid, System.currentTimeMillis() + StoreMessage.WAIT_MS);
    return bus.<StoreMessage.Stored>request(Addresses.STORE_MESSAGE, store).map(Message::body).andThen(ar -> {
      if (ar.succeeded() && !ar.result().duplicate()) {
        deliver(ar.result().deliveries(), new ChatMessage(ar.result().messageId(), from, fromName, user, to.group(), text, time));
      }
    });
  }

  private void deliver(List<StoreMessage.Target> targets, ChatMessage message) {
    List<StoreMessage.Target> elsewhere = null;
    for (StoreMessage.Target t : targets) {
      Consumer<Delivery> here = local.apply(t.user());
      if (here != null) {
        here.accept(new Delivery(t.seq(), message));
      } else {
        if (elsewhere == null) {
          elsewhere = new ArrayList<>(targets.size());
        }
        elsewhere.add(t);
      }
    }
    if (elsewhere != null) {
      bus.send(Addresses.CHAT, new RouteMessage(message, elsewhere));
    }
  }
}
