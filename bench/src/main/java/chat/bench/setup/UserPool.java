package chat.bench.setup;

import chat.bench.net.BenchClient;
import chat.bench.net.Connector;
import chat.bench.net.Target;
import chat.bench.protocol.Event;
import chat.bench.util.Await;
import chat.bench.util.Batch;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bench users {@code <prefix>-<i>} with password {@code pw-<prefix>-<i>}, registered once and
 * reused: registering costs one bcrypt hash each (~15/s per core at cost 10), so their ids are
 * kept in a state file keyed by target and prefix. A state file whose users no longer log in
 * (fresh database) is thrown away and the users are registered again.
 */
public final class UserPool {
  public record User(int index, int id, String name) {
    public String password() {
      return "pw-" + name;
    }
  }

  private final Path file;
  private final String prefix;
  private final Map<Integer, Integer> ids = new ConcurrentHashMap<>();
  private final Map<String, Integer> groups = new ConcurrentHashMap<>();

  private UserPool(Path file, String prefix) {
    this.file = file;
    this.prefix = prefix;
  }

  public static Path stateFile(Path stateDir, Target target, String prefix) {
    return stateDir.resolve(target.host() + "_" + target.port() + "_" + prefix + ".json");
  }

  /** Makes sure users 0..count-1 exist, registering the missing ones. */
  public static UserPool ensure(
      Connector connector, Target target, String prefix, Path stateDir, int count, int concurrency) {
    if (!prefix.matches("[A-Za-z0-9_.]{1,30}")) {
      throw new IllegalArgumentException("--prefix must be 1-30 letters, digits, _ or .");
    }
    UserPool pool = new UserPool(stateFile(stateDir, target, prefix), prefix);
    pool.load();
    if (!pool.ids.isEmpty() && !pool.stillValid(connector, target)) {
      System.out.println("state " + pool.file + " does not match the server (fresh database?): registering again");
      pool.ids.clear();
      pool.groups.clear();
    }
    if (pool.ids.isEmpty()) {
      pool.adoptSibling(connector, target, stateDir);
    }
    int missing = 0;
    for (int i = 0; i < count; i++) {
      if (!pool.ids.containsKey(i)) {
        missing++;
      }
    }
    if (missing > 0) {
      System.out.printf("registering %d users %s-*, %d at a time%n", missing, prefix, concurrency);
      long t0 = System.nanoTime();
      int[] todo = new int[missing];
      for (int i = 0, k = 0; i < count; i++) {
        if (!pool.ids.containsKey(i)) {
          todo[k++] = i;
        }
      }
      Batch.Outcome out =
          Await.result(Batch.run(todo.length, concurrency, k -> pool.register(connector, target, todo[k])), 3600);
      pool.save();
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("registered %d users in %.1f s (%.0f/s)%n", out.ok(), secs, out.ok() / secs);
      if (out.failed() > 0) {
        throw new IllegalStateException(out.failed() + " registrations failed, first: " + out.firstError());
      }
    }
    return pool;
  }

  public User user(int index) {
    Integer id = ids.get(index);
    if (id == null) {
      throw new IllegalStateException("user " + index + " was not set up");
    }
    return new User(index, id, prefix + "-" + index);
  }

  public Integer group(String key) {
    return groups.get(key);
  }

  public void putGroup(String key, int id) {
    groups.put(key, id);
    save();
  }

  private Future<?> register(Connector connector, Target target, int index) {
    String name = prefix + "-" + index;
    return connector
        .connect(target, index)
        .compose(
            c ->
                c.register(name, "pw-" + name)
                    .andThen(ar -> c.close())
                    .map(
                        ack -> {
                          if (!ack.ok()) {
                            throw new IllegalStateException(
                                "name " + name + " is taken but not in " + file
                                    + ": use another --prefix or a fresh database");
                          }
                          ids.put(index, ack.id());
                          return ack;
                        }));
  }

  /** The first and last known users must log in (errno 2, already online, also proves it). */
  private boolean stillValid(Connector connector, Target target) {
    int last = ids.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int index : new int[] {0, last}) {
      if (!ids.containsKey(index)) {
        return false;
      }
      User u = user(index);
      BenchClient c = Await.result(connector.connect(target, index), 30);
      Event.LoginAck ack;
      try {
        ack = Await.result(c.login(u.id(), u.password()), 60);
      } finally {
        c.close();
      }
      if (ack.errno() == 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * Nodes sharing one database (cross-node runs) see the same users on another port: reuse the
   * state of any target with this prefix whose users log in here.
   */
  private void adoptSibling(Connector connector, Target target, Path stateDir) {
    if (!Files.isDirectory(stateDir)) {
      return;
    }
    try (var files = Files.list(stateDir)) {
      for (Path other : files.filter(f -> f.getFileName().toString().endsWith("_" + prefix + ".json")).toList()) {
        if (other.equals(file)) {
          continue;
        }
        load(other);
        if (!ids.isEmpty() && stillValid(connector, target)) {
          System.out.println("reusing users of " + other.getFileName() + " (same database)");
          save();
          return;
        }
        ids.clear();
        groups.clear();
      }
    } catch (IOException e) {
      System.out.println("cannot list " + stateDir + ": " + e.getMessage());
    }
  }

  private void load() {
    load(file);
  }

  private void load(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    try {
      JsonObject state = new JsonObject(Files.readString(file));
      state.getJsonObject("users", new JsonObject())
          .forEach(e -> ids.put(Integer.parseInt(e.getKey()), ((Number) e.getValue()).intValue()));
      state.getJsonObject("groups", new JsonObject())
          .forEach(e -> groups.put(e.getKey(), ((Number) e.getValue()).intValue()));
    } catch (IOException | RuntimeException e) {
      System.out.println("ignoring unreadable state " + file + ": " + e.getMessage());
    }
  }

  private synchronized void save() {
    JsonObject users = new JsonObject();
    new TreeMap<>(ids).forEach((k, v) -> users.put(String.valueOf(k), v));
    JsonObject g = new JsonObject();
    groups.forEach(g::put);
    JsonObject state = new JsonObject().put("prefix", prefix).put("users", users).put("groups", g);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, state.encodePrettily());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
