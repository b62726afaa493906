package chat.logic;

import java.util.HashMap;
import java.util.Map;

/**
 * At most one presence push per user per window. The first change after a quiet window goes out
 * at once (a login is shown without delay); changes inside the window are held, and when it
 * closes only the final state is sent, and only if it differs from what friends were last told.
 * So a login/logout/login flap costs friends one push, never three. State is kept only while a
 * window is open, so the map holds the users who changed in the last window, not everyone seen.
 * One event loop owns it; timers are injected so tests drive them with a fake clock.
 */
final class PresenceCoalescer {
  /** Runs a task after a delay; on Vert.x a one-shot timer on the owning event loop. */
  interface Scheduler {
    void schedule(long delayMs, Runnable task);
  }

  interface Emitter {
    void emit(int user, boolean online);
  }

  private static final class Window {
    boolean sent;
    Boolean pending;
  }

  private final long windowMs;
  private final int maxOpen;
  private final Scheduler scheduler;
  private final Emitter emitter;
  private final Map<Integer, Window> open = new HashMap<>();

  /** maxOpen: a reconnect storm opens a window (and a timer) per user; past this many they are pushed at once, uncoalesced. */
  PresenceCoalescer(long windowMs, int maxOpen, Scheduler scheduler, Emitter emitter) {
    this.windowMs = windowMs;
    this.maxOpen = maxOpen;
    this.scheduler = scheduler;
    this.emitter = emitter;
  }

  void changed(int user, boolean online) {
    Window w = open.get(user);
    if (w == null && open.size() >= maxOpen) {
      emitter.emit(user, online); // friends may see a flap, but memory and timers stay bounded
      return;
    }
    if (w == null) {
      w = new Window();
      open.put(user, w);
      send(user, w, online);
    } else {
      w.pending = online;
    }
  }

  private void send(int user, Window w, boolean online) {
    w.sent = online;
    w.pending = null;
    scheduler.schedule(windowMs, () -> close(user));
    emitter.emit(user, online);
  }

  private void close(int user) {
    Window w = open.get(user);
    if (w == null) {
      return;
    }
    if (w.pending != null && w.pending != w.sent) {
      send(user, w, w.pending);
    } else {
      open.remove(user);
    }
  }

  /** Users with an open window: for tests and the status endpoint. */
  int tracked() {
    return open.size();
  }
}
