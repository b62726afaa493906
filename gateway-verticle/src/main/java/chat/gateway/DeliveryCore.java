package chat.gateway;

import chat.protocol.Delivery;
import io.vertx.core.Future;
import java.util.List;
import java.util.TreeMap;

/**
 * What reaches one login, in order, exactly once, without a socket: a plain class so that every
 * order of arrival can be tested without a node.
 *
 * <p>Every message to a user has a gap-free sequence number. The login snapshot carries the
 * first page of undelivered messages; further pages follow from the inbox; live deliveries that
 * arrive meanwhile are held, then written in order, skipping any already written. A live
 * delivery that skips a number has usually overtaken an earlier one on another path (a sender on
 * another node); it waits up to {@code gapWaitMs} for the missing ones, and only then is the gap
 * read from the inbox (the publish was lost). Backlog (inbox pages and held deliveries) is
 * written only as fast as the client reads; live deliveries are written at once. The watermark
 * ({@link #delivered()}) is the highest sequence number whose write completed.
 *
 * <p>Confined to one event loop, like the session that owns it.
 */
final class DeliveryCore {
  /** Out-of-order deliveries kept while waiting for a gap to fill; beyond this, read the inbox. */
  static final int MAX_EARLY = 256;

  /** One page of the inbox: deliveries in order, and whether more follow. */
  record Page(List<Delivery> deliveries, boolean more) {}

  /** What the core needs from its connection. */
  interface Port {
    /** Writes one delivery; {@code paced} writes are backlog, which never trip the outbound budget. */
    Future<Void> write(Delivery d, boolean paced);

    /** True while so much is unread that backlog must wait. */
    boolean backedUp();

    /** Runs {@code next} once the client has read most of what was written (at once if it has). */
    void whenDrained(Runnable next);

    /** The inbox after {@code seq}. */
    Future<Page> page(long after);

    /** An inbox page could not be read: the login cannot continue in order. */
    void pageFailed(Throwable cause);

    /** The watermark moved (it is saved soon). */
    void delivered(long seq);

    long setTimer(long ms, Runnable action);

    void cancelTimer(long id);
  }

  private final Port port;
  private final long gapWaitMs;
  private final long maxHeldBytes;

  private boolean started;
  private boolean stopped;
  /** Backlog is being written (inbox pages, then held deliveries): live ones are held meanwhile. */
  private boolean catchingUp;
  /** Deliveries were dropped, or a check asked for, during a catch-up: read the inbox once more. */
  private boolean inboxAgain;
  /** Live deliveries waiting behind backlog, by sequence number (duplicates collapse). */
  private TreeMap<Long, Delivery> held = new TreeMap<>();
  /** Where the inbox was last read to fill a gap in front of the held deliveries (-1: not yet). */
  private long gapReadAt = -1;
  private long heldBytes;
  private TreeMap<Long, Delivery> early;
  private long gapTimer = -1;
  /** The highest sequence number handed to the port (or carried by the login snapshot). */
  private long queued;
  private long delivered;

  DeliveryCore(Port port, long gapWaitMs, long maxHeldBytes) {
    this.port = port;
    this.gapWaitMs = gapWaitMs;
    this.maxHeldBytes = maxHeldBytes;
  }

  /**
   * The login snapshot, which carried everything up to {@code last}, was written; {@code snapshot}
   * completes when it was. What follows waits until the client has read most of it.
   */
  void start(long last, boolean more, Future<Void> snapshot) {
    started = true;
    queued = last;
    snapshot.onSuccess(v -> written(last));
    catchingUp = true;
    port.whenDrained(() -> {
      if (stopped) {
        return;
      }
      catchingUp = false;
      if (more || inboxAgain) {
        inboxAgain = false;
        catchUp();
      } else {
        releaseHeld();
      }
    });
  }

  /** A live delivery, in any order, possibly one already written. */
  void accept(Delivery d) {
    if (stopped) {
      return;
    }
    if (!started || catchingUp) {
      hold(d);
    } else {
      inOrder(d);
    }
  }

  /**
   * Reads the inbox after the last message queued and writes it; live deliveries are held
   * meanwhile. For offline messages beyond the first page, after a gap (a missed cross-node
   * publish), and when the node asks every session to check.
   */
  void catchUp() {
    if (stopped || !started) {
      return;
    }
    if (catchingUp) {
      inboxAgain = true; // what this was asked for may be past the pages already read
      return;
    }
    catchingUp = true;
    nextPage();
  }

