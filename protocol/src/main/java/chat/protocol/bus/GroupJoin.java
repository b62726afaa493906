package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;

/** {@code user} joins {@code group} (classic addgroup or v2); joining twice keeps the first role. */
public record GroupJoin(int user, int group) implements ChatRequest<Done>, StoreRequest<GroupJoin.Joined> {
  /** Whether the user is new in the group, and then the other members to tell. */
  public record Joined(boolean joined, List<Integer> audience) implements StoreReply {}

  @Override
  public Future<Done> handleWith(ChatHandler handler) {
    return handler.groupJoin(this);
  }

  @Override
  public Future<Joined> handleWith(StoreHandler handler) {
    return handler.groupJoin(this);
  }
}
