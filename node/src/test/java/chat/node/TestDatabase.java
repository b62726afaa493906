package chat.node;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The suite's one real database. Where a Docker engine answers (and CHAT_TEST_NO_DOCKER is not 1)
 * it is a MariaDB container, so the version under test is the image's, not the machine's. Otherwise,
 * with CHAT_TEST_DB_HOST set (CI does, pointing at the local MariaDB) it uses that server, and
 * without it an embedded MariaDB, so a fresh checkout needs nothing installed. Each run gets its
 * own database name and drops it at exit. One log line says which of the three ran.
 */
final class TestDatabase {
  private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
  /** The LTS line of the MariaDB the node's jar bundles (used where no /usr/sbin/mariadbd exists). */
  static final String IMAGE = "mariadb:11.4";
  private static TestDatabase instance;

  final String host;
  final int port;
  final String user;
  final String password;
  final String name = "chat_it_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100000;

  private TestDatabase(String host, int port, String user, String password) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  static synchronized TestDatabase get() throws Exception {
    if (instance == null) {
      String host = System.getenv("CHAT_TEST_DB_HOST");
      String path;
      if (TestDocker.usable()) {
        instance = container();
        path = "Testcontainers MariaDB";
      } else if (host != null && !host.isBlank()) {
        instance = new TestDatabase(host, Integer.parseInt(env("CHAT_TEST_DB_PORT", "3306")),
            env("CHAT_TEST_DB_USER", "chat"), env("CHAT_TEST_DB_PASSWORD", ""));
        path = "local server " + host + ":" + instance.port + " (CHAT_TEST_DB_HOST)";
      } else {
        java.nio.file.Path dir = Files.createTempDirectory("chat-it");
        EmbeddedDatabase db = EmbeddedDatabase.start(dir.toString());
        // the embedded database never deletes its data dir, so the suite removes its own
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          db.stop();
          try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          } catch (java.io.IOException ignored) {
            // best effort in /tmp
          }
        }));
        instance = new TestDatabase("127.0.0.1", db.port(), "root", "");
        path = "embedded MariaDB";
      }
      TestDatabase db = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(db::drop));
      log.info("test database: {}, server {}, database {}{}", path, db.version(), db.name,
          path.startsWith("Testcontainers") ? " on " + db.host + ":" + db.port : "; " + TestDocker.whyNot());
    }
    return instance;
  }

  private static TestDatabase container() {
    String password = "chat-test";
    @SuppressWarnings("resource") // stopped by the hook below, or by Testcontainers' reaper if the JVM dies
    MariaDBContainer mariadb = new MariaDBContainer(DockerImageName.parse(IMAGE))
        .withUsername("root")
        .withPassword(password)
        // the settings the embedded server starts with: Flyway creates each test database with the server default
        .withCommand("--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci");
    mariadb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(mariadb::stop));
    return new TestDatabase(mariadb.getHost(), mariadb.getMappedPort(3306), "root", password);
  }

  /** The server's own version string: what the log line reports, whatever path chose the server. */
  private String version() {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password);
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT VERSION()")) {
      return rs.next() ? rs.getString(1) : "?";
    } catch (SQLException e) {
      return "(unreachable: " + e.getMessage() + ")";
    }
  }

  /** Settings of a test node on {@code tcpPort}, as the environment would give them. */
  io.vertx.core.json.JsonObject nodeSettings(int tcpPort) {
    return new io.vertx.core.json.JsonObject()
        .put("CHAT_NODE_ID", "it-" + tcpPort)
        .put("CHAT_BIND_HOST", "127.0.0.1")
        .put("CHAT_TCP_PORT", tcpPort)
        .put("CHAT_HTTP_PORT", 0)
        .put("CHAT_MANAGEMENT_PORT", 0)
        .put("CHAT_DB_HOST", host)
        .put("CHAT_DB_PORT", port)
        .put("CHAT_DB_NAME", name)
        .put("CHAT_DB_USER", user)
        .put("CHAT_DB_PASSWORD", password)
        .put("CHAT_GATEWAY_INSTANCES", 2)
        .put("CHAT_BCRYPT_COST", 4)
        .put("CHAT_OFFLINE_PAGE", 5)
        .put("CHAT_MAX_FRAME_BYTES", 65536)
        .mergeIn(generousLimits());
  }

  /**
   * Every test client connects from 127.0.0.1, so the per-address and rate limits that guard a
   * public port would trip on the suite itself; the tests of those limits set small ones.
   */
  static io.vertx.core.json.JsonObject generousLimits() {
    return new io.vertx.core.json.JsonObject()
        .put("CHAT_MAX_CONNECTIONS_PER_IP", 100_000)
        .put("CHAT_CONNECT_RATE_PER_IP", 100_000)
        .put("CHAT_CONNECT_BURST_PER_IP", 100_000)
        .put("CHAT_HTTP_MAX_CONNECTIONS_PER_IP", 100_000)
        .put("CHAT_HTTP_CONNECT_RATE_PER_IP", 100_000)
        .put("CHAT_HTTP_CONNECT_BURST_PER_IP", 100_000)
        .put("CHAT_PRELOGIN_PER_IP", 100_000)
        .put("CHAT_MAX_PRELOGIN", 100_000)
        .put("CHAT_REQUEST_RATE", 1_000_000)
        .put("CHAT_REQUEST_BURST", 1_000_000)
        .put("CHAT_MESSAGE_RATE", 1_000_000)
        .put("CHAT_MESSAGE_BURST", 1_000_000)
        .put("CHAT_STRANGER_MESSAGES_PER_MIN", 1_000_000)
        .put("CHAT_STRANGER_TYPING_PER_MIN", 1_000_000)
        .put("CHAT_FRIEND_REQUESTS_PER_HOUR", 1_000_000)
        .put("CHAT_FRIEND_PENDING_MAX", 1_000_000);
  }

  /** The environment of a node process on this database (and the test suite's fast bcrypt). */
  void nodeEnvironment(java.util.Map<String, String> env, int tcpPort, int httpPort) {
    env.put("CHAT_TCP_PORT", String.valueOf(tcpPort));
    env.put("CHAT_HTTP_PORT", String.valueOf(httpPort));
    env.put("CHAT_MANAGEMENT_PORT", "0"); // several nodes on one host: each its own
    env.put("CHAT_BIND_HOST", "127.0.0.1");
    env.put("CHAT_DB_HOST", host);
    env.put("CHAT_DB_PORT", String.valueOf(port));
    env.put("CHAT_DB_NAME", name);
    env.put("CHAT_DB_USER", user);
    env.put("CHAT_DB_PASSWORD", password);
    env.put("CHAT_BCRYPT_COST", "4");
  }

  Connection jdbc() throws SQLException {
    return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/" + name, user, password);
  }

  private void drop() {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", user, password)) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + name);
    } catch (SQLException ignored) {
      // the database may be gone already (embedded server stopped first)
    }
  }

  private static String env(String key, String fallback) {
    String v = System.getenv(key);
    return v == null || v.isBlank() ? fallback : v;
  }
}
