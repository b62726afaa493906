package chat.node;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One run of mariadbd, started through a small sh watchdog. Java has no PDEATHSIG, so without it a
 * node killed by SIGKILL or -XX:+ExitOnOutOfMemoryError would leave an unauthenticated mariadbd
 * running on its data dir. The watchdog writes mariadbd's pid into the pid file at once (mariadbd
 * writes the same pid there later and removes it at a clean stop), polls the JVM's pid and sends
 * mariadbd SIGTERM once the JVM is gone; a SIGTERM to the watchdog is passed on the same way.
 */
final class MariadbServer {
  // $1 JVM pid, $2 pid file, $3 log file, then the mariadbd command line.
  // Terminal signals are ignored too, for machines without setsid (Ctrl-C reaches the whole
  // process group): the node stops the database itself, after its last saves.
  static final String WATCHDOG = String.join("\n",
      "trap '' INT HUP QUIT",
      "jvm=$1; pidfile=$2; log=$3; shift 3",
      "\"$@\" >>\"$log\" 2>&1 &",
      "child=$!",
      "echo \"$child\" >\"$pidfile\"",
      "trap 'kill -TERM $child 2>/dev/null' TERM",
      "(while kill -0 \"$jvm\" 2>/dev/null; do sleep 0.3; done; kill -TERM \"$child\" 2>/dev/null) &",
      "watcher=$!",
      // wait returns early when the TERM trap runs; loop until mariadbd is really gone
      "while :; do wait \"$child\"; status=$?; kill -0 \"$child\" 2>/dev/null || break; done",
      "kill \"$watcher\" 2>/dev/null",
      "exit $status");

  private final Process watchdog;

  private MariadbServer(Process watchdog) {
    this.watchdog = watchdog;
  }

  static MariadbServer start(MariadbBinaries bin, Path root, Path data, int port) throws IOException {
    List<String> cmd = watchdogCommand(ProcessHandle.current().pid(), root.resolve(EmbeddedDatabase.PID_FILE),
        root.resolve("mariadbd.log"), serverArgs(bin, root, data, port));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        // mariadbd writes to its log file, never to a pipe of the JVM: after the JVM dies a
        // write to that pipe would kill it with SIGPIPE in the middle of its shutdown
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(bin.env());
    return new MariadbServer(pb.start());
  }

  static List<String> watchdogCommand(long jvmPid, Path pidFile, Path log, List<String> server) {
    List<String> cmd = new ArrayList<>();
    // a session of its own: signals to the node's process group (Ctrl-C, kill -TERM -PGID) must
    // not stop the database before the node has saved its state
    for (String setsid : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
      if (Files.isExecutable(Path.of(setsid))) {
        cmd.add(setsid);
        break;
      }
    }
    cmd.addAll(List.of("sh", "-c", WATCHDOG, "chat-mariadb-watchdog",
        Long.toString(jvmPid), pidFile.toString(), log.toString()));
    cmd.addAll(server);
    return cmd;
  }

  static List<String> serverArgs(MariadbBinaries bin, Path root, Path data, int port) {
    List<String> args = new ArrayList<>(List.of(
        bin.mariadbd().toString(),
        "--no-defaults", // a my.cnf of the machine must not change where the data goes
        "--basedir=" + bin.baseDir(),
        "--datadir=" + data,
        "--tmpdir=" + root.resolve("tmp"),
        "--port=" + port,
        "--bind-address=127.0.0.1", // no grant tables: never reachable from another host
        "--skip-grant-tables",
        "--socket=" + socketPath(root),
        "--pid-file=" + root.resolve(EmbeddedDatabase.PID_FILE),
        "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_unicode_ci",
        "--skip-name-resolve"));
    if ("root".equals(System.getProperty("user.name"))) {
      args.add("--user=root");
    }
    return args;
  }

  /**
   * In the data dir, unless that path is too long for a unix socket (108 bytes with the NUL):
   * then in java.io.tmpdir, named after the data dir. Nothing connects through it; mariadbd
   * just refuses to start without one.
   */
  static Path socketPath(Path root) {
    Path inDataDir = root.resolve("mariadb.sock");
    if (inDataDir.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 100) {
      return inDataDir;
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "chat-mariadb-" + Integer.toHexString(root.toString().hashCode()) + ".sock");
  }

  /** Waits until mariadbd accepts connections on {@code port}; fails early if it exits. */
  void awaitPort(int port, long timeoutMs, Path log) throws IOException, InterruptedException {
    long end = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < end) {
      if (!watchdog.isAlive()) {
        throw new IOException("mariadbd exited with " + watchdog.exitValue() + " at start, see " + log);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("mariadbd did not open port " + port + " within " + timeoutMs + " ms, see " + log);
  }

  CompletableFuture<Process> onExit() {
    return watchdog.onExit();
  }

  /** SIGTERM (passed on by the watchdog) and wait: InnoDB flushes and closes cleanly. */
  boolean stop(long timeoutMs) throws InterruptedException {
    watchdog.destroy();
    if (watchdog.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      return true;
    }
    watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
    watchdog.destroyForcibly();
    return false;
  }
}
