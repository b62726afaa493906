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
 * Paging backwards through one conversation by message id: {user, with:{user:id}|{group:id},
 * before (optional message id), limit} -> {messages:[message...] newest first, more}. A group's
 * history is its members' only (FORBIDDEN otherwise); a 1:1 conversation is the messages between
 * the two, either way. Messages as {@link chat.protocol.ChatMessage#toJson}.
 */
final class History {
  static final int MAX_LIMIT = 100;
  static final int DEFAULT_LIMIT = 50;

  private final Pool pool;

  History(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> page(JsonObject req) {
    int user = req.getInteger("user");
    JsonObject with = req.getJsonObject("with");
    long before = req.getLong("before", Long.MAX_VALUE);
    int limit = req.getInteger("limit", DEFAULT_LIMIT);
    if (with == null || (with.getInteger("user") == null) == (with.getInteger("group") == null)) {
      return Replies.refuse(ErrorCode.BAD_FIELD, "with must name one user or one group");
    }
    if (limit < 1) {
      return Replies.refuse(ErrorCode.INVALID_VALUE, "limit must be >= 1");
    }
    int n = Math.min(limit, MAX_LIMIT);
    // one more than asked, to learn whether more follow; the check runs alongside the read and
    // nothing read leaves here unless it passes
    Integer other = with.getInteger("user");
    Future<ErrorCode> allowed;
    Future<RowSet<Row>> rows;
    if (other != null) {
      allowed = pool.preparedQuery(SqlQueries.USER_EXISTS).execute(Tuple.of(other))
          .map(r -> r.iterator().next().getLong(0) > 0 ? null : ErrorCode.NOT_FOUND);
      rows = pool.preparedQuery(SqlQueries.SELECT_DIRECT_HISTORY)
          .execute(Tuple.of(user, other, before, n + 1).addValue(other).addValue(user).addValue(before)
              .addValue(n + 1).addValue(n + 1));
    } else {
      int group = with.getInteger("group");
      allowed = pool.preparedQuery(SqlQueries.GROUP_MEMBERSHIP).execute(Tuple.of(group, group, user))
          .map(r -> {
            Row row = r.iterator().next();
            return row.getLong("found") == 0 ? ErrorCode.NOT_FOUND : row.getLong("member") == 0 ? ErrorCode.FORBIDDEN : null;
          });
      rows = pool.preparedQuery(SqlQueries.SELECT_GROUP_HISTORY).execute(Tuple.of(group, before, n + 1));
    }
    return Future.all(allowed, rows).compose(all -> allowed.result() != null
        ? Replies.refuse(allowed.result(), allowed.result() == ErrorCode.FORBIDDEN ? "not a member" : "no such conversation")
        : Future.succeededFuture(pageOf(rows.result(), n)));
  }

  private static JsonObject pageOf(RowSet<Row> rows, int n) {
    JsonArray messages = new JsonArray();
    for (Row r : rows) {
      if (messages.size() < n) {
        messages.add(LoginData.messageOf(r).toJson());
      }
    }
    return new JsonObject().put("messages", messages).put("more", rows.size() > n);
  }
}
