package chat.persistence;

import io.vertx.core.Vertx;

/** The clock and timers of the store, so that tests can run its time by hand. */
interface Timers {
  long now();

  long setTimer(long ms, Runnable action);

  void cancelTimer(long id);

  /** Runs {@code action} after what is already queued on this event loop. */
  void later(Runnable action);

  static Timers of(Vertx vertx) {
    return new Timers() {
      @Override
      public long now() {
        return System.currentTimeMillis();
      }

      @Override
      public long setTimer(long ms, Runnable action) {
        return vertx.setTimer(ms, t -> action.run());
      }

      @Override
      public void cancelTimer(long id) {
        vertx.cancelTimer(id);
      }

      @Override
      public void later(Runnable action) {
        vertx.runOnContext(v -> action.run());
      }
    };
  }
}
