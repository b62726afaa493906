package chat.node;

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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A classic client for the end-to-end run: it counts every chat body it receives, live or in a
 * login ack's offlinemsg, and the latency of live ones (bodies carry the sender's nanoTime).
 */
final class E2eClient {
  static final JsonObject CLOSED = new JsonObject().put("closed", true);

  final int index;
  final String name;
  final String password = "pw";
  volatile int id;
  volatile String node;
  volatile boolean online;
  /** body -> times received */
  final Map<String, Integer> received = new ConcurrentHashMap<>();
  /** body -> nanoTime of its first live receipt */
  final Map<String, Long> firstLive = new ConcurrentHashMap<>();
  /** [sender index, latency ns] of live 1:1 deliveries */
  final List<long[]> latencies = new ArrayList<>();
  private volatile BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
  volatile int lastErrno;
  private volatile Socket socket;
  private volatile OutputStream out;

  E2eClient(int index, String name) {
    this.index = index;
    this.name = name;
  }

  void connect(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setTcpNoDelay(true);
    // each connection has its own reply queue: a closing old connection must not answer for the new one
    BlockingQueue<JsonObject> mine = new LinkedBlockingQueue<>();
    replies = mine;
    socket = s;
    out = s.getOutputStream();
    Thread reader = new Thread(() -> read(s, mine), "e2e-" + index);
    reader.setDaemon(true);
    reader.start();
  }

  private void read(Socket s, BlockingQueue<JsonObject> mine) {
    try (InputStream in = s.getInputStream()) {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == 0) {
            onFrame(new JsonObject(frame.toString(StandardCharsets.UTF_8)), mine);
            frame.reset();
          } else {
            frame.write(buf[i]);
          }
        }
      }
    } catch (IOException ignored) {
      // the node went away
    } finally {
      if (socket == s) {
        online = false;
      }
      mine.add(CLOSED);
    }
  }

  private void onFrame(JsonObject f, BlockingQueue<JsonObject> mine) {
    int msgid = f.getInteger("msgid", 0);
    if (msgid == 6 || msgid == 10) {
      String body = f.getString("msg");
      received.merge(body, 1, Integer::sum);
      firstLive.putIfAbsent(body, System.nanoTime());
      String[] parts = body.split("\\|");
      if (msgid == 6 && parts.length == 4) {
        synchronized (latencies) {
          latencies.add(new long[] {Integer.parseInt(parts[1]), System.nanoTime() - Long.parseLong(parts[3])});
        }
      }
    } else {
      if (msgid == 2 && f.getInteger("errno", -1) == 0) {
        JsonArray offline = f.getJsonArray("offlinemsg", new JsonArray());
        offline.forEach(o -> received.merge(new JsonObject((String) o).getString("msg"), 1, Integer::sum));
        online = true;
      }
      mine.add(f);
    }
  }

  synchronized boolean send(JsonObject frame) {
    try {
      out.write((frame.encode() + "\0").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  JsonObject reply() throws InterruptedException {
    JsonObject r = replies.poll(20, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no reply within 20 s for client " + index);
    }
    return r;
  }

  void register() throws Exception {
    send(new JsonObject().put("msgid", 4).put("name", name).put("password", password));
    JsonObject ack = reply();
    if (ack.getInteger("errno", -1) != 0) {
      throw new AssertionError("register " + name + ": " + ack);
    }
    id = ack.getInteger("id");
  }

  /** The login ack's errno (-1 when the connection closed first). */
  int login() throws Exception {
    send(new JsonObject().put("msgid", 1).put("id", id).put("password", password));
    JsonObject ack = reply();
    lastErrno = ack == CLOSED ? -1 : ack.getInteger("errno");
    return lastErrno;
  }

  boolean chat(int to, String body) {
    return online && send(new JsonObject().put("msgid", 6).put("id", id).put("name", name).put("toid", to)
        .put("msg", body).put("time", "2020-01-01 00:00:00"));
  }

  boolean groupChat(int group, String body) {
    return online && send(new JsonObject().put("msgid", 10).put("id", id).put("name", name).put("groupid", group)
        .put("msg", body).put("time", "2020-01-01 00:00:00"));
  }

  void close() {
    try {
      if (socket != null) {
        socket.close();
      }
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
