package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.ChatMessage;
import chat.protocol.Delivery;
import java.time.LocalDateTime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The delivery core fed in every order, with duplicates, gaps, slow readers and lost publishes. */
class DeliveryCoreTest {

  /** A connection and an inbox, both under the test's control. */
  static final class FakePort implements DeliveryCore.Port {
    final TreeMap<Long, Delivery> inbox = new TreeMap<>();
    final List<Long> written = new ArrayList<>();
    final List<Boolean> pacedFlags = new ArrayList<>();
    final List<Runnable> drainWaiters = new ArrayList<>();
    final List<Runnable> pendingPages = new ArrayList<>();
    final Map<Long, Runnable> timers = new HashMap<>();
    int pageSize = 3;
    int pagesRead;
    boolean backedUp;
    boolean asyncPages;
    long watermark;
    private long nextTimer;

    @Override
    public Future<Void> write(Delivery d, boolean paced) {
      written.add(d.seq());
      pacedFlags.add(paced);
      return Future.succeededFuture();
    }

    @Override
    public boolean backedUp() {
      return backedUp;
    }

    @Override
    public void whenDrained(Runnable next) {
      if (backedUp) {
        drainWaiters.add(next);
      } else {
        next.run();
      }
    }

    void drain() {
      backedUp = false;
      List<Runnable> waiting = new ArrayList<>(drainWaiters);
      drainWaiters.clear();
      waiting.forEach(Runnable::run);
    }

    @Override
    public Future<DeliveryCore.Page> page(long after) {
      pagesRead++;
      Promise<DeliveryCore.Page> p = Promise.promise();
      Runnable answer = () -> {
        List<Delivery> page = new ArrayList<>(inbox.tailMap(after, false).values());
        boolean more = page.size() > pageSize;
        p.complete(new DeliveryCore.Page(new ArrayList<>(page.subList(0, Math.min(pageSize, page.size()))), more));
      };
      if (asyncPages) {
        pendingPages.add(answer);
      } else {
        answer.run();
      }
      return p.future();
    }

    void answerPages() {
      while (!pendingPages.isEmpty()) {
        pendingPages.remove(0).run();
      }
    }

    @Override
    public void pageFailed(Throwable cause) {
      throw new AssertionError(cause);
    }

    @Override
    public void delivered(long seq) {
      watermark = seq;
    }

    @Override
    public long setTimer(long ms, Runnable action) {
      timers.put(++nextTimer, action);
      return nextTimer;
    }

    @Override
    public void cancelTimer(long id) {
      timers.remove(id);
    }

    void fireTimers() {
      List<Runnable> due = new ArrayList<>(timers.values());
      timers.clear();
      due.forEach(Runnable::run);
    }

    /** Stores messages 1..n in the inbox (stored before delivery, as the node does). */
    void store(long n) {
      for (long s = inbox.size() + 1; s <= n; s++) {
        inbox.put(s, d(s));
      }
    }
  }

  private final FakePort port = new FakePort();

  static Delivery d(long seq) {
    return new Delivery(seq, new ChatMessage(seq, 1, "a", 2, null, "m" + seq, LocalDateTime.of(2026, 11, 25, 12, 0)));
  }

