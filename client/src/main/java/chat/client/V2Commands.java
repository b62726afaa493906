package chat.client;

import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The v2 client's commands: the classic vocabulary (chat:id:msg, addfriend:id, ...) and what v2
 * adds, each turned into a request and the way to show its reply. Pure: parsing only.
 */
final class V2Commands {
  static final String HELP = String.join("\n",
      "help                     this list",
      "chat:friendid:message    send a message to one user",
      "addfriend:friendid       ask to be friends (accepts if they asked you)",
      "accept:userid            accept a friend request",
      "decline:userid           decline a friend request",
      "removefriend:friendid    end a friendship",
      "block:userid             block a user (unblock:userid)",
      "friends                  friends and requests",
      "profile:name             a user's id, to add them as a friend",
      "history:friendid[:msgid] earlier messages with a friend (before msgid)",
      "creategroup:name:desc    create a group",
      "addgroup:groupid         join a group",
      "groupchat:groupid:msg    send a message to a group",
      "grouphistory:groupid[:msgid]  earlier messages of a group",
      "groupinfo:groupid        a group's members",
      "leavegroup:groupid       leave a group",
      "kick:groupid:userid      remove a member (owner, admin)",
      "promote:groupid:userid   make a member admin (owner; demote:groupid:userid)",
      "groups                   your groups",
      "loginout                 log out",
      "quit                     log out and exit");

  enum Kind { NONE, HELP, LOGOUT, QUIT, REQUEST, SEND, ERROR }

  /**
   * What a line asks for. REQUEST: {@code request} with {@code render} for its reply and {@code what}
   * naming it in errors; SEND: {@code text} to {@code to}; ERROR: {@code error} for the user.
   */
  record Cmd(Kind kind, JsonObject request, String what, Function<JsonObject, String> render,
      JsonObject to, String text, String error) {
    static Cmd of(Kind kind) {
      return new Cmd(kind, null, null, null, null, null, null);
    }

    static Cmd error(String why) {
      return new Cmd(Kind.ERROR, null, null, null, null, null, why);
    }

    static Cmd request(String what, JsonObject request, Function<JsonObject, String> render) {
      return new Cmd(Kind.REQUEST, request, what, render, null, null, null);
    }

    static Cmd send(JsonObject to, String text) {
      return new Cmd(Kind.SEND, null, null, null, to, text, null);
    }
  }

  private V2Commands() {}

  static Cmd parse(String line) {
    String text = line.strip();
    int colon = text.indexOf(':');
    String command = colon < 0 ? text : text.substring(0, colon);
    String rest = colon < 0 ? "" : text.substring(colon + 1);
    return switch (command) {
      case "" -> Cmd.of(Kind.NONE);
      case "help" -> Cmd.of(Kind.HELP);
      case "loginout" -> Cmd.of(Kind.LOGOUT);
      case "quit" -> Cmd.of(Kind.QUIT);
      case "chat" -> message(rest, "user", "chat:friendid:message");
      case "groupchat" -> message(rest, "group", "groupchat:groupid:message");
      case "addfriend" -> aboutUser(rest, "addfriend", "friend.request", (id, r) -> switch (r.getString("outcome", "")) {
        case "accepted" -> "you and [" + id + "] are friends now (they had asked you)";
        case "friends" -> "[" + id + "] is already your friend";
        default -> "friend request sent to [" + id + "]; they are told and can accept";
      });
      case "accept" -> aboutUser(rest, "accept", "friend.accept", (id, r) -> "you and [" + id + "] are friends now");
      case "decline" -> aboutUser(rest, "decline", "friend.decline", (id, r) -> "declined the friend request of [" + id + "]");
      case "removefriend" -> aboutUser(rest, "removefriend", "friend.remove", (id, r) -> "[" + id + "] is no longer your friend");
      case "block" -> aboutUser(rest, "block", "block", (id, r) -> "blocked [" + id + "]: they cannot write to you or ask you");
      case "unblock" -> aboutUser(rest, "unblock", "unblock", (id, r) -> "unblocked [" + id + "]");
      case "profile" -> rest.isBlank() ? Cmd.error("usage: profile:name")
          : Cmd.request("profile:" + rest, new JsonObject().put("type", "profile").put("name", rest),
              r -> r.getString("name") + " is user [" + r.getValue("user") + "]; addfriend:" + r.getValue("user") + " asks them");
      case "friends" -> Cmd.request("friends", new JsonObject().put("type", "friends"), V2Screens::friends);
      case "groups" -> Cmd.request("groups", new JsonObject().put("type", "groups"), V2Screens::groups);
      case "history" -> history(rest, "user", "history");
      case "grouphistory" -> history(rest, "group", "grouphistory");
      case "creategroup" -> createGroup(rest);
      case "addgroup" -> aboutGroup(rest, "addgroup", "group.join", (g, r) -> "joined group " + g);
      case "leavegroup" -> aboutGroup(rest, "leavegroup", "group.leave", (g, r) -> "left group " + g);
      case "groupinfo" -> aboutGroup(rest, "groupinfo", "group.info", V2Screens::groupInfo);
      case "kick" -> member(rest, "kick", "group.kick", "removed from group");
      case "promote" -> member(rest, "promote", "group.promote", "is now an admin of group");
      case "demote" -> member(rest, "demote", "group.demote", "is now a member of group");
      default -> Cmd.error("unknown command '" + command + "'; type help");
    };
  }

