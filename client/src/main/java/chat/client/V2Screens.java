package chat.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** What the user sees of v2 replies and pushes, in the classic client's style. Pure: formatting only. */
final class V2Screens {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private V2Screens() {}

  /** A message as the classic client showed one: local time, [id]name said: text. */
  static String message(JsonObject m) {
    String line = time(m.getString("time")) + " [" + m.getValue("from") + "]" + m.getValue("fromName") + " said: " + m.getValue("text");
    JsonObject to = m.getJsonObject("to", new JsonObject());
    return to.containsKey("group") ? "group[" + to.getValue("group") + "]: " + line : line;
  }

  /** Times are UTC on the wire, with or without the Z; shown in the local zone. */
  static String time(String iso) {
    try {
      Instant t = iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:\\d\\d$")
          ? java.time.OffsetDateTime.parse(iso).toInstant()
          : java.time.LocalDateTime.parse(iso).toInstant(java.time.ZoneOffset.UTC);
      return TIME.format(t.atZone(ZoneId.systemDefault()));
    } catch (RuntimeException e) {
      return String.valueOf(iso);
    }
  }

  /** A refusal with the server's own words and code; a lost connection says so instead. */
  static String refused(String what, JsonObject reply) {
    if (Pending.isLost(reply)) {
      return what + ": no answer (" + reply.getString("error") + ")";
    }
    Object code = reply.getValue("code");
    String error = reply.getString("error", "refused");
    if (code instanceof Number n && error.matches("[A-Z_]+")) {
      // some refusals carry only the code's name: say what it means, keep the name
      error = MEANINGS.getOrDefault(n.intValue(), error) + ", " + error;
    }
    return what + " failed: " + error + (code == null ? "" : " (" + code + ")");
  }

  /** docs/protocol.md section 7, for refusals whose text is only the code's name. */
  private static final java.util.Map<Integer, String> MEANINGS = java.util.Map.ofEntries(
      java.util.Map.entry(1004, "a field is missing or has the wrong type"),
      java.util.Map.entry(1006, "not logged in"),
      java.util.Map.entry(1007, "not allowed"),
      java.util.Map.entry(1008, "no such user or group"),
      java.util.Map.entry(1013, "invalid value"),
      java.util.Map.entry(1014, "the server is busy, try again later"),
      java.util.Map.entry(1015, "too many requests, try again later"),
      java.util.Map.entry(1018, "a limit was reached"),
      java.util.Map.entry(1019, "banned for a while after too many refused requests, try again later"),
      java.util.Map.entry(1501, "the database does not answer, not stored: try again"));

  /** The account summary after a login: the classic layout, plus friend requests. */
  static List<String> loggedIn(JsonObject r) {
    List<String> lines = new ArrayList<>();
    lines.add("======================login user======================");
    lines.add("current login user => id:" + r.getValue("user") + " name:" + r.getValue("name"));
    lines.add("----------------------friend list---------------------");
    for (JsonObject f : objects(r.getJsonArray("friends"))) {
      lines.add(f.getValue("id") + " " + f.getValue("name") + " " + (f.getBoolean("online", false) ? "online" : "offline"));
    }
    JsonObject requests = r.getJsonObject("requests", new JsonObject());
    List<JsonObject> incoming = objects(requests.getJsonArray("incoming"));
    List<JsonObject> outgoing = objects(requests.getJsonArray("outgoing"));
    if (!incoming.isEmpty() || !outgoing.isEmpty()) {
      lines.add("----------------------friend requests-----------------");
      incoming.forEach(f -> lines.add(asks(f.getInteger("id"), f.getString("name"))));
      outgoing.forEach(f -> lines.add("you asked " + who(f.getInteger("id"), f.getString("name")) + ", no answer yet"));
    }
    lines.add("----------------------group list----------------------");
    for (JsonObject g : objects(r.getJsonArray("groups"))) {
      lines.add(g.getValue("id") + " " + g.getValue("name") + " " + g.getValue("desc")
          + " (" + g.getValue("role") + ", " + g.getValue("members") + " members)");
    }
    lines.add("======================================================");
    return lines;
  }

