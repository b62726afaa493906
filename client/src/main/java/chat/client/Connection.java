package chat.client;

import chat.protocol.FrameParser;
import chat.protocol.Frames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One TCP connection to the server. Requests go out as JSON + NUL, as the classic client sent
 * them; a reader thread splits the replies with the same bounded parser the server uses. Acks
 * (login, register, errors) are queued for the shell; chat messages go to a listener at once.
 */
final class Connection implements AutoCloseable {
  static final JsonObject CLOSED = new JsonObject().put("closed", true);
  private static final int MAX_FRAME = 16 * 1024 * 1024;

  private final Socket socket;
  private final OutputStream out;
  private final BlockingQueue<JsonObject> acks = new LinkedBlockingQueue<>();
  private volatile Consumer<JsonObject> messages = m -> {};
  /** Set when this side closes (quit, Ctrl-C): the end is then not the server's doing. */
  private volatile boolean closing;

  private Connection(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  static Connection open(String host, int port) throws IOException {
    Socket socket = new Socket(host, port);
    socket.setTcpNoDelay(true);
    Connection c = new Connection(socket);
    Thread reader = new Thread(c::read, "chat-reader");
    reader.setDaemon(true);
    reader.start();
    return c;
  }

  /** Where chat messages (msgid 6 and 10) go as they arrive. */
  void onMessage(Consumer<JsonObject> listener) {
    this.messages = listener;
  }

  private void read() {
    FrameParser parser = new FrameParser(MAX_FRAME, 64, this::onFrame, e -> acks.add(CLOSED));
    byte[] buf = new byte[8192];
    try (InputStream in = socket.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        parser.handle(Buffer.buffer().appendBytes(buf, 0, n));
      }
    } catch (IOException ignored) {
      // the server closed the connection, or we did
    } finally {
      acks.add(CLOSED);
      if (!closing) {
        messages.accept(CLOSED);
      }
    }
  }

  private void onFrame(Buffer bytes) {
    JsonObject frame;
    try {
      frame = Frames.decode(bytes);
    } catch (RuntimeException e) {
      return; // not ours to judge: skip what we cannot read
    }
    int msgid = frame.getValue("msgid") instanceof Number n ? n.intValue() : 0;
    if (msgid == 6 || msgid == 10) {
      messages.accept(frame);
    } else {
      acks.add(frame);
    }
  }

  synchronized void send(JsonObject frame) throws IOException {
    out.write(frame.encode().getBytes(StandardCharsets.UTF_8));
    out.write(0);
    out.flush();
  }

  /** The next ack, or CLOSED when the connection ended or nothing came within the timeout. */
  JsonObject nextAck(long timeoutMs) throws InterruptedException {
    JsonObject ack = acks.poll(timeoutMs, TimeUnit.MILLISECONDS);
    return ack == null ? CLOSED : ack;
  }

  @Override
  public void close() throws IOException {
    closing = true;
    socket.close();
  }
}
