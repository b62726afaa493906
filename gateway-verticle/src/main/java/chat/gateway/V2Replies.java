package chat.gateway;

import chat.protocol.V2Frames;
import chat.protocol.bus.Friend;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendLists;
import chat.protocol.bus.GroupInfo;
import chat.protocol.bus.GroupList;
import chat.protocol.bus.GroupView;
import chat.protocol.bus.HistoryPage;
import chat.protocol.bus.LoginSnapshot;
import chat.protocol.bus.Person;
import chat.protocol.bus.StoreMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The typed replies of chat and the store as v2 reply bodies (docs/protocol.md): the one place
 * that knows their keys. Times go through {@link V2Frames#time}, so every v2 time has one format.
 */
final class V2Replies {
  private V2Replies() {}

  /** The snapshot; {@code msgs} is the first inbox page, already rendered (its acks owe receipts). */
  static JsonObject login(LoginSnapshot snapshot, JsonArray msgs) {
    return new JsonObject()
        .put("user", snapshot.user())
        .put("name", snapshot.name())
        .put("token", snapshot.token())
        .put("expires", expires(snapshot.expires()))
        .put("friends", friends(snapshot.friends()))
        .put("requests", new JsonObject().put("incoming", people(snapshot.incoming())).put("outgoing", people(snapshot.outgoing())))
        .put("groups", groups(snapshot.user(), snapshot.groups()))
        .put("conversations", V2Frames.conversations(snapshot.conversations()))
        .put("msgs", msgs)
        .put("seq", snapshot.offline().last())
        .put("more", snapshot.offline().more())
        .put("epoch", snapshot.offline().epoch());
  }

  /** A token's expiry: chat gives it as an Instant's text, v2 shows it as every other time. */
  static String expires(String instant) {
    return instant == null ? null : V2Frames.time(Instant.parse(instant));
  }

  /** Only a request says what it did. */
  static JsonObject friendChange(FriendChange.Kind kind, FriendChange.Result result) {
    return kind == FriendChange.Kind.REQUEST
        ? new JsonObject().put("outcome", result.outcome().name().toLowerCase(Locale.ROOT))
        : new JsonObject();
  }

  static JsonObject friendLists(FriendLists.Lists l) {
    return new JsonObject().put("friends", people(l.friends())).put("incoming", people(l.incoming()))
        .put("outgoing", people(l.outgoing())).put("blocked", people(l.blocked()));
  }

  static JsonObject groupInfo(GroupInfo.Info info) {
    JsonArray members = new JsonArray();
    info.members().forEach(m -> members.add(new JsonObject().put("id", m.id()).put("name", m.name()).put("role", m.role().sql())));
    return new JsonObject().put("name", info.name()).put("desc", info.desc()).put("members", members);
  }

  static JsonObject groupList(GroupList.Groups list) {
    JsonArray groups = new JsonArray();
    list.groups().forEach(g -> groups.add(new JsonObject().put("id", g.id()).put("name", g.name()).put("desc", g.desc())
        .put("role", g.role().sql())));
    return new JsonObject().put("groups", groups);
  }

  /** The stored time is chat's LocalDateTime, local to the node's zone (see V2Frames.time). */
  static JsonObject sent(StoreMessage.Stored stored) {
    return new JsonObject().put("messageId", stored.messageId()).put("duplicate", stored.duplicate())
        .put("time", V2Frames.time(stored.time()));
  }

  static JsonObject history(HistoryPage.Page page) {
    JsonArray msgs = new JsonArray();
    page.messages().forEach(m -> msgs.add(V2Frames.message(m)));
    return new JsonObject().put("msgs", msgs).put("more", page.more());
  }

  private static JsonArray friends(List<Friend> friends) {
    JsonArray out = new JsonArray();
    friends.forEach(f -> out.add(new JsonObject().put("id", f.id()).put("name", f.name()).put("online", f.online())));
    return out;
  }

  private static JsonArray people(List<Person> people) {
    JsonArray out = new JsonArray();
    people.forEach(p -> out.add(new JsonObject().put("id", p.id()).put("name", p.name())));
    return out;
  }

  /** As docs/protocol.md has them: the user's role and how many members; group.info lists the members. */
  private static JsonArray groups(int user, List<GroupView> groups) {
    JsonArray out = new JsonArray();
    for (GroupView g : groups) {
      out.add(new JsonObject().put("id", g.id()).put("name", g.name()).put("desc", g.desc())
          .put("role", g.roleOf(user).sql()).put("members", g.members().size()));
    }
    return out;
  }
}
