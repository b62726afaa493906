package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import chat.protocol.DeliveryBatch;
import chat.protocol.bus.Peer;
import chat.protocol.bus.RouteMessage;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The hot path of a chat message: stored by the message store, then handed straight to its
 * recipients in this JVM, and only the rest to chat to route. To a recipient on the sender's
 * gateway a message crosses the bus twice (the store request and its reply), to one on a sibling
 * gateway instance three times, and it is never copied on the way.
 */
final class MessageSend {
  /** Where the granted logins of recipients are, as far as this JVM knows them. */
  interface Recipients {
    /** The user's login on this gateway, as where its deliveries go, or null. */
    Consumer<Delivery> here(int user);

    /** The session address of the user's login on any gateway of this JVM, or null. */
    String inThisJvm(int user);
  }

  private final EventBus bus;
  private final Recipients recipients;
  private final GatewayMetrics metrics;

  MessageSend(EventBus bus, Recipients recipients, GatewayMetrics metrics) {
    this.bus = bus;
    this.recipients = recipients;
    this.metrics = metrics;
  }

  /**
   * Stores and delivers {@code text} from {@code from} (named {@code fromName}). With a cmid, a
   * resend is answered with the first send's id and time, duplicate, and delivered to nobody.
   * The store refuses what it must (a non-member's group message, a bad cmid) with its code.
   */
  Future<StoreMessage.Stored> send(int from, String fromName, Peer to, String text, String cmid) {
    long stamp = System.nanoTime();
    LocalDateTime time = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    Integer user = to.isGroup() ? null : to.user();
    StoreMessage store = new StoreMessage(from, user, to.group(), text, time, cmid, System.currentTimeMillis() + StoreMessage.WAIT_MS);
    return bus.<StoreMessage.Stored>request(Addresses.STORE_MESSAGE, store).map(Message::body).andThen(ar -> {
      if (ar.succeeded() && !ar.result().duplicate()) {
        metrics.sent(ar.result().messageId(), stamp);
        deliver(ar.result().deliveries(), new ChatMessage(ar.result().messageId(), from, fromName, user, to.group(), text, time));
        if (to.isGroup()) {
          metrics.fannedOut(stamp);
        }
      }
    });
  }

  private void deliver(List<StoreMessage.Target> targets, ChatMessage message) {
    Map<String, Batch> siblings = null;
    List<StoreMessage.Target> elsewhere = null;
    for (StoreMessage.Target t : targets) {
      Consumer<Delivery> here = recipients.here(t.user());
      String session = here == null ? recipients.inThisJvm(t.user()) : null;
      if (here != null) {
        here.accept(new Delivery(t.seq(), message));
      } else if (session != null) {
        if (siblings == null) {
          siblings = new HashMap<>();
        }
        siblings.computeIfAbsent(Addresses.gatewayOf(session), g -> new Batch()).add(session, t.seq());
      } else {
        if (elsewhere == null) {
          elsewhere = new ArrayList<>();
        }
        elsewhere.add(t);
      }
    }
    if (siblings != null) {
      siblings.forEach((gateway, batch) -> bus.send(Addresses.DELIVER_PREFIX + gateway, batch.of(message)));
    }
    if (elsewhere != null) {
      bus.send(Addresses.CHAT, new RouteMessage(message, elsewhere));
    }
  }

  /** The sessions of one sibling gateway that get the message, each under its seq. */
  private static final class Batch {
    private final List<String> sessions = new ArrayList<>(2);
    private final List<Long> seqs = new ArrayList<>(2);

    void add(String session, long seq) {
      sessions.add(session);
      seqs.add(seq);
    }

    DeliveryBatch of(ChatMessage message) {
      return new DeliveryBatch(message, sessions.toArray(String[]::new), seqs.stream().mapToLong(Long::longValue).toArray());
    }
  }
}
