package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * {@code user} has read the conversation {@code with} up to message id {@code upto}. The store
 * moves the cursor forward only, never past the conversation's last message; chat tells the other
 * side of a 1:1 conversation when it moved.
 */
public record ReadUpTo(int user, Peer with, long upto) implements ChatRequest<Done>, StoreRequest<ReadUpTo.Moved> {
  /** The cursor after the move, and whether it moved. */
  public record Moved(long upto, boolean moved) implements StoreReply {}

  @Override
  public Future<Done> handleWith(ChatHandler handler) {
    return handler.read(this);
  }

  @Override
  public Future<Moved> handleWith(StoreHandler handler) {
    return handler.read(this);
  }
}
