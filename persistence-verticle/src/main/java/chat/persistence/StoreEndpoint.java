package chat.persistence;

import chat.protocol.ErrorCode;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The bus side of {@link MessageBatcher}, and the only place that knows the wire shape of a store
 * request: replacing the JSON with a typed bus record touches this class only.
 *
 * <p>Request: {from, to} for a direct message or {from, group} for a group message, plus
 * {text, time} and optionally {deadline} (epoch ms after which the sender no longer waits) and
 * {cmid} (the client's id for the message, see {@link ClientIds}). Reply: {messageId, time,
 * duplicate, deliveries:[[userId, seq], ...]}. Failures: BAD_FIELD (malformed cmid or field),
 * NOT_FOUND (unknown user or group), FORBIDDEN (sender not in the group, or blocked by the
 * recipient), LIMIT_REACHED (recipient's backlog at its cap, see {@link InboxCap}), OVERLOADED
 * and UNAVAILABLE (see {@link MessageBatcher}).
 */
final class StoreEndpoint {
  private final MessageBatcher batcher;
  private final Timers timers;

  StoreEndpoint(MessageBatcher batcher, Timers timers) {
    this.batcher = batcher;
    this.timers = timers;
  }

  void handle(Message<JsonObject> message) {
    JsonObject body = message.body();
    String badCmid = ClientIds.problem(body.getValue("cmid"));
    StoreRequest request;
    try {
      request = new StoreRequest(body.getInteger("from"), body.getInteger("to"), body.getInteger("group"),
          body.getString("text"), body.getString("time"), badCmid == null ? body.getString("cmid") : null,
          body.getLong("deadline", Long.MAX_VALUE));
    } catch (ClassCastException | NullPointerException e) {
      message.fail(ErrorCode.BAD_FIELD.code(), "malformed store request");
      return;
    }
    if (badCmid != null) {
      // a request past its deadline has always been told so first, malformed cmid or not
      boolean late = request.deadline() <= timers.now();
      message.fail(late ? ErrorCode.UNAVAILABLE.code() : ErrorCode.BAD_FIELD.code(), late ? "deadline passed" : badCmid);
      return;
    }
    batcher.submit(request, outcome -> reply(message, outcome));
  }

  private static void reply(Message<JsonObject> message, StoreOutcome outcome) {
    if (outcome instanceof StoreOutcome.Stored s) {
      message.reply(json(s));
    } else if (outcome instanceof StoreOutcome.Failed f) {
      message.fail(f.code().code(), f.message());
    }
  }

  static JsonObject json(StoreOutcome.Stored s) {
    JsonArray deliveries = new JsonArray();
    s.deliveries().forEach(d -> deliveries.add(new JsonArray().add(d.user()).add(d.seq())));
    return new JsonObject()
        .put("messageId", s.messageId())
        .put("time", s.time())
        .put("duplicate", s.duplicate())
        .put("deliveries", deliveries);
  }
}
