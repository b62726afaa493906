package chat.gateway;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stopping gateway's clients (SIGTERM): v2 clients are told to reconnect elsewhere and leave by
 * themselves within {@code drainMs}; classic clients, which have no such frame, and v2 clients
 * still here at the deadline are signed off after their last write. Each login's end reports its
 * delivery mark, so a client that logs in on another node resumes exactly after it.
 */
final class Drain {
  private Drain() {}

  static Future<Void> run(List<Session> sessions, long drainMs) {
    List<Future<Void>> ends = new ArrayList<>(sessions.size());
    for (Session s : sessions) {
      ends.add(s.askedToReconnect()
          ? s.gone().timeout(Math.max(1, drainMs), TimeUnit.MILLISECONDS).recover(e -> s.shutdown())
          : s.shutdown());
    }
    return Future.join(ends).mapEmpty();
  }
}
