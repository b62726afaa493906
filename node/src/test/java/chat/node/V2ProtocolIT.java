package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Protocol v2 on the classic port: negotiation, replies, pushes with seq, acks, sync, and classic users alongside. */
class V2ProtocolIT {
  /** Every v2 time (docs/protocol.md section 1): ISO-8601 UTC, whole seconds, seconds always written. */
  static final String ISO_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  private static V2Client v2(String name) throws Exception {
    V2Client c = new V2Client(node.port).hello().register(unique(name));
    return c;
  }

  @Test
  void everyRequestGetsOneReplyAndMessagesArriveWithTheirSeq() throws Exception {
    try (V2Client alice = v2("v2a"); V2Client bob = v2("v2b")) {
      JsonObject login = alice.login();
      assertThat(login.getString("name")).isEqualTo(alice.name);
      assertThat(login.getJsonArray("msgs")).isEmpty();
      bob.login();
      JsonObject sent = alice.send(bob.user, "c-1", "你好 😀 <b>");
      assertThat(sent.getLong("messageId")).isPositive();
      JsonObject push = bob.push();
      assertThat(push.getString("type")).isEqualTo("msg");
      assertThat(push.getLong("seq")).isEqualTo(1);
      JsonObject msg = push.getJsonObject("msg");
      assertThat(msg.getString("text")).isEqualTo("你好 😀 <b>");
      assertThat(msg.getInteger("from")).isEqualTo(alice.user);
      assertThat(msg.getJsonObject("to").getInteger("user")).isEqualTo(bob.user);
      assertThat(msg.getLong("id")).isEqualTo(sent.getLong("messageId"));
      assertThat(alice.ok(new JsonObject().put("type", "ping")).getString("time")).matches(ISO_UTC);
    }
  }

  @Test
  void whatWasNotAckedComesAgainAtTheNextLoginAndSyncReadsAnyRange() throws Exception {
    V2Client alice = v2("v2sa");
    V2Client bob = v2("v2sb");
    alice.login();
    bob.login();
    for (int i = 1; i <= 5; i++) {
      alice.send(bob.user, "s-" + i, "m" + i);
    }
    for (int i = 1; i <= 5; i++) {
      assertThat(bob.push().getLong("seq")).isEqualTo(i);
    }
    bob.ok(new JsonObject().put("type", "ack").put("seq", 3));
    bob.ok(new JsonObject().put("type", "logout"));
    bob.close();
    try (V2Client again = new V2Client(node.port).hello()) {
      again.user = bob.user;
      again.password = bob.password;
      JsonObject login = again.login();
      List<Long> seqs = new ArrayList<>();
      login.getJsonArray("msgs").forEach(m -> seqs.add(((JsonObject) m).getLong("seq")));
      assertThat(seqs).as("unacked, once each").containsExactly(4L, 5L);
      JsonObject sync = again.ok(new JsonObject().put("type", "sync").put("after", 0).put("limit", 2));
      JsonArray page = sync.getJsonArray("msgs");
      assertThat(page).hasSize(2);
      assertThat(page.getJsonObject(0).getLong("seq")).isEqualTo(1);
      assertThat(sync.getBoolean("more")).isTrue();
      assertThat(again.pollPush(300)).as("nothing pushed twice").isNull();
    }
    alice.close();
  }

  @Test
  void aResendWithTheSameClientIdIsStoredAndDeliveredOnce() throws Exception {
    try (V2Client alice = v2("v2da"); V2Client bob = v2("v2db")) {
      alice.login();
      bob.login();
      JsonObject first = alice.send(bob.user, "dup-1", "once");
      assertThat(first.getBoolean("duplicate")).isFalse();
      assertThat(bob.push().getJsonObject("msg").getString("text")).isEqualTo("once");
      alice.close();
      try (V2Client again = new V2Client(node.port).hello()) { // the reply was lost: resend on a new connection
        again.user = alice.user;
        again.password = alice.password;
        again.login();
        JsonObject resent = again.send(bob.user, "dup-1", "once");
        assertThat(resent.getLong("messageId")).isEqualTo(first.getLong("messageId"));
        assertThat(resent.getBoolean("duplicate")).isTrue();
      }
      assertThat(bob.pollPush(500)).as("not delivered twice").isNull();
      assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ? AND client_msg_id = ?", alice.user, "dup-1")).isEqualTo(1);
    }
  }

