package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The INFO lines of a connection's life in a node's JSON log, as an operator reads them: opened,
 * logged in, logged out and closed, with the user, the address and the reason as fields; and a
 * flood of connections held to CHAT_LOG_CONNECTIONS_PER_SEC, with a summary of what was left out.
 */
class ConnectionLogIT {
  private static final String LOGGER = "chat.gateway.ConnectionLog";
  private static final int CAP = 5;
  private static final int FLOOD = 200;

  private static List<JsonObject> lines(NodeProcess node) throws Exception {
    return node.outLines().stream().map(JsonObject::new).filter(o -> LOGGER.equals(o.getString("logger"))).toList();
  }

  private static List<JsonObject> await(NodeProcess node, String what, Predicate<List<JsonObject>> done) throws Exception {
    long end = System.currentTimeMillis() + 20_000;
    while (true) {
      List<JsonObject> lines = lines(node);
      if (done.test(lines)) {
        return lines;
      }
      assertThat(System.currentTimeMillis()).as("%s within 20 s: %s", what, lines).isLessThan(end);
      Thread.sleep(100);
    }
  }

  private static long count(List<JsonObject> lines, String message) {
    return lines.stream().filter(l -> message.equals(l.getString("message"))).count();
  }

  @Test
  void aLoginsLinesCarryTheUserAndAddressAndAFloodIsCapped() throws Exception {
    Map<String, String> env = new HashMap<>();
    int port = TestNode.freePort();
    TestDatabase.get().nodeEnvironment(env, port, TestNode.freePort());
    env.put("CHAT_LOG_FORMAT", "json");
    env.put("CHAT_LOG_CONNECTIONS_PER_SEC", String.valueOf(CAP));
    env.put("CHAT_CONNECT_RATE_PER_IP", "100000"); // the flood is to be let in and logged, not refused
    env.put("CHAT_CONNECT_BURST_PER_IP", "100000");
    env.put("CHAT_PRELOGIN_PER_IP", "1000");
    NodeProcess node = NodeProcess.start("connection-log", env);
    String password;
    try (node) {
      node.awaitOut("started in");
      // five lines, the cap's second's worth: opened, logged in, logged out, logged in, closed
      ClassicClient c = new ClassicClient("127.0.0.1", port);
      password = c.password;
      c.register(ClassicClient.unique("connlog"));
      c.loginOk();
      c.logout();
      await(node, "the logout", l -> count(l, "logged out") == 1);
      Poll.until("a login again once the logout is done", () -> c.login().getInteger("errno") == 0); // refusals log nothing
      c.close();
      List<JsonObject> life = await(node, "the close", l -> count(l, "connection closed") == 1);
      assertThat(life).extracting(l -> l.getString("message"))
          .containsExactly("connection opened", "logged in", "logged out", "logged in", "connection closed");
      String conn = life.get(0).getString("conn");
      assertThat(life).allSatisfy(l -> {
        assertThat(l.getString("level")).isEqualTo("INFO");
        assertThat(l.getString("conn")).isEqualTo(conn);
        assertThat(l.getString("remote")).isEqualTo("127.0.0.1");
        assertThat(l.getString("transport")).isEqualTo("tcp");
      });
      assertThat(life.get(0).containsKey("user")).as("no user before a login").isFalse();
      for (JsonObject l : life.subList(1, 5)) {
        assertThat(l.getString("user")).as(l.encode()).isEqualTo(String.valueOf(c.id));
        assertThat(l.getString("protocol")).isEqualTo("classic");
      }
      assertThat(life.get(4).getString("reason")).isEqualTo("peer closed");

      Thread.sleep(1500); // the bucket refills
      long start = System.currentTimeMillis();
      // held open until all are in, so that each one is accepted (one closed at once may be gone before the node sees it)
      List<Socket> flood = new ArrayList<>();
      for (int i = 0; i < FLOOD; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        flood.add(s);
      }
      for (Socket s : flood) {
        s.close();
      }
      long floodMs = System.currentTimeMillis() - start;
      // every open and close of the flood is either written or counted in a summary
      List<JsonObject> all = await(node, "each flood line written or summed up", l -> written(l, conn) + dropped(l) == 2 * FLOOD);
      long accountedMs = System.currentTimeMillis() - start;
      long written = written(all, conn);
      long summaries = count(all, "connection lines over the cap of " + CAP
          + " a second (CHAT_LOG_CONNECTIONS_PER_SEC) were not written");
      System.out.printf("connection log: %d connections in %d ms gave %d lines and %d summaries of %d left out (cap %d a second);"
          + " accounted for after %d ms%n", FLOOD, floodMs, written, summaries, dropped(all), CAP, accountedMs);
      assertThat(written).as("the cap's second's worth plus its rate while the flood lasted")
          .isLessThanOrEqualTo(CAP + CAP * (accountedMs / 1000 + 1));
      assertThat(summaries).as("one summary a second at most").isBetween(1L, accountedMs / 1000 + 2);
    }
    assertThat(node.outLines()).noneSatisfy(line -> assertThat(line).contains(password));
  }

  /** Flood lines: those of connections other than the login's. */
  private static long written(List<JsonObject> lines, String loginConn) {
    return lines.stream().filter(l -> l.containsKey("conn") && !loginConn.equals(l.getString("conn"))).count();
  }

  private static long dropped(List<JsonObject> lines) {
    return lines.stream().filter(l -> l.containsKey("dropped")).mapToLong(l -> Long.parseLong(l.getString("dropped"))).sum();
  }
}
