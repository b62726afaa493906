package chat.node;

import chat.gateway.GatewayMetrics;
import chat.gateway.GatewayVerticle;
import chat.logic.ChatMetrics;
import chat.logic.ChatVerticle;
import chat.persistence.PersistenceVerticle;
import chat.persistence.StoreMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import chat.protocol.Addresses;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat node: persistence, chat and gateways deployed in that order, each waiting for the
 * previous to be ready, then /health. Stopping undeploys in reverse, so gateways save every
 * user's delivery watermark and sign them off while chat and persistence still run.
 */
public final class Node {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final EmbeddedDatabase embedded;
  private final Deque<String> deployments = new ArrayDeque<>();
  private HttpServer http;
  private HttpServer management;
  private volatile int httpPort;
  private volatile int managementPort;
  private volatile boolean ready;

  private Node(Vertx vertx, EmbeddedDatabase embedded) {
    this.vertx = vertx;
    this.embedded = embedded;
  }

  /** Starts a node on {@code vertx}; blocking while an embedded database starts, so not on an event loop. */
  public static Future<Node> start(Vertx vertx, NodeConfig config) {
    EmbeddedDatabase embedded;
    NodeConfig effective = config;
    try {
      embedded = config.embeddedDb() ? EmbeddedDatabase.start(config.dataDir()) : null;
    } catch (Exception e) {
      return Future.failedFuture(new IllegalStateException("embedded MariaDB did not start", e));
    }
    if (embedded != null) {
      effective = config.withDatabase("127.0.0.1", embedded.port(), "root", "");
    }
    Node node = new Node(vertx, embedded);
    NodeConfig c = effective;
    PrometheusMeterRegistry metrics = NodeMetrics.of(vertx);
    // first, so that liveness answers while the rest starts; readiness waits for all of it
    Probes probes = new Probes(vertx, () -> node.ready, c.chat().redisUrl() != null);
    Future<Void> chain = ManagementServer.start(vertx, c.managementHost(), c.managementPort(), probes, node::answerHealth, metrics)
        .map(server -> {
          node.management = server;
          node.managementPort = server.actualPort();
          return null;
        });
    chain = chain.compose(v -> EventLoopLag.deploy(vertx, metrics).map(node::deployed));
    if (c.runs("persistence")) {
      chain = chain.compose(v -> node.deploy(new PersistenceVerticle(new StoreMetrics(metrics)), new DeploymentOptions().setConfig(c.persistence().toJson())));
    }
    if (c.runs("chat")) {
      chain = chain.compose(v -> node.deploy(new ChatVerticle(new ChatMetrics(metrics)), new DeploymentOptions().setConfig(c.chat().toJson())));
    }
    chain = chain.compose(v -> vertx.eventBus().<JsonObject>localConsumer(Addresses.NODE_HEALTH, msg -> node.health(msg)).completion());
    if (c.runs("gateway")) {
      // the gateways serve the HTTP port (web client, its WebSocket, and /health)
      GatewayMetrics gateways = new GatewayMetrics(metrics); // one for all instances: the connection gauges add up
      chain = chain.compose(v -> node.deployGateways(c, gateways));
    } else {
      chain = chain.compose(v -> node.startHttp(c.httpPort()));
    }
    return chain
        .map(v -> {
          node.ready = true;
          LOG.info("node {} ready: chat on {}:{}, http on :{}, management on {}:{}", c.nodeId(), c.gateway().host(),
              c.gateway().port(), node.httpPort, c.managementHost(), node.managementPort);
          return node;
        })
        .recover(e -> node.stop().transform(ar -> Future.failedFuture(e)));
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).map(this::deployed);
  }

  /** Undeployed in reverse order when the node stops. */
  private Void deployed(String id) {
    deployments.push(id);
    return null;
  }

  private Future<Void> deployGateways(NodeConfig c, GatewayMetrics metrics) {
    // every instance listens on the same port, so port 0 (tests) is resolved once, here
    httpPort = c.httpPort() == 0 ? freePort() : c.httpPort();
    DeploymentOptions options =
        new DeploymentOptions().setConfig(c.gateway().withHttpPort(httpPort).toJson()).setInstances(c.gatewayInstances());
    return vertx.deployVerticle(() -> new GatewayVerticle(metrics), options).map(this::deployed);
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A node without gateways serves the public /health on its own. */
  private Future<Void> startHttp(int port) {
    http =
        vertx.createHttpServer()
            .requestHandler(
                req -> {
                  if (!"/health".equals(req.path())) {
                    req.response().setStatusCode(404).end();
                    return;
                  }
                  // the status only, as on a gateway's HTTP port: the details are the management port's
                  answerHealth().onSuccess(body -> req.response()
                      .setStatusCode(body.getInteger("code"))
                      .putHeader("content-type", "application/json")
                      .end(new JsonObject().put("status", body.getString("status")).encode()));
                });
    return http.listen(port).map(h -> {
      httpPort = h.actualPort();
      return null;
    });
  }

  private void health(io.vertx.core.eventbus.Message<JsonObject> msg) {
    answerHealth().onSuccess(msg::reply);
  }

  private Future<JsonObject> answerHealth() {
    return NodeHealth.of(vertx, ready);
  }

  public int httpPort() {
    return httpPort;
  }

  public int managementPort() {
    return managementPort;
  }

  /** Undeploys gateways, chat, persistence (in that order), then stops an embedded database. */
  public Future<Void> stop() {
    ready = false;
    Future<Void> chain = http == null ? Future.succeededFuture() : http.close();
    while (!deployments.isEmpty()) {
      String id = deployments.pop();
      chain = chain.transform(ar -> vertx.undeploy(id));
    }
    return chain.transform(
        ar -> {
          if (management != null) {
            management.close();
          }
          if (embedded != null) {
            return vertx.executeBlocking(() -> {
              embedded.stop();
              return null;
            });
          }
          return Future.succeededFuture();
        });
  }
}
