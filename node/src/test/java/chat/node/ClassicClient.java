package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client speaking the classic protocol over a real socket, as the C++ client does: JSON then
 * NUL (or another separator). Replies are split on the server's delimiter by a reader thread.
 */
final class ClassicClient implements AutoCloseable {
  private static final JsonObject CLOSED = new JsonObject().put("closed", true);

  private final Socket socket;
  private final OutputStream out;
  private final BlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
  private volatile boolean closed;
  private volatile byte lastDelimiter = -1;
  int id;
  String name;
  /** A login ack kept by a test helper for the caller. */
  JsonObject pendingAck;
  String password = "secret-" + UUID.randomUUID().toString().substring(0, 8);

  ClassicClient(String host, int port) throws IOException {
    this(host, port, null);
  }

  /** From a chosen loopback address (127.0.0.2, ...): another client host as far as limits go. */
  ClassicClient(String host, int port, String from) throws IOException {
    socket = new Socket();
    if (from != null) {
      socket.bind(new java.net.InetSocketAddress(from, 0));
    }
    socket.connect(new java.net.InetSocketAddress(host, port), 5000);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    Thread reader = new Thread(this::read, "classic-client-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (InputStream in = new java.io.BufferedInputStream(socket.getInputStream())) {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        synchronized (raw) {
          raw.write(b);
        }
        if (b == 0 || b == '\n') {
          lastDelimiter = (byte) b;
          if (frame.size() > 0) {
            inbox.add(new JsonObject(frame.toString(StandardCharsets.UTF_8)));
          }
          frame.reset();
        } else {
          frame.write(b);
        }
      }
    } catch (IOException ignored) {
      // socket closed by either side
    } finally {
      closed = true;
      inbox.add(CLOSED);
    }
  }

  ClassicClient send(JsonObject frame) throws IOException {
    return sendRaw((frame.encode() + "\0").getBytes(StandardCharsets.UTF_8));
  }

  // synchronized: a background chatter and a test may write on one client
  synchronized ClassicClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** The next frame, failing the test if none arrives in time. */
  JsonObject next() throws InterruptedException {
    JsonObject f = inbox.poll(10, TimeUnit.SECONDS);
    assertThat(f).as("a frame within 10 s").isNotNull();
    return f;
  }

  /** The next frame within {@code ms}, or null; a closed connection gives a frame with "closed". */
  JsonObject poll(long ms) throws InterruptedException {
    return inbox.poll(ms, TimeUnit.MILLISECONDS);
  }

  /** Frames that arrive within {@code ms}. */
  List<JsonObject> drain(long ms) throws InterruptedException {
    List<JsonObject> frames = new ArrayList<>();
    long end = System.currentTimeMillis() + ms;
    JsonObject f;
    while ((f = inbox.poll(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) != null) {
      if (f != CLOSED) {
        frames.add(f);
      }
    }
    return frames;
  }

  boolean awaitClosed() throws InterruptedException {
    long end = System.currentTimeMillis() + 10_000;
    while (!closed && System.currentTimeMillis() < end) {
      Thread.sleep(10);
    }
    return closed;
  }

  /** Whether the connection has closed, without waiting. */
  boolean isClosed() {
    return closed;
  }

  byte lastDelimiter() {
    return lastDelimiter;
  }

  // --- classic requests ---

  ClassicClient register(String userName) throws Exception {
    send(new JsonObject().put("msgid", 4).put("name", userName).put("password", password));
    JsonObject ack = next();
    assertThat(ack.getInteger("errno")).as("register %s: %s", userName, ack).isZero();
    id = ack.getInteger("id");
    name = userName;
    return this;
  }

  JsonObject login() throws Exception {
    send(new JsonObject().put("msgid", 1).put("id", id).put("password", password));
    return next();
  }

  /**
   * Logs {@code user} in on a new connection as soon as the account is free again (a dropped
   * connection is signed off within moments); the ack is kept in {@link #pendingAck}.
   */
  static ClassicClient loginWhenFree(int port, ClassicClient user) throws Exception {
    long end = System.currentTimeMillis() + 15_000;
    while (true) {
      ClassicClient c = new ClassicClient("127.0.0.1", port);
      c.id = user.id;
      c.password = user.password;
      c.name = user.name;
      JsonObject ack = c.login();
      if (ack.getInteger("errno") == 0) {
        c.pendingAck = ack;
        return c;
      }
      c.close();
      assertThat(System.currentTimeMillis()).as("account free within 15 s: %s", ack).isLessThan(end);
      Thread.sleep(200);
    }
  }

  JsonObject loginOk() throws Exception {
    JsonObject ack = login();
    assertThat(ack.getInteger("errno")).as("login %s", ack).isZero();
    return ack;
  }

  void chat(int to, String msg) throws IOException {
    send(new JsonObject().put("msgid", 6).put("id", id).put("name", name).put("toid", to)
        .put("msg", msg).put("time", "2020-01-01 00:00:00"));
  }

  void groupChat(int group, String msg) throws IOException {
    send(new JsonObject().put("msgid", 10).put("id", id).put("name", name).put("groupid", group)
        .put("msg", msg).put("time", "2020-01-01 00:00:00"));
  }

  void addFriend(int friend) throws IOException {
    send(new JsonObject().put("msgid", 7).put("id", id).put("friendid", friend));
  }

  void createGroup(String groupName, String desc) throws IOException {
    send(new JsonObject().put("msgid", 8).put("id", id).put("groupname", groupName).put("groupdesc", desc));
  }

  void joinGroup(int group) throws IOException {
    send(new JsonObject().put("msgid", 9).put("id", id).put("groupid", group));
  }

  void logout() throws IOException {
    send(new JsonObject().put("msgid", 3).put("id", id));
  }

  /** The JSON-encoded strings of a login ack array, decoded. */
  static List<JsonObject> decoded(JsonObject ack, String key) {
    List<JsonObject> out = new ArrayList<>();
    JsonArray arr = ack.getJsonArray(key);
    if (arr != null) {
      arr.forEach(s -> out.add(new JsonObject((String) s)));
    }
    return out;
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Half-close: no more requests, replies still readable. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
