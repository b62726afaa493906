package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The batcher driven by hand: a fake writer, a clock that moves only when told. */
class MessageBatcherTest {
  private static final long TIMEOUT = 5_000;
  private static final String TIME = "2026-12-07T12:00:00";

  private final FakeTimers timers = new FakeTimers();
  private final FakeWriter writer = new FakeWriter();
  /** Every answer each request got, by its text (texts are unique per test). */
  private final Map<String, List<StoreOutcome>> answers = new LinkedHashMap<>();
  private MessageBatcher batcher = batcher(100, 1000);

  private MessageBatcher batcher(int maxBatch, int queueItems) {
    return new MessageBatcher(writer, timers, maxBatch, TIMEOUT, new StoreQueue<>(queueItems, Long.MAX_VALUE));
  }

  private void send(String text) {
    send(1, 7, text, null, Long.MAX_VALUE);
  }

  private void send(int from, Integer to, String text, String cmid, long deadline) {
    answers.put(text, new ArrayList<>());
    batcher.submit(new StoreRequest(from, to, to == null ? 5 : null, text, TIME, cmid, deadline), o -> answers.get(text).add(o));
  }

  private StoreOutcome answer(String text) {
    assertThat(answers.get(text)).as("answers of " + text).hasSize(1);
    return answers.get(text).get(0);
  }

  private StoreOutcome.Stored stored(String text) {
    assertThat(answer(text)).isInstanceOf(StoreOutcome.Stored.class);
    return (StoreOutcome.Stored) answer(text);
  }

  private void assertFailed(String text, ErrorCode code, String message) {
    assertThat(answer(text)).isEqualTo(new StoreOutcome.Failed(code, message));
  }

  private void assertUnanswered(String... texts) {
    for (String t : texts) {
      assertThat(answers.get(t)).as("answers of " + t).isEmpty();
    }
  }

  private static List<String> texts(Batch batch) {
    return batch.entries.stream().map(p -> p.request.text()).toList();
  }

  private long seq(String text) {
    return stored(text).deliveries().get(0).seq();
  }

  @AfterEach
  void noRequestIsAnsweredTwice() {
    answers.forEach((text, got) -> assertThat(got).as("answers of " + text).hasSizeLessThanOrEqualTo(1));
  }

  @Test
  void requestsArrivingWhileABatchIsWrittenGoTogetherInTheNext() {
    send("a");
    assertThat(writer.written()).as("the flush waits for the rest of the turn").isZero();
    timers.runLater();
    assertThat(texts(writer.batch(0))).containsExactly("a");
    send("b");
    send("c");
    timers.runLater();
    assertThat(writer.written()).as("one batch at a time").isEqualTo(1);
    writer.store(0);
    assertThat(seq("a")).isEqualTo(1);
    assertUnanswered("b", "c");
    assertThat(texts(writer.batch(1))).containsExactly("b", "c");
    writer.store(1);
    assertThat(List.of(seq("b"), seq("c"))).containsExactly(2L, 3L);
  }

  @Test
  void aBatchTakesAtMostMaxBatchRequests() {
    batcher = batcher(2, 1000);
    send("a");
    send("b");
    send("c");
    timers.runLater();
    assertThat(texts(writer.batch(0))).containsExactly("a", "b");
    writer.store(0);
    assertThat(texts(writer.batch(1))).containsExactly("c");
  }

  @Test
  void aBatchReadsTheMembersOfAtMost64Groups() {
    for (int g = 0; g <= MessageBatcher.MAX_GROUPS_PER_BATCH; g++) {
      String text = "g" + g;
      answers.put(text, new ArrayList<>());
      batcher.submit(new StoreRequest(1, null, 1000 + g, text, TIME, null, Long.MAX_VALUE), o -> answers.get(text).add(o));
    }
    timers.runLater();
    assertThat(writer.batch(0).groups).hasSize(MessageBatcher.MAX_GROUPS_PER_BATCH);
    writer.store(0);
    assertThat(texts(writer.batch(1))).containsExactly("g" + MessageBatcher.MAX_GROUPS_PER_BATCH);
  }

