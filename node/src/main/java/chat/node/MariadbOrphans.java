package chat.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds mariadbd processes left on a data dir by a node that died without stopping them (kill -9
 * of node and watchdog, a crash of the host's init, ...), so a new start neither fails on InnoDB's
 * locks nor runs a second server beside the first. A process counts only if /proc/PID/cmdline
 * names mariadbd and exactly this --datadir: a pid in a stale pid file may belong to anything by now.
 */
final class MariadbOrphans {
  private static final Logger LOG = LoggerFactory.getLogger(MariadbOrphans.class);

  private final Path proc;

  MariadbOrphans(Path proc) {
    this.proc = proc;
  }

  static MariadbOrphans onThisHost() {
    return new MariadbOrphans(Path.of("/proc"));
  }

  /** True if {@code cmdline} (NUL-separated, as in /proc) runs mariadbd on {@code dataDir}. */
  static boolean isMariadbOn(String cmdline, Path dataDir) {
    List<String> args = Arrays.asList(cmdline.split("\0"));
    if (args.isEmpty()) {
      return false;
    }
    String program = Path.of(args.get(0)).getFileName() == null ? "" : Path.of(args.get(0)).getFileName().toString();
    if (!program.equals("mariadbd") && !program.equals("mysqld")) {
      return false;
    }
    String wanted = "--datadir=" + dataDir.toAbsolutePath().normalize();
    String wantedSlash = wanted + "/";
    return args.stream().anyMatch(a -> a.equals(wanted) || a.equals(wantedSlash));
  }

  /** Pids of the mariadbd processes on {@code dataDir}: the one in {@code pidFile} if it checks out, and any other. */
  List<Long> find(Path dataDir, Path pidFile) {
    TreeSet<Long> pids = new TreeSet<>();
    readPid(pidFile).filter(pid -> runsOn(pid, dataDir)).ifPresent(pids::add);
    // the pid file can be missing or stale (mariadbd removes it at a clean stop), so look at all
    try (Stream<Path> entries = Files.list(proc)) {
      entries.map(p -> p.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .filter(pid -> runsOn(pid, dataDir))
          .forEach(pids::add);
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", proc, e.toString());
    }
    return new ArrayList<>(pids);
  }

  /** Stops every mariadbd left on {@code dataDir}: SIGTERM first, so InnoDB shuts down cleanly. */
  void stopAll(Path dataDir, Path pidFile) {
    for (long pid : find(dataDir, pidFile)) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      if (h.isEmpty()) {
        continue;
      }
      LOG.warn("a mariadbd (pid {}) is still running on {} without its watchdog: stopping it", pid, dataDir);
      h.get().destroy();
      try {
        h.get().onExit().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("mariadbd {} did not stop within 60 s: killing it", pid);
        h.get().destroyForcibly();
        h.get().onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
      }
    }
  }

  static Optional<Long> readPid(Path pidFile) {
    try {
      return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private boolean runsOn(long pid, Path dataDir) {
    try {
      return isMariadbOn(Files.readString(proc.resolve(Long.toString(pid)).resolve("cmdline"), StandardCharsets.UTF_8), dataDir);
    } catch (IOException | RuntimeException gone) {
      return false;
    }
  }
}
