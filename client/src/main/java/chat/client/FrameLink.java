package chat.client;

import chat.protocol.FrameParser;
import chat.protocol.Frames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One connection to the server: JSON objects out, each followed by the delimiter (NUL, as the
 * classic client sent them, or newline for v2), and a reader thread splitting what comes in with
 * the server's own bounded parser. It knows nothing of requests: frames and the end of the
 * connection go to the owner, who tells links apart (an old link's events are stale).
 */
final class FrameLink implements AutoCloseable {
  private static final int MAX_FRAME = 16 * 1024 * 1024;
  private static final int CONNECT_TIMEOUT_MS = 3000;

  private final Socket socket;
  private final OutputStream out;
  private final byte delimiter;

  private FrameLink(Socket socket, byte delimiter) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.delimiter = delimiter;
  }

  /** Connects; frames go to {@code frames} and the end (once) to {@code closed}, on the reader thread. */
  static FrameLink open(String host, int port, byte delimiter, Consumer<JsonObject> frames, Runnable closed)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    FrameLink link = new FrameLink(socket, delimiter);
    Thread reader = new Thread(() -> link.read(frames, closed), "chat-reader");
    reader.setDaemon(true);
    reader.start();
    return link;
  }

  private void read(Consumer<JsonObject> frames, Runnable closed) {
    FrameParser parser = new FrameParser(MAX_FRAME, 64, b -> decode(b, frames), e -> close());
    byte[] buf = new byte[8192];
    try (InputStream in = socket.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        parser.handle(Buffer.buffer().appendBytes(buf, 0, n));
      }
    } catch (IOException ignored) {
      // closed by the server, the network, or us: the owner knows which
    } finally {
      closed.run();
    }
  }

  private static void decode(Buffer bytes, Consumer<JsonObject> frames) {
    try {
      frames.accept(Frames.decode(bytes));
    } catch (RuntimeException e) {
      // a frame we cannot read is skipped, not fatal
    }
  }

  synchronized void send(JsonObject frame) throws IOException {
    out.write(frame.encode().getBytes(StandardCharsets.UTF_8));
    out.write(delimiter);
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
