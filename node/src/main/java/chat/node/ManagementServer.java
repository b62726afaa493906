package chat.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.Supplier;

/**
 * The management port ({@code CHAT_MANAGEMENT_PORT} on {@code CHAT_MANAGEMENT_HOST}, loopback by
 * default): {@code /health/live}, {@code /health/ready}, the detailed {@code /health} and
 * {@code /metrics} (Prometheus text, see {@link NodeMetrics}), apart
 * from the public ports, so that a connection flood there cannot fail a probe. It accepts at most
 * {@link #MAX_CONNECTIONS} connections at once and closes idle ones.
 */
final class ManagementServer {
  static final int MAX_CONNECTIONS = 64;
  private static final int IDLE_SECONDS = 10;

  private ManagementServer() {}

  static Future<HttpServer> start(Vertx vertx, String host, int port, Probes probes, Supplier<Future<JsonObject>> health,
      PrometheusMeterRegistry metrics) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(probes.live()));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(probes.ready()));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics));
    router.get("/health").handler(rc -> health.get().onSuccess(body -> {
      JsonObject copy = body.copy();
      int code = (Integer) copy.remove("code");
      rc.response().setStatusCode(code).putHeader("content-type", "application/json").end(copy.encode());
    }));
    int[] open = {0};
    return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setIdleTimeout(IDLE_SECONDS))
        .connectionHandler(conn -> {
          // touched only from the server's event loop
          if (open[0] >= MAX_CONNECTIONS) {
            conn.close();
            return;
          }
          open[0]++;
          conn.closeHandler(v -> open[0]--);
        })
        .requestHandler(router)
        .listen();
  }
}
