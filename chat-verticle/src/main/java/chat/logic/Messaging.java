package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/** 1:1 and group chat: store first, then push to whoever is online. */
final class Messaging {
  /**
   * The event-bus send timeout is 30 s; a store request still queued after this is failed by
   * the store rather than written once nobody waits for its reply.
   */
  static final long STORE_DEADLINE_MS = 25_000;

  private final Db db;
  private final Router router;

  Messaging(Db db, Router router) {
    this.db = db;
    this.router = router;
  }

  /**
   * {from, name, to, msg, cmid?} -> {messageId, time, duplicate}. With a cmid, a resend gets the
   * first send's messageId and stored time, duplicate true, and is delivered to nobody.
   */
  Future<JsonObject> one(JsonObject req) {
    return store(req.getInteger("from"), req.getString("name"), req.getInteger("to"), null, req.getString("msg"), req.getValue("cmid"));
  }

  /** {from, name, group, msg, cmid?} -> as {@link #one}; the store refuses non-members (FORBIDDEN). */
  Future<JsonObject> group(JsonObject req) {
    return store(req.getInteger("from"), req.getString("name"), null, req.getInteger("group"), req.getString("msg"), req.getValue("cmid"));
  }

  // the store validates cmid, so it is passed on as it came
  private Future<JsonObject> store(int from, String name, Integer to, Integer group, String text, Object cmid) {
    LocalDateTime time = now();
    JsonObject request =
        new JsonObject()
            .put("from", from)
            .put("to", to)
            .put("group", group)
            .put("text", text)
            .put("time", time.toString())
            .put("deadline", System.currentTimeMillis() + STORE_DEADLINE_MS);
    if (cmid != null) {
      request.put("cmid", cmid);
    }
    return db.call(Addresses.DB_MESSAGE_STORE, request)
        .map(
            stored -> {
              long id = stored.getLong("messageId");
              boolean duplicate = stored.getBoolean("duplicate", false);
              if (!duplicate) {
                router.deliver(stored.getJsonArray("deliveries"), new ChatMessage(id, from, name, to, group, text, time));
              }
              return new JsonObject()
                  .put("messageId", id)
                  .put("time", stored.getString("time", time.toString()))
                  .put("duplicate", duplicate);
            });
  }

  private static LocalDateTime now() {
    return LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
  }
}
