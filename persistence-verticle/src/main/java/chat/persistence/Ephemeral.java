package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * The lookups behind presence and typing pushes (Addresses.DB_PRESENCE_WATCHERS,
 * DB_TYPING_AUDIENCE). Read only, no transaction, no lock: the pushes are best effort, so a
 * friendship or membership that changes during a lookup may be seen either way.
 */
final class Ephemeral {
  private final Pool pool;

  Ephemeral(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> watchers(JsonObject req) {
    return pool.preparedQuery(SqlQueries.PRESENCE_WATCHERS).execute(Tuple.of(req.getInteger("user"), req.getInteger("limit")))
        .map(Ephemeral::users);
  }

  Future<JsonObject> typingAudience(JsonObject req) {
    int me = req.getInteger("user");
    int limit = req.getInteger("limit");
    JsonObject with = req.getJsonObject("with");
    Integer other = with.getInteger("user");
    if (other != null) {
      return pool.preparedQuery(SqlQueries.TYPING_PEER).execute(Tuple.of(other, other, me)).compose(rows -> {
        Row r = rows.iterator().next();
        if (!truth(r, "found")) {
          return Replies.refuse(ErrorCode.NOT_FOUND, "no such user");
        }
        if (truth(r, "blocked")) {
          return Replies.refuse(ErrorCode.FORBIDDEN, "blocked");
        }
        return Future.succeededFuture(new JsonObject().put("users", new JsonArray().add(other)));
      });
    }
    int group = with.getInteger("group");
    return pool.preparedQuery(SqlQueries.GROUP_MEMBERSHIP).execute(Tuple.of(group, group, me)).compose(rows -> {
      Row r = rows.iterator().next();
      if (!truth(r, "found")) {
        return Replies.refuse(ErrorCode.NOT_FOUND, "no such group");
      }
      if (!truth(r, "member")) {
        return Replies.refuse(ErrorCode.FORBIDDEN, "not a member of the group");
      }
      return pool.preparedQuery(SqlQueries.OTHER_MEMBERS).execute(Tuple.of(group, me, limit)).map(Ephemeral::users);
    });
  }

  private static JsonObject users(RowSet<Row> rows) {
    JsonArray ids = new JsonArray();
    rows.forEach(r -> ids.add(r.getInteger(0)));
    return new JsonObject().put("users", ids);
  }

  /** EXISTS comes back as a number whose Java type depends on the server. */
  private static boolean truth(Row r, String column) {
    Object v = r.getValue(column);
    return v instanceof Number n ? n.longValue() != 0 : Boolean.TRUE.equals(v);
  }
}
