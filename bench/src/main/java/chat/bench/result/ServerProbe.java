package chat.bench.result;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a local server JVM's memory and settings through /proc and jcmd. */
public final class ServerProbe {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private ServerProbe() {}

  public static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/status: " + e.getMessage());
    }
    return -1;
  }

  /** Heap in use after a full GC, so the figure is live data rather than garbage. */
  public static long heapUsedAfterGc(long pid) {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no heap figure in jcmd output: " + info);
    }
    return Long.parseLong(m.group(1)) * 1024; // the first match is the whole heap
  }

  /** The server's JVM flags: the command line up to the jar or main class. */
  public static List<String> jvmFlags(long pid) {
    List<String> flags = new ArrayList<>();
    try {
      String[] args = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).split("\0");
      for (int i = 1; i < args.length; i++) {
        if (args[i].equals("-jar") || args[i].equals("-cp") || !args[i].startsWith("-")) {
          break;
        }
        flags.add(args[i]);
      }
    } catch (IOException e) {
      flags.add("unreadable: " + e.getMessage());
    }
    return flags;
  }

  /** A CHAT_* setting from the server's environment, or null. */
  public static String env(long pid, String name) {
    try {
      String[] vars = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8).split("\0");
      for (String v : vars) {
        if (v.startsWith(name + "=")) {
          return v.substring(name.length() + 1);
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  static String jcmd(long pid, String command) {
    try {
      Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run jcmd: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
