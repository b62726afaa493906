package chat.client;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread running posted work in order, so that the state it touches needs no locks. At
 * most {@code capacity} tasks wait: a poster beyond that waits for room (the reader thread, and
 * through it the server, slows down) rather than a frame being dropped. Never post from the loop
 * itself: with the queue full it would wait for itself.
 */
final class Loop {
  static final int DEFAULT_CAPACITY = 10_000;

  private final ThreadPoolExecutor executor;

  Loop(String name, int capacity) {
    executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    }, (task, pool) -> {
      try {
        if (!pool.isShutdown()) {
          pool.getQueue().put(task);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** Runs {@code task} after what was posted before; after {@link #shutdown} it is dropped. */
  void post(Runnable task) {
    if (!executor.isShutdown()) {
      executor.execute(task);
    }
  }

  int waiting() {
    return executor.getQueue().size();
  }

  /** Runs what was posted so far (for up to {@code waitMs}), then stops. */
  void shutdown(long waitMs) {
    executor.shutdown();
    try {
      executor.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
