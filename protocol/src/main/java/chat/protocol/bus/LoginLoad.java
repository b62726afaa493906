package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;

/**
 * What a user sees at login: friends, pending requests, groups with members, the first inbox page
 * after the delivered watermark (at most {@code limit} messages) and, when asked (v2 only,
 * classic has nowhere to show them), the conversations with their unread counts.
 */
public record LoginLoad(int user, int limit, boolean conversations) implements StoreRequest<LoginLoad.Data> {
  public record Data(List<Friend> friends, List<Person> incoming, List<Person> outgoing, List<GroupView> groups,
      InboxPage.Page offline, List<Conversation> conversations) implements StoreReply {}

  @Override
  public Future<Data> handleWith(StoreHandler handler) {
    return handler.loginLoad(this);
  }
}
