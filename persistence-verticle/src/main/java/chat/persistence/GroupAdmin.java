package chat.persistence;

import chat.persistence.GroupRules.Action;
import chat.protocol.ErrorCode;
import chat.protocol.GroupRole;
import chat.protocol.ProtocolException;
import chat.protocol.Replies;
import chat.protocol.bus.GroupAction;
import chat.protocol.bus.GroupChange;
import chat.protocol.bus.GroupInfo;
import chat.protocol.bus.GroupList;
import chat.protocol.bus.GroupView;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.Future;
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
 * <p>A change answers whom to tell (the members before the change, minus the actor, who has the
 * reply) and what happened, as the pushes chat sends.
 */
final class GroupAdmin {
  private final Pool pool;

  GroupAdmin(Pool pool) {
    this.pool = pool;
  }

  Future<GroupAction.Changes> act(GroupAction req) {
    return switch (req.kind()) {
      case LEAVE -> change(req, Action.LEAVE, (conn, c) -> conn.preparedQuery(SqlQueries.DELETE_MEMBER)
          .execute(Tuple.of(c.group, c.actor)).map(r -> c.event(GroupChange.Kind.LEFT, c.actor, null)));
      case KICK -> change(req, Action.KICK, (conn, c) -> conn.preparedQuery(SqlQueries.DELETE_MEMBER)
          .execute(Tuple.of(c.group, c.target)).map(r -> c.event(GroupChange.Kind.KICKED, c.target, null)));
      case PROMOTE -> change(req, Action.PROMOTE, (conn, c) -> setRole(conn, c, c.target, GroupRole.ADMIN));
      case DEMOTE -> change(req, Action.DEMOTE, (conn, c) -> setRole(conn, c, c.target, GroupRole.MEMBER));
      // the old owner stays, as an admin: a group always has exactly one owner
      case TRANSFER -> change(req, Action.TRANSFER, (conn, c) -> setRole(conn, c, c.target, GroupRole.OWNER)
          .compose(v -> setRole(conn, c, c.actor, GroupRole.ADMIN)));
      case DISSOLVE -> change(req, Action.DISSOLVE, (conn, c) -> conn.preparedQuery(SqlQueries.DELETE_MEMBERS_OF_GROUP)
          .execute(Tuple.of(c.group))
          .compose(r -> conn.preparedQuery(SqlQueries.DELETE_GROUP).execute(Tuple.of(c.group)))
          .map(r -> c.event(GroupChange.Kind.DISSOLVED, c.actor, null)));
    };
  }

  /** Members only. */
  Future<GroupInfo.Info> info(GroupInfo req) {
    int me = req.user();
    int group = req.group();
    return pool.preparedQuery(SqlQueries.SELECT_GROUP).execute(Tuple.of(group)).compose(groups -> {
      if (groups.size() == 0) {
        return Replies.refuse(ErrorCode.NOT_FOUND, "no such group");
      }
      Row g = groups.iterator().next();
      return pool.preparedQuery(SqlQueries.SELECT_GROUP_MEMBERS_NAMED).execute(Tuple.of(group)).compose(rows -> {
        List<GroupView.Member> members = new ArrayList<>();
        boolean mine = false;
        for (Row r : rows) {
          mine |= r.getInteger("id") == me;
          members.add(new GroupView.Member(r.getInteger("id"), r.getString("name"), GroupRole.of(r.getString("role")), false));
        }
        return mine
            ? Future.succeededFuture(new GroupInfo.Info(g.getString("name"), g.getString("description"), members))
            : Replies.refuse(ErrorCode.FORBIDDEN, "not a member of this group");
      });
    });
  }

  Future<GroupList.Groups> list(GroupList req) {
    return pool.preparedQuery(SqlQueries.SELECT_GROUPS_WITH_ROLE).execute(Tuple.of(req.user())).map(rows -> {
      List<GroupList.Summary> groups = new ArrayList<>();
      for (Row r : rows) {
        groups.add(new GroupList.Summary(r.getInteger("id"), r.getString("name"), r.getString("description"),
            GroupRole.of(r.getString("role"))));
      }
      return new GroupList.Groups(groups);
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
    final List<GroupChange> events = new ArrayList<>();

    Change(int group, int actor, Integer target) {
      this.group = group;
      this.actor = actor;
      this.target = target;
    }

    Void event(GroupChange.Kind kind, int user, GroupRole role) {
      events.add(new GroupChange(kind, group, user, role));
      return null;
    }
  }

  /** A role that is already what was asked changes nothing and tells nobody. */
  private static Future<Void> setRole(SqlConnection conn, Change c, int user, GroupRole role) {
    if (c.roles.get(user) == role) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(SqlQueries.SET_MEMBER_ROLE).execute(Tuple.of(role.sql(), c.group, user))
        .map(r -> c.event(GroupChange.Kind.ROLE, user, role));
  }

  private Future<GroupAction.Changes> change(GroupAction req, Action action, Apply apply) {
    Change c = new Change(req.group(), req.user(), req.target());
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
        .map(v -> new GroupAction.Changes(c.roles.keySet().stream().filter(id -> id != c.actor).toList(), c.events)));
  }
}
