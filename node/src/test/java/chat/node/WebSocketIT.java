package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web client's WebSocket endpoint ({@code /ws} on the HTTP port): v2 with the same session
 * as TCP, users of all three kinds chatting together, the Origin check, the page's security
 * headers, and the TCP port's limits on the WebSocket (framing, timeouts, outbound budget).
 */
class WebSocketIT {
  private static final String FOREIGN = "http://evil.example";
  private static final String ALLOWED = "http://chat.example";
  static TestNode node;
  /** Small limits, so that each trips quickly. */
  static TestNode strict;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
    strict = TestNode.start(new JsonObject()
        .put("CHAT_WEB_ORIGINS", ALLOWED)
        .put("CHAT_LOGIN_TIMEOUT_MS", 1500)
        .put("CHAT_MAX_FRAME_BYTES", 4096)
        .put("CHAT_OUTBOUND_BYTES", 65536)
        .put("CHAT_MESSAGE_RATE", 100000)
        .put("CHAT_MESSAGE_BURST", 100000)
        .put("CHAT_REQUEST_RATE", 100000)
        .put("CHAT_REQUEST_BURST", 100000)
        .put("CHAT_STRANGER_BACKLOG", 100000)
        .put("CHAT_MAX_CONNECTIONS", 12));
  }

  @AfterAll
  static void stop() {
    strict.close();
  }

  private static String sameOrigin(TestNode n) {
    return "http://127.0.0.1:" + n.node.httpPort();
  }

  private static V2Client web(TestNode n, String name) throws Exception {
    V2Client c = new V2Client(n.node.httpPort(), sameOrigin(n)).hello().register(unique(name));
    c.login();
    return c;
  }

  @Test
  void aBrowserUserChatsWithTcpV2AndClassicUsers() throws Exception {
    try (V2Client browser = web(node, "wsb"); V2Client tcp = V2Client.online(node.port, "wst");
        ClassicClient classic = node.connect().register(unique("wsc"))) {
      classic.loginOk();
      JsonObject sent = browser.send(tcp.user, "w-1", "从浏览器 😀 <img src=x onerror=alert(1)>");
      JsonObject got = tcp.push().getJsonObject("msg");
      assertThat(got.getString("text")).isEqualTo("从浏览器 😀 <img src=x onerror=alert(1)>");
      assertThat(got.getLong("id")).isEqualTo(sent.getLong("messageId"));

      tcp.send(browser.user, "t-1", "back to the browser");
      JsonObject push = browser.push();
      assertThat(push.getLong("seq")).isEqualTo(1);
      assertThat(push.getJsonObject("msg").getString("text")).isEqualTo("back to the browser");

      classic.chat(browser.user, "from a classic client");
      push = browser.push();
      assertThat(push.getLong("seq")).isEqualTo(2);
      assertThat(push.getJsonObject("msg").getString("text")).isEqualTo("from a classic client");
      browser.send(classic.id, "w-2", "to the classic client");
      assertThat(classic.next().getString("msg")).isEqualTo("to the classic client");

      // the same cmid again, on the WebSocket: stored once, same answer
      JsonObject again = browser.send(tcp.user, "w-1", "从浏览器 😀 <img src=x onerror=alert(1)>");
      assertThat(again.getLong("messageId")).isEqualTo(sent.getLong("messageId"));
      assertThat(again.getBoolean("duplicate")).isTrue();
      assertThat(tcp.pollPush(300)).isNull();
    }
  }

  @Test
  void thePageAndHealthCarryTheSecurityHeaders() throws Exception {
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(sameOrigin(node) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(health.body()).getString("status")).isIn("UP", "DEGRADED");
    String csp = health.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline").contains("frame-ancestors 'none'");
    assertThat(health.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void onlyTheSameOriginOrAnAllowedOneMayOpenTheSocket() throws Exception {
    assertThatThrownBy(() -> new V2Client(node.node.httpPort(), FOREIGN)).hasStackTraceContaining("403");
    new V2Client(node.node.httpPort(), sameOrigin(node)).hello().close();
    new V2Client(node.node.httpPort(), null).hello().close(); // not a browser: no session of a user's to hijack
    new V2Client(strict.node.httpPort(), ALLOWED).hello().close();
    assertThatThrownBy(() -> new V2Client(strict.node.httpPort(), FOREIGN)).hasStackTraceContaining("403");
  }

  /**
   * DNS rebinding (hardening 2, attack 8): a hostile name resolving to the node makes the browser
   * send that name as both Host and Origin. The page's own origin is the node's, not the Host's.
   */
  @Test
  void aHostThatEqualsAForeignOriginDoesNotMakeItTheSameOrigin() throws Exception {
    int port = node.node.httpPort();
    String rebound = "http://rebind.evil.example:" + port;
    assertThat(handshake(port, "rebind.evil.example:" + port, rebound)).as("Host equal to a foreign Origin").startsWith("HTTP/1.1 403");
    assertThat(handshake(port, "rebind.evil.example:" + port, sameOrigin(node))).as("the page's own origin, whatever the Host")
        .startsWith("HTTP/1.1 101");
    assertThat(handshake(strict.node.httpPort(), "chat.example", ALLOWED)).as("a configured origin").startsWith("HTTP/1.1 101");
    assertThat(handshake(strict.node.httpPort(), "evil.example", FOREIGN)).startsWith("HTTP/1.1 403");
  }

  /** The status line of a WebSocket handshake with the given Host and Origin headers. */
  private static String handshake(int port, String host, String origin) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
          + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine();
    }
  }

  /**
   * Fragments of one message past CHAT_MAX_FRAME_BYTES (hardening 2, attack 8): Vert.x dropped
   * them and read on forever; the connection closes with 1009. The node serves others meanwhile.
   */
  @Test
  void endlessFragmentsCloseTheSocketWith1009() throws Exception {
    V2Client c = new V2Client(strict.node.httpPort(), sameOrigin(strict)).hello();
    String part = "x".repeat(1000);
    int sent = c.sendFragments(part, 200);
    Poll.until("closed by the server", () -> c.closed);
    System.out.printf("WebSocketIT: %d fragments of 1000 bytes sent before the close (%d)%n", sent, c.closeStatus);
    assertThat((long) sent * part.length()).as("the fragments passed the limit").isGreaterThan(4096 + 4096);
    assertThat(c.closeStatus).isEqualTo(1009);
    try (V2Client other = web(strict, "wsfrag")) {
      assertThat(other.ok(new JsonObject().put("type", "ping")).getBoolean("ok")).isTrue();
    }
  }

  /** The public /health tells the status and nothing else (hardening 2, attack 8): no counts of users online. */
  @Test
  void thePublicHealthTellsTheStatusOnlyAndTheManagementPortTheDetails() throws Exception {
    HttpResponse<String> pub = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(sameOrigin(node) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(pub.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(pub.body()).fieldNames()).containsExactly("status");
    JsonObject detailed = Health.of(node);
    assertThat(detailed.getString("db")).isEqualTo("up");
    assertThat(detailed.fieldNames().size()).isGreaterThan(2);
  }

  @Test
  void aMessageHoldsExactlyOneWholeFrame() throws Exception {
    assertClosedWith("{\"v\":2,\"id\":\"1\",\"type\":\"hello\"}{\"id\":\"2\",\"type\":\"ping\"}", 1002);
    assertClosedWith("{\"v\":2,\"id\":\"1\",\"type\":\"hel", 1002);
    assertClosedWith("{\"msgid\":1,\"id\":1,\"password\":\"x\"}", 1004); // classic is spoken on the TCP port only
    assertClosedWith("{\"v\":2,\"id\":\"1\",\"type\":\"hello\",\"pad\":\"" + "x".repeat(5000) + "\"}", 1001);
  }

  private static void assertClosedWith(String message, int code) throws Exception {
    V2Client c = new V2Client(strict.node.httpPort(), sameOrigin(strict));
    c.sendMessage(message);
    JsonObject error = c.push();
    assertThat(error.getInteger("code")).as("%s", error).isEqualTo(code);
    Poll.until("closed after the error", () -> c.closed);
  }

  @Test
  void aSocketThatNeverLogsInIsClosed() throws Exception {
    V2Client idle = new V2Client(strict.node.httpPort(), sameOrigin(strict)).hello();
    JsonObject error = idle.push();
    assertThat(error.getInteger("code")).isEqualTo(1016);
    Poll.until("closed after the login timeout", () -> idle.closed);
  }

  /** A reader that keeps up, however slowly, is paced and never dropped. */
  @Test
  void aReaderThatKeepsReadingGetsEverythingAndStays() throws Exception {
    V2Client reader = web(strict, "wsq");
    try (V2Client sender = V2Client.online(strict.port, "wsp")) {
      String text = "x".repeat(3500);
      int total = 2000;
      for (int i = 0; i < total; i++) {
        sender.send(reader.user, "f-" + i, text + i);
      }
      Set<Long> seqs = new HashSet<>();
      for (JsonObject p; (p = reader.pollPush(2000)) != null; ) {
        if ("msg".equals(p.getString("type"))) {
          assertThat(seqs.add(p.getLong("seq"))).isTrue();
        }
      }
      assertThat(seqs).hasSize(total);
      assertThat(reader.closed).isFalse();
    } finally {
      reader.close();
    }
  }

  /**
   * A browser tab that stops reading is dropped at its outbound budget like a TCP client, and
   * its next login's sync brings the rest: each message exactly once.
   */
  @Test
  void aWebSocketThatStopsReadingIsDroppedAndLosesNothing() throws Exception {
    V2Client reader = web(strict, "wsr");
    try (V2Client sender = V2Client.online(strict.port, "wss")) {
      reader.stallReading();
      // more than loopback's socket buffers hold, or nothing waits in the server
      String text = "x".repeat(3500);
      int total = 2000;
      for (int i = 0; i < total; i++) {
        sender.send(reader.user, "f-" + i, text + i);
      }
      reader.resumeReading();
      Set<Long> seqs = new HashSet<>();
      for (JsonObject p; (p = reader.pollPush(2000)) != null; ) {
        if ("msg".equals(p.getString("type"))) {
          assertThat(seqs.add(p.getLong("seq"))).isTrue();
        }
      }
      // the JDK's WebSocket client notices a close without a close frame only when it writes
      Poll.until("the stalled socket was dropped", () -> reader.closed || !reader.tryPing());
      assertThat(seqs.size()).as("read before the drop").isLessThan(total);

      V2Client again = new V2Client(strict.node.httpPort(), sameOrigin(strict)).hello();
      again.user = reader.user;
      again.password = reader.password;
      JsonObject login = again.loginWhenFree();
      long after = 0;
      while (true) {
        JsonObject page = again.ok(new JsonObject().put("type", "sync").put("after", after).put("limit", 500));
        for (Object o : page.getJsonArray("msgs")) {
          after = ((JsonObject) o).getLong("seq");
          seqs.add(after);
        }
        if (!page.getBoolean("more")) {
          break;
        }
      }
      assertThat(login.getBoolean("ok")).isTrue();
      assertThat(seqs).hasSize(total);
      assertThat(after).isEqualTo(total);
      again.close();
    }
  }

  /** Idle HTTP connections to the web port cost heap too: past the node's connection cap they are closed at once. */
  @Test
  void idleHttpConnectionsStopAtTheNodeCap() throws Exception {
    List<java.net.Socket> held = new ArrayList<>();
    try {
      int refused = 0;
      for (int i = 0; i < 20; i++) {
        java.net.Socket s = new java.net.Socket("127.0.0.1", strict.node.httpPort());
        s.setSoTimeout(2000);
        held.add(s);
      }
      for (java.net.Socket s : held) {
        try {
          if (s.getInputStream().read() == -1) {
            refused++;
          }
        } catch (java.net.SocketTimeoutException stillOpen) {
          // admitted: an idle connection the server keeps until its idle timeout
        }
      }
      // other tests' connections to this node (a client's keep-alive, say) may hold some of the 12
      assertThat(held.size() - refused).as("admitted of 20 idle connections, cap 12").isBetween(1, 12);
      assertThat(refused).as("closed at once").isGreaterThanOrEqualTo(8);
    } finally {
      for (java.net.Socket s : held) {
        s.close();
      }
    }
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(sameOrigin(strict) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).as("room again once they closed").isEqualTo(200);
  }
}
