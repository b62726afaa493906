package chat.protocol.bus;

import io.vertx.core.Future;
import java.util.List;

/**
 * {@code user} leaves, dissolves, or acts on member {@code target} of {@code group} (kick,
 * promote, demote, transfer; target null otherwise). The store decides by the roles in one
 * transaction and says whom to tell what; chat pushes it.
 */
public record GroupAction(Kind kind, int user, int group, Integer target)
    implements ChatRequest<Done>, StoreRequest<GroupAction.Changes> {
  public enum Kind { LEAVE, KICK, PROMOTE, DEMOTE, TRANSFER, DISSOLVE }

  /** The members before the change minus the actor (who has the reply), and what happened, in order. */
  public record Changes(List<Integer> audience, List<GroupChange> events) implements StoreReply {}

  @Override
  public Future<Done> handleWith(ChatHandler handler) {
    return handler.groupAction(this);
  }

  @Override
  public Future<Changes> handleWith(StoreHandler handler) {
    return handler.groupAction(this);
  }
}
