package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every error code of docs/protocol.md section 7, triggered over a v2 connection (1501, the
 * database down, is DatabaseOutageIT's; 1502, a frozen database, DatabaseFreezeIT's; 1009 and 1500 are never sent: 1009 is reserved, a text
 * over a limit is 1001 or 1013, and 1500 would be a bug). Limits are tripped on a node of its own.
 */
class ErrorCodesIT {
  static TestNode shared;
  static TestNode small;

  @BeforeAll
  static void start() throws Exception {
    shared = TestNode.shared();
    small = TestNode.start(new JsonObject()
        .put("CHAT_MESSAGE_RATE", 1).put("CHAT_MESSAGE_BURST", 1).put("CHAT_STRIKES", 1000)
        .put("CHAT_LOGIN_TIMEOUT_MS", 1000)
        .put("CHAT_GROUP_MAX_MEMBERS", 2)
        .put("CHAT_HASH_QUEUE", 1).put("CHAT_HASH_QUEUE_PER_IP", 1)
        .put("CHAT_BCRYPT_COST", 12)); // a hash long enough that registrations sent together overlap
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(small);
  }

  private static int code(V2Client c, JsonObject request) throws Exception {
    JsonObject reply = c.call(request);
    assertThat(reply.getBoolean("ok")).as("%s", reply).isFalse();
    return reply.getInteger("code");
  }

  /** A connection-breaking error: one error frame without a request id, then the close. */
  private static int fatal(String bytes) throws Exception {
    try (V2Client c = new V2Client(shared.port).hello()) {
      c.sendRaw(bytes);
      JsonObject error = c.push();
      long end = System.currentTimeMillis() + 5000;
      while (!c.closed && System.currentTimeMillis() < end) {
        Thread.sleep(20);
      }
      assertThat(c.closed).as("closed after %s", error).isTrue();
      return error.getInteger("code");
    }
  }

  @Test
  void framingErrorsCloseTheConnection() throws Exception {
    assertThat(fatal("{\"id\":\"x\",\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}")).isEqualTo(1001);
    assertThat(fatal("not json at all")).isEqualTo(1002);
    assertThat(fatal("{\"a\":" + "[".repeat(100))).isEqualTo(1003);
  }

  /**
   * A send and, in the same TCP write, a frame that breaks the stream: the send was carried out
   * (it is stored), so its reply comes before the error frame and the close.
   */
  @Test
  void aRequestPipelinedBeforeAFatalFrameIsAnsweredBeforeTheClose() throws Exception {
    try (V2Client alice = V2Client.online(shared.port, "pipe-a"); V2Client bob = V2Client.online(shared.port, "pipe-b")) {
      String send = new JsonObject().put("id", "s1").put("type", "send").put("to", new JsonObject().put("user", bob.user))
          .put("cmid", "pipe-1").put("text", "just before the end").encode();
      alice.sendRaw(send + "\n{\"a\":" + "[".repeat(100));
      JsonObject reply = alice.nextReply();
      assertThat(reply.getString("re")).isEqualTo("s1");
      assertThat(reply.getBoolean("ok")).as("%s", reply).isTrue();
      JsonObject error = alice.push();
      assertThat(error.getInteger("code")).isEqualTo(1003);
      long end = System.currentTimeMillis() + 5000;
      while (!alice.closed && System.currentTimeMillis() < end) {
        Thread.sleep(20);
      }
      assertThat(alice.closed).as("closed after %s", error).isTrue();
      assertThat(bob.push().getJsonObject("msg").getLong("id")).isEqualTo(reply.getLong("messageId"));
    }
  }

