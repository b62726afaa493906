package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Group caps (members, groups per user) and the byte budget of the login ack, on a real node. */
class StoreLimitsIT {
  private static final int MAX_MEMBERS = 3;
  private static final int MAX_GROUPS = 2;
  private static final int ACK_BYTES = 10_000;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        .put("CHAT_GROUP_MAX_MEMBERS", MAX_MEMBERS)
        .put("CHAT_MAX_GROUPS_PER_USER", MAX_GROUPS)
        .put("CHAT_LOGIN_ACK_BYTES", ACK_BYTES));
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  @Test
  void concurrentJoinsStopAtTheMemberCap() throws Exception {
    int owner = register("owner");
    int group = createGroup(owner, unique("capped"));
    List<Future<JsonObject>> joins = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      joins.add(call(Addresses.CHAT_JOIN_GROUP, new JsonObject().put("userId", register("joiner")).put("groupId", group)));
    }
    Future.join(new ArrayList<>(joins)).toCompletionStage().toCompletableFuture().exceptionally(e -> null).get(30, TimeUnit.SECONDS);
    long joined = joins.stream().filter(Future::succeeded).count();
    List<Integer> codes = joins.stream().filter(Future::failed).map(f -> ((ReplyException) f.cause()).failureCode()).toList();
    assertThat(joined).isEqualTo(MAX_MEMBERS - 1);
    assertThat(codes).hasSize(8 - (MAX_MEMBERS - 1)).containsOnly(1018);
    assertThat(Poll.number("SELECT COUNT(*) FROM group_members WHERE group_id = ?", group)).isEqualTo(MAX_MEMBERS);
    // a member joining again is still a no-op, not a refusal
    assertThat(await(call(Addresses.CHAT_JOIN_GROUP, new JsonObject().put("userId", owner).put("groupId", group))).succeeded()).isTrue();
  }

  @Test
  void aUserInTheMaximumNumberOfGroupsCanNeitherCreateNorJoinAnother() throws Exception {
    int user = register("busy");
    createGroup(user, unique("g1"));
    createGroup(user, unique("g2"));
    Future<JsonObject> third = await(call(Addresses.CHAT_CREATE_GROUP,
        new JsonObject().put("userId", user).put("name", unique("g3")).put("desc", "")));
    assertThat(((ReplyException) third.cause()).failureCode()).isEqualTo(1018);
    int other = createGroup(register("other"), unique("other"));
    Future<JsonObject> join = await(call(Addresses.CHAT_JOIN_GROUP, new JsonObject().put("userId", user).put("groupId", other)));
    assertThat(((ReplyException) join.cause()).failureCode()).isEqualTo(1018);
    assertThat(Poll.number("SELECT COUNT(*) FROM group_members WHERE user_id = ?", user)).isEqualTo(MAX_GROUPS);
  }

  @Test
  void theLoginAckStopsAtItsByteBudgetAndTheRestFollows() throws Exception {
    try (ClassicClient a = node.connect().register(unique("big-a"));
        ClassicClient b = node.connect().register(unique("big-b"))) {
      a.loginOk();
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String msg = i + "-" + "x".repeat(3000);
        sent.add(msg);
        a.chat(b.id, msg);
      }
      Poll.until("stored", () -> Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", b.id) == 8);
      JsonObject ack = b.loginOk();
      List<String> inAck = ClassicClient.decoded(ack, "offlinemsg").stream().map(f -> f.getString("msg")).toList();
      int ackFramesBytes = ack.getJsonArray("offlinemsg").stream().mapToInt(s -> ((String) s).length()).sum();
      List<String> received = new ArrayList<>(inAck);
      while (received.size() < sent.size()) {
        received.add(b.next().getString("msg"));
      }
      System.out.printf("login ack: %d of 8 offline messages, %d bytes of frames (budget %d)%n", inAck.size(), ackFramesBytes, ACK_BYTES);
      assertThat(inAck).isNotEmpty().hasSizeLessThan(5);
      assertThat(ackFramesBytes).isLessThanOrEqualTo(ACK_BYTES);
      assertThat(received).containsExactlyElementsOf(sent);
      assertThat(b.drain(300)).isEmpty();
    }
  }

  @Test
  void aStoreRequestPastItsDeadlineIsRefusedNotWritten() throws Exception {
    int from = register("late");
    int to = register("late-to");
    Future<JsonObject> late = await(call(Addresses.DB_MESSAGE_STORE, new JsonObject().put("from", from).put("to", to)
        .put("text", "too late").put("time", "2026-01-01T00:00:00").put("deadline", System.currentTimeMillis() - 1)));
    assertThat(((ReplyException) late.cause()).failureCode()).isEqualTo(1501);
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", to)).isZero();
  }

  private static int register(String prefix) throws Exception {
    return get(call(Addresses.CHAT_REGISTER, new JsonObject().put("name", unique(prefix)).put("password", "pw"))).getInteger("id");
  }

  private static int createGroup(int user, String name) throws Exception {
    return get(call(Addresses.CHAT_CREATE_GROUP, new JsonObject().put("userId", user).put("name", name).put("desc", ""))).getInteger("groupId");
  }

  private static Future<JsonObject> call(String address, JsonObject body) {
    return node.vertx.eventBus().<JsonObject>request(address, body).map(Message::body);
  }

  private static JsonObject get(Future<JsonObject> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The future once it has completed, failed or not. */
  private static Future<JsonObject> await(Future<JsonObject> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(10, TimeUnit.SECONDS);
    return f;
  }
}
