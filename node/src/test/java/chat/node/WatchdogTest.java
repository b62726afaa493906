package chat.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sh watchdog of {@link MariadbServer}, with {@code sleep} standing in for mariadbd and for the JVM. */
class WatchdogTest {
  @TempDir Path tmp;

  private Process watchdog(long ownerPid) throws Exception {
    return new ProcessBuilder(MariadbServer.watchdogCommand(ownerPid, tmp.resolve("pid"), tmp.resolve("log"),
        List.of("sleep", "300"))).start();
  }

  private ProcessHandle child() throws Exception {
    Poll.until("pid file", () -> MariadbOrphans.readPid(tmp.resolve("pid")).isPresent());
    return ProcessHandle.of(MariadbOrphans.readPid(tmp.resolve("pid")).get()).orElseThrow();
  }

  @Test
  void theServerDiesWithItsOwner() throws Exception {
    Process owner = new ProcessBuilder("sleep", "300").start();
    Process w = watchdog(owner.pid());
    try {
      ProcessHandle server = child();
      // the pid is written between fork and exec
      Poll.until("exec of the server", () -> server.info().command().orElse("").endsWith("sleep"));
      owner.destroyForcibly();
      server.onExit().get(5, TimeUnit.SECONDS);
      assertThat(w.waitFor(5, TimeUnit.SECONDS)).as("watchdog exits after its server").isTrue();
    } finally {
      owner.destroyForcibly();
      w.destroyForcibly();
    }
  }

  @Test
  void sigtermIsPassedOnAndTerminalSignalsAreIgnored() throws Exception {
    Process w = watchdog(ProcessHandle.current().pid());
    try {
      ProcessHandle server = child();
      new ProcessBuilder("kill", "-INT", Long.toString(w.pid())).start().waitFor();
      Thread.sleep(300);
      assertThat(w.isAlive()).as("SIGINT ignored").isTrue();
      assertThat(server.isAlive()).isTrue();
      w.destroy(); // SIGTERM
      server.onExit().get(5, TimeUnit.SECONDS);
      assertThat(w.waitFor(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      w.destroyForcibly();
    }
  }

  @Test
  void exitsWhenTheServerDies() throws Exception {
    Process w = watchdog(ProcessHandle.current().pid());
    try {
      child().destroyForcibly();
      assertThat(w.waitFor(5, TimeUnit.SECONDS)).isTrue();
      assertThat(w.exitValue()).isNotZero();
      assertThat(Files.exists(tmp.resolve("pid"))).as("left for the orphan check").isTrue();
    } finally {
      w.destroyForcibly();
    }
  }

  @Test
  void socketInTheDataDirUnlessThePathIsTooLong() {
    assertThat(MariadbServer.socketPath(Path.of("/srv/chat/data"))).isEqualTo(Path.of("/srv/chat/data/mariadb.sock"));
    Path deep = Path.of("/srv/" + "x".repeat(120));
    Path socket = MariadbServer.socketPath(deep);
    assertThat(socket.toString().length()).isLessThan(100);
    assertThat(socket).isEqualTo(MariadbServer.socketPath(deep)).isNotEqualTo(MariadbServer.socketPath(Path.of(deep + "y")));
  }
}
