package chat.bench.closed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PairsTest {

  @Test
  void theLargestPointDecidesHowManyUsers() {
    assertThat(Pairs.usersFor(List.of(10, 200, 50))).isEqualTo(400);
    assertThatThrownBy(() -> Pairs.usersFor(List.of(10, 0))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyUserIsInOnePairAtMostWithAFixedRole() {
    List<Integer> users = IntStream.range(0, 9).boxed().toList();
    List<Pairs.Pair<Integer>> pairs = Pairs.of(users);
    assertThat(pairs).containsExactly(new Pairs.Pair<>(0, 1), new Pairs.Pair<>(2, 3), new Pairs.Pair<>(4, 5),
        new Pairs.Pair<>(6, 7)); // the odd one out is left alone
    Set<Integer> seen = new HashSet<>();
    for (Pairs.Pair<Integer> p : pairs) {
      assertThat(seen.add(p.sender())).isTrue();
      assertThat(seen.add(p.recipient())).isTrue();
    }
    // a smaller point is a prefix: the first n pairs are the same users in the same roles
    assertThat(Pairs.of(users.subList(0, 4))).isEqualTo(pairs.subList(0, 2));
  }

  @Test
  void aTurnEndsOnItsLastArrivalOnly() {
    Turn t = new Turn();
    t.begin(2); // v2: the delivery and the ack
    assertThat(t.arrived()).isFalse();
    assertThat(t.arrived()).isTrue();
    t.begin(1); // classic: the delivery
    assertThat(t.arrived()).isTrue();
    t.begin(2);
    assertThat(t.abort()).isTrue(); // refused: the next message leaves now
    assertThat(t.abort()).isFalse();
    assertThat(t.arrived()).isFalse(); // and a late arrival of the refused one starts nothing
  }
}
