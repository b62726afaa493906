package chat.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Server-to-client frames of the classic protocol. Keys are put in sorted order because the
 * classic server (nlohmann::json) serialised them sorted, and clients were written against that.
 */
public final class ClassicFrames {
  public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private ClassicFrames() {}

  public static JsonObject loginInvalid() {
    return new JsonObject()
        .put("errmsg", "id or password is invalid!")
        .put("errno", 1)
        .put("msgid", MsgType.LOGIN_ACK.code());
  }

  public static JsonObject loginInUse() {
    return new JsonObject()
        .put("errmsg", "this account is using, input another!")
        .put("errno", 2)
        .put("msgid", MsgType.LOGIN_ACK.code());
  }

  /** Each list holds already-encoded JSON strings; empty lists are left out, as classic did. */
  public static JsonObject loginOk(
      int id, String name, List<String> friends, List<String> groups, List<String> offline) {
    JsonObject ack = new JsonObject().put("errno", 0);
    putIfNotEmpty(ack, "friends", friends);
    putIfNotEmpty(ack, "groups", groups);
    ack.put("id", id).put("msgid", MsgType.LOGIN_ACK.code()).put("name", name);
    putIfNotEmpty(ack, "offlinemsg", offline);
    return ack;
  }

  private static void putIfNotEmpty(JsonObject target, String key, List<String> values) {
    if (!values.isEmpty()) {
      target.put(key, new JsonArray(List.copyOf(values)));
    }
  }

  public static String friend(int id, String name, boolean online) {
    return new JsonObject().put("id", id).put("name", name).put("state", state(online)).encode();
  }

  public static String groupMember(int id, String name, String role, boolean online) {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("role", role)
        .put("state", state(online))
        .encode();
  }

  public static String group(int id, String name, String desc, List<String> users) {
    return new JsonObject()
        .put("groupdesc", desc)
        .put("groupname", name)
        .put("id", id)
        .put("users", new JsonArray(List.copyOf(users)))
        .encode();
  }

  private static String state(boolean online) {
    return online ? "online" : "offline";
  }

  public static JsonObject regOk(int id) {
    return new JsonObject().put("errno", 0).put("id", id).put("msgid", MsgType.REG_ACK.code());
  }

  public static JsonObject regFailed() {
    return new JsonObject().put("errno", 1).put("msgid", MsgType.REG_ACK.code());
  }

  /** The classic frame of a chat message: msgid 6 to a user, 10 to a group. */
  public static String chat(ChatMessage m) {
    return m.toGroup()
        ? groupChat(m.from(), m.fromName(), m.group(), m.text(), m.time())
        : oneChat(m.from(), m.fromName(), m.to(), m.text(), m.time());
  }

  public static String oneChat(int from, String name, int to, String msg, LocalDateTime time) {
    return new JsonObject()
        .put("id", from)
        .put("msg", msg)
        .put("msgid", MsgType.ONE_CHAT.code())
        .put("name", name)
        .put("time", TIME.format(time))
        .put("toid", to)
        .encode();
  }

  public static String groupChat(
      int from, String name, int groupId, String msg, LocalDateTime time) {
    return new JsonObject()
        .put("groupid", groupId)
        .put("id", from)
        .put("msg", msg)
        .put("msgid", MsgType.GROUP_CHAT.code())
        .put("name", name)
        .put("time", TIME.format(time))
        .encode();
  }

  public static JsonObject error(ErrorCode code, String message) {
    return new JsonObject()
        .put("errmsg", message)
        .put("errno", code.code())
        .put("msgid", MsgType.ERROR.code());
  }
}
