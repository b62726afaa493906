package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** bin/vertx run as operators run it: CHAT_* settings, the node's checks, a backend and its gateways. */
class SplitProcessIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Process vertxRun(String verticle, String conf, Map<String, String> env, File log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("../bin/vertx", "run", verticle, "-cluster", "-cluster-host", "127.0.0.1",
        "-conf", "../deploy/split/" + conf)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log));
    pb.environment().put("CHAT_NODE_JAR", new File("target/chat-node.jar").getAbsolutePath());
    pb.environment().putAll(env);
    return pb.start();
  }

  @Test
  void aBadValueIsOneLineAndExitCodeTwo() throws Exception {
    File log = new File("target/split-bad-config.log");
    Process p = vertxRun("chat.node.BackendVerticle", "backend.json", Map.of("CHAT_OFFLINE_PAGE", "-1"), log);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    List<String> lines = Files.readAllLines(log.toPath()).stream().filter(l -> !l.isBlank()).toList();
    assertThat(lines).singleElement().asString().endsWith("bad configuration: CHAT_OFFLINE_PAGE must be 1..10000, got -1");
  }

  @Test
  void aBackendAndItsGatewaysServeAUser() throws Exception {
    int tcp = TestNode.freePort();
    int backendPort = TestNode.freePort();
    int gatewayPort = TestNode.freePort();
    Map<String, String> backendEnv = new java.util.HashMap<>();
    TestDatabase.get().nodeEnvironment(backendEnv, tcp, 0);
    // members of this test's own cluster only, and no Redis: the files' loopback ports may be taken
    backendEnv.put("CHAT_CLUSTER_MEMBERS", "127.0.0.1:" + backendPort + ",127.0.0.1:" + gatewayPort);
    backendEnv.put("CHAT_REDIS_URL", "");
    Map<String, String> gatewayEnv = new java.util.HashMap<>(backendEnv);
    backendEnv.put("CHAT_CLUSTER_PORT", String.valueOf(backendPort));
    gatewayEnv.put("CHAT_CLUSTER_PORT", String.valueOf(gatewayPort));
    gatewayEnv.put("CHAT_GATEWAY_INSTANCES", "1");
    int backendManagement = TestNode.freePort();
    int gatewayManagement = TestNode.freePort();
    backendEnv.put("CHAT_MANAGEMENT_PORT", String.valueOf(backendManagement));
    gatewayEnv.put("CHAT_MANAGEMENT_PORT", String.valueOf(gatewayManagement));
    File backendLog = new File("target/split-backend.log");
    File gatewayLog = new File("target/split-gateway.log");
    Process backend = vertxRun("chat.node.BackendVerticle", "backend.json", backendEnv, backendLog);
    Process gateways = null;
    try {
      awaitDeployed(backend, backendLog);
      gateways = vertxRun("chat.node.GatewaysVerticle", "gateway.json", gatewayEnv, gatewayLog);
      awaitDeployed(gateways, gatewayLog);
      try (ClassicClient a = new ClassicClient("127.0.0.1", tcp).register(unique("sp"))) {
        assertThat(a.loginOk().getInteger("errno")).isZero();
      }
      // each JVM serves the jar's management port: the gateways' readiness asks chat and the database over the cluster
      for (int port : new int[] {backendManagement, gatewayManagement}) {
        assertThat(awaitReady(port)).as("ready on management port %d", port).isEqualTo(200);
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(port, "/health").statusCode()).isEqualTo(200);
        assertThat(get(port, "/metrics").body()).contains("# TYPE jvm_").contains("# TYPE chat_");
      }
    } finally {
      if (gateways != null) {
        gateways.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
      backend.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The last /health/ready code within 30 s: it may trail the deployment's log line by a moment. */
  private static int awaitReady(int port) throws Exception {
    long end = System.currentTimeMillis() + 30_000;
    int code = get(port, "/health/ready").statusCode();
    while (code != 200 && System.currentTimeMillis() < end) {
      Thread.sleep(200);
      code = get(port, "/health/ready").statusCode();
    }
    return code;
  }

  /** Hazelcast's join takes tens of seconds on a busy machine: longer than Poll waits. */
  private static void awaitDeployed(Process p, File log) throws Exception {
    long end = System.currentTimeMillis() + 120_000;
    while (!Files.readString(log.toPath()).contains("Succeeded in deploying verticle")) {
      assertThat(p.isAlive()).as("process alive, see %s", log).isTrue();
      assertThat(System.currentTimeMillis()).as("deployed in 120 s, see %s", log).isLessThan(end);
      Thread.sleep(200);
    }
  }
}
