package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Friend requests with consent, removal and blocks (docs/protocol.md section 5). Every request is
 * {userId, other}; the chat verticle has already refused a user naming themself. Changes that
 * touch several rows run in one transaction, so a block never leaves a friendship or a request
 * behind. Two requests that cross (each side asks before seeing the other's) both stay pending;
 * accepting either makes the friendship and clears both.
 */
final class Friendships {
  /** What a request did: the other side is told about "requested" and "accepted". */
  static final String REQUESTED = "requested";
  static final String ACCEPTED = "accepted";
  static final String ALREADY = "friends";

  private final Pool pool;

  Friendships(Pool pool) {
    this.pool = pool;
  }

  /** -> {outcome}; NOT_FOUND for an unknown user, FORBIDDEN when either side blocks the other. */
  Future<JsonObject> request(JsonObject req) {
    int me = req.getInteger("userId");
    int other = req.getInteger("other");
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
            return Future.succeededFuture(outcome(ALREADY));
          }
          if (truth(r, "incoming")) {
            return befriend(conn, me, other).map(v -> outcome(ACCEPTED));
          }
          return conn.preparedQuery(SqlQueries.INSERT_FRIEND_REQUEST).execute(Tuple.of(me, other))
              .map(v -> outcome(REQUESTED));
        }));
  }

  /** -> {}; NOT_FOUND when the other has not asked. */
  Future<JsonObject> accept(JsonObject req) {
    int me = req.getInteger("userId");
    int other = req.getInteger("other");
    return pool.withTransaction(conn -> conn.preparedQuery(SqlQueries.DELETE_FRIEND_REQUEST).execute(Tuple.of(other, me))
        .compose(rows -> rows.rowCount() == 0
            ? Replies.<JsonObject>refuse(ErrorCode.NOT_FOUND, "no pending request from this user")
            : befriend(conn, me, other).map(v -> new JsonObject())));
  }

  /** -> {}; NOT_FOUND when the other has not asked. */
  Future<JsonObject> decline(JsonObject req) {
    int me = req.getInteger("userId");
    int other = req.getInteger("other");
    return pool.preparedQuery(SqlQueries.DELETE_FRIEND_REQUEST).execute(Tuple.of(other, me))
        .compose(rows -> rows.rowCount() == 0
            ? Replies.refuse(ErrorCode.NOT_FOUND, "no pending request from this user")
            : Future.succeededFuture(new JsonObject()));
  }

  /** -> {removed}: false when they were not friends (nothing to tell the other side). */
  Future<JsonObject> remove(JsonObject req) {
    int me = req.getInteger("userId");
    int other = req.getInteger("other");
    return pool.preparedQuery(SqlQueries.DELETE_FRIENDS_BOTH).execute(Tuple.of(me, other, other, me))
        .map(rows -> new JsonObject().put("removed", rows.rowCount() > 0));
  }

  /** -> {removed}: whether a friendship ended with the block. NOT_FOUND for an unknown user. */
  Future<JsonObject> block(JsonObject req) {
    int me = req.getInteger("userId");
    int other = req.getInteger("other");
    Tuple both = Tuple.of(me, other, other, me);
    return pool.withTransaction(conn -> conn.preparedQuery(SqlQueries.USER_NAME).execute(Tuple.of(other))
        .compose(rows -> rows.size() == 0
            ? Replies.<Void>refuse(ErrorCode.NOT_FOUND, "no such user")
            : conn.preparedQuery(SqlQueries.INSERT_BLOCK).execute(Tuple.of(me, other)).<Void>mapEmpty())
        .compose(v -> conn.preparedQuery(SqlQueries.DELETE_FRIEND_REQUESTS_BOTH).execute(both))
        .compose(v -> conn.preparedQuery(SqlQueries.DELETE_FRIENDS_BOTH).execute(both))
        .map(rows -> new JsonObject().put("removed", rows.rowCount() > 0)));
  }

  /** -> {}; unblocking someone not blocked changes nothing. */
  Future<JsonObject> unblock(JsonObject req) {
    return pool.preparedQuery(SqlQueries.DELETE_BLOCK).execute(Tuple.of(req.getInteger("userId"), req.getInteger("other")))
        .map(rows -> new JsonObject());
  }

  /** {userId} -> {friends, incoming, outgoing, blocked}: each [{id, name}] in id order. */
  Future<JsonObject> list(JsonObject req) {
    int me = req.getInteger("userId");
    return pool.preparedQuery(SqlQueries.SELECT_RELATIONS).execute(Tuple.of(me, me, me, me)).map(rows -> {
      JsonObject lists = new JsonObject().put("friends", new JsonArray()).put("incoming", new JsonArray())
          .put("outgoing", new JsonArray()).put("blocked", new JsonArray());
      for (Row r : rows) {
        String kind = r.getString("kind");
        lists.getJsonArray(kind.equals("friend") ? "friends" : kind)
            .add(new JsonObject().put("id", r.getInteger("id")).put("name", r.getString("name")));
      }
      return lists;
    });
  }

  /** Both friends rows, and no request left either way. */
  private static Future<Void> befriend(SqlConnection conn, int me, int other) {
    Tuple both = Tuple.of(me, other, other, me);
    return conn.preparedQuery(SqlQueries.DELETE_FRIEND_REQUESTS_BOTH).execute(both)
        .compose(v -> conn.preparedQuery(SqlQueries.INSERT_FRIENDS_BOTH).execute(both))
        .mapEmpty();
  }

  private static JsonObject outcome(String outcome) {
    return new JsonObject().put("outcome", outcome);
  }

  /** EXISTS comes back as a number whose Java type depends on the server. */
  private static boolean truth(Row r, String column) {
    Object v = r.getValue(column);
    return v instanceof Number n ? n.longValue() != 0 : Boolean.TRUE.equals(v);
  }
}
