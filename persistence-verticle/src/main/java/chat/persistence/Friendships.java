package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.FriendChange;
import chat.protocol.bus.FriendChange.Outcome;
import chat.protocol.bus.FriendLists;
import chat.protocol.bus.Person;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Friend requests with consent, removal and blocks (docs/protocol.md section 5). The chat
 * verticle has already refused a user naming themself. Changes that
 * touch several rows run in one transaction, so a block never leaves a friendship or a request
 * behind. Two requests that cross (each side asks before seeing the other's) both stay pending;
 * accepting either makes the friendship and clears both.
 */
final class Friendships {
  private final Pool pool;
  private final int maxPending;

  /** {@code maxPending}: requests of one user waiting for an answer (CHAT_FRIEND_PENDING_MAX). */
  Friendships(Pool pool, int maxPending) {
    this.pool = pool;
    this.maxPending = maxPending;
  }

  Future<FriendChange.Result> change(FriendChange req) {
    int me = req.user();
    int other = req.other();
    return switch (req.kind()) {
      case REQUEST -> request(me, other);
      case ACCEPT -> accept(me, other);
      case DECLINE -> decline(me, other);
      case REMOVE -> remove(me, other);
      case BLOCK -> block(me, other);
      case UNBLOCK -> pool.preparedQuery(SqlQueries.DELETE_BLOCK).execute(Tuple.of(me, other)).map(rows -> result(Outcome.NOTHING));
    };
  }

  /**
   * NOT_FOUND for an unknown user, FORBIDDEN when either side blocks the other, RATE_LIMITED when
   * the user has {@code maxPending} requests to others waiting (chat sends one account's requests
   * one at a time, so the count cannot be raced past the limit).
   */
  private Future<FriendChange.Result> request(int me, int other) {
    return pool.withTransaction(conn -> conn.preparedQuery(SqlQueries.RELATION)
        .execute(Tuple.of(other, me, other, other, me, other, me, me, other, other, me))
        .compose(rows -> {
          Row r = rows.iterator().next();
          if (r.getString("other_name") == null) {
            return Replies.refuse(ErrorCode.NOT_FOUND, "no such user");
          }
          if (truth(r, "blocked")) {
            return Replies.refuse(ErrorCode.FORBIDDEN, "blocked");
          }
          if (r.getLong("friend_rows") == 2) {
            return Future.succeededFuture(result(Outcome.FRIENDS));
          }
          if (truth(r, "incoming")) {
            return befriend(conn, me, other).map(v -> result(Outcome.ACCEPTED));
          }
          return conn.preparedQuery(SqlQueries.PENDING_OUTGOING).execute(Tuple.of(me, other)).compose(count -> {
            if (count.iterator().next().getLong(0) >= maxPending) {
              return Replies.refuse(ErrorCode.RATE_LIMITED, "too many friend requests waiting for an answer");
            }
            return conn.preparedQuery(SqlQueries.INSERT_FRIEND_REQUEST).execute(Tuple.of(me, other))
                .map(v -> result(Outcome.REQUESTED));
          });
        }));
  }

  /** NOT_FOUND when the other has not asked. */
  private Future<FriendChange.Result> accept(int me, int other) {
    return pool.withTransaction(conn -> conn.preparedQuery(SqlQueries.DELETE_FRIEND_REQUEST).execute(Tuple.of(other, me))
        .compose(rows -> rows.rowCount() == 0
            ? Replies.<FriendChange.Result>refuse(ErrorCode.NOT_FOUND, "no pending request from this user")
            : befriend(conn, me, other).map(v -> result(Outcome.NOTHING))));
  }

  /** NOT_FOUND when the other has not asked. */
  private Future<FriendChange.Result> decline(int me, int other) {
    return pool.preparedQuery(SqlQueries.DELETE_FRIEND_REQUEST).execute(Tuple.of(other, me))
        .compose(rows -> rows.rowCount() == 0
            ? Replies.refuse(ErrorCode.NOT_FOUND, "no pending request from this user")
            : Future.succeededFuture(result(Outcome.NOTHING)));
  }

  /** REMOVED only when they were friends (else there is nothing to tell the other side). */
  private Future<FriendChange.Result> remove(int me, int other) {
    return pool.preparedQuery(SqlQueries.DELETE_FRIENDS_BOTH).execute(Tuple.of(me, other, other, me))
        .map(rows -> result(rows.rowCount() > 0 ? Outcome.REMOVED : Outcome.NOTHING));
  }

  /** REMOVED when a friendship ended with the block. NOT_FOUND for an unknown user. */
  private Future<FriendChange.Result> block(int me, int other) {
    Tuple both = Tuple.of(me, other, other, me);
    return pool.withTransaction(conn -> conn.preparedQuery(SqlQueries.USER_NAME).execute(Tuple.of(other))
        .compose(rows -> rows.size() == 0
            ? Replies.<Void>refuse(ErrorCode.NOT_FOUND, "no such user")
            : conn.preparedQuery(SqlQueries.INSERT_BLOCK).execute(Tuple.of(me, other)).<Void>mapEmpty())
        .compose(v -> conn.preparedQuery(SqlQueries.DELETE_FRIEND_REQUESTS_BOTH).execute(both))
        .compose(v -> conn.preparedQuery(SqlQueries.DELETE_FRIENDS_BOTH).execute(both))
        .map(rows -> result(rows.rowCount() > 0 ? Outcome.REMOVED : Outcome.NOTHING)));
  }

  /** Each list in id order. */
  Future<FriendLists.Lists> lists(FriendLists req) {
    int me = req.user();
    return pool.preparedQuery(SqlQueries.SELECT_RELATIONS).execute(Tuple.of(me, me, me, me)).map(rows -> {
      Map<String, List<Person>> lists = new HashMap<>();
      for (String kind : List.of("friend", "incoming", "outgoing", "blocked")) {
        lists.put(kind, new ArrayList<>());
      }
      for (Row r : rows) {
        lists.get(r.getString("kind")).add(new Person(r.getInteger("id"), r.getString("name")));
      }
      return new FriendLists.Lists(lists.get("friend"), lists.get("incoming"), lists.get("outgoing"), lists.get("blocked"));
    });
  }

  /** Both friends rows, and no request left either way. */
  private static Future<Void> befriend(SqlConnection conn, int me, int other) {
    Tuple both = Tuple.of(me, other, other, me);
    return conn.preparedQuery(SqlQueries.DELETE_FRIEND_REQUESTS_BOTH).execute(both)
        .compose(v -> conn.preparedQuery(SqlQueries.INSERT_FRIENDS_BOTH).execute(both))
        .mapEmpty();
  }

  private static FriendChange.Result result(Outcome outcome) {
    return new FriendChange.Result(outcome);
  }

  /** EXISTS comes back as a number whose Java type depends on the server. */
  private static boolean truth(Row r, String column) {
    Object v = r.getValue(column);
    return v instanceof Number n ? n.longValue() != 0 : Boolean.TRUE.equals(v);
  }
}
