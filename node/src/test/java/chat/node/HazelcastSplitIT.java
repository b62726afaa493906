package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hazelcast mode: a gateway-only instance and a chat+persistence instance joined over TCP-IP on
 * loopback, as two JVMs would be. Everything a client does crosses the clustered event bus.
 */
class HazelcastSplitIT {
  static final String MEMBERS = "127.0.0.1:15811,127.0.0.1:15812,127.0.0.1:15813";
  static TestNode backend;
  static TestNode gateway;

  /** Settings of one Hazelcast member joining {@code members} by TCP-IP on loopback. */
  static JsonObject clustered(String members, int hzPort, String roles, String id) {
    return new JsonObject()
        .put("CHAT_CLUSTER", "true")
        .put("CHAT_CLUSTER_HOST", "127.0.0.1")
        .put("CHAT_CLUSTER_PORT", hzPort)
        .put("CHAT_CLUSTER_MEMBERS", members)
        .put("CHAT_ROLES", roles)
        .put("CHAT_NODE_ID", id);
  }

  @BeforeAll
  static void start() throws Exception {
    backend = TestNode.start(clustered(MEMBERS, 15811, "chat,persistence", "backend"));
    gateway = TestNode.start(clustered(MEMBERS, 15812, "gateway", "gateway"));
  }

  @AfterAll
  static void stop() {
    TestNode.closeAll(gateway, backend);
  }

  @Test
  void classicFlowWorksThroughAGatewayInAnotherInstance() throws Exception {
    try (ClassicClient a = gateway.connect().register(unique("hza"));
        ClassicClient b = gateway.connect().register(unique("hzb"))) {
      a.loginOk();
      b.loginOk();
      a.chat(b.id, "over hazelcast");
      JsonObject got = b.next();
      assertThat(got.getInteger("msgid")).isEqualTo(6);
      assertThat(got.getString("msg")).isEqualTo("over hazelcast");
      assertThat(got.getInteger("id")).isEqualTo(a.id);

      int group = Poll.createGroup(a, unique("hzg"));
      Poll.joinGroup(b, group);
      a.groupChat(group, "to the group");
      assertThat(b.next().getString("msg")).isEqualTo("to the group");

      b.logout();
      a.chat(b.id, "while you were out");
      Thread.sleep(300);
      try (ClassicClient again = gateway.connect()) {
        again.id = b.id;
        again.password = b.password;
        JsonObject ack = again.loginOk();
        assertThat(ClassicClient.decoded(ack, "offlinemsg")).extracting(m -> m.getString("msg")).contains("while you were out");
      }
    }
  }

  @Test
  void secondLoginOfAnAccountIsRefusedAcrossInstances() throws Exception {
    try (ClassicClient a = gateway.connect().register(unique("hzc"))) {
      a.loginOk();
      try (ClassicClient twin = gateway.connect()) {
        twin.id = a.id;
        twin.password = a.password;
        assertThat(twin.login().getInteger("errno")).isEqualTo(2);
      }
    }
  }
}
