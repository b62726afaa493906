package chat.protocol.bus;

import chat.protocol.Delivery;
import io.vertx.core.Future;
import java.util.List;

/**
 * The user's inbox after {@code after}, in order: classic offline pages and v2 sync. A page stops
 * at {@code limit} messages (at most 500) and at about the configured page size in bytes.
 */
public record InboxPage(int user, long after, int limit) implements StoreRequest<InboxPage.Page> {
  /** {@code last} is the seq of the page's last message, or {@code after} for an empty page. */
  public record Page(List<Delivery> messages, long last, boolean more, String epoch) implements StoreReply {}

  @Override
  public Future<Page> handleWith(StoreHandler handler) {
    return handler.inboxPage(this);
  }
}
