package chat.node;

import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hazelcast mode: when the chat+persistence instance leaves the cluster, the gateway closes the
 * logins it holds (nobody knows them any more); once a new backend joins, the clients log in again.
 */
class HazelcastBackendLossIT {
  static final String MEMBERS = "127.0.0.1:15821,127.0.0.1:15822,127.0.0.1:15823";
  static TestNode gateway;
  static TestNode backend;

  @AfterAll
  static void stop() {
    TestNode.closeAll(gateway, backend);
  }

  @Test
  void loginsOfALostBackendAreClosedAndComeBackWithANewOne() throws Exception {
    backend = TestNode.start(HazelcastSplitIT.clustered(MEMBERS, 15821, "chat,persistence", "backend-a"));
    gateway = TestNode.start(HazelcastSplitIT.clustered(MEMBERS, 15822, "gateway", "gateway"));
    ClassicClient a = gateway.connect().register(unique("loss"));
    a.loginOk();

    backend.close();
    backend = null;
    assertThat(a.awaitClosed()).as("the gateway closes logins nobody knows any more").isTrue();
    a.close();

    backend = TestNode.start(HazelcastSplitIT.clustered(MEMBERS, 15823, "chat,persistence", "backend-b"));
    Poll.until("login through the new backend", () -> {
      try (ClassicClient again = gateway.connect()) {
        again.id = a.id;
        again.password = a.password;
        return again.login().getInteger("errno") == 0;
      }
    });
  }
}
