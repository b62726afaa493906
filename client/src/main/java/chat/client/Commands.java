package chat.client;

import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The classic client's commands, turned into request frames. Pure: parsing only. */
final class Commands {
  static final String HELP = String.join("\n",
      "help                     this list",
      "chat:friendid:message    send a message to one user",
      "addfriend:friendid       add a friend",
      "creategroup:name:desc    create a group",
      "addgroup:groupid         join a group",
      "groupchat:groupid:msg    send a message to a group",
      "loginout                 log out");

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** What a line asks for: a frame to send, a local action, or a message for the user. */
  record Parsed(JsonObject frame, boolean help, boolean logout, String error) {
    static Parsed send(JsonObject frame) {
      return new Parsed(frame, false, false, null);
    }

    static Parsed error(String why) {
      return new Parsed(null, false, false, why);
    }
  }

  private Commands() {}

  static Parsed parse(String line, int me, String myName) {
    String text = line.strip();
    int colon = text.indexOf(':');
    String command = colon < 0 ? text : text.substring(0, colon);
    String rest = colon < 0 ? "" : text.substring(colon + 1);
    return switch (command) {
      case "" -> Parsed.error(null);
      case "help" -> new Parsed(null, true, false, null);
      case "loginout" -> new Parsed(new JsonObject().put("msgid", 3).put("id", me), false, true, null);
      case "chat" -> withIdAndText(rest, "chat:friendid:message", (id, msg) -> new JsonObject()
          .put("msgid", 6).put("id", me).put("name", myName).put("toid", id).put("msg", msg).put("time", now()));
      case "groupchat" -> withIdAndText(rest, "groupchat:groupid:message", (id, msg) -> new JsonObject()
          .put("msgid", 10).put("id", me).put("name", myName).put("groupid", id).put("msg", msg).put("time", now()));
      case "addfriend" -> withId(rest, "addfriend:friendid", id -> new JsonObject()
          .put("msgid", 7).put("id", me).put("friendid", id));
      case "addgroup" -> withId(rest, "addgroup:groupid", id -> new JsonObject()
          .put("msgid", 9).put("id", me).put("groupid", id));
      case "creategroup" -> {
        int sep = rest.indexOf(':');
        String name = sep < 0 ? rest : rest.substring(0, sep);
        String desc = sep < 0 ? "" : rest.substring(sep + 1);
        yield name.isBlank() ? Parsed.error("usage: creategroup:name:desc")
            : Parsed.send(new JsonObject().put("msgid", 8).put("id", me).put("groupname", name).put("groupdesc", desc));
      }
      default -> Parsed.error("unknown command '" + command + "'; type help");
    };
  }

  private static Parsed withId(String arg, String usage, java.util.function.IntFunction<JsonObject> build) {
    Integer id = number(arg);
    return id == null ? Parsed.error("usage: " + usage) : Parsed.send(build.apply(id));
  }

  private static Parsed withIdAndText(String arg, String usage, java.util.function.BiFunction<Integer, String, JsonObject> build) {
    int sep = arg.indexOf(':');
    Integer id = sep < 0 ? null : number(arg.substring(0, sep));
    if (id == null || sep == arg.length() - 1) {
      return Parsed.error("usage: " + usage);
    }
    return Parsed.send(build.apply(id, arg.substring(sep + 1)));
  }

  /** The number a command argument holds, or null. */
  static Integer number(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String now() {
    return LocalDateTime.now().format(TIME);
  }
}
