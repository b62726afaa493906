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
  MessageBatcher batcher = batcher(100, 1000);

  MessageBatcher batcher(int maxBatch, int queueItems) {
    return new MessageBatcher(writer, timers, maxBatch, TIMEOUT, new StoreQueue<>(queueItems, Long.MAX_VALUE));
  }

  void send(String text) {
    send(1, 7, text, null, Long.MAX_VALUE);
  }

  void send(int from, Integer to, String text, String cmid, long deadline) {
    answers.put(text, new ArrayList<>());
    batcher.submit(new Submission(from, to, to == null ? 5 : null, text, TIME, cmid, deadline), o -> answers.get(text).add(o));
  }

  StoreOutcome answer(String text) {
    assertThat(answers.get(text)).as("answers of " + text).hasSize(1);
    return answers.get(text).get(0);
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

  @AfterEach
  void noRequestIsAnsweredTwice() {
    answers.forEach((text, got) -> assertThat(got).as("answers of " + text).hasSizeLessThanOrEqualTo(1));
  }
}
