package chat.persistence;

import chat.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The message store's meters (Prometheus names in the README), registered once in the registry
 * the node hands over: batches and their commits, messages stored by kind, and the messages the
 * store failed or refused by a limit.
 */
public final class StoreMetrics {
  /** A store that nobody scrapes (unit tests, a deployment by class name): meters that record nothing. */
  static final StoreMetrics NONE = new StoreMetrics(new CompositeMeterRegistry());

  private static final Duration[] COMMIT_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

  private final DistributionSummary batchSize;
  private final Timer commit;
  private final Counter direct;
  private final Counter group;
  private final Counter failed;
  private final Counter queueFull;
  private final Counter inboxCap;

  public StoreMetrics(MeterRegistry registry) {
    batchSize = DistributionSummary.builder("chat.store.batch.size").description("Messages per store transaction")
        .serviceLevelObjectives(BATCH_BUCKETS).register(registry);
    commit = Timer.builder("chat.store.commit").description("Writing one batch of messages, to its COMMIT's answer")
        .serviceLevelObjectives(COMMIT_BUCKETS).register(registry);
    direct = stored(registry, "direct");
    group = stored(registry, "group");
    failed = Counter.builder("chat.messages.failed")
        .description("Messages the store could not take (database unavailable or slow, queue full)").register(registry);
    queueFull = refusals(registry, "store_queue");
    inboxCap = refusals(registry, "inbox_cap");
  }

  private static Counter stored(MeterRegistry registry, String kind) {
    return Counter.builder("chat.messages.stored").description("Messages stored (a resend of a known cmid is not)")
        .tag("kind", kind).register(registry);
  }

  private static Counter refusals(MeterRegistry registry, String limit) {
    return Counter.builder("chat.limit.refusals").description("Requests and connections refused by a limit")
        .tag("limit", limit).register(registry);
  }

  /** {@code writer}, with each batch's size and, once committed, how long it took. */
  BatchWriter timed(BatchWriter writer) {
    return batch -> {
      long started = System.nanoTime();
      batchSize.record(batch.size());
      return writer.write(batch).andThen(ar -> {
        if (ar.succeeded()) {
          commit.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
      });
    };
  }

  void stored(boolean toGroup) {
    (toGroup ? group : direct).increment();
  }

  /** A message was not stored, with {@code code}: the store's own failures and its limits are counted. */
  void notStored(ErrorCode code) {
    switch (code) {
      case UNAVAILABLE, INTERNAL, OUTCOME_UNKNOWN -> failed.increment();
      case OVERLOADED -> {
        failed.increment();
        queueFull.increment();
      }
      case LIMIT_REACHED -> inboxCap.increment();
      default -> { } // refused by the rules (not a member, blocked, unknown): the sender's doing
    }
  }
}
