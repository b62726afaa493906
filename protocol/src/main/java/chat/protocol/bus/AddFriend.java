package chat.protocol.bus;

import io.vertx.core.Future;

/** Classic addfriend: {@code user} lists {@code friend}, one way, as the classic server did. */
public record AddFriend(int user, int friend) implements ChatRequest<Done>, StoreRequest<Done> {
  @Override
  public Future<Done> handleWith(ChatHandler handler) {
    return handler.addFriend(this);
  }

  @Override
  public Future<Done> handleWith(StoreHandler handler) {
    return handler.addFriend(this);
  }
}
