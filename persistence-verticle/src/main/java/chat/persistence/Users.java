package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Accounts and their delivery watermark. */
final class Users {
  private final Pool pool;

  Users(Pool pool) {
    this.pool = pool;
  }

  /** {name, hash} -> {id}; a taken name fails with NAME_TAKEN. */
  Future<JsonObject> create(JsonObject req) {
    return pool.preparedQuery(SqlQueries.INSERT_USER)
        .execute(Tuple.of(req.getString("name"), req.getString("hash")))
        .map(rows -> new JsonObject().put("id", rows.property(MySQLClient.LAST_INSERTED_ID).intValue()))
        .recover(
            e ->
                e instanceof MySQLException m && m.getErrorCode() == SqlQueries.ER_DUP_ENTRY
                    ? Replies.refuse(ErrorCode.NAME_TAKEN, "name is taken")
                    : Future.failedFuture(e));
  }

  /** {id} -> {id, name, hash}; unknown ids fail with NOT_FOUND. */
  Future<JsonObject> get(JsonObject req) {
    return pool.preparedQuery(SqlQueries.SELECT_USER)
        .execute(Tuple.of(req.getInteger("id")))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Replies.refuse(ErrorCode.NOT_FOUND, "no such user");
              }
              Row r = rows.iterator().next();
              return Future.succeededFuture(
                  new JsonObject()
                      .put("id", r.getInteger("id"))
                      .put("name", r.getString("name"))
                      .put("hash", r.getString("password_hash")));
            });
  }

  /** {marks: [[userId, seq], ...]}: raises each watermark, never lowers it. */
  Future<JsonObject> markDelivered(JsonObject req) {
    // sorted by user, so concurrent upserts from several gateways lock rows in one order
    TreeMap<Integer, Long> marks = new TreeMap<>();
    for (Object o : req.getJsonArray("marks")) {
      JsonArray m = (JsonArray) o;
      marks.merge(m.getInteger(0), m.getLong(1), Math::max);
    }
    List<Tuple> rows = new ArrayList<>(marks.size());
    marks.forEach((user, seq) -> rows.add(Tuple.of(user, seq)));
    // one statement (one commit, one fsync) per 512 users: a repeated row raises nothing
    return MultiRow.executePadded(pool, rows, 512, SqlQueries::markDelivered).map(v -> new JsonObject());
  }

  /** {ids:[...]} -> {seqs:{"id": last_seq}}: lets gateways find sessions that are behind. */
  Future<JsonObject> lastSeqs(JsonObject req) {
    JsonArray ids = req.getJsonArray("ids");
    if (ids.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put("seqs", new JsonObject()));
    }
    return pool.preparedQuery(SqlQueries.selectLastSeqs(ids.size()))
        .execute(Tuple.from(ids.getList()))
        .map(rows -> {
          JsonObject seqs = new JsonObject();
          for (Row r : rows) {
            seqs.put(String.valueOf(r.getInteger("id")), r.getLong("last_seq"));
          }
          return new JsonObject().put("seqs", seqs);
        });
  }

  Future<JsonObject> ping(JsonObject ignored) {
    return pool.query(SqlQueries.PING).execute().map(rows -> new JsonObject());
  }
}
