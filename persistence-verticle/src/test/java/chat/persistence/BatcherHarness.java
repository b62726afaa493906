package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * A batcher with a fake writer and a clock that moves only when told, and requests named by
 * their texts (unique per test), so that a test reads as what arrives and what is answered.
 */
abstract class BatcherHarness {
  static final long TIMEOUT = 5_000;
  static final String TIME = "2026-12-07T12:00:00";

  final FakeTimers timers = new FakeTimers();
  final FakeWriter writer = new FakeWriter();
  /** Every answer each request got, by its text (texts are unique per test). */
  final Map<String, List<StoreOutcome>> answers = new LinkedHashMap<>();
  /** When each request was sent and first answered, by its text. */
  final Map<String, Long> sentAt = new LinkedHashMap<>();
  final Map<String, Long> answeredAt = new LinkedHashMap<>();
  MessageBatcher batcher = batcher(100, 1000);

  MessageBatcher batcher(int maxBatch, int queueItems) {
    return new MessageBatcher(writer, timers, maxBatch, TIMEOUT, new StoreQueue<>(queueItems, Long.MAX_VALUE));
  }

  void send(String text) {
    send(1, 7, text, null, Long.MAX_VALUE);
  }

  void send(int from, Integer to, String text, String cmid, long deadline) {
    answers.put(text, new ArrayList<>());
    sentAt.put(text, timers.now());
    batcher.submit(new Submission(from, to, to == null ? 5 : null, text, TIME, cmid, deadline), o -> {
      answeredAt.putIfAbsent(text, timers.now());
      answers.get(text).add(o);
    });
  }

  StoreOutcome answer(String text) {
    assertThat(answers.get(text)).as("answers of " + text).hasSize(1);
    return answers.get(text).get(0);
  }

  void assertUnknown(String text) {
    assertThat(answer(text)).isEqualTo(new StoreOutcome.Unknown());
  }

  /** The second answer of a request first told Unknown: what the database said after all. */
  StoreOutcome late(String text) {
    assertThat(answers.get(text)).as("answers of " + text).hasSize(2);
    return answers.get(text).get(1);
  }

  StoreOutcome.Stored stored(String text) {
    assertThat(answer(text)).isInstanceOf(StoreOutcome.Stored.class);
    return (StoreOutcome.Stored) answer(text);
  }

  void assertFailed(String text, ErrorCode code, String message) {
    assertThat(answer(text)).isEqualTo(new StoreOutcome.Failed(code, message));
  }

  void assertUnanswered(String... texts) {
    for (String t : texts) {
      assertThat(answers.get(t)).as("answers of " + t).isEmpty();
    }
  }

  static List<String> texts(Batch batch) {
    return batch.entries.stream().map(p -> p.request.text()).toList();
  }

  long seq(String text) {
    return stored(text).deliveries().get(0).seq();
  }

  /** Once; or Unknown, then at most one late outcome. */
  @AfterEach
  void noRequestIsAnsweredTwice() {
    answers.forEach((text, got) -> {
      assertThat(got).as("answers of " + text).hasSizeLessThanOrEqualTo(2);
      if (got.size() == 2) {
        assertThat(got.get(0)).as("first answer of " + text).isEqualTo(new StoreOutcome.Unknown());
        assertThat(got.get(1)).as("late answer of " + text).isNotEqualTo(new StoreOutcome.Unknown());
      }
    });
  }
}
