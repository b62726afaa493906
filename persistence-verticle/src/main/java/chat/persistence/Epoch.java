package chat.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * The store's epoch (V5 migration). Read on every request rather than cached: a database
 * restored under running nodes must show its own epoch at once, or clients would trust numbers
 * that no longer mean what they did. It is one primary-key read, run alongside the others.
 */
final class Epoch {
  private final Pool pool;

  Epoch(Pool pool) {
    this.pool = pool;
  }

  Future<String> read() {
    return pool.preparedQuery(SqlQueries.SELECT_EPOCH).execute().map(rows -> rows.iterator().next().getString(0));
  }
}
