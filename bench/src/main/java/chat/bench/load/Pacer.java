package chat.bench.load;

import chat.bench.net.BenchClient;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open-loop sending at a fixed total rate for a fixed time. Each event loop paces its own
 * senders with a 1 ms timer and catches up on every tick, stamping each message with its
 * intended send time (start + n / rate), not the time it actually went out.
 */
public final class Pacer {
  /** What to send: the sender, the intended send time and the message number. */
  public interface Send {
    void send(BenchClient sender, long intendedNanos, long seq);
  }

  public record Result(long sent, long maxLagMicros) {}

  private Pacer() {}

  public static Future<Result> run(Vertx vertx, List<BenchClient> senders, double rate, double seconds, Send send) {
    if (senders.isEmpty() || rate <= 0) {
      throw new IllegalArgumentException("pacing needs senders and a positive rate");
    }
    Map<Context, List<BenchClient>> byLane = new LinkedHashMap<>();
    for (BenchClient c : senders) {
      byLane.computeIfAbsent(c.context(), k -> new ArrayList<>()).add(c);
    }
    long start = System.nanoTime() + 20_000_000; // a common start shortly ahead, for every lane
    List<Future<Result>> lanes = new ArrayList<>();
    for (Map.Entry<Context, List<BenchClient>> e : byLane.entrySet()) {
      double share = (double) e.getValue().size() / senders.size();
      Lane lane = new Lane(vertx, e.getValue(), rate * share, Math.round(rate * share * seconds), start, send);
      e.getKey().runOnContext(v -> lane.begin());
      lanes.add(lane.done.future());
    }
    return Future.all(lanes).map(CompositeFuture::<Result>list).map(list -> {
      long sent = 0;
      long lag = 0;
      for (Result r : list) {
        sent += r.sent();
        lag = Math.max(lag, r.maxLagMicros());
      }
      return new Result(sent, lag);
    });
  }

  private static final class Lane {
    private final Vertx vertx;
    private final List<BenchClient> senders;
    private final double rate;
    private final long total;
    private final long start;
    private final Send send;
    private final Promise<Result> done = Promise.promise();
    private long sent;
    private long maxLagNanos;
    private int next;

    Lane(Vertx vertx, List<BenchClient> senders, double rate, long total, long start, Send send) {
      this.vertx = vertx;
      this.senders = senders;
      this.rate = rate;
      this.total = total;
      this.start = start;
      this.send = send;
    }

    void begin() {
      if (total == 0) {
        done.complete(new Result(0, 0));
        return;
      }
      vertx.setPeriodic(1, id -> {
        if (tick()) {
          vertx.cancelTimer(id);
          done.complete(new Result(sent, maxLagNanos / 1000));
        }
      });
    }

    /** Sends everything due by now; true once the lane's quota is out. */
    private boolean tick() {
      long now = System.nanoTime();
      if (now < start) {
        return false;
      }
      long due = Math.min(total, 1 + (long) ((now - start) * rate / 1e9));
      while (sent < due) {
        long intended = start + (long) (sent * 1e9 / rate);
        maxLagNanos = Math.max(maxLagNanos, now - intended);
        BenchClient c = senders.get(next);
        next = (next + 1) % senders.size();
        send.send(c, intended, sent);
        sent++;
      }
      return sent >= total;
    }
  }
}
