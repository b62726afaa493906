package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * The login {@code session} of {@code user} ended (logout, a dropped connection, shutdown) with
 * everything up to {@code delivered} written to the client: the mark is saved before the account
 * is released, so the next login never sees a stale one.
 */
public record SessionEnded(int user, String session, long delivered) implements ChatRequest<Done> {
  @Override
  public Future<Done> handleWith(ChatHandler handler) {
    return handler.sessionEnded(this);
  }
}
