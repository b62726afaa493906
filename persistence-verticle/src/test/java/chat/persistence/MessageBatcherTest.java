package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batcher driven by hand (see {@link BatcherHarness}), as DeliveryCoreTest drives delivery. */
class MessageBatcherTest extends BatcherHarness {

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
      batcher.submit(new Submission(1, null, 1000 + g, text, TIME, null, Long.MAX_VALUE), o -> answers.get(text).add(o));
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
  void anUnansweredCommitIsToldUnknownWhileLaterBatchesGoAhead() {
    send(1, 7, "a", null, timers.now() + 10_000);
    timers.runLater();
    writer.committing(0);
    timers.advance(TIMEOUT - 1_000);
    send("b");
    timers.advance(999);
    assertUnanswered("a");
    timers.advance(1);
    assertUnknown("a");
    assertThat(writer.batch(0).detached).isTrue();
    assertThat(texts(writer.batch(1))).containsExactly("b");
    writer.store(1);
    stored("b");
    send("c");
    timers.runLater();
    assertThat(writer.written()).isEqualTo(3);
    send("d");
    writer.store(0);
    assertThat(late("a")).as("the late commit, to deliver").isInstanceOf(StoreOutcome.Stored.class);
    assertThat(writer.written()).as("a late commit starts no batch beside the one in flight").isEqualTo(3);
    timers.runLater();
    assertThat(writer.written()).isEqualTo(3);
    writer.store(2);
    stored("c");
    assertThat(texts(writer.batch(3))).containsExactly("d");
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
}
