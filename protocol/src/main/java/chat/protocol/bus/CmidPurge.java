package chat.protocol.bus;

import io.vertx.core.Future;

/**
 * Runs one batch of forgetting client message ids older than the dedup window now, as the store's
 * own timer does: for operators and tests. {@code forgotten} is how many it forgot.
 */
public record CmidPurge() implements StoreRequest<CmidPurge.Purged> {
  public record Purged(int forgotten) implements StoreReply {}

  @Override
  public Future<Purged> handleWith(StoreHandler handler) {
    return handler.cmidPurge(this);
  }
}
