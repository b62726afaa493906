package chat.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreQueueTest {

  @Test
  void refusesBeyondTheItemCountAndAcceptsAgainOnceDrained() {
    StoreQueue<Integer> q = new StoreQueue<>(3, Long.MAX_VALUE);
    assertThat(q.offer(1, 10, 1000)).isTrue();
    assertThat(q.offer(2, 10, 1000)).isTrue();
    assertThat(q.offer(3, 10, 1000)).isTrue();
    assertThat(q.offer(4, 10, 1000)).isFalse();
    assertThat(q.size()).isEqualTo(3);
    assertThat(q.poll()).isEqualTo(1);
    assertThat(q.offer(5, 10, 1000)).isTrue();
    List<Integer> rest = new ArrayList<>();
    q.drain(rest::add);
    assertThat(rest).containsExactly(2, 3, 5);
    assertThat(q.bytes()).isZero();
  }

  @Test
  void refusesBeyondTheByteBoundButNeverStarvesOneLargeItem() {
    StoreQueue<String> q = new StoreQueue<>(100, 1000);
    assertThat(q.offer("huge", 5000, 1000)).as("alone in an empty queue").isTrue();
    assertThat(q.offer("small", 1, 1000)).isFalse();
    assertThat(q.poll()).isEqualTo("huge");
    assertThat(q.offer("a", 600, 1000)).isTrue();
    assertThat(q.offer("b", 400, 1000)).isTrue();
    assertThat(q.offer("c", 1, 1000)).isFalse();
    assertThat(q.bytes()).isEqualTo(1000);
  }

  @Test
  void expiredItemsAreHandedBackNotReturned() {
    StoreQueue<String> q = new StoreQueue<>(10, 1000);
    q.offer("old", 1, 100);
    q.offer("older-deadline-later", 1, 500);
    q.offer("fresh", 1, 300);
    List<String> expired = new ArrayList<>();
    assertThat(q.peekLive(200, expired::add)).isEqualTo("older-deadline-later");
    assertThat(expired).containsExactly("old");
    assertThat(q.poll()).isEqualTo("older-deadline-later");
    assertThat(q.peekLive(300, expired::add)).isNull();
    assertThat(expired).containsExactly("old", "fresh");
    assertThat(q.isEmpty()).isTrue();
    assertThat(q.bytes()).isZero();
  }

  @Test
  void aMillionOffersIntoAFullQueueKeepItsSize() {
    StoreQueue<Integer> q = new StoreQueue<>(1000, Long.MAX_VALUE);
    int refused = 0;
    for (int i = 0; i < 1_000_000; i++) {
      if (!q.offer(i, 100, Long.MAX_VALUE)) {
        refused++;
      }
    }
    assertThat(q.size()).isEqualTo(1000);
    assertThat(refused).isEqualTo(999_000);
  }
}
