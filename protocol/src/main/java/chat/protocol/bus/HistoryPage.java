package chat.protocol.bus;

import chat.protocol.ChatMessage;
import io.vertx.core.Future;
import java.util.List;

/**
 * One conversation, newest first, before message id {@code before} (null: from the newest),
 * at most {@code limit} (capped at 100). A group's history is its members' only.
 */
public record HistoryPage(int user, Peer with, Long before, int limit) implements StoreRequest<HistoryPage.Page> {
  public record Page(List<ChatMessage> messages, boolean more) implements StoreReply {}

  @Override
  public Future<Page> handleWith(StoreHandler handler) {
    return handler.history(this);
  }
}
