package chat.persistence;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch of 1:1 messages that need no copy check within the batch goes in one round trip
 * (store_direct, sql/V13 and V14); the procedure writes nothing when some message might have to
 * be refused, or on any error, and the batch then takes the checked path with the same ids.
 * Any other batch goes to the checked writer directly.
 */
final class DirectWriter implements BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DirectWriter.class);
  /** A store_direct call must end this long before its batch would time out... */
  private static final long DIRECT_MARGIN_MS = 300;
  /** ...and is not made with less time than this left. */
  private static final long DIRECT_MIN_MS = 500;

  private final Pool pool;
  private final CheckedWriter checked;
  private final ReadBack readBack;
  private final long lowestCap;
  private final long timeoutMs;
  /**
   * How long store_direct may wait for a row lock, in seconds: below the request timeout, so a
   * call either answers before its batch times out or fails and rolls back. 0: calls are not used
   * (a timeout too short to leave room for a one-second wait).
   */
  private final int lockWaitS;
  /** The batch whose store_direct call is sent and has not answered: the server may be running it. */
  private Batch inFlight;

  DirectWriter(Pool pool, CheckedWriter checked, ReadBack readBack, long lowestCap, long timeoutMs) {
    this.pool = pool;
    this.checked = checked;
    this.readBack = readBack;
    this.lowestCap = lowestCap;
    this.timeoutMs = timeoutMs;
    int wait = (int) Math.max(1, timeoutMs / 2000);
    this.lockWaitS = wait * 1000L < timeoutMs ? wait : 0;
  }

  @Override
  public Future<Void> write(Batch batch) {
    return checked.firstId(batch).compose(firstId -> write(batch, firstId));
  }

  /**
   * A call past its batch's timeout (only a database that stopped answering makes one: calls are
   * bounded below it), unanswered: until it answers, batches take the checked path, which can
   * still be abandoned before its COMMIT, so at most this one call can commit after its messages
   * were answered "outcome unknown" (as one checked COMMIT can).
   */
  private boolean lateCallPending() {
    return inFlight != null && inFlight.detached;
  }

  private Future<Void> write(Batch batch, long firstId) {
    DirectBatch direct = lockWaitS == 0 || lateCallPending() ? null : direct(batch.entries);
    if (direct == null) {
      return checked.write(batch, firstId, 1);
    }
    Tuple params = Tuple.of(firstId, direct.batchJson(), direct.recipientsJson(), lowestCap, lockWaitS);
    return pool.getConnection().transform(got -> {
      if (got.failed()) { // nothing was sent: the checked path fails the same way, or finds the database back
        return checked.write(batch, firstId, 1);
      }
      SqlConnection conn = got.result();
      if (batch.abandoned) { // timed out while waiting for the connection: its requests were failed
        return conn.close().transform(v -> Future.<Void>failedFuture(new IllegalStateException("abandoned")));
      }
      // a call in flight cannot be abandoned as a checked batch can before its COMMIT, so the
      // server ends it (max_statement_time) before the batch would time out
      long now = readBack.now();
      long left = Math.min(timeoutMs - (now - batch.startedAt), batch.deadline() - now); // when the batch's timer fires
      long limitMs = (left - DIRECT_MARGIN_MS) / 100 * 100;
      if (limitMs < DIRECT_MIN_MS) {
        return conn.close().transform(v -> checked.write(batch, firstId, 1));
      }
      batch.committing = true; // the procedure commits: from here only the database knows the outcome
      inFlight = batch;
      long endsBy = now + limitMs;
      return conn.preparedQuery(SqlQueries.storeDirect(limitMs)).execute(params).eventually(conn::close)
          .transform(ar -> {
            if (inFlight == batch) {
              inFlight = null;
            }
            return answered(batch, direct, firstId, endsBy, ar);
          });
    });
  }

  private Future<Void> answered(Batch batch, DirectBatch direct, long firstId, long endsBy, AsyncResult<RowSet<Row>> ar) {
    if (ar.succeeded()) {
      Map<Integer, Long> before = new HashMap<>();
      ar.result().forEach(r -> before.put(r.getInteger(0), r.getLong(1)));
      setResults(batch.entries, direct, firstId, before);
      return Future.succeededFuture();
    }
    if (!(ar.cause() instanceof MySQLException)) {
      // the connection broke: the server may still be running the call, until its time limit
      return outcome(batch, direct, firstId, endsBy + DIRECT_MARGIN_MS);
    }
    if (((MySQLException) ar.cause()).getErrorCode() == SqlQueries.ER_NEEDS_CHECKED_PATH) {
      return checkedAfterDirect(batch, firstId, ar.cause()); // refused before writing anything
    }
    // it rolled back, unless it was interrupted (its time limit) after its COMMIT; it has ended,
    // so what is stored now is its outcome
    LOG.debug("direct batch of {} failed ({}); asking whether it was stored", batch.size(), ar.cause().getMessage());
    return outcome(batch, direct, firstId, 0);
  }

  private Future<Void> checkedAfterDirect(Batch batch, long firstId, Throwable cause) {
    batch.committing = false;
    if (batch.detached) { // later batches went ahead: this one may no longer be numbered after them
      return Future.failedFuture(cause);
    }
    return checked.write(batch, firstId, 1);
  }

  /** The batch as store_direct takes it, or null when it holds a group message or a copy, or too much text. */
  private static DirectBatch direct(List<Pending> batch) {
    List<DirectBatch.Message> messages = new ArrayList<>(batch.size());
    long chars = 0;
    for (Pending p : batch) {
      if (p.group() != null || p.sameAs != null || p.to() == null) {
        return null;
      }
      Submission r = p.request;
      chars += r.text() == null ? 0 : r.text().length();
      messages.add(new DirectBatch.Message(r.from(), r.to(), r.text(), r.time(), r.cmid()));
    }
    return DirectBatch.fits(chars) ? new DirectBatch(messages) : null;
  }

  private static void setResults(List<Pending> batch, DirectBatch direct, long firstId, Map<Integer, Long> before) {
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      p.recipients.clear();
      p.recipients.add(p.to());
      p.refusal = null;
      p.stored = null;
      List<StoreOutcome.Delivery> deliveries = List.of(new StoreOutcome.Delivery(p.to(), direct.seq(i, before)));
      p.result = new StoreOutcome.Stored(firstId + i, p.request.time(), false, deliveries);
    }
  }

  /**
   * A call that failed other than by refusing: from {@code askAt} (once the server has surely
   * ended it) whether its first message is stored tells its outcome. If it is, the sequence
   * numbers it gave are read back; if not, the batch takes the checked path. A database that
   * does not tell before the deadline fails the batch, outcome unknown.
   */
  private Future<Void> outcome(Batch batch, DirectBatch direct, long firstId, long askAt) {
    long deadline = batch.lateDeadline();
    return readBack.delay(askAt - readBack.now())
        .compose(v -> readBack.stored(firstId, deadline))
        .compose(stored -> stored
            ? readDeliveries(batch, direct, firstId, deadline)
            : checkedAfterDirect(batch, firstId, new IllegalStateException("store_direct did not store")));
  }

  private Future<Void> readDeliveries(Batch batch, DirectBatch direct, long firstId, long deadline) {
    List<Integer> users = direct.recipients();
    int size = SqlQueries.ceilPow2(users.size());
    Tuple params = Tuple.of(firstId, firstId + batch.size() - 1);
    for (int i = 0; i < size; i++) {
      params.addValue(users.get(Math.min(i, users.size() - 1))); // padding repeats the last id harmlessly
    }
    return readBack.read(SqlQueries.inboxOfMessages(size), params, deadline)
        .map(rows -> {
          Map<Integer, Long> before = new HashMap<>();
          for (Row r : rows) {
            before.put(r.getInteger(0), r.getLong(1) - direct.k((int) (r.getLong(2) - firstId)));
          }
          setResults(batch.entries, direct, firstId, before);
          return null;
        });
  }
}