  /** The login ended: nothing more is written, timers are cancelled. */
  void stop() {
    stopped = true;
    held = new TreeMap<>();
    heldBytes = 0;
    dropEarly();
    catchingUp = false;
  }

  long queued() {
    return queued;
  }

  long delivered() {
    return delivered;
  }

  private void nextPage() {
    port.page(queued).onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.failed()) {
        port.pageFailed(ar.cause());
        return;
      }
      for (Delivery d : ar.result().deliveries()) {
        if (d.seq() > queued) {
          writeDelivery(d, true);
        }
      }
      boolean more = ar.result().more() || inboxAgain;
      inboxAgain = false;
      // the next page waits for the socket to drain: any backlog reaches any reader, however slow
      port.whenDrained(() -> {
        if (stopped) {
          return;
        }
        if (more) {
          nextPage();
        } else {
          catchingUp = false;
          releaseHeld();
        }
      });
    });
  }

  /**
   * Writes the deliveries held during a catch-up, in order, waiting for the socket to drain as
   * inbox pages do; live ones keep queueing behind them meanwhile.
   */
  private void releaseHeld() {
    catchingUp = true;
    while (!held.isEmpty()) {
      if (stopped) {
        return;
      }
      Delivery d = held.firstEntry().getValue();
      if (d.seq() <= queued) {
        drop(d);
        continue;
      }
      if (d.seq() > queued + 1) {
        if (gapReadAt != queued) {
          gapReadAt = queued; // a gap in front of them: the inbox has it, since it stores first
          nextPage();
          return;
        }
        // the inbox did not have it either: never wait for a number that will not come
        queued = d.seq() - 1;
      }
      if (port.backedUp()) {
        port.whenDrained(this::releaseHeld);
        return;
      }
      drop(d);
      writeDelivery(d, true);
    }
    heldBytes = 0;
    catchingUp = false;
    if (inboxAgain) {
      inboxAgain = false;
      catchUp();
    }
  }

  private void drop(Delivery d) {
    held.remove(d.seq());
    heldBytes -= d.size();
  }

  /**
   * Held deliveries are bounded in bytes: past the bound they are dropped and read from the
   * inbox instead (they are stored, so nothing is lost).
   */
  private void hold(Delivery d) {
    if (held.containsKey(d.seq())) {
      return;
    }
    if (heldBytes + d.size() <= maxHeldBytes) {
      held.put(d.seq(), d);
      heldBytes += d.size();
    } else {
      inboxAgain = true;
    }
  }

  private void inOrder(Delivery d) {
    if (d.seq() <= queued) {
      return;
    }
    if (d.seq() == queued + 1) {
      writeDelivery(d, false);
      writeEarly();
      return;
    }
    if (early == null) {
      early = new TreeMap<>();
    }
    early.put(d.seq(), d);
    if (early.size() > MAX_EARLY) {
      gapExpired();
    } else if (gapTimer < 0) {
      gapTimer = port.setTimer(gapWaitMs, () -> {
        gapTimer = -1;
        gapExpired();
      });
    }
  }

  /** Writes the early deliveries that now follow on. */
  private void writeEarly() {
    if (early == null) {
      return;
    }
    while (!early.isEmpty() && early.firstKey() <= queued + 1) {
      Delivery next = early.pollFirstEntry().getValue();
      if (next.seq() == queued + 1) {
        writeDelivery(next, false);
      }
    }
    if (early.isEmpty()) {
      dropEarly();
    }
  }

  /** The missing deliveries did not come live: read them from the inbox, then the early ones follow. */
  private void gapExpired() {
    TreeMap<Long, Delivery> waiting = early;
    dropEarly();
    if (waiting == null || stopped) {
      return;
    }
    catchUp();
    waiting.values().forEach(this::hold);
  }

  private void dropEarly() {
    early = null;
    if (gapTimer >= 0) {
      port.cancelTimer(gapTimer);
      gapTimer = -1;
    }
  }

  private void writeDelivery(Delivery d, boolean paced) {
    queued = d.seq();
    port.write(d, paced).onSuccess(v -> written(d.seq()));
  }

  private void written(long seq) {
    if (seq > delivered) {
      delivered = seq;
      port.delivered(seq);
    }
  }
}