  @Test
  void historyPagesBackwardsAndHelloNamesTheEpoch() throws Exception {
    try (V2Client alice = v2("v2ha"); V2Client bob = v2("v2hb")) {
      String epoch = new V2Client(node.port).ok(new JsonObject().put("v", 2).put("type", "hello")).getString("epoch");
      assertThat(epoch).isNotBlank();
      assertThat(alice.login().getString("epoch")).isEqualTo(epoch);
      bob.login();
      for (int i = 1; i <= 5; i++) {
        alice.send(bob.user, "h-" + i, "h" + i);
      }
      JsonObject page = bob.ok(new JsonObject().put("type", "history").put("with", new JsonObject().put("user", alice.user)).put("limit", 3));
      List<String> texts = new ArrayList<>();
      page.getJsonArray("msgs").forEach(m -> texts.add(((JsonObject) m).getString("text")));
      assertThat(texts).containsExactly("h5", "h4", "h3");
      assertThat(page.getBoolean("more")).isTrue();
      long oldest = page.getJsonArray("msgs").getJsonObject(2).getLong("id");
      JsonObject older = bob.ok(new JsonObject().put("type", "history").put("with", new JsonObject().put("user", alice.user))
          .put("before", oldest).put("limit", 3));
      assertThat(older.getJsonArray("msgs")).hasSize(2);
      assertThat(bob.call(new JsonObject().put("type", "history").put("with", new JsonObject().put("group", 999_999)))
          .getInteger("code")).isEqualTo(1008);
    }
  }

  @Test
  void classicAndV2UsersChatWithEachOther() throws Exception {
    try (V2Client v = v2("v2c"); ClassicClient c = node.connect().register(unique("clc"))) {
      v.login();
      c.loginOk();
      v.send(c.id, "x-1", "to classic");
      JsonObject got = c.next();
      assertThat(got.getInteger("msgid")).isEqualTo(6);
      assertThat(got.getString("msg")).isEqualTo("to classic");
      c.chat(v.user, "to v2");
      assertThat(v.push().getJsonObject("msg").getString("text")).isEqualTo("to v2");
    }
  }

  @Test
  void refusalsCarryStableCodes() throws Exception {
    try (V2Client c = new V2Client(node.port).hello()) {
      assertThat(c.call(new JsonObject().put("type", "nonsense")).getInteger("code")).isEqualTo(1005);
      assertThat(c.call(new JsonObject().put("type", "send").put("to", new JsonObject().put("user", 1))
          .put("cmid", "z").put("text", "x")).getInteger("code")).isEqualTo(1006);
      assertThat(c.call(new JsonObject().put("type", "login").put("user", 999_999_999).put("password", "x"))
          .getInteger("code")).isEqualTo(1010);
      assertThat(c.call(new JsonObject().put("type", "ack").put("seq", "many")).getInteger("code")).isIn(1004, 1006);
      c.sendRaw("{\"type\":\"ping\"}");
      JsonObject noId = c.push(); // no request id to answer: an error frame all the same
      assertThat(noId.getBoolean("ok")).isFalse();
      assertThat(noId.getInteger("code")).isEqualTo(1004);
      c.register(unique("v2r"));
      c.login();
      assertThat(c.call(new JsonObject().put("type", "send").put("to", new JsonObject().put("user", 999_999_999))
          .put("cmid", "nobody").put("text", "x")).getInteger("code")).isEqualTo(1008);
      assertThat(c.call(new JsonObject().put("type", "send").put("to", new JsonObject().put("group", 1).put("user", 2))
          .put("cmid", "both").put("text", "x")).getInteger("code")).isEqualTo(1004);
      assertThat(c.call(new JsonObject().put("type", "login").put("user", c.user).put("password", c.password))
          .getInteger("code")).isEqualTo(1007);
    }
  }

