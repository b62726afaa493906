package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence pushed to friends, coalesced, and typing notices (docs/protocol.md section 5). */
class V2PresenceIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  private static V2Client online(String name) throws Exception {
    return V2Client.online(node.port, name);
  }

  /** A new connection for the same account, logged in; retried while the old login is still being released. */
  private static V2Client again(V2Client who) throws Exception {
    return V2Client.loginWhenFree(node.port, who);
  }

  private static void befriend(V2Client a, V2Client b) throws Exception {
    a.ok(new JsonObject().put("type", "friend.request").put("user", b.user));
    assertThat(b.push().getString("event")).isEqualTo("request");
    b.ok(new JsonObject().put("type", "friend.accept").put("user", a.user));
    assertThat(a.push().getString("event")).isEqualTo("accepted");
    // new friends learn each other's presence at once
    assertPresence(a.push(), b, true);
    assertPresence(b.push(), a, true);
  }

  private static void assertPresence(JsonObject push, V2Client of, boolean online) {
    assertThat(push.getString("type")).as("%s", push).isEqualTo("presence");
    assertThat(push.getInteger("user")).as("%s", push).isEqualTo(of.user);
    assertThat(push.getBoolean("online")).as("%s", push).isEqualTo(online);
    assertThat(push.fieldNames()).containsExactlyInAnyOrder("type", "user", "online");
  }

  private static JsonObject typing(V2Client c, JsonObject with) throws Exception {
    return c.call(new JsonObject().put("type", "typing").put("with", with));
  }

  private static List<JsonObject> pushesWithin(V2Client c, long ms) throws InterruptedException {
    List<JsonObject> got = new ArrayList<>();
    long end = System.currentTimeMillis() + ms;
    JsonObject p;
    while ((p = c.pollPush(Math.max(1, end - System.currentTimeMillis()))) != null) {
      got.add(p);
    }
    return got;
  }

  @Test
  void aFriendGoingOfflineAndOnlineIsPushedToTheOtherFriendAndToNobodyElse() throws Exception {
    try (V2Client alice = online("pa"); V2Client stranger = online("ps")) {
      V2Client bob = online("pb");
      befriend(alice, bob);
      bob.ok(new JsonObject().put("type", "logout"));
      bob.close();
      assertPresence(alice.push(), bob, false);
      try (V2Client bob2 = again(bob)) {
        assertPresence(alice.push(), bob, true);
        bob2.close(); // a dropped connection counts as a logout
        assertPresence(alice.push(), bob, false);
      }
      assertThat(stranger.pollPush(1500)).as("not a friend: no presence").isNull();
    }
  }

  @Test
  void aFlapInsideOneSecondReachesFriendsAsItsFinalStateOnly() throws Exception {
    try (V2Client alice = online("pfa")) {
      V2Client bob = online("pfb");
      befriend(alice, bob);
      bob.close();
      assertPresence(alice.push(), bob, false);
      Thread.sleep(1200); // let bob's window close: the flap starts from quiet
      long start = System.currentTimeMillis();
      V2Client b1 = again(bob);
      b1.close();
      V2Client b2 = again(bob);
      b2.close();
      V2Client b3 = again(bob);
      long flapMs = System.currentTimeMillis() - start;
      List<JsonObject> seen = pushesWithin(alice, 2500);
      assertThat(seen).as("%s", seen).isNotEmpty();
      assertPresence(seen.get(seen.size() - 1), bob, true);
      if (flapMs < 900) {
        assertThat(seen).as("on, off, on, off, on inside one window: %s", seen).hasSize(1);
      } else {
        // a slow machine spreads the flap over more windows: still at most one push per second
        assertThat(seen.size()).as("flap took %d ms: %s", flapMs, seen).isLessThanOrEqualTo(2 + (int) (flapMs / 1000));
      }
      b3.close();
    }
  }

  @Test
  void typingReachesTheOtherUserAtMostOncePerSecond() throws Exception {
    try (V2Client alice = online("ta"); V2Client bob = online("tb")) {
      JsonObject toBob = new JsonObject().put("user", bob.user);
      for (int i = 0; i < 5; i++) {
        assertThat(typing(alice, toBob).getBoolean("ok")).isTrue();
      }
      List<JsonObject> seen = pushesWithin(bob, 800);
      assertThat(seen).as("five notices inside a second: one push").hasSize(1);
      JsonObject push = seen.get(0);
      assertThat(push.getString("type")).isEqualTo("typing");
      assertThat(push.getInteger("user")).isEqualTo(alice.user);
      assertThat(push.getJsonObject("with")).isEqualTo(new JsonObject().put("user", alice.user));
      Thread.sleep(300);
      typing(alice, toBob);
      assertThat(bob.push().getString("type")).as("a second later it goes through again").isEqualTo("typing");
      assertThat(alice.pollPush(300)).as("never echoed to the sender").isNull();

      assertThat(typing(alice, new JsonObject().put("user", alice.user)).getInteger("code")).isEqualTo(1013);
      assertThat(typing(alice, new JsonObject().put("user", 999_999_999)).getInteger("code")).isEqualTo(1008);
      assertThat(typing(alice, new JsonObject()).getInteger("code")).isEqualTo(1004);
      assertThat(alice.call(new JsonObject().put("type", "typing")).getInteger("code")).isEqualTo(1004);

      bob.ok(new JsonObject().put("type", "block").put("user", alice.user));
      try (V2Client dave = online("td")) {
        dave.ok(new JsonObject().put("type", "block").put("user", alice.user));
        assertThat(typing(alice, new JsonObject().put("user", dave.user)).getInteger("code")).as("blocked by the other").isEqualTo(1007);
        assertThat(dave.pollPush(300)).isNull();
      }
    }
  }

  @Test
  void typingToAGroupReachesItsOnlineMembersAndOnlyMembersMayType() throws Exception {
    ClassicClient owner = node.connect().register(unique("tgo"));
    ClassicClient member = node.connect().register(unique("tgm"));
    owner.loginOk();
    member.loginOk();
    int group = Poll.createGroup(owner, unique("typers"));
    Poll.joinGroup(member, group);
    owner.close();
    member.close();
    try (V2Client o = again(asV2(owner)); V2Client m = again(asV2(member)); V2Client outsider = online("tgx")) {
      JsonObject inGroup = new JsonObject().put("group", group);
      assertThat(typing(o, inGroup).getBoolean("ok")).isTrue();
      typing(o, inGroup);
      List<JsonObject> seen = pushesWithin(m, 800);
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).getInteger("user")).isEqualTo(owner.id);
      assertThat(seen.get(0).getJsonObject("with")).isEqualTo(inGroup);
      assertThat(o.pollPush(200)).as("not to the sender").isNull();
      assertThat(typing(outsider, inGroup).getInteger("code")).as("not a member").isEqualTo(1007);
      assertThat(typing(outsider, new JsonObject().put("group", 999_999_999)).getInteger("code")).isEqualTo(1008);
      assertThat(m.pollPush(300)).isNull();
    }
  }

  private static V2Client asV2(ClassicClient c) throws Exception {
    V2Client shape = new V2Client(node.port);
    shape.close();
    shape.user = c.id;
    shape.name = c.name;
    shape.password = c.password;
    return shape;
  }
}
