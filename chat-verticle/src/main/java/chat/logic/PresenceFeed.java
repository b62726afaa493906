package chat.logic;

import chat.protocol.bus.Audience;
import chat.protocol.bus.PresenceChange;

import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a user's watchers that the user came online or went offline (docs/protocol.md section
 * 5). Watchers are the users who have the user in their {@code friends} rows: exactly the
 * people whose friend list shows the user, which for v2 (both rows) is the friends, and for a
 * classic one-way add is the one who added. The list is read from the database at each push,
 * never cached, so a friendship that ended a moment ago is not told; it is capped at
 * {@code maxWatchers} so a user with a huge list cannot turn one login into an unbounded burst.
 * Pushes are at most once: the friend list and the login snapshot carry the truth.
 */
final class PresenceFeed implements PresenceCoalescer.Emitter {
  private static final Logger LOG = LoggerFactory.getLogger(PresenceFeed.class);
  static final int MAX_WATCHERS = 1000;

  private final Db db;
  private final Router router;
  private final int maxWatchers;

  PresenceFeed(Db db, Router router, int maxWatchers) {
    this.db = db;
    this.router = router;
    this.maxWatchers = maxWatchers;
  }

  /**
   * An "offline" is dropped when the user is online again somewhere: a client that reconnects
   * through the balancer to another node within the window would otherwise have that node's
   * "online" overtaken by this node's held "offline", and friends would keep the wrong state.
   */
  @Override
  public void emit(int user, boolean online) {
    Future<Boolean> wanted = online
        ? Future.succeededFuture(true)
        : router.online(List.of(user)).map(found -> !found.contains(user));
    wanted.onSuccess(send -> {
      if (send) {
        push(user, online);
      }
    });
  }

  private void push(int user, boolean online) {
    db.ask(Audience.watchers(user, maxWatchers))
        .onSuccess(r -> {
          if (!r.ids().isEmpty()) {
            router.notifyAll(r.ids(), new PresenceChange(user, online));
          }
        })
        // best effort: a lost push is corrected by the next friend list or login
        .onFailure(e -> LOG.debug("presence of user {} not pushed: {}", user, e.getMessage()));
  }
}
