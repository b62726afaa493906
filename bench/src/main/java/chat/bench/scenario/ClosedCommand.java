package chat.bench.scenario;

import chat.bench.Common;
import chat.bench.closed.ClosedLoop;
import chat.bench.closed.Pairs;
import chat.bench.net.BenchClient;
import chat.bench.result.RunRecord;
import chat.bench.setup.Sessions;
import chat.bench.setup.UserPool;
import chat.bench.util.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "closed", mixinStandardHelpOptions = true,
    description = {"N sender->recipient pairs, each with exactly one 1:1 message in flight: send, wait until the"
        + " recipient has it (in v2 also the sender's ack), send the next. One point per --pairs value.",
        "Works against the classic C++ server too (one request per connection at a time)."})
public class ClosedCommand implements Callable<Integer> {
  @Mixin Common common;

  @Option(names = "--pairs", split = ",", defaultValue = "10,50,200", description = "pairs at each point (default ${DEFAULT-VALUE})")
  List<Integer> pairs = new ArrayList<>();

  @Option(names = "--seconds", defaultValue = "10", description = "measured time per point (default ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--warmup-seconds", defaultValue = "3", description = "unmeasured loop before each point (default ${DEFAULT-VALUE})")
  double warmupSeconds;

  @Option(names = "--initial-warmup-seconds", defaultValue = "10",
      description = "once, before the first point, the largest point runs unmeasured: a fresh JVM server is slow until its JIT has warmed up (default ${DEFAULT-VALUE})")
  double initialWarmupSeconds;

  @Option(names = "--drain-seconds", defaultValue = "3", description = "wait for the last messages after each point (default ${DEFAULT-VALUE})")
  double drainSeconds;

  @Option(names = "--offset", defaultValue = "0", description = "first pool user (default ${DEFAULT-VALUE})")
  int offset;

  @Option(names = "--friends", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "each recipient adds its sender as a friend first (default ${DEFAULT-VALUE})")
  boolean friends;

  @Option(names = "--peer", defaultValue = "node", description = "what --target is, for the report: node, classic, relay (default ${DEFAULT-VALUE})")
  String peer;

  @Option(names = "--series", description = "runs with the same series are one side-by-side table in the report (closed-loop.sh sets it)")
  String series;

  @Option(names = "--login-concurrency", defaultValue = "32", description = "(default ${DEFAULT-VALUE})")
  int loginConcurrency;

  @Override
  public Integer call() {
    int users = Pairs.usersFor(pairs);
    try (Common c = common) {
      UserPool pool = c.users(offset + users);
      RunRecord record = c.record("closed").param("peer", peer).param("series", series)
          .param("pairs", new JsonArray(pairs)).param("seconds", seconds).param("warmupSeconds", warmupSeconds)
          .param("initialWarmupSeconds", initialWarmupSeconds)
          .param("friends", friends).param("offset", offset);
      List<BenchClient> clients = Sessions.open(c.connector(), pool, offset, users, i -> c.target(), loginConcurrency);
      try {
        List<Pairs.Pair<BenchClient>> all = Pairs.of(clients);
        if (friends) {
          // one request per connection, then a pause: the classic server drops what arrives together
          all.forEach(p -> p.recipient().addFriend(p.sender().id));
          Await.sleep(1000);
        }
        ClosedLoop loop = new ClosedLoop(all, "v2".equals(c.protocolName()));
        if (initialWarmupSeconds > 0) {
          System.out.printf("%s: warming up with %d pairs for %.0f s ...%n", peer, all.size(), initialWarmupSeconds);
          loop.point(all.size(), initialWarmupSeconds, 0, drainSeconds);
        }
        JsonArray points = new JsonArray();
        for (int n : pairs) {
          System.out.printf("%s: %d pairs, %.0f s ...%n", peer, n, seconds);
          JsonObject point = loop.point(n, warmupSeconds, seconds, drainSeconds);
          JsonObject l = point.getJsonObject("latency");
          System.out.printf("%s: %d pairs: %d msg/s, p50 %s ms, p99 %s ms%n", peer, n, point.getLong("msgPerSec"),
              l.getValue("p50Ms"), l.getValue("p99Ms"));
          points.add(point);
        }
        record.figure("points", points).figure("staleDeliveries", loop.stale());
      } finally {
        Sessions.closeAll(clients);
      }
      record.write(c.out());
    }
    return 0;
  }
}
