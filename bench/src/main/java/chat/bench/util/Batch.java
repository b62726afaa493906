package chat.bench.util;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs tasks 0..count-1 with at most {@code concurrency} in flight, so a setup step does not
 * open 10k connections (or start 10k bcrypt hashes on the server) in one burst.
 */
public final class Batch {
  public record Outcome(int ok, int failed, String firstError) {}

  private final int count;
  private final IntFunction<Future<?>> task;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final Promise<Outcome> result = Promise.promise();

  private Batch(int count, IntFunction<Future<?>> task) {
    this.count = count;
    this.task = task;
  }

  public static Future<Outcome> run(int count, int concurrency, IntFunction<Future<?>> task) {
    Batch batch = new Batch(count, task);
    if (count == 0) {
      return Future.succeededFuture(new Outcome(0, 0, null));
    }
    for (int c = 0; c < Math.min(concurrency, count); c++) {
      batch.startNext();
    }
    return batch.result.future();
  }

  private void startNext() {
    int i = next.getAndIncrement();
    if (i >= count) {
      return;
    }
    Future<?> f;
    try {
      f = task.apply(i);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(
        ar -> {
          if (ar.failed()) {
            failed.incrementAndGet();
            firstError.compareAndSet(null, String.valueOf(ar.cause().getMessage()));
          }
          if (done.incrementAndGet() == count) {
            result.complete(new Outcome(count - failed.get(), failed.get(), firstError.get()));
          } else {
            startNext();
          }
        });
  }
}
