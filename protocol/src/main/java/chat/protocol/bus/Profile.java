package chat.protocol.bus;

import io.vertx.core.Future;

/** Looks a user up by name, so people can add friends by name: NOT_FOUND when nobody has it. */
public record Profile(String name) implements StoreRequest<Profile.Found> {
  public record Found(int id, String name) implements StoreReply {}

  @Override
  public Future<Found> handleWith(StoreHandler handler) {
    return handler.profile(this);
  }
}
