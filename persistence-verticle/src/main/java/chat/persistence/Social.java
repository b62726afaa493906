package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.GroupRole;
import chat.protocol.Replies;
import chat.protocol.bus.AddFriend;
import chat.protocol.bus.Done;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupJoin;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Friends and groups. Keys make double adds no-ops; foreign keys check the ids. Every group
 * message writes one inbox row per member, so group size and groups per user are capped, checked
 * and inserted in one transaction under row locks (see SqlQueries.LOCK_GROUP).
 */
final class Social {
  private final Pool pool;
  private final int maxMembers;
  private final int maxGroupsPerUser;

  Social(Pool pool, int maxMembers, int maxGroupsPerUser) {
    this.pool = pool;
    this.maxMembers = maxMembers;
    this.maxGroupsPerUser = maxGroupsPerUser;
  }

  /**
   * The classic one-way add. An unknown friend fails with NOT_FOUND; a
   * block either way with FORBIDDEN, so classic clients cannot get round a block. The check and
   * the insert are not one transaction: a block that lands between them is followed by this row,
   * which the next block or remove clears; classic adds are rare and one-way, so that is accepted.
   */
  Future<Done> addFriend(AddFriend req) {
    int user = req.user();
    int friend = req.friend();
    return pool.preparedQuery(SqlQueries.BLOCKED_EITHER_WAY).execute(Tuple.of(user, friend, friend, user))
        .compose(blocks -> blocks.size() > 0
            ? Replies.<Done>refuse(ErrorCode.FORBIDDEN,
                blocks.iterator().next().getInteger(0) == friend ? "the other user blocks this user" : "this user blocks the other")
            : pool.preparedQuery(SqlQueries.INSERT_FRIEND).execute(Tuple.of(user, friend)).map(rows -> Done.DONE))
        .recover(Social::unknownId);
  }

  /**
   * The creator becomes its first member. LIMIT_REACHED when the creator is in maxGroupsPerUser
   * groups already.
   */
  Future<GroupCreate.Created> createGroup(GroupCreate req) {
    int userId = req.user();
    return pool.withTransaction(
        conn -> lockUser(conn, userId)
            .compose(v -> conn.preparedQuery(SqlQueries.COUNT_GROUPS_OF_USER).execute(Tuple.of(userId)))
            .compose(rows -> {
              if (rows.iterator().next().getLong(0) >= maxGroupsPerUser) {
                return Replies.refuse(ErrorCode.LIMIT_REACHED, "in " + maxGroupsPerUser + " groups already");
              }
              return conn.preparedQuery(SqlQueries.INSERT_GROUP)
                  .execute(Tuple.of(req.name(), req.desc(), userId));
            })
            .compose(rows -> {
              int groupId = rows.property(MySQLClient.LAST_INSERTED_ID).intValue();
              return conn.preparedQuery(SqlQueries.INSERT_MEMBER)
                  .execute(Tuple.of(groupId, userId, GroupRole.OWNER.sql()))
                  .map(r -> new GroupCreate.Created(groupId));
            }));
  }

  /**
   * Joining twice keeps the first role. LIMIT_REACHED when the group has maxMembers members or
   * the user is in maxGroupsPerUser groups.
   */
  Future<GroupJoin.Joined> joinGroup(GroupJoin req) {
    int userId = req.user();
    int groupId = req.group();
    return pool.withTransaction(
        conn -> conn.preparedQuery(SqlQueries.LOCK_GROUP).execute(Tuple.of(groupId))
            .compose(rows -> rows.size() == 0
                ? Replies.<Void>refuse(ErrorCode.NOT_FOUND, "no such group")
                : lockUser(conn, userId))
            .compose(v -> conn.preparedQuery(SqlQueries.COUNT_MEMBERSHIP).execute(Tuple.of(groupId, userId, groupId, userId)))
            .compose(rows -> {
              Row counts = rows.iterator().next();
              if (counts.getLong("already") != 0) {
                return Future.succeededFuture(new GroupJoin.Joined(false, List.of()));
              }
              if (counts.getLong("members") >= maxMembers) {
                return Replies.refuse(ErrorCode.LIMIT_REACHED, "group has " + maxMembers + " members");
              }
              if (counts.getLong("user_groups") >= maxGroupsPerUser) {
                return Replies.refuse(ErrorCode.LIMIT_REACHED, "in " + maxGroupsPerUser + " groups already");
              }
              return conn.preparedQuery(SqlQueries.INSERT_MEMBER)
                  .execute(Tuple.of(groupId, userId, GroupRole.MEMBER.sql()))
                  // what was said before the join is history, not unread
                  .compose(r -> conn.preparedQuery(SqlQueries.START_GROUP_CURSOR).execute(Tuple.of(userId, groupId, groupId)))
                  .compose(r -> conn.preparedQuery(SqlQueries.SELECT_MEMBER_ROLES).execute(Tuple.of(groupId)))
                  .map(members -> {
                    List<Integer> notify = new ArrayList<>();
                    members.forEach(m -> {
                      if (m.getInteger("user_id") != userId) {
                        notify.add(m.getInteger("user_id"));
                      }
                    });
                    return new GroupJoin.Joined(true, notify);
                  });
            }))
        .recover(Social::unknownId);
  }

  private static Future<Void> lockUser(SqlConnection conn, int userId) {
    return conn.preparedQuery(SqlQueries.LOCK_USER).execute(Tuple.of(userId))
        .compose(rows -> rows.size() == 0 ? Replies.refuse(ErrorCode.NOT_FOUND, "no such user") : Future.succeededFuture());
  }

  private static <T> Future<T> unknownId(Throwable e) {
    return e instanceof MySQLException m && m.getErrorCode() == SqlQueries.ER_NO_REFERENCED_ROW
        ? Replies.refuse(ErrorCode.NOT_FOUND, "no such user or group")
        : Future.failedFuture(e);
  }
}
