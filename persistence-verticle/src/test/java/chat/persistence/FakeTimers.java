package chat.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Time that moves only when a test says so; {@link #later} work runs on {@link #runLater}. */
final class FakeTimers implements Timers {
  private record Timer(long due, Runnable action) {}

  private final TreeMap<Long, Timer> timers = new TreeMap<>();
  private final List<Runnable> queued = new ArrayList<>();
  private long now = 1_000_000;
  private long nextId;

  @Override
  public long now() {
    return now;
  }

  @Override
  public long setTimer(long ms, Runnable action) {
    timers.put(++nextId, new Timer(now + ms, action));
    return nextId;
  }

  @Override
  public void cancelTimer(long id) {
    timers.remove(id);
  }

  @Override
  public void later(Runnable action) {
    queued.add(action);
  }

  /** Runs what was handed to {@link #later}, as the event loop would once the current turn ends. */
  void runLater() {
    while (!queued.isEmpty()) {
      queued.remove(0).run();
    }
  }

  /** Moves the clock, firing each timer that falls due on the way, in order of due time. */
  void advance(long ms) {
    long until = now + ms;
    while (true) {
      Long next = timers.entrySet().stream().filter(e -> e.getValue().due() <= until)
          .min((a, b) -> Long.compare(a.getValue().due(), b.getValue().due())).map(e -> e.getKey()).orElse(null);
      if (next == null) {
        break;
      }
      Timer t = timers.remove(next);
      now = Math.max(now, t.due());
      t.action().run();
      runLater();
    }
    now = until;
  }

  int pending() {
    return timers.size();
  }
}
