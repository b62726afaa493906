package chat.logic;

import chat.protocol.bus.Store;
import chat.protocol.bus.StoreReply;
import chat.protocol.bus.StoreRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

/** Requests to the persistence verticle. Failures keep their stable codes (see Replies.codeOf). */
final class Db {
  private final EventBus bus;

  Db(EventBus bus) {
    this.bus = bus;
  }

  <R extends StoreReply> Future<R> ask(StoreRequest<R> request) {
    return Store.ask(bus, request);
  }
}
