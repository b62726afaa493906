package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * {@code user} (named {@code name}, for the push the other side gets) asks, accepts, declines,
 * removes, blocks or unblocks {@code other}. Chat refuses a user naming themself and forwards
 * the same record to the store, which decides in one transaction; chat then tells the other side.
 */
public record FriendChange(Kind kind, int user, String name, int other)
    implements ChatRequest<FriendChange.Result>, StoreRequest<FriendChange.Result> {
  public enum Kind { REQUEST, ACCEPT, DECLINE, REMOVE, BLOCK, UNBLOCK }

  /**
   * What the change did. A request: REQUESTED, ACCEPTED (the other had asked first) or FRIENDS
   * (already were); a removal or a block: REMOVED when it ended a friendship; else NOTHING.
   */
  public enum Outcome { REQUESTED, ACCEPTED, FRIENDS, REMOVED, NOTHING }

  public record Result(Outcome outcome) implements ChatReply, StoreReply {}

  @Override
  public Future<Result> handleWith(ChatHandler handler) {
    return handler.friendChange(this);
  }

  @Override
  public Future<Result> handleWith(StoreHandler handler) {
    return handler.friendChange(this);
  }
}
