package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupJoin;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Read cursors, unread counts and receipts (docs/protocol.md section 4). */
class V2ReadIT {
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.shared();
  }

  private static V2Client online(String name) throws Exception {
    return V2Client.online(node.port, name);
  }

  /** A new connection for the same account, after the old one logged out: another device. */
  private static V2Client again(V2Client old) throws Exception {
    old.ok(new JsonObject().put("type", "logout"));
    old.close();
    V2Client c = new V2Client(node.port).hello();
    c.user = old.user;
    c.name = old.name;
    c.password = old.password;
    return c;
  }

  private static JsonObject with(String kind, int id) {
    return new JsonObject().put(kind, id);
  }

  private static JsonObject read(V2Client c, JsonObject with, long upto) throws Exception {
    return c.call(new JsonObject().put("type", "read").put("with", with).put("upto", upto));
  }

  private static JsonObject conversation(JsonArray list, JsonObject with) {
    for (Object o : list) {
      if (((JsonObject) o).getJsonObject("with").equals(with)) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no conversation with " + with + " in " + list);
  }

  /** Skips pushes of other types (messages, say) until a receipt comes. */
  private static JsonObject receipt(V2Client c) throws Exception {
    while (true) {
      JsonObject p = c.push();
      if ("receipt".equals(p.getString("type"))) {
        return p;
      }
    }
  }

  /** Waits {@code ms}, failing on any receipt among the pushes that came meanwhile. */
  private static void noReceipt(V2Client c, long ms, String why) throws Exception {
    long end = System.currentTimeMillis() + ms;
    for (long left = ms; left > 0; left = end - System.currentTimeMillis()) {
      JsonObject p = c.pollPush(left);
      assertThat(p == null ? null : p.getString("type")).as("%s: %s", why, p).isNotEqualTo("receipt");
    }
  }

  @Test
  void unreadCountsInTheLoginReplyFollowTheCursorAlsoFromAnotherDevice() throws Exception {
    V2Client alice = online("ra");
    V2Client bob = online("rb");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(alice.send(bob.user, unique("c"), "m" + i).getLong("messageId"));
    }
    bob.ok(new JsonObject().put("type", "read").put("with", with("user", alice.user)).put("upto", ids.get(2)));

    V2Client bob2 = again(bob);
    JsonObject c = conversation(bob2.login().getJsonArray("conversations"), with("user", alice.user));
    assertThat(c.getLong("last")).isEqualTo(ids.get(4));
    assertThat(c.getLong("read")).isEqualTo(ids.get(2));
    assertThat(c.getLong("unread")).isEqualTo(2);
    JsonObject mine = conversation(alice.ok(new JsonObject().put("type", "conversations")).getJsonArray("conversations"),
        with("user", bob.user));
    assertThat(mine.getLong("unread")).as("one's own messages are never unread").isZero();
    assertThat(mine.getLong("last")).isEqualTo(ids.get(4));

    bob2.ok(new JsonObject().put("type", "read").put("with", with("user", alice.user)).put("upto", ids.get(3)));
    V2Client bob3 = again(bob2);
    c = conversation(bob3.login().getJsonArray("conversations"), with("user", alice.user));
    assertThat(c.getLong("read")).as("the other device's read moved it").isEqualTo(ids.get(3));
    assertThat(c.getLong("unread")).isEqualTo(1);
    JsonObject synced = bob3.ok(new JsonObject().put("type", "sync").put("after", 0).put("limit", 3));
    assertThat(synced.getBoolean("more")).isTrue();
    assertThat(synced.containsKey("conversations")).as("only the last page carries the counts").isFalse();
    synced = bob3.ok(new JsonObject().put("type", "sync").put("after", 3).put("limit", 500));
    assertThat(synced.getBoolean("more")).isFalse();
    c = conversation(synced.getJsonArray("conversations"), with("user", alice.user));
    assertThat(c.getLong("unread")).as("the sync's last page carries the unread counts").isEqualTo(1);

    long reply = bob3.send(alice.user, unique("c"), "back").getLong("messageId");
    c = conversation(bob3.ok(new JsonObject().put("type", "conversations")).getJsonArray("conversations"), with("user", alice.user));
    assertThat(c.getLong("last")).isEqualTo(reply);
    assertThat(c.getLong("unread")).as("a reply of one's own adds nothing").isEqualTo(1);
    alice.close();
    bob3.close();
  }

  /** Unread counts stop at 1,000 (docs/protocol.md), so a login never counts a whole backlog. */
  @Test
  void unreadCountsStopAtTheCapAndAreExactBelowIt() throws Exception {
    try (V2Client alice = online("rca"); V2Client bob = online("rcb")) {
      Ask.chat(node, new chat.protocol.bus.AddFriend(bob.user, alice.user)); // not a stranger's backlog
      int group = Ask.chat(node, new GroupCreate(alice.user, unique("g"), "")).group();
      Ask.chat(node, new GroupJoin(bob.user, group));
      List<Long> direct = store(new JsonObject().put("from", alice.user).put("to", bob.user), CAP + 2);
      List<Long> inGroup = store(new JsonObject().put("from", alice.user).put("group", group), CAP + 200);
      store(new JsonObject().put("from", bob.user).put("group", group), 5); // his own: never unread

      JsonArray list = bob.ok(new JsonObject().put("type", "conversations")).getJsonArray("conversations");
      assertThat(conversation(list, with("user", alice.user)).getLong("unread")).isEqualTo(CAP);
      assertThat(conversation(list, with("group", group)).getLong("unread")).isEqualTo(CAP);

      read(bob, with("user", alice.user), direct.get(2)); // 999 left
      read(bob, with("group", group), inGroup.get(299)); // 900 of alice's left, and his 5
      list = bob.ok(new JsonObject().put("type", "conversations")).getJsonArray("conversations");
      assertThat(conversation(list, with("user", alice.user)).getLong("unread")).isEqualTo(CAP - 1);
      assertThat(conversation(list, with("group", group)).getLong("unread")).isEqualTo(900);

      List<Long> more = store(new JsonObject().put("from", alice.user).put("group", group), 2 * CAP);
      list = bob.ok(new JsonObject().put("type", "conversations")).getJsonArray("conversations");
      assertThat(conversation(list, with("group", group)).getLong("unread")).as("past twice the cap: not counted").isEqualTo(CAP);
      assertThat(conversation(list, with("group", group)).getLong("last")).isEqualTo(more.get(more.size() - 1));
      assertThat(conversation(list, with("user", alice.user)).getLong("last")).isEqualTo(direct.get(direct.size() - 1));
    }
  }

  private static final int CAP = 1_000;

  /** Stores {@code n} messages like {@code base} in one burst, straight into the store; their ids in order. */
  private static List<Long> store(JsonObject base, int n) throws Exception {
    java.util.concurrent.CompletableFuture<List<Long>> stored = new java.util.concurrent.CompletableFuture<>();
    node.vertx.runOnContext(v -> {
      List<io.vertx.core.Future<Long>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        answers.add(Ask.storeMessage(node.vertx.eventBus(), base.getInteger("from"), base.getInteger("to"), base.getInteger("group"),
            "u" + i, null, Long.MAX_VALUE).map(m -> m.getLong("messageId")));
      }
      io.vertx.core.Future.all(answers).onComplete(ar -> {
        if (ar.failed()) {
          stored.completeExceptionally(ar.cause());
        } else {
          stored.complete(ar.result().<Long>list());
        }
      });
    });
    List<Long> ids = stored.get(30, TimeUnit.SECONDS);
    assertThat(ids).isSorted();
    return ids;
  }

  @Test
  void aReadIsPushedToTheSenderAndTheCursorNeverMovesBack() throws Exception {
    try (V2Client alice = online("rra"); V2Client bob = online("rrb")) {
      long first = alice.send(bob.user, unique("c"), "one").getLong("messageId");
      long second = alice.send(bob.user, unique("c"), "two").getLong("messageId");
      assertThat(read(bob, with("user", alice.user), first).getBoolean("ok")).isTrue();
      JsonObject r = receipt(alice);
      assertThat(r.getString("kind")).isEqualTo("read");
      assertThat(r.getInteger("by")).isEqualTo(bob.user);
      assertThat(r.getJsonObject("with")).isEqualTo(with("user", bob.user));
      assertThat(r.getLong("upto")).isEqualTo(first);

      read(bob, with("user", alice.user), Long.MAX_VALUE / 2);
      assertThat(receipt(alice).getLong("upto")).as("not past the last message").isEqualTo(second);
      assertThat(read(bob, with("user", alice.user), first).getBoolean("ok")).as("an older read is fine").isTrue();
      noReceipt(alice, 300, "a read that moves nothing is not pushed");
      JsonObject c = conversation(bob.ok(new JsonObject().put("type", "conversations")).getJsonArray("conversations"),
          with("user", alice.user));
      assertThat(c.getLong("read")).as("never back").isEqualTo(second);
      assertThat(c.getLong("unread")).isZero();
      assertThat(Poll.number("SELECT message_id FROM read_cursors WHERE user_id = ? AND kind = 'user' AND peer_id = ?",
          bob.user, alice.user)).isEqualTo(second);
    }
  }

  @Test
  void anAckSendsTheSenderOneDeliveredReceipt() throws Exception {
    try (V2Client alice = online("rda"); V2Client bob = online("rdb"); V2Client carol = online("rdc")) {
      alice.send(bob.user, unique("c"), "a1");
      long a2 = alice.send(bob.user, unique("c"), "a2").getLong("messageId");
      long c1 = carol.send(bob.user, unique("c"), "c1").getLong("messageId");
      long seq = 0;
      for (int i = 0; i < 3; i++) {
        seq = Math.max(seq, bob.push().getLong("seq"));
      }
      noReceipt(alice, 300, "nothing before the ack");
      bob.ok(new JsonObject().put("type", "ack").put("seq", seq));
      JsonObject r = receipt(alice);
      assertThat(r.getString("kind")).isEqualTo("delivered");
      assertThat(r.getInteger("by")).isEqualTo(bob.user);
      assertThat(r.getJsonObject("with")).isEqualTo(with("user", bob.user));
      assertThat(r.getLong("upto")).as("one receipt for the highest").isEqualTo(a2);
      assertThat(receipt(carol).getLong("upto")).isEqualTo(c1);
      bob.ok(new JsonObject().put("type", "ack").put("seq", seq));
      noReceipt(alice, 300, "at most once");
    }
  }

  @Test
  void messagesInTheLoginReplyAreReceiptedWhenAcked() throws Exception {
    V2Client alice = online("rla");
    V2Client bob = online("rlb");
    V2Client bob2 = again(bob);
    long id = alice.send(bob.user, unique("c"), "while away").getLong("messageId");
    JsonObject login = bob2.login();
    bob2.ok(new JsonObject().put("type", "ack").put("seq", login.getLong("seq")));
    JsonObject r = receipt(alice);
    assertThat(r.getString("kind")).isEqualTo("delivered");
    assertThat(r.getLong("upto")).isEqualTo(id);
    alice.close();
    bob2.close();
  }

  @Test
  void groupsCountOthersMessagesAndRefuseStrangersAndUnknownGroups() throws Exception {
    try (V2Client owner = online("rgo"); V2Client member = online("rgm"); V2Client stranger = online("rgs")) {
      int group = Ask.chat(node, new GroupCreate(owner.user, unique("g"), "")).group();
      Ask.chat(node, new GroupJoin(member.user, group));
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        V2Client from = i == 3 ? member : owner;
        ids.add(from.ok(new JsonObject().put("type", "send").put("to", with("group", group)).put("cmid", unique("g"))
            .put("text", "g" + i)).getLong("messageId"));
      }
      member.ok(new JsonObject().put("type", "read").put("with", with("group", group)).put("upto", ids.get(0)));
      JsonObject c = conversation(member.ok(new JsonObject().put("type", "conversations")).getJsonArray("conversations"),
          with("group", group));
      assertThat(c.getLong("last")).isEqualTo(ids.get(3));
      assertThat(c.getLong("read")).isEqualTo(ids.get(0));
      assertThat(c.getLong("unread")).as("two from the owner; the member's own is not unread").isEqualTo(2);
      assertThat(conversation(owner.ok(new JsonObject().put("type", "conversations")).getJsonArray("conversations"),
          with("group", group)).getLong("unread")).isEqualTo(1);
      noReceipt(owner, 300, "no receipts for groups");

      assertThat(read(stranger, with("group", group), ids.get(3)).getInteger("code")).isEqualTo(1007);
      assertThat(read(stranger, with("group", Integer.MAX_VALUE), 1).getInteger("code")).isEqualTo(1008);
      assertThat(read(stranger, with("user", Integer.MAX_VALUE), 1).getInteger("code")).isEqualTo(1008);
      assertThat(stranger.call(new JsonObject().put("type", "read").put("with", with("user", owner.user))).getInteger("code"))
          .as("no upto").isEqualTo(1004);
    }
  }
}
