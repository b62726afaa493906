package chat.bench.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Protocol v2 (docs/protocol.md): every request carries {@code "v":2} (the first one opens v2 on
 * the connection), an id and a type; a send carries a fresh client message id, so each message is
 * stored before its reply. Replies and pushes are decoded into the same events as classic.
 */
public final class V2Protocol implements ChatProtocol {
  private static final AtomicLong IDS = new AtomicLong();
  private static final String RUN = Long.toString(System.nanoTime(), 36);

  @Override
  public String name() {
    return "v2";
  }

  @Override
  public Buffer register(String name, String password) {
    return frame(request("register").put("name", name).put("password", password));
  }

  @Override
  public Buffer login(int id, String password) {
    return frame(request("login").put("user", id).put("password", password));
  }

  @Override
  public Buffer send(int from, String fromName, int to, String text) {
    return frame(request("send").put("to", new JsonObject().put("user", to)).put("cmid", cmid()).put("text", text));
  }

  @Override
  public Buffer groupSend(int from, String fromName, int group, String text) {
    return frame(request("send").put("to", new JsonObject().put("group", group)).put("cmid", cmid()).put("text", text));
  }

  @Override
  public Buffer addFriend(int id, int friend) {
    return frame(request("friend.request").put("user", friend));
  }

  @Override
  public Buffer createGroup(int id, String name, String description) {
    return frame(request("group.create").put("name", name).put("desc", description));
  }

  @Override
  public Buffer joinGroup(int id, int group) {
    return frame(request("group.join").put("group", group));
  }

  @Override
  public Decoder decoder(Consumer<Event> sink) {
    FrameSplitter splitter = new FrameSplitter(ClassicProtocol.MAX_FRAME_BYTES, f -> sink.accept(decode(f)));
    return splitter::feed;
  }

  /** The request's type is in its id, so that a reply can be told apart without remembering ids. */
  private static JsonObject request(String type) {
    return new JsonObject().put("v", 2).put("id", type + ":" + IDS.incrementAndGet()).put("type", type);
  }

  private static String cmid() {
    return RUN + "-" + IDS.incrementAndGet();
  }

  private static Buffer frame(JsonObject o) {
    return o.toBuffer().appendByte((byte) '\n');
  }

  /** Decodes one frame (without its delimiter). */
  public static Event decode(Buffer frame) {
    JsonObject o;
    try {
      o = new JsonObject(frame);
    } catch (RuntimeException e) {
      return new Event.Other(frame.toString());
    }
    String re = o.getString("re");
    if (re == null) {
      if ("msg".equals(o.getString("type"))) {
        JsonObject m = o.getJsonObject("msg");
        JsonObject to = m.getJsonObject("to");
        return new Event.Incoming(m.getInteger("from"), to.getInteger("user", 0), to.getInteger("group", 0), m.getString("text"));
      }
      if (Boolean.FALSE.equals(o.getBoolean("ok"))) {
        return new Event.ServerError(o.getInteger("code", 0), o.getString("error"));
      }
      return new Event.Other(o.encode());
    }
    boolean ok = Boolean.TRUE.equals(o.getBoolean("ok"));
    String type = re.substring(0, Math.max(0, re.indexOf(':')));
    if ("login".equals(type)) {
      return ok ? loginAck(o) : new Event.LoginAck(false, o.getInteger("code", 1), 0, null, List.of(), 0);
    }
    if ("register".equals(type)) {
      return new Event.RegisterAck(ok, ok ? o.getInteger("user") : 0);
    }
    if (!ok) {
      return new Event.ServerError(o.getInteger("code", 0), o.getString("error"));
    }
    return "send".equals(type) ? new Event.SendAck() : new Event.Other(o.encode());
  }

  private static Event.LoginAck loginAck(JsonObject o) {
    List<Event.GroupRef> groups = new ArrayList<>();
    JsonArray arr = o.getJsonArray("groups");
    if (arr != null) {
      for (Object g : arr) {
        JsonObject group = (JsonObject) g;
        groups.add(new Event.GroupRef(group.getInteger("id", 0), group.getString("name")));
      }
    }
    JsonArray msgs = o.getJsonArray("msgs");
    return new Event.LoginAck(true, 0, o.getInteger("user", 0), o.getString("name"), List.copyOf(groups), msgs == null ? 0 : msgs.size());
  }
}
