package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node that cannot start says why in one line that names the port, directory or database, and exits 1. */
class StartFailureIT {

  private static Map<String, String> env(int tcp, int http) throws Exception {
    Map<String, String> env = new HashMap<>();
    TestDatabase.get().nodeEnvironment(env, tcp, http);
    return env;
  }

  /** The one ERROR line on stdout, no stack trace anywhere, nothing on stderr, exit 1. */
  private static String failure(String name, Map<String, String> env) throws Exception {
    NodeProcess node = NodeProcess.start(name, env);
    try (node) {
      assertThat(node.exitCode()).as("exit code, see %s", node.out).isEqualTo(1);
    }
    List<String> out = node.outLines();
    assertThat(out).noneSatisfy(l -> assertThat(l).matches("\\s+at .*|Caused by.*|.*Exception.*"));
    assertThat(node.errLines()).isEmpty();
    assertThat(out.stream().filter(l -> l.contains(" ERROR ")).toList()).hasSize(1);
    return out.stream().filter(l -> l.contains(" ERROR ")).findFirst().orElseThrow();
  }

  @Test
  void aTakenTcpPortIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      assertThat(failure("start-tcp-taken", env(port, TestNode.freePort())))
          .endsWith("chat.node.Main - cannot listen on 127.0.0.1:" + port + ": address already in use");
    }
  }

  @Test
  void aTakenHttpPortIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      assertThat(failure("start-http-taken", env(TestNode.freePort(), port)))
          .endsWith("chat.node.Main - cannot listen on 127.0.0.1:" + port + ": address already in use");
    }
  }

  @Test
  void aDatabaseThatRefusesIsNamed() throws Exception {
    int nobody = TestNode.freePort();
    Map<String, String> env = env(TestNode.freePort(), TestNode.freePort());
    env.put("CHAT_DB_HOST", "127.0.0.1");
    env.put("CHAT_DB_PORT", String.valueOf(nobody));
    assertThat(failure("start-db-refused", env))
        .endsWith("chat.node.Main - cannot use the database at 127.0.0.1:" + nobody + ": connection refused");
  }

  @Test
  void aDataDirInUseIsNamed() throws Exception {
    // the lock a running node holds on its data dir, held here instead of starting a second node
    Path dir = Files.createDirectories(Path.of("target/start-data-dir-in-use").toAbsolutePath());
    Map<String, String> env = env(TestNode.freePort(), TestNode.freePort());
    env.remove("CHAT_DB_HOST");
    env.put("CHAT_DATA_DIR", dir.toString());
    try (FileChannel ch = FileChannel.open(dir.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      assertThat(failure("start-data-dir-in-use", env))
          .endsWith("chat.node.Main - data dir " + new File(dir.toString()).getPath() + " is in use by another running node");
    }
  }
}
