package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Friends, groups, and a cache of group members so that group chat needs no extra query. */
final class Groups {
  static final int MAX_GROUP_NAME = 50;
  static final int MAX_GROUP_DESC = 200;

  private final Db db;
  private final Map<Integer, Set<Integer>> members = new HashMap<>();

  Groups(Db db) {
    this.db = db;
  }

  /** {userId, friendId} -> {}. */
  Future<JsonObject> addFriend(JsonObject req) {
    if (req.getInteger("userId").equals(req.getInteger("friendId"))) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "cannot befriend yourself");
    }
    return db.call(Addresses.DB_FRIEND_ADD, req);
  }

  /** {userId, name, desc} -> {groupId}. */
  Future<JsonObject> create(JsonObject req) {
    if (!Validation.isName(req.getString("name"), MAX_GROUP_NAME)
        || !Validation.isText(req.getString("desc"), MAX_GROUP_DESC)) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "group name 1-50, description 0-200 characters");
    }
    return db.call(Addresses.DB_GROUP_CREATE, req)
        .onSuccess(r -> members.put(r.getInteger("groupId"), new LinkedHashSet<>(Set.of(req.getInteger("userId")))));
  }

  /** {userId, groupId} -> {}. */
  Future<JsonObject> join(JsonObject req) {
    return db.call(Addresses.DB_GROUP_JOIN, req)
        .onSuccess(
            r -> {
              Set<Integer> cached = members.get(req.getInteger("groupId"));
              if (cached != null) {
                cached.add(req.getInteger("userId"));
              }
            });
  }

  /** The members of a group; NOT_FOUND for an unknown group. */
  Future<Set<Integer>> membersOf(int groupId) {
    Set<Integer> cached = members.get(groupId);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    return db.call(Addresses.DB_GROUP_MEMBERS, new JsonObject().put("groupId", groupId))
        .map(
            r -> {
              Set<Integer> loaded = new LinkedHashSet<>();
              r.getJsonArray("members").forEach(m -> loaded.add((Integer) m));
              // a join may have been cached while we loaded; keep whichever is fuller
              return members.merge(groupId, loaded, (old, fresh) -> old.size() >= fresh.size() ? old : fresh);
            });
  }
}
