package chat.persistence;

import chat.persistence.GroupRules.Action;
import chat.protocol.ErrorCode;
import chat.protocol.GroupRole;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * v2 group administration: leave, kick, promote, demote, transfer, dissolve, info and the user's
 * groups. Each change runs in one transaction that locks the group row first (the order joins
 * use, see SqlQueries.LOCK_GROUP), reads the roles, asks {@link GroupRules} and writes: two
 * owners acting at once are serialised, so a transfer and a kick can never both win on stale roles.
 *
 * <p>Requests: {userId, groupId, user?}. A change answers {notify:[ids], events:[{event, user,
 * role?}]}: whom to tell (the members before the change, minus the actor, who has the reply) and
 * what happened; chat turns them into pushes.
 */
final class GroupAdmin {
  private final Pool pool;

  GroupAdmin(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> leave(JsonObject req) {
    return change(req, Action.LEAVE, (conn, c) -> conn.preparedQuery(SqlQueries.DELETE_MEMBER)
        .execute(Tuple.of(c.group, c.actor)).map(r -> c.event("left", c.actor, null)));
  }

  Future<JsonObject> kick(JsonObject req) {
    return change(req, Action.KICK, (conn, c) -> conn.preparedQuery(SqlQueries.DELETE_MEMBER)
        .execute(Tuple.of(c.group, c.target)).map(r -> c.event("kicked", c.target, null)));
  }

  Future<JsonObject> promote(JsonObject req) {
    return change(req, Action.PROMOTE, (conn, c) -> setRole(conn, c, c.target, GroupRole.ADMIN));
  }

  Future<JsonObject> demote(JsonObject req) {
    return change(req, Action.DEMOTE, (conn, c) -> setRole(conn, c, c.target, GroupRole.MEMBER));
  }

  /** The old owner stays, as an admin: a group always has exactly one owner. */
  Future<JsonObject> transfer(JsonObject req) {
    return change(req, Action.TRANSFER, (conn, c) -> setRole(conn, c, c.target, GroupRole.OWNER)
        .compose(v -> setRole(conn, c, c.actor, GroupRole.ADMIN)));
  }

  Future<JsonObject> dissolve(JsonObject req) {
    return change(req, Action.DISSOLVE, (conn, c) -> conn.preparedQuery(SqlQueries.DELETE_MEMBERS_OF_GROUP)
        .execute(Tuple.of(c.group))
        .compose(r -> conn.preparedQuery(SqlQueries.DELETE_GROUP).execute(Tuple.of(c.group)))
        .map(r -> c.event("dissolved", c.actor, null)));
  }

  /** {userId, groupId} -> {name, desc, members:[{id, name, role}]}; members only. */
  Future<JsonObject> info(JsonObject req) {
    int me = req.getInteger("userId");
    int group = req.getInteger("groupId");
    return pool.preparedQuery(SqlQueries.SELECT_GROUP).execute(Tuple.of(group)).compose(groups -> {
      if (groups.size() == 0) {
        return Replies.refuse(ErrorCode.NOT_FOUND, "no such group");
      }
      Row g = groups.iterator().next();
      return pool.preparedQuery(SqlQueries.SELECT_GROUP_MEMBERS_NAMED).execute(Tuple.of(group)).compose(rows -> {
        JsonArray members = new JsonArray();
        boolean mine = false;
        for (Row r : rows) {
          mine |= r.getInteger("id") == me;
          members.add(new JsonObject().put("id", r.getInteger("id")).put("name", r.getString("name"))
              .put("role", GroupRole.of(r.getString("role")).sql()));
        }
        return mine
            ? Future.succeededFuture(new JsonObject().put("name", g.getString("name"))
                .put("desc", g.getString("description")).put("members", members))
            : Replies.refuse(ErrorCode.FORBIDDEN, "not a member of this group");
      });
    });
  }

  /** {userId} -> {groups:[{id, name, desc, role}]}. */
  Future<JsonObject> list(JsonObject req) {
    return pool.preparedQuery(SqlQueries.SELECT_GROUPS_WITH_ROLE).execute(Tuple.of(req.getInteger("userId"))).map(rows -> {
      JsonArray groups = new JsonArray();
      for (Row r : rows) {
        groups.add(new JsonObject().put("id", r.getInteger("id")).put("name", r.getString("name"))
            .put("desc", r.getString("description")).put("role", GroupRole.of(r.getString("role")).sql()));
      }
      return new JsonObject().put("groups", groups);
    });
  }

  private interface Apply {
    Future<Void> apply(SqlConnection conn, Change c);
  }

  /** One change in progress: the locked group's roles and the events it produced. */
  private static final class Change {
    final int group;
    final int actor;
    final Integer target;
    final Map<Integer, GroupRole> roles = new LinkedHashMap<>();
    final JsonArray events = new JsonArray();

    Change(int group, int actor, Integer target) {
      this.group = group;
      this.actor = actor;
      this.target = target;
    }

    Void event(String event, int user, GroupRole role) {
      JsonObject e = new JsonObject().put("event", event).put("user", user);
      if (role != null) {
        e.put("role", role.sql());
      }
      events.add(e);
      return null;
    }
  }

  /** A role that is already what was asked changes nothing and tells nobody. */
  private static Future<Void> setRole(SqlConnection conn, Change c, int user, GroupRole role) {
    if (c.roles.get(user) == role) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(SqlQueries.SET_MEMBER_ROLE).execute(Tuple.of(role.sql(), c.group, user))
        .map(r -> c.event("role", user, role));
  }

  private Future<JsonObject> change(JsonObject req, Action action, Apply apply) {
    Change c = new Change(req.getInteger("groupId"), req.getInteger("userId"), req.getInteger("user"));
    return pool.withTransaction(conn -> conn.preparedQuery(SqlQueries.LOCK_GROUP).execute(Tuple.of(c.group))
        .compose(rows -> rows.size() == 0
            ? Replies.<Void>refuse(ErrorCode.NOT_FOUND, "no such group")
            : conn.preparedQuery(SqlQueries.SELECT_MEMBER_ROLES).execute(Tuple.of(c.group)).<Void>map(members -> {
              members.forEach(r -> c.roles.put(r.getInteger("user_id"), GroupRole.of(r.getString("role"))));
              return null;
            }))
        .compose(v -> {
          ProtocolException no = GroupRules.refusal(action, c.roles.get(c.actor), c.target == null ? null : c.roles.get(c.target));
          return no != null ? Future.<Void>failedFuture(no) : apply.apply(conn, c);
        })
        .map(v -> {
          JsonArray notify = new JsonArray();
          c.roles.keySet().stream().filter(id -> id != c.actor).forEach(notify::add);
          return new JsonObject().put("notify", notify).put("events", c.events);
        }));
  }
}
