package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A v2 client over a real socket: requests with ids, replies matched to them, pushes queued apart. */
final class V2Client implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  /** Set instead of the socket for a client of the web endpoint: one frame per text message. */
  private final java.net.http.WebSocket ws;
  /** The WebSocket's close status, or -1 while open. */
  volatile int closeStatus = -1;
  private volatile boolean stalled;
  private volatile boolean owed;
  private final BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
  private final BlockingQueue<JsonObject> pushes = new LinkedBlockingQueue<>();
  private final AtomicLong ids = new AtomicLong();
  volatile boolean closed;
  int user;
  String name;
  String password = "pw-" + System.nanoTime();

  V2Client(int port) throws IOException {
    this(port, java.net.InetAddress.getLoopbackAddress());
  }

  /** From a chosen loopback address (127.0.0.2, ...): another client host as far as limits go. */
  static V2Client from(String address, int port) throws IOException {
    return new V2Client(port, java.net.InetAddress.getByName(address));
  }

  private V2Client(int port, java.net.InetAddress from) throws IOException {
    socket = new Socket("127.0.0.1", port, from, 0);
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    ws = null;
    Thread reader = new Thread(this::read, "v2-client-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** A client of the node's WebSocket endpoint ({@code /ws} on its HTTP port), sending {@code origin} when not null. */
  V2Client(int httpPort, String origin) throws Exception {
    socket = null;
    out = null;
    java.net.http.WebSocket.Builder b = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder();
    if (origin != null) {
      b.header("Origin", origin);
    }
    ws = b.buildAsync(java.net.URI.create("ws://127.0.0.1:" + httpPort + "/ws"), new java.net.http.WebSocket.Listener() {
      private final StringBuilder text = new StringBuilder();

      @Override
      public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
          JsonObject f = new JsonObject(text.toString());
          text.setLength(0);
          (f.containsKey("re") ? replies : pushes).add(f);
        }
        if (stalled) {
          owed = true; // demand is given back by resumeReading
        } else {
          w.request(1);
        }
        return null;
      }

      @Override
      public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int status, String reason) {
        closeStatus = status;
        closed = true;
        return null;
      }

      @Override
      public void onError(java.net.http.WebSocket w, Throwable error) {
        closed = true;
      }
    }).get(10, TimeUnit.SECONDS);
  }

  /** Stops taking WebSocket messages: what the server sends piles up in the kernel and then in the server. */
  void stallReading() {
    stalled = true;
  }

  void resumeReading() {
    stalled = false;
    if (owed) {
      owed = false;
      ws.request(1);
    }
  }

  /** False once the WebSocket cannot be written to any more. */
  boolean tryPing() {
    try {
      ws.sendText(new JsonObject().put("type", "ping").put("id", "p" + ids.incrementAndGet()).encode(), true).get(2, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * Sends {@code part} as fragments of one text message that never ends, up to {@code count} of
   * them or until the socket can no longer be written; returns how many were sent.
   */
  int sendFragments(String part, int count) {
    int sent = 0;
    try {
      while (sent < count && !closed) {
        ws.sendText(part, false).get(2, TimeUnit.SECONDS);
        sent++;
      }
    } catch (Exception closedMeanwhile) {
      // the server closed it
    }
    return sent;
  }

  /** Sends one WebSocket text message as it is (the web endpoint's unit of framing). */
  void sendMessage(String text) {
    ws.sendText(text, true).join();
  }

  private void read() {
    try (InputStream in = new java.io.BufferedInputStream(socket.getInputStream())) {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n' || b == 0) {
          if (frame.size() > 0) {
            JsonObject f = new JsonObject(frame.toString(StandardCharsets.UTF_8));
            if (!f.getString("re", "").startsWith("ack-")) { // replies to ackAsync are not waited for
              (f.containsKey("re") ? replies : pushes).add(f);
            }
          }
          frame.reset();
        } else {
          frame.write(b);
        }
      }
    } catch (IOException ignored) {
      // closed
    } finally {
      closed = true;
    }
  }

  synchronized void sendRaw(String frame) throws IOException {
    if (ws != null) {
      sendMessage(frame);
      return;
    }
    out.write((frame + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Acks {@code seq} without waiting for the reply (which is dropped). */
  void ackAsync(long seq) throws IOException {
    sendRaw(new JsonObject().put("id", "ack-" + ids.incrementAndGet()).put("type", "ack").put("seq", seq).encode());
  }

  /** Sends a request and waits up to {@code ms} for its reply; null when none came (the connection went). */
  JsonObject tryCall(JsonObject request, long ms) throws Exception {
    String id = "r" + ids.incrementAndGet();
    sendRaw(request.copy().put("id", id).encode());
    JsonObject reply;
    while ((reply = replies.poll(ms, TimeUnit.MILLISECONDS)) != null && !id.equals(reply.getString("re"))) {
      // a late reply to an earlier request that was given up on
    }
    return reply;
  }

  /** Sends a request and waits for its reply. */
  JsonObject call(JsonObject request) throws Exception {
    String id = "r" + ids.incrementAndGet();
    sendRaw(request.copy().put("id", id).encode());
    JsonObject reply = replies.poll(10, TimeUnit.SECONDS);
    assertThat(reply).as("reply to %s", request.getString("type")).isNotNull();
    assertThat(reply.getString("re")).isEqualTo(id);
    return reply;
  }

  JsonObject ok(JsonObject request) throws Exception {
    JsonObject reply = call(request);
    assertThat(reply.getBoolean("ok")).as("%s: %s", request.getString("type"), reply).isTrue();
    return reply;
  }

  /** The next reply, whatever request it answers. */
  JsonObject nextReply() throws InterruptedException {
    JsonObject reply = replies.poll(10, TimeUnit.SECONDS);
    assertThat(reply).as("a reply within 10 s").isNotNull();
    return reply;
  }

  JsonObject push() throws InterruptedException {
    JsonObject p = pushes.poll(10, TimeUnit.SECONDS);
    assertThat(p).as("a push within 10 s").isNotNull();
    return p;
  }

  /** The next reply within {@code ms}, whatever request it answers, or null. */
  JsonObject pollReply(long ms) throws InterruptedException {
    return replies.poll(ms, TimeUnit.MILLISECONDS);
  }

  JsonObject pollPush(long ms) throws InterruptedException {
    return pushes.poll(ms, TimeUnit.MILLISECONDS);
  }

  /** A new v2 user, registered under a unique name and logged in. */
  static V2Client online(int port, String name) throws Exception {
    V2Client c = new V2Client(port).hello().register(ClassicClient.unique(name));
    c.login();
    return c;
  }

  V2Client hello() throws Exception {
    ok(new JsonObject().put("v", 2).put("type", "hello").put("client", "it/1"));
    return this;
  }

  V2Client register(String userName) throws Exception {
    user = ok(new JsonObject().put("type", "register").put("name", userName).put("password", password)).getInteger("user");
    name = userName;
    return this;
  }

  /**
   * The same account on a new connection to {@code port}, logged in as soon as the account is
   * free: a dropped connection is signed off within moments, and until then a login gets 1011.
   */
  static V2Client loginWhenFree(int port, V2Client who) throws Exception {
    V2Client c = new V2Client(port).hello();
    c.user = who.user;
    c.name = who.name;
    c.password = who.password;
    c.loginWhenFree();
    return c;
  }

  /** Logs in, retrying while the account is still held by a login that is being released (1011). */
  JsonObject loginWhenFree() throws Exception {
    long end = System.currentTimeMillis() + 10_000;
    while (true) {
      JsonObject reply = call(new JsonObject().put("type", "login").put("user", user).put("password", password));
      if (reply.getBoolean("ok", false)) {
        return reply;
      }
      assertThat(reply.getInteger("code")).as("%s", reply).isEqualTo(1011);
      assertThat(System.currentTimeMillis()).as("account free within 10 s").isLessThan(end);
      Thread.sleep(50);
    }
  }

  JsonObject login() throws Exception {
    return ok(new JsonObject().put("type", "login").put("user", user).put("password", password));
  }

  JsonObject send(int to, String cmid, String text) throws Exception {
    return ok(new JsonObject().put("type", "send").put("to", new JsonObject().put("user", to)).put("cmid", cmid).put("text", text));
  }

  @Override
  public void close() throws IOException {
    if (ws != null) {
      ws.abort();
      return;
    }
    socket.close();
  }
}
