package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Friend requests with consent, removal and blocks (docs/protocol.md section 5), and what classic clients see of them. */
class V2FriendsIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  private static V2Client online(String name) throws Exception {
    return V2Client.online(node.port, name);
  }

  private static JsonObject about(V2Client c, String type, int user) throws Exception {
    return c.call(new JsonObject().put("type", type).put("user", user));
  }

  private static JsonObject okAbout(V2Client c, String type, int user) throws Exception {
    return c.ok(new JsonObject().put("type", type).put("user", user));
  }

  private static List<Integer> ids(V2Client c, String list) throws Exception {
    JsonArray entries = c.ok(new JsonObject().put("type", "friends")).getJsonArray(list);
    List<Integer> ids = new ArrayList<>();
    entries.forEach(e -> ids.add(((JsonObject) e).getInteger("id")));
    return ids;
  }

  private static void assertFriendPush(V2Client to, String event, V2Client from) throws Exception {
    JsonObject push = to.push();
    assertThat(push.getString("type")).as("%s", push).isEqualTo("friend");
    assertThat(push.getString("event")).as("%s", push).isEqualTo(event);
    assertThat(push.getInteger("user")).isEqualTo(from.user);
    assertThat(push.getString("name")).isEqualTo(from.name);
  }

  /** New friends learn each other's presence at once, not at the next change. */
  private static void assertIntroduced(V2Client a, V2Client b) throws Exception {
    for (V2Client[] pair : new V2Client[][] {{a, b}, {b, a}}) {
      JsonObject push = pair[0].push();
      assertThat(push.getString("type")).as("%s", push).isEqualTo("presence");
      assertThat(push.getInteger("user")).isEqualTo(pair[1].user);
      assertThat(push.getBoolean("online")).isTrue();
    }
  }

  @Test
  void aRequestIsPushedAndOnceAcceptedBothAreFriendsAlsoInTheClassicLoginAck() throws Exception {
    V2Client alice = online("fa");
    try (V2Client bob = online("fb")) {
      assertThat(okAbout(alice, "friend.request", bob.user).getString("outcome")).isEqualTo("requested");
      assertFriendPush(bob, "request", alice);
      assertThat(ids(bob, "incoming")).containsExactly(alice.user);
      assertThat(ids(alice, "outgoing")).containsExactly(bob.user);
      assertThat(ids(alice, "friends")).isEmpty();

      okAbout(bob, "friend.accept", alice.user);
      assertFriendPush(alice, "accepted", bob);
      assertIntroduced(alice, bob);
      assertThat(ids(alice, "friends")).containsExactly(bob.user);
      assertThat(ids(bob, "friends")).containsExactly(alice.user);
      assertThat(ids(bob, "incoming")).isEmpty();
      assertThat(ids(alice, "outgoing")).isEmpty();
      assertThat(okAbout(alice, "friend.request", bob.user).getString("outcome")).as("already friends: a no-op").isEqualTo("friends");
      assertThat(bob.pollPush(300)).as("nothing pushed for a no-op").isNull();

      alice.ok(new JsonObject().put("type", "logout"));
      alice.close();
      try (ClassicClient classic = node.connect()) {
        classic.id = alice.user;
        classic.password = alice.password;
        JsonObject ack = classic.loginOk();
        assertThat(ClassicClient.decoded(ack, "friends")).extracting(f -> f.getInteger("id")).containsExactly(bob.user);
      }
    }
  }

  @Test
  void theV2LoginSnapshotCarriesPendingRequests() throws Exception {
    V2Client alice = online("fsa");
    V2Client bob = online("fsb");
    okAbout(alice, "friend.request", bob.user);
    bob.ok(new JsonObject().put("type", "logout"));
    bob.close();
    try (V2Client again = new V2Client(node.port).hello()) {
      again.user = bob.user;
      again.password = bob.password;
      JsonObject requests = again.login().getJsonObject("requests");
      assertThat(requests.getJsonArray("incoming").getJsonObject(0).getInteger("id")).isEqualTo(alice.user);
      assertThat(requests.getJsonArray("outgoing")).isEmpty();
    }
    alice.close();
  }

  @Test
  void declineCrossingRequestsAndRemove() throws Exception {
    try (V2Client alice = online("fda"); V2Client bob = online("fdb")) {
      okAbout(alice, "friend.request", bob.user);
      assertFriendPush(bob, "request", alice);
      okAbout(bob, "friend.decline", alice.user);
      assertFriendPush(alice, "declined", bob);
      assertThat(ids(alice, "outgoing")).isEmpty();
      assertThat(about(bob, "friend.accept", alice.user).getInteger("code")).as("nothing pending").isEqualTo(1008);
      assertThat(about(bob, "friend.decline", alice.user).getInteger("code")).isEqualTo(1008);

      okAbout(alice, "friend.request", bob.user);
      assertFriendPush(bob, "request", alice);
      assertThat(okAbout(bob, "friend.request", alice.user).getString("outcome")).as("asked back: accepted").isEqualTo("accepted");
      assertFriendPush(alice, "accepted", bob);
      assertIntroduced(alice, bob);
      assertThat(ids(alice, "friends")).containsExactly(bob.user);

      okAbout(bob, "friend.remove", alice.user);
      assertFriendPush(alice, "removed", bob);
      assertThat(ids(alice, "friends")).isEmpty();
      assertThat(ids(bob, "friends")).isEmpty();
      okAbout(bob, "friend.remove", alice.user);
      assertThat(alice.pollPush(300)).as("removing a non-friend tells nobody").isNull();
    }
  }

  @Test
  void aFriendIsFoundByNameThenAskedById() throws Exception {
    try (V2Client alice = online("pa"); V2Client bob = online("pb"); V2Client anonymous = new V2Client(node.port).hello()) {
      JsonObject found = alice.ok(new JsonObject().put("type", "profile").put("name", bob.name));
      assertThat(found.getInteger("user")).isEqualTo(bob.user);
      assertThat(found.getString("name")).isEqualTo(bob.name);
      assertThat(okAbout(alice, "friend.request", found.getInteger("user")).getString("outcome")).isEqualTo("requested");
      assertFriendPush(bob, "request", alice);

      assertThat(alice.call(new JsonObject().put("type", "profile").put("name", unique("nobody"))).getInteger("code")).isEqualTo(1008);
      assertThat(alice.call(new JsonObject().put("type", "profile").put("name", "")).getInteger("code")).isEqualTo(1004);
      assertThat(alice.call(new JsonObject().put("type", "profile").put("name", "x".repeat(51))).getInteger("code")).isEqualTo(1004);
      assertThat(alice.call(new JsonObject().put("type", "profile").put("name", 7)).getInteger("code")).isEqualTo(1004);
      assertThat(anonymous.call(new JsonObject().put("type", "profile").put("name", bob.name)).getInteger("code")).isEqualTo(1006);
    }
  }

  @Test
  void refusalsCarryStableCodes() throws Exception {
    try (V2Client alice = online("fra"); V2Client anonymous = new V2Client(node.port).hello()) {
      assertThat(about(alice, "friend.request", alice.user).getInteger("code")).isEqualTo(1013);
      assertThat(about(alice, "friend.request", 999_999_999).getInteger("code")).isEqualTo(1008);
      assertThat(about(alice, "block", 999_999_999).getInteger("code")).isEqualTo(1008);
      assertThat(about(alice, "block", alice.user).getInteger("code")).isEqualTo(1013);
      assertThat(alice.call(new JsonObject().put("type", "friend.request")).getInteger("code")).isEqualTo(1004);
      assertThat(about(anonymous, "friend.request", alice.user).getInteger("code")).isEqualTo(1006);
    }
  }

  @Test
  void aBlockStopsMessagesAndRequestsClassicToo() throws Exception {
    try (V2Client alice = online("fba"); V2Client bob = online("fbb");
        ClassicClient carol = node.connect().register(unique("fbc"));
        ClassicClient dave = node.connect().register(unique("fbd"))) {
      okAbout(alice, "friend.request", bob.user);
      assertFriendPush(bob, "request", alice);
      okAbout(bob, "friend.accept", alice.user);
      assertFriendPush(alice, "accepted", bob);
      assertIntroduced(alice, bob);

      okAbout(bob, "block", alice.user);
      assertFriendPush(alice, "removed", bob);
      assertThat(ids(bob, "blocked")).containsExactly(alice.user);
      assertThat(ids(bob, "friends")).isEmpty();
      assertThat(ids(alice, "friends")).isEmpty();
      assertThat(alice.call(new JsonObject().put("type", "send").put("to", new JsonObject().put("user", bob.user))
          .put("cmid", "blocked-1").put("text", "hi")).getInteger("code")).isEqualTo(1007);
      assertThat(about(alice, "friend.request", bob.user).getInteger("code")).isEqualTo(1007);
      assertThat(about(bob, "friend.request", alice.user).getInteger("code")).as("the blocker must unblock first").isEqualTo(1007);
      assertThat(bob.send(alice.user, "from-blocker", "the blocker may still write").getLong("messageId")).isPositive();
      assertThat(alice.push().getJsonObject("msg").getString("text")).isEqualTo("the blocker may still write");

      carol.loginOk();
      okAbout(bob, "block", carol.id);
      carol.chat(bob.user, "classic to a blocker");
      JsonObject refused = carol.next();
      assertThat(refused.getInteger("msgid")).isEqualTo(99);
      assertThat(refused.getInteger("errno")).isEqualTo(1007);
      carol.addFriend(bob.user);
      carol.addFriend(dave.id); // not blocked: one-way, as classic always was
      List<Integer> friends = List.of();
      for (int i = 0; i < 50 && !friends.contains(dave.id); i++) {
        carol.logout();
        Thread.sleep(100);
        friends = ClassicClient.decoded(carol.loginOk(), "friends").stream().map(f -> f.getInteger("id")).toList();
      }
      assertThat(friends).as("addfriend cannot get round a block").containsExactly(dave.id);
      assertThat(bob.pollPush(300)).as("neither message nor request reached the blocker").isNull();

      okAbout(bob, "unblock", alice.user);
      assertThat(ids(bob, "blocked")).containsExactly(carol.id);
      alice.send(bob.user, "unblocked-1", "hello again");
      assertThat(bob.push().getJsonObject("msg").getString("text")).isEqualTo("hello again");
      assertThat(okAbout(alice, "friend.request", bob.user).getString("outcome")).isEqualTo("requested");
      assertFriendPush(bob, "request", alice);
    }
  }
}
