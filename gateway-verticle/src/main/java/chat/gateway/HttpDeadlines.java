package chat.gateway;

import java.util.HashMap;
import java.util.Map;

/**
 * The header timeout of the HTTP port: a connection must deliver a request's whole headers within
 * {@code timeoutMs} of connecting, and the next one within {@code timeoutMs} of the previous
 * response, or it is closed. The deadline is fixed when it is set, so a slowloris that drips a
 * byte at a time cannot stretch it (the idle timeout alone would restart at every byte); it is
 * also the keep-alive timeout. A request being answered has no deadline (its handler is bounded),
 * and a connection upgraded to a WebSocket none at all (the session's timeouts take over).
 *
 * <p>Confined to the server's event loop: each server instance has its own.
 */
final class HttpDeadlines {
  /** Timers on the event loop. */
  interface Timers {
    long set(long ms, Runnable action);

    void cancel(long id);
  }

  private static final class Entry {
    final Runnable close;
    long timer = -1;
    int inFlight;

    Entry(Runnable close) {
      this.close = close;
    }
  }

  private final long timeoutMs;
  private final Timers timers;
  private final Map<Object, Entry> connections = new HashMap<>();

  HttpDeadlines(long timeoutMs, Timers timers) {
    this.timeoutMs = timeoutMs;
    this.timers = timers;
  }

  /** A new connection: its first request is due; {@code close} ends it if not. */
  void opened(Object key, Runnable close) {
    Entry e = new Entry(close);
    connections.put(key, e);
    arm(key, e);
  }

  /** A request's headers arrived. */
  void requestBegan(Object key) {
    Entry e = connections.get(key);
    if (e != null) {
      e.inFlight++;
      disarm(e);
    }
  }

  /** Its response ended: the next request is due, unless another is still being answered. */
  void requestEnded(Object key) {
    Entry e = connections.get(key);
    if (e != null && --e.inFlight <= 0) {
      e.inFlight = 0;
      arm(key, e);
    }
  }

  /** The connection became a WebSocket, or closed: no deadline any more. */
  void forget(Object key) {
    Entry e = connections.remove(key);
    if (e != null) {
      disarm(e);
    }
  }

  int tracked() {
    return connections.size();
  }

  private void arm(Object key, Entry e) {
    disarm(e);
    e.timer = timers.set(timeoutMs, () -> {
      e.timer = -1;
      if (connections.remove(key) == e) {
        e.close.run();
      }
    });
  }

  private void disarm(Entry e) {
    if (e.timer >= 0) {
      timers.cancel(e.timer);
      e.timer = -1;
    }
  }
}
