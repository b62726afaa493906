package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;

/**
 * Who hears a user: as a presence watcher (they have the user in their friends rows; {@code with}
 * null), or typing in {@code with} (the other user, or the group's other members; NOT_FOUND for an
 * unknown one, FORBIDDEN when the other blocks the user or the user is no member). At most
 * {@code limit} users. {@code stranger}: typing to a user who has not added this one (the spam
 * limit on typing counts those); false for presence watchers and groups.
 */
public record Audience(int user, Peer with, int limit) implements StoreRequest<Audience.Users> {
  public record Users(List<Integer> ids, boolean stranger) implements StoreReply {}

  public static Audience watchers(int user, int limit) {
    return new Audience(user, null, limit);
  }

  @Override
  public Future<Users> handleWith(StoreHandler handler) {
    return handler.audience(this);
  }
}