  @Test
  void everyTimeIsIsoUtcWithItsSeconds() throws Exception {
    try (V2Client alice = v2("v2ta"); V2Client bob = v2("v2tb")) {
      alice.login();
      JsonObject bobLogin = bob.login();
      assertNear(bobLogin.getString("expires"), Duration.ofDays(7));
      JsonObject sent = alice.send(bob.user, "t-1", "what time is it");
      assertNear(sent.getString("time"), Duration.ZERO);
      JsonObject pushed = bob.push().getJsonObject("msg");
      assertNear(pushed.getString("time"), Duration.ZERO);
      assertThat(pushed.getString("time")).as("push and send reply name one time").isEqualTo(sent.getString("time"));
      JsonObject resent = alice.send(bob.user, "t-1", "what time is it");
      assertThat(resent.getString("time")).as("a duplicate's stored time").isEqualTo(sent.getString("time"));
      JsonObject history = bob.ok(new JsonObject().put("type", "history").put("with", new JsonObject().put("user", alice.user)));
      assertThat(history.getJsonArray("msgs").getJsonObject(0).getString("time")).isEqualTo(sent.getString("time"));
      JsonObject sync = bob.ok(new JsonObject().put("type", "sync").put("after", 0));
      assertThat(sync.getJsonArray("msgs").getJsonObject(0).getJsonObject("msg").getString("time")).isEqualTo(sent.getString("time"));
      assertNear(alice.ok(new JsonObject().put("type", "ping")).getString("time"), Duration.ZERO);
      JsonObject changed = alice.ok(new JsonObject().put("type", "password").put("old", alice.password).put("new", alice.password + "2"));
      assertNear(changed.getString("expires"), Duration.ofDays(7));
      bob.close();
      try (V2Client again = new V2Client(node.port).hello()) {
        again.user = bob.user;
        again.password = bob.password;
        JsonObject login = again.loginWhenFree(); // not acked: the message comes again in the login reply
        assertThat(login.getJsonArray("msgs").getJsonObject(0).getJsonObject("msg").getString("time")).isEqualTo(sent.getString("time"));
      }
    }
  }

  /** An ISO-8601 UTC time with its seconds, within a minute of now plus {@code ahead}. */
  private static void assertNear(String time, Duration ahead) {
    assertThat(time).matches(ISO_UTC);
    assertThat(Duration.between(Instant.now().plus(ahead), Instant.parse(time)).abs()).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void helloCarriesTheLimits() throws Exception {
    try (V2Client c = new V2Client(node.port)) {
      JsonObject limits = c.ok(new JsonObject().put("v", 2).put("type", "hello")).getJsonObject("limits");
      assertThat(limits).as("hello's limits").isNotNull();
      assertThat(limits.getInteger("maxFrameBytes")).isEqualTo(65536);
      assertThat(limits.getInteger("maxDepth")).isEqualTo(32);
      assertThat(limits.getLong("messageRate")).isEqualTo(1_000_000); // the suite's node (TestDatabase)
      assertThat(limits.getInteger("syncLimit")).isEqualTo(500);
      assertThat(limits.getInteger("historyLimit")).isEqualTo(100);
      assertThat(limits.getInteger("maxIdChars")).isEqualTo(64);
      assertThat(limits.fieldNames()).contains("maxPendingRequests", "requestRate", "requestBurst", "messageBurst", "idleTimeoutMs");
    }
  }

  @Test
  void ackAndReadRefuseAMissingOrNegativeNumber() throws Exception {
    try (V2Client alice = v2("v2na"); V2Client bob = v2("v2nb")) {
      alice.login();
      bob.login();
      long id = alice.send(bob.user, "n-1", "x").getLong("messageId");
      JsonObject withAlice = new JsonObject().put("user", alice.user);
      assertThat(bob.call(new JsonObject().put("type", "ack")).getInteger("code")).as("ack without seq").isEqualTo(1004);
      assertThat(bob.call(new JsonObject().put("type", "ack").put("seq", -1)).getInteger("code")).as("ack seq -1").isEqualTo(1004);
      assertThat(bob.call(new JsonObject().put("type", "ack").put("seq", 1.5)).getInteger("code")).as("ack seq 1.5").isEqualTo(1004);
      assertThat(bob.call(new JsonObject().put("type", "read").put("with", withAlice).put("upto", -5)).getInteger("code"))
          .as("read upto -5").isEqualTo(1004);
      assertThat(bob.call(new JsonObject().put("type", "read").put("with", withAlice).put("upto", 2.5)).getInteger("code"))
          .as("read upto 2.5").isEqualTo(1004);
      bob.ok(new JsonObject().put("type", "ack").put("seq", 1));
      bob.ok(new JsonObject().put("type", "read").put("with", withAlice).put("upto", id));
    }
  }
}
