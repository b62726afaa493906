package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** Friends and groups. Keys make double adds no-ops; foreign keys check the ids. */
final class Social {
  private final Pool pool;

  Social(Pool pool) {
    this.pool = pool;
  }

  /** {userId, friendId} -> {}; an unknown friend fails with NOT_FOUND. */
  Future<JsonObject> addFriend(JsonObject req) {
    return pool.preparedQuery(SqlQueries.INSERT_FRIEND)
        .execute(Tuple.of(req.getInteger("userId"), req.getInteger("friendId")))
        .<JsonObject>map(rows -> new JsonObject())
        .recover(Social::unknownId);
  }

  /** {userId, name, desc} -> {groupId}; the creator becomes its first member. */
  Future<JsonObject> createGroup(JsonObject req) {
    int userId = req.getInteger("userId");
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(SqlQueries.INSERT_GROUP)
                .execute(Tuple.of(req.getString("name"), req.getString("desc"), userId))
                .compose(
                    rows -> {
                      int groupId = rows.property(MySQLClient.LAST_INSERTED_ID).intValue();
                      return conn.preparedQuery(SqlQueries.INSERT_MEMBER)
                          .execute(Tuple.of(groupId, userId, "creator"))
                          .map(r -> new JsonObject().put("groupId", groupId));
                    }));
  }

  /** {userId, groupId} -> {}; joining twice keeps the first role. */
  Future<JsonObject> joinGroup(JsonObject req) {
    return pool.preparedQuery(SqlQueries.INSERT_MEMBER)
        .execute(Tuple.of(req.getInteger("groupId"), req.getInteger("userId"), "normal"))
        .<JsonObject>map(rows -> new JsonObject())
        .recover(Social::unknownId);
  }


  private static Future<JsonObject> unknownId(Throwable e) {
    return e instanceof MySQLException m && m.getErrorCode() == SqlQueries.ER_NO_REFERENCED_ROW
        ? Replies.refuse(ErrorCode.NOT_FOUND, "no such user or group")
        : Future.failedFuture(e);
  }
}
