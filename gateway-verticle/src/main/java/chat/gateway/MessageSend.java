package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import chat.protocol.DeliveryBatch;
import chat.protocol.ErrorCode;
import chat.protocol.ProtocolException;
import chat.protocol.bus.Peer;
import chat.protocol.bus.RouteMessage;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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

  /** The store asks the database for a late commit's outcome up to 25 s after its batch began. */
  static final long LATE_WAIT_MS = StoreMessage.WAIT_MS + 5_000;

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
   * When the store cannot tell whether it stored the message, this fails with OUTCOME_UNKNOWN,
   * and the message is still delivered if the store's commit lands late.
   */
  Future<StoreMessage.Stored> send(int from, String fromName, Peer to, String text, String cmid) {
    long stamp = System.nanoTime();
    LocalDateTime time = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    Integer user = to.isGroup() ? null : to.user();
    StoreMessage store = new StoreMessage(from, user, to.group(), text, time, cmid, System.currentTimeMillis() + StoreMessage.WAIT_MS);
    return bus.<StoreMessage.Reply>request(Addresses.STORE_MESSAGE, store).compose(reply -> {
      if (reply.body() instanceof StoreMessage.Stored stored) {
        return Future.succeededFuture(stored);
      }
      awaitLate(reply, stored -> delivered(stored, from, fromName, to, text, time, stamp));
      return Future.failedFuture(unknown());
    }, e -> Future.failedFuture(e instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT ? unknown() : e))
        .andThen(ar -> {
          if (ar.succeeded()) {
            delivered(ar.result(), from, fromName, to, text, time, stamp);
          }
        });
  }

  /** No answer from the store in time (it answers within its timeout, so this is rare): maybe stored. */
  private static ProtocolException unknown() {
    return new ProtocolException(ErrorCode.OUTCOME_UNKNOWN,
        "outcome unknown: the database did not confirm in time; resend with the same cmid to learn it");
  }

  /** Asks the store for the late outcome of a message it answered Unknown: a commit that lands after all is delivered. */
  private void awaitLate(Message<StoreMessage.Reply> unknown, Consumer<StoreMessage.Stored> stored) {
    DeliveryOptions wait = new DeliveryOptions().setSendTimeout(LATE_WAIT_MS);
    unknown.<StoreMessage.Stored>replyAndRequest(new StoreMessage.AwaitLate(LATE_WAIT_MS), wait)
        .onSuccess(late -> stored.accept(late.body())); // a failure: not stored, or never known; nothing to deliver
  }

  private void delivered(StoreMessage.Stored stored, int from, String fromName, Peer to, String text, LocalDateTime time, long stamp) {
    if (stored.duplicate()) {
      return;
    }
    metrics.sent(stored.messageId(), stamp);
    deliver(stored.deliveries(), new ChatMessage(stored.messageId(), from, fromName, to.isGroup() ? null : to.user(), to.group(), text, time));
    if (to.isGroup()) {
      metrics.fannedOut(stamp);
    }
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
