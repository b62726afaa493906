package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import chat.bench.util.Await;
import chat.bench.util.Batch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close(), 10);
  }

  @Test
  void runsEveryTaskWithBoundedConcurrencyAndCountsFailures() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Batch.Outcome out = Await.result(Batch.run(100, 7, i -> {
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      Promise<Void> p = Promise.promise();
      vertx.setTimer(1, t -> {
        inFlight.decrementAndGet();
        if (i % 10 == 0) {
          p.fail("task " + i);
        } else {
          p.complete();
        }
      });
      return p.future();
    }), 30);
    assertThat(out.ok()).isEqualTo(90);
    assertThat(out.failed()).isEqualTo(10);
    assertThat(out.firstError()).startsWith("task ");
    assertThat(peak.get()).isLessThanOrEqualTo(7);
  }

  @Test
  void aTaskThatThrowsCountsAsFailed() {
    Batch.Outcome out = Await.result(Batch.run(3, 2, i -> {
      if (i == 1) {
        throw new IllegalStateException("boom");
      }
      return Future.succeededFuture();
    }), 10);
    assertThat(out.ok()).isEqualTo(2);
    assertThat(out.failed()).isEqualTo(1);
  }

  @Test
  void nothingToDoCompletesAtOnce() {
    assertThat(Await.result(Batch.run(0, 4, i -> Future.succeededFuture()), 5).ok()).isZero();
  }
}