  @Test
  void aFullQueueRefusesAtOnceWithOverloaded() {
    batcher = batcher(100, 2);
    send("a");
    timers.runLater();
    send("b");
    send("c");
    send("d");
    assertFailed("d", ErrorCode.OVERLOADED, "store queue full");
    assertUnanswered("b", "c");
    writer.store(0);
    writer.store(1);
    assertThat(texts(writer.batch(1))).containsExactly("b", "c");
    stored("b");
    send("e");
    timers.runLater();
    assertThat(texts(writer.batch(2))).as("room again once drained").containsExactly("e");
  }

  @Test
  void aRequestPastItsDeadlineIsAnsweredUnavailableAndNeverWritten() {
    send(1, 7, "late", null, timers.now());
    assertFailed("late", ErrorCode.UNAVAILABLE, "deadline passed");
    send("a");
    timers.runLater();
    send(1, 7, "b", null, timers.now() + 100);
    send("c");
    timers.advance(200);
    assertUnanswered("b");
    writer.store(0);
    assertFailed("b", ErrorCode.UNAVAILABLE, "waited past its deadline");
    assertThat(texts(writer.batch(1))).containsExactly("c");
  }

  @Test
  void noAnswerBeforeCommitFailsTheBatchAndEverythingQueuedAtOnce() {
    send("a");
    timers.runLater();
    send("b");
    send("c");
    timers.advance(TIMEOUT - 1);
    assertUnanswered("a", "b", "c");
    timers.advance(1);
    assertThat(writer.batch(0).abandoned).as("the writer must roll it back").isTrue();
    assertFailed("a", ErrorCode.UNAVAILABLE, "store failed");
    assertFailed("b", ErrorCode.UNAVAILABLE, "database not answering");
    assertFailed("c", ErrorCode.UNAVAILABLE, "database not answering");
    assertThat(writer.written()).isEqualTo(1);
    send("d");
    timers.runLater();
    assertThat(texts(writer.batch(1))).as("the next request probes the database").containsExactly("d");
    writer.fail(0, "rolled back once the database answered");
    writer.store(1);
    stored("d");
  }

  @Test
  void anUnansweredCommitWaitsWhileLaterBatchesGoAhead() {
    send(1, 7, "a", null, timers.now() + 10_000);
    timers.runLater();
    writer.committing(0);
    send("b");
    timers.advance(TIMEOUT);
    assertUnanswered("a");
    assertThat(writer.batch(0).detached).isTrue();
    assertThat(texts(writer.batch(1))).containsExactly("b");
    writer.store(1);
    stored("b");
    send("c");
    timers.runLater();
    assertThat(writer.written()).isEqualTo(3);
    send("d");
    writer.store(0);
    stored("a");
    assertThat(writer.written()).as("a late commit starts no batch beside the one in flight").isEqualTo(3);
    timers.runLater();
    assertThat(writer.written()).isEqualTo(3);
    writer.store(2);
    stored("c");
    assertThat(texts(writer.batch(3))).containsExactly("d");
  }

  @Test
  void anUnansweredCommitIsReportedFailedAtTheRequestsDeadline() {
    send(1, 7, "a", null, timers.now() + 8_000);
    timers.runLater();
    writer.committing(0);
    timers.advance(TIMEOUT);
    assertUnanswered("a");
    timers.advance(2_999);
    assertUnanswered("a");
    timers.advance(1);
    assertFailed("a", ErrorCode.UNAVAILABLE, "store failed");
    writer.store(0);
    assertThat(answers.get("a")).as("the commit answering after all changes nothing").hasSize(1);
  }

