package chat.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Event-loop lag, chat_event_loop_lag_seconds: one instance per event loop sets a timer every
 * {@link #PERIOD_MS} and records how much later than asked it ran. A loop kept busy (or blocked)
 * runs it late by what everything queued on that loop waits.
 */
final class EventLoopLag extends VerticleBase {
  static final long PERIOD_MS = 200;
  private static final Duration[] BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)};

  private final Timer lag;
  private long due;
  private long timer = -1;

  private EventLoopLag(Timer lag) {
    this.lag = lag;
  }

  /** Deploys one instance per event loop of a default-sized pool: Vert.x hands each new instance the next loop. */
  static Future<String> deploy(Vertx vertx, MeterRegistry registry) {
    Timer lag = Timer.builder("chat.event.loop.lag").description("How late a timer on an event loop ran")
        .serviceLevelObjectives(BUCKETS).register(registry);
    return vertx.deployVerticle(() -> new EventLoopLag(lag), new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE));
  }

  @Override
  public Future<?> start() {
    arm();
    return Future.succeededFuture();
  }

  private void arm() {
    due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
    timer = vertx.setTimer(PERIOD_MS, id -> {
      lag.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
      arm();
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
