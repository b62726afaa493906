package chat.client;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Requests waiting for their reply, by request id: each handler runs exactly once, with the reply,
 * or with a "lost" reply when the connection ends first. At most {@code max} wait. Pure.
 */
final class Pending {
  static final int DEFAULT_MAX = 256;

  private final int max;
  private final Map<String, Consumer<JsonObject>> waiting = new LinkedHashMap<>();
  private long next;

  Pending(int max) {
    this.max = max;
  }

  /** The id to send the request with, or null when too many wait already. */
  String add(Consumer<JsonObject> handler) {
    if (waiting.size() >= max) {
      return null;
    }
    String id = "c" + (++next);
    waiting.put(id, handler);
    return id;
  }

  /** Hands a reply to its request; a reply nobody waits for is dropped. */
  void complete(JsonObject reply) {
    Consumer<JsonObject> h = waiting.remove(reply.getString("re"));
    if (h != null) {
      h.accept(reply);
    }
  }

  /** The connection ended: every waiting request gets {@link #lost(String)}. */
  void failAll(String why) {
    List<Consumer<JsonObject>> all = new ArrayList<>(waiting.values());
    waiting.clear();
    all.forEach(h -> h.accept(lost(why)));
  }

  int size() {
    return waiting.size();
  }

  /** A reply made here, not by the server: the request may or may not have been done. */
  static JsonObject lost(String why) {
    return new JsonObject().put("ok", false).put("lost", true).put("error", why);
  }

  static boolean isLost(JsonObject reply) {
    return reply.getBoolean("lost", false);
  }
}
