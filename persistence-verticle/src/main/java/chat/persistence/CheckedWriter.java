package chat.persistence;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch with the Java rules ({@link CheckedRules}) in one transaction: any mix of 1:1 and
 * group messages and copies. It can be abandoned up to its COMMIT, and a broken connection
 * during the COMMIT is settled by reading back whether the batch was stored.
 */
final class CheckedWriter implements BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CheckedWriter.class);
  private static final int MAX_ATTEMPTS = 3;

  private final Pool pool;
  private final MessageIds ids;
  private final ReadBack readBack;
  private final CheckedRules rules;

  CheckedWriter(Pool pool, MessageIds ids, ReadBack readBack, InboxCap cap) {
    this.pool = pool;
    this.ids = ids;
    this.readBack = readBack;
    this.rules = new CheckedRules(cap);
  }

  @Override
  public Future<Void> write(Batch batch) {
    return firstId(batch).compose(firstId -> write(batch, firstId, 1));
  }

  /**
   * The batch's ids. They come first, on a connection of their own: once the transaction holds
   * row locks it must not wait for a pool connection that may be queued behind those very locks.
   */
  Future<Long> firstId(Batch batch) {
    // a batch that timed out while waiting for its ids never opens its transaction
    return ids.take(batch.size())
        .compose(firstId -> batch.abandoned ? Future.failedFuture(new IllegalStateException("abandoned")) : Future.succeededFuture(firstId));
  }

  /** Deadlocks and lock timeouts roll the whole transaction back, so running it again is safe. */
  Future<Void> write(Batch batch, long firstId, int attempt) {
    return pool.getConnection().compose(conn -> inTransaction(conn, batch, firstId).eventually(conn::close)).recover(e -> {
      if (batch.committing && !(e instanceof MySQLException)) {
        // the connection broke while the COMMIT was on its way: it may have happened
        return committedAnyway(batch);
      }
      batch.committing = false;
      // ER_DUP_ENTRY: another node stored one of our (from, cmid) after our snapshot; the retry's
      // lookup sees it and answers that request as a duplicate
      boolean transientError = e instanceof MySQLException m
          && (m.getErrorCode() == SqlQueries.ER_LOCK_DEADLOCK || m.getErrorCode() == SqlQueries.ER_LOCK_WAIT_TIMEOUT
              || m.getErrorCode() == SqlQueries.ER_DUP_ENTRY);
      if (transientError && attempt < MAX_ATTEMPTS && !batch.abandoned) {
        LOG.debug("batch of {} rolled back ({}); attempt {}", batch.size(), e.getMessage(), attempt + 1);
        return write(batch, firstId, attempt + 1);
      }
      return Future.failedFuture(e);
    });
  }

  /**
   * The batch in one transaction. BEGIN is not awaited: the first reads follow it in the same
   * write (the connection pipelines), and the writes go only once BEGIN has succeeded, so that
   * nothing is ever written outside the transaction.
   */
  private Future<Void> inTransaction(SqlConnection conn, Batch batch, long firstId) {
    Future<Transaction> begun = conn.begin();
    Future<Void> work = rules.store(conn, batch.entries, batch.groups, firstId, begun);
    return begun.compose(tx -> work.compose(v -> {
      if (batch.abandoned) {
        return tx.rollback().transform(ar -> Future.<Void>failedFuture(new IllegalStateException("abandoned after a timeout: rolled back")));
      }
      batch.committing = true;
      return tx.commit();
    }, e -> tx.rollback().transform(ar -> Future.<Void>failedFuture(e))), e -> work.transform(ar -> Future.<Void>failedFuture(e)));
  }

  /**
   * Whether a batch whose COMMIT got no answer was stored: its first message is there or not (a
   * batch is one transaction). Asked until the database answers, up to the batch's deadline, so
   * that a message is never refused and stored as well.
   */
  private Future<Void> committedAnyway(Batch batch) {
    Long firstMessage = batch.entries.stream().filter(p -> p.refusal == null && p.result != null)
        .map(p -> p.result.messageId()).findFirst().orElse(null);
    if (firstMessage == null) {
      return Future.failedFuture(new IllegalStateException("nothing to commit"));
    }
    return readBack.stored(firstMessage, batch.lateDeadline()).transform(ar -> {
      if (ar.failed()) {
        LOG.warn("could not learn whether a commit happened: its outcome stays unknown");
        return Future.failedFuture(ar.cause());
      }
      if (!ar.result()) {
        return Future.failedFuture(new IllegalStateException("the commit did not happen"));
      }
      LOG.info("a commit that got no answer was stored after all");
      return Future.succeededFuture();
    });
  }
}
