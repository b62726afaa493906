package chat.bench.scenario;

import chat.bench.Common;
import chat.bench.load.ChatLoad;
import chat.bench.net.BenchClient;
import chat.bench.net.Target;
import chat.bench.result.RunRecord;
import chat.bench.setup.Sessions;
import chat.bench.setup.UserPool;
import chat.bench.util.Await;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "chat", mixinStandardHelpOptions = true,
    description = "N logged-in users chat to random others: closed-loop saturation, then fixed offered rates.")
public class ChatCommand implements Callable<Integer> {
  @Mixin Common common;

  @Option(names = "--users", defaultValue = "200", description = "logged-in users (default ${DEFAULT-VALUE})")
  int users;

  @Option(names = "--offset", defaultValue = "0", description = "first pool user (default ${DEFAULT-VALUE})")
  int offset;

  @Option(names = "--friends", defaultValue = "3", description = "friends added per user at setup (default ${DEFAULT-VALUE})")
  int friends;

  @Option(names = "--window", defaultValue = "4", description = "saturation: messages in flight per sender (default ${DEFAULT-VALUE})")
  int window;

  @Option(names = "--saturation-seconds", defaultValue = "10", description = "saturation measurement; 0 skips it (default ${DEFAULT-VALUE})")
  double saturationSeconds;

  @Option(names = "--warmup-seconds", defaultValue = "2", description = "before measuring: saturation warm-up, or a run at the first rate when saturation is skipped (default ${DEFAULT-VALUE})")
  double warmupSeconds;

  @Option(names = "--rates", split = ",", defaultValue = "1000,5000,10000,20000", description = "offered rates in msg/s, open loop (default ${DEFAULT-VALUE})")
  List<Double> rates = new ArrayList<>();

  @Option(names = "--rate-seconds", defaultValue = "10", description = "time at each rate (default ${DEFAULT-VALUE})")
  double rateSeconds;

  @Option(names = "--drain-seconds", defaultValue = "5", description = "wait for stragglers after each phase (default ${DEFAULT-VALUE})")
  double drainSeconds;

  @Option(names = "--login-concurrency", defaultValue = "64", description = "(default ${DEFAULT-VALUE})")
  int loginConcurrency;

  protected String scenario() {
    return "chat";
  }

  /** Which server user i connects to. */
  protected Target targetOf(int i) {
    return common.target();
  }

  /** Senders and recipients; for chat everyone is both. */
  protected List<List<BenchClient>> roles(List<BenchClient> clients) {
    return List.of(clients, clients);
  }

  @Override
  public Integer call() {
    try (Common c = common) {
      UserPool pool = c.users(offset + users);
      RunRecord record = c.record(scenario()).param("users", users).param("offset", offset)
          .param("friends", friends).param("window", window).param("saturationSeconds", saturationSeconds)
          .param("rateSeconds", rateSeconds);
      List<BenchClient> clients = Sessions.open(c.connector(), pool, offset, users, this::targetOf, loginConcurrency);
      try {
        addFriends(clients);
        List<List<BenchClient>> roles = roles(clients);
        ChatLoad load = new ChatLoad(c.connector().vertx(), roles.get(0), roles.get(1));
        if (saturationSeconds > 0) {
          System.out.println("saturation, window " + window + " ...");
          record.figure("saturation", load.saturation(window, warmupSeconds, saturationSeconds, drainSeconds));
        }
        if (saturationSeconds <= 0 && warmupSeconds > 0 && !rates.isEmpty()) {
          // Without the saturation phase nothing has warmed up the JITs and pools: do it here.
          load.fixedRate(rates.get(0), warmupSeconds, drainSeconds);
        }
        JsonArray byRate = new JsonArray();
        for (double rate : rates) {
          System.out.println("offered " + rate + " msg/s ...");
          byRate.add(load.fixedRate(rate, rateSeconds, drainSeconds));
        }
        record.figure("rates", byRate).figure("staleDeliveries", load.stale());
      } finally {
        Sessions.closeAll(clients);
      }
      record.write(c.out());
    }
    return 0;
  }

  /** A ring of friendships; adding a friend twice changes nothing, so reruns are harmless. */
  private void addFriends(List<BenchClient> clients) {
    int n = clients.size();
    for (int i = 0; i < n; i++) {
      for (int k = 1; k <= Math.min(friends, n - 1); k++) {
        clients.get(i).addFriend(clients.get((i + k) % n).id);
      }
    }
    Await.sleep(friends > 0 ? 1000 : 0); // no ack in classic: give the server a moment
  }
}
