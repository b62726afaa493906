package chat.protocol.bus;

import io.vertx.core.Future;

/** Deletes a batch of rows of tokens expired before {@code now} (epoch ms): they verify as expired anyway. */
public record TokenSweep(long now) implements StoreRequest<TokenSweep.Swept> {
  public record Swept(int deleted) implements StoreReply {}

  @Override
  public Future<Swept> handleWith(StoreHandler handler) {
    return handler.tokenSweep(this);
  }
}
