package chat.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a mariadbd of this node's own, data under CHAT_DATA_DIR so it survives
 * restarts whatever the directory (nothing here ever deletes it). It runs without grant tables,
 * so it listens on 127.0.0.1 only.
 *
 * <p>It is stopped only by {@link #stop()}, which {@link Node#stop()} calls after the verticles
 * saved their state. If the node dies, a watchdog stops it ({@link MariadbServer}); one left over
 * all the same is found by its pid file and stopped at the next start ({@link MariadbOrphans}).
 * If mariadbd dies while the node runs, it is started again on the same port, and the reactive
 * pool reconnects.
 */
final class EmbeddedDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  static final String PID_FILE = "mariadbd.pid";
  private static final long START_TIMEOUT_MS = 120_000;
  private static final long STOP_TIMEOUT_MS = 60_000;

  private final MariadbBinaries bin;
  private final Path root;
  private final Path data;
  private final int port;
  private final FileChannel lockChannel;
  private final Object lock = new Object();
  private MariadbServer server;
  private boolean stopping;

  private EmbeddedDatabase(MariadbBinaries bin, Path root, Path data, int port, FileChannel lockChannel) {
    this.bin = bin;
    this.root = root;
    this.data = data;
    this.port = port;
    this.lockChannel = lockChannel;
  }

  /** Blocking: call it before the event loops need the database, never on one. */
  static EmbeddedDatabase start(String dataDir) throws Exception {
    long t0 = System.nanoTime();
    Path root = Path.of(dataDir).toAbsolutePath().normalize();
    Path data = root.resolve("mariadb");
    Files.createDirectories(root.resolve("tmp"));
    FileChannel lockChannel = lockDataDir(root);
    try {
      MariadbOrphans.onThisHost().stopAll(data, root.resolve(PID_FILE));
      MariadbBinaries bin = MariadbBinaries.find(root);
      boolean fresh = !Files.isDirectory(data.resolve("mysql"));
      LOG.info("no CHAT_DB_HOST set: starting embedded MariaDB ({}) in {} ({})", bin.mariadbd(), data,
          fresh ? "new database" : "existing data");
      if (fresh) {
        install(bin, root, data);
      }
      EmbeddedDatabase db = new EmbeddedDatabase(bin, root, data, freePort(), lockChannel);
      synchronized (db.lock) {
        db.launch();
      }
      LOG.info("embedded MariaDB ready on 127.0.0.1:{} in {} ms", db.port, (System.nanoTime() - t0) / 1_000_000);
      return db;
    } catch (Exception e) {
      lockChannel.close();
      throw e;
    }
  }

  /**
   * Two nodes on one data dir would kill each other's mariadbd as an orphan. The lock is the
   * JVM's: the kernel drops it when the node dies, however it dies.
   */
  private static FileChannel lockDataDir(Path root) throws IOException {
    FileChannel ch = FileChannel.open(root.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      l = null;
    }
    if (l == null) {
      ch.close();
      throw new StartFailure.DataDirInUse("data dir " + root + " is in use by another running node");
    }
    return ch;
  }

  /**
   * Installs into a staging directory renamed at the end, so that a node killed during its first
   * start leaves no half-made data dir that later starts would take for an existing database.
   */
  private static void install(MariadbBinaries bin, Path root, Path data) throws IOException, InterruptedException {
    Path staging = root.resolve("mariadb.installing");
    if (Files.exists(staging)) {
      try (Stream<Path> files = Files.walk(staging)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    List<String> cmd = new ArrayList<>(List.of(bin.installDb().toString(), "--no-defaults",
        "--basedir=" + bin.baseDir(), "--datadir=" + staging, "--tmpdir=" + root.resolve("tmp"),
        "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.add("--user=root");
    }
    Path log = root.resolve("mariadb-install.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(bin.env());
    Process p = pb.start();
    if (!p.waitFor(START_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("mariadb-install-db failed, see " + log);
    }
    if (Files.exists(data)) {
      // an empty or system-table-less dir, e.g. created by hand: keep whatever is in it
      Files.move(data, root.resolve("mariadb.before-install-" + System.currentTimeMillis()));
    }
    Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Caller holds {@link #lock}. */
  private void launch() throws IOException, InterruptedException {
    MariadbServer s = MariadbServer.start(bin, root, data, port);
    server = s;
    try {
      s.awaitPort(port, START_TIMEOUT_MS, root.resolve("mariadbd.log"));
    } catch (IOException | InterruptedException e) {
      s.stop(STOP_TIMEOUT_MS);
      throw e;
    }
    s.onExit().thenRun(() -> exited(s));
  }

  private void exited(MariadbServer s) {
    synchronized (lock) {
      if (stopping || server != s) {
        return;
      }
    }
    LOG.warn("embedded MariaDB exited unexpectedly (see {}): restarting it on port {}", root.resolve("mariadbd.log"), port);
    // not on the thread that completed onExit: restarting blocks for up to minutes
    Thread t = new Thread(this::restart, "embedded-mariadb-restart");
    t.setDaemon(true);
    t.start();
  }

  private void restart() {
    long backoffMs = 500;
    while (true) {
      synchronized (lock) {
        if (stopping) {
          return;
        }
        try {
          // the watchdog may have been killed alone, leaving its mariadbd on the data dir
          MariadbOrphans.onThisHost().stopAll(data, root.resolve(PID_FILE));
          launch();
          LOG.warn("embedded MariaDB is back on 127.0.0.1:{}", port);
          return;
        } catch (IOException e) {
          LOG.error("restarting embedded MariaDB failed, retrying in {} ms: {}", backoffMs, e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      try {
        Thread.sleep(backoffMs);
      } catch (InterruptedException e) {
        return;
      }
      backoffMs = Math.min(backoffMs * 2, 30_000);
    }
  }

  int port() {
    return port;
  }

  /** Blocking: SIGTERM to mariadbd, and waits until it has shut down cleanly. */
  void stop() {
    synchronized (lock) {
      if (stopping) {
        return;
      }
      stopping = true;
      try {
        if (server != null && !server.stop(STOP_TIMEOUT_MS)) {
          LOG.warn("embedded MariaDB did not stop within {} ms: killed", STOP_TIMEOUT_MS);
        }
        // a watchdog that got SIGTERM before it set its trap dies without passing it on
        MariadbOrphans.onThisHost().stopAll(data, root.resolve(PID_FILE));
        LOG.info("embedded MariaDB stopped");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("interrupted while stopping embedded MariaDB");
      } finally {
        try {
          lockChannel.close();
        } catch (IOException e) {
          LOG.warn("releasing the data dir lock failed: {}", e.toString());
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
