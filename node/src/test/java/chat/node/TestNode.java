package chat.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/** A whole node in this JVM on a free port, against the suite's database. */
final class TestNode implements AutoCloseable {
  private static TestNode shared;

  final Vertx vertx;
  final Node node;
  final int port;

  private TestNode(Vertx vertx, Node node, int port) {
    this.vertx = vertx;
    this.node = node;
    this.port = port;
  }

  /** One node shared by the suite, started on first use. */
  static synchronized TestNode shared() throws Exception {
    if (shared == null) {
      shared = start();
      TestNode n = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(n::close));
    }
    return shared;
  }

  static TestNode start() throws Exception {
    return start(new JsonObject());
  }

  /** A node with extra settings (CHAT_REDIS_URL, ...) over the suite's defaults. */
  static TestNode start(JsonObject overrides) throws Exception {
    return startOn(freePort(), overrides);
  }

  /** A node on a given port: the same port again restarts a node where its clients look for it. */
  static TestNode startOn(int port, JsonObject overrides) throws Exception {
    NodeConfig config = NodeConfig.from(TestDatabase.get().nodeSettings(port).mergeIn(overrides));
    Vertx vertx = config.cluster()
        ? HazelcastSetup.clusteredVertx(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)
        : NodeMetrics.vertx();
    Node node = Node.start(vertx, config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new TestNode(vertx, node, port);
  }

  ClassicClient connect() throws Exception {
    return new ClassicClient("127.0.0.1", port);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Closes the nodes that were started, in the order given (for @AfterAll after a failed start). */
  static void closeAll(TestNode... nodes) {
    for (TestNode n : nodes) {
      if (n != null) {
        n.close();
      }
    }
  }

  @Override
  public void close() {
    try {
      node.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
