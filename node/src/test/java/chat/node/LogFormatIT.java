package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CHAT_LOG_FORMAT as operators set it: JSON lines from start to stop, and a bad value refused in one line. */
class LogFormatIT {

  @Test
  void jsonFormatWritesOnlyJsonLinesWithTheFields() throws Exception {
    Map<String, String> env = new HashMap<>();
    TestDatabase.get().nodeEnvironment(env, TestNode.freePort(), TestNode.freePort());
    env.put("CHAT_LOG_FORMAT", "json");
    env.put("CHAT_NODE_ID", "json-it");
    NodeProcess node = NodeProcess.start("log-format-json", env);
    try (node) {
      node.awaitOut("started in");
    }
    assertThat(node.outLines()).hasSizeGreaterThan(3).allSatisfy(line -> {
      JsonObject o = new JsonObject(line);
      assertThat(OffsetDateTime.parse(o.getString("time"))).as(line).isNotNull();
      assertThat(o.getString("level")).as(line).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
      assertThat(o.getString("logger")).as(line).isNotBlank();
      assertThat(o.getString("node")).as(line).isEqualTo("json-it");
      assertThat(o.getString("message")).as(line).isNotNull();
    });
    assertThat(node.outLines()).anySatisfy(line -> assertThat(line).contains("signing users off"));
    // Flyway quiet at start: its outOfOrder notice is by design, not news
    assertThat(node.outLines()).noneSatisfy(line -> assertThat(line).contains("\"WARN\"", "flywaydb"));
    assertThat(node.errLines()).isEmpty();
  }

  @Test
  void aBadFormatIsOneLineAndExitCodeTwo() throws Exception {
    NodeProcess node = NodeProcess.start("log-format-bad", Map.of("CHAT_LOG_FORMAT", "xml"));
    try (node) {
      assertThat(node.exitCode()).isEqualTo(2);
    }
    assertThat(node.outLines()).singleElement().asString()
        .endsWith("bad configuration: CHAT_LOG_FORMAT must be text or json, got 'xml'");
    assertThat(node.errLines()).isEmpty();
  }
}
