package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** The revocation rows of resume tokens, the shared signing key, and password changes (which revoke). */
final class TokenRows {
  private final Pool pool;

  TokenRows(Pool pool) {
    this.pool = pool;
  }

  /** {tokenId, user, expires} -> {}. */
  Future<JsonObject> add(JsonObject req) {
    return pool.preparedQuery(SqlQueries.INSERT_TOKEN)
        .execute(Tuple.of(req.getString("tokenId"), req.getInteger("user"), req.getLong("expires")))
        .map(rows -> new JsonObject());
  }

  /** {tokenId, user} -> {name}; a revoked or unknown token fails with BAD_CREDENTIALS. */
  Future<JsonObject> check(JsonObject req) {
    return pool.preparedQuery(SqlQueries.SELECT_LIVE_TOKEN)
        .execute(Tuple.of(req.getString("tokenId"), req.getInteger("user")))
        .compose(rows -> rows.size() == 0
            ? Replies.refuse(ErrorCode.BAD_CREDENTIALS, "token is invalid")
            : Future.succeededFuture(new JsonObject().put("name", rows.iterator().next().getString("name"))));
  }

  /** {tokenId, user} -> {}. */
  Future<JsonObject> revoke(JsonObject req) {
    return pool.preparedQuery(SqlQueries.REVOKE_TOKEN)
        .execute(Tuple.of(req.getString("tokenId"), req.getInteger("user")))
        .map(rows -> new JsonObject());
  }

  /** {id, hash} -> {}: the new hash and the revocation of every token commit together. */
  Future<JsonObject> setPassword(JsonObject req) {
    int id = req.getInteger("id");
    return pool.withTransaction(conn -> conn.preparedQuery(SqlQueries.UPDATE_PASSWORD)
            .execute(Tuple.of(req.getString("hash"), id))
            .compose(rows -> rows.rowCount() == 0
                ? Replies.<Void>refuse(ErrorCode.NOT_FOUND, "no such user")
                : conn.preparedQuery(SqlQueries.REVOKE_USER_TOKENS).execute(Tuple.of(id)).<Void>mapEmpty()))
        .map(v -> new JsonObject());
  }

  /** {now} -> {deleted}. */
  Future<JsonObject> sweep(JsonObject req) {
    return pool.preparedQuery(SqlQueries.DELETE_EXPIRED_TOKENS)
        .execute(Tuple.of(req.getLong("now")))
        .map(rows -> new JsonObject().put("deleted", rows.rowCount()));
  }

  /** {candidate} -> {key}: the key every node signs with, the candidate if none was stored yet. */
  Future<JsonObject> key(JsonObject req) {
    return pool.preparedQuery(SqlQueries.INSERT_TOKEN_KEY)
        .execute(Tuple.of(req.getString("candidate")))
        .compose(v -> pool.preparedQuery(SqlQueries.SELECT_TOKEN_KEY).execute())
        .map(rows -> new JsonObject().put("key", rows.iterator().next().getString("secret")));
  }
}
