package chat.node;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A mariadbd of the test's own, in a temporary directory, that the test may stop, freeze and
 * restart: the shared server is used by other suites and must never be touched. No grant tables,
 * bound to 127.0.0.1.
 */
final class PrivateMariaDb implements AutoCloseable {
  static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");

  final Path dir;
  final int port;
  private Process process;

  PrivateMariaDb() throws Exception {
    dir = Files.createTempDirectory(Path.of("/tmp"), "chat-private-db");
    port = TestNode.freePort();
    run("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"), "--user=" + user(),
        "--auth-root-authentication-method=normal", "--skip-test-db");
    start();
  }

  static boolean available() {
    return Files.isExecutable(MARIADBD) && Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(p -> Files.isExecutable(Path.of(p, "mariadb-install-db")));
  }

  void start() throws Exception {
    process = new ProcessBuilder(MARIADBD.toString(), "--no-defaults", "--datadir=" + dir.resolve("data"),
        "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("s.sock"),
        "--pid-file=" + dir.resolve("p.pid"), "--skip-grant-tables", "--user=" + user(),
        "--innodb-buffer-pool-size=32M", "--skip-log-bin")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mariadbd.log").toFile()))
        .start();
    long end = System.currentTimeMillis() + 30_000;
    while (true) {
      try (Connection c = jdbc("")) {
        return;
      } catch (Exception e) {
        if (!process.isAlive() || System.currentTimeMillis() > end) {
          throw new IllegalStateException("private mariadbd did not start; see " + dir.resolve("mariadbd.log"), e);
        }
        Thread.sleep(100);
      }
    }
  }

  /** SIGSTOP: the server keeps its sockets but answers nothing, as a hung or swapped-out host. */
  void freeze() throws Exception {
    run("kill", "-STOP", String.valueOf(process.pid()));
  }

  void thaw() throws Exception {
    run("kill", "-CONT", String.valueOf(process.pid()));
  }

  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  Connection jdbc(String database) throws Exception {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?connectTimeout=2000", "root", "");
  }

  long number(String database, String sql, Object... params) throws Exception {
    try (Connection c = jdbc(database); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  private static String user() {
    return System.getProperty("user.name");
  }

  private void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile())).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed; see " + dir.resolve("commands.log"));
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      thaw();
      kill();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: it is under /tmp
    }
  }
}
