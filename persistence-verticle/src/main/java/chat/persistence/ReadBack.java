package chat.persistence;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * Reads that must succeed for a stored batch to be reported stored (whether an unanswered commit
 * happened, which sequence numbers it gave): asked again while the database is away, until the
 * deadline, so that a message is never refused and stored as well.
 */
final class ReadBack {
  /** How often the store asks whether an unanswered commit happened, while the database is away. */
  private static final long COMMIT_CHECK_MS = 250;

  private final Pool pool;
  private final Timers timers;

  ReadBack(Pool pool, Timers timers) {
    this.pool = pool;
    this.timers = timers;
  }

  Future<RowSet<Row>> read(String sql, Tuple params, long deadline) {
    return pool.preparedQuery(sql).execute(params).recover(e -> timers.now() + COMMIT_CHECK_MS >= deadline
        ? Future.failedFuture(e)
        : delay(COMMIT_CHECK_MS).compose(v -> read(sql, params, deadline)));
  }

  /** Whether message {@code id} is stored (a batch is one transaction: its first message tells). */
  Future<Boolean> stored(long id, long deadline) {
    return read(SqlQueries.MESSAGE_EXISTS, Tuple.of(id), deadline).map(rows -> rows.iterator().next().getLong(0) > 0);
  }

  Future<Void> delay(long ms) {
    if (ms <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> later = Promise.promise();
    timers.setTimer(ms, later::complete);
    return later.future();
  }

  long now() {
    return timers.now();
  }
}
