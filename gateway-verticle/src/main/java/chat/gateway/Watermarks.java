package chat.gateway;

import chat.protocol.bus.MarkDelivered;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery watermarks of a gateway's connections that moved and are not saved yet (the dirty
 * set), and their saving. A watermark is saved as soon as it moves, one save in flight at a time
 * and at most one every {@link #MIN_SAVE_GAP_MS}: what a connection was sent is on record within a
 * few milliseconds, so a crash re-sends only that much, while under load each save carries every
 * connection that moved meanwhile instead of the database committing thousands of tiny saves a
 * second. A failed save is retried with the next one (the periodic one at the latest), not at
 * once: no hot retry loop against a database that is down.
 *
 * <p>Confined to the gateway's event loop.
 */
final class Watermarks {
  private static final Logger LOG = LoggerFactory.getLogger(Watermarks.class);
  static final long MIN_SAVE_GAP_MS = 10;

  /** A connection whose watermark can move. */
  interface Source {
    /** Its mark if the watermark moved since the last one handed over, else null. */
    MarkDelivered.Mark takeMark();

    /** The last mark handed over was not saved: the next take hands it over again. */
    void unreport();
  }

  /** Where marks are saved. */
  interface Store {
    Future<?> save(List<MarkDelivered.Mark> marks);
  }

  /** Timers on the gateway's event loop; a delay of 0 runs after the callbacks now running. */
  interface Timers {
    void after(long ms, Runnable action);
  }

  private final Set<Source> dirty = new HashSet<>();
  private final Store store;
  private final Timers timers;
  private final LongSupplier clockMs;
  /** Whether a source still belongs to the gateway: one that left is not retried. */
  private final Predicate<Source> alive;
  /** A save is scheduled or in flight. */
  private boolean flushing;
  private long lastSave;

  Watermarks(Store store, Timers timers, LongSupplier clockMs, Predicate<Source> alive) {
    this.store = store;
    this.timers = timers;
    this.clockMs = clockMs;
    this.alive = alive;
  }

  /** The source's watermark moved: it is saved soon. */
  void moved(Source s) {
    if (dirty.add(s) && dirty.size() == 1) {
      flushSoon();
    }
  }

  /** The source left the gateway: nothing more of it is saved. */
  void forget(Source s) {
    dirty.remove(s);
  }

  boolean hasDirty() {
    return !dirty.isEmpty();
  }

  /** Saves now the marks of every source whose watermark moved (the periodic save, and the last one at stop). */
  Future<?> flush() {
    List<MarkDelivered.Mark> marks = new ArrayList<>();
    List<Source> from = new ArrayList<>();
    for (Source s : dirty) {
      MarkDelivered.Mark mark = s.takeMark();
      if (mark != null) {
        marks.add(mark);
        from.add(s);
      }
    }
    dirty.clear();
    if (marks.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.save(marks).onFailure(e -> {
      LOG.warn("saving {} delivery marks failed; retrying with the periodic save", marks.size(), e);
      for (Source s : from) {
        s.unreport();
        if (alive.test(s)) {
          dirty.add(s);
        }
      }
    });
  }

  private void flushSoon() {
    if (!flushing) {
      flushing = true;
      long wait = lastSave + MIN_SAVE_GAP_MS - clockMs.getAsLong();
      timers.after(Math.max(0, wait), this::saveNow);
    }
  }

  private void saveNow() {
    lastSave = clockMs.getAsLong();
    flush().onComplete(ar -> {
      flushing = false;
      if (ar.succeeded() && hasDirty()) {
        flushSoon();
      }
    });
  }
}
