package chat.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** bin/vertx run: the same CHAT_* settings and the same checks as java -jar. */
class SplitModeTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void aBackendWithABadValueDoesNotDeploy() {
    JsonObject conf = new JsonObject().put("CHAT_DB_HOST", "127.0.0.1").put("CHAT_OFFLINE_PAGE", "-1");
    assertThatThrownBy(() -> deploy(new BackendVerticle(), conf))
        .hasRootCauseInstanceOf(IllegalArgumentException.class)
        .rootCause().hasMessage("CHAT_OFFLINE_PAGE must be 1..10000, got -1");
  }

  @Test
  void aBackendNeedsADatabaseServer() {
    Assumptions.assumeTrue(System.getenv("CHAT_DB_HOST") == null, "CHAT_DB_HOST is set in this environment");
    assertThatThrownBy(() -> deploy(new BackendVerticle(), new JsonObject()))
        .rootCause().hasMessage("CHAT_DB_HOST must be set: the split mode starts no embedded database");
  }

  @Test
  void gatewaysWithABadValueDoNotDeploy() {
    assertThatThrownBy(() -> deploy(new GatewaysVerticle(), new JsonObject().put("CHAT_TCP_PORT", "six thousand")))
        .rootCause().hasMessage("CHAT_TCP_PORT must be a whole number, got 'six thousand'");
    assertThatThrownBy(() -> deploy(new GatewaysVerticle(), new JsonObject().put("CHAT_MAX_CONNECTIONS", -4)))
        .rootCause().hasMessage("CHAT_MAX_CONNECTIONS must be 1..1000000, got -4");
  }

  @Test
  void gatewaysDeployFromSettings() throws Exception {
    JsonObject conf = new JsonObject().put("CHAT_TCP_PORT", 0).put("CHAT_GATEWAY_INSTANCES", 2).put("CHAT_BIND_HOST", "127.0.0.1");
    String id = deploy(new GatewaysVerticle(), conf);
    // the verticle, and its gateways as one deployment of two instances
    assertThat(vertx.deploymentIDs()).contains(id).hasSize(2);
  }

  @Test
  void environmentOverridesTheFileAsForTheJar() {
    JsonObject file = new JsonObject().put("CHAT_TCP_PORT", 7000).put("CHAT_NODE_ID", "from-file");
    JsonObject merged = SplitMode.settings(file, Map.of("CHAT_TCP_PORT", "7001", "PATH", "/bin"));
    assertThat(merged.getValue("CHAT_TCP_PORT")).isEqualTo("7001");
    assertThat(merged.getString("CHAT_NODE_ID")).isEqualTo("from-file");
    assertThat(merged.containsKey("PATH")).isFalse();
    assertThat(NodeConfig.from(merged).gateway().port()).isEqualTo(7001);
  }

  @Test
  void theShippedSplitFilesAreValidSettings() throws Exception {
    // no port or password of their own: those come from CHAT_TCP_PORT and CHAT_DB_PASSWORD like the jar's
    for (String name : new String[] {"backend", "gateway"}) {
      JsonObject file = new JsonObject(Files.readString(Path.of("../deploy/split/" + name + ".json")));
      assertThat(file.fieldNames()).allMatch(k -> k.startsWith("CHAT_"))
          .doesNotContain("CHAT_TCP_PORT", "CHAT_DB_PASSWORD");
      String verticle = name.equals("backend") ? BackendVerticle.class.getName() : GatewaysVerticle.class.getName();
      SplitMode.checked(verticle, SplitMode.settings(file, Map.of()));
    }
  }

  private String deploy(io.vertx.core.Deployable verticle, JsonObject conf) throws Exception {
    Future<String> f = vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(conf));
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
