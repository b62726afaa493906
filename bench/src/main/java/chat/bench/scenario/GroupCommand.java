package chat.bench.scenario;

import chat.bench.Common;
import chat.bench.load.Pacer;
import chat.bench.load.Receiver;
import chat.bench.net.BenchClient;
import chat.bench.net.Connector;
import chat.bench.protocol.Event;
import chat.bench.result.Latency;
import chat.bench.result.RunRecord;
import chat.bench.setup.Sessions;
import chat.bench.setup.UserPool;
import chat.bench.util.Await;
import chat.bench.util.Stamp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Group chat fan-out: a group of S pool users, K of them posting at a fixed rate chosen so the
 * group produces the offered number of deliveries per second (rate x (S-1)).
 */
@Command(name = "group", mixinStandardHelpOptions = true,
    description = "Groups of S members; senders post at fixed rates; reports deliveries/s and latency.")
public final class GroupCommand implements Callable<Integer> {
  @Mixin Common common;

  @Option(names = "--sizes", split = ",", defaultValue = "50,500", description = "group sizes (default ${DEFAULT-VALUE})")
  List<Integer> sizes = new ArrayList<>();

  @Option(names = "--senders", defaultValue = "5", description = "members that post (default ${DEFAULT-VALUE})")
  int senders;

  @Option(names = "--delivery-rates", split = ",", defaultValue = "2000,10000", description = "offered deliveries/s (default ${DEFAULT-VALUE})")
  List<Double> deliveryRates = new ArrayList<>();

  @Option(names = "--seconds", defaultValue = "10", description = "time at each rate (default ${DEFAULT-VALUE})")
  double seconds;

  @Option(names = "--drain-seconds", defaultValue = "5", description = "(default ${DEFAULT-VALUE})")
  double drainSeconds;

  @Option(names = "--offset", defaultValue = "0", description = "first pool user (default ${DEFAULT-VALUE})")
  int offset;

  @Option(names = "--login-concurrency", defaultValue = "64", description = "(default ${DEFAULT-VALUE})")
  int loginConcurrency;

  @Override
  public Integer call() {
    try (Common c = common) {
      int largest = Collections.max(sizes);
      UserPool pool = c.users(offset + largest);
      RunRecord record = c.record("group").param("sizes", sizes.toString()).param("senders", senders)
          .param("seconds", seconds).param("offset", offset);
      JsonArray results = new JsonArray();
      for (int size : sizes) {
        int group = ensureGroup(c.connector(), pool, size);
        List<BenchClient> members = Sessions.open(c.connector(), pool, offset, size, i -> c.target(), loginConcurrency);
        try {
          for (BenchClient m : members) {
            m.joinGroup(group); // joining twice changes nothing, so no state is needed
          }
          Await.sleep(1000);
          results.add(runSize(c, members, group, size));
        } finally {
          Sessions.closeAll(members);
        }
      }
      record.figure("groups", results);
      record.write(c.out());
    }
    return 0;
  }

  private JsonObject runSize(Common c, List<BenchClient> members, int group, int size) {
    Receiver receiver = new Receiver();
    receiver.attach(members);
    // Probe: one message must reach every other member, or the group is not what we think.
    receiver.startPhase(0);
    members.get(0).groupSend(group, Stamp.text(receiver.run(), 0, System.nanoTime(), 0));
    long end = System.nanoTime() + 10_000_000_000L;
    while (receiver.received() < size - 1 && System.nanoTime() < end) {
      Await.sleep(50);
    }
    JsonObject result = new JsonObject().put("size", size).put("groupId", group)
        .put("probeReached", receiver.received()).put("senders", Math.min(senders, size));
    System.out.printf("group %d of %d: probe reached %d members%n", group, size, receiver.received());
    List<BenchClient> posting = members.subList(0, Math.min(senders, size));
    JsonArray byRate = new JsonArray();
    int phase = 0;
    for (double deliveries : deliveryRates) {
      int p = ++phase;
      double msgRate = deliveries / (size - 1);
      System.out.printf("group of %d: %.0f deliveries/s (%.1f msg/s) ...%n", size, deliveries, msgRate);
      receiver.startPhase(p);
      long t0 = System.nanoTime();
      Pacer.Result paced = Await.result(Pacer.run(c.connector().vertx(), posting, msgRate, seconds,
          (s, intended, seq) -> s.groupSend(group, Stamp.text(receiver.run(), p, intended, seq))), (long) seconds + 60);
      long expected = paced.sent() * (size - 1);
      long drainEnd = System.nanoTime() + (long) (drainSeconds * 1e9);
      while (receiver.received() < expected && System.nanoTime() < drainEnd) {
        Await.sleep(50);
      }
      double totalSecs = (System.nanoTime() - t0) / 1e9;
      Histogram h = receiver.takeHistogram();
      byRate.add(new JsonObject().put("offeredDeliveriesPerSec", deliveries).put("msgPerSec", msgRate)
          .put("sent", paced.sent()).put("expectedDeliveries", expected).put("deliveries", receiver.received())
          .put("deliveriesPerSec", Math.round(receiver.received() / Math.max(seconds, totalSecs)))
          .put("maxSendLagMs", paced.maxLagMicros() / 1000.0)
          .put("latency", Latency.summary(h)));
    }
    return result.put("rates", byRate);
  }

  /** The group for this size and offset, created once (its id only shows in a later login ack). */
  private int ensureGroup(Connector connector, UserPool pool, int size) {
    String key = "g" + size + "-" + offset;
    Integer known = pool.group(key);
    if (known != null && hasGroup(connector, pool, known)) {
      return known;
    }
    UserPool.User creator = pool.user(offset);
    String name = common.prefix + "-" + key + "-" + Long.toString(System.currentTimeMillis(), 36);
    BenchClient c = Await.result(Sessions.login(connector, creator, common.target()), 60);
    c.createGroup(name, "bench group of " + size);
    Await.sleep(500);
    Await.result(c.close(), 10);
    for (int attempt = 0; attempt < 20; attempt++) {
      Event.LoginAck ack = loginAck(connector, creator);
      if (ack != null) {
        for (Event.GroupRef g : ack.groups()) {
          if (name.equals(g.name())) {
            pool.putGroup(key, g.id());
            return g.id();
          }
        }
      }
      Await.sleep(300);
    }
    throw new IllegalStateException("group " + name + " did not appear in the creator's login ack");
  }

  private boolean hasGroup(Connector connector, UserPool pool, int group) {
    Event.LoginAck ack = loginAck(connector, pool.user(offset));
    return ack != null && ack.groups().stream().anyMatch(g -> g.id() == group);
  }

  /** A login of the creator on a throwaway connection; null while it still counts as online. */
  private Event.LoginAck loginAck(Connector connector, UserPool.User u) {
    BenchClient c = Await.result(connector.connect(common.target(), u.index()), 30);
    try {
      Event.LoginAck ack = Await.result(c.login(u.id(), u.password()), 60);
      return ack.ok() ? ack : null;
    } finally {
      Await.result(c.close(), 10);
    }
  }
}
