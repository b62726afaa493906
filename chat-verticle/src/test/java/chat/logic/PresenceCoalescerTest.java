package chat.logic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/** The coalescing of presence pushes, on a fake clock: timers run only when the test moves time. */
class PresenceCoalescerTest {
  private record Timer(long due, long order, Runnable task) {}

  private long now;
  private long order;
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>((a, b) -> a.due() != b.due() ? Long.compare(a.due(), b.due()) : Long.compare(a.order(), b.order()));
  private final List<String> pushed = new ArrayList<>();
  private final PresenceCoalescer coalescer = new PresenceCoalescer(1000, 100_000,
      (delay, task) -> timers.add(new Timer(now + delay, order++, task)),
      (user, online) -> pushed.add(now + ":" + user + ":" + (online ? "on" : "off")));

  private void advanceTo(long t) {
    while (!timers.isEmpty() && timers.peek().due() <= t) {
      Timer next = timers.poll();
      now = next.due();
      next.task().run();
    }
    now = t;
  }

  @Test
  void aChangeAfterAQuietWindowIsPushedAtOnce() {
    coalescer.changed(7, true);
    assertThat(pushed).containsExactly("0:7:on");
    advanceTo(5000);
    coalescer.changed(7, false);
    assertThat(pushed).containsExactly("0:7:on", "5000:7:off");
  }

  @Test
  void aFlapInsideTheWindowEndsAsItsFinalStateWhenTheWindowCloses() {
    coalescer.changed(7, true);
    advanceTo(100);
    coalescer.changed(7, false);
    advanceTo(200);
    coalescer.changed(7, true);
    advanceTo(300);
    coalescer.changed(7, false);
    assertThat(pushed).as("held until the window closes").containsExactly("0:7:on");
    advanceTo(1000);
    assertThat(pushed).containsExactly("0:7:on", "1000:7:off");
  }

  @Test
  void aFlapThatEndsWhereItStartedPushesNothingMore() {
    coalescer.changed(7, true);
    advanceTo(100);
    coalescer.changed(7, false);
    advanceTo(200);
    coalescer.changed(7, true);
    advanceTo(10_000);
    assertThat(pushed).containsExactly("0:7:on");
    assertThat(coalescer.tracked()).as("nothing kept once the window is quiet").isZero();
  }

  @Test
  void atMostOnePushPerUserPerWindowUnderConstantChurn() {
    for (int i = 0; i < 100; i++) {
      coalescer.changed(7, i % 2 == 0);
      advanceTo(now + 150);
    }
    advanceTo(now + 5000);
    for (int i = 1; i < pushed.size(); i++) {
      long gap = Long.parseLong(pushed.get(i).split(":")[0]) - Long.parseLong(pushed.get(i - 1).split(":")[0]);
      assertThat(gap).as("%s", pushed).isGreaterThanOrEqualTo(1000);
    }
    assertThat(pushed.get(pushed.size() - 1)).as("the final state is the last one pushed").endsWith(":off");
    assertThat(pushed.size()).isLessThanOrEqualTo(16);
  }

  @Test
  void usersHaveTheirOwnWindows() {
    coalescer.changed(1, true);
    coalescer.changed(2, true);
    advanceTo(10);
    coalescer.changed(1, false);
    coalescer.changed(3, true);
    assertThat(pushed).containsExactly("0:1:on", "0:2:on", "10:3:on");
    advanceTo(2000);
    assertThat(pushed).containsExactly("0:1:on", "0:2:on", "10:3:on", "1000:1:off");
  }

  @Test
  void aWindowReopensAfterAHeldPushSoThatOneTooIsSpaced() {
    coalescer.changed(7, true);
    advanceTo(500);
    coalescer.changed(7, false);
    advanceTo(1000);
    coalescer.changed(7, true);
    advanceTo(1500);
    assertThat(pushed).containsExactly("0:7:on", "1000:7:off");
    advanceTo(2000);
    assertThat(pushed).containsExactly("0:7:on", "1000:7:off", "2000:7:on");
    advanceTo(3000);
    assertThat(coalescer.tracked()).isZero();
  }

  @Test
  void pastItsBoundOfOpenWindowsItPushesAtOnceInsteadOfHolding() {
    PresenceCoalescer small = new PresenceCoalescer(1000, 2,
        (delay, task) -> timers.add(new Timer(now + delay, order++, task)),
        (user, online) -> pushed.add(now + ":" + user + ":" + (online ? "on" : "off")));
    small.changed(1, true);
    small.changed(2, true);
    small.changed(3, true);
    small.changed(3, false);
    assertThat(small.tracked()).as("windows stop at the bound").isEqualTo(2);
    assertThat(timers).hasSize(2);
    assertThat(pushed).containsExactly("0:1:on", "0:2:on", "0:3:on", "0:3:off");
    advanceTo(1000);
    assertThat(small.tracked()).isZero();
    small.changed(3, true);
    assertThat(small.tracked()).as("room again once windows close").isEqualTo(1);
  }
}
