package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batches of 1:1 messages go to the store in one round trip (store_direct, sql/V13); a batch in
 * which some message might be refused is written by the checked path instead. Each case sends a
 * burst of store requests in one event-loop turn, so that they share batches, then checks every
 * answer against the database.
 */
class DirectStoreIT {
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject());
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(node);
  }

  /** One store request: {from, to, text, cmid?}. */
  private record Send(int from, int to, String text, String cmid) {}

  @Test
  void aBurstIsStoredInOneRoundTripPerBatchWithGapFreeNumbersInSendOrder() throws Exception {
    List<Integer> senders = users("dsend", 4);
    List<Integer> recipients = users("drcpt", 3);
    long callsBefore = procedureCalls();
    List<Send> sends = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      sends.add(new Send(senders.get(i % 4), recipients.get(i % 3), i + " 中文 😀 \"quoted\" \\ " + i, i % 2 == 0 ? unique("c") : null));
    }
    List<Future<JsonObject>> answers = burst(sends);
    Map<Integer, List<Long>> seqsByRecipient = new HashMap<>();
    for (int i = 0; i < sends.size(); i++) {
      JsonObject a = answers.get(i).result();
      assertThat(a.getBoolean("duplicate")).isFalse();
      JsonArray delivery = a.getJsonArray("deliveries").getJsonArray(0);
      assertThat(delivery.getInteger(0)).isEqualTo(sends.get(i).to());
      long seq = delivery.getLong(1);
      seqsByRecipient.computeIfAbsent(sends.get(i).to(), r -> new ArrayList<>()).add(seq);
      // the inbox row and the message are what the answer says
      long id = a.getLong("messageId");
      assertThat(Poll.number("SELECT message_id FROM inbox WHERE user_id = ? AND seq = ?", sends.get(i).to(), seq)).isEqualTo(id);
      assertThat(Poll.text("SELECT body FROM messages WHERE id = ? AND sender_id = ? AND to_id = ?", id, sends.get(i).from(), sends.get(i).to()))
          .isEqualTo(sends.get(i).text());
    }
    for (int r : recipients) {
      // sent in this order, numbered in this order, without gaps
      assertThat(seqsByRecipient.get(r)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
      assertThat(Poll.number("SELECT last_seq FROM users WHERE id = ?", r)).isEqualTo(20);
    }
    assertThat(procedureCalls() - callsBefore).as("store_direct calls").isPositive();
  }

  @Test
  void aBatchWithAMessageToRefuseIsWrittenByTheCheckedPath() throws Exception {
    List<Integer> u = users("dmix", 4);
    int sender = u.get(0);
    int blocker = u.get(1);
    Ask.chat(node, new chat.protocol.bus.FriendChange(chat.protocol.bus.FriendChange.Kind.BLOCK, blocker, "x", sender));
    List<Send> sends = List.of(
        new Send(sender, u.get(2), "one", null),
        new Send(sender, 999_999_999, "to nobody", null),
        new Send(sender, blocker, "blocked", null),
        new Send(u.get(3), blocker, "not blocked", null),
        new Send(sender, u.get(2), "two", null));
    List<Future<JsonObject>> answers = burst(sends);
    assertThat(code(answers.get(1))).isEqualTo(1008); // NOT_FOUND
    assertThat(code(answers.get(2))).isEqualTo(1007); // FORBIDDEN
    assertThat(answers.get(0).succeeded() && answers.get(3).succeeded() && answers.get(4).succeeded()).isTrue();
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", u.get(2))).isEqualTo(2);
    assertThat(Poll.number("SELECT COUNT(*) FROM inbox WHERE user_id = ?", blocker)).isEqualTo(1);
    assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ?", sender)).isEqualTo(2);
  }

  @Test
  void aResendOfAStoredClientIdIsAnsweredAsADuplicateAndStoredOnce() throws Exception {
    List<Integer> u = users("ddup", 3);
    String cmid = unique("m");
    JsonObject first = burst(List.of(new Send(u.get(0), u.get(1), "original", cmid))).get(0).result();
    List<Future<JsonObject>> answers = burst(List.of(
        new Send(u.get(2), u.get(1), "other", null),
        new Send(u.get(0), u.get(1), "original", cmid)));
    JsonObject again = answers.get(1).result();
    assertThat(again.getBoolean("duplicate")).isTrue();
    assertThat(again.getLong("messageId")).isEqualTo(first.getLong("messageId"));
    assertThat(answers.get(0).result().getBoolean("duplicate")).isFalse();
    assertThat(Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ?", u.get(0))).isEqualTo(1);
    assertThat(Poll.number("SELECT last_seq FROM users WHERE id = ?", u.get(1))).isEqualTo(2);
  }

  @Test
  void aCallThatWaitsTooLongForALockGivesUpInTimeAndOrderHolds() throws Exception {
    // longer than store_direct may wait for a lock (2 s with the default 5 s timeout), shorter
    // than the batch's timeout: the batch goes the checked way and is stored in time
    Locked run = lockedBurst("dlock", 3500);
    assertThat(run.answers()).allMatch(Future::succeeded);
    assertThat(Poll.text(BODIES_IN_SEQ_ORDER, run.other())).isEqualTo("first,second");
  }

  @Test
  void aLockHeldPastTheBatchTimeoutNeverLeavesAMessageReportedFailedButStored() throws Exception {
    answersMatchTheStore(lockedBurst("dlong", 6500));
  }

  @Test
  void lockWaitsThatAddUpPastTheBatchTimeoutNeverLeaveAMessageReportedFailedButStored() throws Exception {
    // each wait is below the call's lock wait limit; together they pass the batch's timeout
    answersMatchTheStore(lockedBurst("dsum", 1900, 3800, 5700));
  }

  private static void answersMatchTheStore(Locked run) throws Exception {
    Thread.sleep(1500); // a call that was still running would have committed by now
    for (int i = 0; i < run.texts().size(); i++) {
      long stored = Poll.number("SELECT COUNT(*) FROM messages WHERE sender_id = ? AND body = ?", run.sender(), run.texts().get(i));
      assertThat(stored).as("%s: answered %s", run.texts().get(i), run.answers().get(i).succeeded() ? "stored" : "failed")
          .isEqualTo(run.answers().get(i).succeeded() ? 1 : 0);
    }
    String order = Poll.text(BODIES_IN_SEQ_ORDER, run.other());
    assertThat(order == null || !order.equals("second,first")).as("order of %s", order).isTrue();
  }

  private static final String BODIES_IN_SEQ_ORDER =
      "SELECT GROUP_CONCAT(m.body ORDER BY i.seq) FROM inbox i JOIN messages m ON m.id = i.message_id WHERE i.user_id = ?";

  private record Locked(int sender, int other, List<String> texts, List<Future<JsonObject>> answers) {}

  /**
   * Other transactions hold recipients' rows, each for its {@code holdsMs} from when a batch to
   * them and to one more recipient starts; another message to that last recipient follows 1.1 s
   * later. The batch is made to form whole: a message to a briefly locked user keeps the store
   * busy while it queues. Answers and texts in send order: "to locked 0".., "first", "second".
   */
  private static Locked lockedBurst(String prefix, long... holdsMs) throws Exception {
    List<Integer> u = users(prefix, 3 + holdsMs.length);
    int sender = u.get(0);
    int busy = u.get(1);
    int other = u.get(u.size() - 1); // above the locked ones: a batch locks in key order, so it waits before reaching it
    java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1 + holdsMs.length);
    List<Thread> holders = new ArrayList<>();
    holders.add(hold(busy, 800, held));
    List<Send> batch = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < holdsMs.length; i++) {
      holders.add(hold(u.get(2 + i), 800 + holdsMs[i], held));
      batch.add(new Send(sender, u.get(2 + i), "to locked " + i, null));
      texts.add("to locked " + i);
    }
    batch.add(new Send(sender, other, "first", null));
    texts.add("first");
    texts.add("second");
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    java.util.concurrent.CompletableFuture<List<Future<JsonObject>>> warm = async(List.of(new Send(sender, busy, "busy", null)));
    Thread.sleep(200);
    java.util.concurrent.CompletableFuture<List<Future<JsonObject>>> first = async(batch);
    Thread.sleep(1100);
    List<Future<JsonObject>> second = burst(List.of(new Send(sender, other, "second", null)));
    List<Future<JsonObject>> answers = new ArrayList<>(first.get(40, TimeUnit.SECONDS));
    answers.addAll(second);
    assertThat(warm.get(40, TimeUnit.SECONDS)).allMatch(Future::succeeded);
    for (Thread t : holders) {
      t.join();
    }
    return new Locked(sender, other, texts, answers);
  }

  private static java.util.concurrent.CompletableFuture<List<Future<JsonObject>>> async(List<Send> sends) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return burst(sends);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  /** Holds the user's row lock from another connection for {@code ms}. */
  private static Thread hold(int user, long ms, java.util.concurrent.CountDownLatch held) {
    Thread t = new Thread(() -> {
      try (java.sql.Connection c = TestDatabase.get().jdbc()) {
        c.setAutoCommit(false);
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE id = ? FOR UPDATE")) {
          ps.setInt(1, user);
          ps.executeQuery().close();
        }
        held.countDown();
        Thread.sleep(ms);
        c.rollback();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    t.start();
    return t;
  }

  /** Sends every request in one event-loop turn and waits for all answers, refusals included. */
  private static List<Future<JsonObject>> burst(List<Send> sends) throws Exception {
    Promise<List<Future<JsonObject>>> sent = Promise.promise();
    node.vertx.runOnContext(v -> {
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (Send s : sends) {
        answers.add(Ask.storeMessage(node.vertx.eventBus(), s.from(), s.to(), null, s.text(), s.cmid(),
            System.currentTimeMillis() + 20_000));
      }
      Future.join(new ArrayList<>(answers)).onComplete(ar -> sent.complete(answers));
    });
    return sent.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int code(Future<JsonObject> answer) {
    assertThat(answer.failed()).as("refused: %s", answer.result()).isTrue();
    return ((ReplyException) answer.cause()).failureCode();
  }

  private static List<Integer> users(String prefix, int n) throws Exception {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(Ask.chat(node, new chat.protocol.bus.Register(unique(prefix), "pw", null, Long.MAX_VALUE)).user());
    }
    return ids;
  }

  private static JsonObject call(String address, JsonObject body) throws Exception {
    return node.vertx.eventBus().<JsonObject>request(address, body).map(Message::body)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static long procedureCalls() throws Exception {
    return Poll.number("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_CALL_PROCEDURE'");
  }
}
