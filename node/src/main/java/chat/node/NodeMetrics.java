package chat.node;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.UUID;

/**
 * A node's metrics: one Prometheus registry per Vert.x instance (tests run several nodes in one
 * JVM), in which Vert.x records its own ({@code vertx_*}: event bus, pools, TCP and HTTP servers),
 * the JVM binders theirs ({@code jvm_*}, {@code process_*}, {@code system_*}) and the verticles
 * their {@code chat_*} meters; {@link ManagementServer} serves it at /metrics. Vert.x metrics can
 * only be enabled when the instance is built, so a node's Vert.x comes from here.
 */
final class NodeMetrics {
  /** Where a Vert.x instance built here keeps the name of its registry (BackendRegistries is by name). */
  private static final String LOCAL_MAP = "chat.node";
  private static final String REGISTRY_KEY = "metrics-registry";
  private static final String DB_POOL_WAIT = "chat.db.pool.wait";
  private static final double[] POOL_WAIT_BUCKETS_NANOS = {100_000, 500_000, 1e6, 5e6, 1e7, 2.5e7, 5e7, 1e8, 2.5e8, 5e8, 1e9, 2.5e9, 5e9};

  private final String name = "chat-" + UUID.randomUUID();
  private final PrometheusMeterRegistry registry = newRegistry();

  NodeMetrics() {}

  /** A Vert.x instance with metrics, for a node that runs alone. */
  static Vertx vertx() {
    NodeMetrics m = new NodeMetrics();
    return m.remember(m.builder(new VertxOptions()).build());
  }

  /** A clustered Vert.x instance with metrics. */
  static Future<Vertx> clusteredVertx(ClusterManager clusterManager) {
    NodeMetrics m = new NodeMetrics();
    return m.builder(new VertxOptions()).withClusterManager(clusterManager).buildClustered().map(m::remember);
  }

  /**
   * The registry of a Vert.x instance built here; for any other (one embedding a node, say) a
   * registry of the node's own, which then has the chat meters without Vert.x's.
   */
  static PrometheusMeterRegistry of(Vertx vertx) {
    Object name = vertx.sharedData().getLocalMap(LOCAL_MAP).get(REGISTRY_KEY);
    if (name != null && BackendRegistries.getNow((String) name) instanceof PrometheusMeterRegistry registry) {
      return registry;
    }
    return newRegistry();
  }

  /** A builder with metrics on top of {@code options}; the launcher of the split mode builds from it, then {@link #remember}s. */
  VertxBuilder builder(VertxOptions options) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true).setRegistryName(name);
    return Vertx.builder().with(options.setMetricsOptions(metrics)).withMetrics(new MicrometerMetricsFactory(registry));
  }

  /** Makes {@link #of} find this registry for {@code vertx}, built from {@link #builder}. */
  Vertx remember(Vertx vertx) {
    vertx.sharedData().getLocalMap(LOCAL_MAP).put(REGISTRY_KEY, name);
    return vertx;
  }

  private static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(sqlPoolWait());
    return registry;
  }

  /**
   * Vert.x's queue time of the database pool is how long a query waited for a connection:
   * chat_db_pool_wait_seconds, with buckets from 0.1 ms to 5 s.
   */
  private static MeterFilter sqlPoolWait() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if ("vertx.pool.queue.time".equals(id.getName()) && "sql".equals(id.getTag("pool_type"))) {
          return id.withName(DB_POOL_WAIT);
        }
        return id;
      }

      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!DB_POOL_WAIT.equals(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(POOL_WAIT_BUCKETS_NANOS).build().merge(config);
      }
    };
  }
}
