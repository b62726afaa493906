package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;

/** The user's friends, pending requests both ways and blocked users, each in id order. */
public record FriendLists(int user) implements StoreRequest<FriendLists.Lists> {
  public record Lists(List<Person> friends, List<Person> incoming, List<Person> outgoing, List<Person> blocked)
      implements StoreReply {}

  @Override
  public Future<Lists> handleWith(StoreHandler handler) {
    return handler.friendLists(this);
  }
}
