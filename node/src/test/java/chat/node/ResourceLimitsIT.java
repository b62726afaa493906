package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each limit of the gateway, tripped by a hostile or broken client against a node with small
 * limits: what the client gets, that the node goes on serving others, and that no accepted
 * message is lost or doubled.
 */
class ResourceLimitsIT {

  /** These tests pile thousands of messages on one recipient from a stranger. */
  private static JsonObject backlogs() {
    return new JsonObject().put("CHAT_STRANGER_BACKLOG", 100_000);
  }

  private static TestNode node(JsonObject limits) throws Exception {
    return TestNode.start(limits);
  }

  @Test
  void aClientThatDoesNotReadIsDroppedAtOnceSignedOffAndLosesNothing() throws Exception {
    try (TestNode node = node(backlogs().put("CHAT_OUTBOUND_BYTES", 65536).put("CHAT_OFFLINE_PAGE", 200));
        ClassicClient sender = node.connect().register(unique("sender"))) {
      sender.loginOk();
      ClassicClient receiver = node.connect().register(unique("sleeper"));
      receiver.close();
      RawClient sleeper = loginRaw(node, receiver);
      int n = 2000;
      String pad = "z".repeat(4000);
      for (int i = 0; i < n; i++) {
        sender.chat(receiver.id, "m-" + i + "-" + pad);
      }
      // dropped without a flush and signed off: the account can log in again at once (once all
      // is stored, so that the new login reads a backlog, paced, rather than racing live traffic
      // past the small budget of this test)
      Poll.until("all stored", () -> Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", receiver.id) == n);
      ClassicClient again = ClassicClient.loginWhenFree(node.port, receiver);
      Set<String> got = new HashSet<>();
      int copies = 0;
      for (JsonObject f : sleeper.read(3000)) { // what the kernel had taken before the drop
        if (f.getInteger("msgid") == 6) {
          got.add(f.getString("msg"));
          copies++;
        }
      }
      assertThat(sleeper.closedByServer()).as("the non-reader was disconnected").isTrue();
      int before = got.size();
      copies += collect(again, n, got);
      assertThat(before).as("the drop came long before everything was written").isLessThan(n);
      assertThat(got).hasSize(n);
      assertThat(copies).as("nothing delivered twice").isEqualTo(n);
      again.close();
      sleeper.close();
      othersStillChat(node);
    }
  }

  @Test
  void aSlowReaderGetsAWholeBacklogExactlyOnce() throws Exception {
    try (TestNode node = node(backlogs().put("CHAT_OUTBOUND_BYTES", 65536).put("CHAT_OFFLINE_PAGE", 200));
        ClassicClient sender = node.connect().register(unique("sender"))) {
      sender.loginOk();
      ClassicClient receiver = node.connect().register(unique("slow"));
      receiver.close();
      int n = 3000;
      String pad = "s".repeat(2000);
      for (int i = 0; i < n; i++) {
        sender.chat(receiver.id, "b-" + i + "-" + pad);
      }
      Poll.until("the backlog is stored", () -> Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", receiver.id) == n);
      RawClient slow = new RawClient(node.port);
      slow.send(new JsonObject().put("msgid", 1).put("id", receiver.id).put("password", receiver.password).encode());
      List<String> got = new ArrayList<>();
      long end = System.currentTimeMillis() + 60_000;
      while (got.size() < n && System.currentTimeMillis() < end && !slow.closedByServer()) {
        for (JsonObject f : slow.read(20)) {
          if (f.getInteger("msgid") == 2) {
            ClassicClient.decoded(f, "offlinemsg").forEach(m -> got.add(m.getString("msg")));
          } else if (f.getInteger("msgid") == 6) {
            got.add(f.getString("msg"));
          }
        }
        Thread.sleep(5); // a slow reader: the socket buffers fill and the server must wait
      }
      assertThat(slow.closedByServer()).as("a reader that reads is never dropped").isFalse();
      assertThat(got).hasSize(n);
      assertThat(new HashSet<>(got)).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(got.get(i)).startsWith("b-" + i + "-");
      }
      slow.close();
    }
  }

  @Test
  void errorsToAClientThatNeverReadsEndInACloseThenABan() throws Exception {
    JsonObject limits = new JsonObject().put("CHAT_REQUEST_RATE", 50).put("CHAT_REQUEST_BURST", 50)
        .put("CHAT_STRIKES", 5).put("CHAT_ADDRESS_BAN_MS", 2000);
    try (TestNode node = node(limits)) {
      ClassicClient alice = node.connect().register(unique("alice"));
      ClassicClient bob = node.connect().register(unique("bob"));
      alice.loginOk();
      bob.loginOk();
      // not from 127.0.0.1: loopback stands for a proxy on this host (CHAT_LOGIN_IP_EXEMPT) and is never banned
      RawClient evil = new RawClient(node.port, "127.0.4.1");
      evil.sendRaw("{}\0".repeat(5000).getBytes(StandardCharsets.UTF_8));
      List<JsonObject> got = evil.read(5000);
      assertThat(evil.closedByServer()).isTrue();
      assertThat(got).isNotEmpty().hasSizeLessThan(5000);
      assertThat(got.get(0).getInteger("errno")).isEqualTo(1004);
      assertThat(got.get(got.size() - 1).getInteger("errno")).isEqualTo(1019);
      try (RawClient banned = new RawClient(node.port, "127.0.4.1")) {
        List<JsonObject> refusal = banned.read(3000);
        assertThat(refusal).hasSize(1);
        assertThat(refusal.get(0).getInteger("errno")).isEqualTo(1019);
        assertThat(banned.closedByServer()).isTrue();
      }
      Thread.sleep(2500);
      try (ClassicClient after = new ClassicClient("127.0.0.1", node.port, "127.0.4.1")) {
        after.register(unique("after-ban"));
      }
      String text = "still chatting";
      alice.chat(bob.id, text);
      assertThat(bob.next().getString("msg")).isEqualTo(text);
      alice.close();
      bob.close();
    }
  }

  @Test
  void idleConnectionsAndUnfinishedFramesTimeOut() throws Exception {
    JsonObject limits = new JsonObject().put("CHAT_LOGIN_TIMEOUT_MS", 1000).put("CHAT_FRAME_TIMEOUT_MS", 1000)
        .put("CHAT_IDLE_TIMEOUT_MS", 2000);
    try (TestNode node = node(limits)) {
      try (RawClient idle = new RawClient(node.port); RawClient stuck = new RawClient(node.port)) {
        stuck.sendRaw("{\"msgid\":4,\"name\":\"half a fr".getBytes(StandardCharsets.UTF_8));
        assertTimedOut(idle);
        assertTimedOut(stuck);
      }
      ClassicClient user = node.connect().register(unique("idler"));
      user.loginOk();
      long t0 = System.currentTimeMillis();
      JsonObject error = user.next();
      assertThat(error.getInteger("errno")).isEqualTo(1016);
      assertThat(user.awaitClosed()).isTrue();
      assertThat(System.currentTimeMillis() - t0).isBetween(1000L, 5000L);
      ClassicClient.loginWhenFree(node.port, user).close();
    }
  }

  @Test
  void connectionsPerAddressAndPerNodeAreCapped() throws Exception {
    JsonObject limits = new JsonObject().put("CHAT_MAX_CONNECTIONS_PER_IP", 5).put("CHAT_MAX_CONNECTIONS", 8);
    try (TestNode node = node(limits)) {
      List<RawClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          open.add(new RawClient(node.port));
        }
        Thread.sleep(300); // accepted by the kernel first, then by the gateway
        assertRefused(new RawClient(node.port), 1017);
        for (int i = 0; i < 3; i++) {
          open.add(new RawClient(node.port, "127.0.0.2"));
        }
        Thread.sleep(300);
        assertRefused(new RawClient(node.port, "127.0.0.3"), 1017);
        open.remove(0).close();
        Thread.sleep(200);
        try (ClassicClient c = node.connect()) {
          c.register(unique("room-again"));
        }
      } finally {
        for (RawClient c : open) {
          c.close();
        }
      }
    }
  }

  @Test
  void newConnectionsPerAddressAreRateLimited() throws Exception {
    JsonObject limits = new JsonObject().put("CHAT_CONNECT_RATE_PER_IP", 1).put("CHAT_CONNECT_BURST_PER_IP", 3);
    try (TestNode node = node(limits)) {
      List<RawClient> open = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        open.add(new RawClient(node.port));
      }
      // the 4th within a second is refused; on a slow machine a token may have come back meanwhile
      int refused = 0;
      for (int i = 0; i < 3 && refused == 0; i++) {
        RawClient c = new RawClient(node.port);
        List<JsonObject> frames = c.read(300);
        if (frames.isEmpty()) {
          open.add(c);
          continue;
        }
        assertThat(frames).extracting(f -> f.getInteger("errno")).containsExactly(1015);
        assertThat(c.closedByServer()).isTrue();
        c.close();
        refused++;
      }
      assertThat(refused).isEqualTo(1);
      try (RawClient other = new RawClient(node.port, "127.0.0.2")) {
        assertThat(other.read(300)).isEmpty();
        assertThat(other.closedByServer()).as("another address is not affected").isFalse();
      }
      for (RawClient c : open) {
        c.close();
      }
    }
  }

  @Test
  void messagesOverTheRateAreRefusedWithAnErrorNotDropped() throws Exception {
    JsonObject limits = new JsonObject().put("CHAT_MESSAGE_RATE", 1).put("CHAT_MESSAGE_BURST", 5).put("CHAT_STRIKES", 100);
    try (TestNode node = node(limits);
        ClassicClient alice = node.connect().register(unique("fast"));
        ClassicClient bob = node.connect().register(unique("bob"))) {
      alice.loginOk();
      bob.loginOk();
      for (int i = 0; i < 10; i++) {
        alice.chat(bob.id, "r-" + i);
      }
      List<JsonObject> errors = alice.drain(1000);
      List<JsonObject> delivered = bob.drain(500);
      assertThat(errors).allSatisfy(e -> assertThat(e.getInteger("errno")).isEqualTo(1015));
      assertThat(delivered.size()).isBetween(5, 6);
      assertThat(errors.size() + delivered.size()).isEqualTo(10);
    }
  }

  private static void assertTimedOut(RawClient c) throws Exception {
    List<JsonObject> frames = c.read(5000);
    assertThat(c.closedByServer()).isTrue();
    assertThat(frames).extracting(f -> f.getInteger("errno")).containsExactly(1016);
  }

  private static void assertRefused(RawClient c, int code) throws Exception {
    try (c) {
      List<JsonObject> frames = c.read(3000);
      assertThat(frames).extracting(f -> f.getInteger("errno")).containsExactly(code);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  private static RawClient loginRaw(TestNode node, ClassicClient user) throws Exception {
    RawClient raw = new RawClient(node.port);
    raw.send(new JsonObject().put("msgid", 1).put("id", user.id).put("password", user.password).encode());
    List<JsonObject> ack = raw.read(3000);
    assertThat(ack).isNotEmpty();
    assertThat(ack.get(0).getInteger("errno")).isEqualTo(0);
    return raw;
  }

  /** Collects chat messages on {@code c} (login ack first) until {@code total} distinct ones are known. */
  private static int collect(ClassicClient c, int total, Set<String> got) throws Exception {
    int copies = 0;
    for (JsonObject m : ClassicClient.decoded(c.pendingAck, "offlinemsg")) {
      got.add(m.getString("msg"));
      copies++;
    }
    while (got.size() < total) {
      JsonObject f = c.next();
      assertThat(f.containsKey("closed")).as("closed after %d messages", got.size()).isFalse();
      if (f.getInteger("msgid") == 6) {
        got.add(f.getString("msg"));
        copies++;
      }
    }
    for (JsonObject f : c.drain(500)) { // anything more is a duplicate
      if (Integer.valueOf(6).equals(f.getInteger("msgid"))) {
        copies++;
      }
    }
    return copies;
  }

  private static void othersStillChat(TestNode node) throws Exception {
    try (ClassicClient a = node.connect().register(unique("a")); ClassicClient b = node.connect().register(unique("b"))) {
      a.loginOk();
      b.loginOk();
      a.chat(b.id, "still serving");
      assertThat(b.next().getString("msg")).isEqualTo("still serving");
    }
  }
}
