package chat.node;

import chat.protocol.Addresses;
import chat.protocol.bus.ChatReply;
import chat.protocol.bus.ChatRequest;
import chat.protocol.bus.Store;
import chat.protocol.bus.StoreReply;
import chat.protocol.bus.StoreRequest;
import chat.protocol.bus.Peer;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;

/** Typed requests straight onto a test node's bus, for setting up what a test needs. */
final class Ask {
  private Ask() {}

  static <R extends ChatReply> R chat(TestNode node, ChatRequest<R> request) throws Exception {
    return node.vertx.eventBus().<R>request(Addresses.CHAT, request).map(Message::body)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * A message straight into the message store, answered in the JSON shape the store ITs were
   * written against: {messageId, time, duplicate, deliveries:[[user, seq]]}.
   */
  static Future<JsonObject> storeMessage(EventBus bus, int from, Integer to, Integer group, String text, String cmid, long deadline) {
    StoreMessage m = new StoreMessage(from, to, group, text, LocalDateTime.parse("2026-11-26T05:00:00"), cmid, deadline);
    return stored(bus, m).map(s -> {
      JsonArray deliveries = new JsonArray();
      s.deliveries().forEach(d -> deliveries.add(new JsonArray().add(d.user()).add(d.seq())));
      return new JsonObject().put("messageId", s.messageId()).put("time", s.time().toString())
          .put("duplicate", s.duplicate()).put("deliveries", deliveries);
    });
  }

  /** The store's reply; an unknown outcome as the failure code a gateway gives it (OUTCOME_UNKNOWN). */
  private static Future<StoreMessage.Stored> stored(EventBus bus, StoreMessage m) {
    return bus.<StoreMessage.Reply>request(Addresses.STORE_MESSAGE, m).compose(reply -> reply.body() instanceof StoreMessage.Stored s
        ? Future.succeededFuture(s)
        : Future.failedFuture(new io.vertx.core.eventbus.ReplyException(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE,
            chat.protocol.ErrorCode.OUTCOME_UNKNOWN.code(), "outcome unknown")));
  }

  /**
   * A chat message as a gateway with none of the recipients sends it: stored, then every recipient
   * routed by chat; answered as {messageId, time, duplicate}.
   */
  static Future<JsonObject> send(EventBus bus, int from, Peer to, String text, String cmid) {
    java.time.LocalDateTime time = java.time.LocalDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Integer user = to.isGroup() ? null : to.user();
    StoreMessage m = new StoreMessage(from, user, to.group(), text, time, cmid, System.currentTimeMillis() + StoreMessage.WAIT_MS);
    return stored(bus, m).map(s -> {
      if (!s.duplicate()) {
        bus.send(Addresses.CHAT, new chat.protocol.bus.RouteMessage(
            new chat.protocol.ChatMessage(s.messageId(), from, "n", user, to.group(), text, time), s.deliveries()));
      }
      return new JsonObject().put("messageId", s.messageId()).put("time", s.time().toString()).put("duplicate", s.duplicate());
    });
  }

  static <R extends StoreReply> R store(TestNode node, StoreRequest<R> request) throws Exception {
    return Store.ask(node.vertx.eventBus(), request).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
