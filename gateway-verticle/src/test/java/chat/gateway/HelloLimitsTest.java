package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** hello's limits (docs/protocol.md section 2) are the gateway's own options, not numbers of their own. */
class HelloLimitsTest {
  @Test
  void theLimitsAreTheConfiguredOnes() {
    JsonObject limits = V2AccountHandlers.limits(GatewayOptions.from(new JsonObject()
        .put("maxFrameBytes", 4096).put("maxInFlight", 8).put("frameRate", 50.0).put("frameBurst", 60)
        .put("messageRate", 2.5).put("messageBurst", 5).put("idleTimeoutMs", 90_000L)));
    assertThat(limits).isEqualTo(new JsonObject()
        .put("maxFrameBytes", 4096).put("maxDepth", 32).put("maxPendingRequests", 8)
        .put("requestRate", 50L).put("requestBurst", 60).put("messageRate", 2.5).put("messageBurst", 5)
        .put("idleTimeoutMs", 90_000L).put("maxIdChars", 64).put("syncLimit", 500).put("historyLimit", 100));
    assertThat(limits.encode()).contains("\"requestRate\":50,");
  }
}