  @Test
  void copiesOfOneCmidInABatchShareTheFirstOnesOutcome() {
    send(1, 7, "a", "x", Long.MAX_VALUE);
    send(1, 7, "a again", "x", Long.MAX_VALUE);
    send(2, 7, "other sender", "x", Long.MAX_VALUE);
    send(1, 7, "no cmid", null, Long.MAX_VALUE);
    timers.runLater();
    List<Pending> entries = writer.batch(0).entries;
    assertThat(entries.get(1).sameAs).isSameAs(entries.get(0));
    assertThat(entries.get(2).sameAs).isNull();
    assertThat(entries.get(3).sameAs).isNull();
    writer.store(0);
    assertThat(stored("a again")).isEqualTo(stored("a").asDuplicate());
    assertThat(stored("a").duplicate()).isFalse();
    assertThat(stored("other sender").duplicate()).isFalse();
    assertThat(List.of(seq("a"), seq("other sender"), seq("no cmid"))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aCopyOfARefusedMessageIsRefusedTheSameWay() {
    writer.refuse.put("blocked", ErrorCode.FORBIDDEN);
    writer.refuse.put("to nobody", ErrorCode.NOT_FOUND);
    send(1, 7, "blocked", "z", Long.MAX_VALUE);
    send(1, 7, "blocked copy", "z", Long.MAX_VALUE);
    send(1, null, "to nobody", null, Long.MAX_VALUE);
    timers.runLater();
    writer.store(0);
    assertFailed("blocked", ErrorCode.FORBIDDEN, "the recipient does not accept your messages");
    assertFailed("blocked copy", ErrorCode.FORBIDDEN, "the recipient does not accept your messages");
    assertFailed("to nobody", ErrorCode.NOT_FOUND, "no such group");
  }

  @Test
  void aWriterFailureMidWayFailsItsWholeBatchAndTheNextGoesAhead() {
    send("a");
    send("b");
    timers.runLater();
    send("c");
    writer.decide(0); // outcomes set, then the COMMIT failed
    writer.fail(0, "connection lost");
    assertFailed("a", ErrorCode.UNAVAILABLE, "store failed");
    assertFailed("b", ErrorCode.UNAVAILABLE, "store failed");
    assertThat(texts(writer.batch(1))).containsExactly("c");
    writer.store(1);
    stored("c");
    timers.advance(TIMEOUT * 2);
    assertThat(timers.pending()).as("no timer outlives its batch").isZero();
  }

  @Test
  void sequenceNumbersFollowArrivalOrderAcrossBatches() {
    batcher = batcher(3, 1000);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add("m" + i);
      send("m" + i);
      if (i % 4 == 3) {
        timers.runLater();
        writer.store(writer.written() - 1);
      }
    }
    timers.runLater();
    while (answers.values().stream().anyMatch(List::isEmpty)) {
      writer.store(writer.written() - 1);
    }
    assertThat(sent.stream().map(this::seq).toList()).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
  }

  /** Any order of arrivals, answers, failures and stalls: every request is answered exactly once. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void everyRequestIsAnsweredExactlyOnce(long seed) {
    Random random = new Random(seed);
    batcher = batcher(1 + random.nextInt(5), 2 + random.nextInt(20));
    List<Boolean> done = new ArrayList<>();
    for (int step = 0; step < 400; step++) {
      int op = random.nextInt(10);
      if (op < 4) {
        send(random.nextInt(3), 7 + random.nextInt(2), "r" + step, random.nextBoolean() ? "c" + random.nextInt(4) : null,
            timers.now() + 1_000 + random.nextInt(20_000));
      } else if (op < 5) {
        timers.runLater();
      } else if (op < 6) {
        timers.advance(random.nextInt(3_000));
      } else {
        while (done.size() < writer.written()) {
          done.add(false);
        }
        int open = done.indexOf(false);
        if (open >= 0) {
          if (op == 6) {
            writer.committing(open);
          } else {
            done.set(open, true);
            if (op == 7) {
              writer.fail(open, "lost");
            } else {
              writer.store(open);
            }
          }
        }
      }
    }
    timers.runLater();
    timers.advance(MessageBatcher.MAX_WAIT_MS);
    assertThat(answers.values()).allSatisfy(got -> assertThat(got).hasSize(1));
  }
}
