package chat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The HTTP port's header timeout, on a hand-driven clock. */
class HttpDeadlinesTest {
  private long now;
  private long nextId;
  /** Due time and id of each pending timer. */
  private final TreeMap<Long, List<Runnable>> due = new TreeMap<>();
  private final java.util.Map<Long, Runnable> byId = new java.util.HashMap<>();
  private final List<String> closed = new ArrayList<>();

  private final HttpDeadlines deadlines = new HttpDeadlines(1000, new HttpDeadlines.Timers() {
    @Override
    public long set(long ms, Runnable action) {
      long id = nextId++;
      byId.put(id, action);
      due.computeIfAbsent(now + ms, k -> new ArrayList<>()).add(() -> {
        if (byId.remove(id) != null) {
          action.run();
        }
      });
      return id;
    }

    @Override
    public void cancel(long id) {
      byId.remove(id);
    }
  });

  private void advance(long ms) {
    long until = now + ms;
    while (!due.isEmpty() && due.firstKey() <= until) {
      var e = due.pollFirstEntry();
      now = e.getKey();
      e.getValue().forEach(Runnable::run);
    }
    now = until;
  }

  private void open(String key) {
    deadlines.opened(key, () -> closed.add(key));
  }

  @Test
  void aConnectionThatNeverFinishesItsHeadersIsClosedOnTimeHoweverItDrips() {
    open("slow");
    advance(999);
    assertThat(closed).isEmpty(); // a byte now and then changes nothing: only whole headers count
    advance(1);
    assertThat(closed).containsExactly("slow");
    assertThat(deadlines.tracked()).isZero();
  }

  @Test
  void aRequestBeingAnsweredHasNoDeadlineAndTheNextIsDueAfterTheResponse() {
    open("c");
    advance(500);
    deadlines.requestBegan("c");
    advance(5000); // a slow /health answer
    assertThat(closed).isEmpty();
    deadlines.requestEnded("c");
    advance(999);
    assertThat(closed).isEmpty();
    advance(1);
    assertThat(closed).as("keep-alive ends at the header timeout").containsExactly("c");
  }

  @Test
  void pipelinedRequestsKeepTheDeadlineOffUntilTheLastIsAnswered() {
    open("p");
    deadlines.requestBegan("p");
    deadlines.requestBegan("p");
    deadlines.requestEnded("p");
    advance(2000);
    assertThat(closed).isEmpty();
    deadlines.requestEnded("p");
    advance(1000);
    assertThat(closed).containsExactly("p");
  }

  @Test
  void aWebSocketOrAClosedConnectionHasNoDeadline() {
    open("ws");
    open("gone");
    deadlines.forget("ws");
    deadlines.forget("gone");
    advance(10_000);
    assertThat(closed).isEmpty();
    assertThat(deadlines.tracked()).isZero();
    assertThat(byId).isEmpty();
  }
}
