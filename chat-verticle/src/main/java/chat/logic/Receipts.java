package chat.logic;

import chat.protocol.bus.Receipt;

import chat.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Read and delivered receipts (docs/protocol.md section 4). The read cursor is stored (persistence
 * ReadCursors); the pushes are notices like friend pushes: at most once, to wherever the other
 * side is logged in, nothing when it is offline, since the cursor or the next sync tells the same.
 */
final class Receipts {
  private final Db db;
  private final Router router;

  Receipts(Db db, Router router) {
    this.db = db;
    this.router = router;
  }

  /**
   * {userId, with, upto} -> {}. Only a 1:1 read that moved the cursor is pushed: a group read
   * would fan out to every member for every read, for little use.
   */
  Future<JsonObject> read(JsonObject req) {
    int me = req.getInteger("userId");
    JsonObject with = req.getJsonObject("with");
    return db.call(Addresses.DB_READ, new JsonObject().put("user", me).put("with", with).put("upto", req.getLong("upto")))
        .map(r -> {
          Integer peer = with.getInteger("user");
          if (peer != null && peer != me && r.getBoolean("moved", false)) {
            router.notify(peer, new Receipt(Receipt.Kind.READ, me, r.getLong("upto")));
          }
          return new JsonObject();
        });
  }

  /** {by, receipts:[[senderId, messageId], ...]}: what a recipient's ack newly covered, per sender. */
  void delivered(JsonObject req) {
    int by = req.getInteger("by");
    for (Object o : req.getJsonArray("receipts", new JsonArray())) {
      JsonArray r = (JsonArray) o;
      int sender = r.getInteger(0);
      if (sender != by) {
        router.notify(sender, new Receipt(Receipt.Kind.DELIVERED, by, r.getLong(1)));
      }
    }
  }
}
