package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batcher under random interleavings of arrivals, the clock, commits sent, stores and
 * failures: whatever the order, one batch is written at a time (FakeWriter checks) and every
 * request is answered exactly once (Unknown may be followed by a late outcome), within the
 * timeout of its arrival.
 */
class BatcherInterleavingTest extends BatcherHarness {

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
        timers.runLater(); // an event loop runs what is queued on it before time passes
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
    timers.advance(TIMEOUT);
    assertThat(answers.values()).allSatisfy(got -> assertThat(got).isNotEmpty());
    answeredAt.forEach((text, at) -> assertThat(at - sentAt.get(text)).as("answer time of " + text).isLessThanOrEqualTo(TIMEOUT));
  }
}
