package chat.protocol.bus;

import chat.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/** Asks the persistence verticle, typed: the reply's type is the request's. */
public final class Store {
  private Store() {}

  public static <R extends StoreReply> Future<R> ask(EventBus bus, StoreRequest<R> request) {
    return bus.<R>request(Addresses.STORE, request).map(Message::body);
  }
}
