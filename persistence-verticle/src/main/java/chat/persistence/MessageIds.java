package chat.persistence;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Message ids from blocks reserved in {@code id_blocks} (hi/lo), so a batch knows its ids before
 * its multi-row INSERT. Blocks are reserved outside the batch's transaction: a rolled-back batch
 * must not give its block back to another node. Ids are unique, not gap-free.
 */
final class MessageIds {
  private static final int BLOCK = 10_000;

  private final Pool pool;
  private long next;
  private long end;

  MessageIds(Pool pool) {
    this.pool = pool;
  }

  /** The first of {@code n} consecutive fresh ids. Called by one batch at a time. */
  Future<Long> take(int n) {
    if (end - next >= n) {
      long first = next;
      next += n;
      return Future.succeededFuture(first);
    }
    int size = Math.max(n, BLOCK);
    return pool.preparedQuery(SqlQueries.TAKE_MESSAGE_IDS).execute(Tuple.of(size)).map(rs -> {
      if (rs.rowCount() != 1) {
        throw new IllegalStateException("id_blocks has no 'messages' row");
      }
      end = rs.property(MySQLClient.LAST_INSERTED_ID);
      next = end - size + n;
      return end - size;
    });
  }
}
