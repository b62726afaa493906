package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP port under a connection flood from one address (hardening 2, attack 1): 3,500
 * connections from 127.0.0.2 in a burst, against a node whose connection cap (3,072) they would
 * fill. The per-address cap and connect rate refuse most of them at once; another address still
 * gets the page and logs in over {@code /ws}, and the management port's liveness answers. A
 * slowloris that drips header lines is closed at the header timeout however it drips.
 */
class HttpFloodIT {
  private static final int FLOOD = 3500;
  private static final int PER_ADDRESS = 256;
  private static final int HEADER_TIMEOUT_MS = 5000;
  static TestNode node;
  static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    // the defaults of the HTTP port's per-address limits (the suite's generous ones would let the flood in)
    node = TestNode.start(new JsonObject()
        .put("CHAT_MAX_CONNECTIONS", 3072)
        .put("CHAT_HTTP_MAX_CONNECTIONS_PER_IP", PER_ADDRESS)
        .put("CHAT_HTTP_CONNECT_RATE_PER_IP", 20)
        .put("CHAT_HTTP_CONNECT_BURST_PER_IP", 100)
        .put("CHAT_HTTP_HEADER_TIMEOUT_MS", HEADER_TIMEOUT_MS));
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.closeAll(node);
    clients.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void oneAddressCannotTakeTheHttpPortFromEveryoneElse() throws Exception {
    int http = node.node.httpPort();
    List<SocketChannel> flood = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      long began = System.nanoTime();
      int failed = 0;
      for (int i = 0; i < FLOOD; i++) {
        try {
          SocketChannel ch = SocketChannel.open();
          flood.add(ch);
          ch.bind(new InetSocketAddress("127.0.0.2", 0));
          ch.socket().connect(new InetSocketAddress("127.0.0.1", http), 2000);
          ch.configureBlocking(false);
          ch.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
          failed++; // refused before it was accepted: not admitted either
        }
      }
      long openedMs = (System.nanoTime() - began) / 1_000_000;
      int closedByServer = closedSoon(selector, 1500);
      int admitted = FLOOD - failed - closedByServer;
      System.out.printf("HttpFloodIT: %d connections from 127.0.0.2 in %d ms: %d admitted, %d closed at once, %d failed to connect%n",
          FLOOD, openedMs, admitted, closedByServer, failed);
      assertThat(admitted).as("the attack got connections in").isPositive();
      assertThat(admitted).as("one address holds at most its cap").isLessThanOrEqualTo(PER_ADDRESS);
      assertThat(closedByServer + failed).as("the rest refused").isGreaterThanOrEqualTo(FLOOD - PER_ADDRESS);

      // while the admitted ones stay open: another address gets the page, and logs in on /ws
      long t0 = System.nanoTime();
      String page = get("127.0.0.3", http, "/");
      long pageMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(page).startsWith("HTTP/1.1 200").contains("<html");
      t0 = System.nanoTime();
      JsonObject login = registerAndLoginOverWebSocket("127.0.0.3", http);
      long loginMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(login.getBoolean("ok")).as("%s", login).isTrue();
      System.out.printf("HttpFloodIT: from 127.0.0.3 the page in %d ms, a WebSocket registration and login in %d ms%n", pageMs, loginMs);

      HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + node.node.managementPort() + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).as("liveness on the management port").isEqualTo(200);
    } finally {
      for (SocketChannel ch : flood) {
        ch.close();
      }
    }
  }

  /** A client that sends header lines slowly, forever: closed at the header timeout, not at the idle timeout. */
  @Test
  void aSlowlorisIsClosedAtTheHeaderTimeoutHoweverItDrips() throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress("127.0.0.4", 0));
      s.connect(new InetSocketAddress("127.0.0.1", node.node.httpPort()), 2000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      s.setSoTimeout(400);
      long began = System.nanoTime();
      out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII));
      int drips = 0;
      boolean closed = false;
      while (!closed && System.nanoTime() - began < (HEADER_TIMEOUT_MS + 5000) * 1_000_000L) {
        try {
          out.write(("X-Drip-" + drips + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          drips++;
          closed = in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
          // a byte every 400 ms: the idle timeout would never fire
        } catch (IOException reset) {
          closed = true;
        }
      }
      long closedMs = (System.nanoTime() - began) / 1_000_000;
      System.out.printf("HttpFloodIT: a slowloris dripped %d header lines and was closed after %d ms%n", drips, closedMs);
      assertThat(drips).as("the attack dripped for a while").isGreaterThan(5);
      assertThat(closed).as("closed while dripping").isTrue();
      assertThat(closedMs).isBetween(HEADER_TIMEOUT_MS - 500L, HEADER_TIMEOUT_MS + 3000L);
    }
    assertThat(get("127.0.0.4", node.node.httpPort(), "/health")).as("the address itself is not punished").startsWith("HTTP/1.1 200");
  }

  /** Counts the channels the server closes within {@code ms}: refused at accept, or closed at once. */
  private static int closedSoon(Selector selector, long ms) throws IOException {
    int closed = 0;
    ByteBuffer buf = ByteBuffer.allocate(256);
    long end = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < end) {
      if (selector.select(Math.max(1, end - System.currentTimeMillis())) == 0) {
        continue;
      }
      for (SelectionKey k : selector.selectedKeys()) {
        buf.clear();
        int n;
        try {
          n = ((SocketChannel) k.channel()).read(buf);
        } catch (IOException reset) {
          n = -1;
        }
        if (n < 0) {
          closed++;
          k.cancel();
        }
      }
      selector.selectedKeys().clear();
    }
    return closed;
  }

  /** One GET over a new connection from {@code from}: the response's head and body as text. */
  private static String get(String from, int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A browser's WebSocket from {@code from} (the page's own origin): hello, register, login; the login's reply. */
  private static JsonObject registerAndLoginOverWebSocket(String from, int port) throws Exception {
    WebSocketClient client = clients.createWebSocketClient(new WebSocketClientOptions().setLocalAddress(from));
    BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
    WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")
            .addHeader("Origin", "http://127.0.0.1:" + port))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      ws.textMessageHandler(text -> {
        JsonObject f = new JsonObject(text);
        if (f.containsKey("re")) {
          replies.add(f);
        }
      });
      String password = "pw-" + System.nanoTime();
      call(ws, replies, new JsonObject().put("v", 2).put("type", "hello").put("client", "it/1"));
      int user = call(ws, replies, new JsonObject().put("type", "register").put("name", ClassicClient.unique("flood")).put("password", password))
          .getInteger("user");
      return call(ws, replies, new JsonObject().put("type", "login").put("user", user).put("password", password));
    } finally {
      ws.close();
      client.close();
    }
  }

  private static JsonObject call(WebSocket ws, BlockingQueue<JsonObject> replies, JsonObject request) throws Exception {
    String id = "r" + System.nanoTime();
    ws.writeTextMessage(request.put("id", id).encode());
    JsonObject reply = replies.poll(10, TimeUnit.SECONDS);
    assertThat(reply).as("reply to %s", request.getString("type")).isNotNull();
    assertThat(reply.getString("re")).isEqualTo(id);
    assertThat(reply.getBoolean("ok")).as("%s: %s", request.getString("type"), reply).isTrue();
    return reply;
  }
}