  private interface IdRender {
    String render(int id, JsonObject reply);
  }

  private static Cmd message(String arg, String kind, String usage) {
    int sep = arg.indexOf(':');
    Integer id = sep < 0 ? null : Commands.number(arg.substring(0, sep));
    if (id == null || arg.substring(sep + 1).isEmpty()) {
      return Cmd.error("usage: " + usage);
    }
    return Cmd.send(new JsonObject().put(kind, id), arg.substring(sep + 1));
  }

  private static Cmd aboutUser(String arg, String command, String type, IdRender render) {
    Integer id = Commands.number(arg);
    if (id == null) {
      return Cmd.error("usage: " + command + ":userid");
    }
    return Cmd.request(command + ":" + id, new JsonObject().put("type", type).put("user", id), r -> render.render(id, r));
  }

  private static Cmd aboutGroup(String arg, String command, String type, IdRender render) {
    Integer id = Commands.number(arg);
    if (id == null) {
      return Cmd.error("usage: " + command + ":groupid");
    }
    return Cmd.request(command + ":" + id, new JsonObject().put("type", type).put("group", id), r -> render.render(id, r));
  }

  private static Cmd member(String arg, String command, String type, String done) {
    String[] parts = arg.split(":", -1);
    Integer group = parts.length == 2 ? Commands.number(parts[0]) : null;
    Integer user = parts.length == 2 ? Commands.number(parts[1]) : null;
    if (group == null || user == null) {
      return Cmd.error("usage: " + command + ":groupid:userid");
    }
    return Cmd.request(command + ":" + group + ":" + user,
        new JsonObject().put("type", type).put("group", group).put("user", user),
        r -> "[" + user + "] " + done + " " + group);
  }

  private static Cmd createGroup(String rest) {
    int sep = rest.indexOf(':');
    String name = sep < 0 ? rest : rest.substring(0, sep);
    String desc = sep < 0 ? "" : rest.substring(sep + 1);
    if (name.isBlank()) {
      return Cmd.error("invalid name: usage: creategroup:name:desc");
    }
    return Cmd.request("creategroup:" + name, new JsonObject().put("type", "group.create").put("name", name).put("desc", desc),
        r -> "created group " + r.getValue("group") + " (" + name + "); others join it with addgroup:" + r.getValue("group"));
  }

  private static Cmd history(String arg, String kind, String command) {
    String[] parts = arg.split(":", -1);
    Integer id = parts.length <= 2 ? Commands.number(parts[0]) : null;
    Integer before = parts.length == 2 ? Commands.number(parts[1]) : null;
    if (id == null || (parts.length == 2 && before == null)) {
      return Cmd.error("usage: " + command + ":" + ("user".equals(kind) ? "friendid" : "groupid") + "[:msgid]");
    }
    JsonObject request = new JsonObject().put("type", "history").put("with", new JsonObject().put(kind, id)).put("limit", 20);
    if (before != null) {
      request.put("before", before);
    }
    return Cmd.request(command + ":" + id, request, r -> V2Screens.history(r, command + ":" + id));
  }
}
