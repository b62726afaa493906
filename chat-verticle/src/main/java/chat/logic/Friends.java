package chat.logic;

import chat.protocol.bus.FriendEvent;
import chat.protocol.bus.PresenceChange;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Friend requests with consent, removal and blocks (docs/protocol.md section 5). The database
 * decides (persistence Friendships); this class refuses what needs no database and tells the
 * other side, when it is online, what changed. Requests: {userId, name, other}.
 */
final class Friends {
  private final Db db;
  private final Router router;

  Friends(Db db, Router router) {
    this.db = db;
    this.router = router;
  }

  /** -> {outcome: requested | accepted | friends}; a request to someone who asked first accepts. */
  Future<JsonObject> request(JsonObject req) {
    return change(req, Addresses.DB_FRIEND_REQUEST).map(r -> {
      String outcome = r.getString("outcome");
      if ("requested".equals(outcome)) {
        tell(req, FriendEvent.Kind.REQUEST);
      } else if ("accepted".equals(outcome)) {
        tell(req, FriendEvent.Kind.ACCEPTED);
        introduce(req);
      }
      return new JsonObject().put("outcome", outcome);
    });
  }

  Future<JsonObject> accept(JsonObject req) {
    return change(req, Addresses.DB_FRIEND_ACCEPT).map(r -> {
      JsonObject reply = tell(req, FriendEvent.Kind.ACCEPTED);
      introduce(req);
      return reply;
    });
  }

  /**
   * New friends learn each other's presence at once: the presence feed only tells changes, so
   * without this each would show the other as unknown until the next login or logout.
   */
  private void introduce(JsonObject req) {
    int me = req.getInteger("userId");
    int other = req.getInteger("other");
    router.notify(other, new PresenceChange(me, true));
    router.online(java.util.List.of(other))
        .onSuccess(found -> router.notify(me, new PresenceChange(other, found.contains(other))));
  }

  Future<JsonObject> decline(JsonObject req) {
    return change(req, Addresses.DB_FRIEND_DECLINE).map(r -> tell(req, FriendEvent.Kind.DECLINED));
  }

  /** Removing someone who is not a friend changes nothing and tells nobody. */
  Future<JsonObject> remove(JsonObject req) {
    return change(req, Addresses.DB_FRIEND_REMOVE).map(r -> r.getBoolean("removed") ? tell(req, FriendEvent.Kind.REMOVED) : new JsonObject());
  }

  /**
   * The blocked user is not told of the block; a friendship it ends is announced as "removed",
   * so the other's list stays right without naming the reason.
   */
  Future<JsonObject> block(JsonObject req) {
    return change(req, Addresses.DB_BLOCK).map(r -> r.getBoolean("removed") ? tell(req, FriendEvent.Kind.REMOVED) : new JsonObject());
  }

  Future<JsonObject> unblock(JsonObject req) {
    return change(req, Addresses.DB_UNBLOCK);
  }

  /** {userId} -> {friends, incoming, outgoing, blocked}. */
  Future<JsonObject> list(JsonObject req) {
    return db.call(Addresses.DB_FRIENDS_LIST, new JsonObject().put("userId", req.getInteger("userId")));
  }

  private Future<JsonObject> change(JsonObject req, String address) {
    int me = req.getInteger("userId");
    int other = req.getInteger("other");
    if (me == other) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "that is yourself");
    }
    return db.call(address, new JsonObject().put("userId", me).put("other", other));
  }

  private JsonObject tell(JsonObject req, FriendEvent.Kind kind) {
    router.notify(req.getInteger("other"), new FriendEvent(kind, req.getInteger("userId"), req.getString("name")));
    return new JsonObject();
  }
}
