package chat.logic;

import chat.protocol.GroupRole;
import chat.protocol.bus.GroupChange;

import chat.protocol.Addresses;
import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * v2 group administration (docs/protocol.md section 6). Persistence decides and writes in one
 * transaction (GroupAdmin there); this class refuses what needs no database and tells the
 * members who are online. Requests: {userId, groupId, user?}.
 */
final class GroupAdmin {
  private final Db db;
  private final Router router;

  GroupAdmin(Db db, Router router) {
    this.db = db;
    this.router = router;
  }

  Future<JsonObject> leave(JsonObject req) {
    return change(req, Addresses.DB_GROUP_LEAVE);
  }

  Future<JsonObject> kick(JsonObject req) {
    return targeted(req, Addresses.DB_GROUP_KICK);
  }

  Future<JsonObject> promote(JsonObject req) {
    return targeted(req, Addresses.DB_GROUP_PROMOTE);
  }

  Future<JsonObject> demote(JsonObject req) {
    return targeted(req, Addresses.DB_GROUP_DEMOTE);
  }

  Future<JsonObject> transfer(JsonObject req) {
    return targeted(req, Addresses.DB_GROUP_TRANSFER);
  }

  Future<JsonObject> dissolve(JsonObject req) {
    return change(req, Addresses.DB_GROUP_DISSOLVE);
  }

  Future<JsonObject> info(JsonObject req) {
    return db.call(Addresses.DB_GROUP_INFO, req);
  }

  Future<JsonObject> list(JsonObject req) {
    return db.call(Addresses.DB_GROUPS_LIST, req);
  }

  /** Acting on oneself is never what was meant: leave and dissolve say so directly. */
  private Future<JsonObject> targeted(JsonObject req, String address) {
    if (req.getInteger("userId").equals(req.getInteger("user"))) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "that is yourself");
    }
    return change(req, address);
  }

  private Future<JsonObject> change(JsonObject req, String address) {
    return db.call(address, req).map(r -> {
      tell(router, req.getInteger("groupId"), r.getJsonArray("notify"), r.getJsonArray("events"));
      return new JsonObject();
    });
  }

  /** Pushes each event to each listed member that is online; at most once, like friend notices. */
  static void tell(Router router, int group, JsonArray notify, JsonArray events) {
    for (Object e : events) {
      GroupChange push = event(group, (JsonObject) e);
      for (Object member : notify) {
        router.notify((Integer) member, push);
      }
    }
  }

  /** The store's account of a change, {event, user, role?}, as a push. */
  static GroupChange event(int group, JsonObject change) {
    String role = change.getString("role");
    return new GroupChange(GroupChange.Kind.valueOf(change.getString("event").toUpperCase(java.util.Locale.ROOT)), group,
        change.getInteger("user"), role == null ? null : GroupRole.of(role));
  }
}
