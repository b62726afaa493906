package chat.node;

import static chat.node.ClassicClient.decoded;
import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three nodes in one JVM sharing a real MariaDB and a real Redis, as three hosts would. */
class ClusterIT {
  static TestRedis redis;
  static TestNode n1;
  static TestNode n2;
  static TestNode n3;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(TestRedis.available(), "redis-server not installed");
    redis = new TestRedis();
    n1 = TestNode.start(new JsonObject().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "n1"));
    n2 = TestNode.start(new JsonObject().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "n2"));
    n3 = TestNode.start(new JsonObject().put("CHAT_REDIS_URL", redis.url()).put("CHAT_NODE_ID", "n3"));
    for (TestNode n : List.of(n1, n2, n3)) {
      Health.awaitRedis(n, "up");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    TestNode.closeAll(n1, n2, n3);
    if (redis != null) {
      redis.close();
    }
  }

  private static ClassicClient online(TestNode node, String prefix) throws Exception {
    ClassicClient c = node.connect().register(unique(prefix));
    c.loginOk();
    return c;
  }

  private static ClassicClient as(TestNode node, ClassicClient who) throws Exception {
    ClassicClient c = node.connect();
    c.id = who.id;
    c.password = who.password;
    c.name = who.name;
    return c;
  }

  /** Friend notices go through the Redis node channel; the block is read from the shared database. */
  @Test
  void friendNoticesAndBlocksCrossNodes() throws Exception {
    try (V2Client a = new V2Client(n1.port).hello().register(unique("xfa"));
        V2Client b = new V2Client(n2.port).hello().register(unique("xfb"))) {
      a.login();
      b.login();
      a.ok(new JsonObject().put("type", "friend.request").put("user", b.user));
      JsonObject push = b.push();
      assertThat(push.getString("event")).as("%s", push).isEqualTo("request");
      assertThat(push.getInteger("user")).isEqualTo(a.user);
      b.ok(new JsonObject().put("type", "friend.accept").put("user", a.user));
      assertThat(a.push().getString("event")).isEqualTo("accepted");
      assertThat(a.push().getString("type")).isEqualTo("presence"); // new friends learn each other's presence
      assertThat(b.push().getString("type")).isEqualTo("presence");
      b.ok(new JsonObject().put("type", "block").put("user", a.user));
      assertThat(a.push().getString("event")).isEqualTo("removed");
      assertThat(a.call(new JsonObject().put("type", "send").put("to", new JsonObject().put("user", b.user))
          .put("cmid", "x-blocked").put("text", "hi")).getInteger("code")).isEqualTo(1007);
    }
  }

  @Test
  void oneToOneChatCrossesNodesInOrder() throws Exception {
    try (ClassicClient a = online(n1, "xa"); ClassicClient b = online(n2, "xb")) {
      for (int i = 0; i < 100; i++) {
        a.chat(b.id, "m" + i);
      }
      List<String> got = IntStream.range(0, 100).mapToObj(i -> next(b).getString("msg")).toList();
      assertThat(got).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "m" + i).toList());
      assertThat(b.drain(300)).isEmpty();
      b.chat(a.id, "back");
      assertThat(a.next().getString("msg")).isEqualTo("back");
    }
  }

  @Test
  void groupChatReachesMembersOnEveryNode() throws Exception {
    try (ClassicClient owner = online(n1, "go"); ClassicClient m2 = online(n2, "g2"); ClassicClient m3 = online(n3, "g3")) {
      int group = Poll.createGroup(owner, unique("grp"));
      Poll.joinGroup(m2, group);
      Poll.joinGroup(m3, group);
      owner.groupChat(group, "hello all");
      assertThat(m2.next().getString("msg")).isEqualTo("hello all");
      assertThat(m3.next().getString("msg")).isEqualTo("hello all");
      m3.groupChat(group, "from n3");
      assertThat(owner.next().getString("msg")).isEqualTo("from n3");
      assertThat(m2.next().getString("msg")).isEqualTo("from n3");
      assertThat(m3.drain(200)).isEmpty();
    }
  }

  @Test
  void anAccountInUseIsRefusedOnEveryNode() throws Exception {
    ClassicClient a = online(n1, "use");
    try (ClassicClient on2 = as(n2, a); ClassicClient on3 = as(n3, a)) {
      assertThat(on2.login().getInteger("errno")).isEqualTo(2);
      assertThat(on3.login().getInteger("errno")).isEqualTo(2);
      a.logout();
      Poll.until("released cluster-wide", () -> on2.login().getInteger("errno") == 0);
    }
    a.close();
  }

  @Test
  void simultaneousLoginsOnTwoNodesCannotBothSucceed() throws Exception {
    ClassicClient owner = n1.connect().register(unique("sim"));
    for (int round = 0; round < 5; round++) {
      try (ClassicClient x = as(n1, owner); ClassicClient y = as(n2, owner)) {
        CompletableFuture<JsonObject> fx = CompletableFuture.supplyAsync(() -> login(x));
        CompletableFuture<JsonObject> fy = CompletableFuture.supplyAsync(() -> login(y));
        assertThat(List.of(fx.get().getInteger("errno"), fy.get().getInteger("errno"))).containsExactlyInAnyOrder(0, 2);
      }
      ClassicClient probe = as(n3, owner);
      Poll.until("released", () -> probe.login().getInteger("errno") == 0);
      probe.close();
      Thread.sleep(100);
    }
    owner.close();
  }

  @Test
  void friendsOnOtherNodesShowAsOnline() throws Exception {
    try (ClassicClient a = online(n1, "fa"); ClassicClient b = online(n2, "fb")) {
      a.addFriend(b.id);
      b.addFriend(a.id); // presence by consent: each has added the other
      Poll.until("friend", () -> Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ?", a.id) == 1);
      Poll.until("friend back", () -> Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ?", b.id) == 1);
      a.logout();
      JsonObject[] ack = new JsonObject[1];
      Poll.until("re-login", () -> (ack[0] = a.login()).getInteger("errno") == 0);
      assertThat(decoded(ack[0], "friends").get(0).getString("state")).isEqualTo("online");
    }
  }

  @Test
  void aUserOfADeadNodeCanLogInAndMessagesToThemAreStored() throws Exception {
    ClassicClient ghost = n1.connect().register(unique("ghost"));
    // what a node killed with -9 leaves behind: an entry whose node has no heartbeat any more
    redis.cli("SET", "chat:user:" + ghost.id, "dead-boot|gateway.session.dead.1");
    try (ClassicClient a = online(n2, "to-ghost")) {
      a.chat(ghost.id, "while you were gone");
      Thread.sleep(200);
      JsonObject ack = ghost.loginOk();
      assertThat(decoded(ack, "offlinemsg")).extracting(f -> f.getString("msg")).containsExactly("while you were gone");
    }
    ghost.close();
  }

  @Test
  void aMissedPublishIsCaughtUpFromTheDatabaseExactlyOnce() throws Exception {
    try (ClassicClient a = online(n1, "ma"); ClassicClient b = online(n2, "mb")) {
      a.chat(b.id, "before");
      assertThat(b.next().getString("msg")).isEqualTo("before");
      redis.cli("CLIENT", "KILL", "TYPE", "pubsub"); // every node loses its subscription
      for (int i = 0; i < 30; i++) {
        a.chat(b.id, "n" + i);
      }
      List<String> got = b.drain(4000).stream().map(f -> f.getString("msg")).toList();
      assertThat(got).containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "n" + i).toList());
    }
  }

  private static JsonObject next(ClassicClient c) {
    try {
      return c.next();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject login(ClassicClient c) {
    try {
      return c.login();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Presence and typing are pushed by the node of the one who changed or typed, through Redis to the other's node. */
  @Test
  void presenceAndTypingCrossNodes() throws Exception {
    try (V2Client a = new V2Client(n1.port).hello().register(unique("xpa"))) {
      V2Client b = new V2Client(n2.port).hello().register(unique("xpb"));
      a.login();
      b.login();
      a.ok(new JsonObject().put("type", "friend.request").put("user", b.user));
      assertThat(b.push().getString("event")).isEqualTo("request");
      b.ok(new JsonObject().put("type", "friend.accept").put("user", a.user));
      assertThat(a.push().getString("event")).isEqualTo("accepted");
      assertThat(a.push().getString("type")).isEqualTo("presence"); // new friends learn each other's presence
      assertThat(b.push().getString("type")).isEqualTo("presence");
      b.close();
      JsonObject off = a.push();
      assertThat(off.getString("type")).as("%s", off).isEqualTo("presence");
      assertThat(off.getBoolean("online")).isFalse();
      try (V2Client b3 = new V2Client(n3.port).hello()) {
        b3.user = b.user;
        b3.password = b.password;
        Poll.until("b can log in on n3", () -> b3.call(new JsonObject().put("type", "login").put("user", b3.user)
            .put("password", b3.password)).getBoolean("ok", false));
        JsonObject on = a.push();
        assertThat(on.getString("type")).as("%s", on).isEqualTo("presence");
        assertThat(on.getInteger("user")).isEqualTo(b.user);
        assertThat(on.getBoolean("online")).isTrue();
        a.ok(new JsonObject().put("type", "typing").put("with", new JsonObject().put("user", b.user)));
        JsonObject typing = b3.push();
        assertThat(typing.getString("type")).as("%s", typing).isEqualTo("typing");
        assertThat(typing.getInteger("user")).isEqualTo(a.user);
      }
      // a reconnect to another node inside n3's window: n3's held "offline" must not overtake n1's "online"
      try (V2Client b1 = new V2Client(n1.port).hello()) {
        b1.user = b.user;
        b1.password = b.password;
        Poll.until("b can log in on n1", () -> b1.call(new JsonObject().put("type", "login").put("user", b1.user)
            .put("password", b1.password)).getBoolean("ok", false));
        JsonObject last = null;
        for (JsonObject p = a.pollPush(2500); p != null; p = a.pollPush(2500)) {
          last = p;
        }
        assertThat(last).as("the last presence of b").isNotNull();
        assertThat(last.getBoolean("online")).as("%s", last).isTrue();
      }
    }
  }
}
