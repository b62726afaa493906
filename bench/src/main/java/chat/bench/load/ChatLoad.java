package chat.bench.load;

import chat.bench.net.BenchClient;
import chat.bench.result.Latency;
import chat.bench.util.Await;
import chat.bench.util.Stamp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/** One-to-one chat load: senders write to random recipients; used by `chat` and `cross`. */
public final class ChatLoad {
  private final Vertx vertx;
  private final List<BenchClient> senders;
  private final List<BenchClient> recipients;
  private final Receiver receiver = new Receiver();
  private int phase;

  public ChatLoad(Vertx vertx, List<BenchClient> senders, List<BenchClient> recipients) {
    if (recipients.size() < 2 && senders == recipients) {
      throw new IllegalArgumentException("need at least two users");
    }
    this.vertx = vertx;
    this.senders = senders;
    this.recipients = recipients;
    receiver.attach(recipients);
  }

  /**
   * Closed loop: every sender keeps {@code window} messages in flight and sends the next one
   * when one of its messages is delivered. Measures the delivered rate after a warm-up.
   */
  public JsonObject saturation(int window, double warmupSeconds, double seconds, double drainSeconds) {
    int p = ++phase;
    receiver.startPhase(p);
    Map<Integer, BenchClient> byId = new HashMap<>();
    senders.forEach(c -> byId.put(c.id, c));
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder sent = new LongAdder();
    receiver.onDelivered(
        (in, s) -> {
          BenchClient sender = byId.get(in.from());
          if (sender != null && !stop.get()) {
            sendNow(sender, p, sent);
          }
        });
    for (BenchClient c : senders) {
      for (int w = 0; w < window; w++) {
        sendNow(c, p, sent);
      }
    }
    Receiver.Window measured = receiver.measure(warmupSeconds, seconds);
    stop.set(true);
    drain(sent::sum, drainSeconds);
    receiver.onDelivered((in, s) -> {});
    return new JsonObject()
        .put("window", window)
        .put("senders", senders.size())
        .put("seconds", seconds)
        .put("deliveredPerSec", measured.perSecond())
        .put("sent", sent.sum())
        .put("received", receiver.received())
        .put("notDelivered", sent.sum() - receiver.received())
        .put("latency", Latency.summary(measured.latency()));
  }

  /** Open loop at a fixed offered rate; latency from the intended send time. */
  public JsonObject fixedRate(double rate, double seconds, double drainSeconds) {
    int p = ++phase;
    receiver.startPhase(p);
    long run = receiver.run();
    long t0 = System.nanoTime();
    Pacer.Result paced =
        Await.result(
            Pacer.run(vertx, senders, rate, seconds,
                (c, intended, seq) -> c.send(pick(c).id, Stamp.text(run, p, intended, seq))),
            (long) seconds + 60);
    double sendSeconds = (System.nanoTime() - t0) / 1e9;
    drain(paced::sent, drainSeconds);
    Histogram h = receiver.takeHistogram();
    long received = receiver.received();
    return new JsonObject()
        .put("offeredPerSec", rate)
        .put("seconds", seconds)
        .put("sent", paced.sent())
        .put("received", received)
        .put("notDelivered", paced.sent() - received)
        .put("sentPerSec", Math.round(paced.sent() / sendSeconds))
        .put("maxSendLagMs", paced.maxLagMicros() / 1000.0)
        .put("latency", Latency.summary(h));
  }

  public long stale() {
    return receiver.stale();
  }

  private void sendNow(BenchClient sender, int p, LongAdder sent) {
    sent.increment();
    sender.send(pick(sender).id, Stamp.text(receiver.run(), p, System.nanoTime(), 0));
  }

  private BenchClient pick(BenchClient sender) {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    BenchClient to = recipients.get(rnd.nextInt(recipients.size()));
    if (to.id == sender.id) {
      to = recipients.get((recipients.indexOf(to) + 1) % recipients.size());
    }
    return to;
  }

  /** Waits until everything sent has arrived, or the drain time is over. */
  private void drain(java.util.function.LongSupplier sent, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (receiver.received() < sent.getAsLong() && System.nanoTime() < end) {
      Await.sleep(50);
    }
  }
}
