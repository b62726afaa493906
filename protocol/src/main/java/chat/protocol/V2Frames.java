package chat.protocol;

import chat.protocol.bus.Conversation;
import chat.protocol.bus.Peer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The frames of protocol v2 (docs/protocol.md): replies correlated by the request's id, and pushes. */
public final class V2Frames {
  /** The one format of every v2 time (docs/protocol.md section 1): ISO-8601 UTC, whole seconds, always with the seconds and the Z. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private V2Frames() {}

  /** An instant as v2 shows it, e.g. "2026-11-25T23:41:07Z" (a fraction of a second is dropped). */
  public static String time(Instant t) {
    return TIME.format(t);
  }

  /**
   * A stored message time as v2 shows it. Chat stamps messages with {@code LocalDateTime.now()},
   * the wall clock of the JVM's default zone, and the DATETIME column keeps no zone: a stored time
   * is local time of the node's default zone (the nodes of a cluster run in one zone, which the
   * cmid purge's {@code LocalDateTime.now()} assumes as well). It becomes UTC here, the only place
   * that converts, so a node run with TZ=Asia/Shanghai still sends UTC. In the hour repeated when
   * clocks go back the earlier offset is taken: the stored value cannot tell the two apart.
   */
  public static String time(LocalDateTime local) {
    return time(local, ZoneId.systemDefault());
  }

  static String time(LocalDateTime local, ZoneId zone) {
    return time(local.atZone(zone).toInstant());
  }

  /** True for the first frame of a v2 connection. */
  public static boolean opensV2(JsonObject frame) {
    Object v = frame.getValue("v");
    return v instanceof Number n && n.intValue() == 2;
  }

  /**
   * True when the first bytes of a stream (at most a few hundred, possibly an unfinished or broken
   * frame) were attempting v2: they hold "v":2 or "type":"hello" outside of whitespace. Only for
   * choosing the shape of an error before any frame could be read; classic frames have neither key.
   */
  public static boolean attemptsV2(Buffer head) {
    if (head == null) {
      return false;
    }
    StringBuilder compact = new StringBuilder(head.length());
    for (int i = 0; i < head.length(); i++) {
      byte b = head.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        compact.append((char) (b & 0xff));
      }
    }
    int v = compact.indexOf("\"v\":2");
    boolean versionTwo = v >= 0 && (v + 5 == compact.length() || !Character.isDigit(compact.charAt(v + 5)));
    return versionTwo || compact.indexOf("\"type\":\"hello\"") >= 0;
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
        .put("time", time(m.time()));
  }

  /** {user:id} or {group:id}, as v2 names a conversation. */
  public static JsonObject peer(Peer peer) {
    return peer.isGroup() ? new JsonObject().put("group", peer.group()) : new JsonObject().put("user", peer.user());
  }

  /** [{with:{user}|{group}, last, read, unread}], as the login reply, sync and conversations show them. */
  public static JsonArray conversations(List<Conversation> list) {
    JsonArray out = new JsonArray();
    for (Conversation c : list) {
      out.add(new JsonObject().put("with", peer(c.with())).put("last", c.last()).put("read", c.read()).put("unread", c.unread()));
    }
    return out;
  }
}
