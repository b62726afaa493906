package chat.persistence;

import chat.protocol.ErrorCode;
import chat.protocol.Replies;
import chat.protocol.bus.Done;
import chat.protocol.bus.PasswordSet;
import chat.protocol.bus.TokenKey;
import chat.protocol.bus.TokenRow;
import chat.protocol.bus.TokenSweep;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** The revocation rows of resume tokens, the shared signing key, and password changes (which revoke). */
final class TokenRows {
  private final Pool pool;

  TokenRows(Pool pool) {
    this.pool = pool;
  }

  Future<TokenRow.Result> row(TokenRow req) {
    Tuple key = Tuple.of(req.tokenId(), req.user());
    return switch (req.kind()) {
      case ADD -> pool.preparedQuery(SqlQueries.INSERT_TOKEN).execute(Tuple.of(req.tokenId(), req.user(), req.expires()))
          .map(rows -> new TokenRow.Result(null));
      // a revoked or unknown token fails with BAD_CREDENTIALS
      case CHECK -> pool.preparedQuery(SqlQueries.SELECT_LIVE_TOKEN).execute(key)
          .compose(rows -> rows.size() == 0
              ? Replies.refuse(ErrorCode.BAD_CREDENTIALS, "token is invalid")
              : Future.succeededFuture(new TokenRow.Result(rows.iterator().next().getString("name"))));
      case REVOKE -> pool.preparedQuery(SqlQueries.REVOKE_TOKEN).execute(key).map(rows -> new TokenRow.Result(null));
    };
  }

  /** The new hash and the revocation of every token commit together. */
  Future<Done> setPassword(PasswordSet req) {
    int id = req.user();
    return pool.withTransaction(conn -> conn.preparedQuery(SqlQueries.UPDATE_PASSWORD)
            .execute(Tuple.of(req.hash(), id))
            .compose(rows -> rows.rowCount() == 0
                ? Replies.<Void>refuse(ErrorCode.NOT_FOUND, "no such user")
                : conn.preparedQuery(SqlQueries.REVOKE_USER_TOKENS).execute(Tuple.of(id)).<Void>mapEmpty()))
        .map(v -> Done.DONE);
  }

  Future<TokenSweep.Swept> sweep(TokenSweep req) {
    return pool.preparedQuery(SqlQueries.DELETE_EXPIRED_TOKENS)
        .execute(Tuple.of(req.now()))
        .map(rows -> new TokenSweep.Swept(rows.rowCount()));
  }

  /** The key every node signs with: the candidate if none was stored yet. */
  Future<TokenKey.Key> key(TokenKey req) {
    return pool.preparedQuery(SqlQueries.INSERT_TOKEN_KEY)
        .execute(Tuple.of(req.candidate()))
        .compose(v -> pool.preparedQuery(SqlQueries.SELECT_TOKEN_KEY).execute())
        .map(rows -> new TokenKey.Key(rows.iterator().next().getString("secret")));
  }
}
