package chat.bench.scenario;

import chat.bench.Common;
import chat.bench.net.BenchClient;
import chat.bench.result.RunRecord;
import chat.bench.result.ServerProbe;
import chat.bench.setup.Sessions;
import chat.bench.setup.UserPool;
import chat.bench.util.Await;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Many idle logged-in connections, and what they cost the server. One process holds at most
 * ~19.9k sockets (RLIMIT_NOFILE 20000), so larger counts run several bench processes on
 * disjoint user ranges (--offset/--count); see bench/README.md.
 */
@Command(name = "idle", mixinStandardHelpOptions = true,
    description = "Holds COUNT logged-in idle connections; reports server RSS and heap per connection.")
public final class IdleCommand implements Callable<Integer> {
  @Mixin Common common;

  @Option(names = "--count", defaultValue = "1000", description = "connections to open (default ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--offset", defaultValue = "0", description = "first pool user (default ${DEFAULT-VALUE})")
  int offset;

  @Option(names = "--hold-seconds", defaultValue = "10", description = "(default ${DEFAULT-VALUE})")
  double holdSeconds;

  @Option(names = "--login-concurrency", defaultValue = "64", description = "(default ${DEFAULT-VALUE})")
  int loginConcurrency;

  @Override
  public Integer call() {
    try (Common c = common) {
      UserPool pool = c.users(offset + count);
      RunRecord record = c.record("idle").param("count", count).param("offset", offset)
          .param("holdSeconds", holdSeconds).param("localAddresses", c.localAddressCount());
      Long pid = c.serverPids().isEmpty() ? null : c.serverPids().get(0);
      JsonObject before = pid == null ? null : memory(pid);
      long t0 = System.nanoTime();
      List<BenchClient> clients = Sessions.open(c.connector(), pool, offset, count, i -> c.target(), loginConcurrency, true);
      double loginSecs = (System.nanoTime() - t0) / 1e9;
      try {
        System.out.printf("holding %d connections for %.0f s%n", clients.size(), holdSeconds);
        Await.sleep((long) (holdSeconds * 1000));
        long open = clients.stream().filter(cl -> !cl.isClosed()).count();
        record.figure("requested", count).figure("connected", clients.size()).figure("stillOpen", open)
            .figure("loginSeconds", Math.round(loginSecs * 10) / 10.0)
            .figure("loginsPerSec", Math.round(clients.size() / loginSecs));
        if (pid != null) {
          JsonObject after = memory(pid);
          record.figure("serverBefore", before).figure("serverAfter", after);
          if (open > 0) {
            record.figure("rssBytesPerConnection", (after.getLong("rssBytes") - before.getLong("rssBytes")) / open)
                .figure("heapBytesPerConnection", (after.getLong("heapUsedBytes") - before.getLong("heapUsedBytes")) / open);
          }
        }
      } finally {
        Sessions.closeAll(clients);
      }
      record.write(c.out());
    }
    return 0;
  }

  private static JsonObject memory(long pid) {
    long heap = ServerProbe.heapUsedAfterGc(pid); // GC first, so RSS and heap are read settled
    return new JsonObject().put("heapUsedBytes", heap).put("rssBytes", ServerProbe.rssBytes(pid));
  }
}
