package chat.gateway;

import chat.protocol.ErrorCode;
import chat.protocol.Frames;
import chat.protocol.ProtocolException;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendLists;
import chat.protocol.bus.GroupAction;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupInfo;
import chat.protocol.bus.GroupJoin;
import chat.protocol.bus.GroupList;
import chat.protocol.bus.Profile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The v2 requests about other users and groups: friends, blocks, profiles, groups and their members. */
final class V2SocialHandlers {
  /** As long as a name can be (users.name): a longer one cannot exist, so it is not looked up. */
  private static final int MAX_NAME_CHARS = 50;

  static final Map<String, V2Protocol.Handler> HANDLERS = Map.ofEntries(
      Map.entry("friend.request", social(FriendChange.Kind.REQUEST)),
      Map.entry("friend.accept", social(FriendChange.Kind.ACCEPT)),
      Map.entry("friend.decline", social(FriendChange.Kind.DECLINE)),
      Map.entry("friend.remove", social(FriendChange.Kind.REMOVE)),
      Map.entry("block", social(FriendChange.Kind.BLOCK)),
      Map.entry("unblock", social(FriendChange.Kind.UNBLOCK)),
      Map.entry("friends", V2SocialHandlers::friends),
      Map.entry("profile", V2SocialHandlers::profile),
      Map.entry("group.create", V2SocialHandlers::createGroup),
      Map.entry("group.join", (s, req) -> {
        s.requireOnline();
        return s.chat(new GroupJoin(s.userId(), Frames.requireInt(req, "group"))).map(r -> new JsonObject());
      }),
      Map.entry("group.leave", group(GroupAction.Kind.LEAVE, false)),
      Map.entry("group.kick", group(GroupAction.Kind.KICK, true)),
      Map.entry("group.promote", group(GroupAction.Kind.PROMOTE, true)),
      Map.entry("group.demote", group(GroupAction.Kind.DEMOTE, true)),
      Map.entry("group.transfer", group(GroupAction.Kind.TRANSFER, true)),
      Map.entry("group.dissolve", group(GroupAction.Kind.DISSOLVE, false)),
      Map.entry("group.info", V2SocialHandlers::groupInfo),
      Map.entry("groups", V2SocialHandlers::groupList));

  private V2SocialHandlers() {}

  /** A request about one other user, {user}; chat answers and tells the other side. Only a request says what it did. */
  private static V2Protocol.Handler social(FriendChange.Kind kind) {
    return (s, req) -> {
      s.requireOnline();
      int other = Frames.requireInt(req, "user");
      return s.chat(new FriendChange(kind, s.userId(), s.userName(), other)).map(r -> V2Replies.friendChange(kind, r));
    };
  }

  /** {name, desc?} -> {group}: the same path as classic creategroup, so the same caps and checks. */
  private static Future<JsonObject> createGroup(Session s, JsonObject req) {
    s.requireOnline();
    GroupCreate create = new GroupCreate(s.userId(), Frames.requireString(req, "name"), Frames.optString(req, "desc", ""));
    return s.chat(create).map(r -> new JsonObject().put("group", r.group()));
  }

  /** A change to one group {group}, and to one of its members {user} when {@code aboutUser}. */
  private static V2Protocol.Handler group(GroupAction.Kind kind, boolean aboutUser) {
    return (s, req) -> {
      s.requireOnline();
      int group = Frames.requireInt(req, "group");
      Integer user = aboutUser ? Frames.requireInt(req, "user") : null;
      return s.chat(new GroupAction(kind, s.userId(), group, user)).map(r -> new JsonObject());
    };
  }

  /** {group} -> {name, desc, members:[{id, name, role}]}: a read, straight to the store. */
  private static Future<JsonObject> groupInfo(Session s, JsonObject req) {
    s.requireOnline();
    return s.store(new GroupInfo(s.userId(), Frames.requireInt(req, "group"))).map(V2Replies::groupInfo);
  }

  /** -> {groups:[{id, name, desc, role}]}. */
  private static Future<JsonObject> groupList(Session s, JsonObject req) {
    s.requireOnline();
    return s.store(new GroupList(s.userId())).map(V2Replies::groupList);
  }

  /** {friends, incoming, outgoing, blocked}, each [{id, name}]. */
  private static Future<JsonObject> friends(Session s, JsonObject req) {
    s.requireOnline();
    return s.store(new FriendLists(s.userId())).map(V2Replies::friendLists);
  }

  /** {name} -> {user, name}: a read, so it goes straight to the store. */
  private static Future<JsonObject> profile(Session s, JsonObject req) {
    s.requireOnline();
    String name = Frames.requireString(req, "name");
    if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_CHARS) {
      throw new ProtocolException(ErrorCode.BAD_FIELD, "name must be 1-50 characters");
    }
    return s.store(new Profile(name)).map(found -> new JsonObject().put("user", found.id()).put("name", found.name()));
  }
}
