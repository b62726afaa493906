package chat.protocol.bus;

import io.vertx.core.Future;

/** Whether the database answers a trivial query: the node's health check asks it. */
public record StorePing() implements StoreRequest<Done> {
  @Override
  public Future<Done> handleWith(StoreHandler handler) {
    return handler.ping(this);
  }
}
