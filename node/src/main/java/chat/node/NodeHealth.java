package chat.node;

import chat.protocol.Addresses;
import chat.protocol.bus.ChatStatus;
import chat.protocol.bus.Done;
import chat.protocol.bus.StorePing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * The detailed /health body of a node or of a split-mode JVM, with the HTTP code it is served
 * with under {@code code}. Chat and the database are asked over the event bus, so a JVM without
 * them (gateways only) asks the cluster's.
 */
final class NodeHealth {
  private static final long DB_PING_TIMEOUT_MS = 2000;

  private NodeHealth() {}

  /** DOWN (503) until {@code ready}: starting or stopping. */
  static Future<JsonObject> of(Vertx vertx, boolean ready) {
    if (!ready) {
      return Future.succeededFuture(new JsonObject().put("status", "DOWN").put("code", 503));
    }
    return health(vertx);
  }

  /**
   * Chat status and a database ping, side by side. Redis down is reported, not fatal (200): the
   * node keeps serving its own users. A database that does not answer is 503: nothing can be
   * stored or logged in.
   */
  private static Future<JsonObject> health(Vertx vertx) {
    Future<ChatStatus.Report> chat = vertx.eventBus().<ChatStatus.Report>request(Addresses.CHAT, new ChatStatus()).map(m -> m.body());
    Future<Done> db = vertx.eventBus()
        .<Done>request(Addresses.STORE, new StorePing(), new DeliveryOptions().setSendTimeout(DB_PING_TIMEOUT_MS))
        .map(m -> m.body());
    return Future.join(chat, db).transform(ignored -> {
      JsonObject body = chat.succeeded() ? StatusJson.of(chat.result()) : new JsonObject().put("chat", "down");
      body.put("db", db.succeeded() ? "up" : "down");
      boolean down = chat.failed() || db.failed();
      boolean degraded = down || "down".equals(body.getString("redis"));
      return Future.succeededFuture(body.put("status", degraded ? "DEGRADED" : "UP").put("code", down ? 503 : 200));
    });
  }
}
