package chat.logic;

import chat.protocol.Addresses;
import chat.protocol.bus.BusCodec;
import chat.protocol.bus.Push;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/** A push chat sent to gateway "gw1", with the login it names: what the tests look at. */
record Notice(String session, Push push) {
  /** Consumes gw1's pushes as a gateway would. */
  static void listen(Vertx vertx, Consumer<Notice> sink) {
    BusCodec.register(vertx);
    vertx.eventBus().<Push>consumer(Addresses.NOTIFY_PREFIX + "gw1",
        m -> sink.accept(new Notice(m.headers().get(Addresses.SESSION_HEADER), m.body())));
  }
}
