package chat.protocol;

import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;

/**
 * A stored chat message, as chat and persistence speak of it: to a user ({@code to}) or to a
 * group ({@code group}), never both. Only the gateway turns it into a frame, classic or v2.
 */
public record ChatMessage(long id, int from, String fromName, Integer to, Integer group, String text, LocalDateTime time) {

  public boolean toGroup() {
    return group != null;
  }

  /** About what holding it costs, in bytes: what gateways bound their queues by. */
  public int size() {
    return 2 * text.length() + 96;
  }

  /** Never the text: logs carry no message text. */
  @Override
  public String toString() {
    return "ChatMessage[id=" + id + ", from=" + from + ", to=" + to + ", group=" + group + "]";
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("from", from)
        .put("name", fromName)
        .put("to", to)
        .put("group", group)
        .put("text", text)
        .put("time", time.toString());
  }

  public static ChatMessage fromJson(JsonObject j) {
    return new ChatMessage(j.getLong("id"), j.getInteger("from"), j.getString("name"), j.getInteger("to"),
        j.getInteger("group"), j.getString("text"), LocalDateTime.parse(j.getString("time")));
  }
}
