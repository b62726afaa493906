package chat.node;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that reads only when told to, with a small receive buffer: the hostile client that
 * does not read, or reads slowly. Frames are split on NUL or newline.
 */
final class RawClient implements AutoCloseable {
  final Socket socket;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private boolean eof;

  RawClient(int port) throws IOException {
    this(port, "127.0.0.1");
  }

  /** From a chosen loopback address (127.0.0.2, ...): another client host as far as limits go. */
  RawClient(int port, String from) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.setReceiveBufferSize(4096);
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
  }

  RawClient send(String frame) throws IOException {
    return sendRaw((frame + "\0").getBytes(StandardCharsets.UTF_8));
  }

  RawClient sendRaw(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads whatever arrives within {@code ms} (stops early at end of stream). */
  List<JsonObject> read(long ms) throws IOException {
    List<JsonObject> frames = new ArrayList<>();
    long end = System.currentTimeMillis() + ms;
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    while (!eof && System.currentTimeMillis() < end) {
      socket.setSoTimeout((int) Math.max(1, end - System.currentTimeMillis()));
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        break;
      } catch (IOException e) {
        eof = true; // reset by the server
        break;
      }
      if (n < 0) {
        eof = true;
        break;
      }
      for (int i = 0; i < n; i++) {
        byte b = buf[i];
        if (b == 0 || b == '\n') {
          if (partial.size() > 0) {
            frames.add(new JsonObject(partial.toString(StandardCharsets.UTF_8)));
          }
          partial.reset();
        } else {
          partial.write(b);
        }
      }
    }
    return frames;
  }

  boolean closedByServer() {
    return eof;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
