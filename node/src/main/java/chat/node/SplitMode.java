package chat.node;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Settings of the split mode ({@code bin/vertx run}): the CHAT_* keys of its {@code -conf} file,
 * overridden by CHAT_* environment variables, the same precedence as {@code java -jar} (file, then
 * environment), and checked by the same {@link NodeConfig}.
 */
final class SplitMode {
  private SplitMode() {}

  /** The settings of a split-mode verticle; a bad one fails the deployment with the node's message. */
  static Future<NodeConfig> config(JsonObject file, Class<?> verticle) {
    try {
      return Future.succeededFuture(checked(verticle.getName(), settings(file, System.getenv())));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  /** The node's checks, and the backend's own: it needs a database server. */
  static NodeConfig checked(String verticle, JsonObject settings) {
    NodeConfig c = NodeConfig.from(settings);
    if (verticle.equals(BackendVerticle.class.getName()) && c.persistence().host() == null) {
      // an embedded database blocks the start for seconds, and split backends share one server anyway
      throw new IllegalArgumentException("CHAT_DB_HOST must be set: the split mode starts no embedded database");
    }
    return c;
  }

  static JsonObject settings(JsonObject file, Map<String, String> env) {
    JsonObject merged = file == null ? new JsonObject() : file.copy();
    env.forEach((name, value) -> {
      if (name.startsWith("CHAT_")) {
        merged.put(name, value);
      }
    });
    return merged;
  }
}
