package chat.bench.scenario;

import chat.bench.Common;
import chat.bench.net.BenchClient;
import chat.bench.net.Connector;
import chat.bench.net.Target;
import chat.bench.result.Latency;
import chat.bench.result.RunRecord;
import chat.bench.util.Await;
import chat.bench.util.Batch;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Registration storm, then a login storm of the accounts just made. Both are bounded by the
 * server's bcrypt cost (one hash per request), which is recorded with the result.
 */
@Command(name = "register", mixinStandardHelpOptions = true,
    description = "Register/login storm with C connections; reports registrations/s and logins/s.")
public final class RegisterCommand implements Callable<Integer> {
  @Mixin Common common;

  @Option(names = "--concurrency", defaultValue = "8", description = "requests in flight (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--seconds", defaultValue = "10", description = "length of each storm (default ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--max", defaultValue = "100000", description = "at most this many registrations (default ${DEFAULT-VALUE})")
  int max;

  @Override
  public Integer call() {
    try (Common c = common) {
      Connector connector = c.connector();
      Target target = c.target();
      RunRecord record = c.record("register").param("concurrency", concurrency).param("seconds", seconds).param("max", max);
      String tag = "r" + Long.toString(System.currentTimeMillis(), 36);

      // Registrations: C connections, each registering one name after another.
      Recorder regLatency = new Recorder(3);
      ConcurrentLinkedQueue<int[]> made = new ConcurrentLinkedQueue<>();
      AtomicInteger next = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      long deadline = System.nanoTime() + (long) (seconds * 1e9);
      long t0 = System.nanoTime();
      Await.result(Batch.run(concurrency, concurrency, w -> connector.connect(target, w)
          .compose(client -> registerLoop(client, tag, next, deadline, regLatency, made, failed)
              .eventually(() -> client.close()))), (long) seconds + 120);
      double regSecs = (System.nanoTime() - t0) / 1e9;
      Histogram regH = regLatency.getIntervalHistogram();

      // Logins: every account once, each on a fresh connection closed after the ack.
      List<int[]> accounts = List.copyOf(made);
      Recorder loginLatency = new Recorder(3);
      AtomicInteger loginFailed = new AtomicInteger();
      long deadline2 = System.nanoTime() + (long) (seconds * 1e9);
      long t1 = System.nanoTime();
      AtomicInteger logins = new AtomicInteger();
      Await.result(Batch.run(accounts.size(), concurrency, k -> {
        if (System.nanoTime() > deadline2) {
          return Future.succeededFuture();
        }
        int[] acc = accounts.get(k);
        long s = System.nanoTime();
        return connector.connect(target, k).compose(client -> client.login(acc[1], password(tag, acc[0]))
            .map(ack -> {
              if (ack.ok()) {
                loginLatency.recordValue((System.nanoTime() - s) / 1000);
                logins.incrementAndGet();
              } else {
                loginFailed.incrementAndGet();
              }
              return ack;
            })
            .eventually(() -> client.close()));
      }), (long) seconds + 120);
      double loginSecs = (System.nanoTime() - t1) / 1e9;

      record.figure("registrations", made.size())
          .figure("registrationsPerSec", round(made.size() / regSecs))
          .figure("registrationFailures", failed.get())
          .figure("registrationLatency", Latency.summary(regH))
          .figure("logins", logins.get())
          .figure("loginsPerSec", round(logins.get() / loginSecs))
          .figure("loginFailures", loginFailed.get())
          .figure("loginLatency", Latency.summary(loginLatency.getIntervalHistogram()));
      record.write(c.out());
    }
    return 0;
  }

  private Future<Void> registerLoop(BenchClient client, String tag, AtomicInteger next, long deadline,
      Recorder latency, ConcurrentLinkedQueue<int[]> made, AtomicInteger failed) {
    if (System.nanoTime() > deadline || client.isClosed()) {
      return Future.succeededFuture();
    }
    int k = next.getAndIncrement();
    if (k >= max) {
      return Future.succeededFuture();
    }
    long s = System.nanoTime();
    return client.register(tag + "-" + k, password(tag, k)).compose(ack -> {
      if (ack.ok()) {
        latency.recordValue((System.nanoTime() - s) / 1000);
        made.add(new int[] {k, ack.id()});
      } else {
        failed.incrementAndGet();
      }
      return registerLoop(client, tag, next, deadline, latency, made, failed);
    });
  }

  private static String password(String tag, int k) {
    return "pw-" + tag + "-" + k;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
