package chat.bench.load;

import chat.bench.net.BenchClient;
import chat.bench.protocol.Event;
import chat.bench.util.Stamp;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import chat.bench.util.Await;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts and times deliveries of the current phase. Latency is receive time minus the send time
 * carried in the text; for paced phases that is the intended send time, so a stalled sender or
 * server shows up as latency instead of being hidden (coordinated omission).
 */
public final class Receiver {
  private final long run = System.nanoTime() ^ System.currentTimeMillis();
  private final Recorder recorder = new Recorder(3);
  private final LongAdder received = new LongAdder();
  private final LongAdder stale = new LongAdder();
  private volatile int phase = -1;
  private volatile BiConsumer<Event.Incoming, Stamp.Parsed> onDelivered = (i, s) -> {};

  public void attach(List<BenchClient> clients) {
    for (BenchClient c : clients) {
      c.onEvent(this::handle);
    }
  }

  public long run() {
    return run;
  }

  public int phase() {
    return phase;
  }

  /** Starts counting a new phase from zero. */
  public void startPhase(int newPhase) {
    phase = newPhase;
    received.reset();
    recorder.getIntervalHistogram(); // throws away what an earlier phase left
  }

  public void onDelivered(BiConsumer<Event.Incoming, Stamp.Parsed> callback) {
    this.onDelivered = callback;
  }

  public long received() {
    return received.sum();
  }

  /** Deliveries of other runs or earlier phases that arrived late. */
  public long stale() {
    return stale.sum();
  }

  /** Latencies (microseconds) recorded since the last call or phase start. */
  public Histogram takeHistogram() {
    return recorder.getIntervalHistogram();
  }

  private void handle(Event event) {
    if (!(event instanceof Event.Incoming in)) {
      return;
    }
    long now = System.nanoTime();
    Stamp.Parsed s = Stamp.parse(in.text());
    if (s == null || s.run() != run || s.phase() != phase) {
      stale.increment();
      return;
    }
    recorder.recordValue(Math.max(0, (now - s.nanos()) / 1000));
    received.increment();
    onDelivered.accept(in, s);
  }

  /** What arrived during one measured window: deliveries, their latencies, and the window's real length. */
  public record Window(long received, Histogram latency, double seconds) {
    public long perSecond() {
      return Math.round(received / seconds);
    }
  }

  /** Lets the warm-up pass unrecorded, then records {@code seconds} of deliveries. */
  public Window measure(double warmupSeconds, double seconds) {
    Await.sleep((long) (warmupSeconds * 1000));
    long r0 = received();
    takeHistogram();
    long t0 = System.nanoTime();
    Await.sleep((long) (seconds * 1000));
    long r1 = received();
    Histogram h = takeHistogram();
    return new Window(r1 - r0, h, (System.nanoTime() - t0) / 1e9);
  }
}
