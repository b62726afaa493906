package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import chat.protocol.bus.GroupCreate;
import chat.protocol.bus.GroupJoin;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Group caps (members, groups per user) and the byte budget of the login ack, on a real node.
 * Requests go over the node's event bus and are checked as their replies arrive (vertx-junit5);
 * an assertion that fails inside a chain fails the future, which fails the test context. Database
 * counts run on a worker, never on the event loop that delivers the replies.
 */
@ExtendWith(VertxExtension.class)
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
  void concurrentJoinsStopAtTheMemberCap(VertxTestContext ctx) {
    Checkpoint answered = ctx.checkpoint(8);
    Checkpoint checked = ctx.checkpoint();
    register("owner").compose(owner -> createGroup(owner, unique("capped")).compose(group ->
        Future.all(IntStream.range(0, 8).mapToObj(i -> register("joiner")).toList())
            .compose(joiners -> {
              List<Future<JsonObject>> joins = joiners.<Integer>list().stream()
                  .map(joiner -> join(joiner, group).onComplete(ar -> answered.flag()))
                  .toList();
              // join waits for every reply, refusals included; the refusals are what is counted
              return Future.join(new ArrayList<>(joins)).otherwiseEmpty().map(all -> joins);
            })
            .compose(joins -> {
              long joined = joins.stream().filter(Future::succeeded).count();
              List<Integer> codes = joins.stream().filter(Future::failed).map(f -> ((ReplyException) f.cause()).failureCode()).toList();
              assertThat(joined).isEqualTo(MAX_MEMBERS - 1);
              assertThat(codes).hasSize(8 - (MAX_MEMBERS - 1)).containsOnly(1018);
              return number("SELECT COUNT(*) FROM group_members WHERE group_id = ?", group);
            })
            .compose(members -> {
              assertThat(members).isEqualTo(MAX_MEMBERS);
              // a member joining again is still a no-op, not a refusal
              return join(owner, group);
            })))
        .onComplete(ctx.succeeding(rejoined -> checked.flag()));
  }

  @Test
  void aUserInTheMaximumNumberOfGroupsCanNeitherCreateNorJoinAnother(VertxTestContext ctx) {
    Checkpoint createRefused = ctx.checkpoint();
    Checkpoint joinRefused = ctx.checkpoint();
    Checkpoint counted = ctx.checkpoint();
    register("busy").compose(user -> createGroup(user, unique("g1"))
        .compose(g1 -> createGroup(user, unique("g2")))
        .compose(g2 -> refusal(createGroup(user, unique("g3"))))
        .compose(code -> {
          assertThat(code).isEqualTo(1018);
          createRefused.flag();
          return register("other").compose(other -> createGroup(other, unique("other")));
        })
        .compose(other -> refusal(join(user, other)))
        .compose(code -> {
          assertThat(code).isEqualTo(1018);
          joinRefused.flag();
          return number("SELECT COUNT(*) FROM group_members WHERE user_id = ?", user);
        }))
        .onComplete(ctx.succeeding(groups -> ctx.verify(() -> {
          assertThat(groups).isEqualTo(MAX_GROUPS);
          counted.flag();
        })));
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
  void aStoreRequestPastItsDeadlineIsRefusedNotWritten(VertxTestContext ctx) {
    Checkpoint refused = ctx.checkpoint();
    Checkpoint notWritten = ctx.checkpoint();
    register("late").compose(from -> register("late-to").compose(to ->
        refusal(Ask.storeMessage(node.vertx.eventBus(), from, to, null, "too late", null, System.currentTimeMillis() - 1))
            .compose(code -> {
              assertThat(code).isEqualTo(1501);
              refused.flag();
              return number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", to);
            })))
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          assertThat(stored).isZero();
          notWritten.flag();
        })));
  }

  private static Future<Integer> register(String prefix) {
    return node.vertx.eventBus().<chat.protocol.bus.Register.Registered>request(Addresses.CHAT,
        new chat.protocol.bus.Register(unique(prefix), "pw", null, Long.MAX_VALUE)).map(r -> r.body().user());
  }

  private static Future<Integer> createGroup(int user, String name) {
    return node.vertx.eventBus().<GroupCreate.Created>request(Addresses.CHAT, new GroupCreate(user, name, "")).map(r -> r.body().group());
  }

  private static Future<JsonObject> join(int user, int group) {
    return node.vertx.eventBus().request(Addresses.CHAT, new GroupJoin(user, group)).map(r -> new JsonObject());
  }

  private static Future<JsonObject> call(String address, JsonObject body) {
    return node.vertx.eventBus().<JsonObject>request(address, body).map(Message::body);
  }

  /** The failure code of a request that must be refused; a reply that succeeds fails the test. */
  private static Future<Integer> refusal(Future<?> request) {
    return request.transform(ar -> ar.succeeded()
        ? Future.failedFuture(new AssertionError("expected a refusal, got " + ar.result()))
        : Future.succeededFuture(((ReplyException) ar.cause()).failureCode()));
  }

  /** A count from the suite's database, read over JDBC on a worker thread. */
  private static Future<Long> number(String sql, Object... params) {
    return node.vertx.executeBlocking(() -> Poll.number(sql, params));
  }
}
