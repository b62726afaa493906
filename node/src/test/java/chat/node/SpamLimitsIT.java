package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hardening 2, attack 5: spam had no limits of its own. One account sent 60 friend requests, 60
 * messages to strangers and typing to 60 strangers in 0.1 s, and the generic 200 requests and
 * 100 messages a second allowed about 720,000 friend requests an hour. Each attack is mounted
 * here as fast as a client can pipeline it, against small configured limits; past each limit
 * the answer is 1015, and what must keep working (friends, other accounts) does.
 */
class SpamLimitsIT {
  static final int ATTACK = 60;
  static final int REQUESTS_PER_HOUR = 10;
  static final int PENDING_MAX = 5;
  static final int STRANGER_MESSAGES_PER_MIN = 10;
  static final int STRANGER_TYPING_PER_MIN = 10;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        .put("CHAT_FRIEND_REQUESTS_PER_HOUR", REQUESTS_PER_HOUR)
        .put("CHAT_FRIEND_PENDING_MAX", PENDING_MAX)
        .put("CHAT_STRANGER_MESSAGES_PER_MIN", STRANGER_MESSAGES_PER_MIN)
        .put("CHAT_STRANGER_TYPING_PER_MIN", STRANGER_TYPING_PER_MIN)
        // enough strikes to see every refusal of one attack; the strike test goes past it
        .put("CHAT_STRIKES", 100));
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  /** {@code n} new users, registered over one connection (the targets need not be online). */
  private static List<Integer> users(int n) throws Exception {
    List<Integer> ids = new ArrayList<>();
    try (V2Client c = new V2Client(node.port).hello()) {
      for (int i = 0; i < n; i++) {
        ids.add(c.ok(new JsonObject().put("type", "register").put("name", unique("spam")).put("password", "pw-target"))
            .getInteger("user"));
      }
    }
    return ids;
  }

  /** The replies to {@code frames} sent at once (pipelined), in order, and how long it took. */
  private static List<JsonObject> burst(V2Client c, List<Integer> targets, IntFunction<JsonObject> frame) throws Exception {
    long started = System.nanoTime();
    for (int i = 0; i < targets.size(); i++) {
      c.sendRaw(frame.apply(targets.get(i)).put("id", "b" + i).encode());
    }
    List<JsonObject> replies = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      replies.add(c.nextReply());
    }
    System.out.printf("SpamLimitsIT: %d %s sent and answered in %d ms%n", targets.size(),
        frame.apply(0).getString("type"), (System.nanoTime() - started) / 1_000_000);
    replies.sort((a, b) -> Integer.compare(Integer.parseInt(a.getString("re").substring(1)), Integer.parseInt(b.getString("re").substring(1))));
    return replies;
  }

  private static long ok(List<JsonObject> replies) {
    return replies.stream().filter(r -> r.getBoolean("ok")).count();
  }

  private static long limited(List<JsonObject> replies) {
    return replies.stream().filter(r -> !r.getBoolean("ok") && r.getInteger("code") == 1015).count();
  }

  private static void report(String what, List<JsonObject> replies) {
    System.out.printf("SpamLimitsIT: %s: %d sent, %d accepted, %d refused with 1015%n", what, replies.size(), ok(replies), limited(replies));
  }

  /** {@code a} and {@code b} are v2 friends: each has the other. */
  private static void befriend(V2Client a, V2Client b) throws Exception {
    a.ok(new JsonObject().put("type", "friend.request").put("user", b.user));
    b.ok(new JsonObject().put("type", "friend.accept").put("user", a.user));
  }

  private static JsonObject sendTo(int user, String text) {
    return new JsonObject().put("type", "send").put("to", new JsonObject().put("user", user)).put("cmid", unique("c")).put("text", text);
  }

  private static JsonObject typingTo(int user) {
    return new JsonObject().put("type", "typing").put("with", new JsonObject().put("user", user));
  }

  private static JsonObject friendRequest(int user) {
    return new JsonObject().put("type", "friend.request").put("user", user);
  }

  @Test
  void friendRequestsPastTheHourlyAndPendingLimitsAre1015AndOthersStillAsk() throws Exception {
    List<Integer> targets = users(ATTACK);
    try (V2Client spammer = V2Client.online(node.port, "frspam"); V2Client other = V2Client.online(node.port, "frother")) {
      List<JsonObject> replies = burst(spammer, targets, SpamLimitsIT::friendRequest);
      report("friend requests", replies);
      assertThat(replies).hasSize(ATTACK);
      // the first 10 pass the hourly limit; 5 of them are stored, then 5 find 5 waiting
      assertThat(replies.subList(0, PENDING_MAX)).allSatisfy(r -> assertThat(r.getString("outcome")).as("%s", r).isEqualTo("requested"));
      assertThat(replies.subList(PENDING_MAX, ATTACK)).allSatisfy(r -> assertThat(r.getInteger("code")).as("%s", r).isEqualTo(1015));
      assertThat(replies.subList(PENDING_MAX, REQUESTS_PER_HOUR))
          .allSatisfy(r -> assertThat(r.getString("error")).contains("waiting for an answer"));
      assertThat(replies.subList(REQUESTS_PER_HOUR, ATTACK))
          .allSatisfy(r -> assertThat(r.getString("error")).contains("too many friend requests"));
      assertThat(Poll.number("SELECT COUNT(*) FROM friend_requests WHERE from_id = ?", spammer.user)).isEqualTo(PENDING_MAX);

      // still works: the spammer's friends answer it, another account asks, a target accepts
      assertThat(other.ok(friendRequest(targets.get(0))).getString("outcome")).isEqualTo("requested");
      assertThat(spammer.ok(new JsonObject().put("type", "ping")).getBoolean("ok")).isTrue();
    }
  }

  @Test
  void classicAddfriendCountsAsARequest() throws Exception {
    List<Integer> targets = users(ATTACK);
    ClassicClient spammer = node.connect().register(unique("addspam"));
    spammer.loginOk();
    for (int t : targets) {
      spammer.addFriend(t);
    }
    Poll.until("the adds answered", () -> Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ?", spammer.id) == REQUESTS_PER_HOUR);
    Thread.sleep(500); // the refused ones leave no row: give any late one time to show up
    long added = Poll.number("SELECT COUNT(*) FROM friends WHERE user_id = ?", spammer.id);
    System.out.printf("SpamLimitsIT: classic addfriend: %d sent, %d added%n", ATTACK, added);
    assertThat(added).isEqualTo(REQUESTS_PER_HOUR);
    spammer.close();
  }

  @Test
  void messagesToStrangersPastTheLimitAre1015AndFriendsAndOthersAreUnaffected() throws Exception {
    List<Integer> strangers = users(ATTACK);
    try (V2Client spammer = V2Client.online(node.port, "msgspam");
        V2Client buddy = V2Client.online(node.port, "msgbuddy");
        V2Client other = V2Client.online(node.port, "msgother")) {
      befriend(spammer, buddy);
      List<JsonObject> replies = burst(spammer, strangers, u -> sendTo(u, "buy now"));
      report("messages to strangers", replies);
      assertThat(ok(replies)).isEqualTo(STRANGER_MESSAGES_PER_MIN);
      assertThat(limited(replies)).isEqualTo(ATTACK - STRANGER_MESSAGES_PER_MIN);
      assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ?", spammer.user)).isEqualTo(STRANGER_MESSAGES_PER_MIN);

      // a friend still gets every message, pipelined too, and is pushed them
      List<JsonObject> toBuddy = burst(spammer, java.util.Collections.nCopies(20, buddy.user), u -> sendTo(u, "hi friend"));
      report("messages to a friend after the limit", toBuddy);
      assertThat(ok(toBuddy)).isEqualTo(20);
      for (int i = 0; i < 20; i++) {
        JsonObject push = buddy.push();
        while (!"msg".equals(push.getString("type"))) {
          push = buddy.push();
        }
        assertThat(push.getJsonObject("msg").getString("text")).isEqualTo("hi friend");
      }
      // another account still writes to the same strangers
      List<JsonObject> others = burst(other, strangers.subList(0, STRANGER_MESSAGES_PER_MIN), u -> sendTo(u, "hello"));
      assertThat(ok(others)).isEqualTo(STRANGER_MESSAGES_PER_MIN);
    }
  }

  @Test
  void typingToStrangersPastTheLimitIs1015AndToAFriendStillArrives() throws Exception {
    List<Integer> strangers = users(ATTACK);
    try (V2Client spammer = V2Client.online(node.port, "tyspam");
        V2Client buddy = V2Client.online(node.port, "tybuddy");
        V2Client other = V2Client.online(node.port, "tyother")) {
      befriend(spammer, buddy);
      drain(buddy);
      List<JsonObject> replies = burst(spammer, strangers, SpamLimitsIT::typingTo);
      report("typing to strangers", replies);
      assertThat(ok(replies)).isEqualTo(STRANGER_TYPING_PER_MIN);
      assertThat(limited(replies)).isEqualTo(ATTACK - STRANGER_TYPING_PER_MIN);

      spammer.ok(typingTo(buddy.user));
      JsonObject push = buddy.push();
      assertThat(push.getString("type")).as("%s", push).isEqualTo("typing");
      assertThat(other.ok(typingTo(strangers.get(0))).getBoolean("ok")).isTrue();
    }
  }

  @Test
  void refusalsCountAsStrikesThatCloseTheConnection() throws Exception {
    List<Integer> strangers = users(ATTACK);
    try (V2Client spammer = V2Client.online(node.port, "strikespam")) {
      // 10 typing notices pass, then 50 refusals: 50 strikes, and the connection stays
      List<JsonObject> first = burst(spammer, strangers, SpamLimitsIT::typingTo);
      assertThat(limited(first)).isEqualTo(ATTACK - STRANGER_TYPING_PER_MIN);
      assertThat(spammer.closed).isFalse();
      // 50 more strikes reach CHAT_STRIKES (100): closed, and the account banned
      try {
        for (int round = 0; round < 3; round++) {
          for (int i = 0; i < ATTACK; i++) {
            spammer.sendRaw(typingTo(strangers.get(i)).put("id", "x" + round + "-" + i).encode());
          }
        }
      } catch (java.io.IOException closedMeanwhile) {
        // the node closed the connection while the attack was still being written
      }
      Poll.until("the connection closed", () -> spammer.closed);
      System.out.println("SpamLimitsIT: the spammer's connection was closed after CHAT_STRIKES refusals");
    }
  }

  private static void drain(V2Client c) throws InterruptedException {
    while (c.pollPush(300) != null) {
      // the friendship's pushes
    }
  }
}
