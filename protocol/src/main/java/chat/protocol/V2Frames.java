package chat.protocol;

import chat.protocol.bus.Conversation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The frames of protocol v2 (docs/protocol.md): replies correlated by the request's id, and pushes. */
public final class V2Frames {
  private V2Frames() {}

  /** True for the first frame of a v2 connection. */
  public static boolean opensV2(JsonObject frame) {
    Object v = frame.getValue("v");
    return v instanceof Number n && n.intValue() == 2;
  }

  public static JsonObject ok(String re, JsonObject result) {
    return result.copy().put("re", re).put("ok", true);
  }

  public static JsonObject error(String re, ErrorCode code, String text) {
    JsonObject f = new JsonObject();
    if (re != null) {
      f.put("re", re);
    }
    return f.put("ok", false).put("code", code.code()).put("error", text);
  }

  /** A stored message pushed to its recipient as number {@code seq} of the recipient's sequence. */
  public static String msg(long seq, ChatMessage m) {
    return new JsonObject().put("type", "msg").put("seq", seq).put("msg", message(m)).encode();
  }

  /** A message as v2 shows it: where it went is {@code to: {user}} or {@code to: {group}}. */
  public static JsonObject message(ChatMessage m) {
    return new JsonObject()
        .put("id", m.id())
        .put("from", m.from())
        .put("fromName", m.fromName())
        .put("to", m.toGroup() ? new JsonObject().put("group", m.group()) : new JsonObject().put("user", m.to()))
        .put("text", m.text())
        .put("time", m.time().toString());
  }

  /** [{with:{user}|{group}, last, read, unread}], as the login reply, sync and conversations show them. */
  public static JsonArray conversations(List<Conversation> list) {
    JsonArray out = new JsonArray();
    for (Conversation c : list) {
      JsonObject with = c.with().isGroup() ? new JsonObject().put("group", c.with().group()) : new JsonObject().put("user", c.with().user());
      out.add(new JsonObject().put("with", with).put("last", c.last()).put("read", c.read()).put("unread", c.unread()));
    }
    return out;
  }
}
