package chat.client;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Messages sent and not yet acknowledged by the server, each with its client message id (cmid),
 * in the order typed: after a reconnect they are sent again with the same cmid, and the server
 * stores each once. At most {@code max} wait; a message beyond that is refused at once. Pure.
 */
final class Outbox {
  static final int DEFAULT_MAX = 1000;

  private final int max;
  private final String prefix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final Map<String, JsonObject> unacked = new LinkedHashMap<>();
  private long next;

  Outbox(int max) {
    this.max = max;
  }

  /** The send request for {@code text} to {@code to} ({user:id} or {group:id}), or null when full. */
  JsonObject add(JsonObject to, String text) {
    if (unacked.size() >= max) {
      return null;
    }
    String cmid = prefix + "-" + (++next);
    JsonObject send = new JsonObject().put("type", "send").put("to", to.copy()).put("cmid", cmid).put("text", text);
    unacked.put(cmid, send);
    return send;
  }

  /** The server answered (stored, or refused for good): never send it again. */
  void done(String cmid) {
    unacked.remove(cmid);
  }

  /** What to send again, oldest first. */
  List<JsonObject> unacked() {
    return new ArrayList<>(unacked.values());
  }

  int size() {
    return unacked.size();
  }

  int max() {
    return max;
  }

  void clear() {
    unacked.clear();
  }
}
