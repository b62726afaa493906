package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which processes count as a leftover mariadbd of a data dir, against a fake /proc. */
class MariadbOrphansTest {
  @TempDir Path tmp;

  private static String cmdline(String... args) {
    return String.join("\0", args) + "\0";
  }

  @Test
  void onlyMariadbOnExactlyThisDataDirCounts() {
    Path data = Path.of("/srv/chat/data/mariadb");
    assertThat(MariadbOrphans.isMariadbOn(cmdline("/usr/sbin/mariadbd", "--no-defaults", "--datadir=/srv/chat/data/mariadb"), data)).isTrue();
    assertThat(MariadbOrphans.isMariadbOn(cmdline("/x/bin/mysqld", "--datadir=/srv/chat/data/mariadb/"), data)).isTrue();
    assertThat(MariadbOrphans.isMariadbOn(cmdline("/usr/sbin/mariadbd", "--datadir=/srv/chat/data/mariadb2"), data)).isFalse();
    assertThat(MariadbOrphans.isMariadbOn(cmdline("/usr/sbin/mariadbd", "--datadir=/var/lib/mysql"), data)).isFalse();
    // the watchdog's own command line mentions both, but it is sh
    assertThat(MariadbOrphans.isMariadbOn(cmdline("sh", "-c", "...", "/usr/sbin/mariadbd", "--datadir=/srv/chat/data/mariadb"), data)).isFalse();
    assertThat(MariadbOrphans.isMariadbOn(cmdline("vim", "mariadbd", "--datadir=/srv/chat/data/mariadb"), data)).isFalse();
    assertThat(MariadbOrphans.isMariadbOn("", data)).isFalse();
  }

  @Test
  void findsByPidFileAndByScanButNeverAStalePid() throws Exception {
    Path proc = tmp.resolve("proc");
    Path data = tmp.resolve("data/mariadb");
    fakeProcess(proc, 100, cmdline("/usr/sbin/mariadbd", "--datadir=" + data));
    fakeProcess(proc, 200, cmdline("/usr/sbin/mariadbd", "--datadir=/elsewhere"));
    fakeProcess(proc, 300, cmdline("/usr/bin/java", "-jar", "chat-node.jar"));
    fakeProcess(proc, 400, cmdline("/usr/sbin/mariadbd", "--datadir=" + data));
    Files.createDirectories(proc.resolve("self"));
    Path pidFile = tmp.resolve("mariadbd.pid");
    MariadbOrphans orphans = new MariadbOrphans(proc);

    Files.writeString(pidFile, "300\n"); // reused by an unrelated process since
    assertThat(orphans.find(data, pidFile)).containsExactly(100L, 400L);
    Files.writeString(pidFile, "garbage");
    assertThat(orphans.find(data, pidFile)).containsExactly(100L, 400L);
    Files.delete(pidFile);
    assertThat(orphans.find(data, pidFile)).containsExactly(100L, 400L);
    assertThat(orphans.find(tmp.resolve("other"), pidFile)).isEmpty();
  }

  @Test
  void stopsAMatchingProcessAndLeavesOthersAlone() throws Exception {
    Process orphan = new ProcessBuilder("sleep", "300").start();
    Process bystander = new ProcessBuilder("sleep", "300").start();
    try {
      Path proc = tmp.resolve("proc");
      Path data = tmp.resolve("data/mariadb");
      fakeProcess(proc, orphan.pid(), cmdline("/usr/sbin/mariadbd", "--datadir=" + data));
      fakeProcess(proc, bystander.pid(), cmdline("sleep", "300"));
      Path pidFile = tmp.resolve("mariadbd.pid");
      Files.writeString(pidFile, Long.toString(orphan.pid()));

      new MariadbOrphans(proc).stopAll(data, pidFile);

      assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).as("orphan stopped").isTrue();
      assertThat(bystander.isAlive()).isTrue();
    } finally {
      orphan.destroyForcibly();
      bystander.destroyForcibly();
    }
  }

  private static void fakeProcess(Path proc, long pid, String cmdline) throws Exception {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("cmdline"), cmdline);
  }
}
