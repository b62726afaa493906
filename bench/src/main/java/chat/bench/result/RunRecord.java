package chat.bench.result;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** One run's result file: what ran, with which settings, on what, and what it measured. */
public final class RunRecord {
  private final JsonObject json = new JsonObject();
  private final JsonObject params = new JsonObject();
  private final JsonObject figures = new JsonObject();
  private final Instant started = Instant.now();

  public RunRecord(String scenario) {
    json.put("scenario", scenario);
    json.put("timestamp", started.toString());
    json.put("commit", commit());
    json.put("benchJvmFlags", new JsonArray(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    json.put("machine", machine());
    json.put("params", params);
    json.put("figures", figures);
  }

  public RunRecord param(String key, Object value) {
    params.put(key, value);
    return this;
  }

  public RunRecord figure(String key, Object value) {
    figures.put(key, value);
    return this;
  }

  public JsonObject figures() {
    return figures;
  }

  public RunRecord note(String note) {
    if (note != null && !note.isBlank()) {
      json.put("note", note);
    }
    return this;
  }

  /** Records the servers' JVM flags and bcrypt cost, read from /proc. */
  public RunRecord servers(List<Long> pids) {
    JsonArray servers = new JsonArray();
    for (long pid : pids) {
      String cost = ServerProbe.env(pid, "CHAT_BCRYPT_COST");
      servers.add(new JsonObject().put("pid", pid)
          .put("jvmFlags", new JsonArray(ServerProbe.jvmFlags(pid)))
          .put("bcryptCost", cost == null ? "10 (default)" : cost)
          .put("redis", ServerProbe.env(pid, "CHAT_REDIS_URL") != null));
    }
    json.put("servers", servers);
    return this;
  }

  public Path write(Path outDir) {
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
    Path file = outDir.resolve(stamp + "-" + json.getString("scenario") + ".json");
    try {
      Files.createDirectories(outDir);
      Files.writeString(file, json.encodePrettily());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage());
    }
    System.out.println("wrote " + file);
    System.out.println(figures.encodePrettily());
    return file;
  }

  private static String commit() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").start();
      String dirty = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 ? out + (d.waitFor() == 0 && !dirty.isEmpty() ? "-dirty" : "") : "unknown";
    } catch (IOException | InterruptedException e) {
      return "unknown";
    }
  }

  private static JsonObject machine() {
    JsonObject m = new JsonObject().put("nproc", Runtime.getRuntime().availableProcessors());
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          m.put("memTotalMiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
          break;
        }
      }
      // the machine is shared: what else was running when this run started
      m.put("loadAvg1", Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
    } catch (IOException | RuntimeException e) {
      m.put("error", e.getMessage());
    }
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    return m;
  }
}
