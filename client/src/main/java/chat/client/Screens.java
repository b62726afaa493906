package chat.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** What the user sees: the classic client's texts. Pure: formatting only. */
final class Screens {
  static final String MENU = String.join("\n",
      "========================",
      "1. login",
      "2. register",
      "3. quit",
      "========================");

  private Screens() {}

  /** An incoming chat frame, as the classic client showed it. */
  static String message(JsonObject m) {
    String line = m.getValue("time") + " [" + m.getValue("id") + "]" + m.getValue("name") + " said: " + m.getValue("msg");
    return m.getInteger("msgid", 0) == 10 ? "group[" + m.getValue("groupid") + "]: " + line : line;
  }

  /** The account summary shown after a successful login. */
  static List<String> loggedIn(JsonObject ack) {
    List<String> lines = new ArrayList<>();
    lines.add("======================login user======================");
    lines.add("current login user => id:" + ack.getValue("id") + " name:" + ack.getValue("name"));
    lines.add("----------------------friend list---------------------");
    for (JsonObject f : decoded(ack.getJsonArray("friends"))) {
      lines.add(f.getValue("id") + " " + f.getValue("name") + " " + f.getValue("state"));
    }
    lines.add("----------------------group list----------------------");
    for (JsonObject g : decoded(ack.getJsonArray("groups"))) {
      lines.add(g.getValue("id") + " " + g.getValue("groupname") + " " + g.getValue("groupdesc"));
      for (JsonObject u : decoded(g.getJsonArray("users"))) {
        lines.add("    " + u.getValue("id") + " " + u.getValue("name") + " " + u.getValue("state") + " " + u.getValue("role"));
      }
    }
    lines.add("======================================================");
    for (JsonObject m : decoded(ack.getJsonArray("offlinemsg"))) {
      lines.add(message(m));
    }
    return lines;
  }

  /** Login-ack arrays hold JSON-encoded strings; anything else is skipped. */
  private static List<JsonObject> decoded(JsonArray array) {
    List<JsonObject> out = new ArrayList<>();
    if (array != null) {
      for (Object o : array) {
        if (o instanceof String s) {
          try {
            out.add(new JsonObject(s));
          } catch (RuntimeException ignored) {
            // a malformed entry is not worth failing the login over
          }
        }
      }
    }
    return out;
  }
}
