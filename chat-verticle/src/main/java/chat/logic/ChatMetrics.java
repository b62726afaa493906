package chat.logic;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Chat's meters (Prometheus names in the README), registered once in the registry the node hands over. */
public final class ChatMetrics {
  /** Chat that nobody scrapes (unit tests, a deployment by class name): meters that record nothing. */
  static final ChatMetrics NONE = new ChatMetrics(new CompositeMeterRegistry());

  private static final Duration[] LAG_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final Timer pubsubLag;
  private final LongSupplier clock;

  public ChatMetrics(MeterRegistry registry) {
    this(registry, System::currentTimeMillis);
  }

  ChatMetrics(MeterRegistry registry, LongSupplier clock) {
    this.clock = clock;
    pubsubLag = Timer.builder("chat.pubsub.lag")
        .description("From another node's Redis publish to its arrival here (epoch ms of both hosts: includes their clock skew)")
        .serviceLevelObjectives(LAG_BUCKETS).register(registry);
  }

  /**
   * A payload published at {@code publishedAt} (epoch ms) arrived. A sender that sends no time
   * (0) is skipped; a receiver's clock behind the sender's counts as no lag rather than a negative one.
   */
  void arrived(long publishedAt) {
    if (publishedAt > 0) {
      pubsubLag.record(Math.max(0, clock.getAsLong() - publishedAt), TimeUnit.MILLISECONDS);
    }
  }
}
