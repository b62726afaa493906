package chat.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;

/**
 * The management port of a split-mode JVM, the jar's ({@link ManagementServer}, {@link Probes},
 * {@link NodeHealth}, {@link NodeMetrics}) on CHAT_MANAGEMENT_HOST:CHAT_MANAGEMENT_PORT. Chat and
 * the database are probed over the clustered bus, as for the jar's gateway-only role; the capacity
 * check is up where no gateways run. Ready only between the launcher's deployment of the verticle
 * and the start of its stop.
 */
final class SplitManagement {
  private static final long START_SECONDS = 60;

  private final NodeMetrics metrics = new NodeMetrics();
  private volatile boolean deployed;

  VertxBuilder builder(VertxOptions options) {
    return metrics.builder(options);
  }

  /** Blocking, on the launcher's thread, before the verticle deploys: liveness answers while it starts. */
  void start(Vertx vertx, NodeConfig c) throws Exception {
    PrometheusMeterRegistry registry = NodeMetrics.of(metrics.remember(vertx));
    Probes probes = new Probes(vertx, () -> deployed, c.chat().redisUrl() != null);
    ManagementServer.start(vertx, c.managementHost(), c.managementPort(), probes, () -> NodeHealth.of(vertx, deployed), registry)
        .compose(server -> EventLoopLag.deploy(vertx, registry))
        .toCompletionStage().toCompletableFuture().get(START_SECONDS, TimeUnit.SECONDS);
  }

  void deployed(boolean deployed) {
    this.deployed = deployed;
  }
}
