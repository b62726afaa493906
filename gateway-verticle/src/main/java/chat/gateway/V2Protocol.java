package chat.gateway;

import chat.protocol.Delivery;
import chat.protocol.ErrorCode;
import chat.protocol.V2Frames;
import chat.protocol.bus.Push;
import io.vertx.core.json.JsonObject;

/**
 * Protocol v2 (docs/protocol.md): requests with ids, each answered once by {@link V2Handlers};
 * pushes for deliveries and notices; the client acknowledges what it processed.
 */
final class V2Protocol implements Protocol {
  private final Session s;

  V2Protocol(Session s) {
    this.s = s;
  }

  @Override
  public void handle(JsonObject frame) {
    V2Handlers.handle(s, frame);
  }

  @Override
  public String error(ErrorCode code, String text) {
    return V2Frames.error(null, code, text).encode();
  }

  /** A message under {@code seq} on its way to the client: its ack owes the sender a receipt. */
  @Override
  public String render(Delivery d) {
    s.delivery().sent(d.seq(), d.message());
    return V2Frames.msg(d.seq(), d.message());
  }

  @Override
  public void notice(Push event) {
    if (s.online()) {
      s.write(event.render(V2Pushes.INSTANCE).encode());
    }
  }

  @Override
  public boolean acknowledges() {
    return true;
  }
}