  @Test
  void requestErrorsAreRepliesAndTheConnectionStays() throws Exception {
    try (V2Client c = new V2Client(shared.port).hello(); V2Client other = V2Client.online(shared.port, "err-other")) {
      assertThat(code(c, new JsonObject().put("type", "login").put("user", "seven").put("password", "p"))).isEqualTo(1004);
      assertThat(code(c, new JsonObject().put("type", "no.such.type"))).isEqualTo(1005);
      assertThat(code(c, new JsonObject().put("type", "sync").put("after", 0))).isEqualTo(1006);
      assertThat(code(c, new JsonObject().put("type", "login").put("user", other.user).put("password", "wrong"))).isEqualTo(1010);
      assertThat(code(c, new JsonObject().put("type", "login").put("user", other.user).put("password", other.password))).isEqualTo(1011);
      assertThat(code(c, new JsonObject().put("type", "register").put("name", other.name).put("password", "pw"))).isEqualTo(1012);
      assertThat(code(c, new JsonObject().put("type", "register").put("name", "").put("password", "pw"))).isEqualTo(1013);
      c.register(unique("err-me"));
      c.login();
      assertThat(code(c, new JsonObject().put("type", "send").put("to", new JsonObject().put("user", 999_999_999))
          .put("cmid", "e1").put("text", "x"))).isEqualTo(1008);
      int group = other.ok(new JsonObject().put("type", "group.create").put("name", unique("g")).put("desc", "")).getInteger("group");
      assertThat(code(c, new JsonObject().put("type", "group.info").put("group", group))).isEqualTo(1007);
      assertThat(c.ok(new JsonObject().put("type", "ping")).getBoolean("ok")).as("still usable").isTrue();
    }
  }

  @Test
  void limitsAnswerWithTheirCodes() throws Exception {
    try (V2Client a = V2Client.online(small.port, "lim-a"); V2Client b = V2Client.online(small.port, "lim-b");
        V2Client c = V2Client.online(small.port, "lim-c")) {
      a.send(b.user, "r1", "first");
      assertThat(code(a, new JsonObject().put("type", "send").put("to", new JsonObject().put("user", b.user))
          .put("cmid", "r2").put("text", "too soon"))).isEqualTo(1015);
      int group = a.ok(new JsonObject().put("type", "group.create").put("name", unique("g")).put("desc", "")).getInteger("group");
      b.ok(new JsonObject().put("type", "group.join").put("group", group));
      assertThat(code(c, new JsonObject().put("type", "group.join").put("group", group))).isEqualTo(1018);
    }
    // one bcrypt at a time on this node: a second registration in flight is refused
    List<V2Client> clients = new ArrayList<>();
    List<Integer> codes = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        V2Client c = new V2Client(small.port).hello();
        clients.add(c);
        c.sendRaw(new JsonObject().put("id", "reg").put("type", "register").put("name", unique("q" + i)).put("password", "pw").encode());
      }
      for (V2Client c : clients) {
        codes.add(c.nextReply().getInteger("code", 0));
      }
    } finally {
      for (V2Client c : clients) {
        c.close();
      }
    }
    System.out.println("ErrorCodesIT: concurrent registrations with a bcrypt queue of 1 answered " + codes);
    assertThat(codes).contains(0, 1014);
  }

  @Test
  void idleAndTooManyConnections() throws Exception {
    try (V2Client idle = new V2Client(small.port)) {
      idle.sendRaw("{\"v\":2,\"id\":\"h\",\"type\":\"hello\"}");
      JsonObject timeout = null;
      long end = System.currentTimeMillis() + 6000;
      while (timeout == null && System.currentTimeMillis() < end) {
        JsonObject p = idle.pollPush(200);
        if (p != null && p.containsKey("code")) {
          timeout = p;
        }
      }
      assertThat(timeout).as("an idle connection is told why it is closed").isNotNull();
      assertThat(timeout.getInteger("code")).isEqualTo(1016);
    }
    try (TestNode one = TestNode.start(new JsonObject().put("CHAT_MAX_CONNECTIONS_PER_IP", 1));
        RawClient first = new RawClient(one.port)) {
      first.sendRaw("{\"v\":2,\"id\":\"h\",\"type\":\"hello\"}\n".getBytes(StandardCharsets.UTF_8));
      assertThat(first.read(2000)).isNotEmpty();
      try (RawClient second = new RawClient(one.port)) {
        List<JsonObject> frames = second.read(2000);
        assertThat(frames).extracting(f -> f.getInteger("errno")).containsExactly(1017);
      }
    }
  }
}
