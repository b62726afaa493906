package chat.gateway;

import chat.protocol.Addresses;
import chat.protocol.bus.ChatReply;
import chat.protocol.bus.ChatRequest;
import chat.protocol.bus.Store;
import chat.protocol.bus.StoreReply;
import chat.protocol.bus.StoreRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/** A connection's requests on the event bus, each counted against its pending requests while in flight. */
final class Requests {
  private final EventBus bus;
  private final Connection conn;

  Requests(EventBus bus, Connection conn) {
    this.bus = bus;
    this.conn = conn;
  }

  /** A typed request to the store (a read). */
  <R extends StoreReply> Future<R> store(StoreRequest<R> request) {
    conn.beginRequest();
    return Store.ask(bus, request).andThen(ar -> conn.endRequest());
  }

  /** A typed request to chat (a write). */
  <R extends ChatReply> Future<R> chat(ChatRequest<R> request) {
    conn.beginRequest();
    return bus.<R>request(Addresses.CHAT, request).map(Message::body).andThen(ar -> conn.endRequest());
  }
}
