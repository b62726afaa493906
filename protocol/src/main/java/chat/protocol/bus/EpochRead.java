package chat.protocol.bus;

import io.vertx.core.Future;

/** The store's random id, new when the database is new (its numbers restart then). */
public record EpochRead() implements StoreRequest<EpochRead.Epoch> {
  public record Epoch(String epoch) implements StoreReply {}

  @Override
  public Future<Epoch> handleWith(StoreHandler handler) {
    return handler.epoch(this);
  }
}
