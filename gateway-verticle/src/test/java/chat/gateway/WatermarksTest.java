package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import chat.protocol.bus.MarkDelivered;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The dirty set of watermarks and their saving, with a fake store, clock and timers. */
class WatermarksTest {
  /** A connection whose watermark the test moves. */
  private static final class Conn implements Watermarks.Source {
    final int user;
    long mark;
    long reported;

    Conn(int user) {
      this.user = user;
    }

    @Override
    public MarkDelivered.Mark takeMark() {
      if (mark <= reported) {
        return null;
      }
      reported = mark;
      return new MarkDelivered.Mark(user, mark);
    }

    @Override
    public void unreport() {
      reported = 0;
    }
  }

  private final List<List<MarkDelivered.Mark>> saves = new ArrayList<>();
  private final List<Promise<Void>> answers = new ArrayList<>();
  private final TreeMap<Long, List<Runnable>> timers = new TreeMap<>();
  private final Set<Watermarks.Source> alive = new HashSet<>();
  private long now = 1000;
  private final Watermarks watermarks = new Watermarks(
      marks -> {
        saves.add(List.copyOf(marks));
        Promise<Void> p = Promise.promise();
        answers.add(p);
        return p.future();
      },
      (ms, action) -> timers.computeIfAbsent(now + ms, k -> new ArrayList<>()).add(action),
      () -> now, alive::contains);

  private void advance(long ms) {
    long until = now + ms;
    while (!timers.isEmpty() && timers.firstKey() <= until) {
      var due = timers.pollFirstEntry();
      now = due.getKey();
      due.getValue().forEach(Runnable::run);
    }
    now = until;
  }

  private Conn conn(int user) {
    Conn c = new Conn(user);
    alive.add(c);
    return c;
  }

  private void move(Conn c, long to) {
    c.mark = to;
    watermarks.moved(c);
  }

  @Test
  void aMoveIsSavedAtOnceAndMovesDuringTheSaveGoTogetherInTheNextOne() {
    Conn a = conn(1);
    Conn b = conn(2);
    move(a, 5);
    assertThat(saves).as("scheduled, not yet run").isEmpty();
    advance(0);
    assertThat(saves).containsExactly(List.of(new MarkDelivered.Mark(1, 5)));
    move(a, 6);
    move(b, 3);
    advance(100);
    assertThat(saves).as("one save in flight at a time").hasSize(1);
    answers.get(0).complete();
    advance(0);
    assertThat(saves).hasSize(2);
    assertThat(saves.get(1)).containsExactlyInAnyOrder(new MarkDelivered.Mark(1, 6), new MarkDelivered.Mark(2, 3));
    answers.get(1).complete();
    assertThat(watermarks.hasDirty()).isFalse();
  }

  @Test
  void savesAreAtLeastTheMinimumGapApart() {
    Conn a = conn(1);
    move(a, 1);
    advance(0);
    answers.get(0).complete();
    move(a, 2);
    advance(Watermarks.MIN_SAVE_GAP_MS - 1);
    assertThat(saves).hasSize(1);
    advance(1);
    assertThat(saves).hasSize(2);
  }

  @Test
  void aFailedSaveIsRetriedWithTheNextOneButNotAtOnceAndNotForConnectionsThatLeft() {
    Conn a = conn(1);
    Conn gone = conn(2);
    move(a, 4);
    move(gone, 9);
    advance(0);
    alive.remove(gone);
    watermarks.forget(gone);
    answers.get(0).fail("database down");
    advance(1000);
    assertThat(saves).as("no hot retry").hasSize(1);
    assertThat(watermarks.hasDirty()).isTrue();
    watermarks.flush(); // the periodic save
    assertThat(saves.get(1)).as("the same mark again, the one that left not").containsExactly(new MarkDelivered.Mark(1, 4));
  }

  @Test
  void anUnmovedWatermarkIsNotSavedAndAForgottenOneNever() {
    Conn a = conn(1);
    Conn b = conn(2);
    move(a, 0);
    move(b, 7);
    watermarks.forget(b);
    advance(0);
    assertThat(saves).as("nothing that moved is left").isEmpty();
    assertThat(watermarks.flush().succeeded()).isTrue();
  }
}
