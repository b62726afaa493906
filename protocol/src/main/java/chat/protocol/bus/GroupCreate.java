package chat.protocol.bus;

import io.vertx.core.Future;

/** {@code user} creates a group and becomes its owner; chat checks name and description, the store the caps. */
public record GroupCreate(int user, String name, String desc)
    implements ChatRequest<GroupCreate.Created>, StoreRequest<GroupCreate.Created> {
  public record Created(int group) implements ChatReply, StoreReply {}

  @Override
  public Future<Created> handleWith(ChatHandler handler) {
    return handler.groupCreate(this);
  }

  @Override
  public Future<Created> handleWith(StoreHandler handler) {
    return handler.groupCreate(this);
  }
}
