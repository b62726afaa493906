package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.ClassicFrames;
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

  /** {from, name, to, msg} -> {messageId}. */
  Future<JsonObject> one(JsonObject req) {
    int from = req.getInteger("from");
    int to = req.getInteger("to");
    LocalDateTime time = now();
    String frame = ClassicFrames.oneChat(from, req.getString("name"), to, req.getString("msg"), time);
    return store(from, to, null, req.getString("msg"), time, frame);
  }

  /** {from, name, group, msg} -> {messageId}; the store refuses non-members (FORBIDDEN). */
  Future<JsonObject> group(JsonObject req) {
    int from = req.getInteger("from");
    int group = req.getInteger("group");
    LocalDateTime time = now();
    String frame = ClassicFrames.groupChat(from, req.getString("name"), group, req.getString("msg"), time);
    return store(from, null, group, req.getString("msg"), time, frame);
  }

  private Future<JsonObject> store(
      int from, Integer to, Integer group, String text, LocalDateTime time, String frame) {
    JsonObject request =
        new JsonObject()
            .put("from", from)
            .put("to", to)
            .put("group", group)
            .put("text", text)
            .put("time", time.toString())
            .put("deadline", System.currentTimeMillis() + STORE_DEADLINE_MS);
    return db.call(Addresses.DB_MESSAGE_STORE, request)
        .map(
            stored -> {
              router.deliver(stored.getJsonArray("deliveries"), frame);
              return new JsonObject().put("messageId", stored.getLong("messageId"));
            });
  }

  private static LocalDateTime now() {
    return LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS);
  }
}
