package chat.bench.closed;

import chat.bench.load.Receiver;
import chat.bench.net.BenchClient;
import chat.bench.protocol.Event;
import chat.bench.result.Latency;
import chat.bench.util.Await;
import chat.bench.util.Stamp;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exactly one 1:1 message in flight per pair: the next leaves when the recipient has the
 * previous one (and, with {@code waitForAck}, when the sender has its ack). So every connection
 * carries one request at a time, which is also all the classic C++ server can take.
 */
public final class ClosedLoop {
  private final Receiver receiver = new Receiver();
  private final List<Lane> lanes;
  private final Map<Integer, Lane> bySender = new HashMap<>();
  private final int awaited;
  private final LongAdder sent = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private volatile int phase;

  private final class Lane {
    final Pairs.Pair<BenchClient> pair;
    final Turn turn = new Turn();
    volatile boolean active;

    Lane(Pairs.Pair<BenchClient> pair) {
      this.pair = pair;
    }

    void next() {
      if (!active) {
        return;
      }
      turn.begin(awaited);
      sent.increment();
      pair.sender().send(pair.recipient().id, Stamp.text(receiver.run(), phase, System.nanoTime(), 0));
    }

    void onSenderEvent(Event e) {
      if (e instanceof Event.SendAck && turn.arrived()) {
        next();
      } else if (e instanceof Event.ServerError && turn.abort()) {
        refused.increment();
        next();
      }
    }
  }

  public ClosedLoop(List<Pairs.Pair<BenchClient>> pairs, boolean waitForAck) {
    this.awaited = waitForAck ? 2 : 1;
    this.lanes = pairs.stream().map(Lane::new).toList();
    for (Lane lane : lanes) {
      bySender.put(lane.pair.sender().id, lane);
      lane.pair.sender().onEvent(lane::onSenderEvent);
    }
    receiver.attach(pairs.stream().map(Pairs.Pair::recipient).toList());
    receiver.onDelivered(
        (in, s) -> {
          Lane lane = bySender.get(in.from());
          if (lane != null && lane.turn.arrived()) {
            lane.next();
          }
        });
  }

  /** One point: the first {@code n} pairs loop for warm-up plus {@code seconds}; rate and latency of the latter. */
  public JsonObject point(int n, double warmupSeconds, double seconds, double drainSeconds) {
    if (n > lanes.size()) {
      throw new IllegalArgumentException(n + " pairs asked, " + lanes.size() + " set up");
    }
    phase++;
    receiver.startPhase(phase);
    sent.reset();
    refused.reset();
    List<Lane> active = lanes.subList(0, n);
    active.forEach(l -> l.active = true);
    active.forEach(Lane::next);
    Receiver.Window measured = receiver.measure(warmupSeconds, seconds);
    active.forEach(l -> l.active = false);
    long end = System.nanoTime() + (long) (drainSeconds * 1e9);
    while (receiver.received() + refused.sum() < sent.sum() && System.nanoTime() < end) {
      Await.sleep(20);
    }
    return new JsonObject()
        .put("pairs", n)
        .put("seconds", seconds)
        .put("msgPerSec", measured.perSecond())
        .put("sent", sent.sum())
        .put("received", receiver.received())
        .put("refused", refused.sum())
        .put("notDelivered", sent.sum() - refused.sum() - receiver.received())
        .put("latency", Latency.summary(measured.latency()));
  }

  public long stale() {
    return receiver.stale();
  }
}
