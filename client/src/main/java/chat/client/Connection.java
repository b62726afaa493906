package chat.client;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The classic client's connection: requests go out as JSON + NUL, as the classic client sent
 * them. Acks (login, register, errors) are queued for the shell; chat messages go to a listener
 * at once.
 */
final class Connection implements AutoCloseable {
  static final JsonObject CLOSED = new JsonObject().put("closed", true);

  private final BlockingQueue<JsonObject> acks = new LinkedBlockingQueue<>();
  private volatile Consumer<JsonObject> messages = m -> {};
  /** Set when this side closes (quit, Ctrl-C): the end is then not the server's doing. */
  private volatile boolean closing;
  private FrameLink link;

  private Connection() {}

  static Connection open(String host, int port) throws IOException {
    Connection c = new Connection();
    c.link = FrameLink.open(host, port, (byte) 0, c::onFrame, c::onClosed);
    return c;
  }

  /** Where chat messages (msgid 6 and 10) go as they arrive. */
  void onMessage(Consumer<JsonObject> listener) {
    this.messages = listener;
  }

  private void onFrame(JsonObject frame) {
    int msgid = frame.getValue("msgid") instanceof Number n ? n.intValue() : 0;
    if (msgid == 6 || msgid == 10) {
      messages.accept(frame);
    } else {
      acks.add(frame);
    }
  }

  private void onClosed() {
    acks.add(CLOSED);
    if (!closing) {
      messages.accept(CLOSED);
    }
  }

  void send(JsonObject frame) throws IOException {
    link.send(frame);
  }

  /** The next ack, or CLOSED when the connection ended or nothing came within the timeout. */
  JsonObject nextAck(long timeoutMs) throws InterruptedException {
    JsonObject ack = acks.poll(timeoutMs, TimeUnit.MILLISECONDS);
    return ack == null ? CLOSED : ack;
  }

  @Override
  public void close() {
    closing = true;
    link.close();
  }
}
