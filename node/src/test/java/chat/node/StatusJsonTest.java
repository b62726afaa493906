package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.bus.ChatStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
  @Test
  void theReportReadsAsTheHealthBodyAlwaysShowedIt() {
    ChatStatus.Report report = new ChatStatus.Report("up", "ok", 12, new ChatStatus.Hashes(2, 7, 64, 9_000_000_000L, 3, 4), 5);
    JsonObject body = StatusJson.of(report);
    assertThat(body).isEqualTo(new JsonObject(
        "{\"redis\":\"up\",\"pubsub\":\"ok\",\"online\":12,\"hashes\":{\"pending\":2,\"peak\":7,\"max\":64,\"run\":9000000000,"
            + "\"skipped\":3,\"refused\":4},\"loginGuardEntries\":5}"));
    assertThat(body.fieldNames()).containsExactly("redis", "pubsub", "online", "hashes", "loginGuardEntries");
  }
}
