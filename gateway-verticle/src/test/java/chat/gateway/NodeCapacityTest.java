package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What the node's readiness check reads: the gateways' shared guard, if this Vert.x runs any. */
class NodeCapacityTest {
  @Test
  void aNodeWithoutGatewaysNeverRefusesAndOneAtItsCapDoes() {
    Vertx vertx = Vertx.vertx();
    try {
      assertThat(NodeCapacity.refusing(vertx)).as("no gateway deployed").isNull();
      ConnectionGuard guard = NodeCapacity.guard(vertx, GatewayOptions.from(new JsonObject().put("maxConnections", 1)));
      assertThat(NodeCapacity.guard(vertx, GatewayOptions.defaults())).as("one per node, the first one's").isSameAs(guard);
      assertThat(NodeCapacity.refusing(vertx)).isNull();
      assertThat(guard.admit("10.0.0.1")).isEqualTo(ConnectionGuard.Refusal.NONE);
      assertThat(NodeCapacity.refusing(vertx)).isEqualTo("full: 1 connections, the cap is 1");
      guard.release("10.0.0.1");
      assertThat(NodeCapacity.refusing(vertx)).isNull();
    } finally {
      vertx.close();
    }
  }
}
