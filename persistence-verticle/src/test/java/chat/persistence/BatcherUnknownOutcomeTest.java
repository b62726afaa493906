package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

/**
 * A COMMIT the database does not answer in time: its requests are told Unknown at the timeout
 * (never refused, never held longer), a resend of one is told the same while the database owes
 * the answer, and the answer, when it comes, is each request's late outcome.
 */
class BatcherUnknownOutcomeTest extends BatcherHarness {

  @Test
  void aResendOfAMessageInDoubtIsToldUnknownNeverRefused() {
    batcher = batcher(100, 1);
    send(1, 7, "a", "x", Long.MAX_VALUE);
    timers.runLater();
    writer.committing(0);
    timers.advance(TIMEOUT);
    assertUnknown("a");
    assertThat(batcher.inDoubt()).isEqualTo(1);
    send(1, 7, "filler", "y", Long.MAX_VALUE);
    send(1, 7, "a resent", "x", Long.MAX_VALUE);
    send(1, 7, "other", "z", Long.MAX_VALUE);
    assertUnknown("a resent");
    assertFailed("other", ErrorCode.OVERLOADED, "store queue full");
    timers.runLater();
    send(1, 7, "a resent again", "x", Long.MAX_VALUE);
    timers.advance(TIMEOUT);
    assertThat(writer.batch(1).abandoned).isTrue();
    assertFailed("filler", ErrorCode.UNAVAILABLE, "store failed");
    assertUnknown("a resent again");
    writer.fail(1, "rolled back");
    writer.store(0);
    assertThat(late("a")).isInstanceOf(StoreOutcome.Stored.class);
    assertThat(batcher.inDoubt()).isZero();
  }

  @Test
  void aLateFailureIsTheLateOutcomeAndEndsTheDoubt() {
    send(1, 7, "a", "x", Long.MAX_VALUE);
    timers.runLater();
    writer.committing(0);
    timers.advance(TIMEOUT);
    assertUnknown("a");
    writer.fail(0, "connection lost; the read-back found nothing");
    assertThat(late("a")).isEqualTo(new StoreOutcome.Failed(ErrorCode.UNAVAILABLE, "store failed"));
    assertThat(batcher.inDoubt()).isZero();
    send(1, 7, "a resent", "x", Long.MAX_VALUE);
    timers.runLater();
    timers.advance(TIMEOUT);
    assertFailed("a resent", ErrorCode.UNAVAILABLE, "store failed");
  }

  @Test
  void aRequestQueuedBehindAStalledCommitIsAnsweredWithinTheTimeoutOfItsArrival() {
    send("a");
    timers.runLater();
    writer.committing(0);
    timers.advance(1_000);
    send("b");
    timers.advance(TIMEOUT - 1_000);
    assertUnknown("a");
    assertThat(texts(writer.batch(1))).containsExactly("b");
    timers.advance(999);
    assertUnanswered("b");
    timers.advance(1);
    assertFailed("b", ErrorCode.UNAVAILABLE, "store failed");
    assertThat(answeredAt.get("b") - sentAt.get("b")).isEqualTo(TIMEOUT);
  }
}
