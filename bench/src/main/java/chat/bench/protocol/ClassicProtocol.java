package chat.bench.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The classic protocol: JSON objects each followed by NUL; see README section 5. Replies are
 * split by {@link JsonStreamSplitter}, since the classic C++ server sends them without the NUL.
 */
public final class ClassicProtocol implements ChatProtocol {
  /** Login acks carry friends, groups and offline messages, so allow far more than a chat. */
  public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  // The server overwrites the time of a chat with its own; the field only has to be present.
  private static final String TIME = "2020-01-01 00:00:00";

  @Override
  public String name() {
    return "classic";
  }

  @Override
  public Buffer register(String name, String password) {
    return frame(new JsonObject().put("msgid", 4).put("name", name).put("password", password));
  }

  @Override
  public Buffer login(int id, String password) {
    return frame(new JsonObject().put("msgid", 1).put("id", id).put("password", password));
  }

  @Override
  public Buffer send(int from, String fromName, int to, String text) {
    return frame(new JsonObject().put("msgid", 6).put("id", from).put("name", fromName)
        .put("toid", to).put("msg", text).put("time", TIME));
  }

  @Override
  public Buffer groupSend(int from, String fromName, int group, String text) {
    return frame(new JsonObject().put("msgid", 10).put("id", from).put("name", fromName)
        .put("groupid", group).put("msg", text).put("time", TIME));
  }

  @Override
  public Buffer addFriend(int id, int friend) {
    return frame(new JsonObject().put("msgid", 7).put("id", id).put("friendid", friend));
  }

  @Override
  public Buffer createGroup(int id, String name, String description) {
    return frame(new JsonObject().put("msgid", 8).put("id", id).put("groupname", name)
        .put("groupdesc", description));
  }

  @Override
  public Buffer joinGroup(int id, int group) {
    return frame(new JsonObject().put("msgid", 9).put("id", id).put("groupid", group));
  }

  @Override
  public Decoder decoder(Consumer<Event> sink) {
    JsonStreamSplitter splitter = new JsonStreamSplitter(MAX_FRAME_BYTES, f -> sink.accept(decode(f)));
    return splitter::feed;
  }

  /** Decodes one frame (without its delimiter). Unparseable frames become {@link Event.Other}. */
  public static Event decode(Buffer frame) {
    JsonObject o;
    try {
      o = new JsonObject(frame);
    } catch (RuntimeException e) {
      return new Event.Other(frame.toString());
    }
    Integer msgid = intOrNull(o, "msgid");
    if (msgid == null) {
      return new Event.Other(o.encode());
    }
    switch (msgid) {
      case 2:
        return loginAck(o);
      case 5:
        return new Event.RegisterAck(intOr(o, "errno", -1) == 0, intOr(o, "id", 0));
      case 6:
        return new Event.Incoming(intOr(o, "id", 0), intOr(o, "toid", 0), 0, o.getString("msg"));
      case 10:
        return new Event.Incoming(intOr(o, "id", 0), 0, intOr(o, "groupid", 0), o.getString("msg"));
      case 99:
        return new Event.ServerError(intOr(o, "errno", 0), o.getString("errmsg"));
      default:
        return new Event.Other(o.encode());
    }
  }

  private static Event.LoginAck loginAck(JsonObject o) {
    int errno = intOr(o, "errno", -1);
    List<Event.GroupRef> groups = new ArrayList<>();
    JsonArray arr = o.getJsonArray("groups");
    if (arr != null) {
      for (Object s : arr) {
        // Classic nests JSON-encoded strings inside the array, not objects.
        JsonObject g = s instanceof String ? new JsonObject((String) s) : (JsonObject) s;
        groups.add(new Event.GroupRef(intOr(g, "id", 0), g.getString("groupname")));
      }
    }
    JsonArray offline = o.getJsonArray("offlinemsg");
    return new Event.LoginAck(errno == 0, errno, intOr(o, "id", 0), o.getString("name"),
        List.copyOf(groups), offline == null ? 0 : offline.size());
  }

  private static Buffer frame(JsonObject o) {
    return o.toBuffer().appendByte((byte) 0);
  }

  private static Integer intOrNull(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof Number ? ((Number) v).intValue() : null;
  }

  private static int intOr(JsonObject o, String key, int fallback) {
    Integer v = intOrNull(o, key);
    return v == null ? fallback : v;
  }
}