  private DeliveryCore started(long last, boolean more) {
    DeliveryCore core = new DeliveryCore(port, 100, 1 << 20);
    core.start(last, more, Future.succeededFuture());
    return core;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void liveDeliveriesInOrderAreWrittenAtOnceAndMoveTheWatermark() {
    DeliveryCore core = started(0, false);
    port.store(3);
    core.accept(d(1));
    core.accept(d(2));
    core.accept(d(3));
    assertThat(port.written).containsExactly(1L, 2L, 3L);
    assertThat(port.pacedFlags).containsOnly(false);
    assertThat(core.delivered()).isEqualTo(3);
    assertThat(port.watermark).isEqualTo(3);
  }

  @Test
  void duplicatesAndOldOnesAreDropped() {
    DeliveryCore core = started(2, false);
    port.store(4);
    core.accept(d(1));
    core.accept(d(3));
    core.accept(d(3));
    core.accept(d(2));
    core.accept(d(4));
    assertThat(port.written).containsExactly(3L, 4L);
  }

  @Test
  void anOvertakenDeliveryWaitsForTheOneBeforeIt() {
    DeliveryCore core = started(0, false);
    port.store(3);
    core.accept(d(2));
    core.accept(d(3));
    assertThat(port.written).isEmpty();
    assertThat(port.timers).hasSize(1);
    core.accept(d(1));
    assertThat(port.written).containsExactly(1L, 2L, 3L);
    assertThat(port.timers).as("the gap timer is cancelled").isEmpty();
    assertThat(port.pagesRead).isZero();
  }

  @Test
  void aGapThatDoesNotFillIsReadFromTheInbox() {
    DeliveryCore core = started(0, false);
    port.store(4);
    core.accept(d(3));
    core.accept(d(4));
    port.fireTimers(); // 1 and 2 were published and lost
    assertThat(port.written).containsExactly(1L, 2L, 3L, 4L);
    assertThat(port.pagesRead).isPositive();
  }

  @Test
  void tooManyEarlyDeliveriesReadTheInboxWithoutWaiting() {
    DeliveryCore core = started(0, false);
    long n = DeliveryCore.MAX_EARLY + 10;
    port.store(n);
    for (long s = 2; s <= n; s++) {
      core.accept(d(s));
    }
    assertThat(port.written).isEqualTo(range(1, n));
  }

  @Test
  void deliveriesDuringTheLoginAreHeldAndThoseTheSnapshotCarriedAreSkipped() {
    DeliveryCore core = new DeliveryCore(port, 100, 1 << 20);
    port.store(5);
    core.accept(d(4));
    core.accept(d(2));
    core.accept(d(5));
    core.accept(d(3));
    assertThat(port.written).isEmpty();
    core.start(3, false, Future.succeededFuture()); // the snapshot carried 1..3
    assertThat(port.written).containsExactly(4L, 5L);
    assertThat(core.delivered()).isEqualTo(5);
  }

  @Test
  void aBacklogIsPagedAndLiveDeliveriesWaitBehindIt() {
    port.asyncPages = true;
    port.store(10);
    DeliveryCore core = started(2, true);
    core.accept(d(11)); // live, while the backlog is read
    port.store(11);
    port.answerPages();
    assertThat(port.written).isEqualTo(range(3, 11));
    assertThat(port.pacedFlags).containsOnly(true);
  }

  @Test
  void backlogWaitsForTheClientToRead() {
    port.store(10);
    port.backedUp = true; // the snapshot is not read yet
    DeliveryCore core = started(1, true);
    assertThat(port.pagesRead).isZero();
    core.accept(d(11));
    port.store(11);
    assertThat(port.written).isEmpty();
    port.drain();
    assertThat(port.written).isEqualTo(range(2, 11));
  }

  @Test
  void heldDeliveriesPastTheByteBoundAreDroppedAndReadFromTheInbox() {
    port.asyncPages = true;
    port.store(2);
    DeliveryCore core = new DeliveryCore(port, 100, 3L * d(40).size()); // room for three deliveries
    core.start(0, true, Future.succeededFuture());
    for (long s = 3; s <= 40; s++) {
      port.store(s);
      core.accept(d(s));
    }
    port.answerPages();
    while (!port.pendingPages.isEmpty()) {
      port.answerPages();
    }
    assertThat(port.written).isEqualTo(range(1, 40));
  }

  @Test
  void aGapInFrontOfHeldDeliveriesIsReadFromTheInboxNotLoopedOver() {
    port.asyncPages = true;
    port.store(400);
    DeliveryCore core = started(0, true);
    // the first page is in flight; 300 live deliveries after a gap arrive meanwhile
    for (long s = 101; s <= 400; s++) {
      core.accept(d(s));
    }
    for (int i = 0; i < 1000 && !port.pendingPages.isEmpty(); i++) {
      port.answerPages();
    }
    assertThat(port.written).isEqualTo(range(1, 400));
  }

  @Test
  void aStoppedCoreWritesNothing() {
    DeliveryCore core = started(0, false);
    port.store(3);
    core.accept(d(2));
    core.stop();
    assertThat(port.timers).isEmpty();
    core.accept(d(1));
    core.catchUp();
    assertThat(port.written).isEmpty();
  }

  /**
   * Every message 1..n stored; each is published live zero, one or two times (lost or duplicated)
   * in a shuffled order, with the gap timer firing at random moments and the node asking for a
   * catch-up now and then. Whatever happens, the client sees 1..n once each, in order.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void anyOrderDuplicatesAndLossesEndInEveryMessageOnceInOrder(long seed) {
    Random random = new Random(seed);
    int n = 50 + random.nextInt(400);
    port.asyncPages = random.nextBoolean();
    port.pageSize = 1 + random.nextInt(20);
    int first = random.nextInt(20);
    port.store(first);
    DeliveryCore core = new DeliveryCore(port, 100, 100L * (1 + random.nextInt(64)));
    List<Long> publishes = new ArrayList<>();
    for (long s = 1; s <= n; s++) {
      int copies = random.nextInt(10) == 0 ? 0 : random.nextInt(10) == 0 ? 2 : 1;
      for (int c = 0; c < copies; c++) {
        publishes.add(s);
      }
    }
    // shuffle within small windows: deliveries overtake each other, but not by thousands
    for (int i = 0; i < publishes.size(); i += 8) {
      Collections.shuffle(publishes.subList(i, Math.min(publishes.size(), i + 8)), random);
    }
    boolean startedYet = false;
    long stored = first;
    for (long s : publishes) {
      while (stored < s) {
        port.store(++stored);
      }
      if (!startedYet && random.nextInt(20) == 0) {
        core.start(first, true, Future.succeededFuture());
        startedYet = true;
      }
      core.accept(d(s));
      switch (random.nextInt(12)) {
        case 0 -> port.fireTimers();
        case 1 -> port.answerPages();
        case 2 -> core.catchUp();
        case 3 -> port.backedUp = true;
        case 4 -> port.drain();
        default -> { }
      }
    }
    port.store(n);
    if (!startedYet) {
      core.start(first, true, Future.succeededFuture());
    }
    for (int i = 0; i < 10_000 && (!port.pendingPages.isEmpty() || !port.timers.isEmpty() || !port.drainWaiters.isEmpty()
        || core.queued() < n); i++) {
      port.drain();
      port.answerPages();
      port.fireTimers();
      if (core.queued() < n && port.pendingPages.isEmpty()) {
        core.catchUp(); // what the periodic sweep does when the inbox is ahead of the session
      }
    }
    List<Long> expected = new ArrayList<>(range(first + 1, n));
    assertThat(port.written).as("seed %d", seed).isEqualTo(expected);
    assertThat(core.delivered()).isEqualTo(n);
  }
}