  /** A push other than a message, or null when there is nothing to show (typing, unknown types). */
  static String push(JsonObject p, IntFunction<String> names) {
    String type = p.getString("type", "");
    return switch (type) {
      case "receipt" -> who(p.getInteger("by"), names) + ("read".equals(p.getString("kind")) ? " read" : " received")
          + " your messages up to #" + p.getValue("upto");
      case "presence" -> "friend " + who(p.getInteger("user"), names) + " is " + (p.getBoolean("online", false) ? "online" : "offline");
      case "friend" -> friendEvent(p, names);
      case "group" -> groupEvent(p, names);
      default -> null;
    };
  }

  private static String friendEvent(JsonObject p, IntFunction<String> names) {
    int user = p.getInteger("user", 0);
    String name = p.getString("name");
    String who = name == null ? who(user, names) : who(user, name);
    return switch (p.getString("event", "")) {
      case "request" -> asks(user, name);
      case "accepted" -> who + " accepted: you are friends now";
      case "declined" -> who + " declined your friend request";
      case "removed" -> who + " removed you from their friends";
      default -> null;
    };
  }

  private static String groupEvent(JsonObject p, IntFunction<String> names) {
    String group = "group[" + p.getValue("group") + "]: ";
    String who = who(p.getInteger("user", 0), names);
    return switch (p.getString("event", "")) {
      case "joined" -> group + who + " joined as " + p.getValue("role");
      case "left" -> group + who + " left";
      case "kicked" -> group + who + " was removed";
      case "role" -> group + who + " is now " + p.getValue("role");
      case "dissolved" -> group + "dissolved by its owner";
      default -> null;
    };
  }

  static String asks(int user, String name) {
    return who(user, name) + " asks to be your friend: type accept:" + user + " or decline:" + user;
  }

  static String who(Integer id, IntFunction<String> names) {
    return who(id, id == null ? null : names.apply(id));
  }

  static String who(Integer id, String name) {
    return "[" + id + "]" + (name == null ? "" : name);
  }

  /** The reply to {@code friends}. */
  static String friends(JsonObject r) {
    List<String> lines = new ArrayList<>();
    lines.add("friends: " + names(r.getJsonArray("friends")));
    lines.add("asking you: " + names(r.getJsonArray("incoming")));
    lines.add("you asked: " + names(r.getJsonArray("outgoing")));
    lines.add("blocked: " + names(r.getJsonArray("blocked")));
    return String.join("\n", lines);
  }

  /** The reply to {@code groups}. */
  static String groups(JsonObject r) {
    List<String> lines = new ArrayList<>();
    for (JsonObject g : objects(r.getJsonArray("groups"))) {
      lines.add(g.getValue("id") + " " + g.getValue("name") + " " + g.getValue("desc") + " (" + g.getValue("role") + ")");
    }
    return lines.isEmpty() ? "you are in no group" : String.join("\n", lines);
  }

  /** The reply to {@code group.info} of group {@code id}. */
  static String groupInfo(int id, JsonObject r) {
    List<String> lines = new ArrayList<>();
    lines.add("group " + id + " " + r.getValue("name") + ": " + r.getValue("desc"));
    for (JsonObject m : objects(r.getJsonArray("members"))) {
      lines.add("    " + who(m.getInteger("id"), m.getString("name")) + " " + m.getValue("role"));
    }
    return String.join("\n", lines);
  }

  /** A history page (newest first on the wire), shown oldest first like a conversation. */
  static String history(JsonObject r, String command) {
    List<JsonObject> msgs = objects(r.getJsonArray("msgs"));
    if (msgs.isEmpty()) {
      return "no messages";
    }
    List<String> lines = new ArrayList<>();
    for (int i = msgs.size() - 1; i >= 0; i--) {
      lines.add("#" + msgs.get(i).getValue("id") + " " + message(msgs.get(i)));
    }
    if (r.getBoolean("more", false)) {
      lines.add("(older ones: " + command + ":" + msgs.get(msgs.size() - 1).getValue("id") + ")");
    }
    return String.join("\n", lines);
  }

  private static String names(JsonArray users) {
    List<String> out = new ArrayList<>();
    for (JsonObject u : objects(users)) {
      out.add(who(u.getInteger("id"), u.getString("name")));
    }
    return out.isEmpty() ? "-" : String.join(" ", out);
  }

  static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> out = new ArrayList<>();
    if (array != null) {
      for (Object o : array) {
        if (o instanceof JsonObject j) {
          out.add(j);
        }
      }
    }
    return out;
  }
}
