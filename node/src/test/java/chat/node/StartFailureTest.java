package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class StartFailureTest {

  private static NodeConfig config(int tcp, int http, String dbHost) {
    JsonObject c = new JsonObject().put("CHAT_TCP_PORT", tcp).put("CHAT_HTTP_PORT", http).put("CHAT_BIND_HOST", "127.0.0.1");
    if (dbHost != null) {
      c.put("CHAT_DB_HOST", dbHost).put("CHAT_DB_PORT", 3399);
    }
    return NodeConfig.from(c);
  }

  @Test
  void aTakenPortIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      Exception bind = new ExecutionException(new BindException("Address already in use"));
      assertThat(StartFailure.describe(bind, config(port, TestNode.freePort(), "db")))
          .isEqualTo("cannot listen on 127.0.0.1:" + port + ": address already in use");
      assertThat(StartFailure.describe(bind, config(TestNode.freePort(), port, "db")))
          .isEqualTo("cannot listen on 127.0.0.1:" + port + ": address already in use");
      NodeConfig management = NodeConfig.from(new JsonObject().put("CHAT_TCP_PORT", TestNode.freePort())
          .put("CHAT_HTTP_PORT", TestNode.freePort()).put("CHAT_BIND_HOST", "127.0.0.1").put("CHAT_MANAGEMENT_PORT", port)
          .put("CHAT_DB_HOST", "db"));
      assertThat(StartFailure.describe(bind, management)).isEqualTo("cannot listen on 127.0.0.1:" + port + ": address already in use");
    }
  }

  @Test
  void aDataDirInUseIsItsOwnLineHoweverDeepItLies() {
    Exception e = new ExecutionException(new IllegalStateException("embedded MariaDB did not start",
        new StartFailure.DataDirInUse("data dir /srv/chat is in use by another running node")));
    assertThat(StartFailure.describe(e, config(6000, 8080, null))).isEqualTo("data dir /srv/chat is in use by another running node");
  }

  @Test
  void aDatabaseThatRefusesIsNamedWithItsReason() {
    Exception refused = new ExecutionException(new RuntimeException("Unable to obtain connection\n----\nSQL State: 08000",
        new SQLNonTransientConnectionException("Socket fail to connect to db:3399. Connection refused",
            new ConnectException("Connection refused"))));
    assertThat(StartFailure.describe(refused, config(6000, 8080, "db")))
        .isEqualTo("cannot use the database at db:3399: connection refused");
    Exception denied = new ExecutionException(new RuntimeException("Unable to obtain connection",
        new SQLInvalidAuthorizationSpecException("(conn=12) Access denied for user 'chat'@'10.0.0.5' (using password: YES)")));
    assertThat(StartFailure.describe(denied, config(6000, 8080, "db")))
        .isEqualTo("cannot use the database at db:3399: Access denied for user 'chat'@'10.0.0.5' (using password: YES)");
  }

  @Test
  void anythingElseIsItsRootCauseOnOneLine() {
    Exception e = new ExecutionException(new IllegalStateException("outer", new IllegalArgumentException("the reason\nmore")));
    assertThat(StartFailure.describe(e, config(6000, 8080, "db"))).isEqualTo("node failed to start: the reason");
  }
}
