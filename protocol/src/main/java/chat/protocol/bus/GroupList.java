package chat.protocol.bus;

import chat.protocol.GroupRole;
import io.vertx.core.Future;
import java.util.List;

/** The groups {@code user} is in, with the user's role in each. */
public record GroupList(int user) implements StoreRequest<GroupList.Groups> {
  public record Summary(int id, String name, String desc, GroupRole role) {}

  public record Groups(List<Summary> groups) implements StoreReply {}

  @Override
  public Future<Groups> handleWith(StoreHandler handler) {
    return handler.groupList(this);
  }
}
