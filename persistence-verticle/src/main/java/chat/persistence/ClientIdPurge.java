package chat.persistence;

import chat.protocol.bus.CmidPurge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets client message ids older than the dedup window (docs/protocol.md section 3), so the
 * unique key holds a window of traffic, not all of it. One statement of at most {@code batch}
 * rows at a time, so it never holds many row locks against the message store; a full batch means
 * more are due and the next run follows shortly, otherwise it waits {@code periodMs}. Every node
 * runs it; on one shared database they only take turns on the oldest rows.
 */
final class ClientIdPurge {
  private static final Logger LOG = LoggerFactory.getLogger(ClientIdPurge.class);
  /** Pause between full batches: other statements get the rows and the disk in between. */
  static final long CATCH_UP_MS = 50;
  /** created_at is stored in whole seconds (floored): one more second keeps every cmid the full window. */
  private static final long STORED_PRECISION_MS = 1000;

  private final Vertx vertx;
  private final Pool pool;
  private final long windowMs;
  private final int batch;
  private final long periodMs;
  private long timer = -1;
  private boolean stopped;

  ClientIdPurge(Vertx vertx, Pool pool, long windowMs, int batch, long periodMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.windowMs = windowMs;
    this.batch = batch;
    this.periodMs = periodMs;
  }

  void start() {
    schedule(periodMs);
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  private void schedule(long delayMs) {
    if (!stopped) {
      timer = vertx.setTimer(delayMs, id -> run().onComplete(ar -> {
        if (ar.failed()) {
          LOG.warn("forgetting expired cmids failed: {}", ar.cause().getMessage());
        }
        schedule(ar.succeeded() && ar.result().forgotten() == batch ? CATCH_UP_MS : periodMs);
      }));
    }
  }

  /** One batch now: how many it forgot. */
  Future<CmidPurge.Purged> run() {
    LocalDateTime cutoff = LocalDateTime.now().minus(windowMs + STORED_PRECISION_MS, ChronoUnit.MILLIS);
    return pool.preparedQuery(SqlQueries.FORGET_CLIENT_IDS)
        .execute(Tuple.of(cutoff, batch))
        .map(rows -> new CmidPurge.Purged(rows.rowCount()));
  }
}
