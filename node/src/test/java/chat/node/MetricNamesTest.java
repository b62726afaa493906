package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import chat.gateway.GatewayMetrics;
import chat.logic.ChatMetrics;
import chat.persistence.StoreMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped dashboard (deploy/grafana) and alert rules (deploy/prometheus) name only series a
 * node exports: a node's registry with the meters a node registers (MetricsIT checks the same
 * against a running node after traffic), without a database.
 */
class MetricNamesTest {
  @Test
  void everySeriesTheDashboardAndTheAlertsNameIsExported() throws Exception {
    Vertx vertx = NodeMetrics.vertx();
    try {
      PrometheusMeterRegistry registry = NodeMetrics.of(vertx);
      new GatewayMetrics(registry);
      new StoreMetrics(registry);
      new ChatMetrics(registry);
      EventLoopLag.deploy(vertx, registry).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // a pool registers its metrics when built; it connects only when used
      MySQLBuilder.pool().connectingTo(new MySQLConnectOptions().setHost("127.0.0.1").setPort(9)).using(vertx).build();
      System.gc(); // the GC binder names its pause timer at the first collection
      List<String> expressions = new ArrayList<>(MonitoringFiles.dashboardExpressions());
      MonitoringFiles.alerts().forEach(a -> expressions.add(a[1]));
      Set<String> named = MonitoringFiles.names(expressions);
      assertThat(named).as("the families the dashboard must show").contains("chat_connections",
          "chat_messages_stored_total", "chat_messages_delivered_total", "chat_store_commit_seconds_bucket",
          "chat_send_to_deliver_seconds_bucket", "chat_pubsub_lag_seconds_bucket", "chat_limit_refusals_total",
          "chat_event_loop_lag_seconds_max", "jvm_memory_used_bytes");
      Poll.until("the GC binder's timer", () -> MonitoringFiles.exported(registry.scrape()).contains("jvm_gc_pause_seconds_sum"));
      assertThat(MonitoringFiles.exported(registry.scrape())).containsAll(named);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theRulesAlertOnWhatTheOperationsIssueAsksAndPrometheusLoadsThem() throws Exception {
    List<String> alerts = MonitoringFiles.alerts().stream().map(a -> a[0]).toList();
    assertThat(alerts).contains("ChatNodeDown", "ChatPubSubLagHigh", "ChatStoreLatencyHigh", "ChatStoreErrorRate", "ChatRefusalsHigh");
    assertThat(MonitoringFiles.alerts()).allSatisfy(a -> assertThat(a[1]).as(a[0]).isNotBlank());
    String scrapeConfig = Files.readString(MonitoringFiles.SCRAPE_CONFIG);
    assertThat(scrapeConfig).contains("- alerts.yml", "metrics_path: /metrics", "127.0.0.1:9090");
  }
}
