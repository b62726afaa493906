package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;

/** The user's conversations with messages, most recent first, bounded. */
public record ConversationList(int user) implements StoreRequest<ConversationList.Result> {
  public record Result(List<Conversation> conversations) implements StoreReply {}

  @Override
  public Future<Result> handleWith(StoreHandler handler) {
    return handler.conversations(this);
  }
}
